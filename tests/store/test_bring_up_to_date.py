"""A project made by an earlier version is brought up to date a schema step at a time,
with a stop that rolls back the step under way (the window's "Bringing up to date"
dialog runs this; a step can take minutes at 10,000,000 items)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reviewer.core.errors import Cancelled, ProjectError
from reviewer.store import db as db_module
from reviewer.store.db import bring_up_to_date, outdated
from reviewer.store.list_facts import INDEXES
from reviewer.store.project import Project

from .test_import_streaming import Recorder
from .test_item_list_sql_shapes import shapes_benchmark

STEP = "m012_covering_sort_indexes"


def _made_before_m012(path: Path) -> None:
    """``path`` as the version before m012 left it: sort indexes of their key alone."""
    from reviewer.store.importer import import_benchmark

    with Project(path, create=True) as made:
        import_benchmark(made, shapes_benchmark())
    with sqlite3.connect(path) as conn:
        for index in INDEXES:
            if index.cover:
                conn.execute(f"DROP INDEX {index.name}")
                conn.execute(f"CREATE INDEX {index.name} ON {index.table}({index.key})")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [STEP])
    conn.close()


def _index_sql(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND sql IS NOT NULL").fetchall())
    finally:
        conn.close()


class StopsOnceBegun(Recorder):
    """Asked to stop once a step has begun (a status said which)."""

    def cancelled(self) -> bool:
        return bool(self.statuses)


def test_the_steps_a_project_needs_are_applied_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    assert outdated(path) == [STEP]
    progress = Recorder()
    assert bring_up_to_date(path, progress) == 1
    assert progress.statuses == [f"step 1 of 1 ({STEP})"] and progress.fractions == [0.0, 1.0]
    assert outdated(path) == []
    made = _index_sql(path)
    assert {i.name: made.get(i.name) for i in INDEXES} == {i.name: i.sql for i in INDEXES}
    assert bring_up_to_date(path, Recorder()) == 0  # nothing left to do


def test_a_step_stopped_midway_is_rolled_back_and_stays_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    before = _index_sql(path)
    monkeypatch.setattr(db_module, "_STOP_CHECK_STEPS", 50)  # looked at often: mid-step
    with pytest.raises(Cancelled):
        bring_up_to_date(path, StopsOnceBegun())  # stopped once the step has begun
    assert _index_sql(path) == before  # the indexes as they were
    assert outdated(path) == [STEP]
    with Project(path) as opened:  # and opening it later brings it up to date
        assert opened.db.execute("SELECT count(*) FROM list_facts").fetchone()[0] > 0
    assert outdated(path) == []


def test_nothing_is_to_do_for_a_read_only_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    monkeypatch.setattr(db_module, "read_only_reason", lambda _: "read-only file system")
    assert outdated(path) == []  # opening it says why it cannot be brought up to date


def test_nothing_is_to_do_for_what_is_not_a_project(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database at all" * 10)
    assert outdated(other) == [] and outdated(tmp_path / "missing.db") == []
    assert outdated(tmp_path) == []  # a folder


def test_a_step_that_cannot_write_names_the_project_and_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, for longer than we wait
    try:
        with pytest.raises(ProjectError, match=str(path)) as raised:
            bring_up_to_date(path, Recorder())
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "lock" in str(raised.value).lower() or "busy" in str(raised.value).lower()
    assert outdated(path) == [STEP]


class CtrlC(Recorder):
    """Ctrl+C pressed once the step has begun: Python raises KeyboardInterrupt in the
    next Python code run, here SQLite's progress handler."""

    def cancelled(self) -> bool:
        if self.statuses:
            raise KeyboardInterrupt
        return False


def test_ctrl_c_during_a_step_undoes_it_and_is_raised_as_such(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    before = _index_sql(path)
    monkeypatch.setattr(db_module, "_STOP_CHECK_STEPS", 50)
    with pytest.raises(KeyboardInterrupt):
        bring_up_to_date(path, CtrlC())
    assert _index_sql(path) == before and outdated(path) == [STEP]
