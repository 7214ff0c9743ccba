"""Write an imported Book as a content folder (the format ``publish.sources.content`` reads).

    dest/book.toml                               only when there is none yet
    dest/posts/2016-07-13-the-end-of-the-caliphate/index.md
    dest/posts/2016-07-13-the-end-of-the-caliphate/comments/0001.md
    dest/posts/2016-08-02-a-short-note.md        a post without comments: a single file

Front matter is written with ``yaml.safe_dump``; bodies as they are (an HTML body from an
export is block HTML, which Markdown passes through untouched). Comment files are numbered
in reading order (threads depth first, by date); each keeps the export's ``id`` and names
the comment it answers in ``reply_to``. Nothing that exists is overwritten unless
``force``; without it, a clash is an error naming the file, raised before anything is
written. Every file is written to a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from publish.errors import PublishError
from publish.model import Book, Comment, Post


class _Dumper(yaml.SafeDumper):
    """Safe YAML that never writes ``&anchors``/``*aliases`` (the content reader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _front_matter(meta: dict[str, Any], body: str) -> str:
    head = yaml.dump(
        meta,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**6,
    )
    text = body.strip("\n")
    return f"---\n{head}---\n\n{text}\n" if text else f"---\n{head}---\n"


def post_text(post: Post) -> str:
    meta: dict[str, Any] = {"title": post.title, "date": post.date}
    if post.author:
        meta["author"] = post.author
    if post.tags:
        meta["tags"] = list(post.tags)
    if post.url:
        meta["url"] = post.url
    return _front_matter(meta, post.body.text)


def comment_text(comment: Comment) -> str:
    meta: dict[str, Any] = {"author": comment.author, "date": comment.date, "id": comment.id}
    if comment.reply_to:
        meta["reply_to"] = comment.reply_to
    if comment.url:
        meta["url"] = comment.url
    return _front_matter(meta, comment.body.text)


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string, once DEL (allowed in JSON, not in TOML) is escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def book_toml(book: Book) -> str:
    lines = [
        "# Written by `publish import`. Edit freely: see the README for every key.",
        f"title = {_toml_string(book.title)}",
        f"author = {_toml_string(book.author)}",
        f"language = {_toml_string(book.language)}",
    ]
    for key in ("subtitle", "publisher", "description"):
        value = getattr(book, key)
        if value:
            lines.append(f"{key} = {_toml_string(value)}")
    return "\n".join(lines) + "\n"


def _files(book: Book, posts_dir: Path) -> Iterator[tuple[Path, str]]:
    for post in sorted(book.posts, key=lambda p: p.slug):
        bundle = posts_dir / post.slug
        if not post.comments and not bundle.is_dir():
            yield posts_dir / f"{post.slug}.md", post_text(post)
            continue
        yield bundle / "index.md", post_text(post)
        for n, comment in enumerate(post.all_comments(), start=1):
            yield bundle / "comments" / f"{n:04d}.md", comment_text(comment)


def _other_forms(book: Book, posts_dir: Path, names: set[Path]) -> Iterator[Path]:
    """Files of an earlier import of the same posts that this one would not rewrite."""
    for post in book.posts:
        single, bundle = posts_dir / f"{post.slug}.md", posts_dir / post.slug
        candidates = [single, bundle / "index.md"]
        if bundle.is_dir():
            candidates += sorted((bundle / "comments").glob("*.md"))
        yield from (path for path in candidates if path.exists() and path not in names)


def write_content(book: Book, dest: Path, force: bool = False) -> list[Path]:
    """Write ``book`` under ``dest`` in the content format; the files written, in order.

    ``book.toml`` is written only when there is none. A post file (or comment file) that
    exists is an error naming it, unless ``force``: then the post's files are replaced.
    """
    dest = Path(dest)
    posts_dir = dest / "posts"
    files = list(_files(book, posts_dir))
    names = {path for path, _ in files}
    if len(names) != len(files):  # pragma: no cover - slugs are unique by construction
        raise PublishError("duplicate-slug", "two posts would be written to one file", dest)
    stale = sorted(set(_other_forms(book, posts_dir, names)))
    clashes = sorted({path for path, _ in files if path.exists()} | set(stale))
    if clashes and not force:
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        raise PublishError(
            "exists",
            f"already exists{more}; not overwritten (use --force to replace imported posts)",
            clashes[0],
        )
    written: list[Path] = []
    config = dest / "book.toml"
    if not config.exists():
        _write(config, book_toml(book))
        written.append(config)
    for path in stale:
        path.unlink()
    for path, text in files:
        _write(path, text)
        written.append(path)
    return written


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".publish-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_appendices(pages: list[Post], folder: Path, force: bool = False) -> list[Path]:
    """The blog's pages as back matter (``content/back/NN-slug.md``, type ``appendix``).

    Their comments are not kept: back matter has none. Existing files are an error unless
    ``force``.
    """
    files = [
        (
            folder / f"{n:02d}-{page.slug}.md",
            _front_matter({"title": page.title, "type": "appendix"}, page.body.text),
        )
        for n, page in enumerate(pages, start=1)
    ]
    clashes = [path for path, _ in files if path.exists()]
    if clashes and not force:
        raise PublishError("exists", "already exists; not overwritten (use --force)", clashes[0])
    for path, text in files:
        _write(path, text)
    return [path for path, _ in files]
