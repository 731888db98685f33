"""The label kind's window: item view, class keys, the confusion matrix and its filter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.core.label_codec import encode_prediction
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.kinds import item_view, shows_diff
from reviewer.gui.kinds.label.confusion_view import NONE_COLUMN, ConfusionView
from reviewer.gui.kinds.label.probability_bars import MAX_BARS, shown_classes
from reviewer.gui.kinds.label.view import LabelItemView, class_keys
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.conftest import cell

GOLD = {"r1": "pos", "r2": "neg", "r3": "neutral", "r4": "pos", "r5": "neg"}
TEXT = {"r1": "A fine film.", "r2": "Dull and long.", "r3": "It is a film.",
        "r4": "Not bad at all.", "r5": "I want my evening back."}


def _probs(pos: float, neg: float) -> str:
    probs = {"neg": neg, "neutral": round(1 - pos - neg, 4), "pos": pos}
    return encode_prediction(max(probs, key=probs.__getitem__), probs)


def label_benchmark(image: Path | None = None) -> Benchmark:
    items = [Item(i, g, str(image) if image and i == "r1" else None, (("text", TEXT[i]),))
             for i, g in GOLD.items()]
    roberta = {"r1": _probs(0.9, 0.05), "r2": _probs(0.1, 0.8), "r3": _probs(0.2, 0.7),
               "r4": _probs(0.15, 0.8), "r5": _probs(0.05, 0.9)}
    tfidf = {"r1": "pos", "r2": "pos", "r3": "neutral", "r4": "neg"}
    return Benchmark("label", items, {"roberta": roberta, "tfidf": tfidf})


@pytest.fixture
def label_session(tmp_path: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    image = tmp_path / "r1.png"
    Image.new("L", (8, 8), 200).save(image)
    path = tmp_path / "label.db"
    with Project(path, create=True) as project:
        import_benchmark(project, label_benchmark(image))
    session = ReviewSession(path, "tester")
    yield session
    QThreadPool.globalInstance().waitForDone(30_000)
    session.close()


def _commit(session: ReviewSession, qtbot: QtBot, action: Callable[[], None]) -> None:
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        action()
    assert session.flush()


def test_the_view_shows_text_gold_answers_and_probability_bars(
        label_session: ReviewSession, qtbot: QtBot) -> None:
    assert not shows_diff("label")
    view = item_view(label_session)
    assert isinstance(view, LabelItemView)
    qtbot.addWidget(view)
    label_session.set_current_item("r4")
    assert "r4" in view.heading.text() and "pos" in view.heading.text()
    assert view.text.text() == "Not bad at all."
    roberta, tfidf = view.cards
    assert "neg" in roberta.title.text() and "wrong" in roberta.title.text()
    assert "p 0.80" in roberta.title.text()
    assert [(c, p, role) for c, p, role in roberta.bars.rows()] == [
        ("neg", 0.8, "chosen"), ("neutral", pytest.approx(0.05), "other"),
        ("pos", 0.15, "gold")]
    assert not roberta.bars.isHidden()
    assert tfidf.bars.isHidden()  # a class alone has no bars
    label_session.set_current_item("r5")
    assert "no prediction" in tfidf.title.text()
    assert "right" in roberta.title.text()


def test_the_item_image_is_shown_in_the_view(label_session: ReviewSession, qtbot: QtBot) -> None:
    view = LabelItemView(label_session)
    qtbot.addWidget(view)
    label_session.set_current_item("r1")
    qtbot.waitUntil(lambda: not view.image.pixmap().isNull(), timeout=5000)
    assert view.image.pixmap().width() > 8  # enlarged
    label_session.set_current_item("r2")
    assert view.image.isHidden()


def test_picking_a_class_corrects_the_reference_and_the_gold_class_keeps_it(
        label_session: ReviewSession, qtbot: QtBot) -> None:
    view = LabelItemView(label_session)
    qtbot.addWidget(view)
    label_session.set_current_item("r4")
    _commit(label_session, qtbot, lambda: view.pick("neg"))
    label = label_session.decision("r4")
    assert (label.verdict, label.corrected_reference) == ("reference_error", "neg")
    assert "corrected" in view.heading.text()
    checked = [b.property("cls") for b in view.buttons.buttons() if b.isChecked()]
    assert checked == ["neg"]
    # Scored against the correction: roberta is now right on r4.
    assert "right" in view.cards[0].title.text()
    _commit(label_session, qtbot, lambda: view.pick("pos"))
    label = label_session.decision("r4")
    assert (label.verdict, label.corrected_reference) == (None, None)


def test_the_reference_error_verdict_asks_for_the_label(label_session: ReviewSession,
                                                         qtbot: QtBot) -> None:
    view = LabelItemView(label_session)
    qtbot.addWidget(view)
    label_session.set_current_item("r2")
    assert "which label is right" not in view.prompt.text()
    _commit(label_session, qtbot,
            lambda: label_session.decide("r2", verdict="reference_error"))
    assert "which label is right" in view.prompt.text()


def test_typed_class_is_picked_and_unknown_text_is_refused(label_session: ReviewSession,
                                                           qtbot: QtBot) -> None:
    view = LabelItemView(label_session)
    qtbot.addWidget(view)
    label_session.set_current_item("r3")
    view.search.setEditText("nothing")
    view._pick_typed()
    assert "not a class" in view.prompt.text()
    assert label_session.decision("r3").corrected_reference is None
    view.search.setEditText("NEG")
    with qtbot.waitSignal(label_session.decisionChanged, timeout=5000):
        view.search_edit.returnPressed.emit()
    assert label_session.decision("r3").corrected_reference == "neg"


def test_class_keys() -> None:
    assert class_keys(["0", "1", "9"]) == {"0": "0", "1": "1", "9": "9"}
    assert class_keys(["neg", "pos"]) == {"neg": "1", "pos": "2"}
    ten = [f"c{k}" for k in range(10)]
    assert class_keys(ten)["c9"] == "0"
    assert class_keys([*ten, "c10"]) == {}


def test_many_classes_show_the_most_probable_bars_and_keep_gold() -> None:
    classes = [f"c{k}" for k in range(30)]
    probs = {c: (k + 1) / 465 for k, c in enumerate(classes)}
    shown = shown_classes(probs, classes, ["c0", "c29"])
    assert len(shown) == MAX_BARS
    assert "c0" in shown and "c29" in shown and "c28" in shown and "c5" not in shown
    assert shown == sorted(shown, key=classes.index)


def test_confusion_cell_filters_the_item_list(label_session: ReviewSession, qtbot: QtBot) -> None:
    items = ItemListWidget(label_session)
    qtbot.addWidget(items)
    view = ConfusionView(label_session, items)
    qtbot.addWidget(view)
    assert view.rows == []  # counted when first shown
    view.show()
    qtbot.waitExposed(view)
    assert view.rows == ["neg", "neutral", "pos"]
    assert view.columns == ["neg", "neutral", "pos"]  # roberta answered every item
    counts = {(view.rows[r], view.columns[c]): cell(view.table, r, c).text()
              for r in range(3) for c in range(3)}
    assert counts[("pos", "neg")] == "1" and counts[("neutral", "neg")] == "1"
    assert counts[("neg", "neg")] == "2" and counts[("pos", "pos")] == "1"
    assert counts[("neg", "pos")] == ""
    view.select_cell(view.rows.index("neg"), view.columns.index("neg"))
    assert items.visible_ids() == ["r2", "r5"]
    assert label_session.current_item == "r2"
    assert "Showing 2 items" in view.status.text()
    view.clear_filter()
    assert items.visible_ids() == list(GOLD)

    view.system.setCurrentText("tfidf")
    assert view.columns[-1] == NONE_COLUMN
    view.select_cell(view.rows.index("neg"), len(view.columns) - 1)
    assert items.visible_ids() == ["r5"]
    view.clear_filter()
    # A corrected label moves the item to another row.
    _commit(label_session, qtbot, lambda: label_session.decide(
        "r4", verdict="reference_error", corrected_reference="neg"))
    qtbot.waitUntil(lambda: cell(view.table, view.rows.index("neg"),
                                 view.columns.index("neg")).text() == "1")
    view.select_cell(view.rows.index("neg"), view.columns.index("neg"))
    assert items.visible_ids() == ["r4"]


@pytest.fixture
def label_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 qtbot: QtBot) -> Iterator[MainWindow]:
    path = tmp_path / "label.db"
    with Project(path, create=True) as project:
        import_benchmark(project, label_benchmark())
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(path)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def test_window_has_the_confusion_dock_and_alt_keys_pick_classes(
        label_window: MainWindow, qtbot: QtBot) -> None:
    session = label_window.session
    assert session is not None
    docks = {d.objectName(): d for d in label_window.findChildren(QDockWidget)}
    assert "confusion" in docks
    assert docks["confusion"].toggleViewAction() in label_window.view_menu.actions()
    view = label_window.kind_view
    assert isinstance(view, LabelItemView)
    assert view.keys == {"neg": "1", "neutral": "2", "pos": "3"}
    session.set_current_item("r2")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    label = session.decision("r2")
    assert (label.verdict, label.corrected_reference) == ("reference_error", "neutral")
    # The plain digit is still the global verdict key.
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(view, Qt.Key.Key_1)
    assert session.decision("r2").verdict == "ok"


def test_text_projects_have_no_confusion_dock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               qtbot: QtBot) -> None:
    path = tmp_path / "text.db"
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item("a", "abc")], {"s": {"a": "abd"}}))
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(path)
    assert "confusion" not in {d.objectName() for d in win.findChildren(QDockWidget)}
    win.close()
