"""The window on a shared project, against a real PostgreSQL server (tests/team_server.py):
background sync, its state in the status bar, teammates' decisions as they arrive."""

from __future__ import annotations

import multiprocessing
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QSpinBox
from pytestqt.qtbot import QtBot

from reviewer.gui import settings
from reviewer.gui.main_window import MainWindow
from reviewer.gui.team_sync import TeamSyncStatus
from reviewer.store import decisions
from reviewer.store.db import write_transaction
from reviewer.store.project import Project
from reviewer.store.team import join_project, local, share_project, sync_project, sync_state
from reviewer.store.team.server_schema import SharedSchema
from tests.team_server import TeamServer, small_project, unique_name

WAIT_MS = 20_000  # a background sync every second; the server may be slow on a busy machine
CLOCK = r"\d\d:\d\d"
OpenWindow = Callable[..., MainWindow]


@pytest.fixture
def copies(team_server: TeamServer, tmp_path: Path) -> dict[str, Path]:
    """A small project shared by its owner; the copies of annotators alice and bob and of
    observer olga, each joined as their own role."""
    owner = small_project(tmp_path / "owner.db")
    name = unique_name("win")
    share_project(owner, team_server.url(), name,
                  [("alice", "annotator"), ("bob", "annotator"), ("olga", "observer")])
    found = {}
    for who in ("alice", "bob", "olga"):
        found[who] = tmp_path / f"{who}.db"
        join_project(team_server.project_url(name, who), found[who])
    return found


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[OpenWindow]:
    """Opens the window on a project, syncing every second unless told; closed at
    teardown."""
    windows: list[MainWindow] = []

    def open_on(path: Path, annotator: str | None = None, every: int = 1) -> MainWindow:
        """``every``: the sync interval in seconds."""
        settings.set_team_sync_seconds(every)
        window = MainWindow(annotator)
        qtbot.addWidget(window)
        assert window.open_project(path)
        window.auto_advance_action.setChecked(False)  # the decided item stays in view
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield open_on
    for window in windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def sync_label(window: MainWindow) -> TeamSyncStatus:
    found = window.statusBar().findChild(TeamSyncStatus, "teamSyncStatus")
    assert found is not None, "no sync state in the status bar"
    return found


def synced_once(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the sync the window starts as it opens, and for its state shown."""
    team = window.team
    assert team is not None
    qtbot.waitUntil(lambda: team.completed >= 1, timeout=WAIT_MS)


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key | str) -> None:
    """A key typed where the review keys work (the alignment view), as a person would."""
    if isinstance(key, str):
        qtbot.keyClicks(window.diff, key)
    else:
        qtbot.keyClick(window.diff, key)


def server_events(team_server: TeamServer, path: Path) -> list[tuple[str, str, str]]:
    """(annotator, item, verdict after) of every event the server holds for ``path``'s project."""
    with Project(path) as project:
        found = local.settings(project.db.conn)
    assert found is not None
    with team_server.connect() as conn:
        rows = conn.execute(
            f"SELECT annotator, item_id, after::json->>'verdict' FROM "
            f"{SharedSchema(found.project).table('events')} ORDER BY seq").fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def point_at(path: Path, port_from: int, port_to: int) -> None:
    """Make the copy's server address use another port (9: nothing listens there)."""
    with Project(path) as project, write_transaction(project.db):
        url = local.read_all(project.db.conn)[local.URL]
        local.write(project.db.conn, local.URL, url.replace(f":{port_from}/", f":{port_to}/"))


def test_a_local_project_shows_nothing_about_sync(tmp_path: Path, open_window: OpenWindow,
                                                  qtbot: QtBot) -> None:
    window = open_window(small_project(tmp_path / "solo.db"), "tester")
    assert window.team is None
    assert window.statusBar().findChild(TeamSyncStatus) is None
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert not [a.text() for a in file_menu.actions() if a.isVisible() and "Sync" in a.text()]
    assert window.sync_action.shortcuts() == []  # F5 is bound to nothing here
    label = window.shortcuts_dialog().findChild(QLabel)
    assert label is not None and "<b>F5</b>" not in label.text()


@pytest.mark.slow
def test_a_teammates_decision_arrives_in_the_open_window(
        copies: dict[str, Path], open_window: OpenWindow, qtbot: QtBot) -> None:
    window = open_window(copies["alice"])
    session = window.session
    assert session is not None and session.annotator == "alice"
    label = sync_label(window)
    synced_once(qtbot, window)
    assert re.fullmatch(f"Synced {CLOCK}", label.text())
    assert window.sync_action.isVisible() and window.sync_action.isEnabled()
    sheet = window.shortcuts_dialog().findChild(QLabel)
    assert sheet is not None and "<b>F5</b>" in sheet.text()  # Sync Now's key, listed

    with Project(copies["bob"]) as bob:  # bob decides in his own copy and syncs
        decisions.decide(bob, "c", "bob", verdict="reference_error",
                         corrected_reference="Plain lime")
    assert sync_project(copies["bob"]).pushed == 1

    model = window.items.model
    qtbot.waitUntil(lambda: model.verdict("c") == "reference_error",
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "c by bob" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert window.statusBar().currentMessage().startswith("1 decision from a teammate arrived")
    assert session.decision("c").corrected_reference == "Plain lime"
    assert re.fullmatch(f"Synced {CLOCK}", label.text())
    assert sync_state(copies["alice"]).waiting == 0


@pytest.mark.slow
def test_a_verdict_key_goes_to_the_server_and_to_a_teammate(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    # No timed sync: F5 (and the pause after a decision) only.
    window = open_window(copies["alice"], "someone-else", every=3600)  # the copy's role wins
    session = window.session
    assert session is not None and session.annotator == "alice"
    synced_once(qtbot, window)
    with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
        press(qtbot, window, "2")  # l1 ("a"): model error
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: ("alice", "a", "model_error") in server_events(team_server,
                                                                           copies["alice"]),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: sync_label(window).text().startswith("Synced"), timeout=WAIT_MS)
    sync_project(copies["bob"])
    with Project(copies["bob"]) as bob:
        assert decisions.get_decision(bob, "a").verdict == "model_error"
        assert [e.annotator for e in decisions.history(bob, "a")] == ["alice"]


@pytest.mark.slow
def test_decisions_go_out_once_the_user_pauses(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    window = open_window(copies["alice"], every=3600)  # the pause after decisions only
    session = window.session
    assert session is not None
    synced_once(qtbot, window)
    for key in ("2", "j", "3"):  # a: model error, b: reference error
        press(qtbot, window, key)
    qtbot.waitUntil(lambda: server_events(team_server, copies["alice"])[-2:] == [
        ("alice", "a", "model_error"), ("alice", "b", "reference_error")], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: sync_label(window).text().startswith("Synced"), timeout=WAIT_MS)


@pytest.mark.slow
def test_one_sync_at_a_time(copies: dict[str, Path], open_window: OpenWindow,
                            qtbot: QtBot) -> None:
    window = open_window(copies["alice"], every=3600)
    team = window.team
    assert team is not None
    synced_once(qtbot, window)
    before = team.completed
    for _ in range(5):  # impatient: F5 again and again while the first sync runs
        press(qtbot, window, Qt.Key.Key_F5)
        assert team.running
    qtbot.waitUntil(lambda: not team.running and team.completed > before, timeout=WAIT_MS)
    qtbot.wait(500)
    assert not team.running
    assert 1 <= team.completed - before <= 2  # the one running, and one more after it


def test_the_sync_interval_is_asked_for_and_kept(
        copies: dict[str, Path], open_window: OpenWindow, qtbot: QtBot) -> None:
    window = open_window(copies["alice"])
    team = window.team
    assert team is not None and team.timer.interval() == 1000

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        spin = dialog.findChild(QSpinBox)
        assert spin is not None
        spin.selectAll()
        qtbot.keyClicks(spin, "30")
        qtbot.keyClick(spin, Qt.Key.Key_Return)

    QTimer.singleShot(200, answer)
    window.sync_interval_action.trigger()  # File ▸ Sync Interval…
    assert team.timer.interval() == 30_000
    assert settings.team_sync_seconds() == 30


@pytest.mark.slow
def test_offline_says_since_when_and_how_many_wait_then_catches_up(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    alice = copies["alice"]
    point_at(alice, team_server.port, 9)  # nothing listens there: the server is unreachable
    window = open_window(alice, every=3600)  # no timed sync: F5 brings it back below
    label = sync_label(window)
    qtbot.waitUntil(lambda: label.text().startswith("Offline since"), timeout=WAIT_MS)
    assert re.fullmatch(f"Offline since {CLOCK} \\(0 waiting\\)", label.text())
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
        press(qtbot, window, "3")  # saved here, waiting for the server
    qtbot.waitUntil(lambda: "(1 waiting)" in label.text(), timeout=WAIT_MS)
    assert re.fullmatch(f"Offline since {CLOCK} \\(1 waiting\\)", label.text())
    team = window.team
    assert team is not None
    qtbot.waitUntil(lambda: team.completed >= 2, timeout=WAIT_MS)  # tried after the pause
    assert re.fullmatch(f"Offline since {CLOCK} \\(1 waiting\\)", label.text())
    assert "could not be reached" in label.toolTip()

    point_at(alice, 9, team_server.port)  # the server is back
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: re.fullmatch(f"Synced {CLOCK}", label.text()) is not None,
                    timeout=WAIT_MS)
    assert server_events(team_server, alice).count(("alice", "a", "reference_error")) == 1
    state = sync_state(alice)
    assert (state.waiting, state.offline_since) == (0, None)


@pytest.mark.slow
def test_a_refused_write_shows_the_servers_message(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    window = open_window(copies["olga"])  # an observer: reads only
    session = window.session
    assert session is not None and session.annotator == "olga"
    label = sync_label(window)
    synced_once(qtbot, window)
    assert label.text().startswith("Synced")
    with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
        press(qtbot, window, "1")
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: label.full_text.startswith("Refused"), timeout=WAIT_MS)
    assert "role 'olga'" in label.full_text and "observers only read" in label.full_text
    assert "(1 waiting)" in label.full_text
    assert "role 'olga'" in window.statusBar().currentMessage()
    assert label.full_text in label.toolTip()
    assert all(who != "olga" for who, _item, _verdict in server_events(team_server,
                                                                       copies["olga"]))
    assert sync_state(copies["olga"]).waiting == 1  # kept: nothing is dropped


@pytest.mark.slow
def test_disagreements_and_adjudication_work_on_the_shared_history(
        copies: dict[str, Path], open_window: OpenWindow, qtbot: QtBot) -> None:
    with Project(copies["bob"]) as bob:
        decisions.decide(bob, "a", "bob", verdict="reference_error")
        decisions.decide(bob, "b", "bob", verdict="ok")
    sync_project(copies["bob"])
    window = open_window(copies["alice"])
    session = window.session
    assert session is not None
    qtbot.waitUntil(lambda: window.items.model.verdict("a") == "reference_error",
                    timeout=WAIT_MS)
    with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
        press(qtbot, window, "1")  # alice: "a" is fine; bob said reference error
    check = window.items.disagreements_check
    check.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.isChecked()
    proxy = window.items.proxy
    shown = [window.items.model.item_id(proxy.mapToSource(proxy.index(row, 0)).row())
             for row in range(proxy.rowCount())]
    assert shown == ["a"]
    assert window.adjudication.title.text() == "a: 2 annotators disagree"
    assert {a.annotator for a in window.adjudication.annotations} == {"alice", "bob"}


@pytest.mark.slow
def test_closing_during_a_sync_loses_nothing(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    alice = copies["alice"]
    window = open_window(alice)
    team = window.team
    session = window.session
    assert team is not None and session is not None
    synced_once(qtbot, window)
    with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
        press(qtbot, window, "4")
    press(qtbot, window, Qt.Key.Key_F5)
    assert team.running
    window.close()
    assert not team.running and not team.cancelled  # the close waited for the sync
    assert not multiprocessing.active_children()  # its worker process ended
    pushed_or_waiting = (server_events(team_server, alice).count(("alice", "a", "ambiguous"))
                         + sync_state(alice).waiting)
    assert pushed_or_waiting == 1
    sync_project(alice)
    assert server_events(team_server, alice).count(("alice", "a", "ambiguous")) == 1


@pytest.mark.slow
def test_closing_stops_a_sync_stuck_on_a_silent_server(
        copies: dict[str, Path], open_window: OpenWindow, team_server: TeamServer,
        qtbot: QtBot) -> None:
    alice = copies["alice"]
    with socket.socket() as silent:  # takes connections and never answers
        silent.bind(("localhost", 0))
        silent.listen(8)
        silent_port = silent.getsockname()[1]
        point_at(alice, team_server.port, silent_port)
        window = open_window(alice)
        team = window.team
        session = window.session
        assert team is not None and session is not None
        with qtbot.waitSignal(session.decisionChanged, timeout=WAIT_MS):
            press(qtbot, window, "5")
        press(qtbot, window, Qt.Key.Key_F5)
        assert team.running
        window.close()
        assert not team.running and team.cancelled  # stopped, not waited out
        assert not multiprocessing.active_children()
    state = sync_state(alice)
    assert state.waiting == 1  # the decision stays in the outbox
    point_at(alice, silent_port, team_server.port)
    assert sync_project(alice).pushed == 1
    assert server_events(team_server, alice).count(("alice", "a", "unusable")) == 1
