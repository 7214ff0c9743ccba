"""``publish check``: a lint over a book's content, with stable codes, files and lines.

Like the Standard Ebooks ``se lint``, one module per family of rules:

- ``structure``: empty posts and comments, titles used twice (by posts, pages of matter,
  parts);
- ``media``: links to posts not in the book, alt text, image files, resolution for print;
- ``glyphs``: characters the book face cannot draw;
- ``loading``: what reading the content finds (a reply whose parent is missing, and every
  error and warning of the loader), without stopping at the first.

The rules on bodies read every text the book prints: posts, comments, and the front and
back matter (``content/front``, ``content/back``: a dedication, a foreword, appendices...).

``check_book`` returns the findings; :data:`CODES` lists every code with its severity.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from publish.check.context import Context
from publish.check.findings import CODES, Finding, Severity
from publish.check.glyphs import check_glyphs
from publish.check.loading import load_leniently, warnings_as_findings
from publish.check.media import check_images, check_links
from publish.check.structure import check_duplicate_titles, check_empty, check_part_titles
from publish.errors import Diagnostics
from publish.model import Book

__all__ = ["CODES", "RULES", "Finding", "Severity", "check_book"]

RULES: tuple[Callable[[Context], None], ...] = (
    check_empty,
    check_duplicate_titles,
    check_part_titles,
    check_links,
    check_images,
    check_glyphs,
)


def check_book(source: str | Path | Book, diagnostics: Diagnostics | None = None) -> list[Finding]:
    """Every problem found in ``source`` (a content folder, an export, or a loaded Book).

    Findings come in the order of the files they name (book-wide ones first), then by line.
    ``diagnostics`` collects the loader's warnings (they are findings too).
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    if isinstance(source, Book):
        book: Book | None = source
        found: list[Finding] = []
    else:
        book, found = load_leniently(Path(source), diagnostics)
    if book is None:
        return found
    context = Context(book)
    context.findings.extend(found)
    warnings_as_findings(diagnostics, context)
    for rule in RULES:
        rule(context)
    unique = list(dict.fromkeys(context.findings))
    return sorted(unique, key=lambda f: (str(f.file or ""), f.line or 0))
