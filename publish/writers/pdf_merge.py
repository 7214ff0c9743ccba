"""Join the front matter and the chapters' PDFs into the book.

Pages are copied in order, with a blank page wherever a chapter would otherwise start on a
left-hand page. Named destinations, links and bookmarks are carried over and pointed at the
joined pages. Fonts are shared: every chapter's subset of a font is replaced by one subset
of the original font holding every glyph the book uses (WeasyPrint keeps glyph ids when it
subsets, so the chapters' text still points at the right glyphs), and the widths and the
text map are the union of the chapters'.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from publish.writers.pdf_worker import ChapterPdf, FontUse


@dataclass
class _FontUnion:
    """One font (a resource name and an original file) across every document."""

    target: Any  # the Type0 font dictionary in the book
    widths: dict[int, float] = field(default_factory=dict)
    text: dict[int, str] = field(default_factory=dict)

    def add(self, use: FontUse) -> None:
        for glyph, width in use.widths.items():
            self.widths.setdefault(glyph, width)
        for glyph, text in use.text.items():
            self.text.setdefault(glyph, text)


FontKey = tuple[str, str]  # resource name, SHA-256 of the original file


def glyphs_used(documents: list[ChapterPdf]) -> dict[FontKey, tuple[int, set[int]]]:
    """Every font of the book, with its index in its file and the glyphs any page uses."""
    out: dict[FontKey, tuple[int, set[int]]] = {}
    for document in documents:
        for name, use in document.fonts.items():
            out.setdefault((name, use.sha), (use.index, {0}))[1].update(use.widths)
    return out


@dataclass
class _Outline:
    title: str
    page: int
    x: float
    y: float
    children: list[_Outline] = field(default_factory=list)


@dataclass
class Joined:
    pages: int
    starts: list[int]  # first page (1-based) of every chapter


class Joiner:
    def __init__(self) -> None:
        self.pdf = pikepdf.new()
        self.names: dict[str, tuple[int, float, float]] = {}
        self.outlines: list[_Outline] = []
        self.unions: dict[tuple[str, str], _FontUnion] = {}
        self.info: dict[str, Any] = {}
        self.lang: Any = None
        self.version = "1.7"
        self._held: set[tuple[int, int]] = set()  # objects whose streams hold their data
        # The book's pages, in order: pikepdf finds a page by its index (and counts them)
        # walking the whole list, which for a 6,000-page book took seconds.
        self._pages: list[Any] = []

    @property
    def count(self) -> int:
        return len(self._pages)

    def blank(self) -> None:
        """A blank page the size of the page before it."""
        last = self._pages[-1]
        page = self.pdf.make_indirect(Dictionary(Type=Name.Page, Resources=Dictionary()))
        for box in ("/MediaBox", "/TrimBox", "/BleedBox", "/CropBox"):
            if box in last:
                page[box] = Array(list(last[box]))
        self.pdf.pages.append(pikepdf.Page(page))
        self._pages.append(page)

    def _fonts(self, source: ChapterPdf, fonts: Any) -> Dictionary:
        """The book's font dictionary for one document's resources."""
        shared = Dictionary()
        for key, font in fonts.items():
            name = str(key).lstrip("/")
            use = source.fonts.get(name)
            if use is None or font.get("/Subtype") != Name.Type0:
                shared[key] = self.pdf.copy_foreign(font)
                _hold_data(shared[key], self._held)
                continue
            union = self.unions.get((name, use.sha))
            if union is None:
                union = _FontUnion(self.pdf.copy_foreign(font))
                _hold_data(union.target, self._held)
                self.unions[(name, use.sha)] = union
            union.add(use)
            shared[key] = union.target
        return shared

    def add(
        self, source: ChapterPdf, pages: int | None = None, skip: frozenset[str] = frozenset()
    ) -> None:
        """Append the first ``pages`` pages (all by default) of one rendered document."""
        with pikepdf.open(source.output) as src:
            self._add(src, source, pages, skip)

    def _add(
        self, src: pikepdf.Pdf, source: ChapterPdf, pages: int | None, skip: frozenset[str]
    ) -> None:
        originals = list(src.pages)
        take = len(originals) if pages is None else pages
        offset = self.count
        page_index = {page.obj.objgen: n for n, page in enumerate(originals)}
        resources: dict[tuple[int, int], Dictionary] = {}
        for page in originals[:take]:
            res = page.obj.get("/Resources")
            if res is not None and "/Font" in res and res.objgen not in resources:
                resources[res.objgen] = self._fonts(source, res.Font)
                res.Font = Dictionary()
        # Each page copied (its named destinations are carried over below), then added:
        # so the copy is at hand without looking it up among the book's pages.
        added = [self.pdf.copy_foreign(page.obj) for page in originals[:take]]
        for copied in added:
            self.pdf.pages.append(pikepdf.Page(copied))
        self._pages.extend(added)
        done: set[tuple[int, int]] = set()
        for n in range(take):
            res = added[n].get("/Resources")
            origin = originals[n].obj.get("/Resources")
            if (
                res is None
                or origin is None
                or origin.objgen not in resources
                or res.objgen in done
            ):
                continue
            res.Font = resources[origin.objgen]
            done.add(res.objgen)
        for copied in added:  # what the pages show, read now: the document can be closed
            _hold_data(copied, self._held)
        root = src.Root
        if "/Names" in root and "/Dests" in root.Names:
            flat = root.Names.Dests.get("/Names", Array())
            for i in range(0, len(flat) - 1, 2):
                name, dest = str(flat[i]), flat[i + 1]
                where = self._where(dest, page_index, take, offset)
                if where is not None and name not in skip and name not in self.names:
                    self.names[name] = where
        if "/Outlines" in root and "/First" in root.Outlines:
            self.outlines.extend(self._read_outlines(root.Outlines.First, page_index, take, offset))
        if not self.info:
            self.info = {str(k): v for k, v in src.docinfo.items()}
            self.version = src.pdf_version
            self.lang = root.get("/Lang")

    @staticmethod
    def _where(
        dest: Any, page_index: dict[Any, int], take: int, offset: int
    ) -> tuple[int, float, float] | None:
        if not isinstance(dest, Array) or len(dest) < 4:
            return None
        n = page_index.get(dest[0].objgen)
        if n is None or n >= take:
            return None
        return offset + n, float(dest[2]), float(dest[3])

    def _read_outlines(
        self, item: Any, page_index: dict[Any, int], take: int, offset: int
    ) -> list[_Outline]:
        out = []
        while item is not None:
            where = self._where(item.get("/Dest"), page_index, take, offset)
            if where is not None:
                node = _Outline(str(item.Title), *where)
                if "/First" in item:
                    node.children = self._read_outlines(item.First, page_index, take, offset)
                out.append(node)
            item = item.get("/Next")
        return out

    def _dest(self, page: int, x: float, y: float) -> Array:
        return Array([self._pages[page], Name.XYZ, x, y, 0])

    def _write_outlines(self, parent: Any, items: list[_Outline]) -> int:
        made = []
        for node in items:
            entry = self.pdf.make_indirect(
                Dictionary(
                    Title=pikepdf.String(node.title),
                    Dest=self._dest(node.page, node.x, node.y),
                    Parent=parent,
                )
            )
            made.append(entry)
            count = self._write_outlines(entry, node.children)
            if count:
                entry.Count = count
        for before, after in itertools.pairwise(made):
            before.Next = after
            after.Prev = before
        if made:
            parent.First, parent.Last = made[0], made[-1]
        return len(made) + sum(int(e.get("/Count", 0)) for e in made)

    def _finish_fonts(self, subsets: dict[FontKey, tuple[bytes, str]]) -> None:
        for key, union in self.unions.items():
            data, kind = subsets[key]
            descendant = union.target.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            file_key = "/FontFile3" if kind == "otf" else "/FontFile2"
            stream = pikepdf.Stream(self.pdf, zlib.compress(data, 9))
            stream.Filter = Name.FlateDecode
            if kind == "otf":
                stream.Subtype = Name.OpenType
            else:
                stream.Length1 = len(data)
            for old in ("/FontFile", "/FontFile2", "/FontFile3"):
                if old in descriptor:
                    del descriptor[old]
            descriptor[file_key] = self.pdf.make_indirect(stream)
            widths = Array()
            for glyph in sorted(union.widths):
                if glyph - 1 not in union.widths:
                    widths.append(glyph)
                    widths.append(Array())
                widths[-1].append(_number(union.widths[glyph]))
            descendant.W = widths
            box = descriptor.FontBBox
            descriptor.FontBBox = Array(
                [box[0], box[1], _number(max(union.widths.values(), default=0)), box[3]]
            )
            if "/ToUnicode" in union.target:
                union.target.ToUnicode = self.pdf.make_stream(
                    zlib.compress(_to_unicode(union.text))
                )
                union.target.ToUnicode.Filter = Name.FlateDecode

    def save(
        self,
        path: Path,
        subsets: dict[FontKey, tuple[bytes, str]],
        built: datetime | None = None,
    ) -> None:
        """Write the book; ``subsets`` holds the book-wide subset of every font. ``built``
        is its creation and modification time (else the first document's)."""
        self._finish_fonts(subsets)
        root = self.pdf.Root
        if self.names:
            flat = Array()
            for name in sorted(self.names):
                flat.append(pikepdf.String(name))
                flat.append(self._dest(*self.names[name]))
            root.Names = Dictionary(Dests=Dictionary(Names=flat))
        if self.outlines:
            outlines = self.pdf.make_indirect(Dictionary(Type=Name.Outlines))
            outlines.Count = self._write_outlines(outlines, self.outlines)
            root.Outlines = outlines
        if self.lang is not None:
            root.Lang = self.lang
        for key, value in self.info.items():
            self.pdf.docinfo[key] = value
        if built is not None:  # as WeasyPrint writes it
            stamp = pikepdf.String(built.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ"))
            self.pdf.docinfo[Name.CreationDate] = self.pdf.docinfo[Name.ModDate] = stamp
        # No remove_unreferenced_resources(): it took seconds on a big book, to split each
        # document's one resource dictionary into one per page (a larger file). A page
        # lists its document's fonts, every one of which the book embeds anyway.
        with path.open("wb") as stream:  # atomic_output already makes it safe
            self.pdf.save(
                stream,
                deterministic_id=True,
                min_version=self.version,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )


# Links that lead elsewhere in the book (pages, bookmarks): not followed by _hold_data.
_NOT_FOLLOWED = frozenset({"/Parent", "/P", "/Dest", "/D", "/First", "/Last", "/Next", "/Prev"})


def _hold_data(start: Any, held: set[tuple[int, int]]) -> None:
    """Give every stream reachable from ``start`` (a page or a font copied into the book)
    its data, as it is (still compressed), instead of a reference into the document it
    came from, so that document can be closed at once. An open document costs more
    memory than its pages' data: for a 6,000-page book, hundreds of them cost ~100 MB."""
    stack: list[Any] = [start]
    while stack:
        obj: Any = stack.pop()
        if isinstance(obj, Array):
            stack.extend(obj)
            continue
        if not isinstance(obj, Dictionary | pikepdf.Stream):
            continue
        if obj.is_indirect:
            if obj.objgen in held:
                continue
            held.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            encoding: Any = obj.get("/Filter"), obj.get("/DecodeParms")
            obj.write(
                obj.read_raw_bytes(), filter=encoding[0], decode_parms=encoding[1], type_check=False
            )
        stack.extend(obj[key] for key in obj.keys() if key not in _NOT_FOLLOWED)  # noqa: SIM118


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def _to_unicode(text: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
        b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
        b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
        b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange",
    ]  # fmt: skip
    items = sorted(text.items())
    for i in range(0, len(items), 100):
        batch = items[i : i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(
            b"<%04x> <%s>" % (glyph, value.encode("utf-16-be").hex().encode())
            for glyph, value in batch
        )
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
