"""Turn a flat list of comments (each naming the one it answers) into threads."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from publish.errors import PublishError
from publish.limits import MAX_THREAD_DEPTH
from publish.model import Comment, sort_key


def _by_date(comment: Comment) -> tuple[object, str]:
    return (sort_key(comment.date), comment.id)


def build_threads(
    flat: Sequence[Comment],
    on_orphan: Callable[[Comment], None],
) -> tuple[Comment, ...]:
    """Nest replies under their parents, every level in date order.

    ``on_orphan`` is called for a reply whose parent is not in ``flat`` (or that sits in a
    cycle of replies); it may raise, and if it returns the comment is kept at the top level.
    A reply more than ``MAX_THREAD_DEPTH`` replies deep is an error (``thread-too-deep``).
    """
    ids = {c.id for c in flat}
    children: dict[str, list[Comment]] = {}
    roots: list[Comment] = []
    for comment in flat:
        if comment.reply_to is None:
            roots.append(comment)
        elif comment.reply_to not in ids or comment.reply_to == comment.id:
            on_orphan(comment)
            roots.append(comment)
        else:
            children.setdefault(comment.reply_to, []).append(comment)

    placed: set[str] = set()

    def nest(top: Comment) -> Comment:
        """``top`` with its replies nested, without recursion (threads can be very deep)."""
        placed.add(top.id)
        # Each frame: a comment, and its replies nested so far, and those still to do.
        frames: list[tuple[Comment, list[Comment], list[Comment]]] = []

        def enter(comment: Comment) -> None:
            if len(frames) > MAX_THREAD_DEPTH:
                raise PublishError(
                    "thread-too-deep",
                    f"the comment by {comment.author} is more than {MAX_THREAD_DEPTH} replies "
                    "deep in its thread",
                    comment.source,
                )
            kids = sorted(children.get(comment.id, ()), key=_by_date)
            frames.append((comment, [], kids[::-1]))

        enter(top)
        while True:
            comment, done, todo = frames[-1]
            while todo and todo[-1].id in placed:
                todo.pop()
            if todo:
                kid = todo.pop()
                placed.add(kid.id)
                enter(kid)
                continue
            frames.pop()
            finished = dataclasses.replace(comment, replies=tuple(done))
            if not frames:
                return finished
            frames[-1][1].append(finished)

    threads = [nest(root) for root in sorted(roots, key=_by_date)]
    # Replies caught in a cycle are reachable from no root: keep them, at the top level.
    for comment in flat:
        if comment.id not in placed:
            on_orphan(comment)
            threads.append(nest(dataclasses.replace(comment, reply_to=None)))
    return tuple(sorted(threads, key=_by_date))
