"""The statistics dock: scores before and after cleaning, categories, review progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.gui.session import ReviewSession
from reviewer.gui.stats_view import CleaningScores, StatsView
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from tests.gui.conftest import cell


def make_view(qtbot: QtBot, session: ReviewSession, show: bool = True) -> StatsView:
    view = StatsView(session)
    qtbot.addWidget(view)
    view.resize(460, 900)
    if show:
        view.show()
        qtbot.waitExposed(view)
    return view


def wait_for_scores(qtbot: QtBot, view: StatsView) -> CleaningScores:
    qtbot.waitUntil(lambda: view.report is not None and not view.busy(), timeout=20_000)
    assert view.report is not None
    return view.report


def expected(session: ReviewSession) -> dict[str, Any]:
    with Project(session.path) as project:
        return {"original": score_project(project, "original"),
                "cleaned": score_project(project, "cleaned")}


def table_text(view: StatsView) -> list[list[str]]:
    return [[cell(view.table, r, c).text() for c in range(view.table.columnCount())]
            for r in range(view.table.rowCount())]


def test_scores_match_score_project(items_session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    report = wait_for_scores(qtbot, view)
    assert report == expected(items_session)
    rows = table_text(view)
    assert [r[:2] for r in rows] == [["tess", "CER"], ["tess", "WER"],
                                     ["kraken", "CER"], ["kraken", "WER"]]
    cer = report["original"]["systems"][0]["metrics"]["cer"]
    value, low, high = cer["value"], cer["low"], cer["high"]
    assert value is not None and low is not None and high is not None
    assert rows[0][2] == f"{value * 100:.2f}%\n[{low * 100:.2f}, {high * 100:.2f}]"
    assert rows[0][3] == rows[0][2]  # nothing cleaned yet
    assert rows[0][4] == "0.00 pp"
    assert view.progress_label.text() == "Reviewed 0 of 30 (0%)"
    assert view.progress_bar.value() == 0 and view.progress_bar.maximum() == 30


def test_decisions_update_progress_and_cleaned_scores(items_session: ReviewSession,
                                                      qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    first = wait_for_scores(qtbot, view)
    with qtbot.waitSignal(items_session.committed, timeout=5000):
        items_session.decide("l8", verdict="reference_error",
                             corrected_reference=items_session.project.prediction("tess", "l8"))
    with qtbot.waitSignal(items_session.committed, timeout=5000):
        items_session.decide("l22", verdict="unusable")
    with qtbot.waitSignal(items_session.committed, timeout=5000):
        items_session.decide("l1", verdict="ok")
    assert view.progress_label.text() == "Reviewed 3 of 30 (10%)"
    assert "Unusable: 1" in view.verdict_label.text()
    qtbot.waitUntil(lambda: view.report is not first and not view.busy(), timeout=20_000)
    report = view.report
    assert report is not None
    assert report == expected(items_session)
    assert report["original"] is first["original"]  # computed once
    assert report["cleaned"]["items"] == 29
    tess_before = report["original"]["systems"][0]["metrics"]["cer"]["value"]
    tess_after = report["cleaned"]["systems"][0]["metrics"]["cer"]["value"]
    assert tess_before is not None and tess_after is not None
    assert tess_after < tess_before
    assert table_text(view)[0][4] == f"{(tess_after - tess_before) * 100:+.2f} pp".replace(
        "-", "−")
    assert "29 items (1 removed)" in view.sets_label.text()


def test_chart_counts_errors_per_category(items_session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    report = wait_for_scores(qtbot, view)
    series = [s for s in view.chart.series() if isinstance(s, QHorizontalBarSeries)]
    assert len(series) == 1
    bar_sets = series[0].barSets()
    assert [b.label() for b in bar_sets] == ["tess", "kraken"]
    axis = next(a for a in view.chart.axes() if isinstance(a, QBarCategoryAxis))
    names = {c.id: c.name for c in items_session.categories}
    shown = list(axis.categories())
    for system, bars in zip(report["original"]["systems"], bar_sets, strict=True):
        counts = {name: bars.at(k) for k, name in enumerate(shown)}
        for cat, n in system["categories"].items():
            assert counts[names[cat]] == n
    # Only categories with errors, in catalogue order from the top (the axis runs upward).
    order = [names[c.id] for c in items_session.categories if c.name in shown]
    assert shown[::-1] == order
    assert view.chart_view.isVisible()


def test_a_hidden_view_waits_until_shown(items_session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session, show=False)
    with qtbot.waitSignal(items_session.committed, timeout=5000):
        items_session.decide("l3", verdict="ok")
    qtbot.wait(700)
    assert view.report is None and not view.busy()
    assert view.progress_label.text() == "Reviewed 1 of 30 (3%)"
    view.show()
    assert wait_for_scores(qtbot, view) == expected(items_session)


def test_closing_while_computing_is_safe(items_session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    assert view.busy()
    view.deleteLater()
    qtbot.wait(10)
    QThreadPool.globalInstance().waitForDone(20_000)
    qtbot.wait(50)  # the result arrives for a deleted view and is dropped


def test_a_refresh_asked_for_while_computing_runs_after(items_session: ReviewSession,
                                                        qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    assert view.busy()
    with qtbot.waitSignal(items_session.committed, timeout=5000):
        items_session.decide("l22", verdict="unusable")
    view.refresh()  # while the first computation runs
    qtbot.waitUntil(lambda: view.report is not None
                    and view.report["cleaned"]["items"] == 29 and not view.busy(),
                    timeout=20_000)
    assert view.report == expected(items_session)


def test_scores_computed_anew_replace_the_original_sets_scores(
        items_session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(qtbot, items_session)
    first = wait_for_scores(qtbot, view)
    view.refresh()  # a decision's refresh keeps the original set's scores
    qtbot.waitUntil(lambda: view.report is not first and not view.busy(), timeout=20_000)
    assert view.report is not None and view.report["original"] is first["original"]
    items_session.scoresChanged.emit()  # e.g. OMR-NED was filled in
    qtbot.waitUntil(lambda: view.report is not None and not view.busy(), timeout=20_000)
    assert view.report["original"] is not first["original"]
    assert view.report["original"] == first["original"]
