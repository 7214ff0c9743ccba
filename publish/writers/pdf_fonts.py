"""The book-wide subset of a font: every glyph any chapter uses, at its original glyph id.

HarfBuzz's subsetter (the one WeasyPrint itself uses, through WeasyPrint's own bindings)
does it in a fraction of a second; fontTools is the fallback.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont

_EXTRA_DECLARATIONS = """
hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode,
                            void *user_data, void *destroy);
hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
"""
_HB_MEMORY_MODE_DUPLICATE = 0
# As WeasyPrint drops them: the PDF needs outlines and metrics, not layout tables.
_DROP_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)


def _harfbuzz() -> tuple[Any, Any, Any] | None:
    try:
        from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    except ImportError:  # pragma: no cover - WeasyPrint without HarfBuzz bindings
        return None
    if harfbuzz_subset is None:  # pragma: no cover
        return None
    with contextlib.suppress(Exception):  # already declared (earlier, or by WeasyPrint)
        ffi.cdef(_EXTRA_DECLARATIONS)
    return ffi, harfbuzz, harfbuzz_subset


def _subset_harfbuzz(data: bytes, index: int, glyphs: set[int]) -> bytes | None:
    found = _harfbuzz()
    if found is None:
        return None
    ffi, hb, hbs = found
    try:
        blob = ffi.gc(
            hb.hb_blob_create(data, len(data), _HB_MEMORY_MODE_DUPLICATE, ffi.NULL, ffi.NULL),
            hb.hb_blob_destroy,
        )
        face = ffi.gc(hb.hb_face_create(blob, index), hb.hb_face_destroy)
        request = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
        ids = sorted(glyphs)
        hb.hb_set_add_sorted_array(
            hbs.hb_subset_input_glyph_set(request),
            ffi.new(f"hb_codepoint_t[{len(ids)}]", ids),
            len(ids),
        )
        hbs.hb_subset_input_set_flags(
            request,
            hbs.HB_SUBSET_FLAGS_RETAIN_GIDS
            | hbs.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
            | hbs.HB_SUBSET_FLAGS_NO_HINTING
            | hbs.HB_SUBSET_FLAGS_NOTDEF_OUTLINE,
        )
        drop = [hb.hb_tag_from_string(tag, -1) for tag in _DROP_TABLES]
        hb.hb_set_add_sorted_array(
            hbs.hb_subset_input_set(request, hbs.HB_SUBSET_SETS_DROP_TABLE_TAG),
            ffi.new(f"hb_codepoint_t[{len(drop)}]", sorted(drop)),
            len(drop),
        )
        result = hbs.hb_subset_or_fail(face, request)
        if result == ffi.NULL:
            return None
        result = ffi.gc(result, hb.hb_face_destroy)
        out = ffi.gc(hb.hb_face_reference_blob(result), hb.hb_blob_destroy)
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(out, length)
        return bytes(ffi.buffer(pointer, length[0])) if length[0] else None
    except (AttributeError, TypeError):  # pragma: no cover - bindings not as expected
        return None


def _subset_fonttools(data: bytes, index: int, glyphs: set[int]) -> bytes:
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
    return out.getvalue()


def subset_font(data: bytes, index: int, glyphs: set[int]) -> tuple[bytes, str]:
    """``data`` cut down to ``glyphs`` (ids kept), and its kind: "otf" (CFF) or "ttf"."""
    result = _subset_harfbuzz(data, index, glyphs) or _subset_fonttools(data, index, glyphs)
    return result, "otf" if result[:4] == b"OTTO" else "ttf"


def subset_file(path: Path, index: int, glyphs: set[int]) -> tuple[bytes, str]:
    return subset_font(path.read_bytes(), index, glyphs)
