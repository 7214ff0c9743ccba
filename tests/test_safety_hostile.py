"""The hostile-content book (tests/hostile/content): one EPUB and one PDF built from all of it.

Script and handler injection in posts and comments, remote and ``file://`` images, CSS that
tries to hide text, malformed and deeply nested HTML, invalid Unicode, right-to-left and CJK
text, and a thread 200 replies deep. For each: the EPUB passes EPUBCheck, the PDF builds,
no script or handler reaches any output file, nothing is fetched (a loopback listener that
the content points at sees no connection), nothing of a file outside the book is read, and
the text of every post and comment survives (each carries a marker, QZnn).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile.support import (
    ACTIVE_PDF_NAMES,
    ACTIVE_TAGS,
    CANARY,
    PHOTO_SIZE,
    THREAD_DEPTH,
    Listener,
    PdfParts,
    epub_members,
    hostile_book,
    make_outside,
    pdf_parts,
)
from lxml import etree

from publish import Diagnostics, load_book, write_epub, write_pdf
from publish.render.markup import REMOVED_ATTRIBUTES, REMOVED_ELEMENTS

from helpers import assert_epubcheck_clean

pytestmark = pytest.mark.xdist_group("hostile")

XHTML = "{http://www.w3.org/1999/xhtml}"
# Every marker in the hostile posts and comments that is text (QZ05 is an input's value).
MARKERS = [
    *(f"QZ0{n}" for n in (1, 2, 3, 4, 6, 7, 8)),
    *(f"QZ1{n}" for n in range(1, 6)),
    *(f"QZ2{n}" for n in range(1, 9)),
    *(f"QZ3{n}" for n in range(1, 9)),
    *(f"QZ4{n}" for n in range(1, 7)),
    *(f"QZ5{n}" for n in range(1, 6)),
    "QZ61",
    "QZ62",
]
SCRIPTS = {
    "Hebrew": "שלום עולם",
    "Arabic": "مرحبا بالعالم",
    "Chinese": "你好，世界",
    "Japanese": "ひらがなとカタカナ",
    "Korean": "한국어 텍스트입니다",
}
# Elements and attributes that must never be in a chapter, and the URL schemes a link may use.
FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "object", "embed", "form", "input", "button",
                      "svg", "math", "meta", "base", "link", "video", "audio", "source",
                      "picture", "template", "noscript", "font"}  # fmt: skip
LINK_SCHEMES = re.compile(r"^(https?:|mailto:|#|[\w./-]+\.xhtml(#|$)|\.\./images/)", re.I)


@dataclass(frozen=True)
class Built:
    root: Path
    epub: Path
    pdf: Path
    pdf_pages: int
    diagnostics: Diagnostics
    connections: list[str]  # what reached the loopback listener during the builds


def _build(tmp: Path) -> Built:
    with Listener(lifetime=600) as listener:
        outside = make_outside(tmp / "outside")
        root = hostile_book(tmp / "content", listener.port, outside)
        diagnostics = Diagnostics()
        book = load_book(root, diagnostics)
        write_epub(book, tmp / "out" / "hostile.epub", diagnostics)
        pdf = write_pdf(book, tmp / "out" / "hostile.pdf", diagnostics)
        time.sleep(0.2)  # a connection still on its way would be counted
        connections = list(listener.connections)
    return Built(root, tmp / "out" / "hostile.epub", pdf.path, pdf.pages, diagnostics, connections)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Built once per test run, even when pytest-xdist spreads this module over workers."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with (shared / "hostile.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = shared / "hostile.pickle"
        if not saved.exists():
            saved.write_bytes(pickle.dumps(_build(shared / "hostile")))
        result: Built = pickle.loads(saved.read_bytes())
    return result


@pytest.fixture(scope="module")
def pdf(built: Built) -> PdfParts:
    return pdf_parts(built.pdf)


def chapters(epub: Path) -> dict[str, etree._Element]:
    return {
        name: etree.fromstring(data)  # also proves every chapter is well-formed XML
        for name, data in epub_members(epub).items()
        if name.endswith(".xhtml")
    }


def text_of(root: etree._Element) -> str:
    """All the text in ``root`` (lxml gives str; its stubs allow bytes too)."""
    return "".join(text for text in root.itertext() if isinstance(text, str))


def test_the_epub_passes_epubcheck(built: Built) -> None:
    assert_epubcheck_clean(built.epub)


def test_the_pdf_builds_with_every_post(built: Built, pdf: PdfParts) -> None:
    assert built.pdf_pages > 7
    for title in ("Script injection", "CSS that tries to hide text", "A thread 200 replies deep"):
        assert title in pdf.text


def test_nothing_was_fetched(built: Built) -> None:
    assert built.connections == []


def test_no_script_or_handler_in_any_epub_file(built: Built) -> None:
    for name, data in epub_members(built.epub).items():
        assert not ACTIVE_TAGS.search(data), f"{name}: {ACTIVE_TAGS.search(data)}"
    for name, root in chapters(built.epub).items():
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.removeprefix(XHTML)
            in_head = any(a.tag == f"{XHTML}head" for a in el.iterancestors())
            if not in_head:
                assert tag not in FORBIDDEN_ELEMENTS, f"{name}: <{tag}>"
            for attr, value in el.attrib.items():
                assert isinstance(attr, str) and isinstance(value, str)  # lxml's stubs: or bytes
                assert not attr.lower().startswith("on"), f"{name}: <{tag} {attr}>"
                assert attr != "style", f"{name}: <{tag} style>"
                if attr in ("href", "src") and not in_head:
                    assert LINK_SCHEMES.match(value), f"{name}: <{tag} {attr}={value!r}>"


def test_no_script_or_action_in_the_pdf(pdf: PdfParts) -> None:
    assert not (pdf.names & ACTIVE_PDF_NAMES), pdf.names & ACTIVE_PDF_NAMES
    for value in pdf.strings:
        assert not re.match(r"\s*(javascript|vbscript|data|file):", value, re.I), value
    for data in pdf.streams:
        assert b"javascript:" not in data.lower()


def test_nothing_of_the_outside_files_is_in_any_output(built: Built, pdf: PdfParts) -> None:
    canary = CANARY.encode()
    for name, data in epub_members(built.epub).items():
        assert canary not in data, name
    assert canary not in built.pdf.read_bytes()
    assert not any(canary in data for data in pdf.streams)
    assert CANARY not in pdf.text and not any(CANARY in s for s in pdf.strings)
    # The only image in the PDF is the one inside the book (the secret one is 7 x 5 pixels).
    assert pdf.images and set(pdf.images) == {PHOTO_SIZE}
    images = [n for n in epub_members(built.epub) if n.startswith("EPUB/images/")]
    [photo] = [n for n in images if "cover" not in n]
    assert photo.startswith("EPUB/images/") and photo.endswith("-photo.png")


def test_the_text_of_every_post_and_comment_survives(built: Built, pdf: PdfParts) -> None:
    text = "\n".join(text_of(root) for root in chapters(built.epub).values())
    missing = [m for m in MARKERS if m not in text]
    assert not missing, f"not in the EPUB: {missing}"
    flat = re.sub(r"\s+", " ", pdf.text)
    # Right-to-left runs (bdo, Hebrew paragraphs) may come out of the PDF in visual order.
    orders = {m: (m, m[::-1], m[2:] + m[:2]) for m in MARKERS}
    missing = [m for m in MARKERS if not any(o in flat for o in orders[m])]
    assert not missing, f"not in the PDF: {missing}"


def test_hidden_text_is_not_hidden(built: Built, pdf: PdfParts) -> None:
    (chapter,) = [r for r in chapters(built.epub).values() if "QZ21" in text_of(r)]
    body = chapter.find(f".//{XHTML}body")
    assert body is not None
    for el in body.iter():
        assert not {"style", "hidden", "aria-hidden"} & set(el.attrib), el.attrib
        assert not {"gone", "hidden", "sr-only"} & set(el.get("class", "").split())
    # and the PDF shows every line of it
    assert all(f"QZ2{n}" in pdf.text for n in range(1, 9))


def test_every_reply_of_the_deep_thread_is_in_both_books(built: Built, pdf: PdfParts) -> None:
    text = "\n".join(text_of(root) for root in chapters(built.epub).values())
    for n in range(THREAD_DEPTH):
        assert f"Reply {n}." in text
    flat = re.sub(r"\s+", " ", pdf.text)
    assert all(f"Reply {n}." in flat for n in range(THREAD_DEPTH))


def test_right_to_left_and_cjk_text(built: Built, pdf: PdfParts) -> None:
    text = "\n".join(text_of(root) for root in chapters(built.epub).values())
    for script, sample in SCRIPTS.items():
        assert sample in text, script
    assert "右から左へ" in text and "李小龍" in text
    # In the PDF, a script is either drawn (its text is there and no glyph is missing) or
    # the build warned that the fonts lack its glyphs (no CJK font on the machine, say): it
    # never fails, and it never draws boxes without saying so.
    flat = unicodedata.normalize("NFKC", pdf.text)
    missing = " ".join(
        d.message for d in built.diagnostics.warnings if "unsupported by fonts" in d.message
    )
    for script, sample in SCRIPTS.items():
        letters = [c for c in sample if c.isalpha()]
        if not any(c in missing for c in letters):
            assert all(unicodedata.normalize("NFKC", c) in flat for c in letters), script
    # Hebrew and Arabic are drawn: the book's fallback fonts (DejaVu) have them.
    assert not any(c.isalpha() and c in missing for c in SCRIPTS["Hebrew"] + SCRIPTS["Arabic"])


def test_what_was_left_out_is_reported(built: Built) -> None:
    warnings = built.diagnostics.warnings
    codes = {w.code for w in warnings}
    assert {"remote-image", "image-no-address", "too-deep", "dead-link"} <= codes
    remote = [w for w in warnings if w.code == "remote-image"]
    assert all(w.file and w.file.name == "index.md" and w.line for w in remote)
    assert any("pixel.png" in w.message and "fetching" in str(w.file) for w in remote)
    deep = {w.file.name if w.file else "" for w in warnings if w.code == "too-deep"}
    assert {"index.md", "0001.md"} <= deep  # 300 divs in the post, 300 lists in a comment
    assert built.diagnostics.counters[REMOVED_ELEMENTS] >= 40
    assert built.diagnostics.counters[REMOVED_ATTRIBUTES] >= 20
