"""The item list's text index (reviewer.store.text_search) finds exactly what the scan of
every text finds, and stays right whichever path changes a text afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reviewer.core.item_list.columns import ColumnRole
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions, text_search
from reviewer.store import item_list_sql as sql_module
from reviewer.store.db import write_transaction
from reviewer.store.importer import import_benchmark
from reviewer.store.item_list_sql import (
    ItemListSql,
    ListQuery,
    PositionSet,
    positions_matching_text,
)
from reviewer.store.project import Project

REFERENCES = (
    "The harbour was clear in the morning.",
    "ſchön façade, déjà vu: the naïve café",
    "A 5 \u212aelvin drop; Kelvin's law",
    "O'Connor said \"quote\" and 3,14",
    "THE END",
    "Zürich ZÜRICH zürich",
    "line one\nline two",
    "",
    "kss KSS ſs",
    "nothing to see here",
)
GOOD = {f"u{k}": text.replace("the", "teh") for k, text in enumerate(REFERENCES)}
BAD = {f"u{k}": text.upper() if k % 2 else "stray words" for k, text in enumerate(REFERENCES)}
NEEDLES = ("the", "THE", "teh", "the ", "harbour", "kelvin", "elvin", "ss ", "kss", "sch",
           "o'c", '"quote"', "3,14", "zür", "ZÜRICH", "ürich", "line", "e\nl", "stray",
           "absent", "é", "ab", "ſs", "\u212aelvin", "e e", "'s ")


def _benchmark() -> Benchmark:
    items = [Item(f"u{k}", text) for k, text in enumerate(REFERENCES)]
    return Benchmark("text", items, {"good": GOOD, "bad": BAD})


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project(tmp_path / "search.db", create=True) as made:
        import_benchmark(made, _benchmark())
        decisions.decide(made, "u9", "me", corrected_reference="Nothing Kss the here")
        yield made


def _scanned(project: Project, needle: str) -> set[int]:
    """The positions the scan finds (the index dropped for the call, then rebuilt)."""
    found = positions_matching_text(project, needle)
    assert found.sql is None
    return set(found.small or ()) if found.mask is None else {
        pos for pos, flag in enumerate(found.mask) if flag}


def _indexed(project: Project, found: PositionSet) -> set[int]:
    assert found.sql is not None
    return {r[0] for r in project.db.execute(found.sql)}


def _compare(project: Project) -> None:
    """Every needle: the index's positions (and size) equal the scan's."""
    expected = {}
    saved = text_search.STALE_LIMIT
    for needle in NEEDLES:  # the scan, with the index made unusable
        text_search.STALE_LIMIT = -1
        try:
            expected[needle] = _scanned(project, needle)
        finally:
            text_search.STALE_LIMIT = saved
    for needle in NEEDLES:
        found = positions_matching_text(project, needle)
        if text_search.answers(needle):
            assert _indexed(project, found) == expected[needle], needle
            assert found.size == len(expected[needle]), needle
        else:
            assert found.sql is None, needle


def test_the_index_finds_what_the_scan_finds(project: Project) -> None:
    assert text_search.build(project)
    assert text_search.state(project) == "ready"
    assert text_search.stale_count(project) == 0
    _compare(project)
    # a needle the index answers is answered by it; the others by the scan
    assert positions_matching_text(project, "harbour").sql is not None
    for needle in ("ab", "é", "e\nl", "ZÜRICH"):
        assert positions_matching_text(project, needle).sql is None, needle


def test_a_changed_text_stays_found_whichever_path_wrote_it(project: Project) -> None:
    assert text_search.build(project)
    # a corrected reference set, replaced and removed (decisions write INSERT OR REPLACE)
    decisions.decide(project, "u4", "me", corrected_reference="absent no more")
    decisions.decide(project, "u5", "me", corrected_reference="teh harbour")
    decisions.decide(project, "u5", "me", corrected_reference="the harbour again")
    decisions.decide(project, "u9", "me", corrected_reference=None)
    decisions.decide(project, "u1", "me", verdict="ok")  # no text changed: not stale
    _compare(project)
    assert text_search.stale_count(project) == 3
    # a system replaced by a second import, and a system's predictions removed
    bad = {k: "absent kelvin" if k == "u3" else v for k, v in BAD.items()}
    import_benchmark(project, Benchmark("text", _benchmark().items, {"bad": bad}),
                     replace=True)
    _compare(project)
    with write_transaction(project.db):
        project.db.execute("DELETE FROM systems WHERE name = 'good'")
    _compare(project)
    # a text edited in place, and an item added, by any code
    with write_transaction(project.db):
        project.db.execute("UPDATE predictions SET text = 'the end is absent' "
                           "WHERE item_id = 'u7'")
        project.db.execute("UPDATE items SET reference = 'kelvin' WHERE id = 'u0'")
        project.db.execute("INSERT INTO items (pos, id, reference) VALUES (99, 'x', 'absentee')")
    _compare(project)


def test_a_rebuild_trusts_every_entry_again(project: Project) -> None:
    assert text_search.build(project)
    decisions.decide(project, "u4", "me", corrected_reference="absent no more")
    assert text_search.stale_count(project) == 1
    assert text_search.build(project)
    assert text_search.stale_count(project) == 0
    assert "UNION" not in (positions_matching_text(project, "absent").sql or "")
    _compare(project)


def test_too_many_stale_items_or_an_unfinished_build_mean_the_scan(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not text_search.build(project, cancelled=lambda: True)
    assert text_search.state(project) == "building"
    assert positions_matching_text(project, "harbour").sql is None
    monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", 5)
    assert text_search.wanted(project)  # an unfinished build is built again
    assert text_search.build_if_wanted(project)
    assert not text_search.wanted(project)
    monkeypatch.setattr(text_search, "STALE_LIMIT", 1)
    decisions.decide(project, "u4", "me", corrected_reference="one")
    assert positions_matching_text(project, "harbour").sql is not None
    decisions.decide(project, "u3", "me", corrected_reference="two")
    assert positions_matching_text(project, "harbour").sql is None
    assert text_search.wanted(project)


def test_an_import_that_makes_a_project_large_builds_the_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", len(REFERENCES))
    with Project(tmp_path / "large.db", create=True) as made:
        import_benchmark(made, _benchmark())
        assert text_search.state(made) == "ready"
    monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", len(REFERENCES) + 1)
    with Project(tmp_path / "small.db", create=True) as made:
        import_benchmark(made, _benchmark())
        assert text_search.state(made) is None  # a small import pays nothing
        assert made.db.execute("SELECT count(*) FROM sqlite_master "
                               "WHERE name LIKE 'text_search_%'").fetchone()[0] == 1


def test_the_list_joins_the_index(project: Project) -> None:
    assert text_search.build(project)
    found = positions_matching_text(project, "the")
    listed = ItemListSql(project, ListQuery(sets=(found,)))
    size = listed.count()
    rows = [pos for pos, _ in listed.page(0, 100, size)]
    assert size == len(rows) == found.size
    assert rows == sorted(_indexed(project, found))
    unreviewed = ItemListSql(project, ListQuery(verdict="", sets=(found,)))
    decided = {r[0] for r in project.db.execute(
        "SELECT pos FROM list_facts WHERE verdict IS NOT NULL")}
    assert unreviewed.count() == len(_indexed(project, found) - decided)


def _folded_to_ascii() -> set[str]:
    """Every non-ASCII character SQLite's trigram tokenizer folds into an ASCII one."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(d, tokenize='trigram')")
    conn.executemany("INSERT INTO t (rowid, d) VALUES (?, ?)",
                     ((c, chr(c) + "qq") for c in range(0x80, 0x110000)
                      if not 0xD800 <= c < 0xE000))
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, row)")
    found = set()
    for (term,) in conn.execute("SELECT term FROM v").fetchall():
        if term.isascii():
            found |= {chr(r[0]) for r in conn.execute(
                "SELECT rowid FROM t WHERE t MATCH ?", ['"' + term + '"'])}
    return found


@pytest.mark.slow
def test_the_letters_folded_to_ascii_are_those_the_index_replaces() -> None:
    assert _folded_to_ascii() == set(text_search.FOLDS_TO_ASCII)


@pytest.mark.parametrize("stale", [False, True])
def test_a_dense_text_walks_the_list_testing_each_row(
        project: Project, monkeypatch: pytest.MonkeyPatch, stale: bool) -> None:
    """A text most items contain is tested row by row (a probe of the index) as the list
    is walked; the rows are those the list of the found positions shows, in every order."""
    assert text_search.build(project)
    if stale:
        decisions.decide(project, "u9", "me", corrected_reference="the end")
        decisions.decide(project, "u0", "me", corrected_reference="no match")
    expected = positions_matching_text(project, "the")
    assert expected.probe is None  # a few rows: found first, then sorted
    monkeypatch.setattr(sql_module, "FEW_ROWS", 0)
    monkeypatch.setattr(sql_module, "IN_LIST_LIMIT", 0)
    dense = positions_matching_text(project, "the")
    assert dense.probe is not None and dense.sql == expected.sql
    shapes = (ListQuery(), ListQuery(ColumnRole.RATE, "good", True),
              ListQuery(ColumnRole.ERRORS, "bad"), ListQuery(verdict=""),
              ListQuery(ColumnRole.RATE, "good", True, "", None, "good", True))
    for shape in shapes:
        listed = [ItemListSql(project, replace(shape, sets=(found,)))
                  for found in (expected, dense)]
        sizes = [one.count() for one in listed]
        assert sizes[0] == sizes[1]
        pages = [[pos for pos, _ in one.page(0, 100, sizes[0])] for one in listed]
        assert pages[0] == pages[1], shape
        assert set(pages[1]) <= _indexed(project, expected)


def test_a_merged_file_without_the_index_is_scanned_then_indexed(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge copies the project's settings, not its index: the copy scans, and is indexed
    when it is large."""
    from reviewer.store.merge import merge_projects

    assert text_search.build(project)
    project.close()
    merge_projects([tmp_path / "search.db"], tmp_path / "team.db")
    with Project(tmp_path / "team.db") as team:
        assert text_search.state(team) is None
        assert positions_matching_text(team, "harbour").sql is None
        monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", 5)
        assert text_search.build_if_wanted(team)
        assert _indexed(team, positions_matching_text(team, "harbour")) == {0}


def test_an_indexed_project_passes_the_integrity_check_a_changed_trigger_does_not(
        project: Project, tmp_path: Path) -> None:
    from reviewer.core.errors import ProjectError
    from reviewer.store.integrity import check_project_file

    assert text_search.build(project)
    path = tmp_path / "search.db"
    check_project_file(path)  # the index, its tables and triggers are reviewer's own
    with write_transaction(project.db):
        project.db.execute("DROP TRIGGER text_search_items_insert")
        project.db.execute("CREATE TRIGGER text_search_items_insert AFTER INSERT ON items "
                           "BEGIN DELETE FROM labels; END")
    with pytest.raises(ProjectError, match="text_search_items_insert"):
        check_project_file(path)


def _reference_rows(project: Project, shape: ListQuery, found: set[int]) -> list[int]:
    """The rows of ``shape`` limited to ``found``: the list without the set (its filters
    and order only), with the positions outside ``found`` left out."""
    plain = ItemListSql(project, shape)
    return [pos for pos, _ in plain.page(0, 100, plain.count()) if pos in found]


@pytest.mark.parametrize("stale", [False, True])  # texts changed since the index was built
@pytest.mark.parametrize("probe_cost", [1, 10**9])  # other filters tested / the set drives
@pytest.mark.parametrize("long", [False, True])  # an IN list, or a query of the index
def test_a_set_with_other_filters_lists_the_rows_both_would(
        project: Project, monkeypatch: pytest.MonkeyPatch, long: bool, probe_cost: int,
        stale: bool) -> None:
    """A text set with other filters is counted and read from whichever side the list
    starts (the set's positions, or the other filters' rows tested for the set): the rows
    are those of the other filters that the set holds, in the list's order."""
    assert text_search.build(project)
    decisions.decide(project, "u2", "me", verdict="ok")
    if stale:  # found by scanning these items' texts, the index's entries of them ignored
        decisions.decide(project, "u4", "me", corrected_reference="the harbour at the end")
        decisions.decide(project, "u0", "me", verdict="ok", corrected_reference="no match")
        assert text_search.stale_count(project) == 2
    verdict = project.db.execute("SELECT verdict FROM list_facts WHERE pos = "
                                 "(SELECT pos FROM items WHERE id = 'u9')").fetchone()[0]
    monkeypatch.setattr(sql_module, "PROBE_COST", probe_cost)
    if long:
        monkeypatch.setattr(sql_module, "FEW_ROWS", 0)
        monkeypatch.setattr(sql_module, "IN_LIST_LIMIT", 0)
    shapes = (ListQuery(verdict=""), ListQuery(verdict="ok"), ListQuery(verdict=verdict),
              ListQuery(ColumnRole.RATE, "good", True, "", None, "good", True),
              ListQuery(ColumnRole.RATE, "good", False, None, None, "bad", True),
              ListQuery(ColumnRole.ERRORS, "bad", True, "", None, "good", True),
              ListQuery(None, None, False, None, None, "bad", True))
    for needle in ("the", "e", "harbour", "absent"):
        found = positions_matching_text(project, needle)
        assert (found.sql is None) == (needle == "e")  # one letter: the scan's
        positions = _indexed(project, found) if found.sql else set(found.small or ()) | {
            pos for pos, flag in enumerate(found.mask or b"") if flag}
        for shape in shapes:
            expected = _reference_rows(project, shape, positions)
            listed = ItemListSql(project, replace(shape, sets=(found,)))
            size = listed.count()
            assert size == len(expected), (needle, shape)
            assert [pos for pos, _ in listed.page(0, 100, size)] == expected, (needle, shape)
