"""The console script: defaults, summary line, output file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import REPO

pytestmark = pytest.mark.xdist_group("pdf")


def test_publish_command_builds_default_book_into_build(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    exe = shutil.which("publish") or str(Path(__import__("sys").executable).parent / "publish")
    epub = subprocess.run([exe, "epub"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert epub.returncode == 0, epub.stderr
    assert epub.stdout.startswith("Wrote build/notes-from-a-commonplace-blog.epub: 4 chapters, ")
    pdf = subprocess.run(
        [exe, "pdf", "content"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert pdf.returncode == 0, pdf.stderr
    assert "4 chapters" in pdf.stdout and " pages, " in pdf.stdout
    assert pdf.stderr == ""
    assert sorted(p.name for p in (tmp_path / "build").iterdir() if p.name != "cache") == [
        "notes-from-a-commonplace-blog.epub",
        "notes-from-a-commonplace-blog.pdf",
    ]


DATA = REPO / "tests" / "importers_data" / "same-blog"


def test_import_writes_content_and_never_overwrites_without_force(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import cli

    out = tmp_path / "content"
    first = CliRunner().invoke(cli, ["import", str(DATA / "wordpress-1.2.xml"), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert "imported 2 posts" in first.output and f"to {out}/" in first.output
    assert (out / "book.toml").is_file()
    posts = sorted(p.name for p in (out / "posts").iterdir())
    assert len(posts) == 2
    again = CliRunner().invoke(cli, ["import", str(DATA / "wordpress-1.2.xml"), "-o", str(out)])
    assert again.exit_code == 1 and "[exists]" in again.output
    forced = CliRunner().invoke(
        cli, ["import", str(DATA / "wordpress-1.2.xml"), "-o", str(out), "--force"]
    )
    assert forced.exit_code == 0, forced.output
    built = CliRunner().invoke(cli, ["epub", str(out), "-o", str(tmp_path / "b.epub")])
    assert built.exit_code == 0, built.output


def test_books_build_straight_from_an_export(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import cli

    result = CliRunner().invoke(
        cli, ["epub", str(DATA / "blogger-legacy.xml"), "-o", str(tmp_path / "x.epub")]
    )
    assert result.exit_code == 0, result.output
    assert "2 chapters" in result.output


def test_import_with_pages_puts_them_at_the_back_as_appendices(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import cli

    out = tmp_path / "content"
    result = CliRunner().invoke(
        cli, ["import", str(DATA / "blogger-legacy.xml"), "--pages", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    [appendix] = (out / "back").iterdir()
    assert "type: appendix" in appendix.read_text()
    assert not any("about" in p.name for p in (out / "posts").iterdir())
    built = CliRunner().invoke(cli, ["epub", str(out), "-o", str(tmp_path / "b.epub")])
    assert built.exit_code == 0, built.output


def test_epub_with_the_print_editions_page_list(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import cli

    from helpers import assert_epubcheck_clean, epub_text

    out = tmp_path / "pages.epub"
    result = CliRunner().invoke(cli, ["epub", str(REPO / "content"), "--page-list", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "a page list of" in result.output
    assert 'epub:type="page-list"' in epub_text(out, "EPUB/nav.xhtml")
    assert_epubcheck_clean(out)
