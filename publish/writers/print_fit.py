"""Laying the book out until its page count and its numbers agree with it.

Two things printed in the book depend on the layout of the whole book:

- the inside margin (gutter), which KDP's table sets by the page count
  (:func:`publish.printspec.gutter`);
- in a chaptered build, "see page N" after a link to another post (see
  :mod:`publish.writers.print_links`): N is the linked post's first page.

So the book is laid out, counted, and laid out again only when the gutter it needs or a
linked post's first page differs from what the layout used. A new gutter changes line
breaks, but KDP's bands are wide (150 pages and more), so the second pass almost always
agrees with the first; at most ``MAX_PASSES`` are made. When the gutter goes back and forth
across a band's edge (a wider gutter adds the page that a narrower one saves) the wider is
kept: a gutter wider than the table asks is allowed. The first pass uses the gutter for the
page count :func:`estimate_pages` guesses, so that most books need one pass.

In a chaptered build the passes share a build cache (:class:`PrintCache`), so a second
pass lays out again only the documents whose "see page" numbers changed, and the ones
after them when that moved their first page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import printspec
from publish.assembly import Chapter, Plan, assemble
from publish.errors import Diagnostics
from publish.model import Book, PdfOptions
from publish.writers.pdf_cache import PdfCache
from publish.writers.pdf_worker import ChapterPdf

MAX_PASSES = 3
CHARS_PER_SQUARE_INCH = 68  # of body text at 10.5pt in Linux Libertine, about
FRONT_PAGES = 6  # half-title, title page, colophon, contents (and their blank pages)


def estimate_pages(book: Book) -> int:
    """A guess at the book's page count from the length of its text, before any layout."""
    return _estimate(book)[0]


def estimate_starts(book: Book) -> dict[str, int]:
    """A guess at the page where each chapter starts (what "see page" prints at first)."""
    return _estimate(book)[1]


def _estimate(book: Book) -> tuple[int, dict[str, int]]:
    pdf = book.pdf
    width, height = printspec.trim_inches(pdf.trim)
    margins = pdf.margins
    inside = printspec.inches(margins.inside) if margins.inside else 0.5
    block = max(width - inside - printspec.inches(margins.outside), 1.0) * max(
        height - printspec.inches(margins.top) - printspec.inches(margins.bottom), 1.0
    )
    points = float(pdf.font_size.removesuffix("pt"))
    per_page = block * CHARS_PER_SQUARE_INCH * (10.5 / points) ** 2
    plan = assemble(book)
    pages = FRONT_PAGES + math.ceil(len(plan.chapters) / 30) + 2 * len(plan.opening)
    starts = {}
    for chapter in plan.chapters:
        post = chapter.post
        text = len(post.body.text) + sum(0.8 * len(c.body.text) + 120 for c in post.all_comments())
        own = text / per_page + 0.3  # the opening page's sink
        pages += 2 if chapter.part is not None else 0
        starts[chapter.id] = pages + 1
        pages += 2 * math.ceil(own / 2)
    return pages, starts


def fitted(book: Book, gutter: str) -> Book:
    """``book`` with its inside margin set."""
    margins = dataclasses.replace(book.pdf.margins, inside=gutter)
    return dataclasses.replace(book, pdf=dataclasses.replace(book.pdf, margins=margins))


def resolved_options(book: Book) -> PdfOptions:
    """The PDF options with a gutter, the estimate's when the book leaves it to the table."""
    if book.pdf.margins.inside is not None:
        return book.pdf
    return fitted(book, printspec.gutter(estimate_pages(book), None)).pdf


@dataclass(frozen=True)
class Pass:
    chapters: int
    pages: int
    refs: dict[str, int] = field(default_factory=dict)  # first page of each linked chapter
    printed: frozenset[tuple[str, int]] = frozenset()  # "see page" numbers: (chapter, page)
    written: bool = True  # False: laid out only, its output left out (it is not kept)

    def agrees(self) -> bool:
        """Whether every "see page" number printed is the page where its chapter starts."""
        return all(self.refs.get(name) == page for name, page in self.printed)


# lay_out(book, n, refs, diagnostics, keep): pass n; ``keep(pass)`` (asked once its
# chapters are laid out, with the pages counted so far) says whether its output is needed.
LayOut = Callable[[Book, int, dict[str, int], Diagnostics, Callable[[Pass], bool]], Pass]


def fit(
    book: Book, lay_out: LayOut, diagnostics: Diagnostics, refs: dict[str, int] | None = None
) -> tuple[int, Pass, str]:
    """Lay ``book`` out until its gutter and its "see page" numbers agree with the layout.

    ``lay_out(book, n, refs, diagnostics, keep)`` makes pass ``n`` with the book's gutter
    set and the chapters' first pages as ``refs`` says (at first: as the pass before found
    them, or estimated); it may leave out writing a pass that ``keep`` says will not be
    kept (chaptered builds: the front matter and the join are a minute of a long book).
    Returns the pass to keep, its result and its gutter; its warnings (and only its) go
    to ``diagnostics``.
    """
    own = book.pdf.margins.inside
    gutter = printspec.gutter(estimate_pages(book), own)
    refs = dict(refs or estimate_starts(book))
    tried: dict[str, int] = {}  # gutter -> pages
    made: list[tuple[int, Pass, str, bool, Diagnostics]] = []
    for n in range(MAX_PASSES):
        sink = Diagnostics(strict=diagnostics.strict)
        last = n == MAX_PASSES - 1

        def keep(result: Pass, gutter: str = gutter, last: bool = last) -> bool:
            ok, settled = _verdict(result, gutter, own, tried)
            return ok or settled or last  # a pass that may be the one kept is written

        result = lay_out(fitted(book, gutter), n, refs, sink, keep)
        need = printspec.gutter(result.pages, own)
        ok, settled = _verdict(result, gutter, own, tried)
        made.append((n, result, gutter, ok, sink))
        tried[gutter] = result.pages
        if settled:
            break
        refs = {**refs, **result.refs}
        wide_enough = printspec.inches(gutter) >= printspec.inches(need)
        if not (wide_enough and _came_back(need, own, tried)):
            gutter = need
    good = [m for m in made if m[3]] or made
    n, result, gutter, ok, sink = good[-1]
    assert result.written  # a pass kept or last is written (see keep)
    if not ok:
        sink.warn(
            "pdf-passes",
            f"the layout did not settle in {MAX_PASSES} passes: the gutter or a "
            "'see page' number may be off",
        )
    diagnostics.tell(sink.warnings, sink.counters)
    return n, result, gutter


def _came_back(need: str, own: str | None, tried: dict[str, int]) -> bool:
    """Whether the gutter ``need`` was tried and asked for another (back and forth)."""
    return need in tried and printspec.gutter(tried[need], own) != need


def _verdict(
    result: Pass, gutter: str, own: str | None, tried: dict[str, int]
) -> tuple[bool, bool]:
    """Whether a pass laid out with ``gutter`` is good (its numbers agree, its gutter is
    wide enough), and whether it settles the fitting (no pass after it)."""
    need = printspec.gutter(result.pages, own)
    agreed = result.agrees()
    wide_enough = printspec.inches(gutter) >= printspec.inches(need)
    settled = agreed and (need == gutter or (wide_enough and _came_back(need, own, tried)))
    return wide_enough and agreed, settled


class PrintCache(PdfCache):
    """The build cache, its keys also naming the "see page" numbers a document prints.

    A document's HTML depends on its posts (the cache's source key) and on the numbers its
    links to other posts print (see :class:`~publish.writers.print_links.PrintRenderer`).
    Which posts those are is known once the document has been rendered: it is kept by
    source key (``links``). A document is looked up with the numbers of the pass before
    (``refs``), and stored under the numbers it printed; one never rendered gets a key of
    its own, never stored. ``live`` gathers the first pages of the chapters laid out in
    this pass, for the renderer; ``printed`` what every document used in it prints.
    """

    def __init__(
        self,
        root: Path,
        environment: str,
        refs: dict[str, int],
        printed_by: dict[str, tuple[tuple[str, int], ...]],
    ) -> None:
        super().__init__(root, environment)
        self.refs = refs
        self.printed_by = printed_by  # chapter id -> numbers printed, as rendered now
        self.links_file = root / "print-links.txt"
        self.links: dict[str, list[str]] = _read_json(self.links_file)
        self.live: dict[str, int] = {}
        self.printed: dict[str, frozenset[tuple[str, int]]] = {}  # by source key
        self._asked: dict[str, tuple[str, list[str]]] = {}  # key -> source key, chapter ids

    @staticmethod
    def _key(base: str, printed: list[tuple[str, int]]) -> str:
        return hashlib.sha256(f"{base}:{json.dumps(sorted(printed))}".encode()).hexdigest()

    def source_key(self, plan: Plan, chapters: list[Chapter]) -> str:
        base = super().source_key(plan, chapters)
        linked = self.links.get(base)
        if linked is None:
            key = f"new-{base}"
        else:
            numbers = [(name, self.refs.get(name, 0)) for name in linked]
            key = self._key(base, numbers)
            self.printed[base] = frozenset(numbers)  # if found; replaced if laid out
        self._asked[key] = (base, [chapter.id for chapter in chapters])
        return key

    def put(self, key: str, result: ChapterPdf, placeholders: tuple[str, ...]) -> ChapterPdf:
        if key in self._asked:
            base, ids = self._asked[key]
            printed = sorted({pair for i in ids for pair in self.printed_by.get(i, ())})
            self.links[base] = sorted({name for name, _ in printed})
            self.printed[base] = frozenset(printed)
            self.live.update(zip(ids, result.chapter_starts, strict=False))
            key = self._key(base, printed)
        return super().put(key, result, placeholders)

    def printed_numbers(self) -> frozenset[tuple[str, int]]:
        return frozenset(pair for pairs in self.printed.values() for pair in pairs)

    def save(self, refs: dict[str, int]) -> None:
        """Keep what the next build starts from: links, and the pages this one found."""
        _write_json(self.links_file, self.links)
        _write_json(self.root / "print-refs.txt", refs)


def saved_refs(root: Path) -> dict[str, int]:
    found = _read_json(root / "print-refs.txt")
    return {str(k): int(v) for k, v in found.items() if isinstance(v, int)}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: object) -> None:
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(data, sort_keys=True), "utf-8")
    temp.replace(path)
