"""A post's simple comments converted in one go (publish.render.markup.joined_safe_html)
come out exactly as each converted alone (``to_safe_html``)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.model import Body
from publish.render.markup import joined_safe_html, to_safe_html

# Texts whose blocks could reach into the next text's if the join were careless: lists,
# quotations and headings at either end, rules, entities, breaks, blank lines.
SIMPLE = [
    "Plain words. Dr. Who said: yes, at 10:30.",
    "- one\n- two",
    "1. first\n2. second",
    "> quoted\n> more",
    "Heading\n=======",
    "Sub\n---",
    "---",
    "***",
    "# Atx heading",
    "A *b* **c** `d` [e](f) ![g](h) & a bare ampersand, Q&A",
    "Hard line  \nbreak  ",
    "\n\n\nBlank lines before and after\n\n\n",
    "- a list\n\nthen a paragraph\n\n- and a list again",
    "'Quotes' and \"doubles\" -- dashes --- and ... dots",
    "1986. A year that reads like a list.",
    "* star\n+ plus",
    ">",
    "#",
]
# Texts that must be left to the caller: raw HTML, autolinks, indented lines, link
# definitions, the extensions' marks, HTML bodies, empty ones.
NOT_TAKEN = [
    "<b>bold</b>",
    "<https://example.org>",
    "    code",
    "- item\n\n    continued",
    "[r]\n\n[r]: https://example.org",
    "a [^1]\n\n[^1]: n",
    "| a |\n|---|\n| b |",
    "Entities &amp; &copy; &#169;",
    "",
    "   ",
]


def _same(bodies: list[Body]) -> dict[int, str]:
    made = joined_safe_html(bodies)
    for n, html in made.items():
        assert html == to_safe_html(bodies[n]), bodies[n].text
    return made


def test_simple_texts_are_joined_and_each_comes_out_as_alone() -> None:
    bodies = [Body(text) for text in SIMPLE]
    assert set(_same(bodies)) == set(range(len(SIMPLE)))


@pytest.mark.parametrize("text", NOT_TAKEN)
def test_texts_that_could_reach_their_neighbours_are_left_alone(text: str) -> None:
    bodies = [Body("Before."), Body(text), Body("After.")]
    assert set(_same(bodies)) == {0, 2}


def test_html_bodies_are_left_alone() -> None:
    assert set(_same([Body("a"), Body("<p>b</p>", "html"), Body("c")])) == {0, 2}


def test_one_text_is_left_to_the_caller() -> None:
    assert joined_safe_html([Body("Only one.")]) == {}
    assert joined_safe_html([Body("One."), Body("<i>and html</i>")]) == {}


def test_unsafe_link_makes_the_caller_convert_all() -> None:
    """The sanitiser changes something: nothing is taken, so the caller's own conversion
    counts what it removed, as before."""
    bodies = [Body("[x](javascript:alert(1))"), Body("Fine.")]
    assert joined_safe_html(bodies) == {}


TOKENS = [
    "word", "words ", " ", "\n", "\n\n", "\n\n\n", "*", "**", "_", "`", "[", "]", "(", ")",
    "![", "&", "&amp;", "  \n", "> ", "- ", "* ", "+ ", "1. ", "2) ", "# ", "## ", "===\n",
    "---\n", "***\n", "](u)", "'", '"', "!", ":", "x: y", "~", "--", "...", "    ", "<b>",
    "&copy;", "&#169;", "Q&A", "\t", "\r\n",
]  # fmt: skip


@settings(max_examples=int(os.environ.get("JOIN_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=12), min_size=2, max_size=6))
def test_any_mix_comes_out_as_alone(texts: list[list[str]]) -> None:
    _same([Body("".join(tokens)) for tokens in texts])
