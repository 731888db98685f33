"""The import dialog offers kern's choice for references that are not readable scores:
import and mark them with the rest (the default), or refuse the import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core.kern.unreadable import UNREADABLE_REFERENCE
from reviewer.gui.import_wording import for_dialog
from reviewer.store.project import Project
from reviewer.store.summaries import ids_matching_text
from tests.formats.test_kern_unreadable import GOOD, REASON, TYPO
from tests.gui.import_dialog_keys import (
    choose_kind,
    open_dialog,
    press_import,
    type_project,
    type_reference,
)
from tests.gui.test_import_preview_errors import CLI_OPTION

pytestmark = pytest.mark.usefixtures("import_dialog_pool")


def test_unreadable_reference_is_marked_or_refused_as_chosen(qtbot: QtBot,
                                                             tmp_path: Path) -> None:
    gt = tmp_path / "gt"
    gt.mkdir()
    (gt / "good.krn").write_text(GOOD)
    (gt / "typo.krn").write_text(TYPO)
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "kern")
    assert "Unreadable references:" in dialog.kind_options.visible_rows()
    type_reference(qtbot, dialog, gt)
    assert not dialog.error_label.isVisibleTo(dialog)  # a kern folder, not a NAME.gt.txt one
    type_project(qtbot, dialog, tmp_path / "refused.db")
    combo = dialog.kind_options.unreadable_combo
    assert combo.currentText() == "Import and mark them, with the rest"

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Refuse the import"
    press_import(qtbot, dialog)
    assert "not a readable **kern score" in dialog.error_label.text()
    assert not (tmp_path / "refused.db").exists()

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    type_project(qtbot, dialog, tmp_path / "marked.db")
    press_import(qtbot, dialog)
    assert f"{gt / 'typo.krn'}:9: not a readable **kern score" in "\n".join(dialog.warnings)
    with Project(tmp_path / "marked.db") as project:
        assert project.item_ids() == ["good", "typo"]
        assert dict(project.item("typo").meta)[UNREADABLE_REFERENCE] == REASON
        # the item list's filter finds the marked references
        assert ids_matching_text(project, f"{UNREADABLE_REFERENCE}:") == {"typo"}


def test_the_refuse_hint_is_worded_for_the_dialog() -> None:
    message = for_dialog("gt: 1 of 2 references are not readable **kern scores; "
                         "--unreadable refuse stops the import instead", {"--unreadable"})
    assert "“Refuse the import” under Unreadable references stops the import" in message
    assert not CLI_OPTION.search(message)
