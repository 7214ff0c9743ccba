"""Fixtures for the importer tests: the shared fixtures and seed page, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import FIXTURES, SEED


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(
            f"shared fixtures not found at {FIXTURES.resolve()}; they live outside the repo"
        )
    return FIXTURES


@pytest.fixture
def seed_page() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED.resolve()}; it lives outside the repo")
    return SEED
