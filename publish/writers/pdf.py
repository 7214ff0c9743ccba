"""The PDF writer: the whole book as one HTML document, laid out by WeasyPrint.

Paged-media CSS (``styles/print.css``) does the book-making: trim size, mirrored margins,
right-hand chapter openings, running heads, folios, the contents' page numbers
(``target-counter``) and bookmarks. Fonts are subset and embedded by WeasyPrint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from publish.assembly import Chapter, assemble
from publish.errors import Diagnostics, default_diagnostics
from publish.model import Book
from publish.render.book import book_view, build_moment, labels_for
from publish.render.chapters import ChapterRenderer
from publish.render.templates import default_styles_dir, environment, stylesheets
from publish.writers.fetch import LocalOnlyFetcher
from publish.writers.output import atomic_output

PDF_STYLES = ("book.css", "print.css")


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


def render_html(book: Book, diagnostics: Diagnostics) -> tuple[str, int]:
    """The book as one HTML document for WeasyPrint, and its number of chapters."""
    plan = assemble(book)
    chapters = ChapterRenderer(plan, PdfTarget(), diagnostics).render_all()
    html = (
        environment(book)
        .get_template("pdf/book.html.j2")
        .render(
            book=book_view(book, build_moment()),
            labels=labels_for(book.language),
            epub=False,
            chapters=chapters,
            href=lambda ch: f"#{ch.id}",
            stylesheets=[p.as_uri() for p in stylesheets(book, PDF_STYLES)],
            pdf=book.pdf,
        )
    )
    return html, len(chapters)


class _CollectWarnings(logging.Handler):
    """WeasyPrint reports what it could not do through logging: collect it as ours."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0][:300])


def write_pdf(book: Book, path: str | Path, diagnostics: Diagnostics | None = None) -> PdfResult:
    """Write ``book`` as a print-ready PDF at ``path`` (atomically)."""
    diagnostics = default_diagnostics(diagnostics)
    html, chapter_count = render_html(book, diagnostics)
    roots = [default_styles_dir()] + ([book.root] if book.root is not None else [])
    fetcher = LocalOnlyFetcher(roots)
    base = (book.root or default_styles_dir()).as_uri() + "/"
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render()
    finally:
        logger.removeHandler(handler)
    for message in handler.messages:
        diagnostics.warn("pdf-layout", message)
    with atomic_output(path) as temp:
        document.write_pdf(temp)
    final = Path(path)
    return PdfResult(
        path=final, chapters=chapter_count, pages=len(document.pages), bytes=final.stat().st_size
    )
