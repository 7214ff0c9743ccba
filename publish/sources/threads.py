"""Turn a flat list of comments (each naming the one it answers) into threads."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

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

    def nest(comment: Comment) -> Comment:
        placed.add(comment.id)
        kids = sorted(children.get(comment.id, ()), key=_by_date)
        replies = tuple(nest(kid) for kid in kids if kid.id not in placed)
        return dataclasses.replace(comment, replies=replies)

    threads = [nest(root) for root in sorted(roots, key=_by_date)]
    # Replies caught in a cycle are reachable from no root: keep them, at the top level.
    for comment in flat:
        if comment.id not in placed:
            on_orphan(comment)
            threads.append(nest(dataclasses.replace(comment, reply_to=None)))
    return tuple(sorted(threads, key=_by_date))
