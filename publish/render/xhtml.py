"""Clean HTML to well-formed XHTML for one place in the book.

Ids are made unique in the book (prefixed), links to other posts become links to their
chapters, images are resolved inside the content folder (and nowhere else), headings of
the body are moved below the chapter title, XHTML's content models are enforced
(:mod:`publish.render.xhtml_structure`), and the output is XML. Elements nested deeper
than :data:`~publish.limits.MAX_HTML_DEPTH` are unwrapped, their text kept, with a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from lxml import etree, html

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostics, PublishError
from publish.limits import MAX_HTML_DEPTH, xml_safe
from publish.render.xhtml_structure import DATETIME, fix_lists, fix_structure

# libxml2's HTML parser stops reading (silently) below 256 levels unless told otherwise;
# the depth is limited here instead, keeping the text.
_PARSER = html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True, remove_pis=True)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s)")
# Elisions that smart-quoting takes for opening quotes: the '90s, rock 'n' roll, 'tis, 'em.
_ELISION = re.compile(r"‘(?=\d\ds\b|n’|tis\b|twas\b|em\b|cause\b|til\b)", re.I)
# What _dress_text changes, as it may be written in a fragment: a character reference
# for a space or a hyphen; a tag next to the hyphen (a space may come from the other side
# of a tag the parser drops, or that _limit_depth unwraps). Most fragments have none of
# it, and are not walked for it.
_MAY_DRESS = re.compile(
    r"‘|&#0*8216;|&#[xX]0*2018;|&lsquo;|[\s;>](?:-|&#0*45;|&#[xX]0*2[dD];)[\s&<]"
)
_SPACED_HYPHEN_AT = re.compile(r"[\s;>]-[\s&<]")  # matched one before a "-"
_CODE = {"pre", "code", "kbd", "samp", "var"}
_HEADINGS = {f"h{n}": f"h{min(n + 1, 6)}" for n in range(1, 7)}


class Target(Protocol):
    """Where a rendered fragment will live: the EPUB (one file a chapter) or the PDF."""

    def chapter_href(self, chapter: Chapter, fragment: str | None) -> str: ...

    def image_href(self, source: Path) -> str: ...


@dataclass(frozen=True)
class Place:
    """What a fragment needs to know about where it sits in the book."""

    plan: Plan
    target: Target
    id_prefix: str
    base_dir: Path | None  # relative links and images resolve here
    source: Path | None  # the file the text came from, for messages
    diagnostics: Diagnostics


@functools.lru_cache(maxsize=4)
def _text_of(source: Path, mtime_ns: int, size: int) -> str:
    return source.read_text("utf-8", errors="replace")


def _line_of(source: Path | None, needle: str) -> int | None:
    if source is None or not source.is_file():
        return None
    stat = source.stat()  # a file with a thousand bad links is read once, not a thousand times
    text = _text_of(source, stat.st_mtime_ns, stat.st_size)
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _resolve_image(src: str, place: Place) -> Path | None:
    """The image's file inside the content folder; None (with a warning) for remote ones."""
    if not src.strip():
        place.diagnostics.warn(
            "image-no-address",
            "image left out: it has no address, or one no book may use (file:, data:, "
            "javascript:), which the sanitiser removed",
            place.source,
        )
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
        place.diagnostics.warn(
            "remote-image",
            f"remote image left out: {src[:120]}",
            place.source,
            _line_of(place.source, src),
        )
        return None
    root = place.plan.book.root
    base = place.base_dir or root
    if base is None or root is None:
        raise PublishError(
            "missing-image", f"image '{src}' has no folder to be found in", place.source
        )
    path = (base / unquote(src.split("#", 1)[0].split("?", 1)[0])).resolve()
    if not path.is_relative_to(root.resolve()):
        raise PublishError(
            "image-outside", f"image '{src}' is outside the content folder",
            place.source, _line_of(place.source, src),
        )  # fmt: skip
    if not path.is_file():
        raise PublishError(
            "missing-image", f"image '{src}' not found", place.source, _line_of(place.source, src)
        )
    return path


def _fix_ids(tree: html.HtmlElement, prefix: str) -> None:
    seen: set[str] = set()
    for el in tree.iter():
        old = el.get("id")
        if old is None:
            continue
        new = f"{prefix}-{_ID_UNSAFE.sub('-', old).strip('-')}"
        if new in seen:
            del el.attrib["id"]
        else:
            el.set("id", new)
            seen.add(new)


def _fix_anchor(el: html.HtmlElement, place: Place, ids: set[str]) -> None:
    """A link within the text: to its renamed target, or (target missing) no link at all."""
    href = (el.get("href") or "").strip()
    target = f"{place.id_prefix}-{_ID_UNSAFE.sub('-', href[1:]).strip('-')}"
    if target in ids:
        el.set("href", f"#{target}")
        return
    _unlink(el, place, href, ", which is nowhere in the text")


def _unlink(el: html.HtmlElement, place: Place, href: str, why: str) -> None:
    """A link that leads nowhere in the book: warn, and keep its text without the link."""
    place.diagnostics.warn(
        "dead-link", f"link to '{href[:120]}'{why}; kept as text",
        place.source, _line_of(place.source, href),
    )  # fmt: skip
    el.attrib.pop("href", None)


def _fix_link(el: html.HtmlElement, place: Place) -> None:
    href = (el.get("href") or "").strip()
    chapter = place.plan.chapter_for_link(href, place.base_dir)
    if chapter is not None:
        fragment = href.split("#", 1)[1] if "#" in href else None
        frag_id = f"{chapter.id}-{_ID_UNSAFE.sub('-', fragment)}" if fragment else None
        el.set("href", place.target.chapter_href(chapter, frag_id))
        el.set("class", "xref")
        return
    if not re.match(r"^(https?|mailto):", href, re.I):
        # A relative link to something that is not a post of this book leads nowhere.
        if href:
            _unlink(el, place, href, " is not a post of this book")
        else:
            el.attrib.pop("href", None)


def _fix_image(el: html.HtmlElement, place: Place) -> None:
    path = _resolve_image(el.get("src") or "", place)
    if path is None:
        alt = el.get("alt")
        parent = el.getparent()
        if parent is not None:
            if alt:
                span = html.Element("span", {"class": "missing-image"})
                span.text = f"[{alt}]"
                span.tail = el.tail
                el.addprevious(span)
                parent.remove(el)
            else:
                el.drop_tree()
        return
    el.set("src", place.target.image_href(path))
    el.set("alt", el.get("alt") or "")
    for dim in ("width", "height"):
        if dim in el.attrib and not el.attrib[dim].isdigit():
            del el.attrib[dim]


def _may_dress(fragment: str) -> bool:
    """Whether ``_MAY_DRESS`` matches in ``fragment``. Without "&" or "‘" only a plain
    spaced hyphen can: looked for at each "-" (few), not at every space as the whole
    pattern is."""
    if "&" in fragment or "‘" in fragment:
        return _MAY_DRESS.search(fragment) is not None
    at = fragment.find("-", 1)
    while at >= 0:
        if _SPACED_HYPHEN_AT.match(fragment, at - 1):
            return True
        at = fragment.find("-", at + 1)
    return False


def _dress_text(tree: html.HtmlElement) -> None:
    """Spaced hyphens become spaced en dashes, elisions get apostrophes; code is left alone."""

    def fix(text: str | None) -> str | None:
        if not text:
            return text
        if "‘" in text:
            text = _ELISION.sub("’", text)
        return _SPACED_HYPHEN.sub("–", text) if "-" in text else text

    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        in_code = el.tag in _CODE or any(a.tag in _CODE for a in el.iterancestors())
        if not in_code:
            el.text = fix(el.text)
        parent_code = any(a.tag in _CODE for a in el.iterancestors())
        if not parent_code:
            el.tail = fix(el.tail)


_FIXERS: dict[str, Callable[[html.HtmlElement, Place], None]] = {"a": _fix_link, "img": _fix_image}


# An element more than MAX_HTML_DEPTH levels below the fragment's wrapper (asked of
# libxml2 in one go: most fragments are a few levels deep, and walking them costs).
_TOO_DEEP = etree.XPath(f"boolean({'/'.join(['*'] * (MAX_HTML_DEPTH + 1))})")


def _limit_depth(tree: html.HtmlElement, place: Place) -> None:
    """Unwrap every element more than MAX_HTML_DEPTH levels down, keeping its text."""
    if not _TOO_DEEP(tree):
        return
    too_deep: list[html.HtmlElement] = []
    stack = [(tree, 0)]
    while stack:
        el, depth = stack.pop()
        if depth == MAX_HTML_DEPTH:
            too_deep.extend(e for e in el.iterdescendants() if isinstance(e.tag, str))
        else:
            stack.extend((child, depth + 1) for child in el if isinstance(child.tag, str))
    if not too_deep:
        return
    for el in too_deep:
        if el.tag in ("br", "img", "hr", "wbr"):  # nothing inside: a space stands for it
            el.tail = " " + (el.tail or "")
        el.drop_tag()
    place.diagnostics.warn(
        "too-deep",
        f"HTML nested more than {MAX_HTML_DEPTH} levels deep: {len(too_deep)} elements below "
        "that unwrapped, their text kept",
        place.source,
    )


def to_xhtml(fragment: str, place: Place) -> str:
    """Rewrite a sanitised HTML fragment for its place in the book; return XHTML."""
    fragment = xml_safe(fragment).strip()
    if not fragment:
        return ""
    tree = html.fragment_fromstring(fragment, create_parent="div", parser=_PARSER)
    return _rewrite(tree, fragment, place)


def to_xhtml_simple(fragments: Sequence[str], places: Sequence[Place]) -> list[str]:
    """:func:`to_xhtml` of each fragment, its place beside it, the fragments parsed in one go.

    For fragments that are whole blocks, every element closed, such as the sanitiser's
    HTML of simple Markdown (:func:`publish.render.markup.joined_safe_html`): each is
    parsed in a ``<div>`` of its own, which is then the wrapper :func:`to_xhtml` makes.
    A post's comments pay for one parse instead of one each. Should the parse not give
    one ``<div>`` a fragment (it cannot, for such HTML), each is rewritten on its own.
    """
    texts = [xml_safe(fragment).strip() for fragment in fragments]
    joined = "".join(f"<div>{text}</div>" for text in texts)
    root = etree.fromstring(f"<html><body>{joined}</body></html>", _PARSER)
    body = root.find("body") if root is not None else None
    trees = list(body) if body is not None and body.text is None else []
    if len(trees) != len(texts) or any(tree.tag != "div" or tree.tail for tree in trees):
        return [to_xhtml(text, place) for text, place in zip(texts, places, strict=True)]
    made = []
    for tree, text, place in zip(trees, texts, places, strict=True):
        if tree.text is not None and not tree.text.strip():
            tree.text = None  # as fragment_fromstring leaves it
        made.append(_rewrite(tree, text, place) if text else "")
    return made


def _rewrite(tree: html.HtmlElement, fragment: str, place: Place) -> str:
    """The XHTML of ``tree``, a fragment's wrapper <div>, rewritten for ``place``."""
    _limit_depth(tree, place)
    _fix_ids(tree, place.id_prefix)
    ids = {str(el.get("id")) for el in tree.iter() if el.get("id")}
    for el in list(tree.iter("a", "img", "time", *_HEADINGS)):
        if el.tag == "a" and (el.get("href") or "").strip().startswith("#"):
            _fix_anchor(el, place, ids)
        elif el.tag in _HEADINGS:
            el.tag = _HEADINGS[el.tag]
        elif el.tag == "time":
            if not DATETIME.match(el.get("datetime", "")):
                el.attrib.pop("datetime", None)
        else:
            _FIXERS[el.tag](el, place)
    fix_structure(tree)
    fix_lists(tree)
    if _may_dress(fragment):
        _dress_text(tree)
    tree.tail = None
    out: str = etree.tostring(tree, encoding="unicode", method="xml")
    # The wrapper <div> was ours: return what is inside it.
    return out.removeprefix("<div>").removesuffix("</div>") if out != "<div/>" else ""
