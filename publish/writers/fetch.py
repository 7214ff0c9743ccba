"""WeasyPrint's only way to the outside: files inside the allowed folders, nothing else.

No network, ever: remote URLs, ``file://`` paths outside the content folder and the
styles, ``..`` escapes and symbolic links that point outside are all refused.

The book's own files (its images, its stylesheets) are given to WeasyPrint under
:data:`BOOK_URL`, a URL that does not say where the content folder is: WeasyPrint names an
image in the PDF after its URL, and the same book built in another folder (another
checkout, a CI machine) must give the same file, byte for byte.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

BOOK_URL = "file:///.publish-book/"  # the content folder, wherever it is
_BOOK_PATH = urlsplit(BOOK_URL).path.removesuffix("/")  # "/.publish-book"


def file_url(path: Path, book: Path | None) -> str:
    """The URL a document names ``path`` by: under :data:`BOOK_URL` when it is inside
    the content folder ``book`` (both resolved), else its own ``file:`` URL."""
    if book is not None and path.is_relative_to(book):
        return BOOK_URL + quote(path.relative_to(book).as_posix())
    return path.as_uri()


def as_found(message: str, book: Path | None) -> str:
    """A WeasyPrint message naming a file under :data:`BOOK_URL` with the file's own URL
    put back (in the content folder ``book``), for the reader who must find it."""
    return message.replace(BOOK_URL, book.as_uri() + "/") if book is not None else message


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the files inside ``roots``; with ``book`` (the content folder, one of the
    roots), :data:`BOOK_URL` stands for it."""

    def __init__(self, roots: list[Path], book: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file"})
        self.roots = [root.resolve() for root in roots]
        self.book = book.resolve() if book is not None else None
        self.refused: list[str] = []

    def _in_book(self, url: str) -> bool:
        return self.book is not None and url.startswith(BOOK_URL)

    def allowed(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        name = unquote(parts.path)
        if self._in_book(url):
            name = str(self.book) + name.removeprefix(_BOOK_PATH)
        path = Path(name).resolve()  # follows symbolic links, folds ".."
        if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
            return path
        return None

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.allowed(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused (not a file of this book): {url[:200]}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # Under BOOK_URL, what the file names relatively stays under it.
        where = url if self._in_book(url) else path.as_uri()
        return URLFetcherResponse(where, path.read_bytes(), {"Content-Type": kind})
