"""Python-Markdown's inline pass, skipping the patterns a text cannot match.

Python-Markdown tries each of its inline patterns (links, emphasis, code, entities,
HTML...) on every piece of text, in order; each try costs a few Python calls even when
the text has none of the characters the pattern starts with. Most of a blog's text has
none: in the 1,000-post bench blog the tries were a third of all Markdown time.

:class:`GatedInlineProcessor` is Python-Markdown's own inline processor with one change:
before trying a pattern it checks that the text holds a character string every match of
that pattern must contain (``[`` for links, ``*`` or ``_`` for emphasis, ``<`` for HTML and
autolinks...). A text without it cannot match, so skipping the try gives the same HTML.
Patterns are recognised by class and regular expression; any other pattern (another
Markdown version's, an extension's) is always tried, as before.

The loop is a copy of Python-Markdown's ``__handleInline`` with that check added, so it is
installed only when that method is the one it was copied from (:func:`fits`); another
Markdown keeps its own processor, and a test says when that happens.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

# Python-Markdown 3.11's __handleInline, whitespace-normalised, hashed (see fits()).
_EXPECTED = "c9dc9c43fd94bfdf"

# Python-Markdown 3.11's raw HTML: a tag, a comment, a processing instruction or CDATA.
_RAW_HTML = (
    "(<(\\/?+[a-zA-Z][^\\s\"'<>@]*+(?:\\s+[^\\s\"'=<>]++(?:\\s*+=\\s*+(?:\"[^\"]*+\"|'[^']*+'|[^"
    "\\s\"'=<>]++))?+)*+\\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\\[CDA"
    "TA\\[(?:(?!<!\\[CDATA\\[|\\]\\]>).)*\\]\\])>)"
)
# (processor class, its regular expression) -> strings one of which every match contains.
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    ("EscapeInlineProcessor", r"\\(.)"): ("\\",),
    ("FootnoteInlineProcessor", r"\[\^([^\]]*)\]"): ("[^",),
    ("ReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("LinkInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ImageInlineProcessor", r"\!\["): ("![",),
    ("ImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("ShortReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ShortImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("<",),
    ("AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    ("SubstituteTagInlineProcessor", r"  \n"): ("  \n",),
    ("HtmlInlineProcessor", _RAW_HTML): ("<",),  # every alternative follows its "<"
    ("HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    ("DelimiterProcessor", r"\*|_"): ("*", "_"),
}


def _needs(pattern: Any) -> tuple[str, ...]:
    """What a text must contain for ``pattern`` to match it; () when not known."""
    regex = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    if not isinstance(regex, str):
        return ()
    name = type(pattern).__name__
    found = _NEEDS.get((name, regex))
    if found is not None:
        return found
    return ()


def _fingerprint(source: str) -> str:
    lines = (line.strip() for line in source.splitlines())
    return hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()[:16]


def _original_source() -> str:
    return inspect.getsource(InlineProcessor._InlineProcessor__handleInline)  # type: ignore[attr-defined]


def fits() -> bool:
    """Whether this Python-Markdown's inline loop is the one copied below."""
    try:
        return _fingerprint(_original_source()) == _EXPECTED
    except (OSError, TypeError, AttributeError):
        return False


class GatedInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor; a pattern is tried only on text it could match."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._gates: list[tuple[Any, tuple[str, ...]]] = []

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        patterns = list(self.inlinePatterns)  # in order; registered anew since last run?
        if [pattern for pattern, _ in self._gates] != patterns:
            self._gates = [(pattern, _needs(pattern)) for pattern in patterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not isinstance(data, util.AtomicString):
            apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
            gates = self._gates
            startIndex = 0
            count = len(gates)
            while patternIndex < count:
                pattern, needs = gates[patternIndex]
                for need in needs:  # (a loop, not any(): this runs for every try)
                    if need in data:
                        break
                else:
                    if needs:
                        patternIndex += 1  # no match possible: as when the try fails
                        startIndex = 0
                        continue
                data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
                if not matched:
                    patternIndex += 1
        return data


def install(converter: markdown.Markdown) -> bool:
    """Put the gated processor in place of ``converter``'s inline pass, if it fits."""
    if not fits() or "inline" not in converter.treeprocessors:
        return False
    registry: Any = converter.treeprocessors  # its priorities are not public
    priority = next(item.priority for item in registry._priority if item.name == "inline")
    converter.treeprocessors.register(GatedInlineProcessor(converter), "inline", priority)
    return True
