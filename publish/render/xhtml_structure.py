"""XHTML's content models, enforced on whatever HTML came in.

The HTML parser lets ``<b><p>`` and ``<p><li>`` through; EPUBCheck does not. Blocks inside
inline elements, and parts of lists or tables out of place, become ``<span>`` or
``<div>`` (the text stays, the XHTML is valid); attribute values XHTML would refuse are
dropped. Used by :mod:`publish.render.xhtml` on every fragment.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import html

# A date and time as <time>, <del> and <ins> may carry it.
DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
# Elements allowed only phrasing (inline) content:
PHRASING_ONLY = {"p", "span", "b", "i", "em", "strong", "small", "s", "u", "cite", "q", "dfn",
                 "abbr", "time", "code", "var", "samp", "kbd", "sub", "sup", "mark", "bdi",
                 "bdo", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "rt", "rp", "ruby",
                 "caption", "figcaption"}  # fmt: skip
# Elements that are not phrasing content: in a phrasing-only element they become <span>.
_BLOCKS = {"div", "p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption",
           "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th", "figure",
           "figcaption", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip
# Elements that live only in certain parents: elsewhere they become <div> (or <span>).
_PARENTS = {
    "li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "figcaption": {"figure"},
    "caption": {"table"}, "colgroup": {"table"}, "thead": {"table"}, "tbody": {"table"},
    "tfoot": {"table"}, "tr": {"table", "thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"},
    "col": {"colgroup"}, "rt": {"ruby"}, "rp": {"ruby"},
}  # fmt: skip
_GLOBAL_ATTRIBUTES = {"id", "lang", "dir", "title", "class"}
_VALUES = {
    "colspan": re.compile(r"^[1-9]\d{0,3}$"), "span": re.compile(r"^[1-9]\d{0,3}$"),
    "rowspan": re.compile(r"^\d{1,4}$"), "start": re.compile(r"^-?\d{1,9}$"),
    "value": re.compile(r"^-?\d{1,9}$"), "dir": re.compile(r"^(ltr|rtl|auto)$"),
    "type": re.compile(r"^[1aAiI]$"), "scope": re.compile(r"^(row|col|rowgroup|colgroup)$"),
    "lang": re.compile(r"^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)?$"),
    "hreflang": re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"),
}  # fmt: skip


_TEXTLESS = {"table", "thead", "tbody", "tfoot", "tr", "colgroup"}
_TABLE_ORDER = re.compile(r"^(caption ?)?(colgroup ?)*(thead ?)?((tbody ?)*|(tr ?)+)(tfoot)?$")


def _tags(el: html.HtmlElement) -> list[str]:
    return [str(k.tag) for k in el if isinstance(k.tag, str)]


def _stray_text(el: html.HtmlElement) -> bool:
    return bool((el.text or "").strip()) or any((k.tail or "").strip() for k in el)


def _items_for_stray_text(lst: html.HtmlElement) -> None:
    """Text straight inside a list (not in an item) gets an item of its own."""
    if (lst.text or "").strip():
        item = html.Element("li")
        item.text, lst.text = lst.text, None
        lst.insert(0, item)
    for kid in list(lst):
        if (kid.tail or "").strip():
            item = html.Element("li")
            item.text, kid.tail = kid.tail, None
            kid.addnext(item)


def _good_ruby(el: html.HtmlElement) -> bool:
    kids = [k for k in el if isinstance(k.tag, str)]
    base = (el.text or "").strip() or (kids and kids[0].tag not in ("rt", "rp"))
    return bool(base) and any(k.tag == "rt" for k in kids)


def fix_structure(tree: html.HtmlElement) -> None:
    """Blocks inside inline elements, and parts of lists or tables out of place, become
    <span> or <div>: the text stays, the XHTML is valid. Attribute values XHTML would
    refuse (``colspan="x"``, ``dir="up"``, ``lang="??"``) are dropped."""
    # Top down, in the document's order, each element knowing what its ancestors are by
    # then (their tags may have changed): whether one is phrasing-only, a link, a <dfn>.
    stack: list[tuple[html.HtmlElement, bool, frozenset[str]]] = [
        (kid, False, frozenset()) for kid in reversed(tree) if isinstance(kid.tag, str)
    ]
    while stack:
        el, inline, around = stack.pop()
        kids = [kid for kid in el if isinstance(kid.tag, str)]  # before items are added
        fix_element(el, inline, around)
        inline = inline or el.tag in PHRASING_ONLY
        around = around | {el.tag} if el.tag in ("a", "dfn") else around
        stack.extend((kid, inline, around) for kid in reversed(kids))


def fix_element(el: html.HtmlElement, inline: bool, around: frozenset[str]) -> None:
    """One element of :func:`fix_structure`: ``inline``, whether an ancestor allows only
    phrasing content; ``around``, which of <a> and <dfn> it is inside."""
    if (el.tag in _TEXTLESS and _stray_text(el)) or (
        el.tag == "table" and not _TABLE_ORDER.match(" ".join(_tags(el)))
    ):
        el.tag = "div"  # text between rows, parts out of order: set as plain blocks
    if el.tag in _BLOCKS and inline:
        el.tag = "span"
    elif el.tag in _PARENTS and not _in_parent(el, _PARENTS[el.tag]):
        el.tag = "span" if el.tag in ("rt", "rp") else "div"
    elif el.tag in around:
        el.tag = "span"  # a link in a link, a definition in a definition
    if el.tag in ("ul", "ol"):
        _items_for_stray_text(el)
    attributes = el.attrib
    if attributes:  # most elements have none
        _fix_attributes(el, attributes)
    if el.tag in ("del", "ins") and not DATETIME.match(el.get("datetime", "")):
        el.attrib.pop("datetime", None)
    # <bdo> needs a direction; <time> without a date may hold nothing but a date; <ruby>
    # needs its base text first and an annotation (<rt>) after it
    if (
        (el.tag == "bdo" and el.get("dir") not in ("ltr", "rtl"))
        or (el.tag == "time" and el.get("datetime") is None)
        or (el.tag == "ruby" and not _good_ruby(el))
    ):
        el.tag = "span"
        el.attrib.pop("datetime", None)


def _in_parent(el: html.HtmlElement, parents: set[str]) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag in parents


def _fix_attributes(el: html.HtmlElement, attributes: Any) -> None:
    """What :func:`fix_element` does to ``el``'s attributes: on ``<span>`` and ``<div>``
    only the global ones; values XHTML would refuse dropped, the others stripped."""
    if el.tag in ("span", "div"):
        for name in [n for n in attributes if n not in _GLOBAL_ATTRIBUTES]:
            del attributes[name]
    for name in [n for n in attributes if n in _VALUES]:
        value = attributes[name]
        if not _VALUES[name].match(value.strip()):
            del attributes[name]
        else:
            attributes[name] = value.strip()
    if "reversed" in attributes:
        attributes["reversed"] = "reversed"


_DL_GROUPS = re.compile(r"^(?:(?:dt )+(?:dd )+)*$")


def fix_lists(tree: html.HtmlElement) -> None:
    """Lists the way (X)HTML requires them: <li> in lists, dt/dd groups in <dl>.

    Exported HTML breaks these rules (a <dl> with no <dd>, text straight in a <ul>); such a
    list keeps its text but is set as plain blocks.
    """
    for dl in list(tree.iter("dl")):
        sequence = "".join(f"{child.tag} " for child in dl if isinstance(child.tag, str))
        if _DL_GROUPS.match(sequence) and not (dl.text or "").strip():
            continue
        dl.tag = "div"
        for child in dl:
            if child.tag in ("dt", "dd"):
                child.set("class", f"definition-{child.tag}")
                child.tag = "div"
    for lst in list(tree.iter("ul", "ol")):
        for child in list(lst):
            if isinstance(child.tag, str) and child.tag != "li":
                item = html.Element("li")
                child.addprevious(item)
                item.append(child)
