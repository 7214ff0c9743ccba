"""The book-wide subset of a font: every glyph any chapter uses, at its original glyph id."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont


def subset_font(data: bytes, index: int, glyphs: set[int]) -> tuple[bytes, str]:
    """``data`` cut down to ``glyphs`` (ids kept), and its kind: "otf" (CFF) or "ttf"."""
    options = subset.Options(
        retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
        hinting=False, desubroutinize=False, notdef_outline=True,
    )  # fmt: skip
    options.layout_closure = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "SVG", "kern"]
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    result = out.getvalue()
    return result, "otf" if result[:4] == b"OTTO" else "ttf"


def subset_file(path: Path, index: int, glyphs: set[int]) -> tuple[bytes, str]:
    return subset_font(path.read_bytes(), index, glyphs)
