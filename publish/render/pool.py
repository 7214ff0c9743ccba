"""Render many chapters at once: from the render cache, and in worker processes.

Rendering a post (Markdown, the sanitiser, smart quotes, the XHTML pass) is the bulk of
an EPUB build. Chapters found in the render cache are not rendered again; the others
are shared out among worker processes forked from this one (they start at once and
inherit the book, nothing is sent to them but chapter numbers). Each chapter is rendered
on its own, with its own warnings, counts and images, which are then reported here in
the book's order: the result, warnings included, is the same with any number of workers,
with the cache or without. The writer's finished document for each chapter (its XHTML
file, for the EPUB) is made in the workers too, and kept in the cache with the chapter.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostics, PublishError
from publish.processes import can_fork, chunks, cores, forked_map
from publish.progress import Progress
from publish.render.cache import ChapterRecord, RenderCache, chapter_data
from publish.render.chapters import ChapterRenderer, RenderedChapter
from publish.render.links import Pruner, fragment_ids, linked_fragments

CHUNK = 16  # chapters a worker renders before it hands them back
MIN_PARALLEL = 4 * CHUNK  # fewer chapters to render than this: not worth the processes
KEYS_CHUNK = 64  # chapters a worker makes the cache keys of before it hands them back
MIN_PARALLEL_KEYS = 4 * KEYS_CHUNK  # fewer chapters: their keys are made here

# A writer's finished document for a rendered chapter (bytes: kept in the cache as they
# are), given the chapter's images (name in the book -> file), and what the writer noted
# making it (JSON: counts for its metadata).
PageMaker = Callable[[RenderedChapter, dict[str, Path]], tuple[bytes, Any]]

_work: tuple[ChapterRenderer, Sequence[Chapter], PageMaker] | None = None  # for workers
_keying: tuple[RenderCache, Plan, Sequence[Chapter]] | None = None  # for workers


@dataclass(frozen=True)
class Done:
    """A chapter's outline (no body, no comments: its document holds those), its
    document as the writer made it, and what the writer noted making it."""

    chapter: RenderedChapter
    page: bytes = b""
    facts: Any = None


def _alone(
    renderer: ChapterRenderer, chapter: Chapter
) -> tuple[RenderedChapter, Diagnostics, dict[Path, str]]:
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
    return rendered, own, used


def record(renderer: ChapterRenderer, chapter: Chapter, page: PageMaker) -> ChapterRecord:
    """Render one chapter apart (see :func:`_alone`) and make its document (with every
    link as rendered: see :func:`render_pages`)."""
    rendered, own, used = _alone(renderer, chapter)
    document, facts = page(rendered, {n: p for p, n in used.items()})
    return ChapterRecord(
        chapter_data(rendered),
        tuple(own.warnings),
        dict(own.counters),
        {str(source): name for source, name in used.items()},
        tuple(fragment_ids(rendered)),
        tuple(linked_fragments(rendered)),
        document,
        facts,
    )


def _render_chunk(indexes: list[int]) -> list[tuple[int, ChapterRecord]] | tuple[Any, ...]:
    """In a worker: records of the chapters at ``indexes``, or a PublishError's fields."""
    assert _work is not None
    renderer, chapters, page = _work
    try:
        return [(n, record(renderer, chapters[n], page)) for n in indexes]
    except PublishError as error:  # its own pickling loses the fields: send them
        return ("error", error.code, error.message, error.file, error.line)


def _keys_chunk(indexes: list[int]) -> list[str]:
    """In a worker: the cache keys of the chapters at ``indexes``."""
    assert _keying is not None
    cache, plan, chapters = _keying
    return [cache.key(plan, chapters[n]) for n in indexes]


def _keys(cache: RenderCache, plan: Plan, chapters: Sequence[Chapter], workers: int) -> list[str]:
    """Every chapter's key in the render cache. A key hashes the chapter's whole text
    (a third of a second for a thousand posts), so a big book's are made in workers."""
    if not chapters:
        return []
    first = cache.key(plan, chapters[0])  # settles the book's part of every key, here
    if workers < 2 or len(chapters) < MIN_PARALLEL_KEYS or not can_fork():
        return [first] + [cache.key(plan, chapter) for chapter in chapters[1:]]
    global _keying
    _keying = (cache, plan, chapters)
    gc.freeze()  # as for rendering (below): the workers leave the book alone
    try:
        rest = list(range(1, len(chapters)))
        with forked_map(_keys_chunk, chunks(rest, KEYS_CHUNK), workers) as results:
            return [first] + [key for chunk in results for key in chunk]
    finally:
        _keying = None
        gc.unfreeze()


@dataclass
class _Held:
    """A chapter between its record and its document."""

    outline: RenderedChapter
    page: bytes
    facts: Any
    links: tuple[str, ...]  # the fragments its links point at


class _InOrder:
    """Takes records as they come (from the cache, from the workers), and uses each in
    the book's order: stored, warnings reported, kept small (see :class:`_Held`)."""

    def __init__(
        self,
        renderer: ChapterRenderer,
        chapters: Sequence[Chapter],
        page: PageMaker,
        cache: RenderCache | None,
        keys: list[str],
        found: list[bool],
    ) -> None:
        self.renderer, self.chapters, self.page = renderer, chapters, page
        self.cache, self.keys, self.found = cache, keys, found
        self.waiting: dict[int, ChapterRecord] = {}  # made now, not yet used
        self.held: list[_Held] = []
        self.ids = {chapter.id for chapter in chapters}
        self.images: dict[Path, str] | None = getattr(renderer.target, "images", None)

    def add(self, n: int, made: ChapterRecord) -> None:
        self.waiting[n] = made
        self._advance()

    def _advance(self) -> None:
        while (n := len(self.held)) < len(self.chapters):
            made = self.waiting.pop(n, None)
            if made is None and not self.found[n]:
                return  # a worker has it
            if made is None:
                assert self.cache is not None
                made = self.cache.get(self.keys[n])
                if made is None or not made.page:
                    made = record(self.renderer, self.chapters[n], self.page)  # gone: here
                    self.cache.put(self.keys[n], made)
            elif self.cache is not None:
                self.cache.put(self.keys[n], made)
            made.replay(self.renderer.diagnostics, self.images)
            self.ids.update(made.ids)
            self.held.append(self._hold(self.chapters[n], made))

    def _hold(self, chapter: Chapter, made: ChapterRecord) -> _Held:
        return _Held(made.outline(chapter), made.page, made.page_facts, made.links)

    def done(self) -> list[Done]:
        """Every chapter, its links to missing fragments pointed at their chapters (the
        document of one that had any made again here)."""
        self._advance()
        assert len(self.held) == len(self.chapters)
        pruner = Pruner(self.ids, [chapter.id for chapter in self.chapters])
        done: list[Done] = []
        for held in self.held:
            if all(f in self.ids for f in held.links):
                done.append(Done(held.outline, held.page, held.facts))
            else:  # a link to pluck: the chapter rendered again (its warnings are out
                # already), and its document made again, here
                rendered, _, used = _alone(self.renderer, held.outline.chapter)
                pruned = pruner.chapter(rendered)
                document, facts = self.page(pruned, {n: p for p, n in used.items()})
                done.append(Done(held.outline, document, facts))
        return done


def render_pages(
    renderer: ChapterRenderer,
    chapters: Sequence[Chapter],
    *,
    page: PageMaker,
    workers: int | None = None,
    cache: RenderCache | None = None,
    progress: bool | None = None,
    label: str = "EPUB",
    meanwhile: Callable[[], None] | None = None,
) -> list[Done]:
    """Every chapter rendered (warnings reported in order, dead fragments pruned) and its
    document made by ``page``: in the workers, and kept in the cache with the chapter.
    A chapter whose links needed pruning has its document made again here.
    ``meanwhile`` is called here while the workers render (before, without workers),
    and before the cache is pruned."""
    global _work
    count = workers or cores()
    keys = _keys(cache, renderer.plan, chapters, count) if cache is not None else []
    found = [cache.has(key) for key in keys] if cache is not None else [False] * len(chapters)
    missing = [n for n, there in enumerate(found) if not there]
    order = _InOrder(renderer, chapters, page, cache, keys, found)
    with Progress(len(chapters), label, progress) as bar:
        bar.update(len(chapters) - len(missing))
        if count > 1 and len(missing) >= MIN_PARALLEL and can_fork():
            _work = (renderer, chapters, page)
            gc.freeze()  # the workers' collections leave the book alone: no copies of it
            try:
                with forked_map(_render_chunk, chunks(missing, CHUNK), count) as results:
                    if meanwhile is not None:
                        meanwhile()
                    for chunk in results:
                        if isinstance(chunk, tuple):
                            _, code, message, file, line = chunk
                            raise PublishError(code, message, file, line)
                        for n, made in chunk:
                            order.add(n, made)
                        bar.update(len(chunk))
            finally:
                _work = None
                gc.unfreeze()
        else:
            if meanwhile is not None:
                meanwhile()
            for n in missing:
                order.add(n, record(renderer, chapters[n], page))
                bar.update()
    done = order.done()
    if cache is not None:
        cache.prune()
    return done
