"""Safe, lenient XML for blog exports.

Safe: no DTD is loaded, no entity is expanded, nothing is fetched from the network, and a
document that declares entities in a DOCTYPE is refused outright (billion laughs, XXE).
Lenient: an undeclared namespace prefix (a hand-edited export, e.g. ``app:`` lost when a
Blogger file was re-indented) is declared and the file parsed again; any other
well-formedness error is retried in libxml2's recover mode, with a warning.

Element lookups go by *local name* so that WXR 1.0/1.1/1.2 under ``http`` or ``https``, and
elements whose prefix could not be bound, read alike.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from publish.errors import PublishError
from publish.sources.importers.common import Context

Element = etree._Element

MAX_XML_BYTES = 200 * 1024 * 1024

# Prefixes seen in blog exports, for files that use one without declaring it.
KNOWN_NAMESPACES = {
    "app": "http://purl.org/atom/app#",
    "atom": "http://www.w3.org/2005/Atom",
    "blogger": "http://schemas.google.com/blogger/2018",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dsq": "http://disqus.com/disqus-internals",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "media": "http://search.yahoo.com/mrss/",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "wp": "http://wordpress.org/export/1.2/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}

_UNBOUND = re.compile(r"Namespace prefix ([\w.-]+)(?: for [\w.-]+)? on [\w.:-]+ is not defined")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.I)
_ENTITY = re.compile(rb"<!ENTITY\b", re.I)


def _parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def prolog_end(data: bytes) -> int:
    """Where the root element starts (after the XML declaration, comments and DOCTYPE)."""
    position = 0
    while True:
        match = _ROOT_TAG.search(data, position)
        if match is None:
            return len(data)
        before = data.rfind(b"<!--", 0, match.start())
        if before != -1 and data.find(b"-->", before) > match.start():
            position = data.find(b"-->", before) + 3
            continue
        return match.start()


def check_safe(data: bytes, path: Path) -> None:
    """Refuse a DOCTYPE that declares entities: they are never expanded, nor allowed."""
    prolog = data[: prolog_end(data)]
    doctype = _DOCTYPE.search(prolog)
    if doctype and _ENTITY.search(prolog, doctype.start()):
        line = data[: doctype.start()].count(b"\n") + 1
        raise PublishError(
            "unsafe-xml",
            "the file declares XML entities in a DOCTYPE; publish does not expand them "
            "(remove the DOCTYPE to import it)",
            path,
            line,
        )


def _declare(data: bytes, prefix: str) -> bytes:
    start = prolog_end(data)
    match = _ROOT_TAG.match(data, start)
    if match is None:
        return data
    uri = KNOWN_NAMESPACES.get(prefix, f"urn:publish:undeclared:{prefix}")
    insert = f' xmlns:{prefix}="{uri}"'.encode()
    return data[: match.end()] + insert + data[match.end() :]


def parse_xml(path: Path, ctx: Context, data: bytes | None = None) -> Element:
    """The root element of an XML export, parsed safely and, where needed, leniently."""
    if data is None:
        data = read_bytes(path)
    check_safe(data, path)
    declared: list[str] = []
    first_error: etree.XMLSyntaxError | None = None
    for _ in range(32):
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            first_error = first_error or exc
            unbound = _UNBOUND.search(str(exc))
            if unbound and unbound.group(1) not in declared:
                declared.append(unbound.group(1))
                data = _declare(data, unbound.group(1))
                continue
            break
        if declared:
            names = ", ".join(f"'{p}:'" for p in declared)
            ctx.warn(
                "xml-namespace",
                f"undeclared namespace prefix {names} (the file is not namespace-well-formed); "
                "read with the usual meaning",
                line=first_error.lineno if first_error else None,
            )
        return root
    assert first_error is not None
    root = _recover(data)
    if root is None:
        raise PublishError(
            "bad-xml", f"not well-formed XML: {first_error.msg}", path, first_error.lineno
        )
    ctx.warn(
        "xml-recovered",
        f"not well-formed XML ({first_error.msg}); read what could be recovered",
        line=first_error.lineno,
    )
    return root


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_OTHER_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["'](?!utf-?8["'])""", re.I)


def _xml_char_ref(match: re.Match[bytes]) -> bytes:
    """A character reference XML allows, or U+FFFD for one it does not (&#0;, &#xD800;)."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    ok = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    return match.group(0) if ok or 0x10000 <= code <= 0x10FFFF else b"&#xFFFD;"


def _recover(data: bytes) -> Element | None:
    # In recover mode libxml2 lets a reference to a surrogate (&#xD800;) or bytes that are
    # not UTF-8 through into names and text that lxml then cannot decode: mend them first.
    data = _CHAR_REF.sub(_xml_char_ref, data)
    if not _OTHER_ENCODING.match(data):
        data = data.decode("utf-8", errors="replace").encode("utf-8")
    try:
        root = etree.fromstring(data, _parser(recover=True))
    except etree.XMLSyntaxError:
        return None
    return root


def read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # /dev/zero, a named pipe: never finished reading
            raise PublishError("not-a-file", "not a regular file", path)
        size = info.st_size
        if size > MAX_XML_BYTES:
            raise PublishError(
                "too-large", f"file is {size:,} bytes, over the limit of {MAX_XML_BYTES:,}", path
            )
        return path.read_bytes()
    except OSError as exc:
        raise PublishError("unreadable", f"cannot read file: {exc.strerror}", path) from exc


def local(tag: object) -> str:
    """An element's name without namespace or (unbound) prefix."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element: Element, name: str, ns_part: str | None = None) -> Iterator[Element]:
    """Child elements by local name (and, optionally, a piece of their namespace URI)."""
    for child in element:
        if local(child.tag) == name and (ns_part is None or ns_part in namespace(child)):
            yield child


def child(element: Element, name: str, ns_part: str | None = None) -> Element | None:
    return next(children(element, name, ns_part), None)


def text(element: Element | None, name: str | None = None, ns_part: str | None = None) -> str:
    """The text of ``element`` (or of its first child ``name``), stripped; '' when absent."""
    if element is not None and name is not None:
        element = child(element, name, ns_part)
    if element is None:
        return ""
    return "".join(str(piece) for piece in element.itertext()).strip()


def descendants(element: Element, name: str) -> Iterator[Element]:
    for node in element.iter():
        if local(node.tag) == name:
            yield node
