"""A document's PDF written for the join (publish/writers/weasy_write.py): no font
programs, which the join replaces with the book's, and streams deflated at level 7.

The book must be the same: byte for byte when the level is WeasyPrint's own, and object
for object, every stream decoded, at level 7. A document written so keeps its fonts'
dictionaries (a CFF font's as a CFF font's) and only the tag of each program.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pydyf
import pytest
from weasyprint.pdf import fonts as weasy_fonts

from publish import load_book
from publish.writers import weasy_write
from publish.writers.pdf import write_pdf
from publish.writers.pdf_worker import ChapterTask, RenderSettings, render

from helpers import make_book

pytestmark = pytest.mark.slow
EPOCH = "1700000000"
POST = """---
title: {title}
date: 2020-01-0{n}
---
Some *italic* and **bold** words, "quoted", with a [link](https://example.org/) --- and
more words after them, to run over a line or two of the page. {extra}

> A quotation, set apart.

- a list
- of items
"""
COMMENT = """---
author: Reader {n}
date: 2020-01-0{n}T10:00:00
---
A comment with *emphasis* in it.
"""
LINKS = ("/Parent", "/P", "/Dest", "/D", "/First", "/Last", "/Next", "/Prev", "/Length")


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    posts: dict[str, str] = {}
    for n in range(1, 5):
        posts[f"2020-01-0{n}-post/index.md"] = POST.format(
            title=f"Post {n}", n=n, extra="Again and again. " * 30 * n
        )
        posts[f"2020-01-0{n}-post/comments/001.md"] = COMMENT.format(n=n)
    return make_book(tmp_path / "blog", posts)


def _build(blog: Path, out: Path, monkeypatch: pytest.MonkeyPatch, fits: Any) -> bytes:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(weasy_write, "_fits", fits)
    write_pdf(load_book(blog), out, workers=1, progress=False)
    return out.read_bytes()


def _same(a: Any, b: Any, seen: set[tuple[int, int]], where: str) -> None:
    """``a`` and ``b`` hold the same: keys, values, and every stream's decoded data."""
    if isinstance(a, pikepdf.Stream):
        assert isinstance(b, pikepdf.Stream), where
        assert a.read_bytes() == b.read_bytes(), where
    if isinstance(a, pikepdf.Dictionary | pikepdf.Stream):
        if a.is_indirect:
            if a.objgen in seen:
                return
            seen.add(a.objgen)
        keys = set(a.keys()) - set(LINKS)
        assert keys == set(b.keys()) - set(LINKS), where
        for key in sorted(keys):
            _same(a[key], b[key], seen, where + key)
    elif isinstance(a, pikepdf.Array):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, seen, f"{where}[{n}]")
    else:
        assert repr(a) == repr(b), where


def test_in_place_on_this_weasyprint() -> None:
    """Else the build is slower and nothing says so: see the module's docstring."""
    assert weasy_write.fits() == (True, True), weasy_write.source_digests()


def test_the_book_is_the_same_byte_for_byte_at_weasyprints_own_level(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weasy_write, "LEVEL", 9)
    lean = _build(blog, tmp_path / "lean.pdf", monkeypatch, None)
    whole = _build(blog, tmp_path / "whole.pdf", monkeypatch, (False, False))
    assert lean == whole


def test_the_book_holds_the_same_at_level_7(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lean = _build(blog, tmp_path / "lean.pdf", monkeypatch, None)
    whole = _build(blog, tmp_path / "whole.pdf", monkeypatch, (False, False))
    assert lean != whole  # deflated otherwise
    assert abs(len(lean) - len(whole)) < len(whole) * 0.03
    with pikepdf.open(tmp_path / "lean.pdf") as a, pikepdf.open(tmp_path / "whole.pdf") as b:
        assert len(a.pages) == len(b.pages) > 4
        seen: set[tuple[int, int]] = set()
        for n, (x, y) in enumerate(zip(a.pages, b.pages, strict=True)):
            _same(x.obj, y.obj, seen, f"page {n + 1}")
        _same(a.Root, b.Root, seen, "root")
        programs = [
            o.read_bytes()
            for o in a.objects
            if isinstance(o, pikepdf.Stream)
            and ("/Length1" in o or o.get("/Subtype") == pikepdf.Name.OpenType)
        ]
        assert programs and all(len(program) > 1000 for program in programs)


def _fonts(path: Path) -> list[tuple[str, str, str, int]]:
    """Each font: its base name, its descendant's subtype, the key and the length of its
    program."""
    out = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == pikepdf.Name.Type0:
                descendant = obj.DescendantFonts[0]
                descriptor = descendant.FontDescriptor
                key = next(k for k in ("/FontFile2", "/FontFile3") if k in descriptor)
                size = len(descriptor[key].read_bytes())
                out.append((str(obj.BaseFont), str(descendant.Subtype), key, size))
    return sorted(out)


def test_a_document_for_the_join_keeps_its_fonts_but_their_programs(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux Libertine, the book face, is a CFF font: written as one (CIDFontType0,
    FontFile3), its program's tag only."""
    html = (
        "<!DOCTYPE html><html lang='en'><head><style>@font-face { font-family: Lib;"
        f" src: url({Path('styles/fonts/LinLibertine_R.otf').resolve().as_uri()}) }}"
        " body { font-family: Lib } i { font-family: serif }</style></head>"
        "<body><p>Words in the book face, <i>and some in another</i>.</p></body></html>"
    )
    settings = RenderSettings((Path.cwd(),), Path.cwd().as_uri() + "/", tmp_path)
    made = {}
    for name, fits in (("lean", None), ("whole", (False, False))):
        monkeypatch.setattr(weasy_write, "_fits", fits)
        made[name] = _fonts(
            render(ChapterTask(-1, html, tmp_path / f"{name}.pdf"), settings).output
        )
    assert [f[:3] for f in made["lean"]] == [f[:3] for f in made["whole"]]
    assert any(f[1:3] == ("/CIDFontType0", "/FontFile3") for f in made["lean"])
    assert all(f[3] == 4 for f in made["lean"])
    assert all(f[3] > 1000 for f in made["whole"])


def test_weasyprint_is_itself_again_after_the_block() -> None:
    zlib, clean = pydyf.zlib, weasy_fonts.Font.clean
    with pytest.raises(RuntimeError), weasy_write.for_join():
        assert pydyf.zlib is not zlib and weasy_fonts.Font.clean is not clean
        raise RuntimeError
    assert pydyf.zlib is zlib and weasy_fonts.Font.clean is clean
