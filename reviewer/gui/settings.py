"""What the window remembers.

QSettings keeps only window geometry and dock state, the latter per task kind (DESIGN
§7.12). The list of recent projects, the theme, whether a verdict moves on to the next
item and how often a shared project syncs are plain JSON in the user's data folder; the
last item viewed is kept in the project itself.
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
    """The window's size and place (its docks are kept per kind: :func:`save_layout`)."""
    qsettings().setValue("window/geometry", window.saveGeometry())


def restore_window(window: QMainWindow) -> bool:
    """The window's size and place as last saved; returns whether there were any."""
    geometry = qsettings().value("window/geometry")
    return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)


def _layout_key(kind: str) -> str:
    return f"layout/{kind}/state"


def save_layout(kind: str, state: QByteArray) -> None:
    """The dock arrangement (``QMainWindow.saveState``) of projects of ``kind``."""
    qsettings().setValue(_layout_key(kind), state)


def saved_layout(kind: str) -> QByteArray | None:
    """The dock arrangement last saved for ``kind`` (``None``: none saved)."""
    state = qsettings().value(_layout_key(kind))
    return state if isinstance(state, QByteArray) else None


def forget_layout(kind: str) -> None:
    """Drop the dock arrangement saved for ``kind``: its projects open with the default."""
    qsettings().remove(_layout_key(kind))


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


def auto_advance() -> bool:
    """Whether a verdict key moves on to the next item (on unless switched off)."""
    value = load_prefs().get("auto_advance", True)
    return value if isinstance(value, bool) else True


def set_auto_advance(on: bool) -> None:
    prefs = load_prefs()
    prefs["auto_advance"] = on
    save_prefs(prefs)


# How often the window syncs a shared project with its team server, in seconds.
TEAM_SYNC_SECONDS = 10


def team_sync_seconds() -> int:
    """How often a shared project is synced with its server (seconds; 10 unless set)."""
    value = load_prefs().get("team_sync_seconds")
    valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if valid and isinstance(value, int) else TEAM_SYNC_SECONDS


def set_team_sync_seconds(seconds: int) -> None:
    """Sync shared projects every ``seconds`` seconds from now on."""
    prefs = load_prefs()
    prefs["team_sync_seconds"] = int(seconds)
    save_prefs(prefs)
