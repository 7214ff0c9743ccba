"""Front matter of simple "key: value" lines is read without YAML's node tree
(``textfile._simple``): always as YAML reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.sources import textfile

KEYS = ["author", "date", "reply_to", "url", "on", "yes", "null", "a-b", "_x", "id", "title"]
VALUES = [
    "Ann Smith", "2006-01-05 10:07", "2006-01-05", '"0003"', "0003", "3", "1.5", "yes", "No",
    "~", "null", "https://e.org/~ann?x=1#top", "'single'", "'it''s'", '"say \\"hi\\""',
    "a: b", "x #c", "x#c", "-x", "- x", "x:", ":x", "[a, b]", "{a: 1}", "&a x", "*a", "!t x",
    "|", ">", "@x", "`x`", "%x", "Hello, world!", "a  b", "x ", "", "é ü", "=", "<<", ".inf",
    "0x1f", "+1", "1_000", "True", "Ünïcode: no", "?x", "? x", "a\tb", "a\x85b", "a\u2028b",
]  # fmt: skip


def _yaml(raw: str) -> tuple[object, dict[str, int]] | None:
    try:
        node, value = textfile._compose(raw)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    lines = {
        str(k.value): k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }
    return value, lines


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), min_size=1, max_size=5))
def test_simple_lines_read_as_yaml_reads_them(entries: list[tuple[str, str]]) -> None:
    raw = "".join(f"{key}: {value}\n" for key, value in entries)
    simple = textfile._simple(raw)
    if simple is not None:
        assert simple == _yaml(raw), raw


@pytest.mark.parametrize(
    "raw",
    ["author: Ann\ndate: 2006-01-05 10:07\n", 'reply_to: "0003"\nurl: https://e.org/~a\n'],
)
def test_the_usual_comment_front_matter_takes_the_short_way(raw: str) -> None:
    assert textfile._simple(raw) is not None


@pytest.mark.parametrize(
    "raw", ["a: yes\n", "a: 3\n", "on: x\n", "a: x #c\n", "a:\n  - b\n", "a: b\n\nc: d\n", "# c\n"]
)
def test_anything_else_goes_to_yaml(raw: str) -> None:
    assert textfile._simple(raw) is None


def test_a_document_read_the_short_way_has_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("---\nauthor: Ann\ndate: 2006-01-05 10:07\n---\nHello.\n", "utf-8")
    doc = textfile.parse_document(path)
    assert doc.meta == {"author": "Ann", "date": "2006-01-05 10:07"}
    assert doc.lines == {"author": 2, "date": 3}
    assert doc.body == "Hello.\n"
