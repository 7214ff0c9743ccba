"""Read a content file: UTF-8 text, YAML front matter with line numbers, and the body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from publish.errors import PublishError

MAX_FILE_BYTES = 20 * 1024 * 1024


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: we parse them, and report bad ones by line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """The file's text; an error naming the file (and line) when it is not UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PublishError("unreadable", f"cannot read file: {exc.strerror}", path) from exc
    if size > MAX_FILE_BYTES:
        raise PublishError(
            "too-large", f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}", path
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PublishError(
            "not-utf8", f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


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
    try:
        node = yaml.compose(raw, Loader=_Loader)
        meta = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PublishError(
            "bad-front-matter", f"front matter is not valid YAML: {problem}", path, line
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
    return Document(path, {str(k): v for k, v in meta.items()}, lines, body)


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
