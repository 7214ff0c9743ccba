"""Sources: read content folders and blog exports into the model.

``load_book(path)`` picks the reader: a folder with ``book.toml`` is a content folder;
anything else is handed to the importers, which detect the export's format.
"""

from __future__ import annotations

from pathlib import Path

from publish.errors import Diagnostics, PublishError, default_diagnostics
from publish.limits import xml_safe_book
from publish.model import Book
from publish.sources.content import load_content
from publish.sources.textfile import refuse_links_out


def load_book(
    path: str | Path, diagnostics: Diagnostics | None = None, *, cache: str | Path | None = None
) -> Book:
    """Read a content folder (or, with the importers, a blog export) into a Book.

    With ``cache`` (a folder, such as ``build/cache``), a content folder's posts are kept
    as read, and the next load reads again only the posts whose files changed.
    """
    diagnostics = default_diagnostics(diagnostics)
    source = Path(path)
    if not source.exists():
        raise PublishError("no-content", "no such file or folder", source)
    if source.is_dir() and (source / "book.toml").is_file():
        refuse_links_out(source)
        return xml_safe_book(load_content(source, diagnostics, cache), posts_safe=True)
    from publish.sources.importers import load_export  # only for exports: not imported else

    return xml_safe_book(load_export(source, diagnostics))
