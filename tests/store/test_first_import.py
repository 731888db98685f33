"""The first import into an empty project writes without the checks that cannot fail there
(foreign keys, the score-group triggers on alignments), and gives the same rows as with
them; everything it pauses is back however it ends (issue 19 §2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reviewer.core import evaluate
from reviewer.core.errors import Cancelled
from reviewer.core.items import Benchmark, Item
from reviewer.formats.registry import ReadOptions
from reviewer.store.first_import import first_import_transaction
from reviewer.store.importer import import_benchmark, import_into
from reviewer.store.project import Project
from reviewer.store.stream_import import import_streamed

TIMES = frozenset({"imported_at", "created_at", "applied_at"})


def bench(n: int = 40) -> Benchmark:
    items = [Item(f"line_{k:03d}", f"the modern harbour village {k}") for k in range(n)]
    return Benchmark("text", items, {
        "good": {it.id: it.reference.replace("m", "rn", 1) for it in items},
        "bad": {it.id: it.reference.replace("e", "c") for it in items[::2]}})


def triggers(project: Project) -> list[tuple[str, str]]:
    return project.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                              "ORDER BY name").fetchall()


def foreign_keys(project: Project) -> int:
    return int(project.db.execute("PRAGMA foreign_keys").fetchone()[0])


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (but the times of writing) and the schema."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                            "'table' AND name NOT LIKE 'sqlite_%'")]
        for table in names:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                       if r[1] not in TIMES]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted((r for r in rows if table != "meta" or r[0] not in TIMES),
                                key=repr)
        out["schema"] = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master")
                               .fetchall(), key=repr)
        return out
    finally:
        conn.close()


class Watcher:
    """A progress that records, at each chunk, whether the project's connection checks
    foreign keys and which triggers it has."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.seen: list[tuple[int, tuple[str, ...]]] = []

    def set(self, value: float) -> None:
        names = tuple(name for name, _ in triggers(self.project))
        self.seen.append((foreign_keys(self.project), names))

    def status(self, text: str) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def test_a_first_import_writes_unchecked_and_puts_every_check_back(project_path: Path
                                                                   ) -> None:
    with Project(project_path, create=True) as project:
        before = triggers(project)
        assert [n for n, _ in before if n.startswith("score_groups_")] == [
            "score_groups_delete", "score_groups_insert", "score_groups_update"]
        watcher = Watcher(project)
        import_benchmark(project, bench(), workers=1, progress=watcher)
        # While writing: no foreign-key lookups, no score-group triggers.
        during = watcher.seen[:-1]
        assert during and all(fk == 0 for fk, _ in during)
        assert all(not any(n.startswith("score_groups_") for n in names)
                   for _, names in during)
        assert foreign_keys(project) == 1
        assert triggers(project) == before


def test_a_streamed_first_import_writes_unchecked_and_puts_every_check_back(
        tmp_path: Path) -> None:
    table = tmp_path / "bench.jsonl"
    b = bench()
    table.write_text("".join(json.dumps({"id": it.id, "reference": it.reference,
                                         "pred_good": b.predictions["good"][it.id]}) + "\n"
                             for it in b.items), encoding="utf-8")
    seen: list[int] = []

    class Probe(Watcher):
        def set(self, value: float) -> None:
            seen.append(foreign_keys(self.project))

    with Project(tmp_path / "p.db", create=True) as project:
        before = triggers(project)
        from reviewer.formats.stream_table import stream_benchmark
        from reviewer.store.stream_import import import_stream

        stream = stream_benchmark(table, [], ReadOptions(kind="text"))
        assert stream is not None
        import_stream(project, stream, workers=1, progress=Probe(project))
        assert seen[:-1] and set(seen[:-1]) == {0}
        assert foreign_keys(project) == 1
        assert triggers(project) == before


def test_the_first_import_gives_the_rows_of_a_checked_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "bench.jsonl"
    b = bench()
    table.write_text("".join(json.dumps({"id": it.id, "reference": it.reference,
                                         "pred_good": b.predictions["good"][it.id],
                                         "pred_bad": b.predictions["bad"].get(it.id, "")})
                             + "\n" for it in b.items), encoding="utf-8")
    fast_whole, fast_stream = tmp_path / "a" / "p.db", tmp_path / "b" / "p.db"
    plain_whole, plain_stream = tmp_path / "c" / "p.db", tmp_path / "d" / "p.db"
    for path in (fast_whole, fast_stream, plain_whole, plain_stream):
        path.parent.mkdir()
    import_into(fast_whole, b, workers=1)
    assert import_streamed(fast_stream, table, [], ReadOptions(kind="text"), workers=1)

    from reviewer.store import importer, stream_import
    from reviewer.store.db import write_transaction

    def checked(db: object, rows_consistent: bool = True, unpublished: bool = False) -> object:
        return write_transaction(db)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "first_import_transaction", checked)
    monkeypatch.setattr(stream_import, "first_import_transaction", checked)
    import_into(plain_whole, b, workers=1)
    assert import_streamed(plain_stream, table, [], ReadOptions(kind="text"), workers=1)
    assert dump(fast_whole) == dump(plain_whole)
    assert dump(fast_stream) == dump(plain_stream)
    rows = dump(fast_stream)
    assert len(rows["alignments"]) == 2 * 40 and len(rows["list_system_facts"]) == 2 * 40


def test_a_failure_inside_leaves_the_project_and_its_checks_as_they_were(
        project_path: Path) -> None:
    with Project(project_path, create=True) as project:
        before = triggers(project)
        with pytest.raises(RuntimeError), first_import_transaction(project.db):
            project.db.execute("INSERT INTO systems (name, pos, imported_at) "
                               "VALUES ('a', 0, 'now')")
            assert foreign_keys(project) == 0
            raise RuntimeError("stop")
        assert foreign_keys(project) == 1
        assert triggers(project) == before
        assert project.systems() == []


def test_a_cancelled_first_import_leaves_the_project_and_its_checks_as_they_were(
        project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "_CHUNK", 5)  # many chunks: the cancel comes mid-way

    class Cancel(Watcher):
        def cancelled(self) -> bool:
            return len(self.seen) >= 3

    with Project(project_path, create=True) as project:
        before = triggers(project)
        with pytest.raises(Cancelled):
            import_benchmark(project, bench(), workers=1, progress=Cancel(project))
        assert project.item_count() == 0 and project.systems() == []
        assert foreign_keys(project) == 1
        assert triggers(project) == before


def test_predictions_of_unknown_items_are_still_refused_by_the_foreign_keys(
        project_path: Path) -> None:
    b = bench(4)
    b.predictions["good"]["nowhere"] = "text of no item"
    with Project(project_path, create=True) as project:
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            import_benchmark(project, b, workers=1)
        assert project.item_count() == 0
        assert foreign_keys(project) == 1


def test_unconsistent_rows_keep_the_checks(project_path: Path) -> None:
    with Project(project_path, create=True) as project, \
            first_import_transaction(project.db, rows_consistent=False):
        assert foreign_keys(project) == 1
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            project.db.execute("INSERT INTO predictions (system, item_id, text) "
                               "VALUES ('nobody', 'nothing', 'x')")


def test_kept_score_groups_keep_their_triggers(project_path: Path) -> None:
    with Project(project_path, create=True) as project:
        project.db.execute("INSERT INTO score_groups VALUES ('s', 0, 0, 0, 0, '{}', 1, "
                           "0, 0, 0, 0, 0, 0)")
        before = triggers(project)
        with first_import_transaction(project.db):
            assert triggers(project) == before


def test_inside_a_callers_transaction_it_is_a_plain_savepoint(project_path: Path) -> None:
    from reviewer.store.db import write_transaction

    with Project(project_path, create=True) as project:
        before = triggers(project)
        with write_transaction(project.db), first_import_transaction(project.db):
            assert foreign_keys(project) == 1
            assert triggers(project) == before


def journal(project: Project) -> tuple[str, int]:
    conn = project.db.conn
    return (conn.execute("PRAGMA journal_mode").fetchone()[0],
            conn.execute("PRAGMA synchronous").fetchone()[0])


@pytest.mark.parametrize("cancel", [False, True])
def test_an_unpublished_project_is_written_in_place_then_logged_again(
        project_path: Path, monkeypatch: pytest.MonkeyPatch, cancel: bool) -> None:
    """A new project under its hidden name: the import's pages go to the file once (the
    journal in memory, nothing synced); the write-ahead log and full syncs are back after
    it, and a cancel still rolls everything back."""
    monkeypatch.setattr(evaluate, "_CHUNK", 5)
    seen: list[tuple[str, int]] = []

    class Probe(Watcher):
        def set(self, value: float) -> None:
            seen.append(journal(self.project))

        def cancelled(self) -> bool:
            return cancel and len(seen) >= 3

    with Project(project_path, create=True) as project:
        assert journal(project) == ("wal", 2)
        project.unpublished = True
        if cancel:
            with pytest.raises(Cancelled):
                import_benchmark(project, bench(), workers=1, progress=Probe(project))
            assert project.item_count() == 0 and project.systems() == []
        else:
            import_benchmark(project, bench(), workers=1, progress=Probe(project))
            assert project.item_count() == 40
        assert seen[:2] == [("memory", 0)] * 2
        assert journal(project) == ("wal", 2)
        assert foreign_keys(project) == 1


def test_a_published_project_keeps_the_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    import_into(path, bench(), workers=1)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    with Project(path) as project:
        assert not project.unpublished and project.item_count() == 40
