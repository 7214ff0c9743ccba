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


def prune_dead_fragments(chapters: list[RenderedChapter]) -> list[RenderedChapter]:
    ids = {c.id for c in chapters}
    for chapter in chapters:
        ids.update(_ID.findall(chapter.body))
        for comment in _comments(chapter):
            ids.add(comment.id)
            ids.update(_ID.findall(comment.body))
    by_prefix = {m.group(0): c.id for c in chapters if (m := _CHAPTER_PREFIX.match(c.id))}

    def fix(match: re.Match[str]) -> str:
        path, fragment = match.group(1), match.group(2)
        if fragment in ids:
            return match.group(0)
        if path:  # a chapter file of its own (EPUB): its start
            return f'href="{path}"'
        prefix = _CHAPTER_PREFIX.match(fragment)
        return f'href="#{by_prefix.get(prefix.group(0), fragment) if prefix else fragment}"'

    def prune(body: Markup) -> Markup:
        if 'class="xref"' not in body:
            return body
        return Markup(_XREF.sub(fix, body))  # our own XHTML, its links rewritten

    def fix_comment(comment: RenderedComment) -> RenderedComment:
        replies = [fix_comment(r) for r in comment.replies]
        return dataclasses.replace(comment, body=prune(comment.body), replies=replies)

    return [
        dataclasses.replace(
            chapter,
            body=prune(chapter.body),
            comments=tuple(fix_comment(c) for c in chapter.comments),
        )
        for chapter in chapters
    ]
