"""The Jinja2 environment, and where styles come from.

A book may override any template with a file of the same name in ``<content>/templates/``
and any stylesheet with one in ``<content>/styles/``; ``<content>/styles/extra.css``, when
present, is added after the defaults.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.meta

from publish.model import Book

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_styles_dir() -> Path:
    """``styles/`` at the top of a checkout, or the copy inside an installed wheel."""
    bundled = PACKAGE_DIR / "_styles"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / "styles"


def style_path(book: Book, name: str) -> Path:
    if book.root is not None:
        mine = book.root / "styles" / name
        if mine.is_file():
            return mine
    return default_styles_dir() / name


def stylesheets(book: Book, names: tuple[str, ...]) -> list[Path]:
    """The stylesheets for one output, the book's overrides taking the defaults' place."""
    paths = [style_path(book, name) for name in names]
    if book.root is not None and (book.root / "styles" / "extra.css").is_file():
        paths.append(book.root / "styles" / "extra.css")
    return paths


def environment(book: Book) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if book.root is not None and (book.root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(book.root / "templates"))
    loaders.append(jinja2.FileSystemLoader(PACKAGE_DIR / "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def mentions(env: jinja2.Environment, name: str, word: str) -> bool:
    """Whether ``word`` is in template ``name`` or in any it extends, includes or imports
    (a name given by an expression, which cannot be followed, counts as a mention)."""
    loader = env.loader
    assert loader is not None
    seen = {name}
    waiting = [name]
    while waiting:
        source = loader.get_source(env, waiting.pop())[0]
        if word in source:
            return True
        for found in jinja2.meta.find_referenced_templates(env.parse(source)):
            if found is None:
                return True
            if found not in seen:
                seen.add(found)
                waiting.append(found)
    return False
