"""Keeping the score groups holds a bounded amount of memory whatever their number (issue 19
§2: a large import, or a rescore, ends by computing them; a noisy system of millions of
items has hundreds of thousands of groups, which were all held at once, twice)."""

from __future__ import annotations

import sqlite3
import tracemalloc
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.items import Benchmark, Item
from reviewer.store import score_groups
from reviewer.store.importer import import_into
from reviewer.store.project import Project
from reviewer.store.rescore import rescore
from reviewer.store.score_groups import GROUP_COLUMNS, GROUP_KEY, refresh_score_groups
from tests.store.test_score_groups import write_once_read

KEY = ", ".join(GROUP_KEY)
SUMS = ", ".join(f"sum({c})" for c in GROUP_COLUMNS[len(GROUP_KEY) + 1:])
FRESH = (f"SELECT {KEY}, count(*), {SUMS} FROM alignments WHERE system = ? AND "
         f"variant = 'original' GROUP BY {KEY} ORDER BY {KEY}")
KEPT = f"SELECT {', '.join(GROUP_COLUMNS)} FROM score_groups WHERE system = ? ORDER BY {KEY}"


def project_with_groups(path: Path, groups: int) -> Path:
    """Two systems whose ``groups`` extra items each fall in a group of their own (their
    categories differ), added in SQL behind a two-item import."""
    import_into(path, Benchmark("text", [Item("a", "the cat"), Item("b", "a dog")],
                                {"ocr": {"a": "the cat", "b": "a d0g"},
                                 "htr": {"a": "he cat", "b": "a dog"}}), workers=1)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n "
                     "WHERE k < ?) INSERT INTO items (id, reference) "
                     "SELECT printf('x%07d', k), 'ref' FROM n", [groups])
        conn.execute(
            "INSERT INTO alignments (system, item_id, variant, main_errors, main_units, "
            "main_hyp_units, main_s, main_d, main_i, second_errors, second_units, "
            "second_hyp_units, second_s, second_d, second_i, categories, main_category, "
            "edits) SELECT s.name, i.id, 'original', i.pos % 7, 3, 3, i.pos % 7, 0, 0, "
            "i.pos % 3, 1, 1, i.pos % 3, 0, 0, printf('{\"c%d\": 1}', i.pos), 'c', '[]' "
            "FROM items i CROSS JOIN systems s WHERE i.id LIKE 'x%'")
    return path


def kept_and_fresh(project: Project) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    conn = project.db.conn
    systems = project.systems()
    return ({s: conn.execute(KEPT, [s]).fetchall() for s in systems},
            {s: conn.execute(FRESH, [s]).fetchall() for s in systems})


def peak_while_refreshing(path: Path) -> int:
    """Bytes Python held at most while the groups were computed and kept (above what it
    held before), after checking that every group was kept."""
    with Project(path) as project:
        project.db.conn.execute("DELETE FROM score_groups")
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            refresh_score_groups(project)
            peak = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
        kept, fresh = kept_and_fresh(project)
        assert kept == fresh
        assert all(len(rows) > 1_000 for rows in kept.values())
    return peak


@pytest.mark.slow
def test_keeping_the_groups_holds_no_more_memory_for_eight_times_as_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
    monkeypatch.setattr(score_groups, "BATCH", 300, raising=False)  # many batches
    small = peak_while_refreshing(project_with_groups(tmp_path / "small.db", 3_000))
    large = peak_while_refreshing(project_with_groups(tmp_path / "large.db", 24_000))
    assert large < 2 * small, (small, large)


def test_groups_refreshed_inside_a_write_transaction_see_its_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
    monkeypatch.setattr(score_groups, "BATCH", 7)
    path = project_with_groups(tmp_path / "p.db", 50)
    with Project(path) as project:
        conn = project.db.conn
        conn.execute("DELETE FROM score_groups")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE alignments SET main_errors = main_errors + 5 "
                     "WHERE system = 'ocr' AND item_id = 'x0000001'")
        refresh_score_groups(project)
        kept, fresh = kept_and_fresh(project)
        conn.execute("COMMIT")
        assert kept == fresh
        assert all(len(rows) == 52 for rows in kept.values())


def test_groups_refreshed_while_another_process_writes_are_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
    path = project_with_groups(tmp_path / "p.db", 50)
    with Project(path) as project:
        write_once_read(project, path, "UPDATE items SET meta = '{\"seen\": 1}' WHERE id = 'a'",
                        monkeypatch)
        refresh_score_groups(project)
        monkeypatch.undo()
        assert not project.db.conn.in_transaction
        kept, _ = kept_and_fresh(project)
        assert kept == {"ocr": [], "htr": []}
        monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
        refresh_score_groups(project)  # nothing written meanwhile: kept
        kept, fresh = kept_and_fresh(project)
        assert kept == fresh


def test_a_failed_grouping_pass_stops_the_others_and_keeps_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
    monkeypatch.setattr(score_groups, "BATCH", 3)
    path = project_with_groups(tmp_path / "p.db", 200)
    monkeypatch.setattr(score_groups, "_GROUPED", score_groups._GROUPED.replace(
        "count(*)", "count(*) + (CASE WHEN system = 'htr' THEN no_such_function() ELSE 0 END)"))
    with Project(path) as project:
        project.db.conn.execute("DELETE FROM score_groups")
        with pytest.raises(sqlite3.OperationalError, match="no_such_function"):
            refresh_score_groups(project)
        assert not project.db.conn.in_transaction
        kept, _ = kept_and_fresh(project)
        assert kept == {"ocr": [], "htr": []}
        assert project.db.conn.execute(
            "SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0


def test_a_rescore_keeps_the_new_groups_a_batch_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 1)
    monkeypatch.setattr(score_groups, "BATCH", 1)
    path = tmp_path / "p.db"
    import_into(path, Benchmark("text", [Item("a", "The Cat"), Item("b", "a Dog")],
                                {"ocr": {"a": "the cat", "b": "a dog"},
                                 "htr": {"a": "The cat", "b": "A dog"}}), workers=1)
    with Project(path) as project:
        rescore(project, "lower", workers=1)  # rewrites every alignment: groups dropped
        kept, fresh = kept_and_fresh(project)
    assert all(kept.values())  # and computed again as the rescore finished
    assert kept == fresh
