"""Shared test fixtures: the peer-tool fixtures folder, temporary projects, isolated settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.team_server import TeamServer

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


@pytest.fixture(scope="session")
def team_server() -> Iterator[TeamServer]:
    """A real PostgreSQL server for the session (tests/team_server.py); skips, naming the
    package to install, where none can be started."""
    from tests.team_server import start_team_server

    yield from start_team_server()



def _user_settings_folder() -> str:
    """The folder user-scope QSettings files go to now (Qt offers no getter for it)."""
    from PySide6.QtCore import QSettings

    probe = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "probe", "probe")
    return str(Path(probe.fileName()).parent.parent)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test keeps its settings and data in its own temporary folders.

    Window geometry and dock state (QSettings) go to ``tmp_path/config``; the recent projects,
    the theme and the default demo project (``XDG_DATA_HOME``) to ``tmp_path/data``. No test
    reads what another wrote or touches the user's own; the settings folder is set back
    afterwards.
    """
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    config = tmp_path / "config"
    before = _user_settings_folder()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    yield config
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, before)


# Qt tests run offscreen everywhere (CI has no display); set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
