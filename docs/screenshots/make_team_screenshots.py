"""Regenerate the screenshot of the window on a shared project (offscreen).

- team-sync.png: annotator ada's window on the text demo shared through a PostgreSQL
  server started for the purpose in a temporary folder; her teammate ben decides the item
  she looks at in his own copy and syncs, and his decision arrives in her window with its
  background sync: the item list, the adjudication dock ("2 annotators disagree"), the
  message saying what arrived and the sync state in the status bar;
- team-offline.png: her status bar once the server is out of reach and two more
  decisions wait in her copy's outbox.

Needs PostgreSQL's server programs (the `postgresql` system package, or `pip install
pgserver`) and psycopg (`pip install 'reviewer[team]'`).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_team_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from shot_setup import isolate, light_app, open_window
from shot_setup import save as _save
from shot_setup import settle as _settle

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ITEM = "line_0021"  # a planted reference mistake: the two of them disagree on it


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        from reviewer.store.team import local_server

        if local_server.find_bin_dir() is None:
            print(local_server.MISSING, file=sys.stderr)
            return 2
        folder = Path(tmp) / "server"
        folder.mkdir()
        folder.chmod(0o755)  # as root, the server runs as `postgres` and must reach it
        Path(tmp).chmod(0o755)
        server = local_server.server_in(folder / "data")
        local_server.start(server)
        try:
            local_server.create_database(server)
            shoot(Path(tmp), server)
        finally:
            local_server.stop(server)
    return 0


def shoot(tmp: Path, server: object) -> None:
    """Share the text demo, join it twice, and take the window as ben's decision arrives."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui import settings
    from reviewer.store import decisions
    from reviewer.store.db import write_transaction
    from reviewer.store.project import Project
    from reviewer.store.team import join_project, local, share_project, sync_project
    from reviewer.store.team.local_server import LocalServer

    assert isinstance(server, LocalServer)
    demo = ensure_demo(tmp / "demo.db", "text")
    share_project(demo, server.url(), "ocr-demo", [("ada", "annotator"), ("ben", "annotator")])
    ada, ben = tmp / "ada.db", tmp / "ben.db"
    join_project(f"{server.url(user='ada')}/ocr-demo", ada)
    join_project(f"{server.url(user='ben')}/ocr-demo", ben)
    with Project(ben) as project:  # ben's morning: a few items decided and synced
        for item, verdict in (("line_0001", "model_error"), ("line_0002", "ok")):
            decisions.decide(project, item, "ben", verdict=verdict)
    sync_project(ben)

    app = light_app()
    settings.set_team_sync_seconds(1)
    window = open_window(app, ada, (1400, 860))
    session = window.session
    assert session is not None
    window.auto_advance_action.setChecked(False)
    session.set_current_item(ITEM)
    _settle(app, 2.0)
    QTest.keyClick(window.diff, Qt.Key.Key_3)  # ada: reference error, pushed after a pause
    session.flush()
    _settle(app, 3.5)
    with Project(ben) as project:  # ben, on his laptop, thinks the model erred
        decisions.decide(project, ITEM, "ben", verdict="model_error",
                         note="the reference is right; the model dropped the comma")
    sync_project(ben)
    arrived = False
    deadline = time.monotonic() + 20
    while not arrived and time.monotonic() < deadline:
        _settle(app, 0.2)
        arrived = "by ben" in window.statusBar().currentMessage()
    assert arrived, "ben's decision did not arrive"
    dock = window.findChild(QDockWidget, "adjudication")
    assert dock is not None
    dock.raise_()  # tabbed with the statistics: shown in front
    _settle(app, 0.5)
    _save(window, "team-sync.png")

    # The server goes out of reach (ada's train leaves); she keeps deciding.
    with Project(ada) as project, write_transaction(project.db):
        url = local.read_all(project.db.conn)[local.URL]
        local.write(project.db.conn, local.URL, url.replace(f":{server.port}/", ":9/"))
    for key in (Qt.Key.Key_J, Qt.Key.Key_1, Qt.Key.Key_J, Qt.Key.Key_2):
        QTest.keyClick(window.diff, key)
    session.flush()
    team = window.team
    assert team is not None
    done = team.completed
    team.sync_now()
    while team.completed == done and time.monotonic() < deadline + 20:
        _settle(app, 0.2)
    _settle(app, 0.5)
    _save(window.statusBar(), "team-offline.png")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
