"""A document's PDF written for the join: none of the work the join throws away.

Every document of the chaptered build (:mod:`publish.writers.pdf_book`) is written by
WeasyPrint and then joined into the book (:mod:`publish.writers.pdf_merge`), which
replaces each font's program with one subset of the original font for the whole book.
WeasyPrint 70 meanwhile subsets every font of every document with HarfBuzz, and deflates
the subset and each page's content at zlib's level 9.

While :func:`for_join` is in force (around ``write_pdf`` in a worker):

- an outline font's program is not made: ``Font.clean`` (the subset, and the static
  instance of a variable font) leaves only its first four bytes, which tell its kind.
  Its dictionaries, widths and text map are written as before; the join reads only
  those. A bitmap font (a Type 3 font, which the join copies as it is) is left alone;
- streams are deflated at level 7, not 9: four tenths of the time, for 1% more bytes of
  page content (the join copies them as they are).

Measured on 20 documents of the 100-post book (best of six each), a page took 2.5% less
time. With level 9 the book is byte for byte what it was.

Both are put in force only when the source of the code they change the workings of is
the one this was written from (WeasyPrint 70, pydyf 0.13); else WeasyPrint writes the
document as it would. A document written so is not a PDF to show on its own: its text
has no font program until the join gives it the book's.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from typing import Any

from publish.writers import weasy_source

try:  # WeasyPrint 70's; another writes its documents whole (see fits)
    import pydyf
    from weasyprint.pdf import fonts
except ImportError:  # pragma: no cover - a WeasyPrint this was not written for
    pydyf = fonts = None

LEVEL = 7  # zlib's level for a document's streams (pydyf's own is 9)
# SHA-256 of the source of pydyf's Stream.data, which deflates with zlib.compressobj
# (the only call the level is changed for).
STREAM_SOURCE = "bdc2bc513f286de7b7a7220a43e6085daa6ed0056d9c04e3c9b5abe40f3ecf81"
# SHA-256 of the source of WeasyPrint 70's Font.clean, Font.subset and
# build_fonts_dictionary: clean and subset change only the font's program, which
# build_fonts_dictionary embeds (and reads the type and length of) and nothing else does.
FONT_SOURCE = "8a2540b5b9ec467d3af13c5a3c33a77eb045f5937fde41be5ec9ca7b1a41cf46"


def _stream_code() -> tuple[Any, ...]:
    return (pydyf.Stream.data.fget,)


def _font_code() -> tuple[Any, ...]:
    return (fonts.Font.clean, fonts.Font.subset, fonts.build_fonts_dictionary)


def source_digests() -> tuple[str, str]:
    """The digests :data:`STREAM_SOURCE` and :data:`FONT_SOURCE` are compared with."""
    return weasy_source.digest(*_stream_code()), weasy_source.digest(*_font_code())


def fits() -> tuple[bool, bool]:
    """Whether this pydyf's streams, and this WeasyPrint's fonts, are the ones
    :func:`for_join` was written for."""
    if pydyf is None or fonts is None:
        return False, False
    return (
        weasy_source.matches(STREAM_SOURCE, *_stream_code()),
        weasy_source.matches(FONT_SOURCE, *_font_code()),
    )


class _Deflate:
    """The zlib pydyf sees while a document is written for the join."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = -1) -> Any:
        return zlib.compressobj(LEVEL)


def _no_program(font: Any, to_unicode: Any, hinting: Any) -> None:
    """``Font.clean`` for the join: of the font's program only the tag that tells its
    kind is kept (WeasyPrint writes a CFF font's dictionaries as it does a TrueType's
    otherwise). The join embeds the book's subset of the original, which the worker
    keeps (``pdf_worker._keep_fonts``)."""
    font.file_content = font.file_content[:4]


_fits: tuple[bool, bool] | None = None


@contextlib.contextmanager
def for_join() -> Iterator[None]:
    """Within the block, WeasyPrint writes documents for the join (see above)."""
    global _fits
    if _fits is None:
        _fits = fits()
    streams, programs = _fits
    saved_zlib = pydyf.zlib if streams else None
    saved_clean = fonts.Font.clean if programs else None
    try:
        if streams:
            pydyf.zlib = _Deflate
        if programs:
            fonts.Font.clean = _no_program
        yield
    finally:
        if saved_zlib is not None:
            pydyf.zlib = saved_zlib
        if saved_clean is not None:
            fonts.Font.clean = saved_clean
