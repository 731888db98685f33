"""No project text is ever interpreted (issue 14, findings 4 and 14).

Item ids, references, predictions, class, system and annotator names, notes, tags and file
names are shown literally: in the window, wherever Qt could read rich text (tooltips,
labels, message boxes, item-model tooltips and headers, text documents, chart labels), and
in the terminal, where escape sequences, carriage returns, C1 controls and bidirectional
overrides are shown as escapes instead of being obeyed. Every kind's window and every CLI
command is fed the same hostile strings.

The markup uses ``<img src=/dev/null>``: ``/dev/zero`` (the finding's case) would make the
unescaped code of a failing run exhaust the machine's memory instead of failing.
"""

from __future__ import annotations

import io
import json
import re
import struct
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QChartView
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, QThreadPool
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMessageBox, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from reviewer.cli import main as cli_main
from reviewer.cli.terminal import Bar, paint
from reviewer.core.items import Benchmark, Item
from reviewer.core.label_codec import encode_prediction
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.diff_view import DiffView
from reviewer.gui.import_dialog import ImportDialog
from reviewer.gui.kinds.kern import view as kern_view
from reviewer.gui.kinds.label.confusion_view import ConfusionView
from reviewer.gui.kinds.label.view import LabelItemView
from reviewer.gui.main_window import MainWindow
from reviewer.gui.start_page import StartPage
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.conftest import cell

IMG = "<img src=/dev/null>"
BOLD = "<b>bold</b>"
SCRIPT = "<script>alert(1)</script>"
AMP = "&amp;"  # shown as these five characters, not as "&"
TAGGISH = "a < b > c"  # Qt reads "< b >" as a bold tag

TITLE = "\x1b]0;pwned\x07"  # OSC 0: the window title
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: the clipboard
CLEAR = "\x1b[2J\x1b[H"  # CSI: clear the screen, cursor home
C1 = "\x9b31m"  # CSI as one C1 character
RTL = "\u202e"  # right-to-left override

IDS = (f"{IMG}{TITLE}", f"{BOLD}{C1}", f"{AMP}{RTL}x", f"{TAGGISH}{CLEAR}")
SYSTEMS = (f"{IMG}{CLIPBOARD}", f"{AMP} {BOLD}")
ANNOTATORS = (f"{SCRIPT}{TITLE}", f"{TAGGISH}{RTL}{CLEAR}")
CLASSES = (IMG, BOLD, AMP, TAGGISH, f"pos{C1}")
TEXT = f"Tom & Jerry {SCRIPT} {TAGGISH} {AMP} {IMG}{TITLE} x\ry x\x08y {CLEAR}"
NOTE = f"{IMG} {BOLD}{CLIPBOARD}\r{AMP}"
TAGS = [f"{BOLD}{C1}", f"{AMP}"]

# Markup that must never reach a rich-text surface unescaped, and what shows up where
# text was escaped for a surface Qt then reads as plain text (or escaped twice).
RAW_MARKUP = ("<img", "<b>bold", "<script", "< b >")
ENTITY_LEFTOVERS = ("&lt;", "&gt;", "&quot;", "&#x27;", "&amp;amp;")
# What a terminal may receive besides text: newlines, tabs.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


rich_guess = QtGui.Qt.mightBeRichText  # how Qt decides for tooltips and AutoText labels


# -- the hostile projects, one per kind -------------------------------------------------------

def _text(tmp: Path) -> Benchmark:
    items = [Item(i, f"{TEXT} {k}") for k, i in enumerate(IDS)]
    preds = {SYSTEMS[0]: {i: f"{TEXT.replace('Tom', 'Tim')} {k}" for k, i in enumerate(IDS)},
             SYSTEMS[1]: {i: f"{IMG} {BOLD} {k}{C1}" for k, i in enumerate(IDS)}}
    return Benchmark("text", items, preds)


def _write_wav(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<800h", *([0] * 800)))


def _asr(tmp: Path) -> Benchmark:
    audio = tmp / "audio"
    audio.mkdir()
    items = []
    for k, i in enumerate(IDS):
        media = audio / f"{k}.wav"
        _write_wav(media)
        items.append(Item(i, f"the {BOLD} cat {k}", str(media),
                          (("speaker", f"{IMG}{TITLE}"), ("start", "0"), ("end", "0.1"))))
    words = [[IMG, 0.0, 0.02], [f"{AMP}{C1}", 0.02, 0.05], [TAGGISH, 0.05, 0.09]]
    preds = {s: {i: f"the {IMG} cat{TITLE}" for i in IDS} for s in SYSTEMS}
    meta: dict[str, dict[str, dict[str, object]]] = {
        SYSTEMS[0]: {i: {"words": words} for i in IDS}}
    return Benchmark("asr", items, preds, prediction_meta=meta)


def _m2(edit_text: str) -> str:
    blocks = []
    for k in range(len(IDS)):
        blocks.append(f"S This are {BOLD}{TITLE} tokens {k}\n"
                      "A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0\n"
                      f"A 3 4|||R:OTHER|||{edit_text}|||REQUIRED|||-NONE-|||0\n")
    return "\n".join(blocks) + "\n"


def _gec(tmp: Path) -> Benchmark:
    gold, system = tmp / "gold.m2", tmp / "system.m2"
    gold.write_text(_m2(f"{IMG}{C1}"), encoding="utf-8")
    system.write_text(_m2(f"{AMP}{SCRIPT}"), encoding="utf-8")
    return load_benchmark(gold, [(SYSTEMS[0], system)], ReadOptions(kind="gec"))


def _kern(tmp: Path) -> Benchmark:
    ref, hyp = tmp / "gt", tmp / "pred"
    ref.mkdir()
    hyp.mkdir()
    for k in range(2):
        (ref / f"{k}.krn").write_text(f"**kern\n!! {IMG}{TITLE}\n*M4/4\n4c\n4d\n4e\n4f\n*-\n",
                                      encoding="utf-8")
        (hyp / f"{k}.krn").write_text(f"**kern\n!! {BOLD}{C1}\n*M4/4\n4c\n4d\n4g\n4f\n*-\n",
                                      encoding="utf-8")
    return load_benchmark(ref, [(SYSTEMS[0], hyp)], ReadOptions(kind="kern"))


def _choice(tmp: Path) -> Benchmark:
    options = json.dumps([IMG, f"{BOLD}{TITLE}", AMP, TAGGISH])
    items = [Item(i, "B", None, (("question", f"{SCRIPT} {k}{CLEAR}"), ("options", options),
                                 ("subject", f"{IMG}{C1}"),
                                 ("redux_error_type", f"{BOLD}_type"),
                                 ("redux_correct_answer", TAGGISH)))
             for k, i in enumerate(IDS)]
    preds = {SYSTEMS[0]: {i: "A" for i in IDS}, SYSTEMS[1]: {i: "C" for i in IDS}}
    return Benchmark("choice", items, preds)


def _label(tmp: Path) -> Benchmark:
    items = [Item(i, CLASSES[k % len(CLASSES)], None, (("text", f"{TEXT}"),))
             for k, i in enumerate(IDS)]
    probs = {c: round(1 / len(CLASSES), 3) for c in CLASSES}
    preds = {SYSTEMS[0]: {i: encode_prediction(CLASSES[(k + 1) % len(CLASSES)], probs)
                          for k, i in enumerate(IDS)},
             SYSTEMS[1]: {i: CLASSES[(k + 2) % len(CLASSES)] for k, i in enumerate(IDS)}}
    return Benchmark("label", items, preds)


KINDS: dict[str, Callable[[Path], Benchmark]] = {
    "text": _text, "asr": _asr, "gec": _gec, "kern": _kern, "choice": _choice, "label": _label}


# A corrected reference each kind can read.
CORRECTED = {"gec": _m2(f"{TAGGISH}{CLEAR}").split("\n\n")[0],
             "choice": "C", "label": CLASSES[1], "kern": f"**kern\n!! {IMG}\n4c\n*-\n"}


def hostile_project(tmp: Path, kind: str) -> Path:
    """A project of ``kind`` made of hostile text, with two annotators' decisions on item 0."""
    path = tmp / f"{kind}.db"
    with Project(path, create=True) as project:
        import_benchmark(project, KINDS[kind](tmp), workers=1)
        first = project.item_ids()[0]
        for k, who in enumerate(ANNOTATORS):
            decisions.decide(project, first, who, verdict="ok" if k else "reference_error",
                             note=NOTE, tags=TAGS,
                             corrected_reference=None if k else CORRECTED.get(kind, TEXT))
    return path


# -- collecting what Qt shows ------------------------------------------------------------------

Surface = tuple[str, str, str]  # where, text, "auto" (Qt guesses) or "rich" (always markup)


def _model_surfaces(name: str, model: QAbstractItemModel) -> list[Surface]:
    found: list[Surface] = []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount to itself: one column
        columns = 1
    rows = min(model.rowCount(QModelIndex()), 200)
    for row in range(rows):
        for column in range(columns):
            tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                found.append((f"{name} cell ({row}, {column}) tooltip", tip, "auto"))
    for orientation, count in ((Qt.Orientation.Horizontal, columns),
                               (Qt.Orientation.Vertical, rows)):
        for section in range(count):
            tip = model.headerData(section, orientation, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                found.append((f"{name} header {section} tooltip", tip, "auto"))
    return found


def _document_surfaces(name: str, editor: QTextEdit) -> list[Surface]:
    found: list[Surface] = []
    block = editor.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            tip = it.fragment().charFormat().toolTip()
            if tip:
                found.append((f"{name} text tooltip", tip, "auto"))
            it += 1
        block = block.next()
    return found


def _chart_surfaces(name: str, chart: QChart) -> list[Surface]:
    # QtCharts draws titles, legend entries and axis labels as HTML.
    found: list[Surface] = [(f"{name} title", chart.title(), "rich")] if chart.title() else []
    for series in chart.series():
        if isinstance(series, QAbstractBarSeries):
            found += [(f"{name} legend", bars.label(), "rich") for bars in series.barSets()]
    for axis in chart.axes():
        if isinstance(axis, QBarCategoryAxis):
            found += [(f"{name} axis label", c, "rich") for c in axis.categories()]
    return found


def surfaces(root: QWidget) -> list[Surface]:
    """Every text ``root`` and its children give Qt to show, with how Qt reads it."""
    found: list[Surface] = []
    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        for what, text in (("tooltip", widget.toolTip()), ("status tip", widget.statusTip()),
                           ("what's this", widget.whatsThis())):
            if text:
                found.append((f"{name} {what}", text, "auto"))
        if isinstance(widget, QLabel) and widget.text() \
                and widget.textFormat() != Qt.TextFormat.PlainText:
            rich = widget.textFormat() == Qt.TextFormat.RichText
            found.append((f"{name} text", widget.text(), "rich" if rich else "auto"))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found += _model_surfaces(name, widget.model())
        if isinstance(widget, QTextEdit):
            found += _document_surfaces(name, widget)
        if isinstance(widget, QChartView):
            found += _chart_surfaces(name, widget.chart())
        if isinstance(widget, DiffView):
            length = widget.text.document().characterCount()
            found += [(f"{name} edit tooltip", tip, "auto") for pos in range(length)
                      if (tip := widget.tooltip_for_position(pos))]
    for action in root.findChildren(QAction):
        for what, text in (("tooltip", action.toolTip()), ("status tip", action.statusTip())):
            if text:
                found.append((f"QAction {action.text()!r} {what}", text, "auto"))
    return found


def shown(text: str, rich: bool) -> str:
    """What the user reads: the rendered document of rich text, else the text itself."""
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def misread(found: list[Surface]) -> list[str]:
    """Surfaces where hostile markup would be interpreted, or escaping shows through."""
    problems = []
    for where, text, mode in found:
        rich = mode == "rich" or rich_guess(text)
        if rich and any(raw in text for raw in RAW_MARKUP):
            problems.append(f"{where} reads project text as markup: {text!r}")
            continue  # never rendered: the markup would be obeyed
        seen = shown(text, rich)
        if any(leftover in seen for leftover in ENTITY_LEFTOVERS):
            problems.append(f"{where} shows escaping instead of the text: {seen!r}")
    return problems


# -- the window, one kind at a time ----------------------------------------------------------

@pytest.fixture
def open_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                qtbot: QtBot) -> Iterator[Callable[[Path], MainWindow]]:
    opened: list[MainWindow] = []

    def open_(path: Path) -> MainWindow:
        win = MainWindow(ANNOTATORS[0])
        qtbot.addWidget(win)
        assert win.open_project(path)
        win.resize(1400, 900)
        win.show()
        qtbot.waitExposed(win)
        opened.append(win)
        return win

    yield open_
    QThreadPool.globalInstance().waitForDone(60_000)
    for win in opened:
        win.close()


def _visit_kind_extras(win: MainWindow, qtbot: QtBot) -> None:
    """What only some kinds show: the label kind's confusion filter and its typed class."""
    view = win.kind_view
    if isinstance(view, LabelItemView):
        view.search_edit.setText(f"{IMG}{BOLD} no such class")
        view.search_edit.returnPressed.emit()
    for confusion in win.findChildren(ConfusionView):
        confusion.refresh()
        for row, gold in enumerate(confusion.rows):
            if gold in (IMG, BOLD, TAGGISH):
                confusion.select_cell(row, row)
                break


KIND_PARAMS = [pytest.param(k, marks=pytest.mark.slow) if k == "kern" else k for k in KINDS]


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_no_window_reads_project_text_as_markup(qtbot: QtBot, tmp_path: Path, kind: str,
                                                open_window: Callable[[Path], MainWindow]) -> None:
    win = open_window(hostile_project(tmp_path, kind))
    session = win.session
    assert session is not None
    for dock in win.findChildren(QWidget):
        if type(dock).__name__ == "QDockWidget":
            dock.show()  # the statistics, the legend, the adjudication: all of them
    problems: list[str] = []
    ids = session.project.item_ids()
    for item_id in ids:
        session.set_current_item(item_id)
        qtbot.wait(30)
        problems += misread(surfaces(win))
    with qtbot.waitSignal(session.decisionChanged, timeout=10_000):
        session.decide(ids[-1], verdict="reference_error", note=NOTE, tags=TAGS)
    win.stats.refresh()
    qtbot.waitUntil(lambda: not win.stats.busy(), timeout=60_000)
    _visit_kind_extras(win, qtbot)
    session.set_current_item(ids[0])
    qtbot.wait(30)
    problems += misread(surfaces(win))
    view = win.kind_view
    if kind == "kern":  # its OMR-NED and engravings finish before the window closes
        assert isinstance(view, kern_view.KernView)
        qtbot.waitUntil(lambda: view.fill_progress is None and not view.engraving_busy(),
                        timeout=120_000)
        problems += misread(surfaces(win))
    assert sorted(set(problems)) == []


def test_the_label_kind_shows_class_and_system_names_literally(
        qtbot: QtBot, tmp_path: Path, open_window: Callable[[Path], MainWindow]) -> None:
    win = open_window(hostile_project(tmp_path, "label"))
    view = win.kind_view
    assert isinstance(view, LabelItemView) and win.session is not None
    win.session.set_current_item(IDS[0])
    tips = {button.property("cls"): button.toolTip() for button in view.buttons.buttons()}
    assert len(tips) >= 4 and set(tips) <= set(CLASSES)
    for cls, tip in tips.items():  # the finding: gui/kinds/label.py:188
        assert shown(tip, rich_guess(tip)).startswith(f"The right label is {cls} (Alt+")
    help_tip = view.toolTip()
    assert all(cls in shown(help_tip, rich_guess(help_tip)) for cls in tips)
    bars = view.cards[0].bars.toolTip()
    assert all(f"{cls}: " in shown(bars, rich_guess(bars)) for cls in tips)
    confusion = win.findChildren(ConfusionView)[0]
    confusion.refresh()
    cell_tips = [tip for r in range(confusion.table.rowCount())
                 for c in range(confusion.table.columnCount())
                 if (tip := cell(confusion.table, r, c).toolTip())]
    assert any(shown(t, rich_guess(t)).startswith(f"gold {IMG}, {SYSTEMS[0]} ")
               for t in cell_tips)  # the finding: gui/confusion_view.py:132
    model = win.items.model
    headers = [model.headerData(k, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
               for k in range(model.columnCount(QModelIndex()))]
    assert any(SYSTEMS[0] in shown(h, rich_guess(h)) for h in headers)


def test_the_statistics_chart_names_systems_literally(
        qtbot: QtBot, tmp_path: Path, open_window: Callable[[Path], MainWindow]) -> None:
    win = open_window(hostile_project(tmp_path, "text"))
    win.stats.show()
    win.stats.refresh()
    qtbot.waitUntil(lambda: not win.stats.busy() and bool(win.stats.chart.series()),
                    timeout=60_000)
    legend = [(where, text) for where, text, _ in _chart_surfaces("chart", win.stats.chart)
              if where == "chart legend"]
    assert [shown(text, True) for _, text in legend] == list(SYSTEMS)


def test_message_boxes_show_file_names_literally(qtbot: QtBot, tmp_path: Path,
                                                 open_window: Callable[[Path], MainWindow],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    win = open_window(hostile_project(tmp_path, "text"))
    said: list[str] = []
    for name in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name,
                            lambda parent, title, text, *a, **k: said.append(text))
    junk = tmp_path / f"<b>bold {AMP} <img src=x>.db"
    junk.write_text("not a database", encoding="utf-8")
    assert not win.open_project(junk)
    win.show_task_error(f"RuntimeError: {IMG} {AMP}")
    assert len(said) == 2
    assert misread([("message box", text, "auto") for text in said]) == []
    first = shown(said[0], rich_guess(said[0]))
    assert first.startswith(f"{junk}: ") and "not a reviewer project" in first


def test_import_dialog_and_start_page_show_hostile_text_literally(
        qtbot: QtBot, tmp_path: Path) -> None:
    table = tmp_path / "<img src=x>.csv"
    rows = [f'"{IDS[0]}","{TEXT}","{IMG}"', f'"{BOLD}","{AMP} {SCRIPT}","{TAGGISH}"',
            f'"{IDS[0]}","again","{IMG}"']
    table.write_text("id,gt,pred\n" + "\n".join(rows) + "\n", encoding="utf-8")
    dialog = ImportDialog(workers=1)
    qtbot.addWidget(dialog)
    dialog.set_reference(table)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.progress is None, timeout=30_000)
    QThreadPool.globalInstance().waitForDone(30_000)
    assert "duplicate" in dialog.error_label.text()
    page = StartPage([str(table), str(tmp_path / f"{BOLD}.db")])
    qtbot.addWidget(page)
    assert misread(surfaces(dialog) + surfaces(page)) == []


@pytest.mark.parametrize("text", [IMG, "<img src=/dev/zero>", BOLD, AMP, SCRIPT, TAGGISH,
                                  f"plain\n{IMG}", "a &lt; b", "  two  spaces\nand lines"])
def test_literal_and_escape_render_exactly_the_text(text: str) -> None:
    from reviewer.gui.rich_text import escape, literal

    tip = literal(text)
    assert shown(tip, rich_guess(tip)) == text
    if "\n" not in text and "  " not in text:  # HTML folds white space
        assert shown(f"<b>{escape(text)}</b>", True) == text


# -- the terminal ------------------------------------------------------------------------------

def raw_controls(text: str) -> list[str]:
    """The control characters in ``text`` a terminal would obey (not newline or tab)."""
    return sorted({f"U+{ord(c):04X}" for c in TERMINAL_CONTROL.findall(text)})


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    def run(*argv: str) -> tuple[int, str]:
        code = cli_main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def _commands(tmp: Path, kind: str, project: Path) -> list[tuple[list[Any], int]]:
    """Every command on ``project``, with the exit code it should end with."""
    with Project(project) as opened:
        ids, systems = opened.item_ids(), opened.systems()
    out = tmp / f"out{TITLE}"
    ranked = 0  # every kind ranks its items (gec too)
    score = ["score", project] + (["--no-omr-ned"] if kind == "kern" else [])
    commands: list[tuple[list[Any], int]] = [
        (score, 0), ([*score, "--format", "json"], 0),
        (["show", project, ids[0]], 0), (["show", project, "--worst", "5"], 0),
        (["show", project, ids[0] + "z"], 1),  # unknown: "did you mean" the hostile ids
        (["show", project, ids[0], "--system", systems[0] + "x"], 1),  # unknown system
        (["label", project, ids[1], "ok", "--note", NOTE, "--tag", TAGS[0],
          "--annotator", ANNOTATORS[1]], 0),
        (["label", project, ids[0], "--reference", CORRECTED.get(kind, TEXT),
          "--annotator", ANNOTATORS[0]], 0),
        (["undo", project, "--annotator", ANNOTATORS[0]], 0),
        (["redo", project, "--annotator", ANNOTATORS[0]], 0),
        (["history", project], 0), (["history", project, ids[0]], 0),
        (["suspects", project, "--top", "0"], ranked),
        (["suspects", project, "--format", "json"], ranked),
        (["agreement", project], 0), (["agreement", project, "--format", "json"], 0),
        (["export", project, out / "cleaned.jsonl"], 0),
        (["export", project, out / "cleaned.csv", "--changes", out / f"changes{CLEAR}.csv"], 0),
        (["report", project, "-o", out / f"report{C1}.html"], 0),
    ]
    if kind in ("choice", "label"):
        commands.append((["compare", project], 0))
    if kind == "text":  # the demo prints through the same table and diff
        commands.append((["demo", "--print", "--project", tmp / "demo.db", "--worst", "2"], 0))
    if kind == "asr":
        commands += [(["words", project], 0), (["words", project, "--format", "json"], 0)]
    copy = tmp / f"copy{TITLE}.db"
    copy.write_bytes(project.read_bytes())
    commands.append((["merge", "-o", tmp / f"team{C1}.db", project, copy], 0))
    return commands


CLI_KINDS = [pytest.param(k, marks=pytest.mark.slow) if k == "kern" else k for k in KINDS]


@pytest.mark.parametrize("kind", CLI_KINDS)
def test_no_command_prints_raw_control_characters(tmp_path: Path, kind: str,
                                                  run_cli: Callable[..., tuple[int, str]]) -> None:
    project = hostile_project(tmp_path, kind)
    found: dict[str, tuple[list[str], str]] = {}
    codes: dict[str, tuple[int, str]] = {}
    for argv, expected in _commands(tmp_path, kind, project):
        name = f"{len(found) + len(codes)}: " + " ".join(str(a)[-20:] for a in argv)
        code, output = run_cli(*argv)
        if code != expected:
            codes[name] = (code, output[-300:])
        if bad := raw_controls(output):
            found[name] = (bad, output[:300])
    assert codes == {}
    assert found == {}


def test_import_warnings_and_errors_print_no_raw_control_characters(
        tmp_path: Path, run_cli: Callable[..., tuple[int, str]]) -> None:
    table = tmp_path / "lines.csv"
    table.write_text(f'id,gt,image\n"{IDS[0]}","{TEXT}","missing{TITLE}.png"\n'
                     f'"{IDS[1]}","x","{CLEAR}.png"\n', encoding="utf-8")
    code, output = run_cli("import", tmp_path / f"p{C1}.db", table)
    assert code == 0 and "warning" in output
    assert raw_controls(output) == []
    duplicate = tmp_path / "dup.csv"
    duplicate.write_text(f'id,gt\n"{IDS[0]}",a\n"{IDS[0]}",b\n', encoding="utf-8")
    code, output = run_cli("import", tmp_path / "q.db", duplicate)
    assert code == 1 and "reviewer: error:" in output
    assert raw_controls(output) == []
    assert "\\x1b]0;pwned\\x07" in output  # the id, its escapes shown


def test_json_output_is_the_same_value_with_nothing_a_terminal_obeys(
        tmp_path: Path, run_cli: Callable[..., tuple[int, str]]) -> None:
    project = hostile_project(tmp_path, "text")
    code, output = run_cli("suspects", project, "--format", "json", "--top", "0")
    assert code == 0 and raw_controls(output) == []
    assert sorted(entry["id"] for entry in json.loads(output)) == sorted(IDS)
    from reviewer.cli.terminal import json_text

    plain = {"name": "Café", "n": [1, 2.5, None], "tab": "a\tb"}
    assert json_text(plain, indent=2) == json.dumps(plain, indent=2, ensure_ascii=False)


def test_reviewers_own_colours_and_progress_bar_still_reach_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        run_cli: Callable[..., tuple[int, str]]) -> None:
    project = hostile_project(tmp_path, "text")
    monkeypatch.setattr("reviewer.cli.showing.use_colour", lambda stream: True)
    code, output = run_cli("show", project, IDS[0])
    assert code == 0
    escapes = set(re.findall("\x1b[^m]*m", output))
    assert "\x1b[0m" in escapes and any(e.startswith("\x1b[48;2;") for e in escapes)
    assert all(re.fullmatch(r"\x1b\[(48;2;\d+;\d+;\d+|38;2;0;0;0|0)m", e) for e in escapes)
    assert raw_controls(TERMINAL_CONTROL.sub("", output.replace("\x1b", ""))) == []
    assert "\x1b]" not in output and "\x9b" not in output

    from reviewer.cli.terminal import GuardedStream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = Bar(GuardedStream(screen))  # type: ignore[arg-type]
    bar.status(f"Reading {TITLE}{IMG}")
    bar.set(1.0)
    assert screen.getvalue().startswith("\rReading \\x1b]0;pwned\\x07")
    assert screen.getvalue().endswith("100.0%\n")


@pytest.mark.parametrize(("text", "multiline", "expected"), [
    (f"a{TITLE}b", False, "a\\x1b]0;pwned\\x07b"),
    ("x\ry\x08z\x9b2J", False, "x\\ry\\x08z\\x9b2J"),
    (f"l1\nl2\t{RTL}", False, "l1\\nl2\t\\u202e"),
    ("l1\nl2", True, "l1\nl2"),
    ("Café — plain", False, "Café — plain"),
])
def test_safe_shows_control_characters_as_escapes(text: str, multiline: bool,
                                                  expected: str) -> None:
    from reviewer.cli.terminal import safe

    assert safe(text, multiline) == expected
    assert raw_controls(safe(text, multiline)) == []


def test_the_output_guard_keeps_only_reviewers_own_sequences() -> None:
    from reviewer.cli.terminal import guard

    own = paint("word", "mint", True)
    assert guard(own + "\r") == own + "\r"
    assert guard(f"{CLIPBOARD}{CLEAR}{C1}") == "\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[H\\x9b31m"


