"""The chaptered, parallel PDF build gives the same book as one WeasyPrint run over it all.

Same pages (and on every page the same text: folios, running heads, contents numbers),
same bookmarks on the same pages, same metadata, fonts shared, output reproducible.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from publish import load_book
from publish.writers.epub import write_epub
from publish.writers.pdf import write_pdf

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

from helpers import count_forked  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pdf-parallel")]
EPOCH = "1700000000"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("books")
    return {"content": REPO / "content", "synthetic": generate(out / "synthetic", 10)}


@pytest.fixture(scope="module")
def built(
    books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Path]]:
    """Every book built as one document, and chaptered on two workers."""
    out = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result: dict[str, dict[str, Path]] = {}
        for name, folder in books.items():
            book = load_book(folder)
            single, parallel = out / f"{name}-single.pdf", out / f"{name}-parallel.pdf"
            write_pdf(book, single, single_document=True)
            write_pdf(book, parallel, workers=2, progress=False)
            result[name] = {"single": single, "parallel": parallel}
    return result


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int | None]]:
    out: list[tuple[int, str, int | None]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def _texts(reader: pypdf.PdfReader) -> Iterator[str]:
    for page in reader.pages:
        yield page.extract_text()


@pytest.mark.parametrize("name", ["content", "synthetic"])
def test_same_pages_text_and_bookmarks(built: dict[str, dict[str, Path]], name: str) -> None:
    single = pypdf.PdfReader(built[name]["single"])
    parallel = pypdf.PdfReader(built[name]["parallel"])
    assert len(parallel.pages) == len(single.pages)
    assert _outline(parallel) == _outline(single)
    for n, (one, other) in enumerate(zip(_texts(single), _texts(parallel), strict=True), start=1):
        assert other == one, f"page {n} differs"
    for n, (page, twin) in enumerate(zip(single.pages, parallel.pages, strict=True), start=1):
        assert list(twin.mediabox) == list(page.mediabox), f"page {n} size"
    assert parallel.metadata is not None and single.metadata is not None
    for key in ("/Title", "/Author", "/CreationDate"):
        assert parallel.metadata.get(key) == single.metadata.get(key)


@pytest.mark.parametrize("name", ["content", "synthetic"])
def test_posts_start_on_odd_pages_as_the_contents_say(
    built: dict[str, dict[str, Path]], name: str
) -> None:
    reader = pypdf.PdfReader(built[name]["parallel"])
    marks = [(title, page) for depth, title, page in _outline(reader) if depth == 0]
    contents_page = dict(marks).pop("Contents")
    assert contents_page is not None
    posts = [(title, page) for title, page in marks if title != "Contents"]
    assert posts and all(page is not None and page % 2 == 0 for _, page in posts)  # 0-based
    contents = "".join(p.extract_text() for p in reader.pages[contents_page : posts[0][1]])
    numbers = [
        int(line.rsplit(" ", 1)[-1]) for line in contents.splitlines() if line[-1:].isdigit()
    ]
    starts = [page + 1 for _, page in posts if page is not None]
    assert numbers[-len(starts) :] == starts


@pytest.mark.parametrize("name", ["content", "synthetic"])
def test_fonts_shared_not_once_a_chapter(built: dict[str, dict[str, Path]], name: str) -> None:
    single, parallel = built[name]["single"], built[name]["parallel"]
    assert parallel.stat().st_size <= 1.2 * single.stat().st_size
    reader = pypdf.PdfReader(parallel)
    fonts: dict[str, set[Any]] = {}
    for page in reader.pages:
        resources = page["/Resources"]
        assert isinstance(resources, pypdf.generic.DictionaryObject)
        for font in resources.get("/Font", {}).values():
            obj = font.get_object()
            fonts.setdefault(str(obj["/BaseFont"]), set()).add(font.idnum)
            descendant = obj["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(len(ids) == 1 for ids in fonts.values()), fonts


def test_reproducible_and_independent_of_workers(
    books: dict[str, Path], built: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    book_dir = books["synthetic"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        book = load_book(book_dir)
        write_pdf(book, tmp_path / "b.pdf", workers=1, progress=False)
        write_epub(book, tmp_path / "a.epub")
        write_epub(load_book(book_dir), tmp_path / "b.epub")
    assert (tmp_path / "b.pdf").read_bytes() == built["synthetic"]["parallel"].read_bytes()
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()


def test_the_same_book_in_another_folder_gives_the_same_bytes(
    books: dict[str, Path], built: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    """The default content (it has a picture: WeasyPrint names an image in the PDF after
    its URL) copied elsewhere: both builds give the files built from the checkout's."""
    moved = tmp_path / "somewhere" / "else" / "content"
    shutil.copytree(books["content"], moved)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        book = load_book(moved)
        write_pdf(book, tmp_path / "parallel.pdf", workers=1, progress=False)
        write_pdf(book, tmp_path / "single.pdf", single_document=True)
    reader = pypdf.PdfReader(tmp_path / "parallel.pdf")
    assert any(page.images for page in reader.pages)  # the picture
    for kind in ("parallel", "single"):
        assert (tmp_path / f"{kind}.pdf").read_bytes() == built["content"][kind].read_bytes()


def test_links_between_posts_survive(built: dict[str, dict[str, Path]]) -> None:
    """The synthetic blog links to earlier posts: every internal link has a destination."""
    reader = pypdf.PdfReader(built["synthetic"]["parallel"])
    names = reader.named_destinations
    internal = [
        annot.get_object()["/Dest"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/Dest" in annot.get_object()
    ]
    assert internal
    assert all(str(dest) in names for dest in internal)


def test_cache_rebuilds_only_what_changed(books: dict[str, Path], tmp_path: Path) -> None:
    """After editing one post, a cached build lays out only its document (and the front
    matter), and gives the same bytes as a build from nothing."""
    blog = tmp_path / "blog"
    blog.mkdir()
    for path in books["synthetic"].rglob("*"):
        target = blog / path.relative_to(books["synthetic"])
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    cache = tmp_path / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        write_pdf(load_book(blog), tmp_path / "first.pdf", workers=2, progress=False, cache=cache)
        before = {p.name for p in cache.rglob("*.pdf")}
        post = sorted((blog / "posts").glob("*/index.md"))[3]
        text = post.read_text("utf-8")
        body_at = text.index("\n---\n", 4) + 5
        words = text[body_at:].split(" ")
        words[3] = words[3][::-1]  # same length: the post keeps its pages
        post.write_text(text[:body_at] + " ".join(words), "utf-8")
        write_pdf(load_book(blog), tmp_path / "cached.pdf", workers=2, progress=False, cache=cache)
        after = {p.name for p in cache.rglob("*.pdf")}
        write_pdf(load_book(blog), tmp_path / "fresh.pdf", workers=2, progress=False)
    assert (tmp_path / "cached.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()
    laid_out_again = after - before
    assert 1 <= len(laid_out_again) <= 2, laid_out_again  # the edited post's document, the front
    assert len(after) == len(before)  # entries no longer used are gone


def test_a_rebuild_later_the_same_day_keeps_the_front_matter(
    books: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The front matter shows the day of the build (the colophon), the PDF's metadata
    its time: an hour later, the front matter comes from the cache as it was."""
    forked = count_forked(monkeypatch)
    cache, book = tmp_path / "cache", load_book(books["synthetic"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_pdf(book, tmp_path / "first.pdf", workers=2, progress=False, cache=cache)
    forked.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 3600))
    write_pdf(book, tmp_path / "later.pdf", workers=2, progress=False, cache=cache)
    assert "laying out the front matter" not in forked
    first, later = pypdf.PdfReader(tmp_path / "first.pdf"), pypdf.PdfReader(tmp_path / "later.pdf")
    assert first.metadata is not None and later.metadata is not None
    assert str(first.metadata["/CreationDate"]) == "D:20231114221320Z"  # SOURCE_DATE_EPOCH
    assert str(later.metadata["/CreationDate"]) == "D:20231114231320Z"  # an hour later
    assert str(later.metadata["/ModDate"]) == "D:20231114231320Z"


def test_placeholders_take_no_line() -> None:
    """Anchors of other documents are empty blocks at the top of the document: a line at
    its end once pushed a chapter onto one more page (610 pages against 608)."""
    from lxml import html as lxml_html

    from publish.assembly import assemble
    from publish.errors import Diagnostics
    from publish.render.chapters import ChapterRenderer
    from publish.render.templates import environment
    from publish.writers.pdf import FIXED_MOMENT, _context
    from publish.writers.pdf_html import DocumentMaker
    from publish.writers.print_links import PrintTarget

    book = load_book(REPO / "content")
    plan = assemble(book)
    renderer = ChapterRenderer(plan, PrintTarget(), Diagnostics())
    maker = DocumentMaker(environment(book), _context(book), _context(book, FIXED_MOMENT))
    found = 0
    for chapter in plan.chapters:
        text, missing = maker.chapters([renderer.render(chapter)])
        root = lxml_html.document_fromstring(text)
        assert isinstance(root, lxml_html.HtmlElement)
        order = [node for node in root.body.iter() if isinstance(node.tag, str)]
        head = root.get_element_by_id(f"{chapter.id}-title")
        for name in missing:
            found += 1
            anchor = root.get_element_by_id(name)
            assert anchor.tag == "div" and "height:0" in anchor.get("style", "")
            assert order.index(anchor) < order.index(head)
    assert found, "the sample book links from one post to another"
