"""Rules on the book's shape: empty posts and comments, titles used twice."""

from __future__ import annotations

import re
import unicodedata

from publish.check.context import Context, Text
from publish.sources.textfile import parse_document


def _is_empty(text: Text) -> bool:
    tree = text.tree
    return not tree.text_content().strip() and not tree.findall(".//img")


def check_empty(context: Context) -> None:
    for text in context.texts():
        if not _is_empty(text):
            continue
        line = context.body_line(text.source)
        if text.comment is None:
            what = text.kind if text.is_matter else "post"
            context.report(
                "empty-post", f"{what} '{text.post.title}' has no text", text.source, line
            )
        else:
            context.report(
                "empty-comment",
                f"comment by {text.comment.author} on '{text.post.title}' is empty",
                text.source,
                line,
            )


def _title_key(title: str) -> str:
    folded = unicodedata.normalize("NFKC", title).casefold()
    folded = folded.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", folded).strip(" .!?")


def check_duplicate_titles(context: Context) -> None:
    first: dict[str, str] = {}
    for chapter in context.plan.chapters:
        post = chapter.post
        key = _title_key(post.title)
        where = str(post.source) if post.source else post.slug
        if key in first:
            line = None
            if post.source is not None:
                try:
                    line = parse_document(post.source).line("title")
                except Exception:  # the post was read once already; a line is a nicety
                    line = None
            context.report(
                "duplicate-title",
                f"title '{post.title}' is also the title of {first[key]}",
                post.source,
                line,
            )
        else:
            first[key] = where
