"""Which chapters share a WeasyPrint document (a batch), and which posts each links to.

Batches amortise WeasyPrint's cost per document over a few chapters. A document ends once
it holds about :data:`BATCH_CHARACTERS` of text, so documents take about as long as each
other to lay out: a worker waits for the page count of the document before its own only
when that one is much longer (at 1,000 posts, ends decided by each post's slug instead
gave documents of one to eight posts, and the workers waited 26 s of 200 for numbers).
The limit also keeps memory bounded. An edit that changes a post's length can move the
end of its document and of the next few, until one ends where it ended before; an edit
that keeps it moves none (the build cache keys on batches).

Links decide two ends, so that a "see page N" rarely waits for a post being laid out:

- a document ends before a post that links to one in it: the page of a post in the same
  document is not known before that document is laid out;
- a post that a post shortly after it links to opens a document of its own: its page is
  then its document's first page, known as soon as the documents before it are laid out,
  without waiting for its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from publish.assembly import Chapter, Plan

BATCH_CHAPTERS = 8  # at most this many chapters in one document
BATCH_CHARACTERS = 35_000  # a document ends once it holds this much text (some 12 pages)
NEAR = 4  # a post linked to from this many posts after it, or fewer, opens a document


@dataclass(frozen=True)
class Batch:
    index: int
    chapters: tuple[Chapter, ...]
    key: str  # in the cache, from the chapters' sources (see PdfCache.source_key)

    @property
    def opener(self) -> Chapter | None:
        """The chapter that starts on the document's first page: its first, unless a
        part's title page comes before it."""
        first = self.chapters[0]
        return first if first.part is None else None


_HREF = re.compile(r"""\]\(\s*<?([^)\s>]+)|href\s*=\s*["']([^"']+)["']""")


def links(plan: Plan, chapter: Chapter) -> set[str]:
    """The chapters the post (and its comments) links to, as far as a look at its text
    finds them (inline Markdown links and HTML ones)."""
    post = chapter.post
    found: set[str] = set()
    for text in [post.body.text, *(c.body.text for c in post.all_comments())]:
        if "](" not in text and "href" not in text:
            continue
        for pair in _HREF.findall(text):
            for href in pair:
                target = plan.chapter_for_link(href, post.base_dir) if href else None
                if target is not None and target is not chapter:
                    found.add(target.id)
    return found


def _size(chapter: Chapter) -> int:
    post = chapter.post
    return len(post.body.text) + sum(len(c.body.text) + 200 for c in post.all_comments())


def _ends_batch(batch: list[Chapter], held: int, next_links: set[str], next_opens: bool) -> bool:
    """Whether a document ends after the chapters in ``batch`` (``held`` characters):
    when it is long enough, or because of the next post (``next_links``, the posts it
    links to; ``next_opens``, whether a post shortly after links to it)."""
    if len(batch) >= BATCH_CHAPTERS or held >= BATCH_CHARACTERS:
        return True
    return next_opens or any(ch.id in next_links for ch in batch)


def batches(plan: Plan, key: Callable[[list[Chapter]], str]) -> Iterator[Batch]:
    """The book's documents in order; ``key`` names a batch in the cache."""
    chapters = plan.chapters
    linked = [links(plan, chapter) for chapter in chapters]
    place = {chapter.id: n for n, chapter in enumerate(chapters)}
    near = {t for n, found in enumerate(linked) for t in found if 0 < n - place[t] <= NEAR}
    batch: list[Chapter] = []
    held = 0  # characters in the batch
    index = 0
    for n, chapter in enumerate(chapters):
        batch.append(chapter)
        held += _size(chapter)
        last = n + 1 == len(chapters)
        if last or _ends_batch(batch, held, linked[n + 1], chapters[n + 1].id in near):
            yield Batch(index, tuple(batch), key(batch))
            index += 1
            batch, held = [], 0
