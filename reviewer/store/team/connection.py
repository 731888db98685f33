"""Talking to the server: psycopg 3, imported only here and only when a team command runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from reviewer.store.team.address import ServerAddress
from reviewer.store.team.errors import TeamError, TeamExtraMissing, TeamOffline, TeamRefused

CONNECT_TIMEOUT_S = 5
# SQLSTATE classes: 08 connection exceptions, 57P0x the server shutting down or crashed.
OFFLINE_STATES = ("08", "57P01", "57P02", "57P03")
INSUFFICIENT_PRIVILEGE = "42501"
RAISED_BY_RULE = "P0001"  # RAISE EXCEPTION in the server's append-only trigger


def psycopg() -> Any:
    """The psycopg module; :class:`TeamExtraMissing` when it is not installed."""
    try:
        import psycopg as module
    except ImportError:
        raise TeamExtraMissing() from None
    return module


@contextlib.contextmanager
def connected(server: ServerAddress, project: str | None = None) -> Iterator[Any]:
    """A psycopg connection to ``server`` (autocommit off), closed afterwards.

    Errors become typed: :class:`TeamOffline` when the server cannot be reached or goes
    away, :class:`TeamRefused` when it refuses a write (naming the role and the rule).
    """
    pg = psycopg()
    where = server.display(project)
    try:
        conn = pg.connect(server.url, connect_timeout=CONNECT_TIMEOUT_S,
                          application_name="reviewer")
    except pg.OperationalError as exc:
        raise TeamOffline(f"{where}: cannot reach the server: {_first_line(exc)}") from None
    try:
        yield conn
    except pg.Error as exc:
        raise translate(exc, where, _role(conn)) from None
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def translate(exc: Exception, where: str, role: str | None) -> TeamError:
    """A psycopg error as the typed error a person reads."""
    pg = psycopg()
    state = getattr(exc, "sqlstate", None) or ""
    if (isinstance(exc, pg.OperationalError) and not state) or state.startswith(OFFLINE_STATES):
        return TeamOffline(f"{where}: lost the server: {_first_line(exc)}")
    if isinstance(exc, pg.InterfaceError):
        return TeamOffline(f"{where}: lost the server: {_first_line(exc)}")
    who = f"role {role!r}" if role else "this role"
    if state == INSUFFICIENT_PRIVILEGE:
        return TeamRefused(f"{where}: the server refused the write by {who}: {_rule(exc)}")
    if state == RAISED_BY_RULE:
        return TeamRefused(f"{where}: the server refused the change by {who}: "
                           f"{_first_line(exc)}")
    return TeamError(f"{where}: the server said: {_first_line(exc)}")


def _rule(exc: Exception) -> str:
    text = _first_line(exc)
    if "row-level security" in text:
        return ("an annotator may add events only under its own name, and only an "
                f"adjudicator may add adjudications ({text})")
    if "permission denied" in text:
        return ("events may be added only by annotators and adjudicators, and never "
                f"changed or deleted; observers only read ({text})")
    return text


def _role(conn: Any) -> str | None:
    info = getattr(conn, "info", None)
    return getattr(info, "user", None) if info is not None else None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
