"""Bulk reads for the item list: summaries, text and category filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store import summaries as store
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


def bench() -> Benchmark:
    items = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", ""),
             Item("d", "Café crème")]
    preds = {"sys1": {"a": "The rnodern cat", "b": "Hel1o world", "c": "x", "d": "Cafe creme"},
             "sys2": {"a": "The modern cat", "b": "hello world", "d": "CAFÉ CRÈME"}}
    return Benchmark("text", items, preds)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    p = Project(project_path, create=True)
    import_benchmark(p, bench())
    yield p
    p.close()


def test_summaries_follow_item_order_and_the_stored_counts(project: Project) -> None:
    s = store.load_summaries(project)
    assert s.ids == ["a", "b", "c", "d"]
    assert s.systems == ["sys1", "sys2"]
    assert s.verdicts == {}
    for system in s.systems:
        for k, item_id in enumerate(s.ids):
            row = project.alignment_row(system, item_id)
            assert s.main_errors[system][k] == row.counts.main_errors
            assert s.main_units[system][k] == row.counts.main_units
            assert s.main_category[system][k] == row.counts.main_category
    assert s.main_category["sys1"][0] == "confusable"
    assert s.main_category["sys2"][0] == ""
    # An empty reference with errors has an undefined rate; without errors it is 0.
    assert s.rate("sys1", 2) is None
    assert s.rate("sys2", 1) == pytest.approx(1 / 11)


def test_decisions_and_corrected_references_are_read(project: Project) -> None:
    decisions.decide(project, "b", "ann", verdict="reference_error",
                     corrected_reference="Hel1o world")
    decisions.decide(project, "a", "ann", verdict="model_error")
    s = store.load_summaries(project)
    assert s.verdicts == {"a": "model_error", "b": "reference_error"}
    assert s.corrected == {"b"}
    k = s.positions["b"]
    cleaned = project.alignment_row("sys1", "b", "cleaned").counts
    assert (s.main_errors["sys1"][k], s.main_units["sys1"][k]) == (0, cleaned.main_units)
    sys2 = project.alignment_row("sys2", "b", "cleaned").counts
    assert s.main_errors["sys2"][k] == sys2.main_errors


def test_refresh_item_matches_a_full_reload(project: Project) -> None:
    s = store.load_summaries(project)
    decisions.decide(project, "a", "ann", verdict="reference_error",
                     corrected_reference="The rnodern cat")
    assert store.refresh_item(project, s, "a") == 0
    assert s == store.load_summaries(project)
    decisions.decide(project, "a", "ann", verdict=None, corrected_reference=None)
    store.refresh_item(project, s, "a")
    assert s == store.load_summaries(project)
    assert store.refresh_item(project, s, "nope") is None


def test_the_row_by_row_path_agrees(project: Project) -> None:
    decisions.decide(project, "d", "ann", verdict="ok", corrected_reference="Cafe creme")
    assert store._load_row_by_row(project) == store.load_summaries(project)


def test_an_id_holding_the_separator_still_loads(project_path: Path) -> None:
    with Project(project_path, create=True) as p:
        import_benchmark(p, Benchmark("text", [Item("x\x1fy", "ab"), Item("z", "cd")],
                                      {"s": {"x\x1fy": "ab", "z": "c"}}))
        s = store.load_summaries(p)
        assert s.ids == ["x\x1fy", "z"]
        assert s.main_errors["s"] == [0, 1]


def test_an_empty_project_has_no_rows(project_path: Path) -> None:
    with Project(project_path, create=True) as p:
        s = store.load_summaries(p)
        assert s.ids == [] and len(s) == 0


def test_text_search_is_case_insensitive_everywhere(project: Project) -> None:
    assert store.ids_matching_text(project, "MODERN") == {"a"}
    assert store.ids_matching_text(project, "rnod") == {"a"}  # in a prediction only
    assert store.ids_matching_text(project, "o w") == {"b"}
    assert store.ids_matching_text(project, "zzz") == set()
    # Beyond ASCII, case folding still applies.
    assert store.ids_matching_text(project, "CRÈME") == {"d"}
    assert store.ids_matching_text(project, "café") == {"d"}
    decisions.decide(project, "c", "ann", corrected_reference="Brand NEW")
    assert store.ids_matching_text(project, "brand new") == {"c"}
    assert store.ids_matching_text(project, "") == {"a", "b", "c", "d"}


def test_category_filter_uses_the_current_alignment(project: Project) -> None:
    assert store.ids_with_category(project, "confusable") == {"a", "b"}
    assert store.ids_with_category(project, "confusable", "sys2") == set()
    assert store.ids_with_category(project, "case", "sys2") == {"b", "d"}
    assert store.ids_with_category(project, "diacritic") == {"d"}
    assert store.ids_with_category(project, "insertion", "sys1") == {"c"}
    # Once "b" is corrected to what sys1 read, its cleaned alignment has no confusable.
    decisions.decide(project, "b", "ann", corrected_reference="Hel1o world")
    assert store.ids_with_category(project, "confusable", "sys1") == {"a"}
    assert store.ids_with_category(project, "confusable", "sys2") == {"b"}
    assert store.ids_with_category(project, "no_such") == set()


def test_verdict_counts(project: Project) -> None:
    assert store.verdict_counts(project) == {}
    decisions.decide(project, "a", "ann", verdict="ok")
    decisions.decide(project, "b", "ann", verdict="ok")
    decisions.decide(project, "c", "ann", verdict="unusable")
    decisions.decide(project, "d", "ann", note="only a note")
    assert store.verdict_counts(project) == {"ok": 2, "unusable": 1}


def test_a_large_project_loads_in_a_few_queries(project_path: Path) -> None:
    # How fast is measured by benchmarks/bench_gui.py; here: no query per item or per row.
    n = 100_000
    with Project(project_path, create=True) as p:
        conn = p.db.conn
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO items (pos, id, reference) VALUES (?, ?, ?)",
                         ((k, f"item{k}", "some reference text") for k in range(n)))
        for pos, system in enumerate(("one", "two")):
            conn.execute("INSERT INTO systems (name, pos, imported_at) VALUES (?, ?, '')",
                         [system, pos])
            p.write_alignments([
                (system, f"item{k}", "original", k % 7, 19, 19, 0, 0, 0, 0, 3, 3, 0, 0, 0,
                 '{"case":1}', "case" if k % 7 else "", '[["S",0,1,0,1,"case",1,1]]', "{}")
                for k in range(n)])
        conn.execute("COMMIT")
        decisions.decide(p, "item5", "ann", verdict="ok")
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        s = store.load_summaries(p)
        conn.set_trace_callback(None)
    assert len(s) == n and s.ids[12345] == "item12345"
    assert s.main_errors["two"][12345] == 12345 % 7
    assert s.verdicts == {"item5": "ok"}
    assert len(statements) <= 2 + 2  # the items, the labels, then one query per system


def test_key_value_filters_match_item_metadata(project_path: Path) -> None:
    items = [Item("u1", "hello there", meta=(("speaker", "Spk07"),)),
             Item("u2", "speaker:spk07 said", meta=(("speaker", "spk08"),)),
             Item("u3", "general kenobi")]
    with Project(project_path, create=True) as p:
        import_benchmark(p, Benchmark("text", items, {"sys": {"u1": "hello"}}))
        assert store.ids_matching_text(p, "speaker:spk07") == {"u1"}  # metadata, any case
        assert store.ids_matching_text(p, "speaker:") == {"u1", "u2"}  # any value
        assert store.ids_matching_text(p, "speaker: 08") == {"u2"}
        # a key no item carries is ordinary text
        assert store.ids_matching_text(p, "general:") == set()
        assert store.ids_matching_text(p, "kenobi") == {"u3"}
