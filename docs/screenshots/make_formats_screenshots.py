"""Regenerate the screenshots of benchmarks read as their fields publish them (offscreen):

- ``asr-nlp-filter.png``: Rev NLP calls (tests/data/nlp, with normalisation and entity
  sidecars) filtered by ``entity:ORG``; the info line gives the speakers, the entity
  classes and each system's fstalign-style WER;
- ``asr-nlp-entities.png``: the statistics view's fstalign WER and per-entity rows;
- ``nlp-call.png``: an NLP call in the alignment view, drawn with fstalign's path: the
  normalised spans read as spoken are matched (dotted underline), the entity spans of the
  reference underlined in their class's colour, the legend counting fstalign's errors;
- ``text-ocrd-workspace.png``: an OCR-D workspace (tests/data/mets) imported from its
  ``mets.xml`` line by line with the ``dinglehopper`` preset.

    python docs/screenshots/make_formats_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from shot_setup import isolate, light_app, open_window, save, settle

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "tests" / "data"


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        isolate(tmp)
        app = light_app()
        nlp_calls(app, tmp)
        ocrd_workspace(app, tmp)
    return 0


def nlp_calls(app: Any, tmp: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    from reviewer.formats.load import load_benchmark
    from reviewer.formats.registry import ReadOptions
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    nlp = DATA / "nlp"
    bench = load_benchmark(nlp / "refs", [("txt", nlp / "hyps")], ReadOptions(
        kind="asr", normalizations=nlp / "norm", wer_tags=nlp / "tags",
        synonyms=nlp / "synonyms.rules.txt"))
    db = tmp / "calls.db"
    with Project(db, create=True) as project:
        import_benchmark(project, bench, name="Rev NLP calls with entity sidecars")
    window = open_window(app, db, (1500, 820))
    window.items.filter_edit.setText("entity:ORG")
    settle(app, 1.0)
    window.session.set_current_item("call1")
    settle(app, 1.0)
    save(window, "asr-nlp-filter.png")
    window.items.filter_edit.setText("")
    window.diff.set_mode("inline")
    settle(app, 1.0)
    save(window, "nlp-call.png")
    dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "stats")
    dock.raise_()
    window.resizeDocks([dock], [620], Qt.Orientation.Horizontal)
    for _ in range(100):
        settle(app, 0.1)
        if window.stats.report is not None and not window.stats.busy():
            break
    settle(app, 0.5)
    save(dock, "asr-nlp-entities.png")
    window.close()


def ocrd_workspace(app: Any, tmp: Path) -> None:
    from reviewer.cli import main as cli

    db = tmp / "workspace.db"
    workspace = DATA / "mets" / "ws"
    status = cli(["import", str(db), str(workspace / "mets.xml"),
                  "--ref-group", "OCR-D-GT-PAGE", "--pred", "A=OCR-D-OCR-A",
                  "--unit", "line", "--normalize", "dinglehopper",
                  "--name", "An OCR-D workspace, dinglehopper's CER"])
    assert status == 0, "the workspace import failed"
    window = open_window(app, db, (1400, 860))
    window.session.set_current_item("PHYS_0001_l2")  # only the final full stop differs
    settle(app, 1.0)
    save(window, "text-ocrd-workspace.png")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
