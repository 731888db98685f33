"""What the window remembers.

QSettings keeps only window geometry and dock state (DESIGN §7.12). The list of recent
projects and the theme are plain JSON in the user's data folder; the last item viewed
is kept in the project itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from reviewer.core.atomic import atomic_path
from reviewer.resources import data_dir

MAX_RECENT = 10


def qsettings() -> QSettings:
    return QSettings("reviewer", "reviewer")


def save_window(window: QMainWindow) -> None:
    s = qsettings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())


def restore_window(window: QMainWindow) -> None:
    """Window geometry, then the dock layout."""
    geometry = qsettings().value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    restore_docks(window)


def restore_docks(window: QMainWindow) -> None:
    """The dock layout only (docks are rebuilt for every project opened)."""
    state = qsettings().value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)


def _prefs_path() -> Path:
    return data_dir() / "preferences.json"


def load_prefs() -> dict[str, Any]:
    try:
        data = json.loads(_prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(prefs: dict[str, Any]) -> None:
    with atomic_path(_prefs_path()) as tmp:
        tmp.write_text(json.dumps(prefs, indent=1), encoding="utf-8")


def recent_projects() -> list[str]:
    return [p for p in load_prefs().get("recent", []) if isinstance(p, str) and Path(p).exists()]


def add_recent(path: Path) -> None:
    prefs = load_prefs()
    entry = str(path.resolve())
    recent = [p for p in prefs.get("recent", []) if p != entry]
    prefs["recent"] = [entry, *recent][:MAX_RECENT]
    save_prefs(prefs)


def theme() -> str | None:
    value = load_prefs().get("theme")
    return value if value in ("light", "dark") else None


def set_theme(name: str) -> None:
    prefs = load_prefs()
    prefs["theme"] = name
    save_prefs(prefs)
