"""The print edition's page breaks, carried into the EPUB as a page list.

The PDF knows where its pages break; the EPUB can say so, so that readers of the e-book
can cite the print edition's pages. The two share their chapter markup (one Jinja partial
renders a chapter in both), so a break is recorded in terms both documents have:

- the chapter (its ``section``'s id);
- the block the page starts in (a ``p``, ``li``, ``h1``, ...), as its index among the
  elements of the chapter's section in document order;
- how many non-space characters of that block's text come before the page starts.

:func:`page_breaks` reads them from a WeasyPrint document (the PDF writer's); it skips
text that CSS generates and hyphens that hyphenation adds, so the count is one of the
source text. :func:`insert_page_breaks` puts ``<span epub:type="pagebreak"
role="doc-pagebreak">`` markers into an EPUB chapter; the EPUB writer lists them in the
navigation document's ``page-list``. :func:`paginate` lays a book out the way the PDF
writer's single-document build does, for callers that have no PDF build at hand.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

BLOCKS = {
    "p", "li", "dd", "dt", "td", "th", "pre", "blockquote", "figcaption", "caption",
    "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "header", "figure",
}  # fmt: skip
# Elements the PDF adds (links' notes): the EPUB has none, so pages are counted without them.
PRINT_ONLY = {"link-note", "link-ref", "link-notes"}
_FLOW_PARENTS = {"section", "div", "header", "article", "blockquote", "figure", "body", "aside"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@dataclass(frozen=True)
class PageBreak:
    """Page ``label`` of the print edition starts here."""

    label: str
    chapter_id: str
    block: int  # index of the block among the elements of the chapter's section
    offset: int  # non-space characters of the block's text before the page starts


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_boxes(box: Any) -> Iterator[Any]:
    """The page's text boxes in order, leaving out the margin boxes (heads, folios)."""
    from weasyprint.formatting_structure import boxes

    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, boxes.MarginBox):
            continue
        if isinstance(current, boxes.TextBox):
            if current.text.strip():
                yield current
            continue
        stack.extend(reversed(getattr(current, "children", [])))


def _visible(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


class _Tree:
    """Parents, chapters and element indexes of the document WeasyPrint laid out."""

    def __init__(self, root: ET.Element) -> None:
        self.parent = {child: parent for parent in root.iter() for child in parent}
        self.index: dict[ET.Element, tuple[str, int]] = {}
        self.print_only: set[ET.Element] = set()  # notes only print has: not in the EPUB
        for element in root.iter():
            if PRINT_ONLY & set((element.get("class") or "").split()):
                self.print_only.update(element.iter())
        for section in root.iter():
            if (
                _local(section.tag) == "section"
                and "chapter" in (section.get("class") or "").split()
            ):
                shared = (e for e in section.iter() if e not in self.print_only)
                for n, element in enumerate(shared):
                    self.index[element] = (section.get("id") or "", n)

    def text_of(self, block: ET.Element) -> str:
        """The block's text as the EPUB has it (without print's notes)."""
        if not self.print_only:
            return "".join(block.itertext())
        parts: list[str] = []
        stack: list[tuple[ET.Element, bool]] = [(block, False)]
        while stack:
            element, tail = stack.pop()
            if tail:  # a note's tail is the text after it: shared
                parts.append(element.tail or "")
            elif element not in self.print_only:
                parts.append(element.text or "")
                for child in reversed(list(element)):
                    stack += [(child, True), (child, False)]
        return "".join(parts)

    def block_of(self, element: ET.Element) -> ET.Element | None:
        current: ET.Element | None = element
        while current is not None and _local(current.tag) not in BLOCKS:
            current = self.parent.get(current)
        return current


def _source_offset(source: str, rendered: str) -> int:
    """How much of ``source`` (non-space text) the ``rendered`` text covers.

    Rendered text has more than the source: hyphens added at line ends and text generated
    by CSS. Characters that do not match the next source character are skipped.
    """
    at = 0
    for char in rendered:
        if at < len(source) and char == source[at]:
            at += 1
    return at


def page_breaks(document: Any, root: ET.Element, first_page: int = 1) -> list[PageBreak]:
    """Where each page of a WeasyPrint ``document`` starts, for pages that start in a chapter.

    ``root`` is the document's element tree (``weasyprint.HTML(...).etree_element``);
    ``first_page`` the number of the document's first page in the book.
    """
    tree = _Tree(root)
    seen: dict[ET.Element, list[str]] = {}  # each block's rendered text on earlier pages
    breaks: list[PageBreak] = []
    for number, page in enumerate(document.pages, start=first_page):
        first = True
        for box in _text_boxes(page._page_box):
            if box.element in tree.print_only:
                continue
            block = tree.block_of(box.element)
            if block is None:
                continue
            if first and block in tree.index:
                chapter, index = tree.index[block]
                source = _visible(tree.text_of(block))
                done = _source_offset(source, _visible("".join(seen.get(block, []))))
                breaks.append(PageBreak(str(number), chapter, index, done))
            first = False
            seen.setdefault(block, []).append(box.text)
    return breaks


def _marker(label: str, page_id: str) -> etree._Element:
    span = etree.Element("{http://www.w3.org/1999/xhtml}span")
    span.set(EPUB_TYPE, "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", page_id)
    span.set("aria-label", label)
    return span


def _insert_at(block: etree._Element, offset: int, marker: etree._Element) -> None:
    """Put ``marker`` in ``block`` before its ``offset``-th non-space character (a word start)."""
    parent = block.getparent()
    if offset == 0 and parent is not None and _local(parent.tag) in _FLOW_PARENTS:
        block.addprevious(marker)
        marker.tail = "\n"
        return
    if offset == 0:  # at the very start of the block, before any inline element
        marker.tail, block.text = block.text, None
        block.insert(0, marker)
        return
    count = 0
    for node in block.iter():
        for attribute in ("text",) if node is block else ("text", "tail"):
            text = getattr(node, attribute) or ""
            for at, char in enumerate(text):
                if char.isspace():
                    continue
                if count == offset:
                    start = at
                    while start > 0 and not text[start - 1].isspace():
                        start -= 1  # the word that the page starts in belongs to the page
                    _split(node, attribute, start, marker)
                    return
                count += 1
    block.append(marker)  # past the end: the page starts after this block's text


def _split(node: etree._Element, attribute: str, at: int, marker: etree._Element) -> None:
    """Cut ``node``'s text (or tail) at ``at`` and put ``marker`` in the cut."""
    text = getattr(node, attribute) or ""
    if attribute == "text":
        node.text = text[:at]
        node.insert(0, marker)
    else:
        node.tail = text[:at]
        node.addnext(marker)
    marker.tail = text[at:]


def insert_page_breaks(
    root: etree._Element, chapter_id: str, breaks: list[PageBreak], id_prefix: str = "page"
) -> list[tuple[str, str]]:
    """Markers for ``breaks`` in an EPUB chapter document; returns ``(id, label)`` pairs."""
    section = next(
        (el for el in root.iter() if _local(el.tag) == "section" and el.get("id") == chapter_id),
        None,
    )
    if section is None or not breaks:
        return []
    elements = list(section.iter())
    placed = []
    for item in breaks:
        if item.chapter_id != chapter_id or item.block >= len(elements):
            continue
        page_id = f"{id_prefix}-{item.label}"
        _insert_at(elements[item.block], item.offset, _marker(item.label, page_id))
        placed.append((page_id, item.label))
    return placed


def paginate(book: Any, diagnostics: Any = None) -> list[PageBreak]:
    """Lay ``book`` out as the PDF writer's single-document build does; return its breaks.

    For an EPUB with the print edition's pages when no PDF is built alongside it. The
    layout takes as long as a one-document PDF build's (a second or third layout when the
    gutter or a "see page" number changes, see :mod:`publish.writers.print_fit`).
    """
    from publish.writers.pdf import laid_out

    document, source = laid_out(book, diagnostics)
    return page_breaks(document, source.etree_element)
