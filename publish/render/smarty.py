"""smartypants, with its patterns compiled once.

smartypants (the maintained Python port of SmartyPants) calls ``re.sub`` and
``re.compile`` with pattern strings each time it meets a piece of text: some 250 calls a
comment, a quarter of a million for a book of a thousand posts. Each goes through
``re``'s pattern cache, whose bookkeeping cost more than a tenth of an EPUB build's
rendering. Here smartypants sees a ``re`` whose ``compile`` remembers every pattern in a
dict and whose ``sub`` and ``match`` use it: the same patterns, the same results. And
its steps skip a text without the characters they change (see ``NEEDED``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import smartypants

__all__ = ["may_change", "smartypants"]


class _CompiledOnce(ModuleType):
    """``re`` as smartypants uses it, every pattern compiled once."""

    def __init__(self) -> None:
        super().__init__("re")
        mine = {"compile", "sub", "match"}
        self.__dict__.update(
            (k, v) for k, v in vars(re).items() if not k.startswith("__") and k not in mine
        )
        self.compile = functools.cache(re.compile)

    def sub(
        self, pattern: str, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0,
        flags: int = 0,
    ) -> str:  # fmt: skip
        return self.compile(pattern, flags).sub(repl, string, count)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self.compile(pattern, flags).match(string)


# Each step smartypants takes on a piece of text (a dozen patterns for quotes alone)
# changes only the characters it is named for; a text without them is left as it is
# without running the patterns (most pieces of text have no quote, dash or ellipsis).
NEEDED = {
    "process_escapes": ("\\",),
    "convert_dashes": ("--",),
    "convert_dashes_oldschool": ("--",),
    "convert_dashes_oldschool_inverted": ("--",),
    "convert_ellipses": ("...", ". . ."),
    "convert_backticks": ("``", "''"),
    "convert_single_backticks": ("`", "'"),
    "convert_quotes": ("'", '"'),
    # The character references the steps write (&#8211; to &#8230;) turned into characters.
    "convert_entities": ("&#82",),
}
# A text with none of these, tags included, comes out as it went in.
_ANY_NEEDED = tuple({n for needles in NEEDED.values() for n in needles})
ORIGINALS: dict[str, Callable[..., str]] = {}


def may_change(text: str) -> bool:
    """Whether smartypants could change ``text`` (else it need not be tokenised at all)."""
    return any(needle in text for needle in _ANY_NEEDED)


def _only_when_needed(name: str, needles: tuple[str, ...]) -> Callable[..., str]:
    step = ORIGINALS[name]
    if len(needles) == 1:  # most steps: one test, no loop (this runs for every text)
        (needle,) = needles

        def guarded_by_one(text: str, *args: Any) -> str:
            return step(text, *args) if needle in text else text

        return guarded_by_one

    def guarded(text: str, *args: Any) -> str:
        for needle in needles:
            if needle in text:
                return step(text, *args)
        return text

    return guarded


def _install() -> None:
    if smartypants.re is re:  # smartypants uses no other name for it
        shim: Any = _CompiledOnce()
        smartypants.re = shim
    for name, needles in NEEDED.items():
        if name not in ORIGINALS:
            ORIGINALS[name] = getattr(smartypants, name)
            setattr(smartypants, name, _only_when_needed(name, needles))


_install()
