"""A fix to WeasyPrint 70's layout of footnotes, applied only to the code it was made for.

When a paragraph's line does not fit at the foot of a page and the paragraph may not break
there (orphans, widows), WeasyPrint pushes the page's last footnotes to the next page to
make room for the line, whatever their ``footnote-policy``. A link's note in print asks
for ``footnote-policy: line`` (its call's line goes with it, styles/print.css): pushed
away, it lands a page after its call, and the notes of the line itself were dropped
(never laid out at all).

The fix lets that loop push only notes whose policy is ``auto``, so the line breaks as the
paragraph's rules say, notes and all. It is one condition in ``_linebox_layout``: the
function is compiled again from WeasyPrint's own source with that line changed, and only
when the line is there exactly as written; another WeasyPrint is left as it is.

Installing it also sets dot leaders as one run of text (:mod:`weasy_leaders`) and makes
the Pango set-up of a run of text once per font (:mod:`weasy_text`), a box's used
lengths in one function (:mod:`weasy_percent`) and markers' and notes' styles only for
the elements that show them (:mod:`weasy_pseudo`), so every layout publish makes, one
document or chaptered, has them all.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

import weasyprint.layout.block as block

from publish.writers import weasy_leaders, weasy_percent, weasy_pseudo, weasy_text

_LOOP = "while report and context.current_page_footnotes:"
_FIXED = (
    "while (report and context.current_page_footnotes and "
    "context.current_page_footnotes[-1].style['footnote_policy'] == 'auto'):"
)
_installed: bool | None = None  # None: not tried yet


def install() -> bool:
    """Apply the fix (once); whether it is in place."""
    global _installed
    if _installed is None:
        _installed = _patch()
        weasy_leaders.install()
        weasy_text.install()
        weasy_percent.install()
        weasy_pseudo.install()
    return _installed


def _patch() -> bool:
    function = getattr(block, "_linebox_layout", None)
    try:
        lines, first = inspect.getsourcelines(function) if function else ([], 0)
    except (OSError, TypeError):
        return False
    source = textwrap.dedent("".join(lines))
    if source.count(_LOOP) != 1:
        return False
    namespace: dict[str, Any] = {}
    padded = "\n" * (first - 1) + source.replace(_LOOP, _FIXED)  # tracebacks: block.py's lines
    exec(compile(padded, inspect.getsourcefile(block) or "", "exec"), block.__dict__, namespace)
    block._linebox_layout = namespace["_linebox_layout"]
    return True
