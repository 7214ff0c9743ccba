"""The print PDF, inspected with pypdf: size, fonts, bookmarks, openings, contents, metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from publish import Diagnostics, load_book, write_pdf
from publish.assembly import assemble

from helpers import REPO, contents_entries, fonts, make_book, outline, page_texts

pytestmark = pytest.mark.xdist_group("pdf")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[PdfReader, list[str]]:
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    diagnostics = Diagnostics()
    result = write_pdf(load_book(REPO / "content", diagnostics), out, diagnostics)
    assert diagnostics.warnings == []
    reader = PdfReader(out)
    assert result.pages == len(reader.pages)
    return reader, page_texts(reader)


def post_titles() -> list[str]:
    return [c.title.replace("'", "’") for c in assemble(load_book(REPO / "content")).chapters]


def test_trim_size_is_6_by_9_inches(built: tuple[PdfReader, list[str]]) -> None:
    reader, _ = built
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (432, 648)


def test_every_font_is_embedded_and_the_book_face_is_used(
    built: tuple[PdfReader, list[str]],
) -> None:
    used = fonts(built[0])
    assert used and all(used.values()), used
    assert any("LinLibertine" in name or "Libertine" in name for name in used), used


def test_one_bookmark_per_post_each_on_an_odd_page(built: tuple[PdfReader, list[str]]) -> None:
    reader, texts = built
    marks = [(t, p) for t, p in outline(reader) if t != "Contents"]
    assert [t for t, _ in marks] == post_titles()
    for title, page in marks:
        assert page % 2 == 1, f"{title} starts on page {page}"
        assert title.split()[-1] in texts[page - 1]


def test_contents_page_numbers_are_the_pages_where_posts_start(
    built: tuple[PdfReader, list[str]],
) -> None:
    reader, texts = built
    contents_page = next(i for i, t in enumerate(texts) if t.strip().startswith("Contents"))
    entries = contents_entries(texts[contents_page])
    starts = dict(outline(reader))
    assert [title for title, _ in entries] == post_titles()
    for title, page in entries:
        assert page == starts[title], title
        # and the printed folio on that page agrees
        assert texts[page - 1].strip().endswith(str(page)) or str(page) in texts[page - 1].split()


def test_running_heads_book_title_left_post_title_right(built: tuple[PdfReader, list[str]]) -> None:
    reader, texts = built
    starts = {p for _, p in outline(reader)}
    heads = 0
    for number, text in enumerate(texts, start=1):
        # pypdf reads the head and folio last, as the page's final line
        first_line = text.strip().splitlines()[-1] if text.strip() else ""
        if number in starts or number < 7 or len(text) < 200:
            continue
        heads += 1
        if number % 2 == 0:
            assert (
                "Notes from a Commonplace Blog" in first_line or "NOTES FROM" in first_line.upper()
            )
        else:
            assert any(t.split()[0].upper() in first_line.upper() for t in post_titles())
    assert heads >= 2


def test_metadata(built: tuple[PdfReader, list[str]]) -> None:
    meta = built[0].metadata
    assert meta is not None
    assert meta.title == "Notes from a Commonplace Blog"
    assert meta.author == "The publish project"


def test_comments_and_typography_reach_the_page(built: tuple[PdfReader, list[str]]) -> None:
    text = "\n".join(built[1])
    assert "pithom" in text.lower()
    assert "That sounds high" in text
    assert "“curly”" in text  # smart quotes
    assert "’90s" in text  # apostrophe before a number
    assert "10–\u206012" in text or "10–12" in text  # an en dash, kept with the number


def test_trim_size_from_book_toml(tmp_path: Path) -> None:
    toml = 'title = "T"\nauthor = "A"\nlanguage = "en"\n[pdf]\ntrim = "A5"\n'
    root = make_book(tmp_path / "c", {"2020-01-01-p.md": "---\ntitle: P\n---\nHello."}, toml)
    out = tmp_path / "a5.pdf"
    write_pdf(load_book(root), out)
    page = PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (420, 595)
