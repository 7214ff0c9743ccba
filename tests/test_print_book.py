"""Print, in a book that has it all: links as notes and "see page N", parts by year, front and
back matter, in the PDF (both builds) and the EPUB; and the wrap-around cover."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from PIL import Image
from pypdf import PdfReader

from publish import Diagnostics, load_book, printspec, write_epub, write_pdf
from publish.writers.wrap_cover import write_cover_pdf

from helpers import (
    REPO,
    assert_epubcheck_clean,
    contents_entries,
    epub_text,
    make_book,
    outline,
    page_number,
    page_texts,
    write,
)

pytestmark = pytest.mark.xdist_group("print-book")
PT = 72.0
WORDS = "The river ran on past the mill, and we talked of the letters readers send. " * 6

POSTS = {
    "2015-11-02-first-light/index.md": (
        "---\ntitle: First Light\n---\n"
        f"{WORDS}\n\nThe [Gutenberg archive](https://www.gutenberg.org/ebooks/1342) keeps it.\n"
    ),
    "2015-11-02-first-light/comments/1.md": (
        "---\nauthor: Ann\ndate: 2015-11-03\n---\n"
        "See [my notes](https://example.org/ann/notes) and <https://example.org/plain>.\n"
    ),
    "2016-03-10-the-mill.md": (
        f"---\ntitle: The Mill\n---\n{WORDS}\n\n"
        "As [I wrote before](2015-11-02-first-light/), the light comes first.\n\n"
        f"{WORDS}\n\n{WORDS}\n"
    ),
    "2016-08-21-last-word.md": (
        "---\ntitle: Last Word\n---\nBack to [the mill](2016-03-10-the-mill.md) and "
        "[the light](2015-11-02-first-light/#nowhere).\n"
    ),
}
MATTER = {
    "front/01-dedication.md": "---\ntitle: Dedication\n---\nFor the readers who wrote back.\n",
    "front/02-foreword.md": f"---\ntitle: Foreword\n---\n{WORDS}\n",
    "back/afterword.md": f"---\ntitle: Afterword\n---\n{WORDS}\n",
}
TOML = (
    'title = "Letters Back"\nauthor = "A. Writer"\nlanguage = "en"\nparts = "year"\n'
    'description = "A book of posts and their comments."\n'
    'back_cover = "Two years of a blog.\\n\\nAnd the letters its readers sent."\n'
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_book(tmp_path_factory.mktemp("print-book") / "content", POSTS, TOML)
    for name, text in MATTER.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def built(root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("print-out")
    book = load_book(root)
    diagnostics = Diagnostics()
    write_pdf(book, out / "chaptered.pdf", diagnostics, workers=2, progress=False)
    assert diagnostics.warnings == []
    write_pdf(book, out / "single.pdf", single_document=True)
    write_epub(book, out / "book.epub", Diagnostics())
    return {
        "chaptered": out / "chaptered.pdf",
        "single": out / "single.pdf",
        "epub": out / "book.epub",
    }


@pytest.fixture(scope="module")
def texts(built: dict[str, Path]) -> list[str]:
    return page_texts(PdfReader(built["chaptered"]))


def test_both_builds_make_the_same_book(built: dict[str, Path]) -> None:
    one, other = PdfReader(built["single"]), PdfReader(built["chaptered"])
    assert page_texts(one) == page_texts(other)
    assert outline(one) == outline(other)


def test_order_parts_and_matter_in_the_pdf(built: dict[str, Path], texts: list[str]) -> None:
    marks = outline(PdfReader(built["chaptered"]))
    titles = [t for t, _ in marks]
    assert titles == [
        "Contents", "Foreword", "2015", "First Light", "2016", "The Mill", "Last Word", "Afterword"
    ]  # fmt: skip
    pages = dict(marks)
    assert all(page % 2 == 1 for title, page in marks if title != "Contents")  # right-hand
    assert pages["First Light"] == pages["2015"] + 2  # the part's page, its blank verso
    assert texts[pages["2015"]].strip() == ""
    part_page = texts[pages["2015"] - 1]
    assert part_page.strip() == "2015"  # no running head, no folio
    dedication = next(n for n, t in enumerate(texts, 1) if "For the readers" in t)
    assert dedication % 2 == 1 and dedication < pages["Contents"]
    assert "Dedication" not in texts[dedication - 1]  # its title is for the contents only


def test_contents_list_parts_and_matter_with_their_pages(
    built: dict[str, Path], texts: list[str]
) -> None:
    pages = dict(outline(PdfReader(built["chaptered"])))
    contents = texts[pages["Contents"] - 1]
    entries = contents_entries(contents)
    assert [t for t, _ in entries] == [
        "Foreword", "2015", "First Light", "2016", "The Mill", "Last Word", "Afterword"
    ]  # fmt: skip  # parts head their posts
    assert all(page == pages[title] for title, page in entries)
    assert "Dedication" not in contents


def _contents_pages(texts: list[str], marks: list[tuple[str, int]]) -> list[str]:
    """The text of every page of the contents: from its bookmark to the next one's page."""
    titles = [title for title, _ in marks]
    start = dict(marks)["Contents"]
    end = marks[titles.index("Contents") + 1][1]
    return texts[start - 1 : end - 1]


@pytest.mark.parametrize("build", ["chaptered", "single"])
def test_contents_give_each_part_its_title_pages_number(built: dict[str, Path], build: str) -> None:
    reader = PdfReader(built[build])
    texts = page_texts(reader)
    entries = [
        entry
        for text in _contents_pages(texts, outline(reader))
        for entry in contents_entries(text)
    ]
    parts = {title: page for title, page in entries if title in ("2015", "2016")}
    assert set(parts) == {"2015", "2016"}
    for year, page in parts.items():
        # the page whose whole text is the year: the part's title page
        assert [n for n, text in enumerate(texts, 1) if text.strip() == year] == [page]
    assert parts["2015"] < parts["2016"]


def test_a_template_without_part_title_pages_numbers_parts_by_their_first_chapter(
    root: Path, tmp_path: Path
) -> None:
    """A book's own pdf/book.html.j2 that prints no part title pages: the contents still give
    each part a number, its first chapter's page, and lead there; both builds alike."""
    own = tmp_path / "content"
    shutil.copytree(root, own)
    template = (REPO / "publish" / "templates" / "pdf" / "book.html.j2").read_text("utf-8")
    part_page = r"\{% if ch\.chapter\.part %\}.*?\{% else %\}\n(.*?)\{% endif %\}\n"
    template, found = re.subn(part_page, r"\1", template, flags=re.S)
    assert found == 1 and "chapter.part" not in template
    write(own / "templates" / "pdf" / "book.html.j2", template)
    book = load_book(own)
    diagnostics = Diagnostics()
    write_pdf(book, tmp_path / "chaptered.pdf", diagnostics, workers=2, progress=False)
    write_pdf(book, tmp_path / "single.pdf", diagnostics, single_document=True)
    assert diagnostics.warnings == []  # no "target points to undefined anchor"
    for build in ("chaptered", "single"):
        reader = PdfReader(tmp_path / f"{build}.pdf")
        marks = outline(reader)
        pages = dict(marks)
        assert "2015" not in pages  # no part title pages
        contents = _contents_pages(page_texts(reader), marks)
        entries = [entry for text in contents for entry in contents_entries(text)]
        assert [t for t, _ in entries][1:4] == ["2015", "First Light", "2016"], build
        numbers = dict(entries)
        assert numbers["2015"] == pages["First Light"], build
        assert numbers["2016"] == pages["The Mill"], build
        names = reader.named_destinations
        links = {  # (page led to, the line's top): a link is a few boxes on its line
            (
                page_number(reader, names[str(link["/Dest"])]),
                round(float(link["/Rect"][1])),
            )
            for page in reader.pages[pages["Contents"] - 1 : pages["First Light"] - 1]
            for annot in page.get("/Annots", [])
            if "/Dest" in (link := annot.get_object())
        }
        led_to = [target for target, _ in links]
        # the part's line and its first chapter's
        assert led_to.count(pages["First Light"]) == 2, (build, sorted(links))
        assert led_to.count(pages["The Mill"]) == 2, (build, sorted(links))


def test_parts_numbers_come_back_from_the_build_cache(
    root: Path, built: dict[str, Path], tmp_path: Path
) -> None:
    """A second build from the cache lays nothing out again and numbers the parts the same."""
    book, cache = load_book(root), tmp_path / "cache"
    for n in (1, 2):
        write_pdf(book, tmp_path / f"{n}.pdf", workers=2, progress=False, cache=cache)
    expected = page_texts(PdfReader(built["chaptered"]))
    assert page_texts(PdfReader(tmp_path / "2.pdf")) == expected


def test_external_links_get_their_address_in_a_footnote(
    built: dict[str, Path], texts: list[str]
) -> None:
    first = texts[dict(outline(PdfReader(built["chaptered"])))["First Light"] - 1]
    notes = re.findall(r"^([a-z])\.\u2002(\S+)$", first, re.M)
    assert notes == [
        ("a", "https://www.gutenberg.org/ebooks/1342"),
        ("b", "https://example.org/ann/notes"),
    ]  # the address written as the link's text needs no note
    assert "archivea" in first.replace("\n", " ")  # the call follows the link


def test_links_to_other_posts_say_their_page(built: dict[str, Path], texts: list[str]) -> None:
    pages = dict(outline(PdfReader(built["chaptered"])))
    mill = " ".join(texts[pages["The Mill"] - 1].split())
    assert f"I wrote before (see page {pages['First Light']})" in mill
    last = " ".join(texts[pages["Last Word"] - 1].split())
    assert f"the mill (see page {pages['The Mill']})" in last
    assert f"the light (see page {pages['First Light']})" in last


def test_see_page_follows_a_word_space_and_is_one_unit(tmp_path: Path) -> None:
    """'the mill (see page 17)': a word space before the parenthesis, where the line may
    break as between words (not a thin space that sets it against the word); the line never
    breaks inside 'see page N'."""
    posts = {
        "2016-01-01-back.md": (
            "---\ntitle: Back Again\n---\n" + "Back to [the mill](2016-01-02-mill.md) we go. " * 40
        ),
        "2016-01-02-mill.md": f"---\ntitle: The Mill\n---\n{WORDS}\n",
    }
    root = make_book(tmp_path / "c", posts, 'title = "T"\nauthor = "A"\nlanguage = "en"\n')
    out = tmp_path / "b.pdf"
    write_pdf(load_book(root), out, workers=1, progress=False, cache=None)
    reader = PdfReader(out)
    page = dict(outline(reader))["The Mill"]
    text = "\n".join(page_texts(reader))
    assert "\u2009" not in text
    text = re.sub(r" +(?=[ \u00a0])", "", text)  # pypdf's extra spaces in justified lines
    # each of the 40 whole, on one line, after a word space or at a line's start
    assert len(re.findall(rf"(?:mill |\n)\(see\u00a0page\u00a0{page}\) we", text)) == 40, text


def test_the_epub_keeps_links_and_has_parts_and_matter(built: dict[str, Path]) -> None:
    assert_epubcheck_clean(built["epub"])
    with zipfile.ZipFile(built["epub"]) as z:
        names = z.namelist()
        chapter = z.read("EPUB/text/chapter-001.xhtml").decode()
        part = z.read("EPUB/text/part-2015.xhtml").decode()
        nav = z.read("EPUB/nav.xhtml").decode()
        opf = z.read("EPUB/content.opf").decode()
        dedication = z.read("EPUB/text/front-01-dedication.xhtml").decode()
        afterword = z.read("EPUB/text/back-afterword.xhtml").decode()
        contents = z.read("EPUB/text/contents.xhtml").decode()
    assert 'href="https://www.gutenberg.org/ebooks/1342"' in chapter
    # the contents page leads to each part's title page, as to each chapter
    parts = re.findall(r'<li class="contents-part"><a href="([^"]+)">(\d+)</a></li>', contents)
    assert parts == [("part-2015.xhtml", "2015"), ("part-2016.xhtml", "2016")]
    assert "link-note" not in chapter and "see page" not in chapter
    assert 'epub:type="part"' in part and 'role="doc-part"' in part
    assert 'epub:type="dedication"' in dedication and 'role="doc-dedication"' in dedication
    assert 'epub:type="afterword"' in afterword
    manifest = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
    by_id = {v: k for k, v in manifest.items()}
    spine = [by_id[i].removeprefix("text/") for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
    assert spine == [
        "cover.xhtml", "titlepage.xhtml", "front-01-dedication.xhtml", "contents.xhtml",
        "front-02-foreword.xhtml", "part-2015.xhtml", "chapter-001.xhtml", "part-2016.xhtml",
        "chapter-002.xhtml", "chapter-003.xhtml", "back-afterword.xhtml", "colophon.xhtml",
    ]  # fmt: skip
    assert "EPUB/text/front-01-dedication.xhtml" in names
    # nav: parts hold their posts; matter around them
    toc = nav.split('epub:type="toc"')[1].split("</nav>")[0]
    hrefs = re.findall(r'href="([^"]+)"', toc)
    assert hrefs == [
        "text/front-02-foreword.xhtml",
        "text/part-2015.xhtml", "text/chapter-001.xhtml",
        "text/part-2016.xhtml", "text/chapter-002.xhtml", "text/chapter-003.xhtml",
        "text/back-afterword.xhtml", "text/colophon.xhtml",
    ]  # fmt: skip
    assert re.search(r"part-2015.xhtml\">2015</a><ol", toc)


@pytest.mark.parametrize("style", ["endnotes", "none"])
def test_links_as_endnotes_or_not_at_all(tmp_path: Path, style: str) -> None:
    toml = f'title = "T"\nauthor = "A"\nlanguage = "en"\n[pdf]\nlinks = "{style}"\n'
    root = make_book(tmp_path / "c", {k: v for k, v in POSTS.items() if "first" in k}, toml)
    out = tmp_path / "b.pdf"
    write_pdf(load_book(root), out, single_document=True)
    text = "\n".join(page_texts(PdfReader(out)))
    if style == "endnotes":
        notes = text.split("Links", 1)[1].split()
        assert notes[:2] == [
            "https://www.gutenberg.org/ebooks/1342",
            "https://example.org/ann/notes",
        ]
        assert "https://example.org/plain" not in notes  # its text is its address
        assert "archive1" in " ".join(text.split()) and "notes2" in " ".join(text.split())
    else:
        assert "gutenberg.org" not in text and "Links" not in text


# --- the wrap-around cover --------------------------------------------------------------


@pytest.mark.parametrize(("pages", "paper"), [(240, "cream"), (180, "white"), (60, "white")])
def test_cover_sheet_size_from_pages_and_paper(
    root: Path, tmp_path: Path, pages: int, paper: str
) -> None:
    book = load_book(root)
    result = write_cover_pdf(book, tmp_path / "cover.pdf", pages, paper)
    spine = pages * {"white": 0.002252, "cream": 0.0025}[paper]
    page = PdfReader(result.path).pages[0]
    width, height = 2 * 6 + spine + 2 * 0.125, 9 + 2 * 0.125
    assert float(page.mediabox.width) == pytest.approx(width * PT, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(height * PT, abs=0.01)
    assert float(page.trimbox.width) == pytest.approx((width - 0.25) * PT, abs=0.01)
    assert float(page.bleedbox.width) == pytest.approx(width * PT, abs=0.01)
    assert result.spine == pytest.approx(spine)
    text = page.extract_text()
    assert "Two years of a blog." in text and "And the letters its readers sent." in text
    # the spine: title and author there only from 100 pages
    doc = pdfium.PdfDocument(str(result.path))
    chars = doc[0].get_textpage()
    left = (6 + 0.125) * PT
    on_spine = [
        c
        for i, c in enumerate(chars.get_text_range())
        if c.strip() and left <= chars.get_charbox(i)[0] <= left + spine * PT
    ]
    assert bool(on_spine) == printspec.spine_has_text(pages)


@pytest.mark.parametrize("trim", ["6in 9in", "5in 8in", "a5"])
def test_the_generated_front_is_drawn_at_300_dpi(root: Path, tmp_path: Path, trim: str) -> None:
    """The book has no cover image: its generated front is drawn for the front panel and
    its bleed at 300 dpi (not the e-book's 1600 x 2560 px, stretched to under 300)."""
    book = load_book(root)
    book = dataclasses.replace(book, pdf=dataclasses.replace(book.pdf, trim=trim))
    result = write_cover_pdf(book, tmp_path / "cover.pdf", 240, "white")
    panel, trim_height = printspec.trim_inches(trim)
    front_w, front_h = panel + 0.125, trim_height + 0.25  # the fore edge, top, bottom bleed
    [image] = list(PdfReader(result.path).pages[0].images)
    assert image.image is not None
    width, height = image.image.width, image.image.height
    assert width >= 300 * front_w and height >= 300 * front_h
    assert (width, height) != (1600, 2560)
    # as placed on the sheet: the whole front and its bleed, at 300 dpi or more each way
    doc = pdfium.PdfDocument(str(result.path))
    [placed] = list(doc[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))
    left, bottom, right, top = placed.get_bounds()
    sheet = doc[0].get_mediabox()
    assert right == pytest.approx(sheet[2], abs=0.5)  # to the sheet's edge: the bleed
    assert (right - left) / PT == pytest.approx(front_w, abs=0.01)
    assert (top - bottom) / PT == pytest.approx(front_h, abs=0.01)
    assert width / ((right - left) / PT) >= 299.9 and height / ((top - bottom) / PT) >= 299.9


def test_the_epub_cover_stays_1600_by_2560_beside_the_print_one(root: Path, tmp_path: Path) -> None:
    book = load_book(root)
    write_cover_pdf(book, tmp_path / "cover.pdf", 120, "white")
    write_epub(book, tmp_path / "book.epub", Diagnostics())
    with zipfile.ZipFile(tmp_path / "book.epub") as z:
        cover = Image.open(io.BytesIO(z.read("EPUB/images/cover.png")))
    assert cover.size == (1600, 2560)
    assert_epubcheck_clean(tmp_path / "book.epub")


def test_cover_uses_the_books_own_image_and_falls_back_to_the_description(
    tmp_path: Path,
) -> None:
    root = make_book(
        tmp_path / "c",
        {"2016-01-01-p.md": POSTS["2016-08-21-last-word.md"]},
        'title = "Own Cover"\nauthor = "B"\nlanguage = "en"\ncover = "cover.jpg"\n'
        'description = "What the book is about."\n',
    )
    Image.new("RGB", (1900, 2800), (200, 180, 120)).save(root / "cover.jpg", quality=90)
    diagnostics = Diagnostics()
    result = write_cover_pdf(load_book(root), tmp_path / "cover.pdf", 120, "white", diagnostics)
    assert diagnostics.warnings == []  # 1900 px over 6.125 in: over 300 dpi
    page = PdfReader(result.path).pages[0]
    images = [i.image for i in page.images if i.image is not None]
    assert [(i.width, i.height) for i in images] == [(1900, 2800)]  # as it is
    assert "What the book is about." in page.extract_text()
    # placed over the whole front and its bleed, its shape kept: a little wider than the
    # panel's, so as tall as the sheet and cropped evenly at both sides, never letterboxed
    doc = pdfium.PdfDocument(str(result.path))
    [placed] = list(doc[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))
    left, bottom, right, top = placed.get_bounds()
    sheet = doc[0].get_mediabox()
    fold = sheet[0] + (0.125 + 6 + result.spine) * PT  # the front's fold with the spine
    assert (bottom, top) == (pytest.approx(sheet[1], abs=0.5), pytest.approx(sheet[3], abs=0.5))
    assert left < fold and right > sheet[2]
    assert (left + right) / 2 == pytest.approx((fold + sheet[2]) / 2, abs=0.5)
    assert (right - left) / (top - bottom) == pytest.approx(1900 / 2800, rel=0.001)
    small = tmp_path / "small.jpg"
    Image.new("RGB", (600, 900), (20, 20, 20)).save(small)
    (root / "cover.jpg").write_bytes(small.read_bytes())
    diagnostics = Diagnostics()
    write_cover_pdf(load_book(root), tmp_path / "cover2.pdf", 120, "white", diagnostics)
    assert [w.code for w in diagnostics.warnings] == ["low-resolution-image"]


def test_the_cover_is_the_same_file_each_time_and_in_any_folder(root: Path, tmp_path: Path) -> None:
    """The generated front is drawn in a new temporary folder each time, and a book's own
    image lies wherever the book does: WeasyPrint names an image in the PDF after its URL,
    so neither folder may show in it."""
    book = load_book(root)
    first = write_cover_pdf(book, tmp_path / "a.pdf", 120, "white").path.read_bytes()
    assert write_cover_pdf(book, tmp_path / "b.pdf", 120, "white").path.read_bytes() == first
    own: list[bytes] = []
    for where in ("one", "two/deeper"):
        folder = make_book(
            tmp_path / where / "c",
            {"2016-01-01-p.md": POSTS["2016-08-21-last-word.md"]},
            'title = "Own"\nauthor = "B"\nlanguage = "en"\ncover = "cover.jpg"\n',
        )
        Image.new("RGB", (1900, 2800), (200, 180, 120)).save(folder / "cover.jpg", quality=90)
        result = write_cover_pdf(load_book(folder), tmp_path / f"{len(own)}.pdf", 120, "white")
        own.append(result.path.read_bytes())
    assert own[0] == own[1]


def test_a_markdown_footnote_has_no_return_arrow_on_paper(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "content",
        {"2016-01-01-noted.md": "---\ntitle: Noted\n---\nA claim.[^1]\n\n[^1]: The source.\n"},
    )
    write_pdf(load_book(root), tmp_path / "book.pdf", workers=1, progress=False)
    text = "".join(page_texts(PdfReader(tmp_path / "book.pdf")))
    assert "The source." in text and "\u21a9" not in text
    write_epub(load_book(root), tmp_path / "book.epub")
    assert "\u21a9" in epub_text(tmp_path / "book.epub", "EPUB/text/chapter-001.xhtml")
