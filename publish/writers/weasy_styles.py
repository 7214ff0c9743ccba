"""Each stylesheet of a PDF build parsed once per process, not once per document.

A chaptered build lays out hundreds of WeasyPrint documents that all link the same few
stylesheets and carry the same ``<style>`` texts. WeasyPrint makes a ``CSS`` for every
one of them in every document (``find_stylesheets``: reading, tinycss2 parsing, the
``@font-face`` fonts loaded into a new ``FontConfiguration``): some 5 % of a worker's
time, for the same result every time.

Here, within :func:`shared` (around the layout in :mod:`publish.writers.pdf_worker`),
the two ``CSS(...)`` calls of ``find_stylesheets`` go through :func:`_css`, which parses
a sheet once and gives every later document the same result: the parsed rules (a
``cssselect2.Matcher``, read only once made, as WeasyPrint's own user-agent sheets are
shared by all documents) in a new ``CSS`` object tied to that document's lists, and again
every side effect the parse had on the document, recorded the first time:

- the ``@page`` and margin rules it appended to ``page_rules``;
- the layers list as it left it (``@layer``; the list it found is in the key);
- the ``@counter-style`` rules it set in ``counter_style`` (the names it found are in the
  key: a rule named ``decimal`` or ``disc`` depends on them);
- its ``@font-face`` rules, added again to the document's font configuration (which
  returns at once when it is the process's own, see below: the font is loaded there);
- what it logged (WeasyPrint's warnings become the book's), in order with the fonts.

The key is what the parse reads: the sheet's URL and its file's size and time (or the
``<style>`` text and its base URL), the media type, the fetcher's allowed folders, and
the layers and counter style names the document had so far. Anything else is parsed by
WeasyPrint as always: another fetcher, an ``@import`` (parsed inside its sheet's parse,
so recorded with it), other arguments, a sheet with ``var()`` values (their objects
keep whether they reported an error), one that defines a ``@color-profile`` (its object
keeps a PDF reference), and every document outside :func:`shared` (the one-document
build, the cover). :func:`install` replaces ``weasyprint.css.CSS`` only when
``find_stylesheets`` calls it exactly as this WeasyPrint does.

The process also keeps one ``FontConfiguration`` for all its documents, as WeasyPrint
documents for ``CSS`` objects shared between documents: the book's fonts are found and
loaded once (a font a document declares stays declared for the build's later documents;
all of a build's documents have the same stylesheets). The sheets and the fonts belong to
one build (:func:`new_build`, and a new scope for other render settings): a build never
sees another's fonts or styles. Worker processes forked from one that filled them
(:func:`warm`) inherit both. A process removes the fonts' temporary folder it made when it
ends, or when its scope is dropped.
"""

from __future__ import annotations

import ast
import copy
import inspect
import logging
import multiprocessing.util
import os
import textwrap
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import weasyprint
import weasyprint.css
from lxml import html as lxml_html
from weasyprint.css.tokens import Pending
from weasyprint.text.fonts import FontConfiguration

from publish.writers.fetch import LocalOnlyFetcher

_OUTPUTS = ("font_config", "counter_style", "color_profiles", "page_rules", "layers")
_URL = frozenset({"url", "url_fetcher", "media_type", "_check_mime_type", *_OUTPUTS})
_STRING = frozenset({"string", "base_url", "url_fetcher", "media_type", *_OUTPUTS})
_ATTRIBUTES = frozenset({"base_url", "matcher", "page_rules", "layers"})  # of a CSS
_CSS: Any = weasyprint.CSS
_MISSING = object()
ENABLED = True  # False: every document parses its sheets with a font configuration its own
_installed: bool | None = None  # None: not tried yet


@dataclass
class _Parsed:
    """A sheet as parsed, and what the parse did to the document besides."""

    sheet: Any  # its matcher and base URL are shared; its lists are set per document
    page_rules: tuple[Any, ...]  # appended
    layers: list[str]  # the whole list after
    counter_styles: dict[str, Any]  # set
    events: tuple[tuple[str, Any], ...]  # ("font", descriptors) | ("log", record), in order


@dataclass
class _Scope:
    """The sheets parsed and the font configuration of one build, in one process tree."""

    owner: Hashable
    pid: int = field(default_factory=os.getpid)
    sheets: dict[tuple[Any, ...], _Parsed] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    fonts: list[FontConfiguration] = field(default_factory=list)  # one, once asked for

    def font_config(self) -> FontConfiguration:
        if not self.fonts:
            self.fonts.append(FontConfiguration())
            # Closed when the process that made it ends (a forked child skips its
            # parent's), if the scope is not dropped before.
            multiprocessing.util.Finalize(self, _close, (self.fonts, self.pid), exitpriority=0)
        return self.fonts[0]


def _close(fonts: list[FontConfiguration], pid: int) -> None:
    """Remove the folder of the fonts loaded (WeasyPrint's own clean-up, which otherwise
    waits for the configuration's last document to be collected: a forked process ends
    without that). Never a forked parent's."""
    if pid == os.getpid():
        for font_config in fonts:
            font_config.__del__()
    fonts.clear()


_SCOPE: _Scope | None = None
_ACTIVE: _Scope | None = None  # while a document of ours is styled
_INHERITED: list[_Scope] = []  # a forked parent's scopes, never dropped here (its fonts)


def install() -> bool:
    """Put :func:`_css` in ``find_stylesheets``' way (once); whether it is in place."""
    global _installed
    if _installed is None:
        _installed = _fits()
        if _installed:
            weasyprint.css.CSS = _css
    return _installed


def _fits() -> bool:
    """Whether ``find_stylesheets`` makes its sheets with the two calls known here."""
    if weasyprint.css.CSS is not _CSS:
        return False
    try:
        source = textwrap.dedent(inspect.getsource(weasyprint.css.find_stylesheets))
    except (OSError, TypeError):
        return False
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "CSS"
    ]
    shapes = {frozenset(k.arg for k in call.keywords) for call in calls if not call.args}
    parameters = inspect.signature(_CSS).parameters
    known = all(name in parameters for name in (*_URL, *_STRING, "matcher"))
    return len(calls) == 2 and shapes == {_URL, _STRING} and known


def new_build() -> None:
    """Forget the sheets and fonts of builds before (a build's first step)."""
    global _SCOPE
    _drop()
    _SCOPE = None


def _drop() -> None:
    if _SCOPE is None:
        return
    if _SCOPE.pid != os.getpid():
        _INHERITED.append(_SCOPE)  # its fonts are the parent's, and its folder
    else:
        _close(_SCOPE.fonts, _SCOPE.pid)


def _scope(owner: Hashable) -> _Scope:
    global _SCOPE
    if _SCOPE is None or _SCOPE.owner != owner:
        _drop()
        _SCOPE = _Scope(owner)
    return _SCOPE


@contextmanager
def shared(owner: Hashable) -> Iterator[FontConfiguration | None]:
    """Within: sheets parsed once for the build of ``owner`` (its render settings); gives
    the font configuration to lay the document out with (None when not ``ENABLED``)."""
    global _ACTIVE
    if not ENABLED:
        yield None
        return
    scope = _scope(owner)
    _ACTIVE = scope if install() else None
    try:
        yield scope.font_config()
    finally:
        _ACTIVE = None


def warm(html: str, base_url: str, fetcher: LocalOnlyFetcher, owner: Hashable) -> None:
    """Parse the sheets of ``html`` (a document of the build) now, without laying it
    out: processes forked after this find them parsed, and the fonts loaded. Only its
    ``<head>`` is styled (a sheet in the body is parsed by the first document with it)."""
    with shared(owner) as font_config:
        if font_config is None:
            return
        root: Any = lxml_html.document_fromstring(html)
        root.body.clear()
        head = lxml_html.tostring(root, encoding="unicode")
        document = weasyprint.HTML(string=head, base_url=base_url, url_fetcher=fetcher)
        counter_style = weasyprint.css.counters.CounterStyle()
        weasyprint.css.get_all_computed_styles(
            document, [], False, font_config, counter_style, {}, [], [], None, False
        )


def counts() -> tuple[int, int]:
    """Sheets taken from the cache and sheets parsed, in this process's current scope."""
    return (_SCOPE.hits, _SCOPE.misses) if _SCOPE is not None else (0, 0)


def _css(*args: Any, **kwargs: Any) -> Any:
    """``weasyprint.css.CSS`` once installed: :class:`weasyprint.CSS`, through the cache
    for the calls of ``find_stylesheets`` while a document of ours is styled."""
    scope = _ACTIVE
    key = _key(kwargs) if scope is not None and not args else None
    if scope is None or key is None:
        return _CSS(*args, **kwargs)
    parsed = scope.sheets.get(key)
    if parsed is None:
        scope.misses += 1
        return _parse(scope, key, kwargs)
    scope.hits += 1
    return _replay(parsed, kwargs)


def _key(kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """What the parse reads; None for a call not known here."""
    fetcher = kwargs.get("url_fetcher")
    lists = [kwargs.get(name) for name in ("page_rules", "layers")]
    dicts = [kwargs.get(name) for name in ("counter_style", "color_profiles")]
    if (
        type(fetcher) is not LocalOnlyFetcher
        or kwargs.get("font_config") is None
        or not all(isinstance(value, list) for value in lists)
        or not all(isinstance(value, dict) for value in dicts)
    ):
        return None
    layers, counter_style = tuple(kwargs["layers"]), tuple(kwargs["counter_style"])
    state = (kwargs["media_type"], tuple(fetcher.roots), layers, counter_style)
    names = frozenset(kwargs)
    if names == _URL and kwargs["_check_mime_type"] is True and isinstance(kwargs["url"], str):
        path = fetcher.allowed(kwargs["url"])
        try:
            stat = path.stat() if path is not None else None
        except OSError:
            stat = None
        if stat is None:
            return None  # refused or gone: WeasyPrint says so
        return ("url", kwargs["url"], stat.st_size, stat.st_mtime_ns, *state)
    if names == _STRING and isinstance(kwargs["string"], str):
        base_url = kwargs["base_url"]
        if base_url is None or isinstance(base_url, str):
            return ("string", kwargs["string"], base_url, *state)
    return None


class _Matcher(weasyprint.cssselect2.Matcher):  # type: ignore[misc]
    """cssselect2's matcher (as WeasyPrint imports it), noting the rules it was given
    (to look for ``var()``)."""

    def __init__(self) -> None:
        super().__init__()
        self.payloads: list[Any] = []

    def add_selector(self, selector: Any, payload: Any) -> None:
        self.payloads.append(payload)
        super().add_selector(selector, payload)


class _Recorder:
    """The document's font configuration, as the parse sees it: its fonts noted."""

    def __init__(self, font_config: Any, events: list[tuple[str, Any]]) -> None:
        self.font_config = font_config
        self.events = events
        self.known = True  # only add_font_face was asked for
        self.adding = False

    def add_font_face(self, descriptors: Any, url_fetcher: Any) -> Any:
        self.events.append(("font", descriptors))
        self.adding = True  # its messages come again with it
        try:
            return self.font_config.add_font_face(descriptors, url_fetcher)
        finally:
            self.adding = False

    def __getattr__(self, name: str) -> Any:
        self.known = False
        return getattr(self.font_config, name)


class _Listen(logging.Handler):
    def __init__(self, recorder: _Recorder) -> None:
        super().__init__(logging.NOTSET)
        self.recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        if not self.recorder.adding:
            self.recorder.events.append(("log", record))


def _parse(scope: _Scope, key: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """WeasyPrint's parse, with what it does to the document recorded."""
    page_rules, layers = kwargs["page_rules"], kwargs["layers"]
    counter_style, color_profiles = kwargs["counter_style"], kwargs["color_profiles"]
    rules_before, counters_before = list(page_rules), dict(counter_style)
    profiles_before = dict(color_profiles)
    events: list[tuple[str, Any]] = []
    recorder = _Recorder(kwargs["font_config"], events)
    matcher = _Matcher()
    logger = logging.getLogger("weasyprint")
    listen = _Listen(recorder)
    logger.addHandler(listen)
    try:
        sheet = _CSS(**{**kwargs, "font_config": recorder, "matcher": matcher})
    finally:
        logger.removeHandler(listen)
    kept = (
        recorder.known
        and set(vars(sheet)) == _ATTRIBUTES
        and sheet.matcher is matcher
        and len(page_rules) >= len(rules_before)
        and all(a is b for a, b in zip(rules_before, page_rules, strict=False))
        and counters_before.keys() <= counter_style.keys()
        and color_profiles == profiles_before
        and _plain(matcher.payloads, page_rules[len(rules_before) :])
    )
    if kept:
        template = copy.copy(sheet)
        template.page_rules, template.layers = [], []
        counters = {
            name: value
            for name, value in counter_style.items()
            if counters_before.get(name, _MISSING) is not value
        }
        added = tuple(page_rules[len(rules_before) :])
        scope.sheets[key] = _Parsed(template, added, list(layers), counters, tuple(events))
    return sheet


def _plain(payloads: list[Any], page_rules: list[Any]) -> bool:
    """Whether the rules are as known here, with no value waiting for ``var()``."""
    declarations = []
    for payload in payloads:
        if not (isinstance(payload, tuple) and len(payload) == 2):
            return False
        declarations.append(payload[0])
    for rule in page_rules:
        if not (isinstance(rule, tuple) and len(rule) == 3):
            return False
        declarations.append(rule[2])
    for block in declarations:
        for declaration in block:
            if not (isinstance(declaration, tuple) and len(declaration) == 3):
                return False
            if isinstance(declaration[1], Pending):
                return False
    return True


def _replay(parsed: _Parsed, kwargs: dict[str, Any]) -> Any:
    """The sheet for this document, and what its parse did to the document."""
    kwargs["page_rules"].extend(parsed.page_rules)
    kwargs["layers"][:] = parsed.layers
    kwargs["counter_style"].update(parsed.counter_styles)
    for kind, event in parsed.events:
        if kind == "font":
            kwargs["font_config"].add_font_face(event, kwargs["url_fetcher"])
        else:
            logger = logging.getLogger(event.name)
            if logger.isEnabledFor(event.levelno):
                logger.handle(event)
    sheet = copy.copy(parsed.sheet)
    sheet.page_rules, sheet.layers = kwargs["page_rules"], kwargs["layers"]
    return sheet
