"""smartypants with its patterns compiled once gives what smartypants gives."""

from __future__ import annotations

import re

import pytest
import smartypants as original

from publish.render.smarty import smartypants

SAMPLES = [
    "\"Hello,\" she said -- it's the '90s... and 'nested \"quotes\"'.",
    "<p>He wrote ``this'' and `that' --- <code>\"not this\"</code>.</p>",
    'Escaped \\"quotes\\" and \\-dashes\\- and \\.dots. . .',
    "<pre>'kept' as is</pre> 'but this' isn't.",
    '"\'Twas," he said. \'"Odd," I said.\' 5\' 10" tall.',
    "",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_same_as_smartypants(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    attrs = smartypants.Attr.set2 | smartypants.Attr.u
    fast = smartypants.smartypants(text, attrs)
    assert smartypants.re is not re  # the shim is in place
    monkeypatch.setattr(original, "re", re)
    assert fast == original.smartypants(text, attrs)
