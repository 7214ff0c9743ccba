"""Front and back matter: Markdown files in ``content/front/`` and ``content/back/``.

One file a piece, read in file-name order (so ``01-dedication.md``, ``02-foreword.md``),
each with YAML front matter: ``title`` (required; the contents and the e-book's navigation
show it) and ``type`` (optional; by default the file's name without a leading number, when
that names a kind of :data:`publish.model.MATTER_KINDS`). A dedication and an epigraph come
before the contents and are not listed there; the others follow the contents (front) or
the last post (back) and are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from publish.errors import Diagnostics, PublishError
from publish.limits import xml_safe
from publish.model import MATTER_KINDS, Body, Matter
from publish.sources.textfile import parse_document

KEYS = ("title", "type")
KINDS = MATTER_KINDS
_NUMBER = re.compile(r"^\d+[-_. ]*")


def _read(path: Path, generic: str, diagnostics: Diagnostics) -> Matter:
    doc = parse_document(path)
    for key in doc.meta:
        if key not in KEYS:
            diagnostics.warn(
                "unknown-key", f"unknown front matter key '{key}' (ignored)", path, doc.line(key)
            )
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise doc.error("missing-key", "'title' is required in the front matter", "title")
    given = doc.meta.get("type")
    stem = _NUMBER.sub("", path.stem).lower()
    kind = str(given).strip().lower() if given is not None else stem
    if kind not in KINDS:
        if given is not None:
            known = ", ".join(KINDS)
            raise doc.error("bad-value", f"'type' must be one of: {known}", "type")
        kind = generic
    return Matter(
        slug=f"{generic}-{re.sub(r'[^a-z0-9]+', '-', path.stem.lower()).strip('-') or 'page'}",
        title=xml_safe(title.strip()),
        kind=kind,
        body=Body(xml_safe(doc.body)),
        source=path,
    )


def read_matter(
    root: Path,
    diagnostics: Diagnostics,
    on_error: Callable[[PublishError], None] | None = None,
) -> tuple[tuple[Matter, ...], ...]:
    """The book's front matter and back matter, each in file-name order.

    A file that cannot be read raises its error, or, with ``on_error`` (the lint, which
    reads on), is passed to it and left out.
    """
    out = []
    for folder in ("front", "back"):
        where = root / folder
        files = sorted(where.glob("*.md")) if where.is_dir() else []
        read = []
        for path in files:
            try:
                read.append(_read(path, folder, diagnostics))
            except PublishError as error:
                if on_error is None:
                    raise
                on_error(error)
        out.append(tuple(read))
    return out[0], out[1]
