"""Assembly: which posts go in, in what order, under which chapter names.

The result, a :class:`Plan`, is what both writers lay out: front matter (title page,
contents), one chapter per post, back matter (colophon).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from publish.model import Book, Post, sort_key


@dataclass(frozen=True)
class Chapter:
    number: int  # 1-based, in reading order
    id: str  # an XML id, unique in the book: "ch-007-the-end-of-the-caliphate"
    file_name: str  # the chapter's document inside the EPUB: "chapter-007.xhtml"
    post: Post

    @property
    def title(self) -> str:
        return self.post.title


@dataclass(frozen=True)
class Plan:
    book: Book
    chapters: tuple[Chapter, ...]

    def chapter_for_link(self, href: str, base_dir: Path | None) -> Chapter | None:
        """The chapter a link in a post points at, if it points at another post of the book.

        Matches the post's original ``url`` (with or without scheme and trailing slash), or a
        relative path to the post's file or bundle folder.
        """
        key = _url_key(href)
        for chapter in self.chapters:
            post = chapter.post
            if post.url and key and _url_key(post.url) == key:
                return chapter
        if base_dir is None or "://" in href or href.startswith(("#", "mailto:")):
            return None
        path = href.split("#", 1)[0].split("?", 1)[0]
        if not path:
            return None
        target = (base_dir / path).resolve()
        for chapter in self.chapters:
            src = chapter.post.source
            if src is None:
                continue
            if target == src.resolve() or (
                src.name == "index.md" and target == src.parent.resolve()
            ):
                return chapter
        return None


_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


def _url_key(url: str) -> str:
    url = url.split("#", 1)[0].strip()
    url = re.sub(r"^[a-z]+://", "", url, flags=re.I).removeprefix("www.")
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
    chapters = tuple(
        Chapter(
            number=n,
            id=f"ch-{n:03d}-{slugify(_DATE_PREFIX.sub('', post.slug))}",
            file_name=f"chapter-{n:03d}.xhtml",
            post=post,
        )
        for n, post in enumerate(posts, start=1)
    )
    return Plan(book=book, chapters=chapters)
