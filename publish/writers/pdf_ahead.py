"""The book's documents in order, the next few made ready while a worker waits.

A worker that has laid out its document waits for the one before it to be laid out, to
learn its first page number (:class:`publish.writers.pdf_worker.Numbering`); meanwhile a
core is idle. In a 1,000-post book that was some 28 s of a 210 s build. The builder has
work of its own besides: rendering the next documents' posts (Markdown to HTML), some
18 s, done as each is handed out, on a core the workers were using.

:class:`Ahead` lets the builder do that work while a worker waits: it takes the next
documents from the book's sequence and makes each one ready (looked up in the cache, or
rendered) a few at a time, and gives them back in the same order when they are handed
out. A document made ready too soon for a "see page" it holds is rendered again when it
is handed out, as one that waited for its links is (``pdf_book._chapters``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Item = TypeVar("Item")
Ready = TypeVar("Ready")

AHEAD = 4  # documents made ready, at most, before they are handed out


class Ahead(Generic[Item, Ready]):
    def __init__(self, items: Iterator[Item], ready: Callable[[Item], Ready]) -> None:
        self.items = items
        self.ready = ready
        self.queue: deque[tuple[Item, Ready]] = deque()
        self.exhausted = False

    def next(self) -> tuple[Item, Ready] | None:
        """The next item and what made it ready; ``None`` after the last."""
        if self.queue:
            return self.queue.popleft()
        return self._take()

    def work(self, idle: Callable[[], bool]) -> None:
        """Make the next items ready while ``idle()`` says a core is free (up to
        :data:`AHEAD` of them)."""
        while len(self.queue) < AHEAD and idle():
            taken = self._take()
            if taken is None:
                return
            self.queue.append(taken)

    def _take(self) -> tuple[Item, Ready] | None:
        if self.exhausted:
            return None
        item = next(self.items, None)
        if item is None:
            self.exhausted = True
            return None
        return item, self.ready(item)
