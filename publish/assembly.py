"""Assembly: which posts go in, in what order, under which chapter names.

The result, a :class:`Plan`, is what both writers lay out: front matter (title page,
contents), one chapter per post, back matter (colophon). The book's own front and back
matter (``content/front``, ``content/back``) become chapters of their kind around the posts,
except a dedication and an epigraph, which come before the contents (``Plan.opening``).
With ``parts = "year"`` the first post of each year opens a :class:`Part`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from publish.model import Book, Matter, Post, sort_key

MATTER_DATE = datetime(1970, 1, 1)  # front and back matter have no date; never shown
BEFORE_CONTENTS = ("dedication", "epigraph")


@dataclass(frozen=True)
class Part:
    id: str  # an XML id: "part-2016"
    title: str  # "2016"
    number: int  # 1-based


@dataclass(frozen=True)
class Chapter:
    number: int  # 1-based, in reading order (front and back matter counted)
    id: str  # an XML id, unique in the book: "ch-007-the-end-of-the-caliphate"
    file_name: str  # the chapter's document inside the EPUB: "chapter-007.xhtml"
    post: Post
    kind: str = "post"  # or front or back matter's kind: "foreword", "afterword", ...
    part: Part | None = None  # the part this chapter opens, when it is the part's first

    @property
    def title(self) -> str:
        return self.post.title

    @property
    def is_post(self) -> bool:
        return self.kind == "post"


@dataclass(frozen=True)
class Plan:
    book: Book
    chapters: tuple[Chapter, ...]  # front matter listed in the contents, posts, back matter
    opening: tuple[Chapter, ...] = ()  # dedication, epigraph: before the contents, unlisted

    @property
    def posts(self) -> tuple[Chapter, ...]:
        return tuple(chapter for chapter in self.chapters if chapter.is_post)

    def kind_name(self, chapter: Chapter) -> str:
        """What messages call ``chapter``: "post", its kind of matter ("foreword",
        "dedication", ...), or for a page of no particular kind (``back/sources.md``)
        "front matter page" or "back matter page", as its folder is."""
        if chapter.kind not in ("front", "back"):
            return chapter.kind
        front = any(matter.slug == chapter.post.slug for matter in self.book.front_matter)
        return "front matter page" if front else "back matter page"

    def chapter_for_link(self, href: str, base_dir: Path | None) -> Chapter | None:
        """The chapter a link in a post points at, if it points at another post of the book.

        Matches the post's original ``url`` (with or without scheme and trailing slash), or a
        relative path to the post's file or bundle folder.
        """
        key = _url_key(href)
        if key and key in self._by_url:
            return self._by_url[key]
        if base_dir is None or "://" in href or href.startswith(("#", "mailto:")):
            return None
        path = href.split("#", 1)[0].split("?", 1)[0]
        if not path:
            return None
        return self._by_source.get((base_dir / path).resolve())

    @cached_property
    def _by_url(self) -> dict[str, Chapter]:
        """Each post's address (as :func:`_url_key` has it) -> its chapter; the first wins."""
        index: dict[str, Chapter] = {}
        for chapter in self.chapters:
            if chapter.post.url and (key := _url_key(chapter.post.url)):
                index.setdefault(key, chapter)
        return index

    @cached_property
    def _by_source(self) -> dict[Path, Chapter]:
        """Each post's file, and a bundle's folder, -> its chapter; the first wins."""
        index: dict[Path, Chapter] = {}
        for chapter in self.chapters:
            src = chapter.post.source
            if src is None:
                continue
            index.setdefault(src.resolve(), chapter)
            if src.name == "index.md":
                index.setdefault(src.parent.resolve(), chapter)
        return index


_SCHEME = re.compile(r"^[a-z]+://", re.I)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


def _url_key(url: str) -> str:
    url = url.split("#", 1)[0].strip()
    url = _SCHEME.sub("", url).removeprefix("www.")
    return url.rstrip("/").lower()


def slugify(text: str, limit: int = 48) -> str:
    """ASCII, lower case, hyphens: usable in XML ids and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "post"


def assemble(book: Book) -> Plan:
    """Leave out drafts, order the posts, and name one chapter per post."""
    posts = sorted(
        (p for p in book.posts if not p.draft),
        key=lambda p: (sort_key(p.date), p.slug),
        reverse=book.order == "reverse",
    )
    if not book.comments:
        posts = [dataclasses.replace(p, comments=()) for p in posts]
    opening = [m for m in book.front_matter if m.kind in BEFORE_CONTENTS]
    front = [m for m in book.front_matter if m.kind not in BEFORE_CONTENTS]
    numbers = iter(range(1, len(book.front_matter) + len(posts) + len(book.back_matter) + 1))
    first_pages = [_matter_chapter(next(numbers), m) for m in opening]
    listed = [_matter_chapter(next(numbers), m) for m in front]
    years: dict[int, Part] = {}
    for n, post in enumerate(posts, start=1):
        part = None
        if book.parts == "year" and post.date.year not in years:
            year = post.date.year
            part = years[year] = Part(f"part-{year}", str(year), len(years) + 1)
        listed.append(
            Chapter(
                number=next(numbers),
                id=f"ch-{n:03d}-{slugify(_DATE_PREFIX.sub('', post.slug))}",
                file_name=f"chapter-{n:03d}.xhtml",
                post=post,
                part=part,
            )
        )
    listed += [_matter_chapter(next(numbers), m) for m in book.back_matter]
    return Plan(book=book, chapters=tuple(listed), opening=tuple(first_pages))


def _matter_chapter(number: int, matter: Matter) -> Chapter:
    """A page of front or back matter, shown as a chapter of its kind."""
    source = matter.source
    post = Post(
        slug=matter.slug,
        title=matter.title,
        date=MATTER_DATE,
        body=matter.body,
        source=source,
        base_dir=source.parent if source is not None else None,
    )
    return Chapter(number, matter.slug, f"{matter.slug}.xhtml", post, kind=matter.kind)
