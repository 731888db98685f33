"""Shared test fixtures: the peer-tool fixtures folder, temporary projects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"


@pytest.fixture
def peer_fixtures() -> Path:
    """``../shared/fixtures``; skipped (with the reason) only where that folder is absent."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"peer fixtures not present at {SHARED_FIXTURES} (a user's clone)")
    return SHARED_FIXTURES


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Where a test's project database goes."""
    return tmp_path / "bench.db"


# Qt tests run offscreen everywhere (CI has no display); set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
