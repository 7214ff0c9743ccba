"""EPUB accessibility, checked on real EPUBs by the rules the DAISY Ace checker applies.

Two books: the default one (every image has a text alternative, so the book claims
EPUB Accessibility 1.1 conformance), and a small German one with footnotes, an image
without alt text and an animated image (no conformance claim, a flashing hazard unknown).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from publish import Diagnostics, load_book, write_epub

from helpers import REPO, assert_epubcheck_clean, epub_names, epub_text, make_book

pytestmark = pytest.mark.xdist_group("epub")
OPF = "EPUB/content.opf"
NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# epub:type values and the DPUB-ARIA role Ace expects beside them.
MATCHING_ROLES = {
    "chapter": "doc-chapter",
    "noteref": "doc-noteref",
    "endnotes": "doc-endnotes",
    "backlink": "doc-backlink",
    "colophon": "doc-colophon",
    "toc": "doc-toc",
    "footnote": "doc-footnote",
    "part": "doc-part",
    "epigraph": "doc-epigraph",
}


@pytest.fixture(scope="module")
def default_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "default.epub"
    write_epub(load_book(REPO / "content"), out)
    return out


@pytest.fixture(scope="module")
def german_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("a11y-de") / "content"
    make_book(
        root,
        {
            "2021-03-01-fussnoten/index.md": (
                "---\ntitle: Fußnoten\n---\nEin Satz mit Fußnote.[^1]\n\n"
                "![](ohne-alt.png)\n\n![Ein blinkendes Bild](blinkt.gif)\n\n"
                "[^1]: Die Fußnote.\n"
            ),
            "2021-03-01-fussnoten/comments/1.md": (
                "---\nauthor: Leserin\ndate: 2021-03-02\n---\nDanke!\n"
            ),
        },
        'title = "Ein Buch"\nauthor = "Eine Autorin"\nlanguage = "de"\n',
    )
    folder = root / "posts" / "2021-03-01-fussnoten"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(folder / "ohne-alt.png")
    frames = [Image.new("RGB", (20, 20), (n * 80, 0, 0)) for n in (1, 2, 3)]
    frames[0].save(folder / "blinkt.gif", save_all=True, append_images=frames[1:], duration=100)
    out = root.parent / "german.epub"
    write_epub(load_book(root, Diagnostics()), out)
    return out


def _opf(path: Path) -> etree._Element:
    return etree.fromstring(epub_text(path, OPF).encode())


def _meta(path: Path, prop: str) -> list[str]:
    return [m.text or "" for m in _opf(path).findall(f".//opf:meta[@property='{prop}']", NS)]


def _documents(path: Path) -> dict[str, etree._Element]:
    return {
        name: etree.fromstring(epub_text(path, name).encode())
        for name in epub_names(path)
        if name.endswith(".xhtml")
    }


@pytest.mark.parametrize("book", ["default_epub", "german_epub"])
def test_epubcheck_clean(book: str, request: pytest.FixtureRequest) -> None:
    assert_epubcheck_clean(request.getfixturevalue(book))


def test_the_default_book_declares_and_claims_accessibility(default_epub: Path) -> None:
    assert _meta(default_epub, "schema:accessMode") == ["textual", "visual"]
    assert _meta(default_epub, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    features = _meta(default_epub, "schema:accessibilityFeature")
    for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"):
        assert feature in features
    assert _meta(default_epub, "schema:accessibilityHazard") == ["none"]
    [summary] = _meta(default_epub, "schema:accessibilitySummary")
    assert "table of contents" in summary and "WCAG 2.1 Level AA" in summary
    assert _meta(default_epub, "dcterms:conformsTo") == [
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    ]
    assert _meta(default_epub, "a11y:certifiedBy") == ["publish sample books"]


def test_no_conformance_claim_when_an_image_has_no_text_alternative(german_epub: Path) -> None:
    assert _meta(german_epub, "dcterms:conformsTo") == []
    assert "textual" not in _meta(german_epub, "schema:accessModeSufficient")
    assert "alternativeText" not in _meta(german_epub, "schema:accessibilityFeature")
    [summary] = _meta(german_epub, "schema:accessibilitySummary")
    assert "1 of its 2 images have no text alternative" in summary
    # the animated image: no sound, no motion simulation, flashing not known
    assert _meta(german_epub, "schema:accessibilityHazard") == [
        "noSoundHazard", "noMotionSimulationHazard", "unknownFlashingHazard",
    ]  # fmt: skip


@pytest.mark.parametrize(("book", "language"), [("default_epub", "en-US"), ("german_epub", "de")])
def test_every_document_and_the_package_say_their_language(
    book: str, language: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(book)
    assert _opf(path).get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert _opf(path).findtext(".//{http://purl.org/dc/elements/1.1/}language") == language
    docs = _documents(path)
    assert len(docs) >= 6
    for name, root in docs.items():
        assert root.get("lang") == language, name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language, name


@pytest.mark.parametrize("book", ["default_epub", "german_epub"])
def test_epub_types_have_matching_aria_roles(book: str, request: pytest.FixtureRequest) -> None:
    seen: set[str] = set()
    for name, root in _documents(request.getfixturevalue(book)).items():
        for el in root.iter():
            for epub_type in (el.get(EPUB_TYPE) or "").split():
                role = MATCHING_ROLES.get(epub_type)
                if role is None or (el.tag == f"{{{NS['h']}}}a" and epub_type == "toc"):
                    continue  # landmarks' links carry types, not roles
                seen.add(epub_type)
                assert el.get("role") == role, f"{name}: <{el.tag}> epub:type={epub_type}"
    assert {"chapter", "colophon", "toc", "noteref", "endnotes", "backlink"} <= seen


def test_footnotes_are_marked_as_notes(german_epub: Path) -> None:
    doc = epub_text(german_epub, "EPUB/text/chapter-001.xhtml")
    assert re.search(r'<a class="footnote-ref"[^>]*epub:type="noteref"', doc)
    assert re.search(
        r'<div class="footnote"[^>]*role="doc-endnotes"[^>]*aria-label="Anmerkungen"', doc
    )
    assert 'epub:type="endnote"' in doc


def test_images_carry_their_alt_text_and_none_lacks_the_attribute(
    default_epub: Path, german_epub: Path
) -> None:
    default = _documents(default_epub)
    [img] = default["EPUB/text/chapter-003.xhtml"].findall(".//h:img", NS)
    assert img.get("alt", "").startswith("A page of a commonplace book")
    [cover] = default["EPUB/text/cover.xhtml"].findall(".//h:img", NS)
    assert cover.get("alt") == "Cover: Notes from a Commonplace Blog, by The publish project"
    for docs in (default, _documents(german_epub)):
        for name, root in docs.items():
            for image in root.iter(f"{{{NS['h']}}}img"):
                assert image.get("alt") is not None, name


def test_navigation_has_contents_and_landmarks(german_epub: Path) -> None:
    nav = etree.fromstring(epub_text(german_epub, "EPUB/nav.xhtml").encode())
    toc = nav.find(".//h:nav[@epub:type='toc']", NS)
    assert toc is not None and toc.get("role") == "doc-toc"
    assert toc.findtext(".//h:h1", namespaces=NS) == "Inhalt"
    assert [a.text for a in toc.iterfind(".//h:a", NS)] == ["Fußnoten", "Impressum"]
    landmarks = nav.find(".//h:nav[@epub:type='landmarks']", NS)
    assert landmarks is not None and landmarks.get("hidden") == "hidden"
    types = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//h:a", NS)}
    assert types == {
        "cover": "text/cover.xhtml", "titlepage": "text/titlepage.xhtml",
        "toc": "text/contents.xhtml", "bodymatter": "text/chapter-001.xhtml",
    }  # fmt: skip


def test_one_h1_a_chapter_and_headings_in_order(default_epub: Path) -> None:
    for name, root in _documents(default_epub).items():
        if "/chapter-" not in name:
            continue
        levels = [
            int(el.tag[-1]) for el in root.iter() if re.fullmatch(r"\{.*\}h[1-6]", str(el.tag))
        ]
        assert levels[0] == 1 and levels.count(1) == 1, name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{name}: h{before} then h{after}"


PAGE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
    "<head><title>t</title></head><body>{}</body></html>\n"
)


def test_a_page_without_notes_or_images_comes_back_as_it_was() -> None:
    from publish.writers.accessibility import A11yFacts, semanticate

    facts = A11yFacts()
    page = PAGE.format("<p>Words, and a <a href='#x'>link</a>.</p>")
    assert semanticate(page, facts, lambda src: False, "Notes") is page
    assert facts == A11yFacts()
    with_both = PAGE.format(
        '<p>A note<a class="footnote-ref" href="#n">1</a>.</p><p><img src="a.png"/></p>'
    )
    marked = semanticate(with_both, facts, lambda src: False, "Notes")
    assert 'epub:type="noteref"' in marked and 'alt=""' in marked
    assert facts.images == 1 and facts.without_alt == ["a.png"]
