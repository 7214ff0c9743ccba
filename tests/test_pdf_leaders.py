"""Dot leaders set as one run of text (publish/writers/weasy_leaders.py): the same page.

WeasyPrint fills a ``leader()`` with one text box a repetition; publish puts one box of
the text repeated in their place. Every character must be where WeasyPrint's own layout
puts it (within a hundredth of a point or so: the copies are placed from the right, the
run's glyphs from its start), and a leader whose spaces are set apart (letter spacing)
must keep WeasyPrint's copies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import weasyprint
import weasyprint.layout.inline as inline
from weasyprint.formatting_structure import boxes

from publish.writers import weasy_fixes, weasy_leaders

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
ENTRIES = [
    ("A short one", 7),
    ("A title long enough to run well past the middle of the line it sits on", 13),
    ("Letters", 121),
    ("Of the river, the mill, and the letters readers sent by post and by hand", 1009),
]


def _html(spacing: str = "normal") -> str:
    items = "".join(
        f'<li><a href="#c{n}">{title}</a><span id="c{n}" style="counter-reset: page {page}">'
        "</span></li>"
        for n, (title, page) in enumerate(ENTRIES)
    )
    return f"""<!DOCTYPE html><html lang="en"><head><style>
      @font-face {{ font-family: Book; src: url({(FONTS / "LinLibertine_R.otf").as_uri()}); }}
      @page {{ size: 5in 4in; margin: 0.5in; }}
      body {{ font: 11pt/1.4 Book; }}
      a {{ display: block; color: black; text-decoration: none; }}
      a::after {{ content: leader(". ") "{{page}}"; letter-spacing: {spacing}; }}
      li {{ list-style: none; }}
    </style></head><body><ol>{items}</ol></body></html>"""


def _leaders(document: Any) -> list[Any]:
    found = []
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "is_leader", False):
                found.append(box)
            if isinstance(box, boxes.ParentBox):
                stack.extend(box.children)
    return found


def _characters(pdf: bytes) -> list[tuple[str, tuple[float, ...]]]:
    """Every character drawn, with its box on the page (points), as PDFium reads them."""
    found = []
    for page in pdfium.PdfDocument(pdf):
        text = page.get_textpage()
        for i in range(text.count_chars()):
            character = text.get_text_range(i, 1)
            if character.strip():
                found.append((character, tuple(text.get_charbox(i))))
    return found


def _lay_out(html: str) -> tuple[Any, bytes]:
    document = weasyprint.HTML(string=html).render()
    return document, document.write_pdf()


@pytest.fixture
def own_leaders(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A switch back to WeasyPrint's own leaders (one text box a repetition)."""
    assert weasy_fixes.install()
    assert weasy_leaders.install()
    patched = inline.handle_leader
    original = patched.__wrapped__

    def use(own: bool) -> None:
        monkeypatch.setattr(inline, "handle_leader", original if own else patched)

    return use


def test_a_leader_is_one_run_and_the_page_is_the_same(own_leaders: Any) -> None:
    own_leaders(True)
    own_document, own_pdf = _lay_out(_html())
    own_leaders(False)
    document, pdf = _lay_out(_html())
    leaders = _leaders(document)
    assert len(leaders) == len(ENTRIES)
    assert all(len(leader.children) == 1 for leader in leaders)
    assert all(set(leader.children[0].text) == {".", " "} for leader in leaders)
    copies = [len(leader.children) for leader in _leaders(own_document)]
    assert min(copies) > 5  # WeasyPrint's own: a box a repetition
    runs = [len(leader.children[0].text) // 2 for leader in leaders]
    assert runs == copies  # as many dots as before
    drawn, own = _characters(pdf), _characters(own_pdf)
    assert [c for c, _ in drawn] == [c for c, _ in own]
    assert sum(c == "." for c, _ in drawn) >= sum(copies)
    pairs = zip(drawn, own, strict=True)
    moved = max(abs(a - b) for (_, box), (_, was) in pairs for a, b in zip(box, was, strict=True))
    assert moved < 0.05


def test_a_letter_spaced_leader_keeps_its_copies(own_leaders: Any) -> None:
    own_leaders(False)
    document, _ = _lay_out(_html(spacing="0.1em"))
    assert all(len(leader.children) > 5 for leader in _leaders(document))


def test_it_fits_this_weasyprint() -> None:
    """A WeasyPrint whose leader code differs keeps its own leaders; this one must fit."""
    assert weasy_leaders.fits()
