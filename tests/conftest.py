from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import REPO, SHARED

FIXTURES = SHARED / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # Reproducible builds: every book the tests make carries this date.
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the default book, to break or extend."""
    dest = tmp_path / "content"
    shutil.copytree(REPO / "content", dest)
    return dest


@pytest.fixture
def shared_fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (the project's own tests still run)")
    return FIXTURES
