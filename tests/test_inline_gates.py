"""Python-Markdown with its inline tries gated gives what Python-Markdown gives."""

from __future__ import annotations

import os

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.render import inline_gates
from publish.render.markup import MARKDOWN_EXTENSIONS, _converter

SAMPLES = [
    "",
    "Plain words, and a second line\nwith nothing to match.",
    "*em* and **strong** and ***both***, _under_ and __double__, a * lone star and snake_case.",
    'A [link](https://example.org) and [a ref][r] and [r] and ![image](a.png "t").\n\n[r]: /x',
    "Code `*not em*` and ``two `ticks` `` and \\*escaped\\* and \\[not a link].",
    "Auto <https://example.org/a?b=c> and <me@example.org> and <span>html</span> <!-- c -->",
    "Entities &amp; &#169; &#x2014; and a bare & and < and >.",
    "Two spaces  \nmake a break; one space \ndoes not.",
    "A footnote[^1] and another[^two].\n\n[^1]: The note, with *em*.\n[^two]: `code`",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec, in *HTML*.",
    "Term\n: Definition with [a link](x) and *em*.",
    "| a | b |\n|---|---|\n| *x* | [y](z) |",
    "A paragraph {: .cls #id }\n\n# Heading {: #h }",
    "> quoted *em* and [link](u)\n>\n> - list *item*\n> - `code`",
    "1. one *a*\n2. two _b_\n\n    indented code *not em*",
    "```\nfenced *not em* [not link]\n```\n\nafter *em*",
    "[*em in link*](u) and *[link in em](u)* and **[_x_](y)**",
    "<div>block *html*</div>\n\ntext after",
    "Nested ***strong em* strong** and _a *b* c_ and *a _b_ c*",
    "Hard line  \nbreak with *em*  \nand `code`  \n",
]


def _stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


STOCK = _stock()


def _same(text: str) -> None:
    gated = _converter()
    assert gated.reset().convert(text) == STOCK.reset().convert(text)


def test_the_gates_fit_this_markdown() -> None:
    """If this fails, Python-Markdown's inline loop changed: check the copy in
    publish/render/inline_gates.py against it, then update ``_EXPECTED``."""
    assert inline_gates.fits(), markdown.__version__
    assert isinstance(_converter().treeprocessors["inline"], inline_gates.GatedInlineProcessor)


def test_every_pattern_of_this_markdown_is_gated() -> None:
    """Each inline pattern is recognised (a new one would only be tried always: slower)."""
    for pattern in _converter().inlinePatterns:
        assert inline_gates._needs(pattern), type(pattern).__name__


@pytest.mark.parametrize("text", SAMPLES)
def test_the_same_as_markdown(text: str) -> None:
    _same(text)


TOKENS = [
    "word", "words ", " ", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]",
    "(", ")", "![", "[^1]", "[^1]: note\n", "<", ">", "<b>", "</b>", "<https://e.org>",
    "<a@b.c>", "&", "&amp;", "&#38;", "  \n", "> ", "- ", "1. ", "    ", "# ", ": ", "|",
    "{: #x }", "*[W]: Word\n", "](u)", "[r]: /u\n", "~~~\n", "'", '"', "!", "@", "---\n",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_the_same_as_markdown_on_any_mix(tokens: list[str]) -> None:
    _same("".join(tokens))


def test_another_markdown_keeps_its_own_inline_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline_gates, "_EXPECTED", "0" * 16)
    converter = _stock()
    assert not inline_gates.install(converter)
    assert not isinstance(converter.treeprocessors["inline"], inline_gates.GatedInlineProcessor)


# The lean converter (publish.render.markup.converter_for): a text without the marks of
# the extensions it leaves out comes out as from the one with every extension.
LEAN_SAMPLES = [
    "Plain words. Dr. Who said: yes, and the time was 10:30.",
    "- one\n- two\n\n1. first\n2. second\n\n* star\n+ plus",
    "Term\nNot a definition: the colon is inside the line.",
    "> quoted\n> more: here\n\n    code: indented\n\nAfter.",
    "Heading\n=======\n\nSub\n---\n\n# Atx\n\n***\n\nA *b* **c** `d` [e](f) ![g](h) <i>j</i> &amp; <http://k.l>",
    "1. item\n\n    continued paragraph\n\n    - nested\n    - list",
    '[ref][r] and [r]\n\n[r]: http://example.org "Title"',
]
LEAN_TOKENS = [
    "word", "words ", " ", "\n", "\n\n", "*", "**", "_", "__", "`", "[", "]", "(", ")",
    "![", "<", ">", "<b>", "</b>", "<https://e.org>", "&", "&amp;", "  \n", "> ", "- ",
    "* ", "+ ", "1. ", "2) ", "    ", "\t", "# ", "## ", "===\n", "---\n", "***\n", "](u)",
    "[r]: /u\n", "'", '"', "!", ":", " : ", "x: y", "<div>", "</div>", "<!-- c -->", "^",
    "~", "~~", "``", "term\n", "-- ", "...",
]  # fmt: skip


def _same_lean(text: str) -> None:
    from publish.render import markup

    assert markup.converter_for(text) is markup._converter(True), text
    assert markup.markdown_to_html(text) == STOCK.reset().convert(text)


@pytest.mark.parametrize("text", LEAN_SAMPLES)
def test_the_lean_converter_gives_the_same(text: str) -> None:
    _same_lean(text)


@settings(max_examples=int(os.environ.get("LEAN_EXAMPLES", "400")), deadline=None)
@given(st.lists(st.sampled_from(LEAN_TOKENS), max_size=40))
def test_the_lean_converter_gives_the_same_on_any_mix(tokens: list[str]) -> None:
    text = "".join(tokens)
    from publish.render import markup

    if markup.needs_extensions(text):  # a ":" at a line's start, after "- " ...
        return
    _same_lean(text)


@pytest.mark.parametrize(
    "text",
    ["a [^1]\n\n[^1]: n", "| a |\n|---|\n| b |", "```\nx\n```", "~~~\nx\n~~~", "p {: #i }",
     "*[H]: x\n\nH", "T\n: d", "> T\n> : d", "- T\n\n    : d", "a \\| b"],
)  # fmt: skip
def test_the_marks_of_the_extensions_choose_the_full_converter(text: str) -> None:
    from publish.render import markup

    assert markup.converter_for(text) is markup._converter(False)
    assert markup.markdown_to_html(text) == STOCK.reset().convert(text)
