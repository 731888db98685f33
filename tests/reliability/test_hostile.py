"""Hostile input that must be shown, refused or left alone (DESIGN §9), beyond the fuzzing.

Text from a benchmark or a project (item ids, references, predictions, system and
annotator names, notes) is shown literally and escaped wherever Qt would read rich text;
nothing in reviewer unpickles or evaluates anything; XML entities are never expanded and
nothing is fetched; Pillow's decompression-bomb limit stays in force and its refusal is
shown; media paths are resolved against the benchmark and missing ones reported; a
database from a newer reviewer or from another program is refused and left as it was.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import re
import socket
import sqlite3
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget
from pytestqt.qtbot import QtBot

from reviewer.cli import main as cli_main
from reviewer.core.errors import InputError, ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, read
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.diff_view import DiffView
from reviewer.gui.items.model import ItemTableModel
from reviewer.gui.main_window import MainWindow
from reviewer.gui.media_view import MediaView, decode_image
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

REVIEWER = Path(__file__).resolve().parents[2] / "reviewer"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SYSTEM = "<b>ocr</b>" + IMG
ITEMS = {  # id: (reference, prediction of "ocr", prediction of HOSTILE_SYSTEM)
    "plain": (f"Tom & Jerry {SCRIPT} end", "Tom & Jerry <script>alert(2)</script> end",
              f"Tom & Jerry {IMG} end"),
    SCRIPT: (IMG, "<img src=y onerror=alert(1)>", SCRIPT),
    IMG: ("a < b > c", "a <b> c", "a &lt; b"),
}
# The markup Qt may be given: everything else must reach it escaped.
TOOLTIP_TAGS = re.compile(r"<p style='white-space:pre'>|</p>|<b>|</b>|<br>")


def hostile_project(path: Path) -> Path:
    items = [Item(item_id, ref) for item_id, (ref, _, _) in ITEMS.items()]
    preds = {"ocr": {k: v[1] for k, v in ITEMS.items()},
             HOSTILE_SYSTEM: {k: v[2] for k, v in ITEMS.items()}}
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds), workers=1)
    return path


@pytest.fixture
def session(tmp_path: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    opened = ReviewSession(hostile_project(tmp_path / "hostile.db"), IMG)
    yield opened
    QThreadPool.globalInstance().waitForDone(30_000)
    opened.close()


def diff_tooltips(view: DiffView, session: ReviewSession) -> list[str]:
    """Every distinct tooltip over every character of every block."""
    tips: set[str] = set()
    for block in [None, *session.systems]:
        try:
            text = view.block_text(block)
        except KeyError:  # the stacked view has no reference block of its own
            continue
        for pos in range(len(text)):
            if tip := view.tooltip_at(block, pos):
                tips.add(tip)
    return sorted(tips)


def test_diff_tooltips_escape_markup(qtbot: QtBot, session: ReviewSession) -> None:
    view = DiffView(session)
    qtbot.addWidget(view)
    view.resize(900, 500)
    shown: list[str] = []
    for mode in ("inline", "stacked"):
        view.set_mode(mode)
        for item_id in ITEMS:
            session.set_current_item(item_id)
            for tip in diff_tooltips(view, session):
                assert "<" not in TOOLTIP_TAGS.sub("", tip), tip
                doc = QTextDocument()
                doc.setHtml(tip)
                shown.append(doc.toPlainText())
    # Rendered, the escaped text reads as the literal markup it was.
    rendered = "\n".join(shown)
    assert "'</script' → '∅'" in rendered
    assert "'< b >' → '&lt;'" in rendered  # "&lt;" in a prediction is not "<"
    assert HOSTILE_SYSTEM in rendered  # the stacked view names the system


def test_item_list_and_decision_panel_show_markup_literally(qtbot: QtBot,
                                                            session: ReviewSession) -> None:
    model = ItemTableModel(session)
    ids = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert ids == list(ITEMS)
    panel = DecisionPanel(session)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(session.decisionChanged, timeout=10_000):
        session.decide(SCRIPT, verdict="ok", note=IMG, tags=[SCRIPT])
    session.set_current_item(SCRIPT)
    assert panel.title.text() == SCRIPT
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    assert panel.note.text() == IMG
    assert panel.tags.text() == SCRIPT
    assert panel.reference.toPlainText() == IMG


@pytest.fixture
def window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(SCRIPT)
    qtbot.addWidget(win)
    assert win.open_project(hostile_project(tmp_path / "hostile.db"))
    win.show()
    qtbot.waitExposed(win)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def read_as_markup(root: QWidget, skip: QWidget | None = None) -> list[str]:
    """Texts holding the hostile markup that Qt would render as rich text."""
    found = []

    def hostile(text: object) -> bool:
        return (isinstance(text, str) and ("<script" in text or "<img" in text)
                and QtGui.Qt.mightBeRichText(text))

    for widget in [root, *root.findChildren(QWidget)]:
        if skip is not None and (widget is skip or skip.isAncestorOf(widget)):
            continue
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if hostile(widget.toolTip()):
            found.append(f"{name} tooltip: {widget.toolTip()}")
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText \
                and hostile(widget.text()):
            found.append(f"{name} text: {widget.text()}")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount(QModelIndex())):
                for column in range(model.columnCount(QModelIndex())):
                    tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                    if hostile(tip):
                        found.append(f"{name} cell tooltip: {tip}")
    return found


def test_the_window_never_reads_project_text_as_markup(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    assert session is not None
    for item_id in ITEMS:
        session.set_current_item(item_id)
        with qtbot.waitSignal(session.decisionChanged, timeout=10_000):
            session.decide(item_id, verdict="reference_error", note=IMG, tags=[SCRIPT],
                           corrected_reference=SCRIPT + " fixed")
        qtbot.wait(20)
        assert read_as_markup(window, skip=window.adjudication) == []
        for tip in diff_tooltips(window.diff, session):
            assert "<" not in TOOLTIP_TAGS.sub("", tip), tip


def test_the_adjudication_view_never_reads_project_text_as_markup(qtbot: QtBot,
                                                                  window: MainWindow) -> None:
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.decisionChanged, timeout=10_000):
        session.decide("plain", verdict="ok", note=IMG)
    window.adjudication.refresh()
    assert read_as_markup(window.adjudication) == []


# -- nothing from an input is executed -------------------------------------------------------

UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle",
                  "jsonpickle"}
UNSAFE_CALLS = {"eval", "exec", "__import__", "compile"}
UNSAFE_ATTRIBUTES = {"read_pickle", "to_pickle", "load_pickle", "unsafe_load"}


def unsafe_uses(source: str, name: str) -> list[str]:
    """Imports of pickle-like modules, calls of eval/exec/compile, pickle readers, yaml.load."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names
                      if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in \
                UNSAFE_MODULES:
            found.append(f"{where} imports from {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in UNSAFE_CALLS:
                found.append(f"{where} calls {func.id}()")
            elif isinstance(func, ast.Attribute) and (
                    func.attr in UNSAFE_ATTRIBUTES
                    or (func.attr == "load" and isinstance(func.value, ast.Name)
                        and func.value.id == "yaml")):
                found.append(f"{where} calls .{func.attr}()")
            if any(k.arg == "allow_pickle" for k in node.keywords):
                found.append(f"{where} passes allow_pickle")
    return found


def test_no_pickle_eval_or_exec_in_reviewer() -> None:
    sources = sorted(REVIEWER.rglob("*.py"))
    assert len(sources) > 30
    assert [use for path in sources
            for use in unsafe_uses(path.read_text(encoding="utf-8"), str(path))] == []


def test_the_scan_finds_what_it_looks_for() -> None:
    sample = ("import pickle\nfrom marshal import loads\nx = eval('1')\nexec('y = 2')\n"
              "import pandas as pd\npd.read_pickle('f')\nimport yaml\nyaml.load('a')\n"
              "import numpy\nnumpy.load('f', allow_pickle=True)\nimport re\nre.compile('x')\n")
    assert [use.split(" ", 1)[1] for use in unsafe_uses(sample, "sample.py")] == [
        "imports pickle", "imports from marshal", "calls eval()", "calls exec()",
        "calls .read_pickle()", "calls .load()", "passes allow_pickle"]


# -- XML: entities refused, nothing fetched ----------------------------------------------------

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


def page_with(doctype: str, text: str) -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n<PcGts xmlns="{PAGE_NS}"><Page '
            f'imageFilename="scan.png"><TextRegion id="r"><TextLine id="l"><TextEquiv>'
            f"<Unicode>{text}</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records (and stops) every attempt to open a connection."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize(("doctype", "text"), [
    ('<!DOCTYPE PcGts [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
     "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"),
    ('<!DOCTYPE PcGts [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    ('<!DOCTYPE PcGts [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "&x;"),
    ('<!DOCTYPE PcGts [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>', "text"),
], ids=["laughs", "local-file", "url", "parameter-entity"])
def test_xml_entities_are_refused_and_nothing_is_fetched(tmp_path: Path, no_network: list,
                                                          doctype: str, text: str) -> None:
    path = tmp_path / "doc.page.xml"
    path.write_text(page_with(doctype, text), encoding="utf-8")
    with pytest.raises(InputError, match="refused: the file declares XML entities") as err:
        load_benchmark(path, [], ReadOptions())
    assert str(err.value).startswith(str(path))
    assert no_network == []


def test_an_external_dtd_is_named_but_never_fetched(tmp_path: Path, no_network: list) -> None:
    path = tmp_path / "doc.page.xml"
    path.write_text(page_with('<!DOCTYPE PcGts SYSTEM "http://127.0.0.1:9/page.dtd">', "hi"),
                    encoding="utf-8")
    assert [i.reference for i in load_benchmark(path, [], ReadOptions()).items] == ["hi"]
    assert no_network == []


# -- images: the decompression-bomb limit, paths against the benchmark -------------------------

def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels but holds almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))



@contextlib.contextmanager
def media_view(qtbot: QtBot, tmp_path: Path,
               bench: Benchmark) -> Iterator[tuple[ReviewSession, MediaView]]:
    """A MediaView on a session over a project made from ``bench``; closed afterwards."""
    path = tmp_path / "media.db"
    with Project(path, create=True) as project:
        import_benchmark(project, bench, workers=1)
    session = ReviewSession(path, "tester")
    try:
        view = MediaView(session)
        qtbot.addWidget(view)
        yield session, view
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        session.close()

def test_pillows_bomb_limit_is_kept() -> None:
    import reviewer.gui.app  # noqa: F401 - everything the window imports is loaded

    assert Image.MAX_IMAGE_PIXELS == 1024 * 1024 * 1024 // 4 // 3


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("side", "said"), [(12_000, "pixel limit for images"),
                                            (100_000, "decompression bomb")])
def test_an_image_over_the_limit_is_refused_with_the_reason(
        qtbot: QtBot, tmp_path: Path, side: int, said: str) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(side, side))
    image, message, _ = decode_image(str(bomb))
    assert image is None and message.startswith(f"Cannot show {bomb}: ") and said in message
    bench = Benchmark("text", [Item("b", "x", str(bomb))], {"s": {"b": "x"}})
    with media_view(qtbot, tmp_path, bench) as (session, view):
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            session.set_current_item("b")
        assert not view.has_image() and view.status_text() == message


def test_media_paths_are_resolved_against_the_benchmark_and_missing_ones_reported(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = tmp_path / "bench"
    (bench / "img").mkdir(parents=True)
    Image.new("L", (8, 4), 200).save(bench / "img" / "a.png")
    table = bench / "lines.csv"
    table.write_text("id,gt,image\na,x,img/a.png\nb,y,img/missing.png\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # elsewhere: paths must not depend on the working folder
    loaded = read(table, ReadOptions())
    media = {i.id: i.media for i in loaded.items}
    assert media == {"a": (bench / "img" / "a.png").as_posix(),
                     "b": (bench / "img" / "missing.png").as_posix()}
    assert loaded.warnings == [f"{table}: 1 media files do not exist: {media['b']}"]
    with media_view(qtbot, tmp_path, load_benchmark(table, [], ReadOptions())) as (session, view):
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            session.set_current_item("b")
        assert view.status_text() == f"Image not found: {media['b']}"
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            session.set_current_item("a")
        assert view.has_image()


def test_a_missing_page_image_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "doc.page.xml"
    path.write_text(page_with("", "hi"), encoding="utf-8")
    loaded = read(path, ReadOptions())
    assert any("scan.png" in w for w in loaded.warnings)


# -- databases reviewer did not make ---------------------------------------------------------

def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def newer_project(path: Path) -> Path:
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item("a", "x")], {"s": {"a": "x"}}),
                         workers=1)
        project.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                           "VALUES ('reviewer', 'm999_from_the_future', '2030-01-01')")
    return path


def foreign_database(path: Path, application_id: int = 0, wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute("CREATE TABLE items (id TEXT PRIMARY KEY, reference TEXT)")
    conn.execute("INSERT INTO items VALUES ('a', 'x')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(("make", "said"), [
    (newer_project, "made by a newer version of reviewer (schema step m999_from_the_future); "
     "update reviewer to open it"),
    (foreign_database, "not a reviewer project (made by another program)"),
    (lambda p: foreign_database(p, 0x47504B47, wal=True),  # a GeoPackage
     "not a reviewer project (made by another program)"),
    (lambda p: (p.write_bytes(b"id,gt\na,x\n"), p)[1], "not a reviewer project (not an SQLite "
     "database)"),
], ids=["newer-schema", "other-program", "other-program-wal", "not-sqlite"])
def test_a_database_reviewer_did_not_make_is_refused_untouched(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str],
                                                               make: Callable[[Path], Path],
                                                               said: str) -> None:
    path = make(tmp_path / "project.db")
    before = digest(path)
    with pytest.raises(ProjectError) as err:
        Project(path)
    assert str(err.value) == f"{path}: {said}"
    table = tmp_path / "lines.csv"
    table.write_text("id,gt\na,x\n", encoding="utf-8")
    for command in (["label", str(path), "a", "ok"], ["score", str(path)],
                    ["import", str(path), str(table)]):
        assert cli_main(command) == 1
    errors = capsys.readouterr().err
    assert f"reviewer: error: {path}: {said}" in errors
    assert digest(path) == before
    # Opening read-only may leave SQLite's empty side files, never any content.
    for side in ("-wal", "-journal"):
        extra = Path(f"{path}{side}")
        assert not extra.exists() or extra.stat().st_size == 0
