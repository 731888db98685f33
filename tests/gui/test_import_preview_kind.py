"""The import dialog says, before the import, when a table's media do not suit the kind.

Images under asr (an OCR table imported as speech) or recordings under text cannot be used
at all: the dialog refuses them, names the column, an example file and the kind that fits.
A table whose media are partly of the other type gets a warning and imports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer.store.project import Project
from tests.gui.import_dialog_keys import (
    choose_kind,
    open_dialog,
    press_import,
    type_project,
    type_reference,
)
from tests.gui.test_import_preview_errors import CLI_OPTION

pytestmark = pytest.mark.usefixtures("import_dialog_pool")


def _table(folder: Path, media: list[str]) -> Path:
    """A table of one line per media file, the files written (empty) beside it."""
    lines = ["id,image,text"]
    for k, name in enumerate(media, 1):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")
        lines.append(f"l{k},{name},line {k}")
    path = folder / "lines.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_images_under_asr_are_refused_before_the_import(qtbot: QtBot, tmp_path: Path) -> None:
    table = _table(tmp_path, ["img/l01.png", "img/l02.png"])
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "asr")
    type_reference(qtbot, dialog, table)
    message = dialog.error_label.text()
    assert message.startswith(str(table))
    assert "media column 'image' holds images" in message
    assert "img/l01.png" in message and "cannot play" in message
    assert "choose text under Task kind" in message
    assert not CLI_OPTION.search(message)
    assert not dialog.import_button.isEnabled()

    choose_kind(qtbot, dialog, "text")  # the kind that fits
    assert not dialog.error_label.isVisibleTo(dialog)
    assert not dialog.warning_label.isVisibleTo(dialog)
    type_project(qtbot, dialog, tmp_path / "ocr.db")
    assert dialog.import_button.isEnabled()
    press_import(qtbot, dialog)
    with Project(tmp_path / "ocr.db") as project:
        assert project.kind == "text"
        assert (project.item("l1").media or "").endswith("img/l01.png")


def test_audio_under_text_is_refused_and_asr_named(qtbot: QtBot, tmp_path: Path) -> None:
    table = _table(tmp_path, ["clips/u1.wav"])
    dialog = open_dialog(qtbot)
    type_reference(qtbot, dialog, table)
    message = dialog.error_label.text()
    assert "holds audio files (for example clips/u1.wav)" in message
    assert "which the text kind cannot show" in message
    assert "choose asr under Task kind" in message
    assert not dialog.import_button.isEnabled()
    choose_kind(qtbot, dialog, "asr")
    assert dialog.import_button.isEnabled()


def test_partly_unsuitable_media_are_a_warning_shown_before_the_import(
        qtbot: QtBot, tmp_path: Path) -> None:
    table = _table(tmp_path, ["clips/a.wav", "clips/b.wav", "img/c.png"])
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "asr")
    type_reference(qtbot, dialog, table)
    assert not dialog.error_label.isVisibleTo(dialog)
    warning = dialog.warning_label.text()
    assert dialog.warning_label.isVisibleTo(dialog)
    assert "media column 'image' holds 1 image among 3 media files" in warning
    assert "img/c.png" in warning and "images suit the text kind" in warning
    assert not CLI_OPTION.search(warning)
    type_project(qtbot, dialog, tmp_path / "speech.db")
    assert dialog.import_button.isEnabled()
    press_import(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert any("1 image among 3 media files" in w for w in dialog.warnings)
    with Project(tmp_path / "speech.db") as project:
        assert project.kind == "asr" and len(project.item_ids()) == 3
