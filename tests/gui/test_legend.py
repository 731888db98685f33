"""The legend lists the categories, toggles their highlights and counts their errors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.gui.legend import LegendWidget
from reviewer.gui.session import ReviewSession

from .conftest import DIFF_ITEMS


def expected_counts(session: ReviewSession, items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        for system in session.systems:
            for cat, n in session.alignment(system, item).categories().items():
                counts[cat] = counts.get(cat, 0) + n
    return counts


def make_legend(qtbot: QtBot, session: ReviewSession) -> LegendWidget:
    legend = LegendWidget(session)
    qtbot.addWidget(legend)
    return legend


def test_rows_follow_the_catalogue_with_definitions(qtbot: QtBot,
                                                    diff_session: ReviewSession) -> None:
    legend = make_legend(qtbot, diff_session)
    assert list(legend.rows) == [c.id for c in diff_session.categories]
    for cat in diff_session.categories:
        row = legend.rows[cat.id]
        assert row.name.text() == cat.name
        assert row.toolTip() == cat.definition
        assert row.check.isChecked()


def test_counts_for_the_item_and_the_whole_benchmark(qtbot: QtBot,
                                                     diff_session: ReviewSession) -> None:
    legend = make_legend(qtbot, diff_session)
    with qtbot.waitSignal(legend.totalsLoaded, timeout=10_000):
        diff_session.set_current_item("mixed")
    here = expected_counts(diff_session, ["mixed"])
    total = expected_counts(diff_session, list(DIFF_ITEMS))
    assert here["confusable"] == 4 and here["deletion"] == 4
    for cid, row in legend.rows.items():
        assert legend.counts(cid) == (here.get(cid, 0), total.get(cid, 0))
        assert row.counts.text() == f"{here.get(cid, 0):,}"
        assert f"Whole benchmark: {total.get(cid, 0):,} error(s)" in row.counts.toolTip()
    diff_session.set_current_item("clean")
    assert all(legend.counts(cid)[0] == 0 for cid in legend.rows)


def test_a_committed_correction_updates_the_item_counts(qtbot: QtBot,
                                                        diff_session: ReviewSession) -> None:
    legend = make_legend(qtbot, diff_session)
    diff_session.set_current_item("mixed")
    before = {cid: legend.counts(cid)[0] for cid in legend.rows}
    with qtbot.waitSignal(diff_session.decisionChanged):
        diff_session.decide("mixed", corrected_reference="The modern Café opened")
    after = {cid: legend.counts(cid)[0] for cid in legend.rows}
    assert after != before
    assert after == {cid: expected_counts(diff_session, ["mixed"]).get(cid, 0)
                     for cid in legend.rows}


def test_checkboxes_hide_and_show_categories(qtbot: QtBot, diff_session: ReviewSession) -> None:
    legend = make_legend(qtbot, diff_session)
    legend.show()
    qtbot.waitExposed(legend)
    with qtbot.waitSignal(diff_session.categoryVisibilityChanged):
        legend.rows["case"].check.setChecked(False)
    assert diff_session.hidden_categories == {"case"}
    row = legend.rows["case"]
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton, pos=row.name.geometry().center())
    assert diff_session.hidden_categories == set()
    diff_session.set_category_visible("digit", False)
    assert not legend.rows["digit"].check.isChecked()
    assert legend.rows["case"].check.isChecked()
