"""Render one chapter's HTML to a PDF file: what each worker process does.

A chapter's folios depend on where it starts, which depends on the length of every chapter
before it, which is only known once those are laid out. So a worker lays its chapter out
with WeasyPrint, reports its page count, and waits for its first page number before the
margin boxes (folios, running heads) are made; that is the one moment WeasyPrint reads the
page counter for them. Chapters are handed out in order, so the wait is at most for the
chapter before, which another worker is finishing.

At that moment the pages are laid out, so the worker also tells where each of its
chapters starts (:meth:`Numbering.chapter_start`), before drawing them: a chapter that
links to one of them ("see page N") need not wait for the drawing too.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint
import weasyprint.layout
from weasyprint.text.fonts import get_hb_object_data

from publish.errors import PublishError
from publish.writers import weasy_fixes, weasy_styles, weasy_write
from publish.writers.fetch import LocalOnlyFetcher

WAIT_SECONDS = 600.0  # for the chapter before to be laid out; more means something broke


class ChapterFailed(Exception):
    """A chapter waited for one before it that failed (picklable, unlike PublishError)."""


class Numbering:
    """First page of every chapter, shared by the processes of one build.

    ``counts[i]`` is document i's number of pages once laid out; ``starts[i]`` its first
    page. Every chapter starts on a right-hand (odd) page, so a document of odd length is
    followed by a blank page. ``chapters[c]`` is the first page of the book's chapter c
    (its place in the plan), once its document is laid out and numbered. ``waiting`` is
    how many workers wait for a first page now (a core idle, unless the builder works).
    """

    def __init__(self, total: int, first_page: int, ctx: Any = None) -> None:
        ctx = ctx or multiprocessing.get_context()
        self.total = total
        self.counts = ctx.Array("l", max(total, 1), lock=False)
        self.starts = ctx.Array("l", max(total, 1), lock=False)
        self.frontier = ctx.Value("l", 0, lock=False)
        self.failed = ctx.Value("b", 0, lock=False)
        self.chapters = ctx.Array("l", max(total, 1), lock=False)
        self.waiting = ctx.Value("l", 0, lock=False)
        self.cond: multiprocessing.synchronize.Condition = ctx.Condition()
        if total and first_page:
            self.starts[0] = first_page

    def _propagate(self) -> None:
        k = self.frontier.value
        while k + 1 < self.total and self.counts[k] > 0 and self.starts[k] > 0:
            count = self.counts[k]
            self.starts[k + 1] = self.starts[k] + count + count % 2
            k += 1
        self.frontier.value = k

    def known(self, index: int, pages: int) -> None:
        """Chapter ``index`` has ``pages`` pages (laid out, or known from the cache)."""
        with self.cond:
            self.counts[index] = pages
            self._propagate()
            self.cond.notify_all()

    def start(self, index: int, pages: int) -> int:
        """Report chapter ``index``'s length and wait for its first page number."""
        self.known(index, pages)
        with self.cond:
            self.waiting.value += 1
            try:
                ok = self.cond.wait_for(
                    lambda: self.starts[index] > 0 or self.failed.value, timeout=WAIT_SECONDS
                )
            finally:
                self.waiting.value -= 1
            if not ok or self.failed.value:
                raise ChapterFailed("another chapter of the book failed to render")
            return int(self.starts[index])

    def chapter_start(self, chapter: int) -> int:
        """The first page of the book's chapter ``chapter``, 0 while not known yet."""
        return int(self.chapters[chapter])

    def start_of(self, index: int) -> int:
        """Chapter ``index``'s first page, 0 while not known yet."""
        with self.cond:
            return int(self.starts[index])

    def fail(self) -> None:
        with self.cond:
            self.failed.value = 1
            self.cond.notify_all()


@dataclass
class _Current:
    """The chapter this process is laying out now."""

    index: int
    numbering: Numbering | None
    offset: int | None = None
    chapters: dict[str, int] = field(default_factory=dict)  # id -> place in the plan, not seen


_CURRENT: _Current | None = None
_ORIGINAL_MARGIN_BOXES: Callable[..., Any] | None = None


def _margin_boxes(context: Any, page: Any, state: Any) -> Any:
    """WeasyPrint's make_margin_boxes, with this chapter's page numbers."""
    assert _ORIGINAL_MARGIN_BOXES is not None
    current = _CURRENT
    if current is not None and current.numbering is not None:
        if current.offset is None:
            pages = int(state[1]["pages"][0])
            current.offset = current.numbering.start(current.index, pages) - 1
        if current.chapters:
            _tell_starts(current, page, int(state[1]["page"][0]) + current.offset)
        if current.offset:
            counters = dict(state[1])
            counters["page"] = [value + current.offset for value in counters["page"]]
            state = [state[0], counters, *state[2:]]
    return _ORIGINAL_MARGIN_BOXES(context, page, state)


def _tell_starts(current: _Current, page: Any, number: int) -> None:
    """Publish the first page of the chapters that begin on ``page`` (the book's page
    ``number``): chapters are blocks of the body, or of a block of it (a part's group).
    One not found so is told when its document is done."""
    assert current.numbering is not None
    boxes = list(getattr(page.children[0], "children", ()))
    for _ in range(3):  # html > body > section, or > div.part-group > section
        found: list[Any] = []
        for box in boxes:
            element = getattr(box, "element", None)
            name = element.get("id") if element is not None else None
            chapter = current.chapters.pop(name, None) if name else None
            if chapter is not None:
                current.numbering.chapters[chapter] = number
            found.extend(getattr(box, "children", ()))
        boxes = [box for box in found if getattr(box, "element_tag", "") in _BLOCKS]


_BLOCKS = frozenset({"body", "div", "section", "article", "main"})


def install_hook() -> None:
    """Let page numbers be set after layout, fix footnotes, and parse each stylesheet
    once a process (:mod:`publish.writers.weasy_styles`) (idempotent)."""
    global _ORIGINAL_MARGIN_BOXES
    weasy_fixes.install()
    weasy_styles.install()
    if _ORIGINAL_MARGIN_BOXES is None:
        original = getattr(weasyprint.layout, "make_margin_boxes", None)
        if original is None:  # pragma: no cover - a WeasyPrint we do not know
            raise PublishError("pdf-unsupported", "this WeasyPrint cannot number chapters apart")
        _ORIGINAL_MARGIN_BOXES = original
        weasyprint.layout.make_margin_boxes = _margin_boxes


@dataclass(frozen=True)
class RenderSettings:
    roots: tuple[Path, ...]  # where files may be read from
    base_url: str
    fonts_dir: Path  # the original of every font a chapter uses, by its SHA-256
    book: Path | None = None  # the content folder (resolved), which BOOK_URL stands for


@dataclass(frozen=True)
class ChapterTask:
    index: int  # -1 for the front matter
    html: str
    output: Path
    chapter_ids: tuple[str, ...] = ()  # of the chapters in the document, to find where they start
    part_ids: tuple[str, ...] = ()  # of the parts whose title page is in the document
    chapter_numbers: tuple[int, ...] = ()  # the chapters' places in the plan (Numbering)


@dataclass(frozen=True)
class FontUse:
    """A font as one document uses it: its original file, and the glyphs drawn."""

    sha: str  # of the original font file, saved in the fonts folder under this name
    index: int  # in a font collection
    widths: dict[int, float]  # glyph id -> advance, in thousandths of the em
    text: dict[int, str]  # glyph id -> the text it shows


@dataclass(frozen=True)
class ChapterPdf:
    index: int
    output: Path
    pages: int
    start: int  # the first page's number in the book
    chapter_starts: tuple[int, ...] = ()  # the page number each chapter starts on
    fonts: dict[str, FontUse] = field(default_factory=dict)  # by resource name
    warnings: tuple[str, ...] = ()
    part_starts: dict[str, int] = field(default_factory=dict)  # a part's id -> its title page


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0][:300])


_SETTINGS: RenderSettings | None = None
_NUMBERING: Numbering | None = None


def init_worker(settings: RenderSettings, numbering: Numbering | None) -> None:
    global _SETTINGS, _NUMBERING
    _SETTINGS, _NUMBERING = settings, numbering
    install_hook()


def _keep_fonts(document: Any, fonts_dir: Path) -> dict[str, FontUse]:
    """Save each font's original file once, for the book-wide subset made when joining.

    Called after ``write_pdf`` (fonts are collected while drawing); ``file_content`` is
    the chapter's subset by then, the HarfBuzz face still holds the original.
    """
    out = {}
    for font in document.fonts.values():
        data = bytes(get_hb_object_data(font.hb_face))
        sha = hashlib.sha256(data).hexdigest()
        path = fonts_dir / sha
        if not path.exists():
            temp = path.with_suffix(f".{multiprocessing.current_process().pid}.part")
            temp.write_bytes(data)
            temp.replace(path)
        widths = {int(k): float(v) for k, v in font.widths.items()}
        text = {int(k): str(v) for k, v in font.to_unicode.items()}
        out[str(font.hash)] = FontUse(sha, int(font.index), widths, text)
    return out


def first_page_after(front_pages: int) -> int:
    """The first right-hand (odd) page after the front matter."""
    return front_pages + 1 + front_pages % 2


def front_length(html: str, settings: RenderSettings) -> int:
    """Lay out (not draw) the front matter: its number of pages."""
    fetcher = LocalOnlyFetcher(list(settings.roots), settings.book)
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()  # the front matter's warnings come from its real layout
    logger.addHandler(handler)
    try:
        with weasy_styles.shared(settings) as font_config:
            html_document = weasyprint.HTML(
                string=html, base_url=settings.base_url, url_fetcher=fetcher
            )
            return len(html_document.render(font_config=font_config).pages)
    finally:
        logger.removeHandler(handler)


def start_build(html: str, settings: RenderSettings) -> None:
    """A new build: forget the stylesheets and fonts of any before, and parse this one's
    (``html`` is one of its documents) here, for every process forked from this one."""
    weasy_styles.new_build()
    install_hook()
    fetcher = LocalOnlyFetcher(list(settings.roots), settings.book)
    weasy_styles.warm(html, settings.base_url, fetcher, settings)


def render(
    task: ChapterTask, settings: RenderSettings | None = None, numbered: bool = True
) -> ChapterPdf:
    """Lay out and write one document; chapters get their page numbers from the Numbering."""
    global _CURRENT
    settings = settings or _SETTINGS
    assert settings is not None
    install_hook()
    numbering = _NUMBERING if numbered and task.index >= 0 else None
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
    logger.addHandler(handler)
    _CURRENT = _Current(task.index, numbering)
    if numbering is not None:
        _CURRENT.chapters = dict(zip(task.chapter_ids, task.chapter_numbers, strict=False))
    try:
        fetcher = LocalOnlyFetcher(list(settings.roots), settings.book)
        with weasy_styles.shared(settings) as font_config:
            document = weasyprint.HTML(
                string=task.html, base_url=settings.base_url, url_fetcher=fetcher
            ).render(font_config=font_config)
        with weasy_write.for_join():  # no font programs: the join makes the book's
            document.write_pdf(task.output)
        fonts = _keep_fonts(document, settings.fonts_dir)
        offset = _CURRENT.offset or 0
        first_page: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=offset + 1):
            for name in page.anchors:
                first_page.setdefault(name, number)
        starts = tuple(first_page[name] for name in task.chapter_ids)
        if numbering is not None:  # those the layout did not show, and all as found
            for number, start in zip(task.chapter_numbers, starts, strict=False):
                numbering.chapters[number] = start
        parts = {name: first_page[name] for name in task.part_ids if name in first_page}
    except BaseException:
        if numbering is not None:
            numbering.fail()
        raise
    finally:
        _CURRENT = None
        logger.removeHandler(handler)
    return ChapterPdf(
        index=task.index,
        output=task.output,
        pages=len(document.pages),
        start=offset + 1,
        chapter_starts=starts,
        part_starts=parts,
        fonts=fonts,
        warnings=tuple(handler.messages),
    )
