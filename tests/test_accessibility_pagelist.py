"""The print edition's pages in the EPUB: pagebreak markers where the PDF's pages start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from publish import load_book, write_epub, write_pdf
from publish.pagination import PageBreak, insert_page_breaks, paginate

from helpers import assert_epubcheck_clean, epub_names, epub_text, make_book, page_texts

pytestmark = pytest.mark.xdist_group("pdf")
NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
WORDS = (
    "Amid the long grass of the meadow stood an extraordinarily weatherbeaten signpost, "
    "its arms pointing nowhere in particular, and the travellers argued about it. "
)


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[PageBreak]]:
    """A book whose long paragraphs cross pages: its PDF, its EPUB with the PDF's pages."""
    tmp = tmp_path_factory.mktemp("pages")
    root = make_book(
        tmp / "content",
        {
            "2020-01-01-long.md": (
                "---\ntitle: A Long Walk\n---\n"
                + (WORDS * 14 + "An *emphasised* ending.\n\n") * 4
                + "- a list item\n- and another\n"
            ),
            "2020-01-02-next/index.md": "---\ntitle: The Next Post\n---\n" + WORDS * 40 + "\n",
            "2020-01-02-next/comments/1.md": (
                "---\nauthor: Reader\ndate: 2020-01-03\n---\n" + WORDS * 12 + "\n"
            ),
        },
    )
    book = load_book(root)
    breaks = paginate(book)
    pdf = tmp / "book.pdf"
    write_pdf(book, pdf)
    out = tmp / "book.epub"
    write_epub(book, out, page_breaks=breaks)
    return pdf, out, breaks


def test_epubcheck_clean(paged: tuple[Path, Path, list[PageBreak]]) -> None:
    assert_epubcheck_clean(paged[1])


def test_breaks_fall_inside_paragraphs_too(paged: tuple[Path, Path, list[PageBreak]]) -> None:
    breaks = paged[2]
    assert len(breaks) >= 5
    assert any(b.offset > 0 for b in breaks)  # a page that starts mid-paragraph
    labels = [int(b.label) for b in breaks]
    assert labels == sorted(labels) and len(set(labels)) == len(labels)


def _markers(epub: Path) -> list[tuple[str, str, str, str]]:
    """(label, id, text before, text after) for every pagebreak marker, in reading order."""
    found = []
    for name in sorted(n for n in epub_names(epub) if "/chapter-" in n):
        root = etree.fromstring(epub_text(epub, name).encode())
        body = root.find(".//h:body", NS)
        assert body is not None
        # the body's text in order, each marker standing in it as \x00label|id\x00
        parts: list[str] = []
        for el in body.iter():
            if el.get(f"{{{NS['epub']}}}type") == "pagebreak":
                assert el.get("role") == "doc-pagebreak" and el.get("id"), el.attrib
                parts.append(f"\x00{el.get('aria-label')}|{el.get('id')}\x00")
            else:
                parts.append(el.text or "")
            parts.append(el.tail or "")
        joined = "".join(parts)
        for match in re.finditer(r"\x00(\d+)\|([^\x00]+)\x00", joined):
            before = re.sub(r"\x00[^\x00]*\x00", "", joined[: match.start()])
            after = re.sub(r"\x00[^\x00]*\x00", "", joined[match.end() :])
            found.append((match.group(1), match.group(2), before, after))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


def test_each_marker_sits_where_its_print_page_starts(
    paged: tuple[Path, Path, list[PageBreak]],
) -> None:
    pdf, epub, breaks = paged
    texts = page_texts(PdfReader(pdf))
    markers = _markers(epub)
    assert [label for label, *_ in markers] == [b.label for b in breaks]
    for label, _, before, after in markers:
        page = " ".join(_words(texts[int(label) - 1]))
        previous = " ".join(_words(texts[int(label) - 2]))
        # the words just after the marker are on the page; those just before it, on the last
        following = " ".join(_words(after)[1:4])  # (the first may be hyphenated across pages)
        assert following in page, (label, following)
        preceding = " ".join(_words(before)[-3:-1])
        if preceding:
            assert preceding in previous or preceding in page.split(following)[0], (
                label,
                preceding,
            )


def test_page_list_and_metadata(paged: tuple[Path, Path, list[PageBreak]]) -> None:
    epub = paged[1]
    nav = etree.fromstring(epub_text(epub, "EPUB/nav.xhtml").encode())
    page_list = nav.find(".//h:nav[@epub:type='page-list']", NS)
    assert page_list is not None and page_list.get("hidden") == "hidden"
    links = [(a.text, a.get("href")) for a in page_list.iterfind(".//h:a", NS)]
    assert [text for text, _ in links] == [b.label for b in paged[2]]
    assert all(re.fullmatch(r"text/chapter-\d{3}\.xhtml#page-\d+", href or "") for _, href in links)
    opf = epub_text(epub, "EPUB/content.opf")
    assert re.search(r'<dc:source id="print-source">urn:uuid:', opf)
    assert '<meta refines="#print-source" property="source-of">pagination</meta>' in opf
    assert ">pageBreakMarkers<" in opf and ">pageNavigation<" in opf


def test_markers_at_the_start_of_a_list_item_and_mid_text() -> None:
    xhtml = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><section class="chapter" id="c">'
        "<ol><li><strong>Bold</strong> start</li></ol><p>One two <em>three</em> four</p>"
        "</section></body></html>"
    )
    root = etree.fromstring(xhtml)
    placed = insert_page_breaks(root, "c", [PageBreak("3", "c", 2, 0), PageBreak("4", "c", 4, 11)])
    assert placed == [("page-3", "3"), ("page-4", "4")]
    out = etree.tostring(root, encoding="unicode")
    assert '<li><span xmlns:ns0="http://www.idpf.org/2007/ops" ns0:type="pagebreak"' in out or (
        re.search(r"<li><span [^>]*aria-label=\"3\"/><strong>Bold", out)
    )
    # "One two three four": 11 non-space characters come before "four"
    assert re.search(r'<em>three</em> <span [^>]*aria-label="4"/>four</p>', out), out
    # a page that starts inside a word (hyphenated across pages) starts at that word
    root = etree.fromstring(xhtml)
    insert_page_breaks(root, "c", [PageBreak("5", "c", 4, 9)])
    out = etree.tostring(root, encoding="unicode")
    assert re.search(r'<em><span [^>]*aria-label="5"/>three</em>', out), out
