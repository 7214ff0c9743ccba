"""Importers: blog exports (Blogger, WordPress, Disqus, Jekyll/Staticman, text pages, feeds)."""

from __future__ import annotations

from pathlib import Path

from publish.errors import Diagnostics, PublishError
from publish.model import Book


def load_export(path: Path, diagnostics: Diagnostics) -> Book:
    """Read a blog export into a Book. No format is known yet."""
    if path.is_dir():
        raise PublishError("no-content", "not a content folder (no book.toml)", path)
    raise PublishError("unknown-format", "not a blog export publish can read", path)
