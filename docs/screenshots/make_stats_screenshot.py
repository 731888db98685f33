"""The statistics view while its child process scores the cleaned set (bar, time left) and
once it is done, side by side (docs/screenshots/stats-computing.png).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_stats_screenshot.py PROJECT.db

``PROJECT.db`` is a text project large enough for the scoring to take seconds, say the
100,000-item one that ``benchmarks/synthetic.py`` builds; it is copied first (the script
gives a few verdicts). The first scoring times its phases; the verdicts make the view score
the cleaned set again, which is shot while it runs, with the time it has left.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shot_setup import HERE, isolate, light_app

VERDICTS = 40
GAP = 12  # pixels between the two shots


def wait_for(app: Any, condition: Callable[[], bool], timeout: float = 900) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    if not condition():
        raise SystemExit("the statistics took too long")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        project = Path(tmp) / "project.db"
        shutil.copyfile(sys.argv[1], project)
        project.chmod(0o644)
        app = light_app()
        from PySide6.QtGui import QColor, QPainter, QPixmap

        from reviewer.gui.session import ReviewSession
        from reviewer.gui.stats_view import StatsView

        session = ReviewSession(project, "screenshots")
        view = StatsView(session)
        view.resize(460, 700)
        view.show()
        wait_for(app, lambda: view.report is not None and not view.busy())
        for k, item in enumerate(session.project.item_ids()[:VERDICTS]):
            session.decide(item, verdict="unusable" if k % 4 == 0 else "ok")
        wait_for(app, view.busy)
        wait_for(app, lambda: "left" in view.scoring_bar.format()
                 and view.scoring_bar.value() > view.scoring_bar.maximum() // 4)
        computing = view.grab()
        wait_for(app, lambda: not view.busy())
        done = view.grab()
        both = QPixmap(computing.width() + GAP + done.width(),
                       max(computing.height(), done.height()))
        both.fill(QColor("#888888"))
        painter = QPainter(both)
        painter.drawPixmap(0, 0, computing)
        painter.drawPixmap(computing.width() + GAP, 0, done)
        painter.end()
        path = HERE / "stats-computing.png"
        both.save(str(path))
        print(f"wrote {path}")
        session.close()
    return 0


if __name__ == "__main__":  # the scoring's child process imports this file again
    sys.exit(main())
