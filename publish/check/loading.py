"""Read a book for the lint: every problem reported, as much of the book read as can be.

The build stops at the first error; the lint reads on. A post, or a page of front or back
matter (``content/front``, ``content/back``), that cannot be read is reported and left out;
a reply whose parent is missing is reported and kept at the top level; the loader's own
warnings (unknown keys, stray files) become findings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.check.context import Context
from publish.check.findings import Finding
from publish.errors import Diagnostics, PublishError
from publish.model import Book, Comment, Post
from publish.sources import load_book
from publish.sources.config import load_config
from publish.sources.content import _post_entries, book_from_config, read_post
from publish.sources.matter import read_matter
from publish.sources.textfile import Document


def _error(error: PublishError) -> Finding:
    return Finding(error.code, error.message, "error", error.file, error.line)


def load_leniently(source: Path, diagnostics: Diagnostics) -> tuple[Book | None, list[Finding]]:
    """The book at ``source`` (None when nothing can be read) and what went wrong reading it."""
    findings: list[Finding] = []
    if not (source.is_dir() and (source / "book.toml").is_file()):
        try:  # a blog export: the importers read it whole or not at all
            return load_book(source, diagnostics), findings
        except PublishError as error:
            return None, [_error(error)]
    try:
        config = load_config(source / "book.toml")
    except PublishError as error:
        return None, [_error(error)]
    posts_dir = source / "posts"
    entries = _post_entries(posts_dir, diagnostics) if posts_dir.is_dir() else []
    if not entries:
        findings.append(
            Finding("no-posts", "no posts: add Markdown files to posts/", "error", posts_dir)
        )

    def orphan(comment: Comment, doc: Document) -> None:
        ids = {p.stem for p in doc.path.parent.glob("*.md")}
        why = (
            "is caught in a cycle of replies"
            if comment.reply_to in ids
            else "names no comment of this post"
        )
        findings.append(
            Finding(
                "bad-reply-to",
                f"reply_to '{comment.reply_to}' {why}; the thread's parent is missing",
                "error",
                doc.path,
                doc.line("reply_to") or 1,
            )
        )

    posts: list[Post] = []
    for entry in entries:
        try:
            posts.append(read_post(entry, diagnostics, on_orphan=orphan))
        except PublishError as error:
            findings.append(_error(error))
    book = book_from_config(config, tuple(posts), source.resolve())
    # Named as the posts are (the folder as given), not resolved as a build has them.
    front, back = read_matter(source, diagnostics, on_error=lambda e: findings.append(_error(e)))
    return dataclasses.replace(book, front_matter=front, back_matter=back), findings


def warnings_as_findings(diagnostics: Diagnostics, context: Context) -> None:
    for warning in diagnostics.warnings:
        context.report(warning.code, warning.message, warning.file, warning.line, "warning")
