"""Characters the book face cannot draw: they would print in a fallback face, or as boxes."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from publish.check.context import Context
from publish.render.templates import default_styles_dir

BOOK_FACE = "Linux Libertine"
# Characters that are never drawn: layout controls, joiners, variation selectors.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Mn"}


@cache
def book_face_cmap(path: Path | None = None) -> frozenset[int]:
    """The code points the regular book face has glyphs for."""
    font_path = path or default_styles_dir() / "fonts" / "LinLibertine_R.otf"
    font = TTFont(str(font_path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def missing(text: str, cmap: frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` the face has no glyph for, in order of appearance."""
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) in cmap or char in seen or char.isspace():
            continue
        if unicodedata.category(char) in _INVISIBLE and char not in "\u00ad":
            continue
        seen[char] = None
    return list(seen)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return f"'{char}' (U+{ord(char):04X} {name})"


def check_glyphs(context: Context) -> None:
    cmap = book_face_cmap()
    book = context.book
    toml = book.root / "book.toml" if book.root is not None else None
    for key in ("title", "subtitle", "author", "description"):
        value = getattr(book, key)
        for char in missing(value or "", cmap):
            context.report(
                "missing-glyph",
                f"{_describe(char)} in the book's {key} is not in the book face, {BOOK_FACE}",
                toml,
                context.line_of(toml, char, body_only=False) if toml and toml.is_file() else None,
            )
    for text in context.texts():
        head = text.post.title if text.comment is None else text.comment.author
        words = f"{head}\n{text.tree.text_content()}"
        for char in missing(words, cmap):
            context.report(
                "missing-glyph",
                f"{_describe(char)} is not in the book face, {BOOK_FACE}:"
                " it will print in another face, or not at all",
                text.source,
                context.line_of(text.source, char, body_only=False),
            )
