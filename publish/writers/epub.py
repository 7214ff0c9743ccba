"""The EPUB 3 writer: ebooklib packages what our templates render.

Every XHTML document (cover, title page, contents, chapters, colophon) comes from a Jinja2
template; ebooklib writes the package document, the navigation document and the NCX.
The zip is then written again (:mod:`publish.writers.zipout`) with fixed timestamps, so
the same content and ``SOURCE_DATE_EPOCH`` give the same bytes, and with the chapters'
documents as the render workers deflated them (or the render cache kept them).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ebooklib import epub

from publish.assembly import Chapter, assemble, slugify
from publish.cover import cover_image
from publish.errors import Diagnostics, default_diagnostics
from publish.model import Book
from publish.pagination import PageBreak, insert_page_breaks
from publish.render.book import book_view, build_moment, labels_for
from publish.render.cache import RenderCache, render_cache
from publish.render.chapters import ChapterRenderer, RenderedChapter
from publish.render.pool import Done, render_pages
from publish.render.templates import environment, mentions, stylesheets
from publish.writers.accessibility import (
    A11yFacts,
    accessibility_metadata,
    image_is_animated,
    parse,
    semanticate,
    serialize,
)
from publish.writers.epub_package import (
    TocEntry,
    media_type,
    ncx_entry,
    reproducible_zip,
    set_metadata,
    toc_tree,
    xhtml_item,
)
from publish.writers.output import atomic_output
from publish.writers.zipout import pack, unpack

EPUB_STYLES = ("book.css", "epub.css")
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/svg+xml", "image/webp"}


@dataclass
class EpubTarget:
    """Links and images as they are inside the EPUB: one file a chapter, images/ beside text/."""

    images: dict[Path, str] = field(default_factory=dict)  # source file -> name in the book

    def chapter_href(self, chapter: Chapter, fragment: str | None) -> str:
        return f"{chapter.file_name}#{fragment}" if fragment else chapter.file_name

    def image_href(self, source: Path) -> str:
        if source not in self.images:
            self.images[source] = image_name(source)
        return f"../images/{self.images[source]}"


def image_name(source: Path) -> str:
    """An image's name in the book, from what it holds: the same in every build, whichever
    chapter (or worker process) meets it first, and one file for identical images."""
    stat = source.stat()
    digest = _digest(source, stat.st_mtime_ns, stat.st_size)
    return f"{digest}-{slugify(source.stem, 40)}{source.suffix.lower()}"


@functools.lru_cache(maxsize=256)
def _digest(source: Path, mtime_ns: int, size: int) -> str:
    """An image's content hash, read once however many chapters show it."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:10]


@dataclass(frozen=True)
class EpubResult:
    path: Path
    chapters: int
    bytes: int


@dataclass(frozen=True)
class _RenderOptions:
    workers: int | None = None
    cache: str | Path | None = None  # the cache folder
    progress: bool | None = None


class _EpubBuilder:
    def __init__(
        self,
        book: Book,
        diagnostics: Diagnostics,
        page_breaks: list[PageBreak] | None = None,
        options: _RenderOptions | None = None,
    ) -> None:
        self.book = book
        self.options = options or _RenderOptions()
        self.breaks: dict[str, list[PageBreak]] = {}
        for item in page_breaks or []:
            self.breaks.setdefault(item.chapter_id, []).append(item)
        self.page_list: list[tuple[str, str]] = []  # (href, label) in reading order
        self.packed: dict[str, bytes] = {}  # chapters' documents, deflated: name in the zip
        self.plan = assemble(book)
        self.target = EpubTarget()
        self.diagnostics = diagnostics
        self.env = environment(book)
        self.built = build_moment()
        self.view = book_view(book, self.built)
        self.labels = labels_for(book.language)
        self.css = [(p, f"styles/{p.name}") for p in stylesheets(book, EPUB_STYLES)]
        self.facts = A11yFacts()
        self.is_animated = image_is_animated({})
        self.cache: RenderCache | None = None
        if self.options.cache is not None:
            self.cache = render_cache(book, self.options.cache, "epub", self._page_key())

    def _cover_image(self) -> tuple[str, bytes, str]:
        """The cover's name in the book, its bytes and type: the book's own, or one drawn
        from its title, subtitle and author (kept in the cache: drawing it takes 0.1 s)."""
        cover = self.book.cover
        if cover is not None:
            return f"images/cover{cover.suffix.lower()}", cover.read_bytes(), media_type(cover)
        book = self.book
        if self.cache is None:
            return "images/cover.png", cover_image(book), "image/png"
        shown = repr(("cover", book.title, book.subtitle, book.author))
        return (
            "images/cover.png",
            self.cache.blob(shown, ".png", lambda: cover_image(book)),
            "image/png",
        )

    def _page_key(self) -> str:
        """What a chapter's document shows besides the chapter: the book's title and the
        like, the labels, the stylesheets' names; the day of the build (not its time) only
        when the chapter's templates name it, so the next day's rebuild keeps the rest."""
        view = dataclasses.replace(self.view, built=datetime(2000, 1, 1))
        if not mentions(self.env, "epub/chapter.xhtml.j2", "built"):
            view = dataclasses.replace(view, built_text="")
        return repr((view, sorted(self.labels.items()), [name for _, name in self.css]))

    def chapter_page(self, ch: RenderedChapter, images: dict[str, Path]) -> tuple[bytes, Any]:
        """A chapter's document, deflated for the zip (in a worker, perhaps), and the
        accessibility facts it adds, kept apart (see ``_add_facts``)."""
        facts = A11yFacts()
        is_animated = image_is_animated(images)
        text = self.page("epub/chapter.xhtml.j2", ch.title, ch=ch, facts=(facts, is_animated))
        return pack(text.encode()), [facts.images, facts.without_alt, facts.animated]

    def _add_facts(self, facts: Any) -> None:
        images, without_alt, animated = facts
        self.facts.images += images
        self.facts.without_alt.extend(without_alt)
        self.facts.animated += animated

    def page(
        self,
        template: str,
        page_title: str,
        facts: tuple[A11yFacts, Callable[[str], bool]] | None = None,
        **context: Any,
    ) -> str:
        """A document from ``template``; what it holds is counted in the book's facts, or
        in ``facts`` (the facts and the test for animated images to use instead)."""
        noted, is_animated = facts or (self.facts, self.is_animated)
        rendered = self.env.get_template(template).render(
            book=self.view,
            labels=self.labels,
            epub=True,
            page_title=page_title,
            stylesheets=context.pop("stylesheets", [f"../{name}" for _, name in self.css]),
            body_type=context.pop("body_type", None),
            **context,
        )
        return semanticate(rendered, noted, is_animated, self.labels["notes"])

    def _add_page(
        self, out: epub.EpubBook, spine: list[Any], uid: str, name: str, content: str | bytes
    ) -> epub.EpubItem:
        item = xhtml_item(uid, name, content)
        out.add_item(item)
        spine.append(item)
        return item

    def build(self, out: epub.EpubBook) -> list[RenderedChapter]:
        set_metadata(out, self.view, self.book)

        def draw_cover() -> None:  # while the workers render, before the cache is pruned
            self.cover = self._cover_image()

        done = render_pages(
            ChapterRenderer(self.plan, self.target, self.diagnostics),
            self.plan.chapters,
            page=self.chapter_page,
            workers=self.options.workers,
            cache=self.cache,
            progress=self.options.progress,
            meanwhile=draw_cover,
        )
        chapters = [d.chapter for d in done]
        self.is_animated = image_is_animated({n: p for p, n in self.target.images.items()})
        for path, name in self.css:
            out.add_item(
                epub.EpubItem(
                    uid=f"css-{slugify(path.stem)}",
                    file_name=name,
                    media_type="text/css",
                    content=path.read_bytes(),
                )
            )
        spine: list[Any] = []
        self._cover(out, spine)
        self._add_page(
            out, spine, "titlepage", "titlepage.xhtml",
            self.page("epub/titlepage.xhtml.j2", self.view.title),
        )  # fmt: skip
        renderer = ChapterRenderer(self.plan, self.target, self.diagnostics)
        for ch in (renderer.render(chapter) for chapter in self.plan.opening):
            self._add_page(
                out, spine, f"ch{ch.number:04d}", ch.chapter.file_name,
                self.page("epub/chapter.xhtml.j2", ch.title, ch=ch),
            )  # fmt: skip
        contents: dict[str, Any] = {
            "chapters": chapters,
            "href": lambda ch: ch.chapter.file_name,
            "part_href": lambda part: f"{part.id}.xhtml",  # its title page, as in the nav
        }
        self._add_page(
            out, spine, "contents", "contents.xhtml",
            self.page("epub/contents.xhtml.j2", self.labels["contents"], **contents),
        )  # fmt: skip
        for n, ch in enumerate(chapters):
            part = ch.chapter.part
            if part is not None:  # a part's title page, before its first chapter
                self._add_page(
                    out, spine, part.id, f"{part.id}.xhtml",
                    self.page("epub/part.xhtml.j2", part.title, part=part),
                )  # fmt: skip
            self._add_facts(done[n].facts)
            self._add_chapter(out, spine, ch, done[n].page)
            done[n] = Done(ch)  # ebooklib holds its document now (memory: one copy)
        self._add_page(
            out, spine, "colophon", "colophon.xhtml",
            self.page("epub/colophon.xhtml.j2", self.labels["colophon"]),
        )  # fmt: skip
        written: set[str] = set()
        for source, name in sorted(self.target.images.items(), key=lambda i: (i[1], i[0])):
            if name in written:
                continue  # the same picture, from another file
            written.add(name)
            out.add_item(
                epub.EpubItem(
                    uid=f"img-{name.split('-')[0]}",
                    file_name=f"images/{name}",
                    media_type=media_type(source),
                    content=source.read_bytes(),
                )
            )
        out.toc = [ncx_entry(entry) for entry in toc_tree(chapters)]
        out.add_item(epub.EpubNcx())
        out.add_item(self._nav(chapters))  # in the manifest; our contents page is in the spine
        if self.page_list:  # the print edition the page numbers come from
            print_edition = self.view.identifier
            out.add_metadata("DC", "source", print_edition, {"id": "print-source"})
            refines = {"refines": "#print-source", "property": "source-of"}
            out.add_metadata(None, "meta", "pagination", refines)
        certifier = self.book.publisher or self.book.author
        for prop, value in accessibility_metadata(self.facts, certifier):
            out.add_metadata(None, "meta", value, {"property": prop})
        out.spine = spine
        return chapters

    def _add_chapter(
        self, out: epub.EpubBook, spine: list[Any], ch: RenderedChapter, packed: bytes
    ) -> None:
        """A chapter's document, as made (:meth:`chapter_page`; its bytes go into the zip
        as they are, ebooklib lists it), or with the print edition's page breaks."""
        breaks = self.breaks.get(ch.id)
        content: str | bytes = b""
        if breaks:
            content = self._with_page_breaks(unpack(packed), ch, breaks)
        else:
            self.packed[f"EPUB/text/{ch.chapter.file_name}"] = packed
        self._add_page(out, spine, f"ch{ch.number:04d}", ch.chapter.file_name, content)

    def _with_page_breaks(self, page: bytes, ch: RenderedChapter, breaks: list[PageBreak]) -> str:
        """The print edition's page breaks in a chapter, as ``pagebreak`` markers."""
        root = parse(page)
        for page_id, label in insert_page_breaks(root, ch.id, breaks):
            self.page_list.append((f"text/{ch.chapter.file_name}#{page_id}", label))
        self.facts.page_list = bool(self.page_list)
        return serialize(root)

    def _nav(self, chapters: list[RenderedChapter]) -> epub.EpubItem:
        """The navigation document: contents, landmarks (and, later, the print pages)."""
        toc = toc_tree(chapters)
        toc.append(TocEntry("text/colophon.xhtml", self.labels["colophon"]))
        landmarks = [("cover", "text/cover.xhtml", self.labels["cover"])]
        landmarks.append(("titlepage", "text/titlepage.xhtml", self.labels["title_page"]))
        landmarks.append(("toc", "text/contents.xhtml", self.labels["contents"]))
        body = next((ch for ch in chapters if ch.chapter.is_post), None)
        if body is not None:
            landmarks.append(("bodymatter", f"text/{body.chapter.file_name}", body.title))
        content = self.page(
            "epub/nav.xhtml.j2",
            self.labels["contents"],
            toc=toc,
            landmarks=landmarks,
            pages=self.page_list,
            stylesheets=[name for _, name in self.css],
        )
        item = epub.EpubItem(
            uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml",
            content=content.encode(),
        )  # fmt: skip
        item.properties = ["nav"]
        return item

    def _cover(self, out: epub.EpubBook, spine: list[Any]) -> None:
        """The book's cover, or one drawn from its title, subtitle and author."""
        name, data, media_type = self.cover
        image = epub.EpubCover(uid="cover-image", file_name=name)
        image.media_type = media_type
        image.content = data
        out.add_item(image)
        out.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
        alt = self.labels["cover_alt"].format(title=self.view.title, author=self.view.author)
        self._add_page(
            out, spine, "cover", "cover.xhtml",
            self.page(
                "epub/cover.xhtml.j2", self.labels["cover"], cover_href=f"../{name}",
                cover_alt=alt, body_type="cover",
            ),
        )  # fmt: skip


def write_epub(
    book: Book,
    path: str | Path,
    diagnostics: Diagnostics | None = None,
    *,
    page_breaks: list[PageBreak] | None = None,
    workers: int | None = None,
    cache: str | Path | None = None,
    progress: bool | None = None,
) -> EpubResult:
    """Write ``book`` as an EPUB 3 file at ``path`` (atomically).

    ``page_breaks`` (from the PDF's layout: :func:`publish.pagination.page_breaks`, or
    :func:`publish.pagination.paginate`) add the print edition's pages: ``pagebreak``
    markers in the chapters and a ``page-list`` in the navigation document.

    Chapters are rendered in ``workers`` processes (default: one per core; a small book
    in this one). With ``cache`` (a folder, such as ``build/cache``) each rendered
    chapter is kept, and the next build renders only the chapters whose posts, comments
    or files changed; the book is the same either way. ``progress`` shows a progress bar
    (default: when standard error is a terminal).
    """
    diagnostics = default_diagnostics(diagnostics)
    options = _RenderOptions(workers, cache, progress)
    builder = _EpubBuilder(book, diagnostics, page_breaks, options)
    out = epub.EpubBook()
    chapters = builder.build(out)
    with tempfile.TemporaryFile() as packed, atomic_output(path) as temp:
        epub.write_epub(
            packed,
            out,
            {
                "mtime": builder.built,
                "epub3_pages": False,
                "play_order": {"enabled": True},
                "compresslevel": 0,  # a file, not memory; rewritten and compressed once below
            },
        )
        del out
        packed.seek(0)
        reproducible_zip(packed, temp, builder.built, book.language, builder.packed)
    final = Path(path)
    return EpubResult(path=final, chapters=len(chapters), bytes=final.stat().st_size)
