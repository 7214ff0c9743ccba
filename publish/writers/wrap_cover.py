"""The wrap-around cover for print-on-demand: back, spine and front on one sheet.

The sheet is two trim widths and the spine wide, one trim height high, and 0.125 in of
bleed on every side (``TrimBox`` the trimmed cover, ``BleedBox`` and ``MediaBox`` the
sheet). The spine's width is the page count times the paper's thickness (KDP's figures,
:mod:`publish.printspec`); its title and author are set only from 100 pages up, kept
0.0625 in from its folds. The front is the book's ``cover`` image, filling the front
and its bleed, or the generated cover (:mod:`publish.cover`) drawn for the front and its
bleed at 300 dpi (not the e-book's 1600 × 2560 px, scaled up); the back has the title,
the author and ``back_cover`` (else the ``description``), its lower right corner kept
clear for the barcode.
"""

from __future__ import annotations

import io
import logging
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from PIL import Image

from publish import printspec
from publish.cover import Bleed, cover_image, palette_for
from publish.errors import Diagnostics, PublishError, default_diagnostics
from publish.model import Book
from publish.render.book import book_view, build_moment, labels_for
from publish.render.markup import smart_text
from publish.render.templates import default_styles_dir, environment
from publish.writers.fetch import LocalOnlyFetcher, as_found, file_url
from publish.writers.output import atomic_output

TEMPLATE = "pdf/wrap_cover.html.j2"
SAFE_IN = 0.5  # text on the back this far inside the trim
PRINT_DPI = 300


@dataclass(frozen=True)
class Geometry:
    """The cover's measures in inches."""

    panel: float  # the trim width: back and front panels
    trim_height: float
    spine: float
    bleed: float = printspec.BLEED_IN
    safe: float = SAFE_IN

    @property
    def trim_width(self) -> float:
        return 2 * self.panel + self.spine

    @property
    def width(self) -> float:
        """The sheet, bleed included."""
        return self.trim_width + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed


def geometry(book: Book, pages: int, paper: str = "white") -> Geometry:
    width, height = printspec.trim_inches(book.pdf.trim)
    return Geometry(width, height, printspec.spine_width(pages, paper))


@dataclass(frozen=True)
class CoverResult:
    path: Path
    pages: int
    paper: str
    spine: float  # inches
    width: float  # the sheet, bleed included, in inches
    height: float
    spine_text: bool
    bytes: int


@dataclass(frozen=True)
class _Colours:
    ground: str
    ink: str


def _hex(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def _edge_colours(data: bytes) -> _Colours:
    """The colour along the image's left edge (for the spine and back), and an ink for it."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        strip = rgb.crop((0, 0, max(1, rgb.width // 50), rgb.height)).resize((1, 1))
        ground = tuple(int(v) for v in strip.getpixel((0, 0)))  # type: ignore[union-attr]
    luminance = 0.2126 * ground[0] + 0.7152 * ground[1] + 0.0722 * ground[2]
    ink = (30, 28, 26) if luminance > 140 else (246, 241, 230)
    return _Colours(_hex(ground), _hex(ink))


def front_pixels(g: Geometry, dpi: int = PRINT_DPI) -> tuple[tuple[int, int], Bleed]:
    """The generated front's size in pixels at ``dpi``: the front panel and its bleed
    (top, bottom and the fore edge; none at the spine's fold), and the bleed's share."""

    def px(inches: float) -> int:
        return math.ceil(inches * dpi - 1e-6)

    bleed = px(g.bleed)
    return (px(g.panel + g.bleed), px(g.height)), (0, bleed, bleed, bleed)


def _front(book: Book, folder: Path, g: Geometry) -> tuple[Path, bytes, bool]:
    """The front's image file, its bytes, and whether it is the book's own."""
    if book.cover is not None:
        return book.cover, book.cover.read_bytes(), True
    path = folder / "cover.png"
    data = cover_image(book, *front_pixels(g))
    path.write_bytes(data)
    return path, data, False


def _back_text(book: Book) -> list[str]:
    text = book.back_cover or book.description or ""
    return [smart_text(p.strip()) for p in text.split("\n\n") if p.strip()]


def write_cover_pdf(
    book: Book,
    path: str | Path,
    pages: int,
    paper: str = "white",
    diagnostics: Diagnostics | None = None,
) -> CoverResult:
    """Write the wrap-around cover of ``book`` for ``pages`` pages on ``paper``."""
    diagnostics = default_diagnostics(diagnostics)
    if pages < 1:
        raise PublishError("bad-value", f"a book of {pages} pages has no cover")
    try:
        g = geometry(book, pages, paper)
    except ValueError as error:
        raise PublishError("bad-value", str(error)) from None
    with tempfile.TemporaryDirectory(prefix="publish-cover-") as scratch:
        image, data, own = _front(book, Path(scratch), g)
        if own:
            colours = _edge_colours(data)
            with Image.open(io.BytesIO(data)) as opened:
                dpi = min(opened.width / (g.panel + g.bleed), opened.height / g.height)
            if dpi < PRINT_DPI:
                diagnostics.warn(
                    "low-resolution-image",
                    f"cover image is {dpi:.0f} dpi on the printed front: "
                    f"{PRINT_DPI} dpi needs {round(PRINT_DPI * (g.panel + g.bleed))} x "
                    f"{round(PRINT_DPI * g.height)} px",
                    image,
                )
        else:
            palette = palette_for(book)
            colours = _Colours(_hex(palette.ground), _hex(palette.ink))
        html = _html(book, g, colours, image, pages)
        roots = [default_styles_dir(), Path(scratch)] + ([book.root] if book.root else [])
        _render(html, roots, image.parent, path, diagnostics)
    final = Path(path)
    return CoverResult(
        path=final,
        pages=pages,
        paper=paper,
        spine=g.spine,
        width=g.width,
        height=g.height,
        spine_text=printspec.spine_has_text(pages),
        bytes=final.stat().st_size,
    )


def _html(book: Book, g: Geometry, colours: _Colours, image: Path, pages: int) -> str:
    labels = labels_for(book.language)
    view = book_view(book, build_moment())
    room = g.spine - 2 * printspec.SPINE_SAFETY_IN  # inches the spine text may take
    context: dict[str, Any] = {
        "book": view,
        "g": g,
        "colours": colours,
        # by a URL that does not name the folder it is in (a temporary one, or the
        # content folder): the PDF names the image after it, and must be the same each time
        "front": file_url(image, image.parent),
        "front_alt": labels["cover_alt"].format(title=view.title, author=view.author),
        # Not used by the default template any more (the front always fills its panel and
        # bleed); kept for a book's own copy of an earlier wrap_cover.html.j2, which reads it.
        "fit": "cover",
        "back_text": _back_text(book),
        "spine_text": printspec.spine_has_text(pages),
        "spine_font": round(max(4.0, min(14.0, room * 72 * 0.62)), 1),
    }
    return environment(book).get_template(TEMPLATE).render(**context)


def _render(
    html: str, roots: list[Path], front: Path, path: str | Path, diagnostics: Diagnostics
) -> None:
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage().splitlines()[0][:300])

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html,
            base_url=default_styles_dir().as_uri() + "/",
            url_fetcher=LocalOnlyFetcher(roots, front),
        ).render()
    finally:
        logger.removeHandler(handler)
    for message in messages:
        diagnostics.warn("pdf-layout", as_found(message, front))
    with atomic_output(path) as temp:
        document.write_pdf(temp)


def book_pages(book: Book, diagnostics: Diagnostics | None = None, **options: Any) -> int:
    """The book's page count, from laying it out (as ``write_pdf`` does)."""
    from publish.writers.pdf import write_pdf

    with tempfile.TemporaryDirectory(prefix="publish-pages-") as scratch:
        return write_pdf(book, Path(scratch) / "book.pdf", diagnostics, **options).pages
