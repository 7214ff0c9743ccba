"""Which documents being laid out a batch must wait for before it is rendered: those
holding a post it links to whose page is not known yet (see ``pdf_book._chapters``).

A link back to a post still being laid out would print a guessed page ("see page N"),
and a wrong guess costs the document a second layout; its first page is told once its
document is laid out, before it is drawn.
"""

from __future__ import annotations

import concurrent.futures as futures
from typing import TYPE_CHECKING

from publish.writers.pdf_batches import Batch
from publish.writers.pdf_worker import ChapterPdf, Numbering

if TYPE_CHECKING:  # (only a type: pdf_book imports this module)
    from publish.writers.pdf_book import Build


def linked(build: Build, batch: Batch) -> tuple[set[str], dict[str, int]]:
    """The posts ``batch`` links to as rendered (its "see page" numbers:
    :class:`~publish.writers.print_links.PrintRenderer`), and the pages known now."""
    printed: dict[str, tuple[tuple[str, int], ...]] = getattr(build.renderer, "printed", {})
    live: dict[str, int] = getattr(build.renderer, "live", {})
    names = {name for chapter in batch.chapters for name, _ in printed.get(chapter.id, ())}
    return names, live


def printed(build: Build, batch: Batch) -> dict[str, int | None]:
    """The pages known now of the posts ``batch`` links to."""
    names, live = linked(build, batch)
    return {name: live.get(name) for name in names}


def due(
    build: Build,
    batch: Batch,
    pending: dict[futures.Future[ChapterPdf], tuple[Batch, tuple[str, ...]]],
    numbering: Numbering,
) -> set[futures.Future[ChapterPdf]]:
    """The documents being laid out that hold a post ``batch`` links to (see
    :func:`linked`) when that post's page is not known yet (the pages workers told are
    learnt here, and those of posts that open their document: its first page)."""
    names, live = linked(build, batch)
    targets = names - live.keys()
    for name in list(targets):
        place = build.places.get(name)
        start = numbering.chapter_start(place) if place is not None else 0
        if not start and name in build.openers:
            start = numbering.start_of(build.openers[name])
        if start:
            live[name] = start
            targets.discard(name)
    if not targets:
        return set()
    return {
        future
        for future, (other, _) in pending.items()
        if any(chapter.id in targets for chapter in other.chapters)
    }
