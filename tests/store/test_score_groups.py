"""``score_groups`` hold each system's original alignments grouped as a score summary
reads them, or nothing for a system whose alignments changed since (issue 19 §2: a large
project's scores read the groups instead of a row per item). Whatever wrote them: import,
a second import replacing a system, re-scoring, an update, a deletion or a cascade, a
merge; decisions (cleaned variants) leave them alone; the migration adds them to an
existing project; a score computes the missing ones and keeps them when it can."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reviewer.core import bootstrap_grouped
from reviewer.core.bootstrap_grouped import PairHistogram
from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.store import score_groups, scores
from reviewer.store.db import write_transaction
from reviewer.store.decisions import decide
from reviewer.store.importer import import_benchmark, import_into
from reviewer.store.integrity import check_project_file
from reviewer.store.merge import merge_projects
from reviewer.store.project import Project
from reviewer.store.score_groups import GROUP_COLUMNS, GROUP_KEY, system_groups
from reviewer.store.scores import score_project

KEY = ", ".join(GROUP_KEY)
SUMS = ", ".join(f"sum({c})" for c in GROUP_COLUMNS[len(GROUP_KEY) + 1:])
FRESH = (f"SELECT {KEY}, count(*), {SUMS} FROM alignments WHERE system = ? AND "
         f"variant = 'original' GROUP BY {KEY} ORDER BY {KEY}")
KEPT = f"SELECT {', '.join(GROUP_COLUMNS)} FROM score_groups WHERE system = ? ORDER BY {KEY}"


def bench(hyps: dict[str, list[str]] | None = None) -> Benchmark:
    """Nine lines with an empty reference and a missing prediction."""
    refs = ["the cat", "Hello world", "", "modern times", "12 apples", "a b c", "café au lait",
            "same", "the end."]
    hyps = hyps or {"ocr": ["the cat", "He1lo world", "x", "rnodern times", "12 app1es",
                            "a bc", "cafe au lait", "same", "the end,"],
                    "htr": ["The cat", "Hello", "", "modern  times", "13 apples", "a b c d",
                            "café", "sarne", "the end."]}
    items = [Item(f"i{k}", r) for k, r in enumerate(refs)]
    preds = {s: {f"i{k}": h for k, h in enumerate(texts)} for s, texts in hyps.items()}
    if "htr" in preds:
        del preds["htr"]["i4"]
    return Benchmark("text", items, preds)


def kept(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """The stored groups of each system (an empty list: none stored)."""
    return {s: project.db.conn.execute(KEPT, [s]).fetchall() for s in project.systems()}


def assert_never_stale(project: Project) -> None:
    """Each system's stored groups are its alignments grouped now, or there are none."""
    for system, rows in kept(project).items():
        assert rows in ([], project.db.conn.execute(FRESH, [system]).fetchall()), system


def assert_complete(project: Project) -> None:
    """A score's groups are the fresh ones, and are then kept for every system."""
    fresh = {s: project.db.conn.execute(FRESH, [s]).fetchall() for s in project.systems()}
    assert {s: sorted(rows) for s, rows in system_groups(project).items()} == fresh
    assert kept(project) == fresh
    assert all(fresh.values())


@pytest.fixture
def imported(project_path: Path) -> Path:
    """A project with both systems' groups kept."""
    import_into(project_path, bench(), workers=1)
    with Project(project_path) as project:
        assert_complete(project)
    return project_path


def test_a_large_import_keeps_the_groups_as_it_finishes(project_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 9)
    import_into(project_path, bench(), workers=1)
    with Project(project_path) as project:
        groups = kept(project)
        assert all(groups.values())
        assert sum(g[GROUP_COLUMNS.index("items")] for rows in groups.values()
                   for g in rows) == 2 * 9
        assert_never_stale(project)


def test_a_small_import_leaves_them_to_the_first_score(project_path: Path) -> None:
    import_into(project_path, bench(), workers=1)
    with Project(project_path) as project:
        assert kept(project) == {"ocr": [], "htr": []}
        assert_complete(project)


def test_a_replaced_system_drops_only_its_own_groups(imported: Path) -> None:
    other = {"ocr": ["a cat", "Hello world", "", "modern times", "12 apples", "abc",
                     "café au lait", "sane", "the end"]}
    with Project(imported) as project:
        htr = kept(project)["htr"]
        import_benchmark(project, bench(other), replace=True, workers=1)
        assert kept(project) == {"ocr": [], "htr": htr}
        assert_complete(project)


def test_decisions_leave_the_groups_alone(imported: Path) -> None:
    with Project(imported) as project:
        before = kept(project)
        decide(project, "i1", "ann", verdict="reference_error",
               corrected_reference="He1lo world")
        decide(project, "i3", "ann", verdict="unusable")
        decide(project, "i1", "ann", corrected_reference="Hello world!")
        cleaned = project.db.conn.execute(
            "SELECT count(*) FROM alignments WHERE variant = 'cleaned'").fetchone()[0]
        assert cleaned == 2
        assert kept(project) == before


def test_replace_update_and_delete_of_alignments_drop_the_groups(imported: Path) -> None:
    with Project(imported) as project:
        conn = project.db.conn
        row = project.alignment_row("ocr", "i1", "original")
        changed = row.counts._replace(main_errors=row.counts.main_errors + 3,
                                      categories=json.dumps({"case": 3}))
        with conn:
            project.write_alignments([("ocr", "i1", "original", *changed)])
        assert kept(project)["ocr"] == [] and kept(project)["htr"]
        assert_complete(project)
        conn.execute("UPDATE alignments SET main_s = main_s + 2, main_units = main_units + 1 "
                     "WHERE item_id = 'i4' AND system = 'ocr'")
        assert kept(project)["ocr"] == [] and kept(project)["htr"]
        assert_complete(project)
        conn.execute("DELETE FROM alignments WHERE system = 'htr' AND item_id = 'i4'")
        assert kept(project)["htr"] == [] and kept(project)["ocr"]
        assert_complete(project)
        conn.execute("UPDATE alignments SET system = 'htr' WHERE item_id = 'i4' AND "
                     "system = 'ocr'")  # both systems' groups change
        assert kept(project) == {"ocr": [], "htr": []}
        assert_complete(project)
        conn.execute("UPDATE alignments SET extra = '{\"x\": 1}' WHERE item_id = 'i6'")
        assert all(kept(project).values())  # not a count: the groups stay
        conn.execute("UPDATE alignments SET variant = 'cleaned' WHERE system = 'htr' AND "
                     "item_id = 'i0'")
        assert kept(project)["htr"] == [] and kept(project)["ocr"]
        assert_complete(project)
        conn.execute("DELETE FROM systems WHERE name = 'htr'")  # cascades to its alignments
        assert {r[0] for r in conn.execute("SELECT system FROM score_groups")} == {"ocr"}
        assert_complete(project)


def test_a_failed_insert_of_a_duplicate_keeps_the_groups(imported: Path) -> None:
    with Project(imported) as project:
        before = kept(project)
        row = project.alignment_row("ocr", "i1", "original")
        marks = ", ".join("?" * (3 + len(row.counts)))
        with pytest.raises(sqlite3.IntegrityError):
            project.db.conn.execute(f"INSERT INTO alignments (system, item_id, variant, "
                                    f"{', '.join(row.counts._fields)}) VALUES ({marks})",
                                    ["ocr", "i1", "original", *row.counts])
        assert kept(project) == before


def write_once_read(project: Project, path: Path, sql: str,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop ``project``'s kept groups, and have another connection run ``sql`` on ``path``
    as soon as the next read of the project's systems (the first read of a grouping pass)
    has begun."""
    project.db.conn.execute("DELETE FROM score_groups")
    systems = project.systems

    def write_meanwhile() -> list[str]:
        names = systems()
        with closing(sqlite3.connect(path)) as other, other:
            other.execute(sql)
        return names

    monkeypatch.setattr(project, "systems", write_meanwhile)


def test_groups_computed_while_another_process_writes_are_not_kept(
        imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Project(imported) as project:
        write_once_read(project, imported, "UPDATE alignments SET main_errors = "
                        "main_errors + 1 WHERE system = 'ocr' AND item_id = 'i0'", monkeypatch)
        before = system_groups(project)  # read before the other write: not kept
        assert all(before.values())
        assert kept(project) == {"ocr": [], "htr": []}
        monkeypatch.undo()
        assert_complete(project)


def test_groups_computed_inside_a_write_transaction_see_its_changes(imported: Path) -> None:
    with Project(imported) as project, write_transaction(project.db):
        conn = project.db.conn
        conn.execute("UPDATE alignments SET main_errors = main_errors + 5 "
                     "WHERE system = 'ocr' AND item_id = 'i0'")
        conn.execute("DELETE FROM alignments WHERE system = 'htr' AND item_id = 'i1'")
        groups = system_groups(project)
        for system in ("ocr", "htr"):
            assert sorted(groups[system]) == conn.execute(FRESH, [system]).fetchall()


def test_a_read_only_project_is_scored_without_keeping_groups(imported: Path) -> None:
    with Project(imported) as project:
        project.db.conn.execute("DELETE FROM score_groups")
        expected = score_project(project)
    with Project(imported, read_only=True) as project:
        assert score_project(project) == expected
    with Project(imported) as project:
        assert kept(project) == {"ocr": [], "htr": []}


def test_the_migration_adds_the_groups_to_an_existing_project(project_path: Path) -> None:
    import_into(project_path, bench(), workers=1)
    with closing(sqlite3.connect(project_path)) as conn, conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'score_%'")]
        for name in names:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE score_groups")
        # a project of the version before m008: the later migrations (each of which may
        # run again on what it made) are not applied yet either
        conn.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm008'")
    with Project(project_path) as project:
        assert_complete(project)
        project.db.conn.execute("DELETE FROM alignments WHERE item_id = 'i2'")
        assert kept(project) == {"ocr": [], "htr": []}
    check_project_file(project_path)  # the schema is again the one reviewer makes


def test_a_merged_team_file_gets_its_own_groups(tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    for path in (alice, bob):
        import_into(path, bench(), workers=1)
        with Project(path) as project:
            system_groups(project)
    with Project(bob) as project:
        decide(project, "i2", "bob", corrected_reference="x")
    merge_projects([alice, bob], tmp_path / "team.db")
    with Project(tmp_path / "team.db") as project:
        assert_never_stale(project)
        assert_complete(project)


def test_a_trigger_named_like_reviewers_but_changed_is_refused(imported: Path) -> None:
    check_project_file(imported)
    with closing(sqlite3.connect(imported)) as conn, conn:
        conn.execute("DROP TRIGGER score_groups_insert")
        conn.execute("CREATE TRIGGER score_groups_insert AFTER INSERT ON alignments "
                     "BEGIN DELETE FROM labels; END")
    with pytest.raises(ProjectError, match="holds a trigger 'score_groups_insert'"):
        check_project_file(imported)


def test_scores_read_the_groups_after_changes(project_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast summary equals the item-by-item one after a replaced system, corrected
    references and removals (the original set keeps its items and references), whether
    the groups were kept or computed."""
    monkeypatch.setattr(bootstrap_grouped, "GROUPED_FROM", 8)
    import_into(project_path, bench(), workers=1)
    with Project(project_path) as project:
        decide(project, "i1", "ann", corrected_reference="He1lo world")
        decide(project, "i7", "ann", verdict="unusable")
        import_benchmark(project, bench({"htr": ["the cat"] * 9}), replace=True, workers=1)
        computed = json.dumps(score_project(project, resamples=200))
        assert all(kept(project).values())
        fast = json.dumps(score_project(project, resamples=200))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(scores, "text_summaries", lambda *args: None)
            slow = json.dumps(score_project(project, resamples=200))
    assert fast == computed == slow
    assert [s["items_scored"] for s in json.loads(fast)["systems"]] == [9, 9]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_histogram_of_counted_groups_is_that_of_the_items(seed: int) -> None:
    rng = np.random.default_rng(seed)
    errors = rng.integers(0, 6, 500)
    units = rng.integers(0, 9, 500)
    items = rng.integers(1, 4, 500)
    expected = PairHistogram.of(np.repeat(errors, items), np.repeat(units, items))
    got = PairHistogram.of_counts(errors, units, items)
    for field in ("errors", "units", "items"):
        assert np.array_equal(getattr(got, field), getattr(expected, field))
        assert getattr(got, field).dtype == np.int64
    empty = PairHistogram.of_counts(np.array([]), np.array([]), np.array([]))
    assert empty.total_items == 0


def test_the_legends_totals_are_summed_from_the_kept_groups(project_path: Path) -> None:
    """Errors per category over every system's original alignments: from the kept groups
    the totals of reading every alignment; none while a system's groups are missing."""
    import_into(project_path, bench(), workers=1)
    with Project(project_path) as project:
        assert score_groups.kept_category_totals(project) is None  # none kept yet
        by_rows: dict[str, int] = {}
        for row in project.alignment_rows("original"):
            for category, errors in row.categories().items():
                by_rows[category] = by_rows.get(category, 0) + errors
        system_groups(project)  # a score keeps them
        assert score_groups.kept_category_totals(project) == by_rows
        assert len(by_rows) >= 4 and sum(by_rows.values()) > 10
        other = {"ocr": ["the cat"] * 9}
        import_benchmark(project, bench(other), replace=True, workers=1)
        assert score_groups.kept_category_totals(project) is None  # ocr's were dropped
