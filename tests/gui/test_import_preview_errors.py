"""The import dialog's preview reads a table with the import's own code.

It refuses exactly the first rows the import refuses, with the import's message (file,
line, what is wrong), never a parser's raw text, and worded for the dialog: its fields,
never a command-line option.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.gui.import_dialog import ImportDialog
from tests.gui.import_dialog_keys import (
    choose_kind,
    open_dialog,
    press_import,
    type_project,
    type_reference,
)

pytestmark = pytest.mark.usefixtures("import_dialog_pool")

PREVIEW_ROWS = 20  # the rows of a table the dialog shows and checks

HEADER = "id,gt,pred_x\n"
GOOD = ["l1,The cat,The cat\n", "l2,A dog,A d0g\n"]
# Data row 3 (file line 4) as the import refuses it, by what is wrong with it.
BAD_ROW_3 = {
    "too few fields": "l3,only two\n",
    "too many fields": "l3,a,b,c\n",
    "duplicate id": "l1,again,again\n",
    "empty id": ",no id,no id\n",
    "quoted cell never closed": 'l3,"open,x\n',
    "text after a closing quote": 'l3,"quoted"on,x\n',
}
# What the csv, json, pandas and pyarrow modules say in their own words.
RAW_PARSER_TEXT = ("Error tokenizing", "C error", "EOF inside string", "Expecting",
                   "expected after", "end of data", "Unterminated string", "Extra data",
                   "Invalid control", "Invalid \\escape", "magic bytes", "ParserError",
                   "JSONDecodeError", "ArrowInvalid")
CLI_OPTION = re.compile(r"(?<![\w-])--[a-z]|reviewer import")


def _import_error(dialog: ImportDialog, path: Path) -> str | None:
    """What the import of ``path`` with the dialog's options says (about rows: no option
    of the command line is named, so the dialog words it the same)."""
    try:
        load_benchmark(path, [], dialog.read_options())
    except InputError as exc:
        assert not CLI_OPTION.search(str(exc))
        return str(exc)
    return None


@pytest.mark.parametrize("defect", list(BAD_ROW_3))
def test_a_row_the_import_refuses_is_refused_in_the_preview_with_its_message(
        qtbot: QtBot, tmp_path: Path, defect: str) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(HEADER + "".join(GOOD) + BAD_ROW_3[defect] + "l4,last,last\n",
                    encoding="utf-8")
    dialog = open_dialog(qtbot)
    type_reference(qtbot, dialog, path)
    expected = _import_error(dialog, path)
    assert expected is not None and expected.startswith(f"{path}:4")
    assert dialog.error_label.text() == expected
    assert not dialog.import_button.isEnabled()


def test_the_preview_accepts_the_first_rows_exactly_when_the_import_does(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Random tables with a defect on a random row: the preview refuses them exactly when
    an import of their first rows does, with the same message."""
    rng = random.Random(16)
    dialog = open_dialog(qtbot)
    for case in range(24):
        rows = [f"r{k},text {k},t3xt {k}\n" for k in range(1, 31)]
        defect = rng.choice([*BAD_ROW_3, "none"])
        where = rng.randrange(len(rows))
        if defect != "none":
            rows[where] = BAD_ROW_3[defect].replace("l1,", "r1,").replace("l3,", f"r{where + 1},")
        path = tmp_path / f"case{case}" / "t.csv"
        path.parent.mkdir()
        path.write_text(HEADER + "".join(rows), encoding="utf-8")
        first = tmp_path / f"first{case}" / "t.csv"  # the same table, cut after its first rows
        first.parent.mkdir()
        first.write_text(HEADER + "".join(rows[:PREVIEW_ROWS]), encoding="utf-8")
        type_reference(qtbot, dialog, path)
        expected = _import_error(dialog, first)
        shown = dialog.error_label.text() if dialog.error_label.isVisibleTo(dialog) else None
        expected = expected.replace(str(first), str(path)) if expected else None
        assert shown == expected, (defect, where)
        assert dialog.import_button.isEnabled() == (expected is None)


def _bad_files(folder: Path) -> list[Path]:
    """Tables each parser refuses, one per thing it can say."""
    files = {
        "open.csv": 'id,gt\na,"never closed\n',
        "after.csv": 'id,gt\na,"x"y\n',
        "after.tsv": 'id\tgt\na\t"x"y\n',
        "value.jsonl": '{"id": "a", "gt": }\n',
        "key.jsonl": "{'id': 'a'}\n",
        "comma.jsonl": '{"id": "a" "gt": "x"}\n',
        "colon.jsonl": '{"id" "a"}\n',
        "string.jsonl": '{"id": "a\n',
        "extra.jsonl": '{"id": "a", "gt": "x"} {}\n',
        "escape.jsonl": '{"id": "a", "gt": "\\q"}\n',
        "control.jsonl": '{"id": "a", "gt": "tab\tinside"}\n',
        "short.parquet": "PAR1 not really",
        "text.parquet": "id,gt\na,x\n",
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def test_no_raw_parser_message_reaches_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot)
    for path in _bad_files(tmp_path):
        type_reference(qtbot, dialog, path)
        message = dialog.error_label.text()
        assert message.startswith(str(path)), message
        assert not any(raw in message for raw in RAW_PARSER_TEXT), message
        if path.suffix != ".parquet":
            assert message.startswith(f"{path}:2" if path.suffix != ".jsonl" else f"{path}:1")


def _page_without_lines() -> str:
    ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{ns}"><Metadata/>'
            '<Page imageFilename="scan.png"><TextRegion id="r"><TextEquiv><Unicode>x'
            "</Unicode></TextEquiv></TextRegion></Page></PcGts>")


# kind, reference file and text, a prediction file and text (or None): sources whose
# messages name an option of the command line there
CASES = {
    "two columns for one system": ("text", "t.csv", "id,gt,pred_x,hyp_x\na,x,y,z\n", None),
    "no question column": ("choice", "q.csv", "id,A,B,answer\nq1,yes,no,A\n", None),
    "no answer column": ("choice", "q.csv", "id,question,A,B\nq1,Why?,yes,no\n", None),
    "two id columns": ("label", "l.csv", "id,ID,text,label\n1,2,hi,pos\n", None),
    "no gold label column": ("label", "l.csv", "id,text\n1,hi\n", None),
    "prediction file's column": ("text", "t.csv", "id,gt\na,x\n",
                                 ("p.csv", "id,first,second\na,y,z\n")),
    "prediction file without ids": ("text", "t.csv", "id,gt\na,x\n",
                                    ("p.csv", "name,prediction\na,y\n")),
    "unknown format": ("text", "notes.xyz", "what is this\n", None),
    "page without lines": ("text", "p.xml", _page_without_lines(), None),
    "M2 as text": ("text", "gold.m2",
                   "S A sentence .\nA 0 1|||R:DET|||The|||REQUIRED|||-NONE-|||0\n", None),
    "a table for gec": ("gec", "g.csv", "id,gt\na,x\n", None),
    "images for asr": ("asr", "o.csv", "id,image,text\nl1,img/l1.png,a line\n", None),
    "audio for text": ("text", "s.csv", "id,audio,text\nu1,clips/u1.wav,hello\n", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_message_in_the_dialog_names_a_command_line_option(
        qtbot: QtBot, tmp_path: Path, case: str) -> None:
    kind, name, text, prediction = CASES[case]
    reference = tmp_path / name
    reference.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot)
    choose_kind(qtbot, dialog, kind)
    type_reference(qtbot, dialog, reference)
    if prediction is not None:
        (tmp_path / prediction[0]).write_text(prediction[1], encoding="utf-8")
        dialog.add_prediction(tmp_path / prediction[0], "x")
    type_project(qtbot, dialog, tmp_path / "new.db")
    if dialog.import_button.isEnabled():  # the import, not the preview, finds this one
        press_import(qtbot, dialog)
        assert dialog.status_label.text() == "Import failed"
    message = dialog.error_label.text()
    assert message and not CLI_OPTION.search(message), message
    assert not (tmp_path / "new.db").exists()


def test_a_parquet_table_is_previewed_as_it_is_imported(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "lines.parquet"
    pd.DataFrame({"id": ["a", "b", "a"], "reference": ["x", "y", "z"],
                  "n": [1, None, 3]}).to_parquet(path)
    dialog = open_dialog(qtbot)
    type_reference(qtbot, dialog, path)
    assert dialog.preview.model.item(0, 2).text() == "1.0"  # as the import stores it
    assert dialog.error_label.text() == _import_error(dialog, path)
    assert "row 3: duplicate id 'a'" in dialog.error_label.text()


def test_the_row_the_import_refuses_is_marked_in_the_preview(qtbot: QtBot,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(HEADER + "".join(GOOD) + BAD_ROW_3["duplicate id"] + "l4,last,last\n",
                    encoding="utf-8")
    dialog = open_dialog(qtbot)
    type_reference(qtbot, dialog, path)
    model = dialog.preview.model
    marked = [row for row in range(model.rowCount())
              if model.item(row, 0).background().style() != Qt.BrushStyle.NoBrush]
    assert marked == [2]  # data row 3, file line 4, as the message says
    choose_kind(qtbot, dialog, "label")  # another error, about no row: nothing is marked
    assert "no gold label column" in dialog.error_label.text()
    assert all(model.item(row, 0).background().style() == Qt.BrushStyle.NoBrush
               for row in range(model.rowCount()))
