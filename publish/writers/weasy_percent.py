"""A box's used margins, paddings and sizes worked out in one function, not forty calls.

WeasyPrint 70's ``resolve_percentages`` runs for every box each time it is laid out (and
a paragraph is laid out again for every page it is tried on): thirteen calls of
``resolve_one_percentage``, each calling ``percentage`` to read one property and set one
attribute. In a 100-post book that is 89,000 boxes and 1.2 million calls, some 10% of a
page's time, nearly all of it the calls themselves.

:func:`resolve_percentages` does the same in one function: each length in pixels or
percent is worked out in place, by the same arithmetic in the same order, and anything
else (``auto``, ``calc()``, another unit) goes through WeasyPrint's own ``percentage``.
The PDFs are byte for byte the same.

:func:`install` puts it in place of WeasyPrint's in every module that imported it, and
only when the source of the functions it does the work of is the one it was written from
(WeasyPrint 70); another WeasyPrint keeps its own.
"""

from __future__ import annotations

import sys
from math import inf
from typing import Any

from publish.writers import weasy_source

try:  # WeasyPrint 70's; another keeps its own (see install)
    from weasyprint.css.functions import check_math
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent
except ImportError:  # pragma: no cover - a WeasyPrint this was not written for
    percent = None

# SHA-256 of the source of resolve_percentages, resolve_one_percentage and percentage in
# WeasyPrint 70, the code resolve_percentages does the work of.
SOURCES = "ac96ed658a1c56e6ffa02db573c3f586d1e1cd9737d217b697cfb6959ccb4982"
_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")
_installed: bool | None = None  # None: not tried yet
_original: Any = None


def _replaced() -> tuple[Any, ...]:
    """WeasyPrint's functions :func:`resolve_percentages` does the work of."""
    own = _original or percent.resolve_percentages
    return (own, percent.resolve_one_percentage, percent.percentage)


def source_digest() -> str:
    """The digest :data:`SOURCES` is compared with: of this WeasyPrint's code."""
    return weasy_source.digest(*_replaced())


def fits() -> bool:
    """Whether this WeasyPrint's function is the one :func:`resolve_percentages` does."""
    if percent is None:
        return False
    return weasy_source.matches(SOURCES, *_replaced())


def install() -> bool:
    """Replace ``resolve_percentages`` wherever WeasyPrint imported it (once, when it
    fits); whether it is in place."""
    global _installed, _original
    if _installed is None:
        _installed = fits()
        if _installed:
            _original = percent.resolve_percentages
            for name, module in list(sys.modules.items()):
                if name.startswith("weasyprint") and (
                    getattr(module, "resolve_percentages", None) is _original
                ):
                    module.resolve_percentages = resolve_percentages  # type: ignore[attr-defined]
    return _installed


def _used(value: Any, style: Any, refer_to: Any) -> Any:
    """``percentage(value, style, refer_to)``, lengths in pixels and percent worked out
    here, as it works them out."""
    unit = getattr(value, "unit", None)
    if unit == "px":
        return value.value
    if unit == "%":
        return refer_to * value.value / 100
    return percent.percentage(value, style, refer_to)


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """WeasyPrint's ``resolve_percentages``: the used values set on ``box``."""
    if isinstance(containing_block, boxes.Box):
        cb_width = containing_block.width
        cb_height = containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, maybe_height)
    box.margin_bottom = _used(style["margin_bottom"], style, maybe_height)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, maybe_height)
    box.padding_bottom = _used(style["padding_bottom"], style, maybe_height)
    box.width = _used(style["width"], style, cb_width)
    min_width = _used(style["min_width"], style, cb_width)
    box.min_width = 0 if min_width == "auto" else min_width
    box.max_width = _used(style["max_width"], style, cb_width)

    if cb_height == "auto":
        # The containing block's height depends on its content.
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        min_height = _used(style["min_height"], style, 0)
        box.min_height = 0 if min_height == "auto" else min_height
        box.max_height = _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        min_height = _used(style["min_height"], style, cb_height)
        box.min_height = 0 if min_height == "auto" else min_height
        box.max_height = _used(style["max_height"], style, cb_height)

    collapse = style["border_collapse"] == "collapse"
    for prop in _BORDERS:  # border widths collapsed already stay as they were made
        if not (collapse and hasattr(box, prop)):
            setattr(box, prop, style[prop])

    percent.adjust_box_sizing(box, "width")
    percent.adjust_box_sizing(box, "height")
