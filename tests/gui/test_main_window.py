"""The review window driven as a user would: keys, verdicts, undo, corrected references."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.gui.main_window import MainWindow
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project

ITEMS = [
    ("l1", "The modern cat sat.", "The rnodern cat sat.", "The modern Cat sat."),
    ("l2", "Hello wrold", "Hello world", "Hello world"),
    ("l3", "A clean line", "A clean line", "A c1ean line"),
]


@pytest.fixture
def window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> Iterator[MainWindow]:
    path = tmp_path / "bench.db"
    items = [Item(i, r) for i, r, _, _ in ITEMS]
    preds = {"tess": {i: a for i, _, a, _ in ITEMS}, "kraken": {i: b for i, _, _, b in ITEMS}}
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))
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


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key | str) -> None:
    target = window.diff
    if isinstance(key, str):
        qtbot.keyClicks(target, key)
    else:
        qtbot.keyClick(target, key)


def test_opens_on_the_first_item(window: MainWindow) -> None:
    assert window.session is not None
    assert window.session.current_item == "l1"
    assert window.windowTitle().startswith("bench")


def test_j_k_move_between_items(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    press(qtbot, window, "j")
    assert session.current_item == "l2"
    press(qtbot, window, "j")
    assert session.current_item == "l3"
    press(qtbot, window, "k")
    assert session.current_item == "l2"


def test_verdict_key_is_committed_with_history_and_undone(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    press(qtbot, window, "j")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, window, "3")
    # A separate connection sees the committed row and its event.
    with Project(session.path) as other:
        assert decisions.get_decision(other, "l2").verdict == "reference_error"
        events = decisions.history(other, "l2")
        assert [(e.action, e.annotator, e.after.verdict) for e in events] == [
            ("set", "tester", "reference_error")]
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(window.diff, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Project(session.path) as other:
        assert decisions.get_decision(other, "l2").verdict is None
        assert [e.action for e in decisions.history(other, "l2")] == ["set", "undo"]
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(window.diff, Qt.Key.Key_Z,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert session.decision("l2").verdict == "reference_error"


def test_r_takes_the_selected_edit_into_the_reference(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    press(qtbot, window, "j")
    # "wrold" -> "world" aligns as two edits; R takes the system's whole word at once.
    assert len(session.alignment("tess", "l2").edits) == 2
    session.select_edit("tess", 0)
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, window, "r")
    label = session.decision("l2")
    assert label.corrected_reference == "Hello world"
    assert label.verdict == "reference_error"
    assert session.alignment("tess", "l2").edits == ()
    cleaned = score_project(session.project, "cleaned")
    tess = next(s for s in cleaned["systems"] if s["name"] == "tess")
    original = next(s for s in score_project(session.project)["systems"] if s["name"] == "tess")
    assert original["metrics"]["cer"]["errors"] - tess["metrics"]["cer"]["errors"] == 2


def test_filter_by_category(window: MainWindow) -> None:
    items = window.items
    items.proxy.set_category("confusable")
    assert set(items.visible_ids()) == {"l1", "l3"}
    items.proxy.set_category(None)
    assert len(items.visible_ids()) == 3


def test_reopening_returns_to_the_same_item(window: MainWindow, qtbot: QtBot,
                                            tmp_path: Path) -> None:
    session = window.session
    assert session is not None
    press(qtbot, window, "j")
    press(qtbot, window, "j")
    path = session.path
    window.close()
    again = MainWindow("tester")
    qtbot.addWidget(again)
    assert again.open_project(path)
    assert again.session is not None and again.session.current_item == "l3"
    again.close()


def test_a_file_that_is_not_a_project_gets_a_dialog(window: MainWindow, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    assert not window.open_project(junk)
    assert shown and "not a reviewer project" in shown[0]
    assert window.session is not None  # the open project stays usable


def test_shortcut_list_and_theme_toggle(window: MainWindow) -> None:
    assert window.actions_by_id["shortcuts"].shortcuts()
    window.toggle_theme()
    app = QApplication.instance()
    assert app is not None and app.property("reviewer_theme") == "dark"
    window.toggle_theme()
    assert app.property("reviewer_theme") == "light"


def test_a_failing_background_task_is_shown_and_the_window_stays_usable(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from reviewer.gui.tasks import run_task

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))

    def broken(progress: object) -> None:
        raise RuntimeError("the disk is on fire")

    errors: list[BaseException] = []
    run_task(broken, on_done=lambda _: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(shown) and bool(errors), timeout=5000)
    assert "RuntimeError: the disk is on fire" in shown[0]
    press(qtbot, window, "j")
    assert window.session is not None and window.session.current_item == "l2"


def test_the_demo_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    from reviewer.demo import ensure_demo

    win = MainWindow("tester", demo_opener=lambda progress: ensure_demo(tmp_path / "demo.db"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.open_demo()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    session = win.session
    assert session is not None and session.current_item == "line_0001"
    assert len(session.systems) == 2 and session.project.item_count() == 200
    press(qtbot, win, "j")
    press(qtbot, win, "j")
    press(qtbot, win, "k")
    assert session.current_item == "line_0002"
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, win, "3")
    with Project(session.path) as other:
        assert decisions.get_decision(other, "line_0002").verdict == "reference_error"
        assert [e.action for e in decisions.history(other, "line_0002")] == ["set"]
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(win.diff, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.decision("line_0002").verdict is None
    # A planted reference mistake: "watch" typed as "wtach" (resources/demo/text/README.md).
    win.items.select_id("line_0021")
    assert session.current_item == "line_0021"
    before = score_project(session.project, "cleaned")["systems"][0]["metrics"]["cer"]["errors"]
    while session.alignment("tesseract-lstm", "line_0021").edits:
        session.select_edit("tesseract-lstm", 0)
        with qtbot.waitSignal(session.decisionChanged, timeout=5000):
            press(qtbot, win, "r")
    assert "watch" in (session.decision("line_0021").corrected_reference or "")
    after = score_project(session.project, "cleaned")["systems"][0]["metrics"]["cer"]["errors"]
    assert after < before
    win.items.proxy.set_category("whitespace")
    visible = win.items.visible_ids()
    assert visible
    for item_id in visible:
        assert any("whitespace" in session.alignment(s, item_id).categories()
                   for s in session.systems)
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def test_the_annotator_is_asked_once_and_kept_in_the_project(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    assert window.session is not None
    path = window.session.path
    window.close()
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(kwargs.get("text")))
        return "Ada", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    for _ in range(2):
        win = MainWindow(None)
        qtbot.addWidget(win)
        assert win.open_project(path)
        assert win.session is not None and win.session.annotator == "Ada"
        win.close()
    assert len(asked) == 1
    with Project(path) as project:
        assert project.meta("annotator") == "Ada"


def test_decisions_made_elsewhere_are_noticed_and_shown(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    window.auto_advance_action.setChecked(False)  # l1 stays in view after its verdict
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, window, "1")
    assert session.flush()  # the panel's own follow-up write too: nothing of ours waits
    assert session.check_external_changes() == 0  # our own decision is not news
    with Project(session.path) as other:
        decisions.decide(other, "l1", "someone-else", verdict="unusable")
    with qtbot.waitSignal(session.decisionsReset, timeout=5000):
        assert session.check_external_changes() == 1
    assert session.decision("l1").verdict == "unusable"
    assert window.items.model.verdict("l1") == "unusable"
    checked = [b.property("verdict") for b in window.panel.buttons.buttons() if b.isChecked()]
    assert checked == ["unusable"]


@pytest.mark.parametrize("kind", ["text", "asr", "gec", "kern", "choice", "label"])
def test_each_kind_demo_opens_with_its_view_and_lists_its_keys(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    from reviewer.demo import demo_kinds, ensure_demo
    from reviewer.gui.kinds import kind_help

    assert kind in demo_kinds(), f"the {kind} demo is not bundled"
    path = ensure_demo(tmp_path / f"demo-{kind}.db", kind)
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(path)
    session = win.session
    assert session is not None and session.kind == kind
    assert session.current_item == session.project.first_item_id()
    assert (win.kind_view is None) == (kind == "text")
    label = win.shortcuts_dialog().findChild(QLabel)
    assert label is not None
    text = label.text()
    assert kind_help(kind) == "" or "This kind of item" in text
    bound = win.actions_by_id["next_unreviewed"].shortcuts()[0].toString()
    assert f"<b>{bound}</b>" in text  # the dialog shows the key as it is bound now
    if kind == "choice":
        assert bound == "Shift+N"  # N marks "no correct answer" in choice projects
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()
