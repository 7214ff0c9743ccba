"""The Pango set-up made once per font and language (publish/writers/weasy_text.py).

Layouts made from the shared set-up must give the PDF WeasyPrint's own set-up gives, byte
for byte, over text that takes every branch of it: languages (and none), a language
override, right to left, bold and italic, small capitals and other font features,
underlined and struck-through text, a variable-font setting, several sizes.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.text import line_break
from weasyprint.text.fonts import FontConfiguration

from publish.writers import weasy_fixes, weasy_text

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
PAGE = f"""<!DOCTYPE html><html lang="en"><head><style>
  @font-face {{ font-family: Book; src: url({(FONTS / "LinLibertine_R.otf").as_uri()}); }}
  @font-face {{ font-family: Book; font-weight: bold;
                src: url({(FONTS / "LinLibertine_RB.otf").as_uri()}); }}
  @font-face {{ font-family: Book; font-style: italic;
                src: url({(FONTS / "LinLibertine_RI.otf").as_uri()}); }}
  @page {{ size: 4in 5in; margin: 0.4in; }}
  body {{ font: 10pt/1.35 Book; text-align: justify; hyphens: auto; }}
  .caps {{ font-variant: small-caps; letter-spacing: 0.04em; }}
  .nums {{ font-variant-numeric: oldstyle-nums; font-kerning: none; }}
  .feat {{ font-feature-settings: "liga" 0; }}
  .over {{ font-language-override: "TRK"; }}
  .wide {{ font-variation-settings: "wght" 500; font-stretch: condensed; }}
  s {{ text-decoration: line-through; }}
  a {{ text-decoration: underline; }}
  .top {{ text-decoration: overline; }}
  pre {{ white-space: pre-wrap; tab-size: 3; }}
</style></head><body>
<p>An officer of the first office affirmed, in a flurry of fine words, that the fiftieth
file was <a href="#x">lost</a> — <s>twice</s> — and <em>never</em> <strong>found</strong>.</p>
<p class="caps top">Ada Lovelace and Charles Babbage, 1843</p>
<p class="nums">In 1066, 1789 and 2024 the numbers differ: 0123456789.</p>
<p class="feat">Office fluff affords no efficient waffle.</p>
<p lang="de">Donaudampfschifffahrtsgesellschaftskapitänswitwe und Straße.</p>
<p lang="tr" class="over">İstanbul ışık fiyat.</p>
<p class="wide" style="font-size: 13pt">Wider and larger letters in a line.</p>
<p dir="rtl" lang="ar">Right to left, with words in order.</p>
<p lang="">No language at all, and spaces\u00a0that do not break.</p>
<pre>Tabs\tand
new lines\tkept.</pre>
<p id="x" style="word-spacing: 0.2em">Spaced words at the end.</p>
</body></html>"""


def _text_style() -> Any:
    """The style of a run of text as WeasyPrint computes it."""
    page = weasyprint.HTML(string='<p lang="en">Words.</p>').render().pages[0]
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TextBox):
            return box.style
        stack.extend(getattr(box, "children", ()))
    raise AssertionError("no text")


def _pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def _with_setup(setup: Any, html: str) -> bytes:
    installed = line_break.Layout.setup
    line_break.Layout.setup = setup
    try:
        return _pdf(html)
    finally:
        line_break.Layout.setup = installed


def test_the_shared_set_up_is_installed_on_this_weasyprint() -> None:
    weasy_fixes.install()
    assert weasy_text.fits()
    assert weasy_text.install()
    assert line_break.Layout.setup is weasy_text.setup


def test_pages_are_byte_for_byte_those_of_weasyprints_own_set_up() -> None:
    weasy_fixes.install()
    assert weasy_text._original is not None
    own = _with_setup(weasy_text._original, PAGE)
    shared = _with_setup(weasy_text.setup, PAGE)
    assert own == shared
    again = _with_setup(weasy_text.setup, PAGE)  # made from set-ups already made
    assert again == own


def test_a_page_without_a_language_is_the_same() -> None:
    weasy_fixes.install()
    page = PAGE.replace('<html lang="en">', "<html>").replace('lang="tr" ', "")
    assert _with_setup(weasy_text._original, page) == _with_setup(weasy_text.setup, page)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"text_decoration_line": frozenset({"underline"})},
        {"text_decoration_line": frozenset({"line-through", "overline"}), "font_size": 20.0},
        {"lang": None, "font_variant_caps": "small-caps", "font_weight": 700},
        {"font_language_override": "TRK", "direction": "rtl", "font_kerning": "none"},
    ],
)
def test_a_layout_is_set_up_as_weasyprint_sets_it_up(changes: dict[str, Any]) -> None:
    weasy_fixes.install()
    style = _text_style().copy()
    style.update(changes)
    layouts = []
    for setup in (weasy_text._original, weasy_text.setup):
        layout = line_break.Layout.__new__(line_break.Layout)
        layout.justification_spacing, layout.max_width = 0, None
        setup(layout, style)
        layout.set_text("Officers affirm the fiftieth file, ‘twice’ — 1066.")
        line, _ = layout.get_first_line()
        layouts.append(
            (
                layout.language,
                layout.ascent,
                layout.underline_position,
                layout.strikethrough_position,
                getattr(layout, "underline_thickness", None),
                getattr(layout, "strikethrough_thickness", None),
                line_break.line_size(line, style),
                line_break.pango.pango_layout_get_baseline(layout.layout),
            )
        )
    assert layouts[0] == layouts[1]
    if changes.get("text_decoration_line"):
        assert layouts[1][2] is not None


def test_another_weasyprint_keeps_its_own_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasy_text, "SOURCES", "0" * 64)
    assert not weasy_text.fits()


def test_set_ups_are_dropped_with_their_font_configuration() -> None:
    weasy_fixes.install()
    config = FontConfiguration()
    weasyprint.HTML(string="<p>Some words.</p>").render(font_config=config)
    assert weasy_text._made[config]
    before = len(weasy_text._made)
    held = weakref.ref(config)
    del config
    gc.collect()
    assert held() is None  # nothing made from it kept it alive
    assert len(weasy_text._made) < before


class _Style(dict[str, Any]):
    font_config: Any = None


def test_a_value_that_cannot_be_a_key_is_set_up_by_weasyprint() -> None:
    style = _Style(dict.fromkeys(weasy_text.KEYS, "normal"))
    style["font_family"] = ["not", "hashable"]
    style.font_config = FontConfiguration()
    assert weasy_text.shared(style) is None
