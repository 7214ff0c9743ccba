"""The README's library example runs as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, assert_epubcheck_clean

pytestmark = pytest.mark.xdist_group("pdf")


def readme_script() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## The library", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README has no Python example under '## The library'"
    return match.group(1)


def test_readme_script_runs(tmp_path: Path) -> None:
    script = readme_script()
    assert len(script.strip().splitlines()) <= 14
    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "example.py").write_text(script)
    proc = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "The End of the Caliphate (1 comments)" in proc.stdout
    assert (tmp_path / "build" / "my-book.pdf").stat().st_size > 10_000
    assert_epubcheck_clean(tmp_path / "build" / "my-book.epub")
