"""The adjudication panel and the disagreements filter of the item list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core.decisions import Decision
from reviewer.gui.adjudication import COLUMNS, AdjudicationView
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.session import ReviewSession
from reviewer.store import decisions
from reviewer.store.project import Project
from tests.gui.conftest import cell

# (alice, bob) verdicts; l2 and l5 are disputed, l4 only alice labelled.
VERDICTS = {"l1": ("ok", "ok"), "l2": ("ok", "model_error"), "l3": ("unusable", "unusable"),
            "l4": ("ok", None), "l5": ("reference_error", "ambiguous")}


def label_as_two(session: ReviewSession) -> None:
    """alice and bob label the session's project (another connection, as a merge would)."""
    with Project(session.path) as project:
        for item_id, pair in VERDICTS.items():
            for who, verdict in zip(("alice", "bob"), pair, strict=True):
                if verdict is None:
                    continue
                extra = ({"corrected_reference": "The modern cat sat on the mat!",
                          "note": "GT lacks the !"} if verdict == "reference_error" else {})
                decisions.decide(project, item_id, who, verdict=verdict, **extra)
    session.decisionsReset.emit()


def make_view(qtbot: QtBot, session: ReviewSession) -> AdjudicationView:
    view = AdjudicationView(session)
    qtbot.addWidget(view)
    view.resize(640, 320)
    view.show()
    qtbot.waitExposed(view)
    return view


def rows(view: AdjudicationView) -> list[tuple[str, str]]:
    table = view.table
    return [(cell(table, r, 0).text(), cell(table, r, 1).text()) for r in range(table.rowCount())]


def test_the_view_lists_each_annotators_verdict(qtbot: QtBot,
                                                items_session: ReviewSession) -> None:
    label_as_two(items_session)
    view = make_view(qtbot, items_session)
    assert view.title.text() == "No item selected"
    assert not view.verdict_buttons["ok"].isEnabled()
    items_session.set_current_item("l5")
    assert rows(view) == [("alice", "Reference error"), ("bob", "Ambiguous")]
    reference = COLUMNS.index("Corrected reference")
    assert cell(view.table, 0, reference).text() == "The modern cat sat on the mat!"
    assert view.title.text() == "l5: 2 annotators disagree"
    assert sorted(view.take_buttons) == ["alice", "bob"]
    items_session.set_current_item("l4")
    assert rows(view) == [("alice", "OK")]
    assert view.title.text() == "l4: labelled by alice only"


def test_deciding_records_an_adjudication_by_the_third_person(
        qtbot: QtBot, items_session: ReviewSession) -> None:
    label_as_two(items_session)
    view = make_view(qtbot, items_session)
    items_session.set_current_item("l2")
    with qtbot.waitSignal(items_session.decisionChanged, timeout=5000):
        qtbot.mouseClick(view.verdict_buttons["model_error"], Qt.MouseButton.LeftButton)
    last = decisions.history(items_session.project, "l2")[-1]
    assert (last.action, last.annotator, last.after.verdict) == (
        "adjudicate", "tester", "model_error")
    assert items_session.decision("l2").verdict == "model_error"
    assert rows(view)[-1] == ("Decided by tester", "Model error")
    assert view.title.text() == "l2: 2 annotators disagree; decided by tester"

    items_session.set_current_item("l5")
    with qtbot.waitSignal(items_session.decisionChanged, timeout=5000):
        qtbot.mouseClick(view.take_buttons["alice"], Qt.MouseButton.LeftButton)
    assert items_session.decision("l5") == Decision(
        "reference_error", None, "The modern cat sat on the mat!", "GT lacks the !")
    assert decisions.history(items_session.project, "l5")[-1].action == "adjudicate"


def test_only_disagreements_shows_the_disputed_items(
        qtbot: QtBot, items_session: ReviewSession) -> None:
    label_as_two(items_session)
    items = ItemListWidget(items_session)
    qtbot.addWidget(items)
    assert len(items.visible_ids()) == 30
    items.disagreements_check.setChecked(True)
    assert items.visible_ids() == ["l2", "l5"]
    assert items.count_label.text() == "2 of 30 items"
    # Combined with the other filters, and driven from the proxy too.
    items.verdict_combo.setCurrentIndex(items.verdict_combo.findData("ambiguous"))
    assert items.visible_ids() == ["l5"]
    items.verdict_combo.setCurrentIndex(0)
    items.proxy.set_disagreements_only(False)
    assert not items.disagreements_check.isChecked()
    assert len(items.visible_ids()) == 30
