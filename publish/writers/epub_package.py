"""What ebooklib is given besides the documents, and what is made of its zip.

The book's metadata, the contents as a tree (the navigation document's and the NCX's),
the package's language, and the zip written again: the ``mimetype`` entry first and
stored, fixed timestamps, the other entries sorted, the chapters' documents as they were
deflated (:mod:`publish.writers.zipout`).
"""

from __future__ import annotations

import mimetypes
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from ebooklib import epub

from publish.model import Book
from publish.render.book import BookView
from publish.render.chapters import RenderedChapter
from publish.writers.zipout import ZipWriter


def media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def xhtml_item(uid: str, name: str, content: str | bytes) -> epub.EpubItem:
    return epub.EpubItem(
        uid=uid,
        file_name=f"text/{name}",
        media_type="application/xhtml+xml",
        content=content.encode() if isinstance(content, str) else content,
    )


def set_metadata(out: epub.EpubBook, view: BookView, book: Book) -> None:
    out.set_identifier(view.identifier)
    out.set_title(view.title)
    out.set_language(book.language)
    out.add_author(book.author)
    if book.publisher:
        out.add_metadata("DC", "publisher", book.publisher)
    if book.description:
        out.add_metadata("DC", "description", book.description)
    if book.date:
        out.add_metadata("DC", "date", book.date.isoformat())
    for tag in sorted({t for p in book.posts for t in p.tags})[:20]:
        out.add_metadata("DC", "subject", tag)


def finish_opf(opf: bytes, language: str) -> bytes:
    """What ebooklib cannot say: the package's language (``xml:lang``) for its metadata."""
    attribute = f' xml:lang="{language}"'.encode()
    return opf.replace(b"<package ", b"<package" + attribute + b" ", 1)


def reproducible_zip(
    data: IO[bytes], target: Path, moment: datetime, language: str, packed: dict[str, bytes]
) -> None:
    """Write ebooklib's zip again: mimetype first and stored, fixed timestamps, the rest
    sorted; the entries in ``packed`` (by name) are taken as they are (:func:`pack`)."""
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with zipfile.ZipFile(data) as source, target.open("wb") as out, ZipWriter(out, stamp) as dest:
        names = source.namelist()
        dest.add("mimetype", source.read("mimetype"), stored=True)
        for name in sorted(n for n in names if n != "mimetype"):
            if name in packed:
                dest.add_packed(name, packed[name])
                continue
            content = source.read(name)
            if name == "EPUB/content.opf":
                content = finish_opf(content, language)
            dest.add(name, content)


@dataclass(frozen=True)
class TocEntry:
    href: str
    title: str
    children: list[TocEntry] = field(default_factory=list)


def toc_tree(chapters: list[RenderedChapter]) -> list[TocEntry]:
    """The contents: chapters in order, a part's chapters under its title page."""
    toc: list[TocEntry] = []
    part: TocEntry | None = None  # the part being filled
    for ch in chapters:
        if ch.chapter.part is not None:
            part = TocEntry(f"text/{ch.chapter.part.id}.xhtml", ch.chapter.part.title)
            toc.append(part)
        elif not ch.chapter.is_post:
            part = None  # back matter is not in the last part
        entry = TocEntry(f"text/{ch.chapter.file_name}", ch.title)
        (part.children if part is not None else toc).append(entry)
    return toc


def ncx_entry(entry: TocEntry) -> Any:
    uid = "toc-" + entry.href.removeprefix("text/").removesuffix(".xhtml")
    if not entry.children:
        return epub.Link(entry.href, entry.title, uid)
    return (epub.Section(entry.title, entry.href), [ncx_entry(child) for child in entry.children])
