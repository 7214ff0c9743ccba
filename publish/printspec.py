"""The print edition's numbers: lengths, the gutter table, bleed, spine width, PDF variants.

The figures are Amazon KDP's published print requirements (Lulu and IngramSpark ask for
the same or less): a bleed of 0.125 in; outside margins (top, bottom, outside edge) of at
least 0.25 in, 0.375 in with bleed; an inside margin (the gutter) that grows with the page
count; a spine 0.002252 in a page on white paper and 0.0025 in on cream; no spine text
under 100 pages, and spine text kept 0.0625 in from the spine's folds.
"""

from __future__ import annotations

import re

BLEED_IN = 0.125
MIN_OUTSIDE_IN = 0.25
MIN_OUTSIDE_BLEED_IN = 0.375
# (up to this many pages, inside margin in inches); longer books get GUTTER_MAX_IN.
GUTTER_TABLE = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75))
GUTTER_MAX_IN = 0.875
PAPER_IN_PER_PAGE = {"white": 0.002252, "cream": 0.0025}
SPINE_TEXT_MIN_PAGES = 100
SPINE_SAFETY_IN = 0.0625
# The variants of WeasyPrint's `pdf_variant` this project offers (and tests); WeasyPrint
# writes their metadata (XMP, output intent, PDF/X keys, tags for PDF/UA) itself.
VARIANTS = (
    "pdf/a-2b",
    "pdf/a-2u",
    "pdf/a-3b",
    "pdf/a-3u",
    "pdf/ua-1",
    "pdf/x-1a",
    "pdf/x-3",
    "pdf/x-4",
)

_UNITS = {"in": 1.0, "mm": 1 / 25.4, "cm": 1 / 2.54, "pt": 1 / 72, "px": 1 / 96}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt|px)\s*$")
# CSS page size keywords WeasyPrint knows, as (width, height) in inches.
_NAMED_SIZES = {
    "a5": (148 / 25.4, 210 / 25.4),
    "a4": (210 / 25.4, 297 / 25.4),
    "letter": (8.5, 11.0),
}


def inches(length: str) -> float:
    """A CSS length such as ``0.75in``, ``19mm`` or ``54pt`` in inches."""
    match = _LENGTH.match(length)
    if match is None:
        raise ValueError(f"not a length: {length!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def trim_inches(trim: str) -> tuple[float, float]:
    """A page size as the template writes it (``6in 9in``, ``148mm 210mm``, ``A5``)."""
    named = _NAMED_SIZES.get(trim.strip().lower())
    if named is not None:
        return named
    width, height = trim.split()
    return inches(width), inches(height)


def kdp_gutter(pages: int) -> float:
    """The least inside margin, in inches, for a book of ``pages`` pages (KDP's table)."""
    for most, gutter in GUTTER_TABLE:
        if pages <= most:
            return gutter
    return GUTTER_MAX_IN


def gutter(pages: int, own: str | None) -> str:
    """The inside margin to use: the table's, or the book's own when that is larger."""
    table = kdp_gutter(pages)
    if own is not None and inches(own) > table:
        return own
    return f"{table:g}in"


def spine_width(pages: int, paper: str = "white") -> float:
    """The spine's width in inches for ``pages`` pages on ``paper`` (white or cream)."""
    if paper not in PAPER_IN_PER_PAGE:
        raise ValueError(f"paper must be one of {', '.join(PAPER_IN_PER_PAGE)}, not {paper!r}")
    return pages * PAPER_IN_PER_PAGE[paper]


def spine_has_text(pages: int) -> bool:
    return pages >= SPINE_TEXT_MIN_PAGES
