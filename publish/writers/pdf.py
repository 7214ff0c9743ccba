"""The PDF writer: the book's HTML laid out by WeasyPrint.

Paged-media CSS (``styles/print.css``) does the book-making: trim size, mirrored margins,
right-hand chapter openings, running heads, folios, the contents' page numbers
(``target-counter``) and bookmarks. Fonts are subset and embedded by WeasyPrint.

By default each chapter is its own WeasyPrint document, laid out in parallel and joined
(:mod:`publish.writers.pdf_book`); the whole book as one document remains available as
the reference (``single_document=True``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import weasyprint

from publish.assembly import Chapter, assemble
from publish.errors import Diagnostics, default_diagnostics
from publish.model import Book
from publish.render.book import book_view, build_moment, labels_for
from publish.render.chapters import ChapterRenderer
from publish.render.templates import default_styles_dir, environment, stylesheets
from publish.writers.fetch import LocalOnlyFetcher
from publish.writers.output import atomic_output
from publish.writers.pdf_book import build_chaptered
from publish.writers.pdf_cache import PdfCache, environment_key
from publish.writers.pdf_html import DocumentMaker
from publish.writers.pdf_worker import RenderSettings

PDF_STYLES = ("book.css", "print.css")
# The build date in the chapters' documents, where the front matter is there but hidden.
FIXED_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


class PdfTarget:
    """Links and images inside the one PDF document."""

    def chapter_href(self, chapter: Chapter, fragment: str | None) -> str:
        return f"#{fragment or chapter.id}"

    def image_href(self, source: Path) -> str:
        return source.as_uri()


@dataclass(frozen=True)
class PdfResult:
    path: Path
    chapters: int
    pages: int
    bytes: int


def _context(book: Book, moment: datetime | None = None) -> dict[str, Any]:
    """What ``pdf/book.html.j2`` sees, but for the chapters."""
    return {
        "book": book_view(book, moment or build_moment()),
        "labels": labels_for(book.language),
        "epub": False,
        "stylesheets": [p.as_uri() for p in stylesheets(book, PDF_STYLES)],
        "pdf": book.pdf,
    }


def render_html(book: Book, diagnostics: Diagnostics) -> tuple[str, int]:
    """The book as one HTML document for WeasyPrint, and its number of chapters."""
    plan = assemble(book)
    chapters = ChapterRenderer(plan, PdfTarget(), diagnostics).render_all()
    html = (
        environment(book)
        .get_template("pdf/book.html.j2")
        .render(**_context(book), chapters=chapters, href=lambda ch: f"#{ch.id}")
    )
    return html, len(chapters)


class _CollectWarnings(logging.Handler):
    """WeasyPrint reports what it could not do through logging: collect it as ours."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0][:300])


def _settings(book: Book) -> RenderSettings:
    roots = (default_styles_dir(),) + ((book.root,) if book.root is not None else ())
    base = (book.root or default_styles_dir()).as_uri() + "/"
    return RenderSettings(roots=roots, base_url=base, fonts_dir=Path())


def _write_single(book: Book, temp: Path, diagnostics: Diagnostics) -> tuple[int, int]:
    """The reference build: the whole book as one WeasyPrint document."""
    html, chapter_count = render_html(book, diagnostics)
    settings = _settings(book)
    fetcher = LocalOnlyFetcher(list(settings.roots))
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html, base_url=settings.base_url, url_fetcher=fetcher
        ).render()
    finally:
        logger.removeHandler(handler)
    for message in handler.messages:
        diagnostics.warn("pdf-layout", message)
    document.write_pdf(temp)
    return chapter_count, len(document.pages)


def _cache(book: Book, folder: str | Path | None) -> PdfCache | None:
    """The book's part of the cache folder (books sharing a folder keep apart)."""
    if folder is None:
        return None
    mine = [book.root / "styles", book.root / "templates"] if book.root is not None else []
    code = Path(__file__).resolve().parent.parent  # the package: renderer, templates
    name = hashlib.sha256(f"{book.root}:{book.title}".encode()).hexdigest()[:16]
    return PdfCache(
        Path(folder) / "pdf" / name, environment_key([default_styles_dir(), code, *mine])
    )


def write_pdf(
    book: Book,
    path: str | Path,
    diagnostics: Diagnostics | None = None,
    *,
    workers: int | None = None,
    single_document: bool = False,
    progress: bool | None = None,
    cache: str | Path | None = None,
) -> PdfResult:
    """Write ``book`` as a print-ready PDF at ``path`` (atomically).

    By default every chapter is laid out as its own document in ``workers`` processes (all
    the machine's cores when None) and the pieces are joined; ``single_document=True``
    lays the whole book out as one document instead (slower, memory grows with the book;
    the reference the chaptered build is tested against). ``progress`` shows a progress
    bar on standard error (None: when it is a terminal and the build takes over a second).
    ``cache`` is a folder (``build/cache``, say) where laid-out chapters are kept between
    builds, so that after an edit only what changed is laid out again (chaptered builds).
    """
    diagnostics = default_diagnostics(diagnostics)
    with atomic_output(path) as temp:
        if single_document:
            chapter_count, pages = _write_single(book, temp, diagnostics)
        else:
            plan = assemble(book)
            renderer = ChapterRenderer(plan, PdfTarget(), diagnostics)
            maker = DocumentMaker(environment(book), _context(book), _context(book, FIXED_MOMENT))
            pages = build_chaptered(
                plan,
                maker,
                renderer,
                _settings(book),
                temp,
                diagnostics,
                workers=workers,
                progress=progress,
                cache=_cache(book, cache),
            )
            chapter_count = len(plan.chapters)
    final = Path(path)
    return PdfResult(path=final, chapters=chapter_count, pages=pages, bytes=final.stat().st_size)
