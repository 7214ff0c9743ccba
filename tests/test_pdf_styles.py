"""Stylesheets parsed once per process (publish/writers/weasy_styles.py): the same book.

Every document after the first takes its sheets from the cache, with what their parse did
to the document replayed: @page and margin rules, layers, counter styles, fonts, warnings.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import weasyprint
import weasyprint.css
from pypdf import PdfReader
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

from publish import Diagnostics, load_book, write_pdf
from publish.render.templates import default_styles_dir
from publish.writers import weasy_styles
from publish.writers.fetch import LocalOnlyFetcher
from publish.writers.forked import run_forked
from publish.writers.pdf_worker import _keep_fonts

from helpers import REPO, fonts, outline, page_texts, write

pytestmark = pytest.mark.xdist_group("pdf-styles")

TITLE = "Notes from a Commonplace Blog"  # the default book's, its left pages' running head
EXTRA = """
@layer base, fancy;
@layer fancy { h2 { letter-spacing: 0.01em; } }
@counter-style stars { system: cyclic; symbols: "*" "+"; suffix: " "; }
ol { list-style-type: stars; }
p { colour: red; }
@page :right { @bottom-right { content: "folio " counter(page); font-size: 6pt; } }
"""
SHEET = """
@import url("more.css");
@font-face { font-family: "Body"; src: url("fonts/LinLibertine_R.otf"); }
@layer one { p { margin: 0 } }
@layer { h1 { margin: 0 } }
@counter-style dots { system: cyclic; symbols: "."; }
@page { size: 100px 100px; @top-center { content: "head" } }
@page :left { margin-left: 1px; }
p { colour: red; font-family: "Body"; }
"""


def test_the_style_cache_fits_this_weasyprint() -> None:
    """It replaces WeasyPrint's ``CSS`` in ``find_stylesheets`` only when the calls there
    are the ones it knows: a WeasyPrint where they changed needs it looked at again."""
    assert weasy_styles.install()
    assert weasy_styles.install()  # once
    assert weasyprint.css.CSS is weasy_styles._css
    assert weasyprint.CSS is weasy_styles._CSS  # the public class is left alone


def _book(root: Path) -> Path:
    shutil.copytree(REPO / "content", root)
    write(root / "styles" / "extra.css", EXTRA)
    return root


@pytest.mark.parametrize("workers", [1, 2])
def test_a_book_is_the_same_with_the_cache_and_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    book = _book(tmp_path / "content")
    # Without the cache WeasyPrint makes a font folder a document, removed when its
    # configuration is collected: never, in a worker that ends by os._exit. Here, not
    # in the machine's temporary folder.
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    built: dict[bool, tuple[bytes, list[str]]] = {}
    for enabled in (False, True):
        monkeypatch.setattr(weasy_styles, "ENABLED", enabled)
        diagnostics = Diagnostics()
        out = tmp_path / f"{enabled}.pdf"
        write_pdf(load_book(book), out, diagnostics, workers=workers, progress=False)
        built[enabled] = out.read_bytes(), [d.message for d in diagnostics.warnings]
        if enabled and workers == 1:  # the chapters were laid out here, from the cache
            hits, misses = weasy_styles.counts()
            assert hits >= 4 and misses >= 4, (hits, misses)
    without, cached = PdfReader(tmp_path / "False.pdf"), PdfReader(tmp_path / "True.pdf")
    assert len(cached.pages) == len(without.pages)
    texts = page_texts(cached)
    assert texts == page_texts(without)
    assert outline(cached) == outline(without)
    assert fonts(cached) == fonts(without) and all(fonts(cached).values())
    # The margin boxes (running heads, folios; the extra sheet's) are on the pages.
    starts = {page for _, page in outline(cached)}
    body = [n for n in range(7, len(texts) + 1) if n not in starts and len(texts[n - 1]) > 200]
    assert body and all(str(n) in texts[n - 1].split() for n in body)
    assert any(TITLE.upper() in texts[n - 1].upper() for n in body if n % 2 == 0)
    right = [n for n in range(7, len(texts) + 1, 2) if texts[n - 1].strip()]
    assert right and all(f"folio {n}" in texts[n - 1] for n in right)
    assert built[True][1] == built[False][1]  # the same warnings, from every document
    said = [m for m in built[True][1] if m.startswith("Ignored `colour: red` at 6:5")]
    assert len(said) == 1 and "of the book's documents)" in said[0], said  # once, counted
    assert built[True][0] == built[False][0]  # byte for byte, in fact


@contextmanager
def _warnings() -> Iterator[list[str]]:
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _style(folder: Path, html: str) -> tuple[Any, ...]:
    """Style one document as WeasyPrint does: its page rules, layers, counter styles,
    the sheets' own rules, and the warnings."""
    fetcher = LocalOnlyFetcher([folder])
    document = weasyprint.HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher)
    page_rules: list[Any] = []
    layers: list[str] = []
    counters = CounterStyle()
    with _warnings() as messages, weasy_styles.shared(("test", folder)) as shared:
        font_config = shared or FontConfiguration()
        style_for = weasyprint.css.get_all_computed_styles(
            document, [], False, font_config, counters, {}, page_rules, layers, None, False
        )
    rules = [(r.source_line, r.source_column, repr(s), repr(d)) for r, s, d in page_rules]
    sheets = [sheet for sheet, origin, _ in style_for._sheets if origin == "author"]
    assert all(s.page_rules is page_rules and s.layers is layers for s in sheets)
    names = {name: repr(counters[name]) for name in counters}
    return rules, layers, names, len(sheets), messages


def _page(folder: Path) -> str:
    """A folder with a stylesheet that does a bit of everything, and a page linking it."""
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(default_styles_dir() / "fonts" / "LinLibertine_R.otf", folder / "fonts")
    write(folder / "book.css", SHEET)
    write(folder / "more.css", "@page :right { @bottom-center { content: counter(page) } }\n")
    return (
        '<html><head><link rel="stylesheet" href="book.css">'
        "<style>@layer two { h2 { margin: 0 } } @page { @top-left { content: 'x' } }</style>"
        "</head><body><h1>Title</h1><p>Text</p><ol><li>one</li></ol></body></html>"
    )


def test_every_document_gets_what_the_parse_of_its_sheets_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _page(tmp_path)
    weasy_styles.new_build()
    first = _style(tmp_path, html)
    assert weasy_styles.counts() == (0, 2)
    second = _style(tmp_path, html)
    third = _style(tmp_path, html)
    assert weasy_styles.counts() == (4, 2)
    monkeypatch.setattr(weasy_styles, "ENABLED", False)
    plain = _style(tmp_path, html)
    assert first == second == third == plain
    rules, layers, names, count, messages = second
    assert len(rules) == 5 and count == 2  # more.css, @page, its top-center, :left, top-left
    assert layers == ["one", "@anonymous1", "two"]
    assert "dots" in names
    assert messages == ["Ignored `colour: red` at 9:5, unknown property."]


def test_fonts_are_loaded_once_and_kept_by_their_original_file(tmp_path: Path) -> None:
    """One font configuration for the process; each document still draws the font, and
    the joiner still finds it by the SHA-256 of the original file (``_keep_fonts``)."""
    html = _page(tmp_path).replace("<p>Text</p>", '<p style="font-family: Body">Text</p>')
    original = hashlib.sha256((tmp_path / "fonts" / "LinLibertine_R.otf").read_bytes())
    weasy_styles.new_build()
    fetcher = LocalOnlyFetcher([tmp_path])
    kept, drawn = [], []
    for n in range(2):
        with weasy_styles.shared(("fonts", tmp_path)) as font_config:
            source = weasyprint.HTML(
                string=html, base_url=tmp_path.as_uri() + "/", url_fetcher=fetcher
            )
            document = source.render(font_config=font_config)
        assert document.font_config is font_config  # one for the process
        drawn.append(fonts(PdfReader(io.BytesIO(document.write_pdf()))))
        (tmp_path / f"kept{n}").mkdir()
        kept.append({use.sha for use in _keep_fonts(document, tmp_path / f"kept{n}").values()})
    assert drawn[0] == drawn[1] and any("+Body" in name for name in drawn[0]), drawn
    assert kept[0] == kept[1] and original.hexdigest() in kept[0]


def test_what_cannot_be_replayed_is_parsed_every_time(tmp_path: Path) -> None:
    folder = tmp_path
    write(folder / "var.css", ":root { --gap: 1px } p { margin: var(--gap) }")
    html = '<html><head><link rel="stylesheet" href="var.css"></head><body><p>x</p></body></html>'
    weasy_styles.new_build()
    _style(folder, html)
    _style(folder, html)
    assert weasy_styles.counts() == (0, 2)  # var(): its values remember their errors
    write(folder / "plain.css", "p { margin: 1px }")
    html = html.replace("var.css", "plain.css")
    _style(folder, html)
    _style(folder, html)
    assert weasy_styles.counts() == (1, 3)
    write(folder / "plain.css", "p { margin: 2px; padding: 0 }")  # edited: read again
    _style(folder, html)
    assert weasy_styles.counts() == (1, 4)
    _style(folder, html.replace('href="plain.css"', 'href="plain.css" media="print"'))
    assert weasy_styles.counts() == (2, 4)  # the key is the device's media type, "print"


def test_each_build_starts_afresh_and_each_process_clears_its_fonts(tmp_path: Path) -> None:
    html = _page(tmp_path)
    weasy_styles.new_build()
    _style(tmp_path, html)
    with weasy_styles.shared(("test", tmp_path)) as font_config:
        assert font_config is not None
        folder = Path(font_config._folder)  # where WeasyPrint put the @font-face fonts
    assert folder.is_dir()

    def child() -> tuple[str, bool]:
        with weasy_styles.shared(("test", tmp_path)) as inherited:
            assert inherited is font_config
        weasy_styles.new_build()  # a child's new build leaves its parent's fonts alone
        _style(tmp_path, html)
        with weasy_styles.shared(("test", tmp_path)) as own:
            assert own is not None
            return str(own._folder), Path(own._folder).is_dir()

    own, existed = run_forked(child, "a test child")
    assert existed and not Path(own).exists()  # removed as the child ended
    assert folder.is_dir()
    other = tmp_path / "other"
    _style(other, _page(other))
    assert not folder.exists()  # other settings: the fonts of the ones before are gone
    weasy_styles.new_build()
    assert weasy_styles.counts() == (0, 0)
