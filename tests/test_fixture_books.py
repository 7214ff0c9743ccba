"""Every real blog export in ../shared/fixtures becomes a valid EPUB and a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from publish import Diagnostics, load_book, write_epub, write_pdf

from helpers import SHARED, assert_epubcheck_clean, fonts, outline

FIXTURES = SHARED / "fixtures"
EXPORTS = [
    "blogger/mowords-ghost-importer-blogger.xml",
    "blogger/kriscargile-blog-08-19-2012.xml",
    "blogger/pelican-bloggerexport.xml",
    "wordpress/wp-theme-unit-test-data.xml",
    "wordpress/pelican-wordpressexport.xml",
    "disqus/isso-disqus.xml",
    "jekyll-staticman/made-mistakes-jekyll",
    "../seed/000_1d4bf302df67dbd1.txt",
]

pytestmark = pytest.mark.shared


@pytest.mark.parametrize("export", EXPORTS, ids=[Path(e).stem for e in EXPORTS])
def test_export_builds_a_valid_epub_and_a_pdf(export: str, tmp_path: Path) -> None:
    source = FIXTURES / export
    if not source.exists():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (the project's own tests still run)")
    book = load_book(source, Diagnostics())
    epub = tmp_path / "book.epub"
    write_epub(book, epub, Diagnostics())
    assert_epubcheck_clean(epub)
    pdf = tmp_path / "book.pdf"
    result = write_pdf(book, pdf, Diagnostics())
    reader = PdfReader(pdf)
    assert len(reader.pages) == result.pages > 0
    assert all(fonts(reader).values())
    marks = [title for title, _ in outline(reader) if title != "Contents"]
    assert len(marks) == len([p for p in book.posts if not p.draft])
