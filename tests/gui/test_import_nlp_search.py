"""The import dialog offers the path an NLP call's fstalign-style WER counts (the
command line's --nlp-search), for asr only, and imports with the one chosen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.cli import main
from reviewer.core.lattice_wer import SEARCHES
from reviewer.gui.import_wording import SEARCH_LABELS
from tests.gui.import_dialog_keys import (
    choose_kind,
    open_dialog,
    press_import,
    type_project,
    type_reference,
)

pytestmark = pytest.mark.usefixtures("import_dialog_pool")
DATA = Path(__file__).parents[1] / "data" / "nlp"


def _fstalign(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, int, int, int]:
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json", "--resamples", "20"]) == 0
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    fst = system["fstalign"]
    return fst["errors"], fst["substitutions"], fst["insertions"], fst["deletions"]


def test_the_chosen_fstalign_path_is_the_one_counted(
        qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pywrapfst", reason="pip install 'reviewer[fstalign]'")
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "asr")
    assert "fstalign path (NLP):" in dialog.kind_options.visible_rows()
    combo = dialog.kind_options.search_combo
    assert [combo.itemText(k) for k in range(combo.count())] == [
        SEARCH_LABELS[s] for s in SEARCHES]
    assert combo.currentText() == SEARCH_LABELS["exact"]
    type_reference(qtbot, dialog, DATA / "refs")
    dialog.add_prediction(DATA / "hyps", "txt")
    got = {}
    for search in ("fstalign-adapted", "fstalign-standard"):
        combo.setFocus()
        while SEARCHES[combo.currentIndex()] != search:
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert dialog.read_options().nlp_search == search
        db = tmp_path / f"{search}.db"
        type_project(qtbot, dialog, db)
        press_import(qtbot, dialog)
        assert db.exists(), dialog.error_label.text()
        got[search] = _fstalign(db, capsys)
    # the same counts as the command line's import with that search; the two searches
    # differ on these calls (tests/test_nlp_cli.py: the adapted search's end symbol)
    for search, counts in got.items():
        db = tmp_path / f"cli-{search}.db"
        assert main(["import", str(db), str(DATA / "refs"), "--kind", "asr", "--pred",
                     f"txt={DATA / 'hyps'}", "--nlp-search", search]) == 0
        assert _fstalign(db, capsys) == counts, search
    assert got["fstalign-adapted"] != got["fstalign-standard"]


def test_other_kinds_do_not_show_the_row(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "text")
    assert "fstalign path (NLP):" not in dialog.kind_options.visible_rows()
    assert dialog.read_options().nlp_search == "exact"
