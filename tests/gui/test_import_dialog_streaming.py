"""The import dialog on a large table: the table streams, the dialog tells the time left,
and Cancel in mid-stream closes it once stopped, leaving no project (issue 19 §2)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core import evaluate, time_left
from reviewer.formats import stream_table
from reviewer.gui.import_dialog import ImportDialog
from reviewer.store import stream_import

pytestmark = pytest.mark.usefixtures("import_dialog_pool")


def big_table(path: Path, rows: int) -> Path:
    lines = ["id,gt,pred_a,pred_b"]
    lines += [f"l{k},The modern harbour {k},The rnodern harbour {k},Tne modern harb0ur {k}"
              for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_streamed_import_tells_the_time_left_and_cancel_stops_it(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(1_000_000))  # every look at the clock is a second later
    monkeypatch.setattr(time_left, "_clock", lambda: float(next(ticks)))
    monkeypatch.setattr(stream_table, "CHUNK_ROWS", 50)
    monkeypatch.setattr(evaluate, "_CHUNK", 100)
    score = evaluate._score_chunk

    def slowly(job: Any) -> Any:  # a slower machine: the import is still running when looked at
        time.sleep(0.02)
        return score(job)

    monkeypatch.setattr(evaluate, "_score_chunk", slowly)
    streamed: list[int] = []
    real = stream_import.import_stream

    def counted(*args: object, **kwargs: object) -> dict[str, int]:
        streamed.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream_import, "import_stream", counted)
    dialog = ImportDialog(workers=1)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_reference(big_table(tmp_path / "lines.csv", 20_000))
    project = Path(dialog.project_path())
    dialog.import_button.setFocus()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.status_label.text().endswith(" left"), timeout=60_000)
    assert dialog.status_label.text().startswith("Aligning 40,000 pairs: ")
    assert 0 < dialog.progress_bar.value() < dialog.progress_bar.maximum()
    dialog.cancel_button.setFocus()
    with qtbot.waitSignal(dialog.rejected, timeout=60_000):  # closed once the import stopped
        qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Space)
    assert dialog.progress is None and not dialog.isVisible()
    assert streamed == [1]
    assert not project.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lines.csv"]
