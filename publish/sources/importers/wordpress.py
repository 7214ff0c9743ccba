"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2; the ``wp`` namespace under http or https).

Items of ``wp:post_type`` post (and page, with ``include_pages``) with ``wp:status``
publish are kept; drafts, pending, future, private, trashed and password-protected ones are
left out, and so are their comments. Comments: ``wp:comment_approved`` 1 is kept (0 is
unapproved, ``spam`` and ``trash`` say themselves), pingbacks and trackbacks only with
``include_pingbacks``; ``wp:comment_parent`` threads them.
"""

from __future__ import annotations

from datetime import datetime

from publish.model import Body, Comment
from publish.sources.importers import report as why
from publish.sources.importers.common import (
    Context,
    RawPost,
    Site,
    author_name,
    one_line,
    parse_date,
)
from publish.sources.importers.markup import autop, clean_html, shortcodes, title_text
from publish.sources.importers.xmlsafe import Element, child, children, parse_xml, text

WP = "wordpress.org/export/"
CONTENT = "purl.org/rss/1.0/modules/content/"
DC = "purl.org/dc/elements/1.1/"
IGNORED_TYPES = frozenset(
    [
        "attachment",
        "nav_menu_item",
        "revision",
        "custom_css",
        "customize_changeset",
        "oembed_cache",
        "wp_block",
        "wp_template",
        "wp_template_part",
        "wp_global_styles",
        "wp_navigation",
        "user_request",
        "wp_font_family",
        "wp_font_face",
    ]
)
STATUS_REASONS = {
    "draft": why.DRAFT,
    "auto-draft": why.DRAFT,
    "pending": why.DRAFT,
    "future": why.SCHEDULED,
    "private": why.PRIVATE,
    "trash": why.TRASHED_POST,
}


def _wp(element: Element, name: str) -> str:
    return text(element, name, WP)


def _authors(channel: Element) -> dict[str, str]:
    names = {}
    for author in children(channel, "author", WP):
        login = _wp(author, "author_login")
        display = one_line(_wp(author, "author_display_name"))
        if login:
            names[login.lower()] = display or login
    return names


def read(ctx: Context) -> Site:
    root = parse_xml(ctx.path, ctx)
    channel = child(root, "channel")
    return read_channel(root if channel is None else channel, ctx)


def read_channel(channel: Element, ctx: Context) -> Site:
    authors = _authors(channel)
    language = one_line(text(channel, "language")) or None
    site = Site(
        title=one_line(text(channel, "title")),
        author="",  # the most frequent author of the kept posts (see import_export)
        url=one_line(text(channel, "link")) or _wp(channel, "base_blog_url") or None,
        language=language,
    )
    removed = 0
    for item in children(channel, "item"):
        post_type = _wp(item, "post_type") or "post"
        if post_type in IGNORED_TYPES:
            continue
        comments = list(children(item, "comment", WP))
        reason = _post_reason(item, post_type, ctx)
        if reason is not None:
            ctx.skip(reason)
            ctx.skip(why.ON_PAGE if reason == why.PAGE else why.ON_LEFT_OUT, len(comments))
            continue
        content, dropped = shortcodes(text(item, "encoded", CONTENT))
        removed += dropped
        login = text(item, "creator", DC)
        link = one_line(text(item, "link")) or None
        post = RawPost(
            title=title_text(text(item, "title")),
            date=_date(item, ctx),
            body=Body(clean_html(autop(content), link or site.url), "html"),
            author=authors.get(login.lower(), login) or None,
            tags=_tags(item),
            url=link,
            is_page=post_type == "page",
        )
        post.comments.extend(c for c in (_comment(e, post, ctx) for e in comments) if c)
        site.posts.append(post)
    if removed:
        ctx.diagnostics.count("shortcodes removed", removed)
    return site


def _post_reason(item: Element, post_type: str, ctx: Context) -> str | None:
    if post_type == "page":
        if not ctx.options.include_pages:
            return why.PAGE
    elif post_type != "post":
        return why.OTHER_TYPE
    status = _wp(item, "status") or "publish"
    if status != "publish":
        return STATUS_REASONS.get(status, why.PRIVATE)
    if _wp(item, "post_password"):
        return why.PASSWORD
    return None


def _date(item: Element, ctx: Context) -> datetime:
    for value in (_wp(item, "post_date"), text(item, "pubDate"), _wp(item, "post_date_gmt")):
        moment = parse_date(value)
        if moment is not None and moment.year > 1970:
            return moment
    ctx.warn("bad-date", f"item {text(item, 'title')!r} has no date; dated 1 January 1970")
    return datetime(1970, 1, 1)


def _tags(item: Element) -> tuple[str, ...]:
    tags = []
    for category in children(item, "category"):
        name = one_line(text(category))
        if name and category.get("domain") in ("post_tag", "tag", "category", None):
            if name.lower() == "uncategorized":
                continue
            tags.append(name)
    return tuple(dict.fromkeys(tags))


def _comment(element: Element, post: RawPost, ctx: Context) -> Comment | None:
    approved = _wp(element, "comment_approved").lower()
    kind = _wp(element, "comment_type").lower()
    if approved in ("spam", "trash", "post-trashed"):
        ctx.skip(why.SPAM if approved == "spam" else why.TRASHED)
        return None
    if approved not in ("1", "approve", "approved"):
        ctx.skip(why.UNAPPROVED)
        return None
    if kind in ("pingback", "trackback") and not ctx.options.include_pingbacks:
        ctx.skip(why.PINGBACK if kind == "pingback" else why.TRACKBACK)
        return None
    number = _wp(element, "comment_id")
    parent = _wp(element, "comment_parent")
    moment = parse_date(_wp(element, "comment_date")) or parse_date(
        _wp(element, "comment_date_gmt")
    )
    if moment is None:
        ctx.warn("bad-date", f"comment {number} has no date; given its post's date")
        moment = post.date
    return Comment(
        id=number,
        author=author_name(_wp(element, "comment_author")),
        date=moment,
        body=Body(clean_html(autop(_wp(element, "comment_content")), post.url), "html"),
        url=f"{post.url}#comment-{number}" if post.url and number else None,
        reply_to=parent if parent not in ("", "0") else None,
    )
