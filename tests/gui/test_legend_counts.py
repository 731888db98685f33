"""The legend shows one count per category, measured against one reference (issue 16,
finding 10: "Deletion 13 / 9" put the item's count against its corrected reference next to
the whole benchmark's against the original ones)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reviewer.gui.legend import LegendWidget
from reviewer.gui.session import ReviewSession


def item_counts(session: ReviewSession, item: str, variant: str | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for system in session.systems:
        alignment = session.project.alignment(system, item, variant)
        for cat, n in alignment.categories().items():
            counts[cat] = counts.get(cat, 0) + n
    return counts


def test_a_corrected_item_shows_its_count_against_the_current_reference(
        qtbot: QtBot, diff_session: ReviewSession) -> None:
    legend = LegendWidget(diff_session)
    qtbot.addWidget(legend)
    with qtbot.waitSignal(legend.totalsLoaded, timeout=10_000):
        diff_session.set_current_item("clean")
    # A longer corrected reference: both systems now miss words, more than in the whole
    # benchmark against its original references.
    with qtbot.waitSignal(diff_session.decisionChanged, timeout=5000):
        diff_session.decide("clean", corrected_reference="Plain line, and then a great deal more")
    now = item_counts(diff_session, "clean")
    before = item_counts(diff_session, "clean", "original")
    assert legend.totals is not None
    total = legend.totals.get("deletion", 0)
    assert now["deletion"] > total  # the landed legend read "12 / 4"
    row = legend.rows["deletion"]
    assert row.counts.text() == f"{now['deletion']:,}"
    tip = row.counts.toolTip()
    assert (f"This item: {now['deletion']:,} error(s) against its corrected reference, "
            f"{before.get('deletion', 0):,} against the original.") in tip
    assert f"Whole benchmark: {total:,} error(s) against the original references." in tip


def test_an_uncorrected_item_shows_its_count_and_the_benchmark_in_the_tooltip(
        qtbot: QtBot, diff_session: ReviewSession) -> None:
    legend = LegendWidget(diff_session)
    qtbot.addWidget(legend)
    with qtbot.waitSignal(legend.totalsLoaded, timeout=10_000):
        diff_session.set_current_item("mixed")
    here = item_counts(diff_session, "mixed")
    for cid, row in legend.rows.items():
        assert row.counts.text() == f"{here.get(cid, 0):,}"
        assert "/" not in row.counts.text()
        assert f"This item: {here.get(cid, 0):,} error(s)." in row.counts.toolTip()


def test_a_wrong_choice_answer_is_counted_in_its_category(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Whole-answer kinds have no edits: the legend counts the stored category per system
    (the landed legend showed 0 for every category of a wrong choice answer)."""
    from reviewer.core.items import Benchmark, Item
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    path = tmp_path / "choice.db"
    items = [Item("q1", "B", meta=(("question", "2 + 2?"), ("options", '["3", "4", "5"]')))]
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("choice", items, {"m1": {"q1": "A"},
                                                               "m2": {"q1": "C"}}))
    session = ReviewSession(path, "tester")
    try:
        legend = LegendWidget(session)
        qtbot.addWidget(legend)
        with qtbot.waitSignal(legend.totalsLoaded, timeout=10_000):
            session.set_current_item("q1")
        shown = {cid: int(row.counts.text()) for cid, row in legend.rows.items()}
        assert sum(shown.values()) == 2
        assert shown == {cid: session.project.alignment_row("m1", "q1").categories().get(cid, 0)
                         + session.project.alignment_row("m2", "q1").categories().get(cid, 0)
                         for cid in legend.rows}
    finally:
        session.close()
