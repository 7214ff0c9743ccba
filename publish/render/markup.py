"""Body text to clean HTML: Markdown, then the sanitiser, then typography.

Everything that comes from content or an export passes through :func:`to_safe_html`
before it reaches a template. The sanitiser (nh3, Rust's ammonia) keeps an allow-list of
elements and attributes: no script, style, event handlers, frames, objects, forms, or
``javascript:``/``data:`` links; unknown elements are unwrapped and their text kept.
"""

from __future__ import annotations

import html as html_lib
import re

import markdown
import nh3
import smartypants

from publish.errors import Diagnostics
from publish.model import Body

MARKDOWN_EXTENSIONS = [
    "footnotes",
    "tables",
    "fenced_code",
    "sane_lists",
    "attr_list",
    "abbr",
    "def_list",
]

ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
# Elements removed with everything inside them.
REMOVED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "object", "embed", "noscript",
    "svg", "math", "form", "select", "textarea", "button", "head", "title",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "img": {"src", "alt", "width", "height"},
    "ins": {"cite", "datetime"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "q": {"cite"},
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
_COUNTED = re.compile(
    r"<(script|style|iframe|object|embed|form)\b|\son[a-z]+\s*=|(?:javascript|vbscript|data):", re.I
)


def markdown_to_html(text: str) -> str:
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def typography(html: str) -> str:
    """Curly quotes and apostrophes, en and em dashes, ellipses; code is left alone."""
    return str(smartypants.smartypants(html, _SMARTY))


def to_safe_html(body: Body, diagnostics: Diagnostics | None = None) -> str:
    """A body as sanitised, typographically dressed HTML (not yet XHTML)."""
    html = markdown_to_html(body.text) if body.format == "markdown" else body.text
    if diagnostics is not None:
        removed = len(_COUNTED.findall(html))
        if removed:
            diagnostics.count("unsafe HTML removed", removed)
    return typography(sanitize(html))


def smart_text(text: str) -> str:
    """Typography for plain text (titles): the result is plain text again, to be escaped."""
    return html_lib.unescape(typography(html_lib.escape(text, quote=False)))


def running_title(title: str, limit: int = 48) -> str:
    """A title short enough for a running head: cut at a word, with an ellipsis."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return f"{cut}…"
