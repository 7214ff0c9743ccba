"""Markers' and notes' styles made for the elements that show them, not for every element.

WeasyPrint 70's stylesheet for HTML gives six pseudo-elements to every element:
``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-call``,
``::note-marker`` and ``::note-callback``. ``StyleFor`` makes a computed style for each
of them, for every element of the document, as soon as the cascade is done; a paragraph
shows none of them, and only a list item or a footnote ever asks for one. In a book that
is six styles made for nothing an element: some 2% of a page's time.

:func:`set_computed_styles` keeps what such a style needs (its cascaded values, its
element's parent, the root and base URL) and makes it when it is first asked for
(:func:`style_for`), exactly as it would have been made: every value of a computed style
is worked out when it is first read anyway, and its element's style, which it inherits
from, is made before it either way. Only the ``anchor`` property was read at once (for
the anchors a document holds); a style whose cascade sets it is made at once, as before.
The PDFs are byte for byte the same.

:func:`install` puts both in place only when the source of the methods they replace, and
of ``StyleFor.__init__`` that calls them, is the one this was written from (WeasyPrint
70); another WeasyPrint keeps its own.
"""

from __future__ import annotations

from typing import Any

from publish.writers import weasy_source

try:  # WeasyPrint 70's; another keeps its own (see install)
    from weasyprint.css import StyleFor
except ImportError:  # pragma: no cover - a WeasyPrint this was not written for
    StyleFor = None

# The pseudo-elements WeasyPrint's stylesheet for HTML gives to every element.
LAZY = frozenset(
    {"marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"}
)
# SHA-256 of the source of StyleFor.__init__, StyleFor.__call__ and
# StyleFor.set_computed_styles in WeasyPrint 70.
SOURCES = "a61221780f68b1ede6c00dbd5f2fbb279f161dd69e3cd1e4c61ace0df502ec86"
_installed: bool | None = None  # None: not tried yet
_original: tuple[Any, Any] | None = None  # WeasyPrint's set_computed_styles and __call__


def _replaced() -> tuple[Any, ...]:
    set_styles, call = _original or (StyleFor.set_computed_styles, StyleFor.__call__)
    return (StyleFor.__init__, call, set_styles)


def source_digest() -> str:
    """The digest :data:`SOURCES` is compared with: of this WeasyPrint's code."""
    return weasy_source.digest(*_replaced())


def fits() -> bool:
    """Whether this WeasyPrint's ``StyleFor`` is the one this was written for."""
    return StyleFor is not None and weasy_source.matches(SOURCES, *_replaced())


def install() -> bool:
    """Put :func:`set_computed_styles` and :func:`style_for` in place (once, when they
    fit); whether they are."""
    global _installed, _original
    if _installed is None:
        _installed = fits()
        if _installed:
            _original = (StyleFor.set_computed_styles, StyleFor.__call__)
            StyleFor.set_computed_styles = set_computed_styles
            StyleFor.__call__ = style_for
    return _installed


def set_computed_styles(
    self: Any,
    element: Any,
    parent: Any,
    root: Any = None,
    pseudo_type: str | None = None,
    base_url: str | None = None,
    target_collector: Any = None,
) -> None:
    """``StyleFor.set_computed_styles``, a marker's or a note's style left until it is
    asked for (unless its cascade sets an anchor, which is collected now)."""
    if pseudo_type in LAZY:
        cascaded = self._cascaded_styles.get((element, pseudo_type), {})
        if "anchor" not in cascaded:
            pending = self.__dict__.setdefault("_publish_pending", {})
            pending[element, pseudo_type] = (parent, root, base_url, cascaded)
            return
    assert _original is not None
    _original[0](self, element, parent, root, pseudo_type, base_url, target_collector)


def style_for(self: Any, element: Any, pseudo_type: str | None = None) -> Any:
    """``StyleFor.__call__``: a marker's or a note's style is made when first asked for,
    as ``set_computed_styles`` would have made it."""
    assert _original is not None
    if pseudo_type in LAZY:
        pending = self.__dict__.get("_publish_pending")
        found = pending.pop((element, pseudo_type), None) if pending else None
        if found is not None:
            parent, root, base_url, cascaded = found
            key = (element, pseudo_type)
            self._cascaded_styles[key] = cascaded  # (cleared once the cascade was done)
            try:
                _original[0](self, element, parent, root, pseudo_type, base_url, None)
            finally:
                del self._cascaded_styles[key]
    return _original[1](self, element, pseudo_type)
