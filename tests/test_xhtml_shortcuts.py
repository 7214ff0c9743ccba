"""The XHTML pass skips walks that could change nothing (publish/render/xhtml.py): a
fragment without a spaced hyphen or an opening quote is not dressed, one a few levels
deep is not searched for depth. Each shortcut must give what the full walk gives."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.assembly import assemble
from publish.errors import Diagnostics
from publish.model import Body, Book, Post
from publish.render import xhtml, xhtml_structure
from publish.render.xhtml import Place, to_xhtml
from publish.writers.print_links import PrintTarget

SAMPLES = [
    "<p>a - b</p>",
    "<p>a&nbsp;-&nbsp;b and a\u00a0-\u00a0b</p>",
    "<p>a &#45; b and a &#x2D; b</p>",
    "<p>the ‘90s, rock ‘n’ roll, ‘tis, &lsquo;em, &#8216;cause, &#x2018;til</p>",
    "<p>well-known, e-mail, x-y, 1-2</p>",
    "<p><code>a - b ‘90s</code> and <em>a - b</em></p>",
    "<pre>a - b\n- c</pre>",
    "<p>line<br>- dash after a break<br>\n- and a newline</p>",
    "<ul><li>a -</li><li>- b</li></ul>",
]
TOKENS = [
    "word", " ", "\n", "-", " - ", "&nbsp;", "\u00a0", "&#45;", "&#32;", "‘", "&lsquo;",
    "90s", "em", "tis", "n’", "<p>", "</p>", "<code>", "</code>", "<pre>", "</pre>", "<br>",
    "<em>", "</em>", "<div>", "</div>", "<li>", "<ul>", "</ul>",
]  # fmt: skip


def _place(tmp_path: Path, diagnostics: Diagnostics) -> Place:
    post = Post(slug="p", title="P", date=datetime(2020, 1, 1), body=Body("x"),
                source=tmp_path / "p.md", base_dir=tmp_path)  # fmt: skip
    plan = assemble(Book(title="T", author="A", language="en", posts=(post,), root=tmp_path))
    return Place(plan, PrintTarget(), "p", tmp_path, tmp_path / "p.md", diagnostics)


def _both(fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The fragment with the shortcuts, and with every walk made."""
    quick = Diagnostics()
    fast = to_xhtml(fragment, _place(tmp_path, quick))
    with monkeypatch.context() as patch:
        patch.setattr(xhtml, "_may_dress", lambda fragment: True)
        patch.setattr(xhtml, "_TOO_DEEP", lambda tree: True)
        full = Diagnostics()
        slow = to_xhtml(fragment, _place(tmp_path, full))
    assert quick.warnings == full.warnings
    return fast, slow


@pytest.mark.parametrize("fragment", SAMPLES)
def test_the_shortcuts_change_nothing(
    fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = _both(fragment, tmp_path, monkeypatch)
    assert fast == slow


def test_the_samples_are_dressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, _ = _both(SAMPLES[0] + SAMPLES[3], tmp_path, monkeypatch)
    assert "a – b" in fast and "’90s" in fast


@settings(max_examples=int(os.environ.get("XHTML_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_any_mix_comes_out_as_with_every_walk(tokens: list[str]) -> None:
    # Hypothesis does not mix with function-scoped fixtures: a folder and a patch of its own.
    import tempfile

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        fast, slow = _both("".join(tokens), Path(folder), patch)
    assert fast == slow


HYPHEN_TOKENS = [
    "-", " ", "\n", "\t", ";", ">", "<", "&", "&#45;", "&#045;", "&#x2D;", "&#X2d;", "‘",
    "&lsquo;", "&#8216;", "&#x2018;", "x", "-x", "x-", "<p>", "</p>", "a - b",
]  # fmt: skip


@settings(max_examples=int(os.environ.get("XHTML_EXAMPLES", "300")) * 3, deadline=None)
@given(st.lists(st.sampled_from(HYPHEN_TOKENS), max_size=20))
def test_the_hyphen_look_finds_what_the_pattern_finds(tokens: list[str]) -> None:
    fragment = "".join(tokens)
    assert xhtml._may_dress(fragment) == (xhtml._MAY_DRESS.search(fragment) is not None)


# The structure pass walks top down, each element told what its ancestors are; before, each
# element asked its ancestors, in the document's order. That walk, for comparison (each
# element then fixed as the pass fixes it):
def _fix_structure_by_ancestors(tree: Any) -> None:
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el is tree:
            continue
        inline = any(a.tag in xhtml_structure.PHRASING_ONLY for a in el.iterancestors())
        around = frozenset(a.tag for a in el.iterancestors() if a.tag in ("a", "dfn"))
        xhtml_structure.fix_element(el, inline, around)


STRUCTURE_TOKENS = [
    "text", " ", "<p>", "</p>", "<span>", "</span>", "<div>", "</div>", "<a href='#x'>",
    "</a>", "<dfn>", "</dfn>", "<em>", "</em>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>",
    "</li>", "<dl>", "<dt>", "<dd>", "</dl>", "<table>", "<tr>", "<td>", "</td>", "</tr>",
    "</table>", "<tbody>", "<caption>", "<ruby>", "<rt>", "</rt>", "</ruby>", "<blockquote>",
    "</blockquote>", "<h2>", "</h2>", "<pre>", "</pre>", "<figure>", "<figcaption>",
    "<time>", "</time>", "<bdo dir='up'>", "</bdo>", "<td colspan='x'>", "<ol start='3'>",
    "<ol reversed>", "<del datetime='x'>", "</del>", "<li value='2'>", "<rp>", "</rp>",
]  # fmt: skip


@settings(max_examples=int(os.environ.get("XHTML_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.sampled_from(STRUCTURE_TOKENS), max_size=40))
def test_the_structure_pass_gives_what_the_ancestor_lookups_gave(tokens: list[str]) -> None:
    from lxml import etree, html

    fragment = "".join(tokens).strip() or "x"
    trees = [
        html.fragment_fromstring(fragment, create_parent="div", parser=xhtml._PARSER)
        for _ in range(2)
    ]
    xhtml_structure.fix_structure(trees[0])
    _fix_structure_by_ancestors(trees[1])
    assert etree.tostring(trees[0]) == etree.tostring(trees[1])
