"""The front matter's page numbers come from the book's own target-counter() rules."""

from __future__ import annotations

from pathlib import Path

from publish.writers.pdf_numbers import override_css


def test_target_counter_page_becomes_a_counter(tmp_path: Path) -> None:
    css = tmp_path / "print.css"
    css.write_text(
        """
        .contents a::after { content: leader(". ") target-counter(attr(href url), page); color: red; }
        .xref::after { content: "p. " target-counter(attr(href), page, lower-roman) !important; }
        .other::after { content: target-counter(attr(href), chapter); }
        @media print { nav a::before { content: target-counter(attr(href url), page); } }
        p { margin: 0; }
        """,
        encoding="utf-8",
    )
    lines = override_css([css.as_uri()]).splitlines()
    assert lines == [
        '.contents a::after { content: leader(". ") counter(publish-page); }',
        '.xref::after { content: "p. " counter(publish-page, lower-roman) !important; }',
        "@media print { nav a::before { content: counter(publish-page); } }",
    ]


def test_no_rules_no_override(tmp_path: Path) -> None:
    css = tmp_path / "book.css"
    css.write_text("p { margin: 0 }", encoding="utf-8")
    assert override_css([css.as_uri(), (tmp_path / "missing.css").as_uri()]) == ""
