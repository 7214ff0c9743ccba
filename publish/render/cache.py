"""Keys for the build caches, and the render cache: each chapter as rendered.

A chapter's key is a hash of what it is made of: its post and comments as read (every
field), the files the post points to, the book's metadata and options, every chapter's
name and place in the book (links between posts use them), and the environment: the
versions, the templates, the styles and publish's own code. No Markdown needs rendering
to find it.

The render cache keeps, under that key, what rendering the chapter gave: the writer's
finished document for it, the chapter's outline (its title and the like, for contents
pages), the warnings and counts it reported, the images it uses and the fragments its
links point at. A build that finds the key replays the warnings and uses the rest as it
is. An entry is one file: its JSON on the first line, the document's bytes after it.
Entries the last build did not use are removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostic, Diagnostics
from publish.fingerprint import environment_key, file_digest
from publish.model import Book
from publish.render.chapters import RenderedChapter
from publish.render.templates import default_styles_dir

FORMAT = 3  # of the render cache's entries; bump when what is stored changes
_REFERENCE = re.compile(r"""\]\(\s*<?([^)\s>]+)|(?:src|href)\s*=\s*["']([^"']+)["']""")


class SourceKeys:
    """The keys of chapters (alone or a few together) of one plan, in one environment."""

    def __init__(self, environment: str) -> None:
        self.environment = environment
        self._plan: Plan | None = None
        self._plan_key = ""

    def _book_key(self, plan: Plan) -> str:
        if self._plan is not plan:
            sha = hashlib.sha256(self.environment.encode())
            fields = {f.name: getattr(plan.book, f.name) for f in dataclasses.fields(plan.book)}
            fields.pop("posts")
            sha.update(repr(sorted(fields.items())).encode())
            for chapter in plan.chapters:
                post = chapter.post
                sha.update(
                    f"{chapter.id}|{chapter.file_name}|{post.slug}|{post.url}|{post.source}".encode()
                )
            self._plan, self._plan_key = plan, sha.hexdigest()
        return self._plan_key

    def key(self, plan: Plan, chapters: list[Chapter]) -> str:
        sha = hashlib.sha256(self._book_key(plan).encode())
        for chapter in chapters:
            sha.update(repr(chapter).encode())
            post = chapter.post
            base = post.base_dir or (plan.book.root or Path())
            texts = [post.body.text] + [c.body.text for c in post.all_comments()]
            linking = [t for t in texts if "](" in t or "src" in t or "href" in t]  # cheap
            found = {t for text in linking for pair in _REFERENCE.findall(text) for t in pair if t}
            for target in sorted(found):
                if "://" not in target and not target.startswith(("#", "mailto:")):
                    file_digest(sha, base / unquote(target.split("#", 1)[0].split("?", 1)[0]))
        return sha.hexdigest()


@dataclass(frozen=True)
class ChapterRecord:
    """What rendering one chapter gave, apart from the chapter itself."""

    data: dict[str, Any]  # the RenderedChapter's outline fields (see chapter_data), as JSON
    warnings: tuple[Diagnostic, ...] = ()
    counters: dict[str, int] = dataclasses.field(default_factory=dict)
    images: dict[str, str] = dataclasses.field(default_factory=dict)  # source file -> name
    ids: tuple[str, ...] = ()  # what links can point at in it (render.links.fragment_ids)
    links: tuple[str, ...] = ()  # the fragments its links point at (linked_fragments)
    page: bytes = b""  # the chapter's finished document, as the writer made it
    page_facts: Any = None  # what the writer noted making it (JSON)

    def replay(self, diagnostics: Diagnostics, images: dict[Path, str] | None) -> None:
        """Report the chapter's warnings and counts again; register its images."""
        diagnostics.tell(self.warnings, self.counters)
        if images is not None:
            images.update((Path(source), name) for source, name in self.images.items())

    def outline(self, chapter: Chapter) -> RenderedChapter:
        """The rendered chapter without its text (no body, no comments): its title and
        the like, for contents pages."""
        return RenderedChapter(
            chapter=chapter, body=Markup(), end_notes=Markup(), comments=(), **self.data
        )

    def to_bytes(self) -> bytes:
        """The record as stored: a line of JSON, then the document."""
        value = {
            "data": self.data,
            "warnings": [w.to_json() for w in self.warnings],
            "counters": self.counters,
            "images": self.images,
            "ids": list(self.ids),
            "links": list(self.links),
            "page_facts": self.page_facts,
        }
        return json.dumps(value, sort_keys=True).encode() + b"\n" + self.page

    @classmethod
    def from_bytes(cls, stored: bytes) -> ChapterRecord:
        end = stored.index(b"\n")  # JSON escapes the newlines in its strings
        value = json.loads(stored[:end])
        warnings = tuple(Diagnostic.from_json(w) for w in value["warnings"])
        return cls(
            value["data"],
            warnings,
            dict(value["counters"]),
            dict(value["images"]),
            tuple(value["ids"]),
            tuple(value["links"]),
            stored[end + 1 :],
            value["page_facts"],
        )


_TEXT = ("chapter", "body", "end_notes", "comments")  # not in a record: its page has them


def chapter_data(rendered: RenderedChapter) -> dict[str, Any]:
    """A rendered chapter's outline: its fields but its chapter and its text, as plain
    values (JSON, pickle)."""
    return {
        f.name: getattr(rendered, f.name)
        for f in dataclasses.fields(rendered)
        if f.name not in _TEXT
    }


class RenderCache:
    """Rendered chapters under ``root``, one JSON file each."""

    def __init__(self, root: Path, environment: str) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.keys = SourceKeys(f"render:{FORMAT}:{environment}")
        self.used: set[str] = set()

    def key(self, plan: Plan, chapter: Chapter) -> str:
        return self.keys.key(plan, [chapter])

    def has(self, key: str) -> bool:
        return (self.root / f"{key}.record").is_file()

    def get(self, key: str) -> ChapterRecord | None:
        try:
            record = ChapterRecord.from_bytes((self.root / f"{key}.record").read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used.add(key)
        return record

    def put(self, key: str, record: ChapterRecord) -> None:
        path = self.root / f"{key}.record"
        temp = path.with_suffix(f".{os.getpid()}.part")
        temp.write_bytes(record.to_bytes())
        temp.replace(path)
        self.used.add(key)

    def blob(self, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
        """A file the writer made once (a generated cover): kept under ``key`` (made from
        what it shows), made when it is not there. Ask before :meth:`prune`."""
        name = hashlib.sha256(f"{self.keys.environment}:{key}".encode()).hexdigest()
        path = self.root / f"{name}{suffix}"
        self.used.add(name)
        try:
            return path.read_bytes()
        except OSError:
            data = make()
            temp = path.with_suffix(f".{os.getpid()}.part")
            with contextlib.suppress(OSError):
                temp.write_bytes(data)
                temp.replace(path)
            return data

    def prune(self) -> None:
        """Remove the entries this build did not use."""
        for path in self.root.iterdir():  # entries, blobs and left-over .part files
            if path.name.split(".")[0] not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()


def render_cache(book: Book, folder: str | Path, kind: str, extra: str = "") -> RenderCache:
    """The render cache of ``book`` for one kind of output, in ``folder`` (books and kinds
    sharing a folder keep apart). Its key covers the styles and templates, the book's own
    and publish's, publish's code and ``extra`` (what else the writer's pages show)."""
    mine = [book.root / "styles", book.root / "templates"] if book.root is not None else []
    code = Path(__file__).resolve().parent.parent  # the package: renderer, templates
    environment = environment_key([default_styles_dir(), code, *mine], f"{kind}:{extra}")
    name = hashlib.sha256(f"{book.root}:{book.title}".encode()).hexdigest()[:16]
    return RenderCache(Path(folder) / kind / name, environment)
