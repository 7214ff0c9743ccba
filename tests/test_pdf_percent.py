"""A box's used lengths worked out in one function (publish/writers/weasy_percent.py).

The PDF must be byte for byte the one WeasyPrint's own ``resolve_percentages`` gives,
over boxes that take every branch of it: lengths in pixels, percent, ``auto`` and
``calc()``; minimum and maximum sizes; containing blocks of known and of ``auto`` height;
collapsed table borders; ``box-sizing: border-box``; page boxes, floats, positioned,
flex and grid boxes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import weasyprint
from weasyprint.layout import percent

from publish.writers import weasy_fixes, weasy_percent

PAGE = """<!DOCTYPE html><html lang="en"><head><style>
  @page { size: 5in 6in; margin: 5% 8% calc(4% + 10px) 0.5in; padding: 1%; }
  @page :first { margin-top: 10%; }
  body { font: 10pt/1.3 serif; margin: 2% 3%; }
  .a { width: 60%; min-width: 120px; max-width: calc(80% - 5px); padding: 2% 1em;
       margin: 0 auto 3%; border: 2px solid black; }
  .b { height: 20%; min-height: 30px; max-height: 50%; box-sizing: border-box;
       padding: 5% 2%; border: 3px dotted gray; }
  .c { height: 40px; }
  .c div { height: 50%; min-height: 10%; max-height: calc(100% - 2px); }
  .d { float: right; width: 30%; margin: 1% 0 1% 2%; padding: 1%; }
  .e { position: relative; left: 5%; top: 2px; width: calc(50% + 3em); }
  .f { position: absolute; right: 10%; bottom: 5%; width: 20%; height: 10%; }
  table { border-collapse: collapse; width: 90%; margin: 2% 5%; }
  td { border: 1px solid black; padding: 2%; width: 25%; }
  table.sep { border-collapse: separate; border-spacing: 2px; }
  .flex { display: flex; gap: 2%; height: 60px; }
  .flex > div { flex: 1 1 20%; min-width: 10%; max-height: 80%; padding: 1%; }
  .grid { display: grid; grid-template-columns: 30% 1fr; column-gap: 3%; }
  .grid > div { padding: 4%; margin: 1% }
  img { width: 10%; height: auto; }
</style></head><body>
<div class="a">A box of some width, <span style="padding: 0 2%">an inline</span> in it.</div>
<div class="b">A box of some height, its sizes including its border.</div>
<div class="c"><div>A child of half a fixed height.</div></div>
<p class="d">A float to the right.</p>
<p class="e">A paragraph moved a little, and long enough to run on to another line or two
as it goes on about nothing at all in particular.</p>
<div class="f">Placed.</div>
<table><tr><td>One</td><td>Two</td></tr><tr><td>Three</td><td>Four</td></tr></table>
<table class="sep"><tr><td>Apart</td><td>Still</td></tr></table>
<div class="flex"><div>Flex one</div><div>Flex two</div><div>Three</div></div>
<div class="grid"><div>Grid cell</div><div>Another grid cell</div></div>
<ul style="margin-left: 10%"><li>An item</li><li style="padding-left: 3%">Another</li></ul>
</body></html>"""


USED = (
    [
        f"{what}_{side}"
        for what in ("margin", "padding")
        for side in ("top", "right", "bottom", "left")
    ]
    + [f"border_{side}_width" for side in ("top", "right", "bottom", "left")]
    + [f"{limit}{size}" for limit in ("", "min_", "max_") for size in ("width", "height")]
)


def _modules(function: Any) -> Iterator[Any]:
    for name, module in list(sys.modules.items()):
        if name.startswith("weasyprint") and getattr(module, "resolve_percentages", None) is (
            function
        ):
            yield module


def _pdf_with(function: Any) -> bytes:
    installed = list(_modules(weasy_percent.resolve_percentages))
    for module in installed:
        module.resolve_percentages = function
    try:
        return weasyprint.HTML(string=PAGE).write_pdf()  # type: ignore[no-any-return]
    finally:
        for module in installed:
            module.resolve_percentages = weasy_percent.resolve_percentages


def test_installed_in_every_module_that_imported_it() -> None:
    weasy_fixes.install()
    assert weasy_percent.fits()
    assert weasy_percent.install()
    assert percent.resolve_percentages is weasy_percent.resolve_percentages
    assert not list(_modules(weasy_percent._original))
    import weasyprint.layout.block as block
    import weasyprint.layout.inline as inline

    assert block.resolve_percentages is inline.resolve_percentages
    assert block.resolve_percentages is weasy_percent.resolve_percentages


def test_pages_are_byte_for_byte_those_of_weasyprints_own() -> None:
    weasy_fixes.install()
    own = _pdf_with(weasy_percent._original)
    assert _pdf_with(weasy_percent.resolve_percentages) == own


@pytest.mark.parametrize(
    "containing_block",
    [(300.0, 400.0), (300.0, "auto"), ("auto", 200.0)],
)
def test_every_used_value_is_weasyprints(containing_block: tuple[Any, Any]) -> None:
    """Each box of the page, resolved against a few containing blocks by both."""
    weasy_fixes.install()
    document = weasyprint.HTML(string=PAGE).render()
    compared = 0
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()))
            results: list[tuple[Any, ...]] = []
            for function in (weasy_percent._original, weasy_percent.resolve_percentages):
                copy = box.copy()
                try:
                    function(copy, containing_block)
                except TypeError as error:  # "auto" where a number is needed: both fail
                    results.append(("failed", str(error)))
                    continue
                results.append(tuple(getattr(copy, name, None) for name in USED))
            assert results[0] == results[1], box
            compared += 1
    assert compared > 50


def test_another_weasyprint_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasy_percent, "SOURCES", "0" * 64)
    assert not weasy_percent.fits()
