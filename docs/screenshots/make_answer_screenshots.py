"""Regenerate the screenshots of the ``answer`` kind (offscreen):

- ``answer-item.png``: a demo question whose gold is wrong, the models' answers taken as the
  corrected gold (Shift+digit), one model's harness answer disagreeing with reviewer's;
- ``answer-harness-choice.png``: a multiple-choice item imported from a real
  lm-evaluation-harness log, each option with the models' mean probability;
- ``answer-suspicion.png``: the demo in the "likely label errors first" queue.

    python docs/screenshots/make_answer_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from shot_setup import isolate, light_app, open_window
from shot_setup import save as _save
from shot_setup import settle as _settle

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LOGS = REPO / "tests" / "data" / "harness" / "lm-eval"
WIDTH, HEIGHT = 1400, 860


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        isolate(tmp)
        app = light_app()
        answer_item(app, tmp)
        harness_choice(app, tmp)
        suspicion_queue(app, tmp)
    return 0


def answer_item(app: Any, tmp: Path) -> None:
    from reviewer.demo import ensure_demo

    window = open_window(app, ensure_demo(tmp / "demo.db", "answer"), (WIDTH, HEIGHT))
    session = window.session
    session.set_current_item("a07")  # gold 21; four of five models say 20
    _settle(app)
    window.kind_view.pick_model(1)  # as Shift+1 does: sim-large's 20 becomes the gold
    session.flush()
    _settle(app, 1.0)
    _save(window, "answer-item.png")
    window.close()


def harness_choice(app: Any, tmp: Path) -> None:
    from reviewer.formats.load import load_benchmark
    from reviewer.formats.registry import ReadOptions
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    def log(model: str) -> Path:
        return next((LOGS / model).glob("samples_reviewer_mc_*.jsonl"))

    db = tmp / "harness-mc.db"
    bench = load_benchmark(log("modelA"), [("modelB", log("modelB"))],
                           ReadOptions(kind="choice"))
    with Project(db, create=True) as project:
        import_benchmark(project, bench, name="lm-evaluation-harness: reviewer_mc")
    window = open_window(app, db, (WIDTH, HEIGHT))
    window.session.set_current_item("0")  # the two models disagree; the key is B
    _settle(app, 1.0)
    _save(window, "answer-harness-choice.png")
    window.close()


def suspicion_queue(app: Any, tmp: Path) -> None:
    from reviewer.demo import ensure_demo
    from reviewer.gui.suspicion import tracker

    window = open_window(app, ensure_demo(tmp / "demo-queue.db", "answer"), (WIDTH, HEIGHT))
    session = window.session
    suspicion = tracker(session)
    window.items.set_queue(True)
    for _ in range(100):
        _settle(app, 0.1)
        if suspicion.suspects is not None:
            break
    session.set_current_item(window.items.visible_ids()[0])
    _settle(app, 1.0)
    _save(window, "answer-suspicion.png")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
