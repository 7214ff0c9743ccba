"""HTML from exports, made into clean *block* HTML, decoded exactly once.

An export's XML parser has already turned ``&amp;quot;`` into the HTML ``&quot;``; here the
HTML is parsed once more, as HTML, so character references become characters (``"``,
``'``, no-break spaces) while ``&lt;`` stays escaped text: a code sample shows ``<b>``, it
never becomes a tag. Comments (``<!--more-->``), Blogger's jump-break anchor
(``<a name="more"></a>``) and processing instructions go.

The result is a sequence of block elements, one per line group: loose text and inline
elements at the top level are wrapped in ``<p>`` (split where two ``<br>`` follow each
other, Blogger's way of ending a paragraph). Block HTML passes through Markdown untouched,
so the body can be written to ``index.md`` as it is and read back the same.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

# Top-level elements Python-Markdown passes through as raw HTML blocks (and that are blocks).
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dl",
        "div",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "iframe",
        "main",
        "menu",
        "nav",
        "noscript",
        "object",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "video",
        "canvas",
        "script",
        "style",
    ]
)

_WS = re.compile(r"\s+")


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def _body(fragment: str) -> etree._Element:
    document = lxml.html.document_fromstring(
        f"<html><body>{fragment}</body></html>", parser=_parser()
    )
    body = document.find("body")
    if body is None:  # pragma: no cover - libxml2 always makes one
        body = etree.SubElement(document, "body")
    return body


def _is_jump_break(element: etree._Element) -> bool:
    return (
        element.tag == "a"
        and (element.get("name") or "").lower() == "more"
        and element.get("href") is None
        and not len(element)
        and not (element.text or "").strip()
    )


def _remove_keep_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


Node = str | etree._Element


def _nodes(body: etree._Element) -> list[Node]:
    """The body's top-level content as a list of text pieces and elements (tails split off)."""
    nodes: list[Node] = []
    if body.text:
        nodes.append(body.text)
    for element in list(body):
        tail = element.tail
        element.tail = None
        nodes.append(element)
        if tail:
            nodes.append(tail)
    return nodes


def _is_block(node: Node) -> bool:
    return not isinstance(node, str) and isinstance(node.tag, str) and node.tag in BLOCK_TAGS


def _is_br(node: Node) -> bool:
    return not isinstance(node, str) and node.tag == "br"


def _paragraphs(run: list[Node]) -> list[list[Node]]:
    """Split an inline run where two or more ``<br>`` follow one another."""
    groups: list[list[Node]] = [[]]
    i = 0
    while i < len(run):
        node = run[i]
        if _is_br(node):
            j = i + 1
            while j < len(run) and isinstance(run[j], str) and not str(run[j]).strip():
                j += 1
            if j < len(run) and _is_br(run[j]):
                while j < len(run) and (
                    _is_br(run[j]) or (isinstance(run[j], str) and not str(run[j]).strip())
                ):
                    j += 1
                groups.append([])
                i = j
                continue
        groups[-1].append(node)
        i += 1
    return [_trim(g) for g in groups if _trim(g)]


def _trim(group: list[Node]) -> list[Node]:
    """Drop leading/trailing whitespace text and ``<br>`` from a paragraph's content."""
    start, end = 0, len(group)
    while start < end and (_is_br(group[start]) or _blank(group[start])):
        start += 1
    while end > start and (_is_br(group[end - 1]) or _blank(group[end - 1])):
        end -= 1
    return group[start:end]


def _blank(node: Node) -> bool:
    return isinstance(node, str) and not node.strip()


def _paragraph(group: list[Node]) -> etree._Element:
    p = etree.Element("p")
    last: etree._Element | None = None
    for node in group:
        if isinstance(node, str):
            if last is None:
                p.text = (p.text or "") + node
            else:
                last.tail = (last.tail or "") + node
        else:
            p.append(node)
            last = node
    if p.text:
        p.text = p.text.lstrip()
    if last is not None and last.tail:
        last.tail = last.tail.rstrip()
    elif last is None and p.text:
        p.text = p.text.rstrip()
    return p


_NO_TEXT_INSIDE = frozenset(["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"])
_URL_ATTRIBUTES = (("a", "href"), ("img", "src"), ("img", "longdesc"), ("source", "src"))


def _tidy(body: etree._Element) -> None:
    """Jump breaks out; ``<br>`` where no text may be (a list's own level); empty anchors."""
    for element in list(body.iter("a", "br")):
        parent = element.getparent()
        stray_br = element.tag == "br" and parent is not None and parent.tag in _NO_TEXT_INSIDE
        if stray_br or _is_jump_break(element):
            _remove_keep_tail(element)
        elif element.tag == "a" and not any(element.get(k) for k in ("href", "name", "id")):
            _unwrap(element)


def _unwrap(element: etree._Element) -> None:
    """Replace an element by its content."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    text, tail = element.text or "", element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    kids = list(element)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)
    last = kids[-1] if kids else (parent[index - 1] if index > 0 else None)
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _absolute(body: etree._Element, base_url: str) -> None:
    for tag, attribute in _URL_ATTRIBUTES:
        for element in body.iter(tag):
            value = (element.get(attribute) or "").strip()
            if (
                value
                and not value.startswith("#")
                and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I)
            ):
                element.set(attribute, urljoin(base_url, value))


def _serialize(element: etree._Element) -> str:
    return str(lxml.html.tostring(element, encoding="unicode", method="html")).strip()


def clean_html(fragment: str | None, base_url: str | None = None) -> str:
    """Block HTML from an export's HTML fragment ('' when it has no content).

    With ``base_url`` (the post's address), relative links and images are made absolute:
    out of the blog they point nowhere, and absolute, a link to another post of the blog is
    recognised as one. Links within the page (``#...``) stay as they are.
    """
    if not fragment or not fragment.strip():
        return ""
    body = _body(fragment)
    _tidy(body)
    if base_url:
        _absolute(body, base_url)
    blocks: list[etree._Element] = []
    run: list[Node] = []
    for node in [*_nodes(body), etree.Element("hr")]:  # a sentinel block ends the last run
        if _is_block(node):
            blocks.extend(_paragraph(group) for group in _paragraphs(run))
            run = []
            blocks.append(node)  # type: ignore[arg-type]
        else:
            run.append(node)
    blocks.pop()
    return "\n\n".join(_serialize(block) for block in blocks if not _empty_paragraph(block))


def _empty_paragraph(element: etree._Element) -> bool:
    return element.tag == "p" and not len(element) and not (element.text or "").strip()


def text_to_html(text: str) -> str:
    """Plain text as HTML: every non-empty line a paragraph."""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment (entities decoded once), whitespace collapsed."""
    if "<" not in fragment and "&" not in fragment:
        return _WS.sub(" ", fragment).strip()
    return _WS.sub(" ", "".join(str(t) for t in _body(fragment).itertext())).strip()


def title_text(title: str) -> str:
    """A title that may carry inline markup (WordPress allows it) as plain text."""
    if re.search(r"</?(?:em|strong|b|i|u|sup|sub|code|span|small|abbr|s|del|ins|mark)\b", title):
        return plain_text(title)
    return _WS.sub(" ", title).strip()


# --- WordPress: paragraphs from blank lines, shortcodes ------------------------------

_PROTECT = re.compile(r"<(pre|script|style|table|ul|ol|dl|blockquote)\b.*?</\1>", re.S | re.I)
_BLOCK_START = re.compile(
    r"^\s*</?(?:" + "|".join(sorted(BLOCK_TAGS | {"li", "dd", "dt", "tr", "td", "th", "thead",
                                                   "tbody", "tfoot", "caption", "figure"}))
    + r")\b",
    re.I,
)  # fmt: skip


def autop(text: str) -> str:
    """WordPress's classic-editor paragraphs: blank lines end them, single newlines break."""
    if "<!-- wp:" in text:  # block-editor content is HTML already
        return text
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _PROTECT.sub(protect, text.replace("\r\n", "\n"))
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    result = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], result)


_CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_MEDIA = re.compile(
    r"\[(?:gallery|audio|video|playlist|wpvideo)\b[^\]]*\](?:.*?\[/(?:audio|video)\])?",
    re.S | re.I,
)


def shortcodes(text: str) -> tuple[str, int]:
    """WordPress shortcodes: captions become figures, embeds links; media ones are dropped."""
    removed = 0

    def caption(match: re.Match[str]) -> str:
        inner = match.group(2).strip()
        split = max(inner.rfind("</a>") + 4 if "</a>" in inner else -1, inner.rfind("/>") + 2)
        media, words = (inner[:split], inner[split:].strip()) if split > 1 else (inner, "")
        media += "</a>" * (len(re.findall(r"<a\b", media)) - media.count("</a>"))
        attribute = re.search(r'caption="([^"]*)"', match.group(1))
        words = words or (attribute.group(1) if attribute else "")
        figcaption = f"<figcaption>{words}</figcaption>" if words else ""
        return f"<figure>{media}{figcaption}</figure>"

    def media(match: re.Match[str]) -> str:
        nonlocal removed
        removed += 1
        return ""

    text = _CAPTION.sub(caption, text)
    text = _EMBED.sub(lambda m: _link(html.unescape(m.group(1).strip())), text)
    text = _MEDIA.sub(media, text)
    return text, removed


def _link(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'
