"""An RSS 2.0 (or 1.0) or Atom feed: posts only (feeds carry no comments).

A feed holds only the latest posts, often shortened; it is the fallback for blogs whose
platform has no export. ``content:encoded`` (RSS) and ``content`` (Atom) are preferred to
the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from datetime import datetime
from html import escape

from lxml import etree

from publish.model import Body
from publish.sources.importers.common import Context, RawPost, Site, one_line, parse_date
from publish.sources.importers.markup import clean_html, title_text
from publish.sources.importers.xmlsafe import (
    Element,
    child,
    children,
    descendants,
    local,
    parse_xml,
    text,
)

CONTENT = "purl.org/rss/1.0/modules/content/"
DC = "purl.org/dc/elements/1.1/"


def read(ctx: Context) -> Site:
    root = parse_xml(ctx.path, ctx)
    if local(root.tag) == "feed":
        return _atom(root, ctx)
    return _rss(root, ctx)


def _undated(ctx: Context, title: str) -> datetime:
    ctx.warn("bad-date", f"feed item {title!r} has no date; dated 1 January 1970")
    return datetime(1970, 1, 1)


def _rss(root: Element, ctx: Context) -> Site:
    channel = next(descendants(root, "channel"), root)
    editor = text(channel, "managingEditor") or text(channel, "creator", DC)
    site = Site(
        title=one_line(text(channel, "title")),
        author=one_line(editor.split("(")[-1].rstrip(")") if "(" in editor else editor),
        url=one_line(text(channel, "link")) or None,
        language=one_line(text(channel, "language")) or None,
    )
    for item in descendants(root, "item"):
        title = title_text(text(item, "title"))
        moment = parse_date(text(item, "pubDate")) or parse_date(text(item, "date", DC))
        html = text(item, "encoded", CONTENT) or text(item, "description")
        author = text(item, "creator", DC) or text(item, "author")
        link = one_line(text(item, "link")) or None
        site.posts.append(
            RawPost(
                title=title,
                date=moment or _undated(ctx, title),
                body=Body(clean_html(html, link or site.url), "html"),
                author=one_line(author) or site.author or None,
                tags=_unique(one_line(text(c)) for c in children(item, "category")),
                url=link,
            )
        )
    return site


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in dict.fromkeys(values) if v)


def _alternate(element: Element) -> str | None:
    for link in children(element, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return (link.get("href") or "").strip()
    return None


def _atom_html(element: Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = next(iter(element), None)
        nodes = list(div) if div is not None and local(div.tag) == "div" else list(element)
        lead = (div.text if div is not None else element.text) or ""
        return escape(lead, quote=False) + "".join(_without_namespace(n) for n in nodes)
    raw = element.text or ""
    return raw if kind in ("html", "text/html") else escape(raw, quote=False)


def _without_namespace(node: Element) -> str:
    """An XHTML element as plain HTML (no ``xmlns``), with its tail."""
    copy = deepcopy(node)
    for element in copy.iter():
        if isinstance(element.tag, str):
            element.tag = local(element.tag)
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode", with_tail=True)


def _atom(root: Element, ctx: Context) -> Site:
    site = Site(
        title=one_line(text(root, "title")),
        author=one_line(text(child(root, "author"), "name")),
        url=_alternate(root),
        language=root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    )
    for entry in children(root, "entry"):
        title_element = child(entry, "title")
        title = one_line(text(title_element))
        if title_element is not None and title_element.get("type") == "html":
            title = title_text(title)
        moment = parse_date(text(entry, "published")) or parse_date(text(entry, "updated"))
        content = child(entry, "content")
        html = _atom_html(content if content is not None else child(entry, "summary"))
        link = _alternate(entry)
        site.posts.append(
            RawPost(
                title=title,
                date=moment or _undated(ctx, title),
                body=Body(clean_html(html, link or site.url), "html"),
                author=one_line(text(child(entry, "author"), "name")) or site.author or None,
                tags=_unique(
                    one_line(c.get("label") or c.get("term")) for c in children(entry, "category")
                ),
                url=link,
            )
        )
    return site
