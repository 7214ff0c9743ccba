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
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import weasyprint

from publish import printspec
from publish.assembly import assemble
from publish.errors import Diagnostics, PublishError, default_diagnostics
from publish.model import Book
from publish.render.book import book_view, build_moment, labels_for
from publish.render.chapters import RenderedChapter
from publish.render.templates import default_styles_dir, environment, stylesheets
from publish.writers import weasy_fixes
from publish.writers.fetch import BOOK_URL, LocalOnlyFetcher, as_found, file_url
from publish.writers.output import atomic_output
from publish.writers.pdf_book import build_chaptered
from publish.writers.pdf_cache import environment_key
from publish.writers.pdf_html import DocumentMaker, point_parts_at_chapters
from publish.writers.pdf_worker import RenderSettings
from publish.writers.print_fit import Pass, PrintCache, fit, resolved_options, saved_refs
from publish.writers.print_links import PrintRenderer, PrintTarget, chapter_overrides

PDF_STYLES = ("book.css", "print.css")
# The build date in the chapters' documents, where the front matter is there but hidden.
FIXED_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


def _stylesheet_urls(book: Book) -> list[str]:
    """The PDF's stylesheets as its documents link them (the book's own under BOOK_URL)."""
    return [file_url(p, book.root) for p in stylesheets(book, PDF_STYLES)]


@dataclass(frozen=True)
class PdfResult:
    path: Path
    chapters: int
    pages: int
    bytes: int
    gutter: str = ""  # the inside margin the book was laid out with
    variant: str | None = None  # the PDF variant it declares ("pdf/a-2b", ...), if any


def _context(
    book: Book, moment: datetime | None = None, opening: list[RenderedChapter] | None = None
) -> dict[str, Any]:
    """What ``pdf/book.html.j2`` sees, but for the chapters."""
    return {
        "book": book_view(book, moment or build_moment()),
        "labels": labels_for(book.language),
        "epub": False,
        "stylesheets": _stylesheet_urls(book),
        "pdf": resolved_options(book),
        "bleed": f"{printspec.BLEED_IN}in",
        "opening": opening or [],  # dedication, epigraph: before the contents
    }


def render_html(
    book: Book, diagnostics: Diagnostics, refs: dict[str, int] | None = None
) -> tuple[str, int]:
    """The book as one HTML document for WeasyPrint, and its number of chapters.

    With ``refs`` (a chapter's id -> its first page), links to other posts print those
    numbers (the "see page N" of print.css), as in a chaptered build; without, WeasyPrint
    finds them itself (``target-counter``).
    """
    return _render_html(book, diagnostics, refs)[:2]


def _render_html(
    book: Book, diagnostics: Diagnostics, refs: dict[str, int] | None
) -> tuple[str, int, frozenset[tuple[str, int]]]:
    plan = assemble(book)
    styles = _stylesheet_urls(book)
    overrides = chapter_overrides(styles) if refs is not None else ""
    renderer = PrintRenderer(plan, PrintTarget(book.root), diagnostics, refs, overrides)
    chapters = renderer.render_all()
    opening = [renderer.render(chapter) for chapter in plan.opening]
    html = (
        environment(book)
        .get_template("pdf/book.html.j2")
        .render(
            **_context(book, opening=opening),
            chapters=chapters,
            href=lambda ch: f"#{ch.id}",
            part_href=lambda part: f"#{part.id}",
        )
    )
    html = point_parts_at_chapters(html, chapters)
    printed = frozenset(pair for pairs in renderer.printed.values() for pair in pairs)
    return html, len(chapters), printed


class _CollectWarnings(logging.Handler):
    """WeasyPrint reports what it could not do through logging: collect it as ours."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0][:300])


def _settings(book: Book) -> RenderSettings:
    roots = (default_styles_dir(),) + ((book.root,) if book.root is not None else ())
    base = BOOK_URL if book.root is not None else default_styles_dir().as_uri() + "/"
    return RenderSettings(roots=roots, base_url=base, fonts_dir=Path(), book=book.root)


def _single(book: Book, diagnostics: Diagnostics, refs: dict[str, int]) -> tuple[Any, Any, Pass]:
    """The whole book laid out as one WeasyPrint document: the document, its source, and
    the pass (the first page of every chapter a "see page" number names)."""
    html, chapter_count, printed = _render_html(book, diagnostics, refs)
    settings = _settings(book)
    fetcher = LocalOnlyFetcher(list(settings.roots), settings.book)
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
    logger.addHandler(handler)
    try:
        source = weasyprint.HTML(string=html, base_url=settings.base_url, url_fetcher=fetcher)
        document = source.render()
    finally:
        logger.removeHandler(handler)
    for message in handler.messages:
        diagnostics.warn("pdf-layout", as_found(message, settings.book))
    wanted = {name for name, _ in printed}
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in wanted.intersection(page.anchors):
            found.setdefault(name, number)
    return document, source, Pass(chapter_count, len(document.pages), found, printed)


def _write_single(
    book: Book, temp: Path, diagnostics: Diagnostics, refs: dict[str, int], variant: str | None
) -> Pass:
    """The reference build: the whole book as one WeasyPrint document (and the only one
    that writes a PDF variant: WeasyPrint's metadata, output intent and tags are for one
    document; joined pieces would lose them).

    "See page" numbers come from ``refs`` as in the chaptered build, not from
    ``target-counter``: WeasyPrint lays pages out again for those, and then loses or
    repeats footnotes (WeasyPrint 70).
    """
    document, _, result = _single(book, diagnostics, refs)
    # Fonts are always embedded; images are kept as they are (WeasyPrint's defaults:
    # optimize_images=False, jpeg_quality=None, dpi=None: nothing is downsampled).
    document.write_pdf(temp, pdf_variant=variant)
    return result


def laid_out(book: Book, diagnostics: Diagnostics | None = None) -> tuple[Any, Any]:
    """The book laid out as ``write_pdf(single_document=True)`` lays it out (gutter and
    page numbers fitted): the WeasyPrint document and its source ``HTML``."""
    diagnostics = default_diagnostics(diagnostics)
    weasy_fixes.install()
    made: list[tuple[Any, Any]] = []

    def lay_out(
        fitted: Book, n: int, refs: dict[str, int], sink: Diagnostics, keep: object
    ) -> Pass:
        document, source, result = _single(fitted, sink, refs)
        made.append((document, source))
        return result

    n, _, _ = fit(book, lay_out, diagnostics)
    return made[n]


def _cache_root(book: Book, folder: str | Path) -> Path:
    """The book's part of the cache folder (books sharing a folder keep apart)."""
    name = hashlib.sha256(f"{book.root}:{book.title}".encode()).hexdigest()[:16]
    return Path(folder) / "pdf" / name


def _environment(book: Book) -> str:
    """The cache's environment key: read once a build, so that every pass of it uses the
    same (a file edited while the book is built does not make a pass miss the cache)."""
    mine = [book.root / "styles", book.root / "templates"] if book.root is not None else []
    code = Path(__file__).resolve().parent.parent  # the package: renderer, templates
    return environment_key([default_styles_dir(), code, *mine])


def _cache(
    book: Book,
    options: dict[str, Any],
    refs: dict[str, int],
    printed: dict[str, tuple[tuple[str, int], ...]],
) -> PrintCache:
    root = _cache_root(book, options["cache"])
    return PrintCache(root, options["environment"], refs, printed)


def _write_chaptered(
    book: Book,
    temp: Path,
    refs: dict[str, int],
    diagnostics: Diagnostics,
    options: dict[str, Any],
    keep: Callable[[Pass], bool],
) -> Pass:
    """One pass of the chaptered build, "see page" numbers from ``refs``; the book is
    written when ``keep`` says so of the pass's chapters as laid out."""
    plan = assemble(book)
    styles = _stylesheet_urls(book)
    renderer = PrintRenderer(
        plan, PrintTarget(book.root), diagnostics, refs, chapter_overrides(styles)
    )
    cache = _cache(book, options, refs, renderer.printed)
    renderer.live = cache.live  # links back to chapters laid out already print their page
    opening = [renderer.render(chapter) for chapter in plan.opening]
    built = build_moment()
    # The front matter shows the day it was built (the colophon) and the PDF the time
    # (the join writes it): within a day, a rebuild finds the front matter in the cache.
    day = built.replace(hour=0, minute=0, second=0)
    maker = DocumentMaker(
        environment(book), _context(book, day, opening=opening), _context(book, FIXED_MOMENT)
    )

    def result(pages: int, starts: dict[str, int], written: bool = True) -> Pass:
        """The pass, its refs the pages of the chapters its "see page" numbers name."""
        printed = cache.printed_numbers()
        names = {name for name, _ in printed}
        refs = {name: page for name, page in starts.items() if name in names}
        return Pass(len(plan.chapters), pages, refs, printed, written)

    laid = build_chaptered(
        plan,
        maker,
        renderer,
        _settings(book),
        temp,
        diagnostics,
        workers=options["workers"],
        progress=options["progress"],
        cache=cache,
        keep=lambda pages, starts: keep(result(pages, starts)),
        built=built,
    )
    done = result(laid.pages, laid.starts, laid.written)
    cache.save(done.refs)  # the next pass looks its documents up by what they link to
    return done


def check_variant(variant: str | None) -> str | None:
    if variant is None:
        return None
    if variant.lower() not in printspec.VARIANTS:
        known = ", ".join(printspec.VARIANTS)
        raise PublishError("bad-value", f"unknown PDF variant '{variant}' (known: {known})")
    return variant.lower()


def write_pdf(
    book: Book,
    path: str | Path,
    diagnostics: Diagnostics | None = None,
    *,
    workers: int | None = None,
    single_document: bool = False,
    progress: bool | None = None,
    cache: str | Path | None = None,
    variant: str | None = None,
) -> PdfResult:
    """Write ``book`` as a print-ready PDF at ``path`` (atomically).

    By default every chapter is laid out as its own document in ``workers`` processes (all
    the machine's cores when None) and the pieces are joined; ``single_document=True``
    lays the whole book out as one document instead (slower, memory grows with the book;
    the reference the chaptered build is tested against). ``progress`` shows a progress
    bar on standard error (None: when it is a terminal and the build takes over a second).
    ``cache`` is a folder (``build/cache``, say) where laid-out chapters are kept between
    builds, so that after an edit only what changed is laid out again (chaptered builds).

    ``variant`` (default: ``[pdf] variant`` in book.toml) is one of WeasyPrint's PDF
    variants (:data:`publish.printspec.VARIANTS`: PDF/A-2b, PDF/X-4, PDF/UA-1, ...); a
    variant is written by the one-document build. The book is laid out until its inside
    margin suits its page count (:mod:`publish.writers.print_fit`).
    """
    diagnostics = default_diagnostics(diagnostics)
    weasy_fixes.install()  # notes keep to their calls' pages
    variant = check_variant(variant or book.pdf.variant)
    single = single_document or variant is not None
    with atomic_output(path) as temp, tempfile.TemporaryDirectory(prefix="publish-") as scratch:
        options = {"cache": cache or scratch, "workers": workers, "progress": progress}
        options["environment"] = _environment(book) if not single else ""
        work = Path(scratch)

        def lay_out(
            fitted: Book,
            n: int,
            refs: dict[str, int],
            sink: Diagnostics,
            keep: Callable[[Pass], bool],
        ) -> Pass:
            out = work / f"pass-{n}.pdf"
            if single:
                return _write_single(fitted, out, sink, refs, variant)
            return _write_chaptered(fitted, out, refs, sink, options, keep)

        refs = saved_refs(_cache_root(book, cache)) if cache is not None and not single else {}
        n, result, gutter = fit(book, lay_out, diagnostics, refs)
        (work / f"pass-{n}.pdf").replace(temp)
    final = Path(path)
    return PdfResult(
        path=final,
        chapters=result.chapters,
        pages=result.pages,
        bytes=final.stat().st_size,
        gutter=gutter,
        variant=variant,
    )
