"""Dot leaders as one run of text: a contents line's dots drawn once, not once a dot.

WeasyPrint 70 fills a ``leader()`` (the dots between a contents entry and its page
number, styles/print.css) with one copy of the leader's text box for each repetition:
some 35 boxes a line, each one gathered, laid out and drawn on its own, its Pango layout
made again to draw it. In the contents of a 1,000-post book that was about 4 s of the
front matter's 10 s, twice over (its length is found first, then it is laid out again
with the chapters' page numbers), with the workers idle.

:func:`merged` lets WeasyPrint place the repetitions as it does, then puts one text box
in their place: the leader's text that many times, where the first of them began. The
dots stay where they were (Pango's advance of the text repeated is checked to be the
repetitions' width; otherwise the copies stay). A leader whose spaces would be set apart
(word or letter spacing, justification) keeps its copies too: the spaces inside one run
are spaced unlike the spaces at the ends of separate boxes.
"""

from __future__ import annotations

import functools
import inspect
import itertools
from typing import Any

import weasyprint.layout.inline as inline
from weasyprint.formatting_structure import boxes

try:  # WeasyPrint 70's; another keeps its own leaders (see install)
    from weasyprint.layout.leader import leader_index
    from weasyprint.text.line_break import create_layout, line_size
except ImportError:  # pragma: no cover - a WeasyPrint this was not written for
    leader_index = create_layout = line_size = None

TOLERANCE = 0.01  # points the repeated text's advance may differ from its copies' width
_LAYOUT = ["text", "style", "context", "max_width", "justification_spacing"]
_installed: bool | None = None  # None: not tried yet


def fits() -> bool:
    """Whether this WeasyPrint has what :func:`merged` uses, as it uses it."""
    if leader_index is None or create_layout is None or line_size is None:
        return False
    if not callable(getattr(inline, "handle_leader", None)):
        return False
    return list(inspect.signature(create_layout).parameters) == _LAYOUT


def install() -> bool:
    """Wrap WeasyPrint's leader handling (once, when it fits); whether it is in place."""
    global _installed
    if _installed is None:
        _installed = fits()
        if _installed:
            inline.handle_leader = _wrap(inline.handle_leader)
    return _installed


def _wrap(original: Any) -> Any:
    @functools.wraps(original)
    def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
        # Every line of the book comes here; WeasyPrint's own does nothing to a line
        # without a leader, and is asked only for one with a leader (then it looks too).
        _, leader = leader_index(line)
        if leader is not None:
            original(context, line, containing_block)
            merged(context, leader)

    return handle_leader


def merged(context: Any, leader: Any) -> None:
    """Replace ``leader``'s copies of one text box by one box of the text repeated."""
    copies = leader.children
    if len(copies) < 2 or not all(type(box) is boxes.TextBox for box in copies):
        return
    first = copies[-1]  # WeasyPrint places them from the right
    style, text, width = first.style, first.text, first.width
    if any(box.text != text or box.style is not style or box.width != width for box in copies):
        return
    if first.justification_spacing or style["word_spacing"] or style["letter_spacing"] != "normal":
        return
    places = sorted(box.position_x for box in copies)
    if any(abs(b - a - width) > TOLERANCE for a, b in itertools.pairwise(places)):
        return  # not one unbroken run
    repeated = text * len(copies)
    layout = create_layout(repeated, style, context, None, 0)
    line, _ = layout.get_first_line()
    advance, _ = line_size(line, style)
    if abs(advance - width * len(copies)) > TOLERANCE:
        return  # the text repeated is shaped otherwise (kerning between repetitions)
    layout.deactivate()  # as WeasyPrint leaves its layouts until they are drawn
    box = first.copy_with_text(repeated)
    box.pango_layout = layout
    box.position_x = places[0]
    box.width = width * len(copies)
    leader.children = (box,)
