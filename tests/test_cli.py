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
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "notes-from-a-commonplace-blog.epub",
        "notes-from-a-commonplace-blog.pdf",
    ]
