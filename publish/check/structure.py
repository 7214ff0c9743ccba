"""Rules on the book's shape: empty posts and comments, titles used twice."""

from __future__ import annotations

import re
import unicodedata

from publish.assembly import Chapter
from publish.check.context import Context, Text
from publish.model import Post
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
            context.report(
                "empty-post", f"{text.name} '{text.post.title}' has no text", text.source, line
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


def _title_line(post: Post) -> int | None:
    if post.source is None:
        return None
    try:
        return parse_document(post.source).line("title")
    except Exception:  # the file was read once already; a line is a nicety
        return None


def _where(chapter: Chapter) -> str:
    post = chapter.post
    return str(post.source) if post.source else post.slug


def check_duplicate_titles(context: Context) -> None:
    """Two posts with one title: ``duplicate-title``.

    Pages of front and back matter are not posts. A post with the title of one listed in
    the contents (a post "Foreword" and ``front/02-foreword.md``), or two such pages with one
    title, is ``matter-title``: the contents list both under one name, often because a post
    was copied into the matter and left among the posts. A dedication's or an epigraph's
    title is printed nowhere, so it clashes with nothing."""
    name = context.plan.kind_name
    matter: dict[str, Chapter] = {}
    for chapter in context.plan.chapters:
        if chapter.is_post:
            continue
        key = _title_key(chapter.title)
        if key in matter:
            context.report(
                "matter-title",
                f"{name(chapter)} '{chapter.title}' has the title of the "
                f"{name(matter[key])} {_where(matter[key])}: "
                "the contents list both under one name",
                chapter.post.source,
                _title_line(chapter.post),
            )
        else:
            matter[key] = chapter
    posts: dict[str, Chapter] = {}
    for chapter in context.plan.posts:
        key = _title_key(chapter.title)
        if key in matter:
            context.report(
                "matter-title",
                f"post '{chapter.title}' has the title of the "
                f"{name(matter[key])} {_where(matter[key])}: "
                "the contents list both under one name",
                chapter.post.source,
                _title_line(chapter.post),
            )
        if key in posts:
            context.report(
                "duplicate-title",
                f"title '{chapter.title}' is also the title of {_where(posts[key])}",
                chapter.post.source,
                _title_line(chapter.post),
            )
        else:
            posts[key] = chapter


def check_part_titles(context: Context) -> None:
    """A post, or a page of front or back matter listed in the contents, with the title of
    a part (``parts = "year"``: a post "2015" in a book with a part 2015): ``part-title``.
    The contents and the e-book's navigation list the part and the chapter under one name.
    Without parts, or with no part of that title, a post "2015" clashes with nothing."""
    parts = {
        _title_key(chapter.part.title): chapter.part
        for chapter in context.plan.chapters
        if chapter.part is not None
    }
    if not parts:
        return
    for chapter in context.plan.chapters:
        part = parts.get(_title_key(chapter.title))
        if part is None:
            continue
        what = context.plan.kind_name(chapter)
        context.report(
            "part-title",
            f"{what} '{chapter.title}' has the title of the part {part.title}: "
            "the contents list both under one name",
            chapter.post.source,
            _title_line(chapter.post),
        )
