"""smartypants with its patterns compiled once gives what smartypants gives."""

from __future__ import annotations

import re

import pytest
import smartypants as original

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
