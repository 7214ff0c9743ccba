"""The book as plain, typed, immutable data: Book, Post, Comment.

Sources (content files, blog exports) produce these; assembly orders them; render and the
writers only read them. Nothing here touches the file system.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

BodyFormat = Literal["markdown", "html"]
Order = Literal["chronological", "reverse"]
Paper = Literal["white", "cream"]
LinkStyle = Literal["footnotes", "endnotes", "none"]
Parts = Literal["none", "year"]


@dataclass(frozen=True)
class Body:
    """Text as written: Markdown (inline HTML allowed) or HTML from an export."""

    text: str
    format: BodyFormat = "markdown"

    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: datetime
    body: Body
    url: str | None = None
    reply_to: str | None = None
    replies: tuple[Comment, ...] = ()
    source: Path | None = None

    def walk(self) -> Iterator[Comment]:
        """This comment and every reply under it, depth first."""
        yield self
        for reply in self.replies:
            yield from reply.walk()


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    date: datetime
    body: Body
    author: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    draft: bool = False
    comments: tuple[Comment, ...] = ()  # top level; replies nest inside
    source: Path | None = None  # the Markdown file (index.md or a single-file post)
    base_dir: Path | None = None  # where relative image paths are resolved

    def all_comments(self) -> Iterator[Comment]:
        for comment in self.comments:
            yield from comment.walk()

    @property
    def comment_count(self) -> int:
        return sum(1 for _ in self.all_comments())


@dataclass(frozen=True)
class Margins:
    top: str = "0.75in"
    bottom: str = "0.8in"
    inside: str | None = None  # None: the gutter KDP asks for the page count (printspec)
    outside: str = "0.8in"  # with the gutter inside, a measure of about 65 characters


@dataclass(frozen=True)
class PdfOptions:
    trim: str = "6in 9in"  # CSS page size: "6in 9in", "A5", "148mm 210mm"
    margins: Margins = field(default_factory=Margins)
    font_size: str = "10.5pt"
    bleed: bool = False  # 0.125 in beyond the trim on every side (printspec.BLEED_IN)
    crop_marks: bool = False
    variant: str | None = None  # WeasyPrint's pdf_variant: "pdf/a-2b", "pdf/x-4", "pdf/ua-1"
    links: LinkStyle = "footnotes"  # what print does with the addresses of external links
    paper: Paper = "white"  # for the spine's width on the wrap-around cover


# Kinds of front and back matter: kind -> (epub:type, DPUB-ARIA role). A dedication and an
# epigraph come before the contents; "front" and "back" are the generic kinds.
MATTER_KINDS: dict[str, tuple[str, str | None]] = {
    "dedication": ("dedication", "doc-dedication"),
    "epigraph": ("epigraph", "doc-epigraph"),
    "foreword": ("foreword", "doc-foreword"),
    "preface": ("preface", "doc-preface"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
    "introduction": ("introduction", "doc-introduction"),
    "prologue": ("prologue", "doc-prologue"),
    "afterword": ("afterword", "doc-afterword"),
    "epilogue": ("epilogue", "doc-epilogue"),
    "conclusion": ("conclusion", "doc-conclusion"),
    "appendix": ("appendix", "doc-appendix"),
    "front": ("frontmatter", None),
    "back": ("backmatter", None),
}


@dataclass(frozen=True)
class Matter:
    """Front or back matter: a dedication, a foreword, an afterword (content/front, back)."""

    slug: str
    title: str
    kind: str  # "dedication", "foreword", "afterword", ... (see publish.sources.matter)
    body: Body
    source: Path | None = None


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    language: str
    posts: tuple[Post, ...] = ()
    subtitle: str | None = None
    publisher: str | None = None
    description: str | None = None
    date: date | None = None
    identifier: str | None = None  # ISBN or URN; derived at build time when absent
    cover: Path | None = None
    order: Order = "chronological"
    comments: bool = True
    pdf: PdfOptions = field(default_factory=PdfOptions)
    root: Path | None = None  # the content folder (the only place files may be read from)
    sample: bool = False  # the book's posts are sample content
    back_cover: str | None = None  # the wrap-around cover's back text (else `description`)
    parts: Parts = "none"  # "year": the posts grouped in parts, one a year
    front_matter: tuple[Matter, ...] = ()
    back_matter: tuple[Matter, ...] = ()


def sort_key(moment: datetime) -> datetime:
    """Order naive and aware datetimes together (aware ones by their UTC time)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
