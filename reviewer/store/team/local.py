"""A shared copy's own record of its server (SQLite table ``team``), read without network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.store.team.address import ServerAddress

URL, PROJECT, ANNOTATOR = "url", "project", "annotator"
PULLED = "pulled_seq"  # the highest server order this copy holds
BENCHMARK_VERSION = "benchmark_version"
LAST_SYNCED, OFFLINE_SINCE = "last_synced_at", "offline_since"


@dataclass(frozen=True, slots=True)
class TeamSettings:
    """Where a shared copy syncs to and as whom."""

    server: ServerAddress
    project: str
    annotator: str

    @property
    def remote(self) -> str:
        """``host:port/database/project``, for people."""
        return self.server.display(self.project)


def settings(conn: Any) -> TeamSettings | None:
    """The copy's team settings (``None``: not a shared copy). ``conn`` is a sqlite3 connection."""
    values = read_all(conn)
    if URL not in values:
        return None
    return TeamSettings(ServerAddress(values[URL]), values[PROJECT], values[ANNOTATOR])


def read_all(conn: Any) -> dict[str, str]:
    """Every ``team`` setting."""
    return dict(conn.execute("SELECT key, value FROM team").fetchall())


def write(conn: Any, key: str, value: str | None) -> None:
    """Set (or with ``None`` remove) one setting, in the caller's transaction."""
    if value is None:
        conn.execute("DELETE FROM team WHERE key = ?", [key])
    else:
        conn.execute("INSERT OR REPLACE INTO team (key, value) VALUES (?, ?)", [key, value])


def waiting(conn: Any) -> int:
    """How many events wait in the outbox."""
    return int(conn.execute("SELECT count(*) FROM team_outbox").fetchone()[0])
