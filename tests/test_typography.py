"""Typography in both outputs: non-breaking spaces, addresses that break, images for print."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from publish import load_book, write_epub, write_pdf
from publish.render.typography import (
    BREAK,
    NBSP,
    breakable_url,
    dress,
    dress_text,
    dress_title,
    is_english,
    mark_image_paragraphs,
    nonbreaking,
)

from helpers import assert_epubcheck_clean, epub_text, make_book

pytestmark = pytest.mark.xdist_group("pdf")
URL = (
    "https://www.example.com/a/really/long/path/that/goes/on/and/on/with-many-hyphenated-segments"
    "_and_underscores/and?query=string&another=parameter&yet_another_parameter=value1234567890"
    "/more/stuff/here/to/make/it/two-hundred-characters"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J. R. R. Tolkien wrote", f"J.{NBSP}R.{NBSP}R.{NBSP}Tolkien wrote"),
        ("Mr. Smith and Dr. Jones", f"Mr.{NBSP}Smith and Dr.{NBSP}Jones"),
        ("see p. 12, pp. 3–5 and No. 5", f"see p.{NBSP}12, pp.{NBSP}3–5 and No.{NBSP}5"),
        ("in § 3 of vol. 2", f"in §{NBSP}3 of vol.{NBSP}2"),
        ("the U.S. Navy", "the U.S. Navy"),  # not initials
        ("a plan B. Then", f"a plan B.{NBSP}Then"),  # a capital and a full stop: kept modest
        ("Dr. no", "Dr. no"),
        ("step. 12 more", "step. 12 more"),
    ],
)
def test_english_non_breaking_spaces(text: str, expected: str) -> None:
    assert nonbreaking(text) == expected


def test_only_english_books_get_them_and_code_is_left_alone() -> None:
    assert dress("<p>Dr. Jones</p>", "de") == "<p>Dr. Jones</p>"
    assert dress("<p>Dr. Jones</p>", "en-GB") == f"<p>Dr.{NBSP}Jones</p>"
    assert dress_title("Mr. Darcy", "en-US") == f"Mr.{NBSP}Darcy"
    code = "<pre><code>Dr. Jones https://example.com/a/b</code></pre>"
    assert dress(code, "en") == code
    assert dress("<p><code>p. 12</code> p. 12</p>", "en") == f"<p><code>p. 12</code> p.{NBSP}12</p>"


def test_addresses_get_break_opportunities_but_hrefs_do_not() -> None:
    out = dress(
        f'<p>See <a href="{URL.replace("&", "&amp;")}">{URL.replace("&", "&amp;")}</a>.</p>', "de"
    )
    href = re.search(r'href="([^"]+)"', out)
    assert href and BREAK not in href.group(1)
    assert '<span class="url">https://' + BREAK + "www" + BREAK + ".example" in out
    assert f"{BREAK}&amp;{BREAK}another{BREAK}={BREAK}parameter" in out
    assert out.endswith("</span></a>.</p>")  # the full stop after the address stays outside
    assert out.replace(BREAK, "").count(URL.replace("&", "&amp;")) == 2
    assert breakable_url("www.x.org") == f'<span class="url">www{BREAK}.x{BREAK}.org</span>'
    # dressing twice changes nothing more
    assert dress(out, "de") == out


def test_image_paragraphs_are_marked() -> None:
    assert mark_image_paragraphs('<p><img src="a" alt=""/></p>') == (
        '<p class="image"><img src="a" alt=""/></p>'
    )
    assert mark_image_paragraphs('<p id="x">\n<img src="a"/>\n</p>').startswith(
        '<p class="image" id="x">'
    )
    inline = '<p>An <img src="a"/> icon</p>'
    assert mark_image_paragraphs(inline) == inline


@pytest.fixture(scope="module")
def book_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typo") / "content"
    make_book(
        root,
        {
            "2020-01-01-addresses/index.md": (
                "---\ntitle: Mr. Bennet’s Addresses\n---\n"
                f"A link written as its address: <{URL}> in the middle of a sentence.\n\n"
                f"The address as plain text: {URL} and more words after it.\n\n"
                "J. R. R. Tolkien met Dr. Jones on p. 12 of No. 5.\n\n"
                "![A wide picture](wide.png)\n\n"
                + "Words to fill the page and give the lines a right edge to measure. "
                * 30
            ),
            "2020-01-01-addresses/comments/1.md": (
                f"---\nauthor: Reader\ndate: 2020-01-02\n---\nSee {URL} for details.\n"
            ),
        },
    )
    Image.new("RGB", (2000, 600), (90, 120, 160)).save(
        root / "posts" / "2020-01-01-addresses" / "wide.png"
    )
    return root


def test_the_epub_carries_them(book_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "typo.epub"
    write_epub(load_book(book_root), out)
    assert_epubcheck_clean(out)
    xhtml = epub_text(out, "EPUB/text/chapter-001.xhtml")
    assert (
        f"J.{NBSP}R.{NBSP}R.{NBSP}Tolkien met Dr.{NBSP}Jones on p.{NBSP}12 of No.{NBSP}5" in xhtml
    )
    assert f"Mr.{NBSP}Bennet’s Addresses</h1>" in xhtml
    assert xhtml.count('<span class="url">') == 3
    assert '<p class="image"><img' in xhtml


def _ink_columns(image: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """For each row with ink between ``top`` and ``bottom``: its leftmost and rightmost ink."""
    grey = image.convert("L")
    width = grey.width
    levels = grey.tobytes()  # a byte a pixel, row after row
    rows = []
    for y in range(top, bottom):
        xs = [x for x, level in enumerate(levels[y * width : (y + 1) * width]) if level < 160]
        if xs:
            rows.append((xs[0], xs[-1]))
    return rows


def test_long_addresses_stay_inside_the_text_block_in_print(
    book_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "typo.pdf"
    write_pdf(load_book(book_root), out)
    pdf = pdfium.PdfDocument(str(out))
    text_pages = 0
    for index in range(len(pdf)):
        page = pdf[index]
        if "https" not in page.get_textpage().get_text_range():
            continue
        text_pages += 1
        image = page.render(scale=100 / 72).to_pil()
        # the body of the page: below the running head, above the folio; a few pixels of
        # slack for glyphs that end past the measure (a hyphen, a full stop) at 100 dpi
        rows = _ink_columns(image, int(image.height * 0.1), int(image.height * 0.9))
        rights = sorted(r for _, r in rows)
        lefts = sorted(left for left, _ in rows)
        edge_right = rights[len(rights) * 3 // 4]  # justified lines end at the block's edge
        edge_left = lefts[len(lefts) // 4]
        assert rights[-1] <= edge_right + 6, f"page {index + 1}: ink {rights[-1]} > {edge_right}"
        assert lefts[0] >= edge_left - 6, f"page {index + 1}: ink {lefts[0]} < {edge_left}"
        # and that edge is inside the margin (the least: KDP's gutter, 0.375 in)
        assert edge_right <= image.width - 0.37 * 100
    assert text_pages >= 1


# dress looks once in the whole text for anything it could change, and skips the rest.
DRESS_TOKENS = [
    "word", " ", ". ", "J. ", "R. ", "Tolkien", "Dr. ", "Messrs. ", "Jones", "p. ", "No. ",
    "12", "3", "§ ", "¶ ", "–", "—", "10", "http://e.org/a", "https://e.org/b?c=d&amp;e",
    "www.", "x.org", "<p>", "</p>", "<code>", "</code>", "<pre>", "</pre>", '<span class="url">',
    "</span>", '<a href="https://e.org">', "</a>", "A", "b", "U.S.", "&amp;", ".", "x",
    '<p><img src="a.png" alt=""/></p>', "<em>", "</em>",
    # what would be dressed in text, inside a tag's attributes (never dressed there)
    '<a href="https://e.org/x" title="Dr. Jones, pp. 10–12, § 3">', '<abbr title="J. R. R.">',
    "</abbr>", '<img src="www.x.org/1—2.png" alt="No. 5"/>',
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(DRESS_TOKENS), max_size=30), st.sampled_from(["en", "fr"]))
def test_dress_skips_only_text_it_would_leave_as_it_is(tokens: list[str], language: str) -> None:
    xhtml = "".join(tokens)
    marked = mark_image_paragraphs(xhtml)
    assert dress(xhtml, language) == dress_text(marked, is_english(language))
