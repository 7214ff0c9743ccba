"""What one input may cost, and the characters no book can carry.

Posts and comments are written by strangers. These limits keep one of them from making a
build take hours, run out of memory or crash deep inside a library:

- ``MAX_FILE_BYTES``: a content file (post, comment, ``book.toml``) larger than this is an
  error (``too-large``).
- ``MAX_BODY_CHARS``: a post or comment body longer than this is an error (``too-large``),
  whatever it came from (a content file or a blog export). A million characters is about
  five hundred printed pages; laying out one such comment takes WeasyPrint minutes.
- ``MAX_HTML_DEPTH``: elements nested deeper than this inside one body are unwrapped (their
  text kept) with a warning (``too-deep``): WeasyPrint lays boxes out recursively and
  fails on documents nested a few hundred levels deep. Markdown that nests too deeply for
  Python-Markdown (hundreds of lists inside each other) is set as plain text, with the
  same warning.
- ``MAX_THREAD_DEPTH``: a reply more than this many replies below the comment that starts
  its thread is an error (``thread-too-deep``). The books show threads nested only a few
  levels deep whatever their depth; this bounds the recursion in the code that walks them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from publish.model import Body, Book, Comment, Post

T = TypeVar("T", Book, Post, Comment, Body)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_BODY_CHARS = 1_000_000
MAX_HTML_DEPTH = 40
MAX_THREAD_DEPTH = 500

# What XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage return,
# lone surrogates (from escapes such as YAML's "\ud800") and the non-characters U+FFFE/FFFF.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters no XHTML file (and no sanitiser) can take."""
    return XML_INVALID.sub("", text)


def _cleaned(item: T, **changes: Any) -> T:
    """``item`` with its text fields (and ``changes``) XML-safe; itself when nothing changes."""
    for f in dataclasses.fields(item):
        value = changes.get(f.name, getattr(item, f.name))
        if isinstance(value, str) and XML_INVALID.search(value):
            changes[f.name] = xml_safe(value)
        elif isinstance(value, tuple) and any(
            isinstance(v, str) and XML_INVALID.search(v) for v in value
        ):
            changes[f.name] = tuple(xml_safe(v) if isinstance(v, str) else v for v in value)
    same = all(changes[k] is getattr(item, k) for k in changes)
    return item if same else dataclasses.replace(item, **changes)


def _clean_comment(top: Comment) -> Comment:
    """A thread, cleaned bottom-up without recursion (threads can be hundreds deep)."""
    done: dict[int, Comment] = {}
    stack: list[tuple[Comment, bool]] = [(top, False)]
    while stack:
        comment, expanded = stack.pop()
        if not expanded:
            stack.append((comment, True))
            stack.extend((reply, False) for reply in comment.replies)
            continue
        replies = tuple(done.pop(id(r)) for r in comment.replies)
        if all(a is b for a, b in zip(replies, comment.replies, strict=True)):
            replies = comment.replies
        done[id(comment)] = _cleaned(comment, body=_cleaned(comment.body), replies=replies)
    return done[id(top)]


def xml_safe_post(post: Post) -> Post:
    """``post`` with every text XML-safe (itself when nothing changes): its title, names,
    tags and bodies, its comments' too."""
    comments = tuple(_clean_comment(c) for c in post.comments)
    if all(a is b for a, b in zip(comments, post.comments, strict=True)):
        comments = post.comments
    cleaned = _cleaned(post, body=_cleaned(post.body), comments=comments)
    if not cleaned.title.strip() and post.title.strip():  # it held nothing but those
        cleaned = dataclasses.replace(cleaned, title=f"{post.date:%Y-%m-%d}")
    return cleaned


def xml_safe_book(book: Book, *, posts_safe: bool = False) -> Book:
    """``book`` with every text XML-safe: titles, names, tags and bodies, however read.

    YAML (front matter, Jekyll data) can write any character with an escape ("\\x01",
    "\\ud800"); no XHTML file, EPUB package or PDF can hold some of them. With
    ``posts_safe``, the posts are taken as they are (a reader made them XML-safe already).
    """
    cleaned = book.posts if posts_safe else tuple(xml_safe_post(p) for p in book.posts)
    if all(a is b for a, b in zip(cleaned, book.posts, strict=True)):
        cleaned = book.posts
    return _cleaned(book, posts=cleaned)
