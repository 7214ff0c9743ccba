"""Render many chapters at once: from the render cache, and in worker processes.

Rendering a post (Markdown, the sanitiser, smart quotes, the XHTML pass) is the bulk of
an EPUB build. Chapters found in the render cache are not rendered again; the others
are shared out among worker processes forked from this one (they start at once and
inherit the book, nothing is sent to them but chapter numbers). Each chapter is rendered
on its own, with its own warnings, counts and images, which are then reported here in
the book's order: the result, warnings included, is the same with any number of workers,
with the cache or without.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from publish.assembly import Chapter
from publish.errors import Diagnostics, PublishError
from publish.progress import Progress
from publish.render.cache import ChapterRecord, RenderCache, chapter_data
from publish.render.chapters import ChapterRenderer, RenderedChapter
from publish.render.links import prune_dead_fragments

CHUNK = 16  # chapters a worker renders before it hands them back
MIN_PARALLEL = 4 * CHUNK  # fewer chapters to render than this: not worth the processes

_work: tuple[ChapterRenderer, Sequence[Chapter]] | None = None  # what forked workers inherit


def default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def record(renderer: ChapterRenderer, chapter: Chapter) -> ChapterRecord:
    """Render one chapter, keeping its warnings, counts and images apart."""
    kept = renderer.diagnostics
    images: dict[Path, str] | None = getattr(renderer.target, "images", None)
    own = Diagnostics()
    renderer.diagnostics = own
    if images is not None:  # the images this chapter uses, whichever came before
        renderer.target.images = {}  # type: ignore[attr-defined]
    try:
        rendered = renderer.render(chapter)
        used: dict[Path, str] = getattr(renderer.target, "images", {})
    finally:
        renderer.diagnostics = kept
        if images is not None:
            renderer.target.images = images  # type: ignore[attr-defined]
    return ChapterRecord(
        chapter_data(rendered),
        tuple(own.warnings),
        dict(own.counters),
        {str(source): name for source, name in used.items()},
    )


def _render_chunk(indexes: list[int]) -> list[tuple[int, ChapterRecord]] | tuple[Any, ...]:
    """In a worker: records of the chapters at ``indexes``, or a PublishError's fields."""
    assert _work is not None
    renderer, chapters = _work
    try:
        return [(n, record(renderer, chapters[n])) for n in indexes]
    except PublishError as error:  # its own pickling loses the fields: send them
        return ("error", error.code, error.message, error.file, error.line)


def _chunks(indexes: list[int]) -> Iterator[list[int]]:
    for at in range(0, len(indexes), CHUNK):
        yield indexes[at : at + CHUNK]


def render_chapters(
    renderer: ChapterRenderer,
    chapters: Sequence[Chapter],
    *,
    workers: int | None = None,
    cache: RenderCache | None = None,
    progress: bool | None = None,
    label: str = "EPUB",
) -> list[RenderedChapter]:
    """Every chapter rendered, warnings reported in order, dead fragments pruned."""
    global _work
    records: list[ChapterRecord | None] = [None] * len(chapters)
    keys = [cache.key(renderer.plan, ch) for ch in chapters] if cache is not None else []
    if cache is not None:
        records = [cache.get(key) for key in keys]
    missing = [n for n, found in enumerate(records) if found is None]
    count = workers or default_workers()
    with Progress(len(chapters), label, progress) as bar:
        bar.update(len(chapters) - len(missing))
        if count > 1 and len(missing) >= MIN_PARALLEL and "fork" in _start_methods():
            _work = (renderer, chapters)
            gc.freeze()  # the workers' collections leave the book alone: no copies of it
            try:
                with multiprocessing.get_context("fork").Pool(count) as pool:
                    for done in pool.imap(_render_chunk, _chunks(missing)):
                        if isinstance(done, tuple):
                            _, code, message, file, line = done
                            raise PublishError(code, message, file, line)
                        for n, made in done:
                            records[n] = made
                        bar.update(len(done))
            finally:
                _work = None
                gc.unfreeze()
        else:
            for n in missing:
                records[n] = record(renderer, chapters[n])
                bar.update()
    rendered: list[RenderedChapter] = []
    images: dict[Path, str] | None = getattr(renderer.target, "images", None)
    made_now = set(missing)
    for n, (chapter, found) in enumerate(zip(chapters, records, strict=True)):
        assert found is not None
        if cache is not None and n in made_now:
            cache.put(keys[n], found)
        found.replay(renderer.diagnostics, images)
        rendered.append(found.rendered(chapter))
    if cache is not None:
        cache.prune()
    return prune_dead_fragments(rendered)


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
