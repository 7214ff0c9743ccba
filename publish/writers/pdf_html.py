"""The HTML documents of a chaptered PDF build: one per chapter, and the front matter.

Both come from the same template as the one-document book (``pdf/book.html.j2``), so the
book's templates and stylesheets keep deciding everything. A chapter's document is that
template with one chapter; the front matter around it is kept (so ``string-set`` values
such as the book's title still feed the running heads) but emptied, hidden and moved to
the start of the chapter, where it takes no room. The front matter's document is the
template without the chapters, its contents numbered from the chapters' real first pages
(see :mod:`publish.writers.pdf_numbers`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import jinja2
from lxml import html as lxml_html
from markupsafe import Markup

from publish.assembly import Part, Plan
from publish.errors import Diagnostics
from publish.model import Body
from publish.render.chapters import ChapterRenderer, RenderedChapter
from publish.render.xhtml import Target
from publish.writers.pdf_numbers import COUNTER, override_css

BOOK_TEMPLATE = "pdf/book.html.j2"
# In the flow (string-set only carries over to later pages from in-flow boxes) but taking
# no room, breaking nothing and naming no page.
HIDDEN = (
    "visibility:hidden;height:0;overflow:hidden;margin:0;padding:0;border:0;float:none;"
    "position:static;break-before:auto;break-after:auto;break-inside:auto;page:auto;"
)


def light_chapters(plan: Plan, target: Target) -> list[RenderedChapter]:
    """Every chapter with its title and date but no text: what the contents needs."""
    renderer = ChapterRenderer(plan, target, Diagnostics())  # warnings come from the real render
    light = []
    for chapter in plan.chapters:
        post = dataclasses.replace(chapter.post, body=Body(""), comments=())
        rendered = renderer.render(dataclasses.replace(chapter, post=post))
        light.append(dataclasses.replace(rendered, chapter=chapter, body=Markup("")))
    return light


def point_parts_at_chapters(html: str, chapters: list[RenderedChapter]) -> str:
    """``html`` (the one-document book) with each link to a part whose title page it lacks
    (a book's own ``pdf/book.html.j2`` without one) leading to the part's first chapter
    instead: the contents then give the part that chapter's page, not a blank."""
    for ch in chapters:
        part = ch.chapter.part
        if part is not None and not re.search(
            rf"""\sid\s*=\s*["']?{re.escape(part.id)}(?=["'\s>])""", html
        ):
            html = html.replace(f'href="#{part.id}"', f'href="#{ch.id}"')
    return html


def _element_children(element: Any) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str)]


def _append_style(element: Any, style: str) -> None:
    element.set("style", (element.get("style", "").rstrip("; ") + ";" + style).lstrip(";"))


def _hide(element: Any) -> None:
    """Invisible and empty, without ids, links or bookmarks; string-set still runs."""
    _append_style(element, HIDDEN)
    for link in list(element.iter("a")):
        link.drop_tree()  # keeps the text after it; no link, no target-counter() to resolve
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in ("id", "name"):
            if attribute in node.attrib:
                del node.attrib[attribute]
        _append_style(node, "bookmark-level:none;")


def _placeholders(container: Any, names: Any) -> None:
    """Empty anchors named ``names``, first in ``container``: blocks of no height at the
    top of a page, which can never push anything onto another page (a line at the end
    of the document could)."""
    names = list(names)
    if not names:
        return
    holder = lxml_html.Element("div", style=HIDDEN)
    for name in names:
        holder.append(lxml_html.Element("div", id=name, style=HIDDEN))
    container.insert(0, holder)


def _serialize(root: Any) -> str:
    text: str = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return text


def _top_level(body: Any, element: Any) -> Any:
    while element.getparent() is not body:
        element = element.getparent()
    return element


class DocumentMaker:
    """Renders the template for a few chapters, or for the front matter."""

    def __init__(
        self,
        env: jinja2.Environment,
        context: dict[str, Any],
        chapter_context: dict[str, Any] | None = None,
    ) -> None:
        """``chapter_context`` is for the chapters' documents, where the front matter is
        hidden: with a fixed build date there, a chapter's HTML (its key in the build
        cache) changes only when the chapter does."""
        self.template = env.get_template(BOOK_TEMPLATE)
        self.context = context
        self.chapter_context = chapter_context or context
        self.overrides = override_css(list(context.get("stylesheets", [])))

    def _render(self, chapters: list[RenderedChapter], context: dict[str, Any]) -> Any:
        href: Callable[[RenderedChapter], str] = lambda ch: f"#{ch.id}"  # noqa: E731
        part_href: Callable[[Part], str] = lambda part: f"#{part.id}"  # noqa: E731
        text = self.template.render(**context, chapters=chapters, href=href, part_href=part_href)
        return lxml_html.document_fromstring(text)

    def chapters(self, batch: list[RenderedChapter]) -> tuple[str, tuple[str, ...]]:
        """The document of consecutive chapters, and the anchors it links to elsewhere.

        Each anchor of another document gets a hidden placeholder here, so WeasyPrint keeps
        the link; the join points the link at the real anchor.
        """
        root = self._render(batch, self.chapter_context)
        body = root.body
        own = [_top_level(body, root.get_element_by_id(ch.id)) for ch in batch]
        first = own[0]
        for n, child in enumerate(
            c for c in _element_children(body) if all(c is not o for o in own)
        ):
            _hide(child)
            first.insert(n, child)  # first inside the chapter, which names the first page
        ids = {
            node.get("id") for node in root.iter() if isinstance(node.tag, str) and node.get("id")
        }
        wanted = {
            href[1:]
            for element in own
            for node in element.iter("a")
            if (href := node.get("href", "")).startswith("#") and len(href) > 1
        }
        missing = tuple(sorted(wanted - ids))
        _placeholders(first, missing)
        return _serialize(root), missing

    def front(self, light: list[RenderedChapter], starts: list[int], parts: dict[str, int]) -> str:
        """The front matter, its links to chapters numbered with the chapters' first pages,
        and its links to parts with their title pages' (``parts``: a part's id -> its page).

        See :mod:`publish.writers.pdf_numbers`; each chapter and part gets an anchor, so
        the contents' links are kept (the join points them at the chapters and parts): the
        first link to it, or else a hidden block (a thousand hidden blocks cost a thousand
        boxes, some 20 MB of layout for a thousand posts).
        A part whose title page is not in the book (a book's own template without one)
        links to its first chapter and is numbered with its page, as in a one-document
        build (:func:`point_parts_at_chapters`).
        """
        root = self._render(light, self.context)
        body = root.body
        first_page = {ch.id: start for ch, start in zip(light, starts, strict=True)}
        part_ids = [ch.chapter.part.id for ch in light if ch.chapter.part is not None]
        first_page.update((name, parts[name]) for name in part_ids if name in parts)
        first_chapter = {ch.chapter.part.id: ch.id for ch in light if ch.chapter.part is not None}
        for child in _element_children(body):
            if child.get("id") in first_page or any(
                node.get("id") in first_page for node in child.iter() if isinstance(node.tag, str)
            ):
                body.remove(child)
        anchored: set[str] = set()  # targets whose first link is its own anchor
        for node in list(body.iter()):
            href = node.get("href", "") if isinstance(node.tag, str) else ""
            if href.startswith("#") and href[1:] in first_chapter and href[1:] not in parts:
                href = f"#{first_chapter[href[1:]]}"  # no title page: the part's first chapter
                node.set("href", href)
            if href.startswith("#") and href[1:] in first_page:
                _append_style(node, f"counter-reset:{COUNTER} {first_page[href[1:]]};")
                if node.get("id") is None and href[1:] not in anchored:
                    node.set("id", href[1:])  # (the join points it at the chapter)
                    anchored.add(href[1:])
        style = lxml_html.Element("style")
        style.text = self.overrides
        root.head.append(style)
        children = _element_children(body)
        if children:
            names = [ch.id for ch in light] + [p for p in part_ids if p in parts]
            _placeholders(children[0], [name for name in names if name not in anchored])
        return _serialize(root)
