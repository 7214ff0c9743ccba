"""The end of the chaptered PDF build: the laid-out documents joined into the book.

The fonts are subset once for the whole book, from the glyphs every document drew; the
front matter's pages come first, each chapter's after, a blank page where a chapter
would otherwise start on a left-hand page (see :mod:`publish.writers.pdf_merge`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from publish.errors import Diagnostics
from publish.progress import StepClock
from publish.render.chapters import RenderedChapter
from publish.writers.fetch import as_found
from publish.writers.pdf_fonts import subset_file
from publish.writers.pdf_merge import Joiner, glyphs_used
from publish.writers.pdf_worker import ChapterPdf

if TYPE_CHECKING:
    from publish.writers.pdf_book import Rendered


def report(messages: tuple[str, ...], book: Path | None, diagnostics: Diagnostics) -> None:
    """WeasyPrint's warnings, each once: a stylesheet's is said by every document. (They
    are kept as said, files under BOOK_URL, and name the files where they are now.)"""
    for message, times in Counter(messages).items():
        where = f" (in {times} of the book's documents)" if times > 1 else ""
        diagnostics.warn("pdf-layout", as_found(message, book) + where)


def write_book(
    output: Path,
    front: ChapterPdf,
    light: list[RenderedChapter],
    chapters: list[Rendered],
    fonts_dir: Path,
    clock: StepClock,
    built: datetime | None,
) -> int:
    """Join the pages, subset the fonts for the whole book, write it; its page count.
    Run in a child process (see :mod:`publish.writers.forked`)."""
    # The fonts first: their subsetting's memory is given back before the book's grows.
    used = glyphs_used([front] + [r.chapter for r in chapters])
    subsets = {key: subset_file(fonts_dir / key[1], *job) for key, job in used.items()}
    clock.mark("fonts subset")
    joiner = join(front, front.pages, light, chapters)
    clock.mark("pages joined")
    joiner.save(output, subsets, built)
    clock.mark("written")
    return joiner.count


def join(
    front: ChapterPdf, front_pages: int, light: list[RenderedChapter], chapters: list[Rendered]
) -> Joiner:
    joiner = Joiner()
    parts = {ch.chapter.part.id for ch in light if ch.chapter.part is not None}
    joiner.add(front, front_pages, skip=frozenset(ch.id for ch in light) | parts)
    for rendered in chapters:
        while joiner.count + 1 < rendered.chapter.start:
            joiner.blank()
        joiner.add(rendered.chapter, skip=frozenset(rendered.placeholders))
    return joiner
