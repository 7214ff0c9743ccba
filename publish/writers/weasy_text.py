"""The Pango set-up of a run of text made once per font and language, not once per layout.

WeasyPrint 70 makes a new Pango layout for every attempt at a line (two or three a line
while breaking it, another to justify it, one more to draw it), and ``Layout.setup`` first
builds everything around it again: a Pango context from the font map, its language and
direction, a font description from seven properties, the font features, and for
underlined text the font's metrics. That is some 80 µs a layout and 85,000 layouts in a
100-post book: about 5% of the time a page takes.

All of that depends only on the font configuration and these properties of the style
(:data:`KEYS`), and nothing changes it once made: WeasyPrint sets a context's properties
in ``setup`` only, and a layout copies the font description it is given. So
:func:`setup` makes it once for each such set of values, and each layout is made from it
as WeasyPrint's own makes it. The PDFs are byte for byte the same.

:func:`install` replaces ``Layout.setup`` only when its source, and the source of the
functions it calls, are the ones this was written from (WeasyPrint 70); another
WeasyPrint keeps its own. The made set-ups are kept per font configuration, and dropped
with it.
"""

from __future__ import annotations

import operator
import weakref
from typing import Any, NamedTuple

from publish.writers import weasy_source

try:  # WeasyPrint 70's; another keeps its own set-up (see install)
    from weasyprint.text import fonts, line_break
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
except ImportError:  # pragma: no cover - a WeasyPrint this was not written for
    fonts = line_break = None

# What Layout.setup reads of the style, itself and through get_font_description and the
# font_features call.
KEYS = (
    "direction",
    "font_language_override",
    "lang",
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
    "text_decoration_line",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)
_KEY = operator.itemgetter(*KEYS)  # one tuple of them, read in C
# SHA-256 of the source of Layout.setup, get_font_description and font_features in
# WeasyPrint 70, the code :func:`setup` does the work of.
SOURCES = "3a4e831b8f3d3c1e9497e9007666fa3e4c25d242ab5b1bac63c2032755b26f9a"
_installed: bool | None = None  # None: not tried yet
_original: Any = None


class Shared(NamedTuple):
    """What every layout of one font, language and direction is made from."""

    context: Any  # PangoContext, never changed once made
    description: Any  # PangoFontDescription (a layout takes a copy)
    language: Any  # PangoLanguage (interned by Pango)
    metrics: tuple[float, float, float, float, float] | None  # for decorated text
    features: Any  # PangoAttribute of the font features, or None


_made: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Shared]] = weakref.WeakKeyDictionary()


def _replaced() -> tuple[Any, ...]:
    """WeasyPrint's functions :func:`setup` does the work of (installed or not)."""
    own = _original or line_break.Layout.setup
    return (own, fonts.get_font_description, fonts.font_features)


def source_digest() -> str:
    """The digest :data:`SOURCES` is compared with: of this WeasyPrint's code."""
    return weasy_source.digest(*_replaced())


def fits() -> bool:
    """Whether this WeasyPrint's set-up is the one :func:`setup` does the work of."""
    if line_break is None or fonts is None:
        return False
    return weasy_source.matches(SOURCES, *_replaced())


def install() -> bool:
    """Replace ``Layout.setup`` (once, when it fits); whether it is in place."""
    global _installed, _original
    if _installed is None:
        _installed = fits()
        if _installed:
            _original = line_break.Layout.setup
            line_break.Layout.setup = setup
    return _installed


def _make(style: Any) -> Shared:
    """WeasyPrint's ``Layout.setup`` without the layout: the part that can be shared."""
    context = ffi.gc(
        pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref
    )
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    override = style["font_language_override"]
    if override != "normal":
        lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(override.lower(), override))
    elif style["lang"]:
        lang_p, lang = unicode_to_char_p(style["lang"])
    else:
        lang = None
        language = pango.pango_language_get_default()
    if lang:
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    description = fonts.get_font_description(style)
    metrics = None
    if style["text_decoration_line"] != "none":
        font_metrics = ffi.gc(
            pango.pango_context_get_metrics(context, description, language),
            pango.pango_font_metrics_unref,
        )
        metrics = (
            FROM_UNITS * pango.pango_font_metrics_get_ascent(font_metrics),
            FROM_UNITS * pango.pango_font_metrics_get_underline_position(font_metrics),
            FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(font_metrics),
            FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(font_metrics),
            FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(font_metrics),
        )
    features = fonts.font_features(
        style["font_kerning"],
        style["font_variant_ligatures"],
        style["font_variant_position"],
        style["font_variant_caps"],
        style["font_variant_numeric"],
        style["font_variant_alternates"],
        style["font_variant_east_asian"],
        style["font_feature_settings"],
    )
    attribute = None
    if features:
        settings = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        # WeasyPrint's own cache of these, which its set-up inserts into every layout.
        attribute = style.font_config.font_features.setdefault(
            settings, pango.pango_attr_font_features_new(settings)
        )
    return Shared(context, description, language, metrics, attribute)


def shared(style: Any) -> Shared | None:
    """The set-up for ``style``'s font, language and direction; None if the style has a
    value this cannot key on."""
    try:
        key = _KEY(style)
        made = _made.setdefault(style.font_config, {})
        found = made.get(key)
    except TypeError:  # unhashable, or a font configuration that cannot be weakly held
        return None
    if found is None:
        found = made[key] = _make(style)
    return found


def setup(self: Any, style: Any) -> None:
    """``Layout.setup`` from the shared set-up: the same layout, made faster."""
    made = shared(style)
    if made is None:
        _original(self, style)
        return
    self.style = style
    self.first_line_direction = 0
    self.language = made.language
    self.layout = ffi.gc(pango.pango_layout_new(made.context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, made.description)
    if made.metrics is None:
        self.ascent = self.underline_position = self.strikethrough_position = None
    else:
        (
            self.ascent,
            self.underline_position,
            self.strikethrough_position,
            self.underline_thickness,
            self.strikethrough_thickness,
        ) = made.metrics
    if made.features is not None:
        attributes = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attributes, made.features)
        pango.pango_layout_set_attributes(self.layout, attributes)
