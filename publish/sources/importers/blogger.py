"""Blogger exports: the legacy "Back up content" Atom file and the newer Takeout ``feed.atom``.

Legacy: every entry has a ``kind#post|page|comment`` category; drafts carry
``app:control/app:draft = yes``; a comment names its post in ``thr:in-reply-to/@ref``
(``...post-<n>`` even when the target is a page ``...page-<n>``: the numeric suffix is what
matches) and the comment it answers in a ``rel="related"`` link.

Takeout (``xmlns:blogger="http://schemas.google.com/blogger/2018"``): ``blogger:type``
POST/PAGE/COMMENT, ``blogger:status`` (LIVE, DRAFT, SCHEDULED, SOFT_TRASHED, ...),
``blogger:parent`` (the post) and ``blogger:inReplyTo`` (the comment answered).

Comment titles (Blogger's truncated copies of the body) are ignored.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from lxml import etree

from publish.model import Body, Comment, sort_key
from publish.sources.importers import report as why
from publish.sources.importers.common import (
    Context,
    RawPost,
    Site,
    author_name,
    one_line,
    parse_date,
)
from publish.sources.importers.markup import clean_html
from publish.sources.importers.xmlsafe import Element, child, children, local, parse_xml, text

ATOM = "http://www.w3.org/2005/Atom"
KIND_SCHEME = "schemas.google.com/g/2005#kind"
LABEL_SCHEMES = ("http://www.blogger.com/atom/ns#",)
TAKEOUT_NS = "schemas.google.com/blogger/2018"
_NUMBER = re.compile(r"(\d+)\s*$")
# What Blogger leaves of a comment its author or the blog's owner removed.
_REMOVED = re.compile(
    r"^This (?:comment|post) has been removed by (?:the author|a blog administrator)\.$"
)


def _number(value: str | None) -> str:
    match = _NUMBER.search(value or "")
    return match.group(1) if match else (value or "").strip()


def _link(entry: Element, rel: str) -> str | None:
    for link in children(entry, "link"):
        if link.get("rel") == rel and link.get("href"):
            return (link.get("href") or "").strip()
    return None


def _content(entry: Element) -> str:
    content = child(entry, "content")
    if content is None:
        return ""
    if content.get("type") == "xhtml":
        return "".join(etree.tostring(c, encoding="unicode") for c in content)
    raw = content.text or ""
    if content.get("type") == "text":
        return escape(raw)
    return raw


def _date(entry: Element, ctx: Context, *names: str) -> datetime:
    for name in names:
        moment = parse_date(text(entry, name))
        if moment is not None:
            return moment
    ctx.warn("bad-date", f"entry {text(entry, 'id')!r} has no date; dated 1 January 1970")
    return datetime(1970, 1, 1)


def _labels(entry: Element, takeout: bool) -> tuple[str, ...]:
    labels = []
    for category in children(entry, "category"):
        scheme = category.get("scheme") or ""
        term = one_line(category.get("term"))
        if not term or KIND_SCHEME in scheme:
            continue
        if takeout or scheme in LABEL_SCHEMES:
            labels.append(term)
    return tuple(dict.fromkeys(labels))


def read(ctx: Context) -> Site:
    return read_blogger(parse_xml(ctx.path, ctx), ctx)


def read_blogger(root: Element, ctx: Context) -> Site:
    takeout = any(TAKEOUT_NS in (uri or "") for uri in root.nsmap.values()) or any(
        local(c.tag) == "type" and TAKEOUT_NS in str(c.tag) for e in root for c in e
    )
    ctx.report.format = "blogger-takeout" if takeout else "blogger"
    author = one_line(text(child(root, "author"), "name"))
    blog = Site(
        title=one_line(text(root, "title")),
        author=author,
        url=_link(root, "alternate"),
    )
    exported = parse_date(text(root, "updated"))
    posts: dict[str, RawPost] = {}
    left_out: dict[str, str] = {}  # numeric id -> why the post was left out
    comments: list[tuple[Element, str]] = []
    for entry in children(root, "entry"):
        kind, status = _kind_status(entry, takeout)
        number = _number(text(entry, "id"))
        if kind == "comment":
            comments.append((entry, status))
            continue
        if kind == "settings" and text(entry, "id").endswith(".settings.BLOG_LOCALE"):
            blog.language = text(entry, "content") or None  # "Language for this blog"
        if kind not in ("post", "page"):
            continue
        reason = _post_reason(entry, kind, status, exported, ctx)
        if reason is not None:
            ctx.skip(reason)
            left_out[number] = reason
            continue
        url = _link(entry, "alternate")
        if takeout and not url:
            filename = text(entry, "filename")
            url = _absolute(blog.url, filename) if filename else None
        posts[number] = RawPost(
            title=one_line(text(entry, "title")),
            date=_date(entry, ctx, "published", "created", "updated"),
            body=Body(clean_html(_content(entry), url or blog.url), "html"),
            author=author_name(text(child(entry, "author"), "name"), blog.author) or None,
            tags=_labels(entry, takeout),
            url=url,
            is_page=kind == "page",
        )
    by_url = {p.url: n for n, p in posts.items() if p.url}
    for entry, status in comments:
        _add_comment(entry, status, takeout, posts, left_out, by_url, ctx)
    blog.posts = list(posts.values())
    return blog


def _kind_status(entry: Element, takeout: bool) -> tuple[str, str]:
    if takeout:
        kind = text(entry, "type", TAKEOUT_NS).lower()
        status = text(entry, "status", TAKEOUT_NS).upper() or "LIVE"
        # <blogger:trashed/> is on every entry; only one with a date was trashed.
        return kind, "TRASHED" if text(entry, "trashed", TAKEOUT_NS) else status
    for category in children(entry, "category"):
        if KIND_SCHEME in (category.get("scheme") or ""):
            term = category.get("term") or ""
            kind = term.rsplit("#", 1)[-1]
            control = child(entry, "control")
            draft = text(control, "draft").lower() == "yes" if control is not None else False
            return kind, "DRAFT" if draft else "LIVE"
    return "", ""


def _post_reason(
    entry: Element, kind: str, status: str, exported: datetime | None, ctx: Context
) -> str | None:
    if kind == "page" and not ctx.options.include_pages:
        return why.PAGE
    if status == "DRAFT":
        return why.DRAFT
    if status in ("SCHEDULED", "FUTURE"):
        return why.SCHEDULED
    if "TRASH" in status or status == "DELETED":
        return why.TRASHED_POST
    if status not in ("LIVE", "PUBLISHED"):
        return why.PRIVATE
    published = parse_date(text(entry, "published"))
    if published and exported and sort_key(published) > sort_key(exported):
        return why.SCHEDULED
    return None


def _absolute(base: str | None, filename: str) -> str:
    if "://" in filename or not base:
        return filename
    return base.rstrip("/") + "/" + filename.lstrip("/")


def _comment_reason(entry: Element, status: str) -> str | None:
    if "SPAM" in status:
        return why.SPAM
    if "TRASH" in status or status == "DELETED":
        return why.TRASHED
    if status not in ("LIVE", "PUBLISHED"):  # PENDING, MODERATED, ...
        return why.UNAPPROVED
    properties = {p.get("name"): p.get("value") for p in children(entry, "extendedProperty")}
    if (properties.get("blogger.contentRemoved") or "").lower() == "true":
        return why.DELETED
    if _REMOVED.match(text(entry, "content")):
        return why.DELETED
    return None


def _add_comment(
    entry: Element,
    status: str,
    takeout: bool,
    posts: dict[str, RawPost],
    left_out: dict[str, str],
    by_url: dict[str, str],
    ctx: Context,
) -> None:
    if takeout:
        target = _number(text(entry, "parent", TAKEOUT_NS))
        parent = _number(text(entry, "inReplyTo", TAKEOUT_NS)) or None
    else:
        reply = child(entry, "in-reply-to")
        target = _number(reply.get("ref") if reply is not None else "")
        if target not in posts and target not in left_out and reply is not None:
            target = by_url.get((reply.get("href") or "").strip(), target)
            target = target if target in posts else _number(reply.get("source"))
        related = _link(entry, "related")
        parent = _number(related) if related else None
    post = posts.get(target)
    if post is None:
        reason = left_out.get(target)
        if reason is None:
            ctx.skip(why.ON_MISSING)
        else:
            ctx.skip(why.ON_PAGE if reason == why.PAGE else why.ON_LEFT_OUT)
        return
    reason = _comment_reason(entry, status)
    if reason is not None:
        ctx.skip(reason)
        return
    number = _number(text(entry, "id"))
    post.comments.append(
        Comment(
            id=number,
            author=author_name(text(child(entry, "author"), "name")),
            date=_date(entry, ctx, "published", "created", "updated"),
            body=Body(clean_html(_content(entry), post.url), "html"),
            url=_link(entry, "alternate"),
            reply_to=parent if parent and parent != number else None,
        )
    )
