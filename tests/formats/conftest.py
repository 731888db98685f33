"""Fixtures for the format readers: the dinglehopper data and a small file writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
DINGLE = FIXTURES / "ocr-dinglehopper" / "data"

Write = Callable[..., Path]


@pytest.fixture
def dingle() -> Path:
    """dinglehopper's test data; skipped (with the reason) only where it is absent."""
    if not DINGLE.is_dir():
        pytest.skip(f"peer fixtures not present at {DINGLE} (a user's clone without them)")
    return DINGLE


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write(name, content)``: a file below tmp_path (text as UTF-8, or raw bytes)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write
