"""Messages worded for the import dialog name its fields, never a command-line option."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import reviewer.formats
from reviewer.gui.import_wording import FIELDS, for_dialog
from tests.gui.import_dialog_keys import choose_kind, open_dialog
from tests.gui.test_import_preview_errors import CLI_OPTION

pytestmark = pytest.mark.usefixtures("import_dialog_pool")


def _reader_options() -> set[str]:
    """Every option of the command line the readers' source names."""
    folder = Path(reviewer.formats.__file__).parent
    found: set[str] = set()
    for module in folder.glob("*.py"):
        found |= set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", module.read_text("utf-8")))
    return found


@pytest.mark.parametrize("template", [
    "t.csv: more than one column could hold it: 'a', 'b'; choose one with {flag}",
    "t.csv: no such column; name one a, b or choose it with {flag}; columns: 'c'",
    "t.csv: no column 'x' (from {flag}); columns: 'a'",
    "t.csv: an id column (named id, or chosen with {flag}) to match",
    "t.csv: from two columns; rename one or choose with {flag}",
    "t.csv: cannot tell; name it prediction or choose it with {flag} x=COLUMN",
    "t.csv: kept as metadata (score one with {flag} NAME=COLUMN)",
    "t.csv: use {flag} page to compare",
    "t.csv: import it with {flag} gec",
])
def test_every_option_the_readers_name_is_worded_for_the_dialog(template: str) -> None:
    options = _reader_options()
    assert {"--ref-col", "--id-col", "--pred-col", "--kind", "--unit"} <= options
    fields = set(FIELDS)
    for flag in sorted(options):
        message = template.format(flag=flag)
        for shown in (fields, {"--kind"}, set()):
            worded = for_dialog(message, shown)
            assert not CLI_OPTION.search(worded), (message, worded)


def test_a_field_the_dialog_shows_is_named_as_its_label_says(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, "choice")
    assert dialog.kind_options.visible_rows() == [f"{FIELDS['--text-col']}:",
                                                  f"{FIELDS['--label-col']}:"]
    message = "q.csv: no question column; name it question or choose it with --text-col"
    assert for_dialog(message, dialog.shown_fields()).endswith(
        "name it question or choose it under Text column")
    # A field this kind's form lacks: what to do in the file instead.
    message = "q.csv: more than one column could hold the id: 'id', 'ID'; choose one with --id-col"
    assert for_dialog(message, dialog.shown_fields()).endswith("rename the others in the file")
