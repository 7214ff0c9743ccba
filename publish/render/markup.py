"""Body text to clean HTML: Markdown, then the sanitiser, then typography.

Everything that comes from content or an export passes through :func:`to_safe_html`
before it reaches a template. The sanitiser (nh3, Rust's ammonia) keeps an allow-list of
elements and attributes: no script, style, event handlers, frames, objects, forms, or
``javascript:``/``data:`` links; unknown elements are unwrapped and their text kept.
What it removed is counted honestly (elements and attributes as libxml2 reads the HTML,
before and after) for the build summary. Bodies over :data:`~publish.limits.MAX_BODY_CHARS`
are an error; characters XML cannot carry are dropped before anything reads the text.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import markdown
import nh3
from lxml import etree

from publish.errors import Diagnostics, PublishError
from publish.limits import MAX_BODY_CHARS, XML_INVALID, xml_safe
from publish.model import Body
from publish.render import inline_gates
from publish.render.smarty import may_change, smartypants

MARKDOWN_EXTENSIONS = [
    "footnotes",
    "tables",
    "fenced_code",
    "sane_lists",
    "attr_list",
    "abbr",
    "def_list",
]

# No <wbr>: libxml2's HTML parser takes it for a container and swallows what follows it.
ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
# Elements removed with everything inside them.
REMOVED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "object", "embed", "noscript",
    "svg", "math", "form", "select", "textarea", "button", "head", "title",
}  # fmt: skip
# No `cite`: readers do not show it, and EPUBCheck warns of the remote address in it.
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"datetime"},
    "img": {"src", "alt", "width", "height"},
    "ins": {"datetime"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
# Classes our styles give meaning to (the Markdown footnote extension's among them).
ALLOWED_CLASSES = {
    "div": {"footnote"},
    "sup": {"footnote-ref"},
    "a": {"footnote-ref", "footnote-backref"},
    "p": {"attribution", "signature"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_SMARTY = smartypants.Attr.set2 | smartypants.Attr.u  # -- en dash, --- em dash, Unicode out
# For counting only: libxml2's HTML parser, without its depth limit, reading nothing else.
_CENSUS_PARSER = etree.HTMLParser(
    huge_tree=True, remove_comments=True, remove_pis=True, no_network=True
)
_WRAPPERS = {"html", "head", "body"}
REMOVED_ELEMENTS = "HTML elements removed by the sanitiser"
REMOVED_ATTRIBUTES = "HTML attributes removed by the sanitiser"


class TooDeep(Exception):
    """Markdown nested too deeply for Python-Markdown's recursive parser."""


# Marks without which the extensions other than sane_lists change nothing: footnotes "[^",
# tables "|" (and a "\|" escape), fenced code "```" or "~~~", attribute lists "{",
# abbreviations "*[", definition lists ":" after nothing but blanks, quotation or list
# marks on its line (or after a tag: HTML set apart as a block leaves the rest of its
# line a block of its own). A text with none of them goes through a converter without those
# extensions: the same HTML, without their passes over every text.
LEAN_EXTENSIONS = ["sane_lists"]
_EXTENSION_MARKS = ("[^", "|", "```", "~~~", "{", "*[", "\\")
_DEFINITION = re.compile(r"^(?:[^\n]*>)?[ \t>*+\-\d.]*:", re.MULTILINE)


def needs_extensions(text: str) -> bool:
    """Whether ``text`` has a mark of the extensions the lean converter leaves out."""
    return any(mark in text for mark in _EXTENSION_MARKS) or (
        ":" in text and _DEFINITION.search(text) is not None
    )


@functools.cache
def _converter(lean: bool = False) -> markdown.Markdown:
    """A Markdown converter, reset for each text: setting up the extensions is the slow
    part. ``lean``: only the extensions a text without their marks needs (see above)."""
    extensions = LEAN_EXTENSIONS if lean else MARKDOWN_EXTENSIONS
    converter = markdown.Markdown(extensions=extensions, output_format="html")
    inline_gates.install(converter)
    return converter


def converter_for(text: str) -> markdown.Markdown:
    return _converter(not needs_extensions(text))


def markdown_to_html(text: str) -> str:
    converter = converter_for(text)
    try:
        return str(converter.reset().convert(text))
    except RecursionError as exc:  # e.g. hundreds of lists inside each other
        _converter.cache_clear()  # a converter stopped half-way keeps state reset() misses
        raise TooDeep from exc
    except BaseException:
        _converter.cache_clear()
        raise


def _census(fragment: str) -> Counter[tuple[str, str]]:
    """Elements by name and attributes by element and name, as libxml2 reads ``fragment``."""
    counts: Counter[tuple[str, str]] = Counter()
    if "<" not in fragment:
        return counts
    root = etree.fromstring(f"<html><body>{fragment}</body></html>", _CENSUS_PARSER)
    if root is None:
        return counts
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _WRAPPERS:
            continue
        counts[("element", tag)] += 1
        for name in el.attrib:
            counts[("attribute", f"{tag}@{name!s}")] += 1
    return counts


def count_removed(before: str, after: str, diagnostics: Diagnostics) -> None:
    """Count what the sanitiser took out: elements and attributes in ``before`` not in ``after``.

    Both are read by the same parser, so what the sanitiser only rearranged (an implied
    ``tbody``, a paragraph closed early) is not counted; what it added is never subtracted.
    A text the sanitiser gave back as it was (most comments) lost nothing: not parsed.
    """
    if before == after:
        return
    removed = _census(before) - _census(after)
    elements = sum(n for (kind, _), n in removed.items() if kind == "element")
    attributes = sum(n for (kind, _), n in removed.items() if kind == "attribute")
    if elements:
        diagnostics.count(REMOVED_ELEMENTS, elements)
    if attributes:
        diagnostics.count(REMOVED_ATTRIBUTES, attributes)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The sanitiser, its allow-lists turned into Rust's sets once (``nh3.clean`` does it
    for every text: most of its time on a short comment)."""
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def sanitize(html: str) -> str:
    return _cleaner().clean(html)


def typography(html: str) -> str:
    """Curly quotes and apostrophes, en and em dashes, ellipses; code is left alone."""
    if not may_change(html):
        return html
    return str(smartypants.smartypants(html, _SMARTY))


def to_safe_html(
    body: Body, diagnostics: Diagnostics | None = None, source: Path | None = None
) -> str:
    """A body as sanitised, typographically dressed HTML (not yet XHTML).

    ``source`` is the file the body came from, for messages. A body longer than
    ``MAX_BODY_CHARS`` is an error; Markdown nested too deeply to parse is set as plain
    text, with a warning.
    """
    if len(body.text) > MAX_BODY_CHARS:
        raise PublishError(
            "too-large",
            f"the text is {len(body.text):,} characters long, over the limit of {MAX_BODY_CHARS:,}",
            source,
        )
    text = xml_safe(body.text)
    if body.format == "markdown":
        try:
            html = markdown_to_html(text)
        except TooDeep:
            if diagnostics is not None:
                diagnostics.warn(
                    "too-deep",
                    "the Markdown nests too deeply (lists or quotations hundreds of levels "
                    "deep); set as plain text",
                    source,
                )
            paragraphs = (p for p in text.split("\n\n") if p.strip())
            html = "".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs)
    else:
        html = text
    clean = sanitize(html)
    if diagnostics is not None:
        count_removed(html, clean, diagnostics)
    return typography(clean)


# Simple texts converted in one go (see joined_safe_html): a paragraph of its own between
# them, which no text holds, marks where each one's HTML ends.
_SEPARATOR = "publishtextends7c3e"
_JOIN = f"\n\n{_SEPARATOR}\n\n"
_SPLIT = f"\n<p>{_SEPARATOR}</p>\n"
_INDENTED = re.compile(r"^[ \t]", re.MULTILINE)
# A character reference: the sanitiser writes "&copy;" as "©", unlike the converter.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+);")


def _simple(body: Body) -> bool:
    """Whether ``body``'s Markdown is all blocks that end within it: no raw HTML or
    autolinks ("<"), no indented lines (code, a list item's next paragraph), no link
    definitions ("]:", they reach the whole document), none of the extensions' marks.
    Its HTML is then the same converted alone or between others (see joined_safe_html).
    Nor any entity: the sanitiser would change it, and all the bodies go their own way."""
    text = body.text
    return (
        body.format == "markdown"
        and len(text) <= MAX_BODY_CHARS
        and not body.is_empty()
        and "<" not in text
        and "]:" not in text
        and "\r" not in text
        and not _ENTITY.search(text)
        and _SEPARATOR not in text
        and not XML_INVALID.search(text)
        and not needs_extensions(text)
        and not _INDENTED.search(text)
    )


def joined_safe_html(bodies: Sequence[Body]) -> dict[int, str]:
    """What :func:`to_safe_html` makes of the simple bodies among ``bodies`` (by index),
    their Markdown converted and sanitised in one go.

    Python-Markdown and the sanitiser cost a good part of a short comment's time before
    reading any of it; a post's comments, one document, pay that once. The bodies taken
    are those whose HTML cannot depend on what comes before or after them (:func:`_simple`);
    they are converted one after another with a paragraph no text holds between them, and
    that paragraph in the HTML is where each one's ends. Nothing is taken when anything
    is unexpected (the sanitiser changed something, the pieces do not match the bodies):
    the caller converts the rest on its own. No warnings or counts arise here.
    """
    chosen = [n for n, body in enumerate(bodies) if _simple(body)]
    if len(chosen) < 2:
        return {}
    try:
        html = markdown_to_html(_JOIN.join(bodies[n].text for n in chosen))
    except TooDeep:
        return {}
    if sanitize(html) != html:
        return {}
    pieces = html.split(_SPLIT)
    if len(pieces) != len(chosen):
        return {}
    return {n: typography(piece) for n, piece in zip(chosen, pieces, strict=True)}


def smart_text(text: str) -> str:
    """Typography for plain text (titles): the result is plain text again, to be escaped."""
    return html_lib.unescape(typography(html_lib.escape(xml_safe(text), quote=False)))


def running_title(title: str, limit: int = 48) -> str:
    """A title short enough for a running head: cut at a word, with an ellipsis."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return f"{cut}…"
