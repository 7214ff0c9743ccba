"""Which chapters share a WeasyPrint document (a batch), and which posts each links to.

Batches amortise WeasyPrint's cost per document over a few chapters. Where they end
depends on each post's slug and its links, not on the posts before it, so editing one
post does not move the ends of the batches after it (the build cache keys on batches);
the limits keep memory bounded.

Links decide two ends, so that a "see page N" rarely waits for a post being laid out:

- a document ends before a post that links to one in it: the page of a post in the same
  document is not known before that document is laid out;
- a post that a post shortly after it links to opens a document of its own: its page is
  then its document's first page, known as soon as the documents before it are laid out,
  without waiting for its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from publish.assembly import Chapter, Plan

BATCH_SPREAD = 4  # on average a document ends after one chapter in this many
BATCH_CHAPTERS = 8  # at most this many chapters in one document
BATCH_CHARACTERS = 60_000  # or about this much text (some 20 pages): memory stays low
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


def _ends_batch(
    chapter: Chapter, batch: list[Chapter], next_links: set[str], next_opens: bool
) -> bool:
    """Whether a document ends after ``chapter``: mostly decided by the post itself, and
    by the next one (``next_links``, the posts it links to; ``next_opens``, whether a post
    shortly after links to it)."""
    if len(batch) >= BATCH_CHAPTERS or sum(_size(ch) for ch in batch) >= BATCH_CHARACTERS:
        return True
    if next_opens or any(ch.id in next_links for ch in batch):
        return True
    return hashlib.sha256(chapter.post.slug.encode()).digest()[0] % BATCH_SPREAD == 0


def batches(plan: Plan, key: Callable[[list[Chapter]], str]) -> Iterator[Batch]:
    """The book's documents in order; ``key`` names a batch in the cache."""
    chapters = plan.chapters
    linked = [links(plan, chapter) for chapter in chapters]
    place = {chapter.id: n for n, chapter in enumerate(chapters)}
    near = {t for n, found in enumerate(linked) for t in found if 0 < n - place[t] <= NEAR}
    batch: list[Chapter] = []
    index = 0
    for n, chapter in enumerate(chapters):
        batch.append(chapter)
        last = n + 1 == len(chapters)
        if last or _ends_batch(chapter, batch, linked[n + 1], chapters[n + 1].id in near):
            yield Batch(index, tuple(batch), key(batch))
            index += 1
            batch = []
