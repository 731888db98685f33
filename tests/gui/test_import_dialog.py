"""The "New project from files" dialog: preview, mapping, background import, errors, cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.core.errors import Cancelled
from reviewer.core.items import Benchmark
from reviewer.gui.import_dialog import ImportDialog, dropped_paths_to_dialog
from reviewer.gui.import_preview import SKIP, Mapping
from reviewer.store.project import Project

pytestmark = pytest.mark.usefixtures("import_dialog_pool")


def _dialog(qtbot: QtBot, workers: int | None = None) -> ImportDialog:
    dialog = ImportDialog(workers=workers)
    qtbot.addWidget(dialog)
    return dialog


def test_csv_preview_and_detected_mapping(qtbot: QtBot, import_table_csv: Callable[..., Path],
                                          tmp_path: Path, qtmodeltester: ModelTester) -> None:
    csv_path = import_table_csv(rows=25)
    dialog = _dialog(qtbot)
    dialog.set_reference(csv_path)
    assert dialog.preview.model.rowCount() == 20
    qtmodeltester.check(dialog.preview.model)
    assert dialog.preview.model.columnCount() == 5
    assert dialog.preview.model.item(0, 1).text() == "The cat sat 1"
    assert dialog.preview.mapping() == Mapping("id", "gt", None, {"a": "pred_a", "b": "pred_b"})
    assert dialog.preview.ref_combo.currentText() == "gt"
    header = dialog.preview.model.horizontalHeaderItem(1).text()
    assert "reference" in header
    # The project file follows the reference until the user chooses one.
    assert dialog.project_path() == str(tmp_path / "lines.db")
    assert dialog.import_button.isEnabled()
    assert dialog.error_label.text() == ""


def test_mapping_changes_go_into_the_options(qtbot: QtBot,
                                             import_table_csv: Callable[..., Path]) -> None:
    dialog = _dialog(qtbot)
    dialog.set_reference(import_table_csv())
    dialog.preview.ref_combo.setCurrentText("gt_fixed")
    dialog.preview.pred_rows[0][1].setText("tess")
    options = dialog.read_options()
    assert options.ref_col == "gt_fixed"
    assert options.id_col == "id"
    assert dict(options.pred_cols) == {"tess": "pred_a", "b": "pred_b"}
    dialog.preview.pred_rows[1][0].setCurrentText(SKIP)
    assert dict(dialog.read_options().pred_cols) == {"tess": "pred_a"}
    assert dialog.request().keep_systems == frozenset({"tess"})

    dialog.preview.ref_combo.setCurrentText("pred_a")
    assert "chosen twice" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_form_problems_are_shown_in_place(qtbot: QtBot, tmp_path: Path,
                                          import_table_csv: Callable[..., Path]) -> None:
    dialog = _dialog(qtbot)
    assert "reference" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    dialog.set_reference(tmp_path / "missing.csv")
    assert "does not exist" in dialog.error_label.text()
    dialog.set_reference(import_table_csv())
    dialog.add_prediction(tmp_path / "nowhere.txt")
    assert "nowhere.txt" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    dialog.predictions.selectRow(0)
    dialog._remove_selected_predictions()
    assert dialog.import_button.isEnabled()
    existing = tmp_path / "taken.db"
    existing.write_bytes(b"x")
    dialog.set_project_path(existing)
    assert "already exists" in dialog.error_label.text()


def test_table_without_reference_column(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("id,words,pred\n1,a,b\n", encoding="utf-8")
    dialog = _dialog(qtbot)
    dialog.set_reference(path)
    assert "no reference column" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    dialog.preview.ref_combo.setCurrentText("words")
    assert dialog.error_label.text() == ""
    assert dialog.import_button.isEnabled()


def test_folder_and_jsonl_references(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "gt"
    folder.mkdir()
    for k in range(3):
        (folder / f"line{k}.gt.txt").write_text(f"text {k}\n", encoding="utf-8")
    dialog = _dialog(qtbot)
    dialog.set_reference(folder)
    assert "3 references found" in dialog.preview.description.text()
    assert not dialog.preview.is_table()
    assert dialog.import_button.isEnabled()

    jsonl = tmp_path / "lines.jsonl"
    jsonl.write_text("".join(f'{{"id": "{k}", "text": "t{k}", "hyp_x": "t"}}\n'
                             for k in range(30)), encoding="utf-8")
    dialog.set_reference(jsonl)
    assert dialog.preview.model.rowCount() == 20
    assert dialog.preview.mapping() == Mapping("id", "text", None, {"x": "hyp_x"})


def test_import_creates_the_project(qtbot: QtBot, import_table_csv: Callable[..., Path],
                                    tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("id,prediction\nl1,The cat sat 1\nl2,The bat sat 2\n", encoding="utf-8")
    dialog = _dialog(qtbot, workers=1)
    dialog.set_reference(import_table_csv())
    dialog.add_prediction(extra)
    dialog.set_project_path(tmp_path / "new")
    dialog.preview.pred_rows[0][1].setText("tess")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.import_button.click()
    assert dialog.project_path() == str(tmp_path / "new.db")
    with Project(dialog.project_path()) as project:
        assert project.item_ids() == ["l1", "l2", "l3"]
        assert sorted(project.systems()) == ["b", "extra", "tess"]
        assert project.prediction("tess", "l1") == "The cat sat 1"
    assert any("no prediction" in w for w in dialog.warnings)


def test_bad_file_shows_the_error_and_creates_nothing(qtbot: QtBot,
                                                      import_table_csv: Callable[..., Path],
                                                      tmp_path: Path) -> None:
    dialog = _dialog(qtbot, workers=1)
    # The duplicate is past the rows the preview reads: only the import finds it.
    dialog.set_reference(import_table_csv(rows=25, duplicate=True))
    project = Path(dialog.project_path())
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.progress is None, timeout=30_000)
    assert "duplicate" in dialog.error_label.text()
    assert "lines.csv" in dialog.error_label.text()
    assert dialog.status_label.text() == "Import failed"
    assert not project.exists()
    assert dialog.result() == 0 and dialog.isEnabled()
    assert dialog.reference_edit.isEnabled()


def test_cancel_removes_the_partial_project(qtbot: QtBot,
                                            import_table_csv: Callable[..., Path]) -> None:
    dialog = _dialog(qtbot, workers=1)
    dialog.set_reference(import_table_csv(rows=30_000))
    project = Path(dialog.project_path())
    dialog.start_import()
    dialog.cancel_import()
    qtbot.waitUntil(lambda: dialog.progress is None, timeout=60_000)
    assert dialog.status_label.text() == "Import cancelled"
    assert not project.exists()
    assert dialog.import_button.isEnabled()


def test_cancel_during_the_import_removes_the_file(qtbot: QtBot,
                                                   import_table_csv: Callable[..., Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def cancelled_import(project: Project, bench: Benchmark, **kwargs: object) -> None:
        seen.append(project.path.exists())
        raise Cancelled("cancelled")

    monkeypatch.setattr("reviewer.store.importer.import_benchmark", cancelled_import)
    # A table streams into the project a chunk at a time (reviewer.store.stream_import).
    monkeypatch.setattr("reviewer.store.stream_import.import_stream", cancelled_import)
    dialog = _dialog(qtbot, workers=1)
    dialog.set_reference(import_table_csv())
    project = Path(dialog.project_path())
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.progress is None, timeout=30_000)
    assert seen == [True]
    assert dialog.status_label.text() == "Import cancelled"
    assert not project.exists()


def test_closing_while_importing_cancels_first(qtbot: QtBot,
                                               import_table_csv: Callable[..., Path]) -> None:
    dialog = _dialog(qtbot, workers=1)
    dialog.set_reference(import_table_csv(rows=30_000))
    project = Path(dialog.project_path())
    dialog.start_import()
    with qtbot.waitSignal(dialog.rejected, timeout=60_000):
        dialog.reject()
    assert not project.exists()


def test_dropped_paths_fill_the_dialog(qtbot: QtBot, import_table_csv: Callable[..., Path],
                                       tmp_path: Path) -> None:
    pred = tmp_path / "kraken"
    pred.mkdir()
    dialog = dropped_paths_to_dialog([str(import_table_csv()), str(pred)])
    qtbot.addWidget(dialog)
    assert dialog.reference_edit.text().endswith("lines.csv")
    assert dialog.prediction_sources() == [("kraken", pred)]


def test_typed_reference_is_read_after_a_pause(qtbot: QtBot,
                                               import_table_csv: Callable[..., Path]) -> None:
    path = import_table_csv()
    dialog = _dialog(qtbot)
    qtbot.keyClicks(dialog.reference_edit, str(path))
    assert not dialog.preview.is_table()  # not read on every keystroke
    qtbot.waitUntil(dialog.preview.is_table, timeout=5_000)
    assert dialog.import_button.isEnabled()


def test_parquet_preview_and_empty_table(qtbot: QtBot, tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "lines.parquet"
    pd.DataFrame({"id": [f"r{k}" for k in range(50)], "reference": ["a"] * 50,
                  "pred_x": ["b"] * 50, "page": list(range(50))}).to_parquet(path)
    dialog = _dialog(qtbot)
    dialog.set_reference(path)
    assert dialog.preview.model.rowCount() == 20
    assert dialog.preview.model.item(3, 3).text() == "3"
    assert dialog.preview.mapping() == Mapping("id", "reference", None, {"x": "pred_x"})
    empty = tmp_path / "empty.csv"
    empty.write_text("id,gt\n", encoding="utf-8")
    dialog.set_reference(empty)
    assert "no rows" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_asr_options_reach_the_import(qtbot: QtBot, tmp_path: Path) -> None:
    from reviewer.resources import demo_dir

    demo = demo_dir("asr")
    dialog = _dialog(qtbot, workers=1)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("asr"))
    assert dialog.kind_options.visible_rows() == [
        "Normalisation:", "Audio:", "fstalign path (NLP):"]
    dialog.set_reference(demo / "reference.stm")
    dialog.add_prediction(demo / "sphinx-default.ctm")
    dialog.kind_options.audio_edit.setText(str(tmp_path / "missing.scp"))
    assert "missing.scp does not exist" in (dialog.problem() or "")
    dialog.kind_options.audio_edit.setText(str(demo / "audio"))
    dialog.kind_options.normalize_combo.setCurrentText("basic")
    dialog.set_project_path(tmp_path / "asr")
    assert dialog.problem() is None
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        dialog.import_button.click()
    with Project(dialog.project_path()) as project:
        assert project.kind == "asr" and project.normalize == "basic"
        assert project.systems() == ["sphinx-default"]
        first = project.item(project.item_ids()[0])
        assert first.media is not None and first.media.endswith(".wav")


def test_a_choice_table_is_read_by_its_own_reader(qtbot: QtBot, tmp_path: Path) -> None:
    table = tmp_path / "mcq.csv"
    table.write_text("id,question,A,B,C,answer,model_x\n"
                     "q1,Two plus two?,3,4,5,B,B\nq2,Capital of France?,Rome,Paris,Oslo,B,A\n",
                     encoding="utf-8")
    dialog = _dialog(qtbot, workers=1)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("choice"))
    dialog.set_reference(table)
    assert not dialog.preview.mapping_box.isVisibleTo(dialog)  # its reader finds its columns
    dialog.kind_options.label_col_edit.setText("answer")
    dialog.set_project_path(tmp_path / "mcq")
    assert dialog.read_options().label_col == "answer"
    assert dialog.read_options().ref_col is None  # no text-table mapping for choice
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.import_button.click()
    with Project(dialog.project_path()) as project:
        assert project.kind == "choice" and project.item_ids() == ["q1", "q2"]
        assert project.item("q1").reference == "B"
        assert project.prediction("model_x", "q2") == "A"
