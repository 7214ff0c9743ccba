"""Disqus XML export: ``<thread>`` elements (one per page that had comments) and ``<post>``s.

On its own, a Disqus export becomes one (bodiless) post per thread that has comments, with
the thread's link as the post's ``url``. :func:`merge_comments` instead puts the comments of
such a book into the posts of another (a feed, a WordPress or Jekyll import) whose address
matches the thread's link: that is how Disqus comments usually reach a book.

Deleted and spam comments are left out; a reply to one of them is kept at the top level
(with a warning), as every orphan is.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from publish.errors import Diagnostics
from publish.model import Body, Book, Comment, Post
from publish.sources.importers import report as why
from publish.sources.importers.common import Context, RawPost, Site, author_name, one_line
from publish.sources.importers.common import parse_date as _parse
from publish.sources.importers.markup import clean_html
from publish.sources.importers.xmlsafe import Element, child, children, local, parse_xml, text
from publish.sources.threads import build_threads


def _dsq_id(element: Element | None) -> str:
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == "id":
            return str(value).strip()
    return ""


def _flag(element: Element, name: str) -> bool:
    return text(element, name).lower() == "true"


def read(ctx: Context) -> Site:
    root = parse_xml(ctx.path, ctx)
    forums = [text(t, "forum") for t in children(root, "thread") if text(t, "forum")]
    site = Site(title=forums[0] if forums else "", author="")
    threads: dict[str, RawPost] = {}
    left_out: set[str] = set()
    for thread in children(root, "thread"):
        key = _dsq_id(thread)
        if _flag(thread, "isDeleted"):
            ctx.skip(why.TRASHED_POST)
            left_out.add(key)
            continue
        moment = _parse(text(thread, "createdAt")) or datetime(1970, 1, 1)
        threads[key] = RawPost(
            title=one_line(text(thread, "title")),
            date=moment,
            body=Body("", "html"),
            author=one_line(text(child(thread, "author"), "name")) or None,
            url=one_line(text(thread, "link")) or None,
        )
    for post in children(root, "post"):
        thread_id = _dsq_id(child(post, "thread"))
        target = threads.get(thread_id)
        if target is None:
            ctx.skip(why.ON_LEFT_OUT if thread_id in left_out else why.ON_MISSING)
            continue
        reason = _reason(post)
        if reason is not None:
            ctx.skip(reason)
            continue
        number = _dsq_id(post)
        parent = _dsq_id(child(post, "parent")) or None
        target.comments.append(
            Comment(
                id=number,
                author=author_name(text(child(post, "author"), "name")),
                date=_parse(text(post, "createdAt")) or target.date,
                body=Body(clean_html(text(post, "message"), target.url), "html"),
                reply_to=parent if parent != number else None,
            )
        )
    for raw in threads.values():
        if raw.comments:
            site.posts.append(raw)
        else:
            ctx.skip(why.EMPTY_THREAD)
    return site


def _reason(post: Element) -> str | None:
    if _flag(post, "isDeleted"):
        return why.DELETED
    if _flag(post, "isSpam"):
        return why.SPAM
    if text(post, "isApproved").lower() == "false":
        return why.UNAPPROVED
    return None


def url_key(url: str) -> str:
    """An address compared loosely: no scheme, ``www.``, query, fragment or index page."""
    url = re.split(r"[?#]", url.strip(), maxsplit=1)[0]
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.I).removeprefix("www.")
    url = re.sub(r"/index\.html?$", "", url, flags=re.I)
    return url.rstrip("/").lower()


def merge_comments(book: Book, comments: Book, diagnostics: Diagnostics) -> Book:
    """``book`` with the comments of ``comments`` (a Disqus import) added to its posts.

    A thread goes to the post whose ``url`` matches the thread's link; a thread that matches
    no post is left out with a warning. Threads are rebuilt, so replies nest and dates order.
    """
    by_key: dict[str, list[Comment]] = {}
    for thread in comments.posts:
        key = url_key(thread.url or "")
        matched = any(key and url_key(p.url or "") == key for p in book.posts)
        if not matched:
            diagnostics.warn(
                "unmatched-thread",
                f"comment thread '{thread.title}' ({thread.url}) matches no post; left out",
            )
            diagnostics.count("skipped: " + why.ON_MISSING, thread.comment_count)
            continue
        by_key.setdefault(key, []).extend(thread.all_comments())
    posts = []
    merged = 0
    for post in book.posts:
        extra = by_key.get(url_key(post.url or "")) if post.url else None
        if extra:
            posts.append(_with_comments(post, extra))
            merged += len(extra)
        else:
            posts.append(post)
    diagnostics.count("comments merged", merged)
    return dataclasses.replace(book, posts=tuple(posts))


def _with_comments(post: Post, extra: list[Comment]) -> Post:
    own = [dataclasses.replace(c, replies=()) for c in post.all_comments()]
    ids = {c.id for c in own}
    prefix = "disqus-" if any(c.id in ids for c in extra) else ""
    added = [
        dataclasses.replace(
            c,
            id=prefix + c.id,
            reply_to=prefix + c.reply_to if c.reply_to else None,
            replies=(),
        )
        for c in extra
    ]
    flat = own + added
    return dataclasses.replace(post, comments=build_threads(flat, lambda comment: None))
