"""Accessibility of the EPUB: semantics in the documents, and metadata that describes them.

Each XHTML document passes through :func:`semanticate`, which gives the Markdown footnotes
their EPUB and DPUB-ARIA semantics (``noteref``, ``endnotes``, ``backlink``), makes sure
every image has an ``alt`` attribute, and counts what the metadata has to declare: the
images, those without a text alternative, the animated ones.

:func:`accessibility_metadata` then writes the schema.org properties of the EPUB
Accessibility 1.1 specification. The book claims conformance (``dcterms:conformsTo``) to
WCAG 2.1 AA only when every image carries a text alternative from its source; otherwise the
summary says how many do not, and ``publish check`` names them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_H = f"{{{XHTML}}}"


@dataclass
class A11yFacts:
    """What the documents hold that the accessibility metadata must describe."""

    images: int = 0
    without_alt: list[str] = field(default_factory=list)  # image file names
    animated: int = 0
    page_list: bool = False


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _mark(el: etree._Element, epub_type: str, role: str | None) -> None:
    el.set(EPUB_TYPE, epub_type)
    if role is not None:
        el.set("role", role)


def semanticate(
    page: str, facts: A11yFacts, is_animated: Callable[[str], bool], notes_label: str
) -> str:
    """One XHTML document with footnote semantics and ``alt`` on every image."""
    if "footnote" not in page and "<img" not in page:
        return page  # nothing to mark or count (most chapters): not parsed
    root = parse(page)
    changed = False
    for el in root.iter(f"{_H}a", f"{_H}div", f"{_H}img"):
        classes = _classes(el)
        if el.tag == f"{_H}a" and "footnote-ref" in classes:
            _mark(el, "noteref", "doc-noteref")
        elif el.tag == f"{_H}a" and "footnote-backref" in classes:
            _mark(el, "backlink", "doc-backlink")
        elif el.tag == f"{_H}div" and "footnote" in classes:
            _mark(el, "endnotes", "doc-endnotes")
            el.set("aria-label", notes_label)
            for note in el.iter(f"{_H}li"):
                note.set(EPUB_TYPE, "endnote")
        elif el.tag == f"{_H}img" and "cover-image" not in classes:
            facts.images += 1
            src = el.get("src") or ""
            if not (el.get("alt") or "").strip():
                facts.without_alt.append(src.rsplit("/", 1)[-1])
                el.set("alt", el.get("alt") or "")
            if is_animated(src):
                facts.animated += 1
        else:
            continue
        changed = True
    return serialize(root) if changed else page


def parse(page: str | bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(page.encode("utf-8") if isinstance(page, str) else page, parser)


def serialize(root: etree._Element) -> str:
    body = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{body}\n'


def animated(data: bytes, name: str) -> bool:
    """Whether an image has more than one frame (an animated GIF, PNG or WebP)."""
    if not name.lower().endswith((".gif", ".png", ".webp")):
        return False
    from PIL import Image  # here: most books have no such image, and a rebuild reads none

    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(getattr(image, "is_animated", False))
    except (OSError, ValueError, Image.DecompressionBombError):
        return False


def _summary(facts: A11yFacts, conforms: bool) -> str:
    parts = [
        "A book of blog posts, each a chapter, followed by its readers' comments as threaded"
        " sections. It has a table of contents, headings for every chapter and comment"
        " section, landmarks and a logical reading order; its text can be resized and"
        " restyled by the reading system."
    ]
    if facts.page_list:
        parts.append("Page-break markers and a page list give the print edition's pages.")
    if facts.images and not facts.without_alt:
        parts.append(f"Every image ({facts.images}) has a text alternative.")
    elif facts.without_alt:
        n = len(facts.without_alt)
        parts.append(
            f"{n} of its {facts.images} images have no text alternative, so the book does not"
            " claim WCAG conformance."
        )
    if conforms:
        parts.append("It meets EPUB Accessibility 1.1 at WCAG 2.1 Level AA.")
    if facts.animated:
        parts.append("Some images are animated; they have not been checked for flashing.")
    return " ".join(parts)


def accessibility_metadata(facts: A11yFacts, certifier: str) -> list[tuple[str, str]]:
    """``(property, value)`` pairs for the package document's ``<meta>`` elements."""
    conforms = not facts.without_alt
    modes = ["textual"] + (["visual"] if facts.images else [])
    sufficient = ["textual"] if conforms else []
    if facts.images:
        sufficient.append("textual,visual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    features += ["displayTransformability"]
    if facts.images and conforms:
        features.append("alternativeText")
    if facts.page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    hazards = (
        ["noSoundHazard", "noMotionSimulationHazard", "unknownFlashingHazard"]
        if facts.animated
        else ["none"]
    )
    meta = [("schema:accessMode", m) for m in modes]
    meta += [("schema:accessModeSufficient", s) for s in sufficient]
    meta += [("schema:accessibilityFeature", f) for f in features]
    meta += [("schema:accessibilityHazard", h) for h in hazards]
    meta.append(("schema:accessibilitySummary", _summary(facts, conforms)))
    if conforms:
        meta.append(("dcterms:conformsTo", CONFORMANCE))
        meta.append(("a11y:certifiedBy", certifier))
    return meta


def image_is_animated(images: dict[str, Path]) -> Callable[[str], bool]:
    """A test for ``src`` values of the EPUB's documents (``../images/NAME``)."""
    cache: dict[str, bool] = {}

    def test(src: str) -> bool:
        name = src.rsplit("/", 1)[-1]
        if name not in cache:
            path = images.get(name)
            cache[name] = path is not None and animated(path.read_bytes(), name)
        return cache[name]

    return test
