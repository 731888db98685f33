"""Fixtures for the GUI tests (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a table cell that must be filled."""
    item = table.item(row, column)
    assert item is not None, f"cell ({row}, {column}) of {table.objectName()!r} is empty"
    return item


@pytest.fixture
def import_table_csv(tmp_path: Path) -> Callable[..., Path]:
    """Writes a reference CSV (id, gt, gt_fixed, pred_a, pred_b) of ``rows`` rows."""

    def write(rows: int = 3, name: str = "lines.csv", duplicate: bool = False) -> Path:
        path = tmp_path / name
        lines = ["id,gt,gt_fixed,pred_a,pred_b"]
        for k in range(1, rows + 1):
            lines.append(f"l{k},The cat sat {k},The cat sat {k}.,The cat sat {k},Tne cat sal {k}")
        if duplicate:
            lines.append("l1,again,again,again,again")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def import_dialog_pool() -> Iterator[QThreadPool]:
    """The thread pool background imports run in; drained after the test."""
    pool = QThreadPool.globalInstance()
    yield pool
    pool.waitForDone(30_000)


# -- review sessions over small temporary projects (diff view, legend, media view) ----------
DIFF_REFERENCE = "The modern Café opened, and the cat sat on the mat today."
DIFF_ITEMS = {
    "mixed": (DIFF_REFERENCE,
              "the rnodern Cafe opened. and cat sat on the big mat to day.",
              "The modem Café opened, and the cat sat on the mat today"),
    "markup": ("<b>bold</b> & <script>x</script>", "<b>bo1d</b> & <script>y</script>",
               "<b>bold</b> & <script>x</script>"),
    "clean": ("Plain line", "Plain line", "Plain line"),
    "shared": ("Hello world", "Hallo world", "HEllo world"),
}


@pytest.fixture
def make_review_session(tmp_path: Path, qtbot: QtBot) -> Iterator[Callable[..., ReviewSession]]:
    """Builds a project from ``items`` and ``predictions`` and opens a session on it.

    Background tasks are drained and every session is closed at teardown.
    """
    sessions: list[ReviewSession] = []

    def make(items: list[Item], predictions: dict[str, dict[str, str]],
             name: str = "review.db") -> ReviewSession:
        path = tmp_path / name
        with Project(path, create=True) as project:
            import_benchmark(project, Benchmark("text", items, predictions))
        session = ReviewSession(path, "tester")
        sessions.append(session)
        return session

    yield make
    QThreadPool.globalInstance().waitForDone(30_000)
    for session in sessions:
        session.close()


@pytest.fixture
def diff_session(make_review_session: Callable[..., ReviewSession]) -> ReviewSession:
    """Two systems on :data:`DIFF_ITEMS`: ``ocr_a`` makes many kinds of errors, ``ocr_b`` few."""
    items = [Item(item_id, ref) for item_id, (ref, _, _) in DIFF_ITEMS.items()]
    preds = {"ocr_a": {k: v[1] for k, v in DIFF_ITEMS.items()},
             "ocr_b": {k: v[2] for k, v in DIFF_ITEMS.items()}}
    return make_review_session(items, preds)


# -- the item list and statistics docks: 30 items, 2 systems --------------------------------
ITEMS_SENTENCES = (
    "The modern cat sat on the mat.", "Hello world, said the clerk.",
    "In 1848 the river rose by 12 feet.", "A quiet morning in the village.",
    "Café crème and a croissant, please.", "She closed the door behind her.",
)


def items_benchmark(n: int = 30) -> Benchmark:
    """``n`` lines ``l1``…: ``tess`` makes varied errors, ``kraken`` few; ``l7`` is empty."""
    mangles = (
        lambda s: s.replace("m", "rn", 1),  # confusable
        lambda s: s.upper(),  # case
        lambda s: s.replace(",", "").replace(".", ""),  # punctuation
        lambda s: s.replace("é", "e").replace("è", "e"),  # diacritic
        lambda s: s.replace(" ", "", 2),  # whitespace
        lambda s: s,  # no error
        lambda s: s[:-6],  # deletion
    )
    items, tess, kraken = [], {}, {}
    for k in range(1, n + 1):
        item_id = f"l{k}"
        ref = "" if k == 7 else ITEMS_SENTENCES[k % len(ITEMS_SENTENCES)]
        items.append(Item(item_id, ref))
        tess[item_id] = "stray" if k == 7 else mangles[k % len(mangles)](ref)
        kraken[item_id] = ref if k % 3 else ref.replace("e", "c", 1)
    return Benchmark("text", items, {"tess": tess, "kraken": kraken})


@pytest.fixture
def items_session(tmp_path: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    """A session on :func:`items_benchmark`; background tasks drained at teardown."""
    path = tmp_path / "items.db"
    with Project(path, create=True) as project:
        import_benchmark(project, items_benchmark())
    session = ReviewSession(path, "tester")
    yield session
    QThreadPool.globalInstance().waitForDone(30_000)
    session.close()
