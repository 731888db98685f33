"""Is a project file what reviewer makes, undamaged? Checked before its data is trusted.

:func:`check_project_file` reads the file without writing to it (not even a migration)
and refuses, with a one-line :class:`ProjectError` naming the file and what is wrong:
a file that is not a reviewer project, damaged pages (``PRAGMA integrity_check``), a
schema other than the one reviewer's migrations make (a trigger, view, table or index
reviewer does not make, or a changed one), text that is not UTF-8, values of the wrong
type, rows pointing at missing items, and history events that do not decode (bad JSON,
an unknown verdict or action, an unknown item, an undo of a missing event).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from reviewer.core.decisions import VERDICTS
from reviewer.core.errors import ProjectError
from reviewer.core.items import KINDS
from reviewer.store.db import APPLICATION_ID, BUSY_TIMEOUT_MS
from reviewer.store.migrations import MIGRATION_SET, migrations
from reviewer.store.open_errors import damaged, path_problem, project_error
from reviewer.store.text_search import TABLE as TEXT_INDEX
from reviewer.store.text_search import create_index

ACTIONS = ("set", "undo", "redo", "adjudicate")
# SQLite's own statistics tables (ANALYZE) steer only the query planner.
SQLITE_OWN = re.compile(r"sqlite_stat\d")
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record; its layout is theirs
# Tables whose text and types are checked: what a merge copies or reads.
CHECKED_TABLES = ("meta", "sources", "items", "systems", "predictions", "alignments",
                  "labels", "label_events")
LABEL_FIELDS: dict[str, tuple[type, ...]] = {
    "verdict": (str, type(None)), "error_type": (str, type(None)),
    "corrected_reference": (str, type(None)), "note": (str, type(None)),
    "tags": (list, type(None))}
ERRORS_SHOWN = 3


def check_project_file(path: str | Path) -> None:
    """Refuse ``path`` unless it is an undamaged reviewer project with well-formed events.

    Raises :class:`ProjectError` naming the file and the first problem found.
    """
    path = Path(path)
    problem = path_problem(path) or (None if path.exists() else "no such project")
    if problem:
        raise ProjectError(f"{path}: {problem}")
    try:
        conn = _open_read_only(path)
    except sqlite3.Error as exc:
        raise (project_error(path, exc) or ProjectError(f"{path}: cannot read: {exc}")
               ) from None
    try:
        _check_identity(path, conn)
        _check_pages(path, conn)
        _check_schema(path, conn)
        _check_values(path, conn)
        _check_events(path, conn)
        _check_references(path, conn)
    except sqlite3.Error as exc:
        raise (project_error(path, exc) or ProjectError(damaged(path, str(exc)))) from None
    finally:
        conn.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = Path(f"{path}-wal")
    if not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"  # no -shm can be made beside it, and no WAL content to miss
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.text_factory = bytes  # text is decoded here, so invalid UTF-8 is named, not raised
    return conn


def _check_identity(path: Path, conn: sqlite3.Connection) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise ProjectError(f"{path}: not a reviewer project (not an SQLite database)"
                               ) from None
        raise
    if app_id != APPLICATION_ID:
        raise ProjectError(f"{path}: not a reviewer project (made by another program)")


def _check_pages(path: Path, conn: sqlite3.Connection) -> None:
    rows = [_text(r[0]) for r in conn.execute(f"PRAGMA integrity_check({ERRORS_SHOWN})")]
    if rows != ["ok"]:
        lines = [line for row in rows for line in row.splitlines()
                 if line.strip() and not line.startswith("***")]
        raise ProjectError(damaged(path, f"integrity check: {'; '.join(lines[:ERRORS_SHOWN])}"))


# -- schema -----------------------------------------------------------------------------
Entry = tuple[str, str, str, str]  # type, name, table, SQL (whitespace collapsed)


def _check_schema(path: Path, conn: sqlite3.Connection) -> None:
    applied = _applied_steps(path, conn)
    found = {e[1]: e for e in _schema(conn)}
    expected = expected_schema(len(applied), with_text_index=TEXT_INDEX in found)
    for name, entry in sorted(found.items()):
        kind, _, table, _ = entry
        if kind == "trigger" and entry != expected.get(name):  # reviewer's own run as made
            raise ProjectError(f"{path}: holds a trigger {name!r} on {table!r} that reviewer "
                               "does not make; refused, as it would run on this data")
        if kind == "view":
            raise ProjectError(f"{path}: holds a view {name!r} that reviewer does not make; "
                               "refused")
        if SQLITE_OWN.fullmatch(name) or table == MIGRATIONS_TABLE:
            continue
        if name not in expected:
            raise ProjectError(f"{path}: holds {_a(kind)} {name!r} that reviewer does not "
                               "make; refused")
        if entry != expected[name]:
            raise ProjectError(f"{path}: its {kind} {name!r} is not the one reviewer makes; "
                               "refused")
    missing = sorted(set(expected) - set(found))
    if missing:
        entry = expected[missing[0]]
        raise ProjectError(f"{path}: damaged: its {entry[0]} {missing[0]!r} is missing")


def _applied_steps(path: Path, conn: sqlite3.Connection) -> list[str]:
    known = [m.name for m in migrations._migrations]
    try:
        rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? "
                            "ORDER BY id", [MIGRATION_SET]).fetchall()
    except sqlite3.OperationalError:
        raise ProjectError(f"{path}: damaged: it has no record of its schema") from None
    applied = [_text(r[0]) for r in rows]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise ProjectError(f"{path}: made by a newer version of reviewer (schema step "
                           f"{unknown[-1]}); update reviewer to open it")
    if applied != known[:len(applied)]:
        raise ProjectError(f"{path}: damaged: its schema steps {', '.join(applied)} are not "
                           "the ones reviewer applies, in order")
    return applied


def expected_schema(steps: int, with_text_index: bool = False) -> dict[str, Entry]:
    """name → schema entry of a project made by the first ``steps`` migrations (and, with
    ``with_text_index``, holding the text index a large project gets)."""
    db = Database(memory=True)
    names = [m.name for m in migrations._migrations]
    migrations.apply(db, stop_before=names[steps:] or None)
    if with_text_index:
        create_index(db)
    conn = db.conn
    conn.text_factory = bytes
    try:
        return {e[1]: e for e in _schema(conn)
                if not (SQLITE_OWN.fullmatch(e[1]) or e[2] == MIGRATIONS_TABLE)}
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> Iterator[Entry]:
    for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"):
        text = " ".join(_text(sql).split()) if sql is not None else ""
        yield _text(kind), _text(name), _text(table), text


# -- values -----------------------------------------------------------------------------
def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _check_values(path: Path, conn: sqlite3.Connection) -> None:
    for table in CHECKED_TABLES:
        columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
        names = [_text(c[1]) for c in columns]
        wanted = {_text(c[1]): ("integer" if "INT" in _text(c[2]).upper() else "text",
                                not c[3] and not c[5]) for c in columns}
        tests = " OR ".join(f"typeof({n}) NOT IN ({_types(kind, nullable)})"
                            for n, (kind, nullable) in wanted.items())
        rowid = "rowid" if _has_rowid(conn, table) else "NULL"
        bad = conn.execute(f"SELECT {rowid}, * FROM {table} WHERE {tests} LIMIT 1").fetchone()
        if bad is not None:
            column = next(n for n, v in zip(names, bad[1:], strict=True)
                          if not _typed(v, *wanted[n]))
            raise ProjectError(f"{path}: damaged: {_where(table, bad, names)} has "
                               f"{_kind_of(bad[1 + names.index(column)])} in column {column}")
        text_columns = [n for n, (kind, _) in wanted.items() if kind == "text"]
        for row in conn.execute(f"SELECT {rowid}, {', '.join(text_columns)} FROM {table}"):
            for name, value in zip(text_columns, row[1:], strict=True):
                if value is not None and not _utf8(value):
                    raise ProjectError(f"{path}: damaged: {_where(table, row, text_columns)} "
                                       f"has text that is not UTF-8 in column {name}")
    kind = conn.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
    if kind is not None and _text(kind[0]) not in KINDS:
        raise ProjectError(f"{path}: damaged: unknown task kind {_text(kind[0])!r}")


def _check_references(path: Path, conn: sqlite3.Connection) -> None:
    orphan = conn.execute("PRAGMA foreign_key_check").fetchone()
    if orphan is not None:
        raise ProjectError(f"{path}: damaged: row {orphan[1]} of {_text(orphan[0])} refers to "
                           f"a missing row of {_text(orphan[2])}")


def _types(kind: str, nullable: bool) -> str:
    return f"'{kind}', 'null'" if nullable else f"'{kind}'"


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                       [table]).fetchone()[0]
    return "WITHOUT ROWID" not in _text(sql).upper()


def _typed(value: Any, kind: str, nullable: bool) -> bool:
    if value is None:
        return nullable
    return isinstance(value, int) if kind == "integer" else isinstance(value, bytes | str)


def _kind_of(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__} value"


def _where(table: str, row: Any, names: list[str]) -> str:
    """A row named by its event id or rowid, else by its first columns (the key)."""
    if table == "label_events":
        return f"event {row[0]}"
    if row[0] is not None:
        return f"{table} row {row[0]}"
    parts = [f"{n}={_shown(v)}" for n, v in zip(names, row[1:], strict=False)][:2]
    return f"{table} row ({', '.join(parts)})"


def _shown(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return repr(value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…")


# -- events -----------------------------------------------------------------------------
def _check_events(path: Path, conn: sqlite3.Connection) -> None:
    items = {_text(r[0]) for r in conn.execute("SELECT id FROM items")}
    ids: set[int] = set()
    for row in conn.execute("SELECT id, item_id, annotator, at, action, target, before, after "
                            "FROM label_events ORDER BY id"):
        event_id = row[0]
        problem = _event_problem(row, items, ids)
        if problem:
            raise ProjectError(f"{path}: event {event_id}: {problem}")
        ids.add(event_id)


def _event_problem(row: Any, items: set[str], earlier: set[int]) -> str | None:
    _, item_id, _, _, action, target, before, after = row
    item, action_text = _text(item_id), _text(action)
    if item not in items:
        return f"unknown item {item!r}"
    if action_text not in ACTIONS:
        return f"unknown action {action_text!r}"
    if action_text in ("undo", "redo") and target is not None and target not in earlier:
        return f"{action_text} of event {target}, which is not an earlier event"
    for side, value in (("before", before), ("after", after)):
        problem = _label_problem(value)
        if problem:
            return f"the label {side} it {problem}"
    return None


def _label_problem(raw: bytes) -> str | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "is not UTF-8"
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            return "holds a number too long to read"
        return f"is not valid JSON ({exc})"
    if not isinstance(data, dict):
        return "is not a JSON object"
    for name, types in LABEL_FIELDS.items():
        if not isinstance(data.get(name), types):
            return f"has a {type(data.get(name)).__name__} as its {name}"
    verdict = data.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        return f"has an unknown verdict {verdict!r}"
    if not all(isinstance(t, str) for t in data.get("tags") or ()):
        return "has a tag that is not text"
    return None


def _utf8(value: Any) -> bool:
    if not isinstance(value, bytes):
        return True
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)
