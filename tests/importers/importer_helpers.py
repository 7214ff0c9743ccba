"""Helpers for the importer tests: sample paths, an import call, thread shapes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.errors import Diagnostics
from publish.model import Book, Comment, Post
from publish.sources.importers import ImportReport, import_export

DATA = Path(__file__).resolve().parents[1] / "importers_data"
SAME_BLOG = DATA / "same-blog"
OTHER = DATA / "other"
# ../shared/fixtures relative to the repository root.
FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_1d4bf302df67dbd1.txt"


@dataclass
class Imported:
    book: Book
    report: ImportReport
    diagnostics: Diagnostics

    def post(self, title: str) -> Post:
        matches = [p for p in self.book.posts if p.title == title]
        assert len(matches) == 1, f"{title!r} in {[p.title for p in self.book.posts]}"
        return matches[0]

    def codes(self) -> list[str]:
        return [w.code for w in self.diagnostics.warnings]


def run_import(path: Path, **options: bool) -> Imported:
    diagnostics = Diagnostics()
    book, report = import_export(path, diagnostics, **options)
    return Imported(book, report, diagnostics)


def shape(comments: tuple[Comment, ...]) -> list[Any]:
    """A thread's shape: (author, replies...) all the way down."""
    return [(c.author, shape(c.replies)) for c in comments]


def depth(comment: Comment) -> int:
    """Levels in a thread: 1 for a comment without replies."""
    return 1 + max((depth(r) for r in comment.replies), default=0)
