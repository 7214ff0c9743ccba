"""Read a content file: UTF-8 text, YAML front matter with line numbers, and the body.

Only regular files are read (not a device or a pipe someone named ``index.md``), at most
:data:`~publish.limits.MAX_FILE_BYTES` of them. Front matter is safe YAML without aliases
(no "billion laughs" of ``*refs``); characters XML cannot carry are dropped from its text.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from publish.errors import PublishError
from publish.limits import MAX_FILE_BYTES, xml_safe

__all__ = [
    "MAX_FILE_BYTES",
    "Document",
    "as_datetime",
    "parse_document",
    "read_text",
    "refuse_links_out",
]


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text and refuses aliases (``*name``)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS

_FastLoader: type[Any] | None = None
if getattr(yaml, "__with_libyaml__", False):  # libyaml: the same YAML, ten times faster

    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser with :class:`_Loader`'s resolvers (dates stay text)."""

    _CLoader.yaml_implicit_resolvers = _RESOLVERS
    _FastLoader = _CLoader


class _Refused(Exception):
    """The fast parser met something only the careful one reports well."""


def _compose(raw: str) -> tuple[yaml.Node | None, Any]:
    """The front matter's node tree and its value.

    libyaml composes it when present; anything it refuses, and any alias (a node met
    twice in the tree), goes again through the pure-Python loader, which reports the
    problem with its line. Without libyaml the pure-Python loader does it all. Nesting
    deeper than :data:`MAX_YAML_DEPTH` is a :class:`RecursionError`, whichever parsed it.
    """
    if _FastLoader is not None:
        try:
            return _load(_FastLoader, raw, refuse_shared=True)
        except (yaml.YAMLError, _Refused):
            pass
    return _load(_Loader, raw, refuse_shared=False)


def _load(loader_class: type[Any], raw: str, refuse_shared: bool) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(raw)
    try:
        node = loader.get_single_node()
        _walk(node, refuse_shared)
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


class _Resolver(yaml.resolver.Resolver):
    """What type YAML gives a plain scalar, as :class:`_Loader` decides it."""


_Resolver.yaml_implicit_resolvers = _RESOLVERS
_RESOLVER = _Resolver()
_STR = "tag:yaml.org,2002:str"


def _is_str(plain: str) -> bool:
    """Whether YAML reads this plain scalar as a string (not a number, boolean, null...)."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR


# One line of the front matter most files have: a key, then a quoted string without
# escapes, or a plain scalar that starts with no YAML indicator and ends with no colon.
_ENTRY = re.compile(
    r"""([A-Za-z_][\w-]*): (?:"([^"\\]*)"|'([^']*)'|([^-?:,\[\]{}#&*!|>'"%@`\s](?:.*[^\s:])?))"""
)
_YAML_BREAKS = ("\t", "\r", "\x85", "\u2028", "\u2029")


def _simple(raw: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The values and lines of front matter made only of such lines, each value a string
    as YAML reads it (its own resolver decides); None for anything else, which YAML reads.
    Most comment files are ``author:``, ``date:`` and ``reply_to:`` lines: they are read
    here without composing a YAML node tree for each."""
    if any(c in raw for c in _YAML_BREAKS) or yaml.reader.Reader.NON_PRINTABLE.search(raw):
        return None
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for n, line in enumerate(raw.removesuffix("\n").split("\n")):
        found = _ENTRY.fullmatch(line)
        if found is None:
            return None
        key, double, single, plain = found.groups()
        if not _is_str(key):
            return None
        if plain is not None:
            if ": " in plain or " #" in plain:
                return None
            if not _is_str(plain):
                return None
        meta[key] = double if double is not None else single if single is not None else plain
        lines[key] = n + 2
    return (meta, lines) if meta else None


MAX_YAML_DEPTH = 64  # lists in lists in front matter; no post needs more than a few


def _walk(root: yaml.Node | None, refuse_shared: bool) -> None:
    """Raise :class:`_Refused` for a node met twice (an alias, ``*name``), and
    :class:`RecursionError` for nesting deeper than :data:`MAX_YAML_DEPTH`."""
    seen: set[int] = set()
    stack = [(root, 0)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_YAML_DEPTH:
            raise RecursionError("front matter nests too deeply")
        if refuse_shared:
            if id(node) in seen:
                raise _Refused
            seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += ((key, depth + 1), (value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack += ((item, depth + 1) for item in node.value)


def read_text(path: Path) -> str:
    """The file's text; an error naming the file (and line) when it is not UTF-8."""
    try:
        # Look before opening: opening a named pipe waits for a writer, forever.
        if not stat.S_ISREG(path.stat().st_mode):
            raise PublishError("not-a-file", "not a regular file", path)
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PublishError("not-a-file", "not a regular file", path)
            data = file.read(MAX_FILE_BYTES + 1)  # the size on disk may change as we read
    except OSError as exc:
        raise PublishError("unreadable", f"cannot read file: {exc.strerror}", path) from exc
    if len(data) > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        raise PublishError(
            "too-large", f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}", path
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PublishError(
            "not-utf8", f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def refuse_links_out(root: Path) -> None:
    """An error for a symbolic link in the content folder that leads out of it.

    A content folder may come from someone else (an archive, a shared drive): a post,
    stylesheet or template that links to ``~/.ssh/id_rsa`` must not end up in a book.
    Hidden folders (``.git``) are not read by a build and not searched. Linked folders
    are checked, not entered. (``os.scandir`` knows a link from the folder listing, so the
    search costs one call a folder, not one a file: a blog has tens of thousands.)
    """
    base = root.resolve()
    folders = [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                hidden_folder = entry.name.startswith(".") and entry.is_dir()
                if hidden_folder:
                    continue
                if entry.is_symlink():
                    path = Path(entry.path)
                    if not path.resolve().is_relative_to(base):
                        raise PublishError(
                            "link-outside",
                            "a symbolic link that leads out of the content folder",
                            path,
                        )
                elif entry.is_dir():
                    folders.append(entry.path)


@dataclass(frozen=True)
class Document:
    """A parsed content file."""

    path: Path
    meta: dict[str, Any]
    lines: dict[str, int]  # front matter key -> line number in the file
    body: str

    def line(self, key: str) -> int | None:
        return self.lines.get(key)

    def error(self, code: str, message: str, key: str | None = None) -> PublishError:
        """An error at the key's line; at the front matter's first line for a missing key."""
        line = self.line(key) if key else None
        return PublishError(code, message, self.path, line or 1)


def parse_document(path: Path) -> Document:
    text = read_text(path)
    if not text.startswith("---\n"):
        return Document(path, {}, {}, text)
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise PublishError("bad-front-matter", "front matter has no closing '---' line", path, 1)
    raw = text[4 : end + 1]
    body = text[end + 4 :].removeprefix("\n")
    simple = _simple(raw)
    if simple is not None:
        meta, lines = simple
        return Document(path, {xml_safe(k): _clean(v) for k, v in meta.items()}, lines, body)
    try:
        node, meta = _compose(raw)  # composed once: the nodes give lines, then the values
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses, by position
            line = raw[: exc.position].count("\n") + 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PublishError(
            "bad-front-matter", f"front matter is not valid YAML: {problem}", path, line
        ) from exc
    except RecursionError as exc:  # [[[[... a thousand levels deep
        raise PublishError(
            "bad-front-matter", "front matter nests too deeply (lists inside lists)", path, 2
        ) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise PublishError(
            "bad-front-matter", "front matter must be a mapping of keys to values", path, 2
        )
    lines = {
        str(key.value): key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return Document(path, {xml_safe(str(k)): _clean(v) for k, v in meta.items()}, lines, body)


def _clean(value: Any) -> Any:
    """Text without characters XML cannot carry (``"\\x01"`` is valid YAML); one level deep."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [xml_safe(v) if isinstance(v, str) else v for v in value]
    return value


def as_datetime(value: object) -> datetime | None:
    """A front matter date (YAML date, datetime or ISO string) as a datetime, or None."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        text = value.strip().replace(" ", "T", 1) if len(value.strip()) > 10 else value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment
    return None
