"""The chaptered PDF build: every chapter its own WeasyPrint document, in worker processes.

1. The front matter (half-title, title page, colophon, contents) is laid out once to learn
   its length, and so where the first chapter starts (the next right-hand page). This
   process meanwhile lays out the first chapters once, for the workers forked after it
   to find WeasyPrint's caches made (:func:`_warm`).
2. Each chapter's document is laid out in a pool of processes; its pages are numbered from
   where it starts in the book (see :mod:`publish.writers.pdf_worker`). Memory then
   depends on the longest chapter, not on the book. This process renders the posts of
   each document as it hands it out, or ahead while a worker waits.
3. The front matter is laid out again with the chapters' real first pages (and the
   parts' title pages), for the contents' page numbers.
4. The pieces are joined, fonts shared (see :mod:`publish.writers.pdf_join`).

Steps 3 and 4 are skipped when the caller (:func:`publish.writers.print_fit.fit`) says
the pass will not be kept: its "see page" numbers are wrong, so another pass follows.
"""

from __future__ import annotations

import concurrent.futures as futures
import dataclasses
import itertools
import multiprocessing
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostics, PublishError
from publish.processes import cores
from publish.progress import Progress, StepClock
from publish.render.chapters import ChapterRenderer
from publish.writers import pdf_pool
from publish.writers.forked import give_back_memory, run_forked, start_forked
from publish.writers.pdf_ahead import Ahead
from publish.writers.pdf_batches import Batch, batches
from publish.writers.pdf_cache import PdfCache
from publish.writers.pdf_due import due, printed
from publish.writers.pdf_html import DocumentMaker, light_chapters
from publish.writers.pdf_join import report, write_book
from publish.writers.pdf_pool import ForkPool, Inline
from publish.writers.pdf_worker import (
    ChapterFailed,
    ChapterPdf,
    ChapterTask,
    Numbering,
    RenderSettings,
    first_page_after,
    front_length,
    init_worker,
    install_hook,
    render,
    start_build,
)

MAX_TRIES = 3  # front matter lengths to try (it changes only if the numbers re-wrap it)
WAITING = 64  # cached documents held while the one before them is laid out
POLL = 0.05  # seconds between looks at the pages the workers have told


@dataclass
class Build:
    plan: Plan
    maker: DocumentMaker
    renderer: ChapterRenderer
    settings: RenderSettings
    work: Path
    workers: int
    progress: bool | None
    cache: PdfCache | None = None
    batches: int = 0  # documents handed out so far

    def __post_init__(self) -> None:
        self.places = {chapter.id: n for n, chapter in enumerate(self.plan.chapters)}
        self.openers: dict[str, int] = {}  # a chapter -> the document it opens


@dataclass(frozen=True)
class Laid:
    """A pass of the chaptered build: the book's pages, each chapter's first page, and
    whether the book was written (see ``keep`` in :func:`build_chaptered`)."""

    pages: int
    starts: dict[str, int]
    written: bool


@dataclass(frozen=True)
class Rendered:
    chapter: ChapterPdf
    placeholders: tuple[str, ...]  # anchors of other chapters that this one links to


def _batches(build: Build) -> Iterator[Batch]:
    """The book's documents in order; each one's opener (see :class:`Batch`) noted."""
    cache = build.cache

    def key(chapters: list[Chapter]) -> str:
        return cache.source_key(build.plan, chapters) if cache is not None else ""

    for batch in batches(build.plan, key):
        build.batches += 1
        if batch.opener is not None:
            build.openers[batch.opener.id] = batch.index
        yield batch


def _task(build: Build, batch: Batch) -> tuple[ChapterTask, tuple[str, ...]]:
    """The batch's document (Markdown rendered now), and its placeholders."""
    rendered = [build.renderer.render(chapter) for chapter in batch.chapters]
    html, placeholders = build.maker.chapters(rendered)
    ids = tuple(ch.id for ch in batch.chapters)
    parts = tuple(ch.part.id for ch in batch.chapters if ch.part is not None)
    places = tuple(build.places[i] for i in ids)
    output = build.work / f"batch-{batch.index:05d}.pdf"
    return ChapterTask(batch.index, html, output, ids, parts, places), placeholders


@dataclass(frozen=True)
class _Ready:
    """A document made ready to hand out: found in the cache (the document and its
    placeholders), or its task, rendered with the pages then known of posts it links to."""

    found: tuple[ChapterPdf, tuple[str, ...]] | None = None
    task: ChapterTask | None = None
    placeholders: tuple[str, ...] = ()
    printed: dict[str, int | None] | None = None


def _rendered(build: Build, batch: Batch) -> _Ready:
    task, placeholders = _task(build, batch)
    return _Ready(None, task, placeholders, printed(build, batch))


def _chapters(build: Build, pool: futures.Executor, numbering: Numbering) -> list[Rendered]:
    """Lay out every chapter in order of the book, a few documents handed out ahead.

    A document found in the cache tells its length at once, without rendering its posts;
    it is used as it is once its first page is known and found unchanged, and laid out
    again otherwise. While a worker waits for a page number, the next documents are made
    ready here (:mod:`publish.writers.pdf_ahead`), on the core it leaves idle.
    """
    build.batches = 0
    build.openers.clear()
    cache = build.cache
    results: dict[int, Rendered] = {}
    window = build.workers + 1  # in order, and never many chapters' HTML in memory
    pending: dict[futures.Future[ChapterPdf], tuple[Batch, tuple[str, ...]]] = {}
    waiting: dict[int, tuple[Batch, ChapterPdf, tuple[str, ...]]] = {}  # cached

    def ready(batch: Batch) -> _Ready:
        found = cache.get(batch.key) if cache is not None else None
        return _Ready(found) if found is not None else _rendered(build, batch)

    ahead: Ahead[Batch, _Ready] = Ahead(_batches(build), ready)
    exhausted = False
    with Progress(len(build.plan.chapters), "PDF", build.progress) as bar:

        def collect(future: futures.Future[ChapterPdf]) -> None:
            batch, placeholders = pending.pop(future)
            result = future.result()
            if cache is not None:
                result = cache.put(batch.key, result, placeholders)
            results[batch.index] = Rendered(result, placeholders)
            bar.update(len(batch.chapters))

        def submit(batch: Batch, made: _Ready) -> None:
            assert made.task is not None
            task, placeholders = made.task, made.placeholders
            # A link back to a post still being laid out would print a guessed page, and
            # a wrong guess costs the document a second layout: wait for that post's
            # first page (told once its document is laid out, before it is drawn).
            while holding := due(build, batch, pending, numbering):
                finished, _ = futures.wait(
                    holding, timeout=POLL, return_when=futures.FIRST_COMPLETED
                )
                for future in finished:
                    collect(future)
            if printed(build, batch) != made.printed:  # what it links to is known now
                task, placeholders = _task(build, batch)
            pending[pool.submit(render, task)] = (batch, placeholders)

        def resolve() -> None:
            for index, (batch, hit, placeholders) in list(waiting.items()):
                start = numbering.start_of(index)
                if start:
                    del waiting[index]
                    if start == hit.start:
                        results[index] = Rendered(hit, placeholders)
                        bar.update(len(batch.chapters))
                    else:
                        submit(batch, _rendered(build, batch))

        try:
            while True:
                while not exhausted and len(pending) < window and len(waiting) < WAITING:
                    taken = ahead.next()
                    if taken is None:
                        exhausted = True
                        break
                    batch, made = taken
                    if made.found is None:
                        submit(batch, made)
                    else:
                        hit = dataclasses.replace(made.found[0], index=batch.index)
                        numbering.known(batch.index, hit.pages)
                        waiting[batch.index] = (batch, hit, made.found[1])
                    resolve()
                resolve()
                if not pending:
                    if exhausted and not waiting:
                        break
                    time.sleep(0.02)  # (a safety net: a cached document's start is due)
                    continue
                finished, _ = futures.wait(
                    pending, timeout=POLL, return_when=futures.FIRST_COMPLETED
                )
                if not finished:  # a worker waiting for a page number leaves a core idle
                    ahead.work(lambda: numbering.waiting.value > 0)
                for future in finished:
                    collect(future)
        except BaseException as error:
            numbering.fail()
            for future in pending:
                future.cancel()
            if isinstance(error, ChapterFailed):  # the failure itself is more telling
                for future in futures.as_completed(pending):
                    cause = None if future.cancelled() else future.exception()
                    if cause is not None and not isinstance(cause, ChapterFailed):
                        raise cause from None
            raise
    return [results[n] for n in range(build.batches)]


def _pool(build: Build, numbering: Numbering, ctx: Any) -> futures.Executor:
    if build.workers <= 1:
        init_worker(build.settings, numbering)
        return Inline()
    return ForkPool(ctx, build.workers, (init_worker, build.settings, numbering))


def _front(build: Build, html: str, name: str) -> ChapterPdf:
    """The front matter's document, from the cache when it is there; else laid out in a
    child process of its own, once the workers are gone: a contents of a thousand
    entries takes a WeasyPrint run some 130 MB, which neither a worker nor this process
    should keep, nor add to theirs."""
    cache = build.cache
    key = cache.key(html) if cache is not None else ""
    found = cache.get(key) if cache is not None else None
    if found is not None:
        return found[0]
    task = ChapterTask(-1, html, build.work / name)
    settings = build.settings
    result = run_forked(lambda: render(task, settings, False), "laying out the front matter")
    return cache.put(key, result, ()) if cache is not None else result


def _front_length(build: Build, html: str) -> int:
    """How many pages the front matter takes (laid out in a child process, as above).

    Meanwhile this process, otherwise idle, lays out a document of the book's first
    chapters (see :func:`_warm`)."""
    settings = build.settings
    child = start_forked(lambda: front_length(html, settings), "laying out the front matter")
    try:
        if build.workers > 1:
            _warm(build)
    except BaseException:
        child.stop()
        raise
    return child.result()


def _warm(build: Build) -> None:
    """Lay out and draw a document of the book's first chapters here and throw it away:
    what WeasyPrint, Pango and HarfBuzz keep between documents (shaped glyphs, font
    metrics, hyphenation dictionaries, text set-ups) is then made once, here, and every
    worker forked after finds it made. A fresh worker spends some 0.2 s making it
    otherwise, and one takes over every few documents (:mod:`publish.writers.pdf_pool`).
    A book too small for any worker to be replaced is not worth it.

    The chapters are rendered by a renderer of their own, whose warnings are dropped:
    the real render says them. A failure is left to the real render to report, too."""
    documents = batches(build.plan, lambda chapters: "")
    first = next(documents, None)
    replaced = build.workers * pdf_pool.TASKS_PER_WORKER  # documents before one is
    if first is None or sum(1 for _ in itertools.islice(documents, replaced)) < replaced:
        return  # no worker is replaced: the first ones make their caches as they go
    renderer = ChapterRenderer(build.plan, build.renderer.target, Diagnostics())
    output = build.work / "warm.pdf"
    try:
        html, _ = build.maker.chapters([renderer.render(ch) for ch in first.chapters])
        render(ChapterTask(first.index, html, output), build.settings, False)
    except Exception:  # said by the real render, with its context
        pass
    output.unlink(missing_ok=True)
    give_back_memory()  # what the warm-up freed, before the workers are forked from here


def build_chaptered(
    plan: Plan,
    maker: DocumentMaker,
    renderer: ChapterRenderer,
    settings: RenderSettings,
    output: Path,
    diagnostics: Diagnostics,
    workers: int | None = None,
    progress: bool | None = None,
    cache: PdfCache | None = None,
    keep: Callable[[int, dict[str, int]], bool] | None = None,
    built: datetime | None = None,
) -> Laid:
    """Write the book's PDF to ``output``; return its number of pages and the page where
    each chapter starts.

    ``keep(pages, starts)``, asked once the chapters are laid out, says whether this
    layout is the one to write; when it is not, the front matter and the join are left
    out (the pages then count the front matter as it was guessed). ``built`` is the
    book's creation time in the PDF's metadata (else the front matter's)."""
    install_hook()  # here, so a WeasyPrint it does not fit fails with a clear error
    clock = StepClock("pdf")
    with tempfile.TemporaryDirectory(prefix="publish-pdf-") as temp:
        work = Path(temp)
        fonts_dir = cache.fonts_dir if cache is not None else work / "fonts"
        fonts_dir.mkdir(exist_ok=True)
        settings = dataclasses.replace(settings, fonts_dir=fonts_dir)
        count = workers or cores()
        build = Build(plan, maker, renderer, settings, work, count, progress, cache)
        light = light_chapters(plan, renderer.target)
        guess = [7 + 6 * n for n in range(len(light))]  # numbers about as wide as the real ones
        guess_parts = {  # a part's page: two before its first chapter's
            ch.chapter.part.id: max(1, n - 2)
            for ch, n in zip(light, guess, strict=True)
            if ch.chapter.part is not None
        }
        guess_html = maker.front(light, guess, guess_parts)
        start_build(guess_html, settings)  # its stylesheets parsed once, for every worker
        guess_key = cache.key(guess_html) if cache is not None else ""
        front_pages = cache.get_number(guess_key) if cache is not None else None
        ctx = multiprocessing.get_context("fork")
        if front_pages is None:  # the chapters' numbers wait for it: first, on its own
            front_pages = _front_length(build, guess_html)
            if cache is not None:
                cache.put_number(guess_key, front_pages)
            clock.mark("front matter's length")
        for _ in range(MAX_TRIES):
            first = first_page_after(front_pages)
            numbering = Numbering(len(light), first, ctx)
            with _pool(build, numbering, ctx) as pool:
                chapters = _chapters(build, pool, numbering)
            clock.mark("chapters laid out")
            ids = [ch.chapter.id for ch in light]
            starts = [start for r in chapters for start in r.chapter.chapter_starts]
            found = dict(zip(ids, starts, strict=True))
            last = chapters[-1].chapter if chapters else None
            pages = last.start + last.pages - 1 if last is not None else front_pages
            if keep is not None and not keep(pages, found):
                return Laid(pages, found, written=False)  # the cache is kept as it is
            # The workers are gone before the front matter and the join: their memory
            # and those steps' never add up.
            parts = {k: v for r in chapters for k, v in r.chapter.part_starts.items()}
            front = _front(build, maker.front(light, starts, parts), "front.pdf")
            front_pages = front.pages
            clock.mark("front matter")
            if first_page_after(front_pages) != first and chapters:
                continue  # the contents' real numbers changed its length: number again
            break
        else:  # pragma: no cover - the contents' length kept changing with its numbers
            raise PublishError("pdf-numbering", "the contents' page numbers do not settle")
        warnings = front.warnings + tuple(m for r in chapters for m in r.chapter.warnings)
        report(warnings, settings.book, diagnostics)
        pages = run_forked(
            lambda: write_book(output, front, light, chapters, fonts_dir, clock, built),
            "joining the pages",
        )
        if cache is not None:
            cache.prune()
        return Laid(pages, found, written=True)
