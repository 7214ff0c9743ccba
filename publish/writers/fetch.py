"""WeasyPrint's only way to the outside: files inside the allowed folders, nothing else.

No network, ever: remote URLs, ``file://`` paths outside the content folder and the
styles, ``..`` escapes and symbolic links that point outside are all refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"})
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def allowed(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()  # follows symbolic links, folds ".."
        if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
            return path
        return None

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.allowed(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused (not a file of this book): {url[:200]}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})
