"""Importers: blog exports (Blogger, WordPress, Disqus, Jekyll/Staticman, text pages, feeds).

    book, report = import_export(Path("blog-07-13-2016.xml"))
    print(report)                      # what was kept, what was left out and why
    write_content(book, Path("content"))

The format is detected from the content, not the file name (:func:`detect_format`).
Every importer reads into the same model; what the formats share (dated titles for empty
ones, unique slugs, threads, counts) is done once, in :mod:`.common`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from publish.errors import Diagnostics, PublishError, default_diagnostics
from publish.model import Book
from publish.sources.config import derived_identifier
from publish.sources.importers import blogger, disqus, feed, jekyll, textpage, wordpress
from publish.sources.importers.common import Context, Site, finish
from publish.sources.importers.disqus import merge_comments
from publish.sources.importers.report import ImportOptions, ImportReport
from publish.sources.importers.write import write_content
from publish.sources.importers.xmlsafe import prolog_end, read_bytes
from publish.sources.textfile import read_text

__all__ = [
    "ImportOptions",
    "ImportReport",
    "detect_format",
    "import_export",
    "load_export",
    "merge_comments",
    "write_content",
]

READERS: dict[str, Callable[[Context], Site]] = {
    "blogger": blogger.read,
    "wordpress": wordpress.read,
    "disqus": disqus.read,
    "jekyll": jekyll.read,
    "textpage": textpage.read,
    "feed": feed.read,
}
_ROOT = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def detect_format(path: Path) -> str:
    """``blogger``, ``wordpress``, ``disqus``, ``jekyll``, ``textpage`` or ``feed``."""
    if path.is_dir():
        if jekyll.site_root(path) is not None:
            return "jekyll"
        if any(p.is_file() for p in path.glob("*.txt")):
            return "textpage"
        raise PublishError(
            "unknown-format",
            "not a content folder (no book.toml), a Jekyll site (no _posts) "
            "or a folder of Blogger pages (no .txt files)",
            path,
        )
    data = read_bytes(path)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        match = _ROOT.match(data, prolog_end(data))
        root = match.group(1).decode().lower() if match else ""
        if root == "disqus":
            return "disqus"
        if root in ("rss", "rdf", "channel"):
            return "wordpress" if b"wordpress.org/export/" in data else "feed"
        if root == "feed":
            blogger_marks = (
                b"schemas.google.com/blogger/2008/kind#",
                b"schemas.google.com/blogger/2018",
            )
            return "blogger" if any(m in data for m in blogger_marks) else "feed"
        raise PublishError("unknown-format", f"an XML file publish cannot import (<{root}>)", path)
    if textpage.looks_like_page(read_text(path)):
        return "textpage"
    raise PublishError(
        "unknown-format",
        "not a blog export publish can read (Blogger, WordPress, Disqus, a feed, "
        "a Jekyll site or a Blogger page saved as text)",
        path,
    )


def import_export(
    path: str | Path,
    diagnostics: Diagnostics | None = None,
    *,
    include_pages: bool = False,
    include_pingbacks: bool = False,
) -> tuple[Book, ImportReport]:
    """Read a blog export into a Book, with a report of what was kept and left out."""
    diagnostics = default_diagnostics(diagnostics)
    source = Path(path)
    if not source.exists():
        raise PublishError("no-content", "no such file or folder", source)
    fmt = detect_format(source)
    report = ImportReport(source=source, format=fmt)
    options = ImportOptions(include_pages=include_pages, include_pingbacks=include_pingbacks)
    ctx = Context(source, diagnostics, report, options)
    site = READERS[fmt](ctx)
    posts = finish(site.posts, ctx)
    title = site.title or source.stem
    authors = [post.author for post in posts if post.author]
    author = site.author or max(sorted(set(authors)), key=authors.count, default="Unknown author")
    book = Book(
        title=title,
        author=author,
        language=_language(site.language, ctx),
        posts=posts,
        identifier=derived_identifier(title, author),
    )
    diagnostics.count("posts", report.posts)
    diagnostics.count("comments", report.comments)
    for reason, n in sorted(report.skipped.items()):
        diagnostics.count(f"skipped: {reason}", n)
    return book, report


def load_export(
    path: Path,
    diagnostics: Diagnostics,
    *,
    include_pages: bool = False,
    include_pingbacks: bool = False,
) -> Book:
    """The Book of a blog export (``load_book`` calls this for anything not a content folder)."""
    book, report = import_export(
        path, diagnostics, include_pages=include_pages, include_pingbacks=include_pingbacks
    )
    if not book.posts:
        left = ", ".join(f"{n} × {r}" for r, n in sorted(report.skipped.items())) or "nothing"
        raise PublishError(
            "no-posts", f"the export has no published posts (left out: {left})", path
        )
    return book


def _language(value: str | None, ctx: Context) -> str:
    language = (value or "").strip().replace("_", "-")
    if not language:
        return "en"
    if not _LANGUAGE.match(language):
        ctx.warn("bad-language", f"language {value!r} is not a language tag; using 'en'")
        return "en"
    return language
