"""Markers' and notes' styles made only for the elements that show them
(publish/writers/weasy_pseudo.py).

The PDF must be byte for byte the one WeasyPrint's own ``StyleFor`` gives, over a page
whose markers and notes take the styles asked for late: list items (outside, inside, an
author's ``::marker``, numbered and not), footnotes with their calls and markers, an
author's rules for them, and elements that show none.
"""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from weasyprint.css import StyleFor

from publish.writers import weasy_fixes, weasy_pseudo

PAGE = """<!DOCTYPE html><html lang="en"><head><style>
  @page { size: 4in 5in; margin: 0.5in; }
  body { font: 10pt/1.3 serif; }
  li::marker { color: gray; font-weight: bold; }
  ol.in { list-style-position: inside; }
  ol.in li::marker { content: "[" counter(list-item) "] "; }
  .note { float: footnote; font-size: 8pt; }
  .note::footnote-call { color: red; }
  .note::footnote-marker { font-style: italic; }
  em { text-decoration: underline; }
  p.shown { display: list-item; list-style: square inside; }
</style></head><body>
<p>A paragraph with <em>nothing to mark</em>, and a note.<span class="note">The
note, <em>its words</em>.</span> More words after it.</p>
<ul><li>An item</li><li>Another, <em>longer</em> item<ul><li>Nested</li></ul></li></ul>
<ol class="in" start="3"><li>Inside</li><li>And again<span class="note">A second
note.</span></li></ol>
<p class="shown">A paragraph shown as a list item.</p>
<p style="color: navy">The last words, in <b>bold</b>.</p>
</body></html>"""


def _pdf(lazy: bool) -> bytes:
    assert weasy_pseudo.install()
    assert weasy_pseudo._original is not None
    if not lazy:
        StyleFor.set_computed_styles, StyleFor.__call__ = weasy_pseudo._original
    try:
        return weasyprint.HTML(string=PAGE).write_pdf()  # type: ignore[no-any-return]
    finally:
        StyleFor.set_computed_styles = weasy_pseudo.set_computed_styles
        StyleFor.__call__ = weasy_pseudo.style_for


def test_installed_on_this_weasyprint() -> None:
    weasy_fixes.install()
    assert weasy_pseudo.fits(), weasy_pseudo.source_digest()
    assert StyleFor.__call__ is weasy_pseudo.style_for


def test_pages_are_byte_for_byte_those_of_weasyprints_own() -> None:
    weasy_fixes.install()
    assert _pdf(lazy=True) == _pdf(lazy=False)


def test_only_the_styles_asked_for_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Markers for the list items and the paragraph shown as one; a call and a marker
    for each note; none for the rest."""
    weasy_fixes.install()
    made: list[tuple[str, str]] = []
    original = weasy_pseudo._original
    assert original is not None

    def counting(
        self: Any, element: Any, parent: Any, root: Any = None, pseudo: Any = None, *args: Any
    ) -> None:
        if pseudo in weasy_pseudo.LAZY:
            made.append((element.tag, pseudo))
        original[0](self, element, parent, root, pseudo, *args)

    monkeypatch.setattr(weasy_pseudo, "_original", (counting, original[1]))
    document = weasyprint.HTML(string=PAGE).render()
    assert len(document.pages) == 1, made
    assert sorted(made) == sorted(
        [("li", "marker")] * 5
        + [("p", "marker")]
        + [("span", "footnote-call"), ("span", "footnote-marker")] * 2
    )


def test_a_style_whose_cascade_sets_an_anchor_is_made_at_once() -> None:
    """As WeasyPrint makes it: its anchor is collected with the document's."""
    weasy_fixes.install()
    made: list[Any] = []

    class Style:
        def __init__(self) -> None:
            self._cascaded_styles = {("p", "marker"): {"anchor": ("x", 0)}, ("q", "marker"): {}}

    assert weasy_pseudo._original is not None
    original = weasy_pseudo._original
    try:
        weasy_pseudo._original = (lambda *args: made.append(args[1:5]), original[1])
        weasy_pseudo.set_computed_styles(Style(), "p", "parent", "root", "marker")
        weasy_pseudo.set_computed_styles(Style(), "q", "parent", "root", "marker")
        weasy_pseudo.set_computed_styles(Style(), "q", "parent", "root", "before")
    finally:
        weasy_pseudo._original = original
    assert made == [("p", "parent", "root", "marker"), ("q", "parent", "root", "before")]


def test_another_weasyprint_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasy_pseudo, "SOURCES", "0" * 64)
    assert not weasy_pseudo.fits()
