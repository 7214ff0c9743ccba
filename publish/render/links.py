"""Links from one chapter into another: keep a fragment only if it names an id in the book.

Blog posts link to anchors the book does not have (a heading id another engine made, a
comment's anchor on the blog). Once every chapter is rendered, such a link is pointed at
the start of its chapter instead of at nothing.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup

from publish.render.chapters import RenderedChapter, RenderedComment

_ID = re.compile(r'\sid="([^"]+)"')
_XREF = re.compile(r'href="([^"#]*)#([^"]+)"(?= class="xref")')
_CHAPTER_PREFIX = re.compile(r"^ch-\d+")


def _comments(chapter: RenderedChapter) -> list[RenderedComment]:
    found, stack = [], list(chapter.comments)
    while stack:
        comment = stack.pop()
        found.append(comment)
        stack.extend(comment.replies)
    return found


def fragment_ids(chapter: RenderedChapter) -> list[str]:
    """The ids a chapter's links can point at: its own, its comments' and any in their text."""
    ids = [chapter.id, *_ID.findall(chapter.body)]
    for comment in _comments(chapter):
        ids.append(comment.id)
        ids.extend(_ID.findall(comment.body))
    return ids


def linked_fragments(chapter: RenderedChapter) -> list[str]:
    """The fragments a chapter's links into the book point at (to check against the ids)."""
    bodies = [chapter.body, *(c.body for c in _comments(chapter))]
    return [m.group(2) for body in bodies if 'class="xref"' in body for m in _XREF.finditer(body)]


class Pruner:
    """Points links to missing fragments at their chapters, given every id in the book and
    the chapters' ids; a chapter (or comment) with nothing to change comes back as it is."""

    def __init__(self, ids: set[str], chapter_ids: list[str]) -> None:
        self.ids = ids
        self.by_prefix = {m.group(0): i for i in chapter_ids if (m := _CHAPTER_PREFIX.match(i))}

    def _fix(self, match: re.Match[str]) -> str:
        path, fragment = match.group(1), match.group(2)
        if fragment in self.ids:
            return match.group(0)
        if path:  # a chapter file of its own (EPUB): its start
            return f'href="{path}"'
        prefix = _CHAPTER_PREFIX.match(fragment)
        found = self.by_prefix.get(prefix.group(0), fragment) if prefix else fragment
        return f'href="#{found}"'

    def _body(self, body: Markup) -> Markup:
        if 'class="xref"' not in body:
            return body
        pruned = _XREF.sub(self._fix, body)
        return body if pruned == body else Markup(pruned)  # our own XHTML, links rewritten

    def _comment(self, comment: RenderedComment) -> RenderedComment:
        replies = [self._comment(r) for r in comment.replies]
        body = self._body(comment.body)
        same = all(a is b for a, b in zip(replies, comment.replies, strict=True))
        if body is comment.body and same:
            return comment
        return dataclasses.replace(comment, body=body, replies=replies)

    def chapter(self, chapter: RenderedChapter) -> RenderedChapter:
        body = self._body(chapter.body)
        comments = tuple(self._comment(c) for c in chapter.comments)
        same = all(a is b for a, b in zip(comments, chapter.comments, strict=True))
        if body is chapter.body and same:
            return chapter
        return dataclasses.replace(chapter, body=body, comments=comments)


def prune_dead_fragments(
    chapters: list[RenderedChapter], ids: set[str] | None = None
) -> list[RenderedChapter]:
    """The chapters with links to missing fragments pointed at their chapters instead.
    ``ids``: every id in the book, when known (else found in the chapters)."""
    if ids is None:
        ids = {i for chapter in chapters for i in fragment_ids(chapter)}
    pruner = Pruner(ids, [c.id for c in chapters])
    return [pruner.chapter(chapter) for chapter in chapters]
