"""Read a content folder (``book.toml`` + ``posts/``) into a :class:`~publish.model.Book`."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from publish.errors import Diagnostics, PublishError
from publish.limits import xml_safe_post
from publish.model import Body, Book, Comment, Post
from publish.sources.cache import ReadCache
from publish.sources.config import BookConfig, load_config
from publish.sources.matter import read_matter
from publish.sources.parallel import read_ahead
from publish.sources.textfile import Document, as_datetime, parse_document
from publish.sources.threads import build_threads

POST_KEYS = ("title", "date", "author", "tags", "url", "draft")
COMMENT_KEYS = ("author", "date", "id", "reply_to", "url")
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
OrphanHandler = Callable[[Comment, Document], None]


def _check_keys(doc: Document, allowed: tuple[str, ...], diagnostics: Diagnostics) -> None:
    for key in doc.meta:
        if key not in allowed:
            diagnostics.warn(
                "unknown-key",
                f"unknown front matter key '{key}' (ignored)",
                doc.path,
                doc.line(key),
            )


def _text(doc: Document, key: str, required: bool = False) -> str | None:
    value = doc.meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise doc.error("missing-key", f"'{key}' is required in the front matter", key)
        return None
    if not isinstance(value, str | int | float):
        raise doc.error("bad-value", f"'{key}' must be text", key)
    return str(value).strip()


def _date(doc: Document, fallback: str | None) -> datetime:
    value = doc.meta.get("date")
    if value is None and fallback:
        value = fallback
    if value is None:
        raise doc.error(
            "missing-key", "'date' is required (or start the file name with YYYY-MM-DD)", "date"
        )
    moment = as_datetime(value)
    if moment is None:
        raise doc.error("bad-date", f"bad date {str(value)!r}: use YYYY-MM-DD or ISO 8601", "date")
    return moment


def _tags(doc: Document) -> tuple[str, ...]:
    value = doc.meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list) and all(isinstance(t, str | int) for t in value):
        return tuple(str(t) for t in value)
    raise doc.error("bad-value", "'tags' must be a list of words", "tags")


def _read_comment(path: Path, diagnostics: Diagnostics) -> tuple[Comment, Document]:
    doc = parse_document(path)
    _check_keys(doc, COMMENT_KEYS, diagnostics)
    reply_to = doc.meta.get("reply_to")
    comment = Comment(
        id=_text(doc, "id") or path.stem,
        author=_text(doc, "author", required=True) or "",
        date=_date(doc, None),
        body=Body(doc.body),
        url=_text(doc, "url"),
        reply_to=None if reply_to is None else str(reply_to),
        source=path,
    )
    return comment, doc


def _match_numeric_ids(comments: list[Comment]) -> list[Comment]:
    """``reply_to: 0001`` is the YAML integer 1: let it name the comment ``0001``."""
    by_number = {c.id.lstrip("0"): c.id for c in comments if c.id.isdigit()}
    ids = {c.id for c in comments}
    fixed = []
    for c in comments:
        if c.reply_to is not None and c.reply_to not in ids and c.reply_to in by_number:
            c = dataclasses.replace(c, reply_to=by_number[c.reply_to])
        fixed.append(c)
    return fixed


def _read_comments(
    folder: Path, diagnostics: Diagnostics, on_orphan: OrphanHandler | None = None
) -> tuple[Comment, ...]:
    if not folder.is_dir():
        return ()
    read = [_read_comment(p, diagnostics) for p in sorted(folder.glob("*.md"))]
    docs = {c.id: d for c, d in read}
    seen: dict[str, Path] = {}
    for comment, doc in read:
        if comment.id in seen:
            raise doc.error(
                "duplicate-id",
                f"comment id '{comment.id}' is also used by {seen[comment.id].name}",
                "id",
            )
        seen[comment.id] = doc.path

    def orphan(comment: Comment) -> None:
        if on_orphan is not None:  # `publish check` reports every orphan and reads on
            on_orphan(comment, docs[comment.id])
            return
        raise docs[comment.id].error(
            "bad-reply-to",
            f"reply_to '{comment.reply_to}' names no comment of this post",
            "reply_to",
        )

    return build_threads(_match_numeric_ids([c for c, _ in read]), orphan)


def read_post(
    entry: Path, diagnostics: Diagnostics, on_orphan: OrphanHandler | None = None
) -> Post:
    """A post: a bundle folder with ``index.md`` (and ``comments/``), or a single ``.md`` file.

    A reply whose ``reply_to`` names no comment is an error, unless ``on_orphan`` is given:
    then it is called and the reply is kept at the top level.
    """
    source = entry / "index.md" if entry.is_dir() else entry
    if not source.is_file():
        raise PublishError("missing-file", "post folder has no index.md", entry)
    doc = parse_document(source)
    _check_keys(doc, POST_KEYS, diagnostics)
    slug = entry.name if entry.is_dir() else entry.stem
    dated = _DATED_NAME.match(slug)
    draft = doc.meta.get("draft", False)
    if not isinstance(draft, bool):
        raise doc.error("bad-value", "'draft' must be true or false", "draft")
    return Post(
        slug=slug,
        title=_text(doc, "title", required=True) or "",
        date=_date(doc, dated.group(1) if dated else None),
        body=Body(doc.body),
        author=_text(doc, "author"),
        tags=_tags(doc),
        url=_text(doc, "url"),
        draft=draft,
        comments=_read_comments(entry / "comments", diagnostics, on_orphan)
        if entry.is_dir()
        else (),
        source=source,
        base_dir=source.parent,
    )


def _post_entries(posts_dir: Path, diagnostics: Diagnostics) -> list[Path]:
    entries = []
    for entry in sorted(posts_dir.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix == ".md":
            entries.append(entry)
        else:
            diagnostics.warn("stray-file", "not a post (a .md file or a folder); ignored", entry)
    return entries


def book_from_config(config: BookConfig, posts: tuple[Post, ...], root: Path | None) -> Book:
    return Book(
        title=config.title,
        author=config.author,
        language=config.language,
        posts=posts,
        subtitle=config.subtitle,
        publisher=config.publisher,
        description=config.description,
        date=config.date,
        identifier=config.identifier,
        cover=config.cover,
        order=config.order,
        comments=config.comments,
        pdf=config.pdf,
        root=root,
        sample=config.sample,
        back_cover=config.back_cover,
        parts=config.parts,
    )


def _read_safe(entry: Path, diagnostics: Diagnostics) -> Post:
    return xml_safe_post(read_post(entry, diagnostics))


def spelled_one_way(root: Path) -> Path:
    """The content folder's path spelled the same whichever way it was given (``content``,
    ``./content/``, ``/home/me/blog/content``): relative to the working folder when it is
    inside it, else absolute; symbolic links are kept as given. The posts' paths start
    with it, and the build caches key on them: two spellings must not be two books."""
    try:
        here = Path.cwd()
    except OSError:  # the working folder was removed: the given path was absolute
        return root
    absolute = Path(os.path.normpath(here / root))
    return absolute.relative_to(here) if absolute.is_relative_to(here) else absolute


def load_content(root: Path, diagnostics: Diagnostics, cache: str | Path | None = None) -> Book:
    """The book of a content folder, its posts XML-safe. With ``cache`` (a folder), posts
    whose files are as the last build found them are not read again (see
    :mod:`publish.sources.cache`)."""
    root = spelled_one_way(root)
    if not root.is_dir():
        raise PublishError("no-content", "content folder not found", root)
    config_path = root / "book.toml"
    if not config_path.is_file():
        raise PublishError("no-content", "no book.toml in the content folder", root)
    config = load_config(config_path)
    posts_dir = root / "posts"
    entries = _post_entries(posts_dir, diagnostics) if posts_dir.is_dir() else []
    if not entries:
        raise PublishError("no-posts", "no posts: add Markdown files to posts/", posts_dir)
    if cache is None:
        with read_ahead(entries, _read_safe) as read:
            posts = tuple(read(entry, diagnostics) for entry in entries)
    else:
        with ReadCache(cache, root) as kept:
            unread = [e for e in entries if not kept.has(e)]
            with read_ahead(unread, _read_safe) as read:
                posts = tuple(kept.read(entry, diagnostics, read) for entry in entries)
    book = book_from_config(config, posts, root.resolve())
    front, back = read_matter(root.resolve(), diagnostics)
    return dataclasses.replace(book, front_matter=front, back_matter=back)
