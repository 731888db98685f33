"""The item list's facts (what it sorts and filters by, in indexed columns) equal what the
stored items, decisions and alignments say, after an import and after every change: a
verdict, a corrected reference, undo and redo, a rescore, a merge, a team replay, the
suspicion ranking, and once the migration adds them to an existing project."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from reviewer.core.categories import catalogue
from reviewer.core.decisions import VERDICTS
from reviewer.core.item_list.rows import main_category_of
from reviewer.core.item_list.table import natural_key, natural_text_key
from reviewer.core.items import Benchmark, Item, Kind
from reviewer.core.metrics import item_rate
from reviewer.store import decisions
from reviewer.store.db import write_transaction
from reviewer.store.importer import import_benchmark
from reviewer.store.list_facts import ensure_list_facts, refresh_list_facts, store_suspicion
from reviewer.store.merge import merge_projects
from reviewer.store.project import Project
from reviewer.store.rescore import rescore
from reviewer.store.summaries import ids_with_category, load_summaries
from reviewer.store.team.replay import rebuild

ITEMS = [Item("a1", "The modern cat sat."), Item("a10", "Hello world, again."),
         Item("a2", "Plain lime"), Item("b", ""), Item("A3", "Café crème")]
PREDS = {"ocr": {"a1": "The rnodern cat sat", "a10": "Hel1o world again.",
                 "a2": "Plain lime", "b": "stray", "A3": "Cafe creme"},
         "htr": {"a1": "the modern cat sat.", "a10": "Hello  world, again.",
                 "a2": "Plain Iime", "b": "", "A3": "Café crème"}}


def make(path: Path, kind: Kind = "text") -> Path:
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark(kind, ITEMS, PREDS))
    return path


def stored(project: Project) -> tuple[list[Any], list[Any]]:
    """The facts as stored, item rows then system rows, by item position."""
    items = project.db.execute(
        "SELECT i.id, f.id_key, f.verdict, f.verdict_rank, f.worst_category, f.any_errors, "
        "f.categories FROM list_facts f JOIN items i ON i.pos = f.pos ORDER BY f.pos").fetchall()
    systems = project.db.execute(
        "SELECT s.system, i.id, s.errors, s.units, s.rate, s.main_category, s.categories "
        "FROM list_system_facts s JOIN items i ON i.pos = s.pos "
        "ORDER BY s.pos, s.system").fetchall()
    return [tuple(r) for r in items], [tuple(r) for r in systems]


def expected(project: Project) -> tuple[list[Any], list[Any]]:
    """The facts as the stored data says, computed the in-Python way."""
    rows = load_summaries(project)
    bits = {c.id: 1 << k for k, c in enumerate(catalogue(project.kind))}
    having = {(system, c): ids_with_category(project, c, system)
              for system in rows.systems for c in bits}

    def mask(item_id: str, systems: list[str]) -> int:
        return sum(bit for c, bit in bits.items()
                   if any(item_id in having[(s, c)] for s in systems))

    items, systems = [], []
    for k, item_id in enumerate(rows.ids):
        verdict = rows.verdicts.get(item_id)
        items.append((item_id, natural_text_key(item_id), verdict,
                      VERDICTS.index(verdict) if verdict in VERDICTS else None,
                      main_category_of(rows, k), int(any(rows.main_errors[s][k]
                                                         for s in rows.systems)),
                      mask(item_id, rows.systems)))
        for system in sorted(rows.systems):
            errors, units = rows.main_errors[system][k], rows.main_units[system][k]
            systems.append((system, item_id, errors, units, item_rate(errors, units),
                            rows.main_category[system][k], mask(item_id, [system])))
    return items, systems


def test_an_import_writes_the_facts(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db")) as project:
        facts = stored(project)
        assert facts == expected(project)
        assert len(facts[0]) == len(ITEMS) and len(facts[1]) == 2 * len(ITEMS)
        assert {r[4] for r in facts[0]} - {""}  # some items have a main category
        # The natural key orders as the list's natural order does: a2 before a10.
        keys = [r[1] for r in facts[0]]
        ids = [r[0] for r in facts[0]]
        assert sorted(ids, key=lambda i: keys[ids.index(i)]) == sorted(ids, key=natural_key)


def test_decisions_undo_and_redo_keep_the_facts_current(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db")) as project:
        steps = [
            lambda: decisions.decide(project, "a1", "me", verdict="ok"),
            lambda: decisions.decide(project, "a10", "me", verdict="reference_error",
                                     corrected_reference="Hel1o world again."),
            lambda: decisions.decide(project, "b", "me", verdict="unusable"),
            lambda: decisions.undo(project, "me"),
            lambda: decisions.undo(project, "me"),
            lambda: decisions.redo(project, "me"),
        ]
        before = stored(project)
        for step in steps:
            step()
            assert stored(project) == expected(project)
        after = stored(project)
        assert after != before
        # The correction made ocr right on a10: its rate follows the cleaned variant.
        assert ("ocr", "a10", 0, 18, 0.0, "", 0) in after[1]


def test_a_rescore_rewrites_the_rates(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db", kind="asr")) as project:
        before = stored(project)
        rescore(project, "basic")  # case and punctuation no longer count
        after = stored(project)
        assert after == expected(project)
        assert after != before


def test_a_merge_writes_the_facts_of_the_team_file(tmp_path: Path) -> None:
    alice, bob = make(tmp_path / "alice.db"), make(tmp_path / "bob.db")
    with Project(alice) as p:
        decisions.decide(p, "a1", "alice", verdict="ok")
    with Project(bob) as p:
        decisions.decide(p, "a2", "bob", verdict="reference_error",
                         corrected_reference="Plain Iime")
    merge_projects([alice, bob], tmp_path / "team.db")
    with Project(tmp_path / "team.db") as team:
        facts = stored(team)
        assert facts == expected(team)
        assert [r[2] for r in facts[0]][:3] == ["ok", None, "reference_error"]


def test_a_team_replay_refreshes_the_items_it_changes(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db")) as project:
        decisions.decide(project, "a2", "me", verdict="model_error")
        with write_transaction(project.db):  # the decision as another copy left it
            project.db.execute("UPDATE labels SET verdict = NULL WHERE item_id = 'a2'")
            refresh_list_facts(project, ["a2"])
        assert stored(project)[0][2][2] is None
        with write_transaction(project.db):
            assert rebuild(project, ["a2"]) == ["a2"]
        assert stored(project) == expected(project)
        assert stored(project)[0][2][2] == "model_error"


def test_the_suspicion_scores_are_stored_for_sorting(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db")) as project:
        store_suspicion(project, {"a1": 0.25, "b": 0.75})
        store_suspicion(project, {"a10": 0.5, "b": 0.125}, chunk=1)  # replaces, chunked
        scores = dict(project.db.execute(
            "SELECT i.id, f.suspicion FROM list_facts f JOIN items i ON i.pos = f.pos"))
        assert scores == {"a1": None, "a10": 0.5, "a2": None, "b": 0.125, "A3": None}
        decisions.decide(project, "b", "me", verdict="ok")  # a decision keeps the score
        assert project.db.execute("SELECT suspicion FROM list_facts WHERE pos = 3"
                                  ).fetchone()[0] == 0.125


def test_the_migration_fills_the_facts_of_an_existing_project(tmp_path: Path) -> None:
    path = make(tmp_path / "old.db")
    with Project(path) as project:
        decisions.decide(project, "a10", "me", verdict="ok")
        want = stored(project)
    with sqlite3.connect(path) as conn:  # the project as a version before the facts
        conn.execute("DROP TABLE list_facts")
        conn.execute("DROP TABLE list_system_facts")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_list_facts'")
    with Project(path) as project:
        assert stored(project) == want == expected(project)
        indexes = {r[0] for r in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'list_%'")}
        assert {"list_facts_id", "list_system_facts_rate_up"} <= indexes


def test_facts_missing_for_some_rows_are_rewritten_at_open(tmp_path: Path) -> None:
    with Project(make(tmp_path / "p.db")) as project:
        want = stored(project)
        assert not ensure_list_facts(project)  # complete: nothing to do
        with write_transaction(project.db):  # rows a path without the facts wrote
            project.db.execute("DELETE FROM list_facts WHERE pos = 4")
            project.db.execute("DELETE FROM list_system_facts WHERE pos = 4")
        assert stored(project) != want
        assert ensure_list_facts(project)
        assert stored(project) == want
