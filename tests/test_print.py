"""Print: trim sizes, bleed and crop marks (boxes), the KDP gutter, PDF variants, book.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from publish import Diagnostics, PublishError, load_book, printspec, write_pdf
from publish.cli import cli
from publish.sources.config import TRIMS

from helpers import fonts, make_book

pytestmark = pytest.mark.xdist_group("print")
PT = 72.0
POST = (
    "---\ntitle: A Walk\ndate: 2016-05-01\n---\n"
    "We walked along the river in the evening, talking of books and of the people who "
    "write to us about them. The light went; the talk did not.\n"
)


def toml(pdf: str = "", top: str = "") -> str:
    return f'title = "Boxes"\nauthor = "A. Printer"\nlanguage = "en"\n{top}\n[pdf]\n{pdf}\n'


def boxes(path: Path) -> list[dict[str, list[float]]]:
    out = []
    for page in PdfReader(path).pages:
        out.append(
            {
                name: [round(float(v), 2) for v in getattr(page, name)]
                for name in ("mediabox", "trimbox", "bleedbox")
            }
        )
    return out


# --- book.toml ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pdf", "message"),
    [
        ("bleed = 1", "pdf.bleed must be true or false"),
        ('variant = "pdf/z"', "pdf.variant must be one of"),
        ('links = "sidenotes"', "pdf.links must be one of"),
        ('paper = "blue"', "pdf.paper must be one of"),
        ('[pdf.margins]\noutside = "0.2in"', "pdf.margins.outside 0.2in is too small"),
        ('bleed = true\n[pdf.margins]\ntop = "0.3in"', "at least 0.375in with bleed"),
        ('[pdf.margins]\nbottom = "5mm"', "pdf.margins.bottom 5mm is too small"),
    ],
)
def test_print_options_are_checked(tmp_path: Path, pdf: str, message: str) -> None:
    root = make_book(tmp_path / "c", {"p.md": POST}, toml(pdf))
    with pytest.raises(PublishError) as caught:
        load_book(root)
    assert message in str(caught.value)
    assert "book.toml:" in str(caught.value)


def test_print_options_are_read(tmp_path: Path) -> None:
    pdf = (
        'bleed = true\ncrop_marks = true\nvariant = "PDF/A-2b"\nlinks = "endnotes"\npaper = "cream"'
    )
    top = 'parts = "year"\nback_cover = "On the back."'
    book = load_book(make_book(tmp_path / "c", {"p.md": POST}, toml(pdf, top)))
    assert (book.pdf.bleed, book.pdf.crop_marks, book.pdf.variant) == (True, True, "pdf/a-2b")
    assert (book.pdf.links, book.pdf.paper, book.parts) == ("endnotes", "cream", "year")
    assert book.back_cover == "On the back." and book.pdf.margins.inside is None
    with pytest.raises(PublishError, match="'parts' must be"):
        load_book(make_book(tmp_path / "d", {"p.md": POST}, toml("", 'parts = "month"')))


def test_kdp_tables() -> None:
    assert [printspec.kdp_gutter(n) for n in (24, 150, 151, 300, 301, 500, 501, 700, 701)] == [
        0.375, 0.375, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875,
    ]  # fmt: skip
    assert printspec.gutter(100, None) == "0.375in"
    assert printspec.gutter(100, "0.75in") == "0.75in"  # the book's own wins when larger
    assert printspec.gutter(800, "0.75in") == "0.875in"
    assert printspec.spine_width(200, "white") == pytest.approx(0.4504)
    assert printspec.spine_width(200, "cream") == pytest.approx(0.5)
    assert not printspec.spine_has_text(99) and printspec.spine_has_text(100)
    import weasyprint.pdf

    assert set(printspec.VARIANTS) <= set(weasyprint.pdf.VARIANTS)  # WeasyPrint writes them


# --- trim sizes, bleed, crop marks ----------------------------------------------------


@pytest.mark.parametrize("bleed", [False, True])
@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_every_trim_size_with_and_without_bleed(tmp_path: Path, trim: str, bleed: bool) -> None:
    pdf = f'trim = "{trim}"\nbleed = {"true" if bleed else "false"}'
    book = load_book(make_book(tmp_path / "c", {"p.md": POST}, toml(pdf)))
    out = tmp_path / "b.pdf"
    write_pdf(book, out, single_document=True)
    width, height = printspec.trim_inches(TRIMS[trim])
    trim_box = [0.0, 0.0, round(width * PT, 2), round(height * PT, 2)]
    b = 9.0 if bleed else 0.0  # 0.125 in
    outer = [-b, -b, trim_box[2] + b, trim_box[3] + b]
    for page in boxes(out):
        assert page["trimbox"] == pytest.approx(trim_box, abs=0.02)
        assert page["mediabox"] == pytest.approx(outer, abs=0.02)
        assert page["bleedbox"] == pytest.approx(outer, abs=0.02)


def test_crop_marks_lie_outside_the_trim(tmp_path: Path) -> None:
    book = load_book(make_book(tmp_path / "c", {"p.md": POST}, toml("crop_marks = true")))
    out = tmp_path / "b.pdf"
    write_pdf(book, out, workers=1, progress=False)
    page = boxes(out)[0]
    assert page["trimbox"] == [0, 0, 432, 648] and page["mediabox"] == [-9, -9, 441, 657]
    image = pdfium.PdfDocument(str(out))[0].render(scale=1).to_pil().convert("L")
    # the marks: dark pixels in the corner, outside the trim (9 pt from the sheet's edges)
    corner = [image.getpixel((x, y)) for x in range(9) for y in range(9)]
    assert min(corner) < 200


# --- the gutter -----------------------------------------------------------------------


def _inside_margin(path: Path) -> float:
    """The inside margin, in inches: where the text of the right-hand pages begins (a
    glyph's side bearing may start a line a point or two further in)."""
    document = pdfium.PdfDocument(str(path))
    found: list[float] = []
    for index in range(0, len(document), 2):  # pages 1, 3, 5...
        text = document[index].get_textpage()
        lefts = [text.get_charbox(i)[0] for i in range(text.count_chars())]
        lefts = [x for x, c in zip(lefts, text.get_text_range(), strict=False) if c.strip()]
        if len(lefts) > 20:
            found.append(min(lefts) / PT)
    assert found and max(found) - min(found) < 3 / PT, found
    return min(found)


def _long_book(root: Path, posts: int, paragraphs: int) -> Path:
    """Many pages with little text: a small page set in 36 pt."""
    text = "Walk on, talk on: the river runs. " * 3
    files = {
        f"2016-01-{n + 1:02d}-walk-{n}.md": f"---\ntitle: Walk {n}\n---\n"
        + "\n\n".join([text] * paragraphs)
        for n in range(posts)
    }
    return make_book(root, files, toml('trim = "4in 5in"\nfont_size = "36pt"'))


@pytest.mark.parametrize(("posts", "paragraphs", "gutter"), [(5, 6, 0.375), (10, 14, 0.625)])
def test_the_gutter_grows_with_the_page_count(
    tmp_path: Path, posts: int, paragraphs: int, gutter: float
) -> None:
    book = load_book(_long_book(tmp_path / "c", posts, paragraphs))
    out = tmp_path / "b.pdf"
    result = write_pdf(book, out, workers=2, progress=False)
    assert result.gutter == f"{gutter:g}in"
    assert printspec.kdp_gutter(result.pages) == gutter, result.pages
    assert abs(result.pages - (100 if gutter < 0.5 else 400)) <= 30
    assert _inside_margin(out) == pytest.approx(gutter, abs=0.5 / PT)


def test_the_books_own_inside_margin_wins_when_larger(tmp_path: Path) -> None:
    root = make_book(tmp_path / "c", {"p.md": POST}, toml('[pdf.margins]\ninside = "0.8in"'))
    result = write_pdf(load_book(root), tmp_path / "b.pdf", single_document=True)
    assert result.gutter == "0.8in"
    assert _inside_margin(tmp_path / "b.pdf") == pytest.approx(0.8, abs=0.5 / PT)


# --- PDF variants ---------------------------------------------------------------------


def _xmp(path: Path) -> str:
    reader = PdfReader(path)
    meta = reader.root_object.get("/Metadata")
    return meta.get_object().get_data().decode() if meta is not None else ""


@pytest.mark.parametrize(
    ("variant", "version", "declared"),
    [
        ("pdf/a-2b", "1.7", [r'pdfaid:part="2"', r'pdfaid:conformance="B"']),
        ("pdf/ua-1", "1.7", [r'pdfuaid:part="1"']),
        ("pdf/x-4", "1.6", [r"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"]),
        ("pdf/x-3", "1.4", [r"<pdfxid:GTS_PDFXVersion>PDF/X-3:2003</pdfxid:GTS_PDFXVersion>"]),
        ("pdf/x-1a", "1.4", [r"<pdfxid:GTS_PDFXVersion>PDF/X-1a:2003</pdfxid:GTS_PDFXVersion>"]),
    ],
)
def test_each_variant_declares_itself(
    tmp_path: Path, variant: str, version: str, declared: list[str]
) -> None:
    """What each variant writes, as the README's *Variants* says; a PDF/X variant is a
    declaration only (RGB, no output intent): when WeasyPrint changes that, the README must
    change too."""
    book = load_book(make_book(tmp_path / "c", {"p.md": POST}, toml()))
    out = tmp_path / "b.pdf"
    result = write_pdf(book, out, variant=variant)
    assert result.variant == variant
    assert out.read_bytes().startswith(f"%PDF-{version}".encode())
    xmp = _xmp(out)
    for needle in declared:
        assert re.search(re.escape(needle), xmp), xmp
    reader = PdfReader(out)
    used = fonts(reader)
    assert used and all(used.values())  # every font embedded
    for page in reader.pages:
        assert "/TrimBox" in page and "/BleedBox" in page
    assert reader.metadata is not None
    info = {key: str(value) for key, value in reader.metadata.items()}
    catalog = reader.root_object
    intents = [intent.get_object() for intent in catalog.get("/OutputIntents", [])]
    if variant in ("pdf/x-1a", "pdf/x-3"):
        name = declared[0].split(">")[1].split("<")[0]
        assert info["/GTS_PDFXVersion"] == info["/GTS_PDFXConformance"] == name
    else:
        assert "/GTS_PDFXVersion" not in info  # PDF/X-4: in the XMP only
    if variant.startswith("pdf/x"):
        assert info["/Trapped"] == "/False"
        assert intents == []  # no output intent: PDF/X in name only
        streams = [page.get_contents() for page in reader.pages]
        colour = b"".join(stream.get_data() for stream in streams if stream is not None)
        assert re.search(rb"\srg\s", colour) and not re.search(rb"\s[kK]\s", colour)  # RGB
    if variant == "pdf/ua-1":
        assert "/StructTreeRoot" in catalog  # tagged
        mark_info = catalog["/MarkInfo"]
        assert isinstance(mark_info, DictionaryObject) and mark_info["/Marked"]
        assert intents == []
    if variant == "pdf/a-2b":
        [intent] = intents
        assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in str(intent["/OutputConditionIdentifier"])


def test_variant_from_book_toml_and_the_command_line(tmp_path: Path) -> None:
    root = make_book(tmp_path / "c", {"p.md": POST}, toml('variant = "pdf/a-2b"'))
    diagnostics = Diagnostics()
    write_pdf(load_book(root), tmp_path / "a.pdf", diagnostics)
    assert 'pdfaid:part="2"' in _xmp(tmp_path / "a.pdf")
    plain = make_book(tmp_path / "d", {"p.md": POST}, toml())
    out = tmp_path / "x.pdf"
    run = CliRunner().invoke(cli, ["pdf", str(plain), "-o", str(out), "--variant", "pdf/x-4"])
    assert run.exit_code == 0, run.output
    assert "(PDF/X-4)" in run.output and "GTS_PDFXVersion>PDF/X-4<" in _xmp(out)
    bad = CliRunner().invoke(cli, ["pdf", str(plain), "--variant", "pdf/z"])
    assert bad.exit_code == 2
