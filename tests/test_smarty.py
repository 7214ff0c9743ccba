"""smartypants with its patterns compiled once gives what smartypants gives."""

from __future__ import annotations

import re

import pytest
import smartypants as original
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.render import smarty
from publish.render.smarty import smartypants

SAMPLES = [
    "\"Hello,\" she said -- it's the '90s... and 'nested \"quotes\"'.",
    "<p>He wrote ``this'' and `that' --- <code>\"not this\"</code>.</p>",
    'Escaped \\"quotes\\" and \\-dashes\\- and \\.dots. . .',
    "<pre>'kept' as is</pre> 'but this' isn't.",
    '"\'Twas," he said. \'"Odd," I said.\' 5\' 10" tall.',
    "",
    "No quote, dash or dot here",
    "Only 'single' here",
    'Only "double" here',
    "Only -- a dash, and one \\ backslash",
    "Only ... dots",
    "<p>Tags <em>with</em> text and 'quotes' inside <a href=\"x\">links</a>.</p>",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_same_as_smartypants(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    attrs = smartypants.Attr.set2 | smartypants.Attr.u
    fast = smartypants.smartypants(text, attrs)
    assert smartypants.re is not re  # the shim is in place
    monkeypatch.setattr(original, "re", re)
    for name, step in smarty.ORIGINALS.items():  # every step runs, as in smartypants
        monkeypatch.setattr(original, name, step)
    assert fast == original.smartypants(text, attrs)


# markup.typography skips smartypants on a text without anything it would change.
TOKENS = [
    "word", " ", ".", ". ", "..", "...", ". . .", "-", "--", "---", "'", "''", '"', "`", "``",
    "\\", "&", "&amp;", "&#8220;", "&#82", "&quot;", "<p>", "</p>", "<code>", "</code>",
    '<a href="x">', "</a>", "<!-- c -->", "<pre>", "</pre>", "90s", "\n", "!", "?",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_typography_skips_only_what_smartypants_leaves_as_it_is(tokens: list[str]) -> None:
    from publish.render.markup import _SMARTY, typography

    text = "".join(tokens)
    assert typography(text) == smartypants.smartypants(text, _SMARTY)
    if not smarty.may_change(text):
        assert smartypants.smartypants(text, _SMARTY) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_the_guarded_steps_give_what_smartypants_gives(tokens: list[str]) -> None:
    text = "".join(tokens)
    attrs = smartypants.Attr.set2 | smartypants.Attr.u
    fast = smartypants.smartypants(text, attrs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(original, "re", re)
        for name, step in smarty.ORIGINALS.items():
            patch.setattr(original, name, step)
        assert fast == original.smartypants(text, attrs)
