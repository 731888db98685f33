"""Time the review window on a 100,000-item project, offscreen (DESIGN §8 budgets).

Measures: opening the project until the first item is shown, moving to the next item
and re-highlighting (median and p95), re-aligning and re-drawing the item as its
reference is typed, a verdict key until its row is committed, and the peak memory of
the process.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--items 100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_pairs

from reviewer.core.items import Benchmark, Item
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


def build(path: Path, n: int) -> None:
    refs, good, bad = make_pairs(n, seed=1)
    items = [Item(f"line_{k:06d}", r) for k, r in enumerate(refs)]
    ids = [it.id for it in items]
    bench = Benchmark("text", items, {"good": dict(zip(ids, good, strict=True)),
                                      "bad": dict(zip(ids, bad, strict=True))})
    with Project(path, create=True) as project:
        import_benchmark(project, bench)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--verdicts", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        db = Path(tmp) / "big.db"
        start = time.perf_counter()
        # Built in a child process so that the peak memory below is the window's alone.
        import multiprocessing

        child = multiprocessing.get_context("spawn").Process(target=build, args=(db, args.items))
        child.start()
        child.join()
        print(f"built a {args.items:,}-item project with 2 systems in "
              f"{time.perf_counter() - start:.1f} s")

        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from reviewer.gui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        start = time.perf_counter()
        window = MainWindow("bench")
        window.show()
        window.open_project(db)
        QCoreApplication.processEvents()
        first = time.perf_counter() - start
        session = window.session
        assert session is not None and session.current_item is not None
        print(f"open project -> first item shown: {1000 * first:7.1f} ms (budget 1000 ms)")

        moves = []
        for _ in range(args.moves):
            t = time.perf_counter()
            window.items.select_next(1)
            QCoreApplication.processEvents()
            moves.append(1000 * (time.perf_counter() - t))
        moves.sort()
        p95 = moves[int(0.95 * (len(moves) - 1))]
        print(f"next item + re-highlight: median {statistics.median(moves):6.1f} ms, "
              f"p95 {p95:6.1f} ms (budget 50 ms)")

        typed = []
        reference = session.current_reference(session.current_item)
        for k in range(args.moves):
            t = time.perf_counter()
            window.diff.set_preview_reference(reference + " " * (k % 2 + 1))
            typed.append(1000 * (time.perf_counter() - t))
        window.diff.set_preview_reference(None)
        typed.sort()
        print(f"a typed reference re-aligned and re-drawn: median {statistics.median(typed):6.1f} "
              f"ms, p95 {typed[int(0.95 * (len(typed) - 1))]:6.1f} ms (budget 50 ms)")

        # Durability is watched from a second connection, as another process would see it.
        from reviewer.store.decisions import get_decision

        watcher = Project(db)
        commits = []
        for k in range(args.verdicts):
            item = session.current_item
            assert item is not None
            verdict = "model_error" if k % 2 else "ok"
            t = time.perf_counter()
            window.actions_by_id[f"verdict:{verdict}"].trigger()
            while get_decision(watcher, item).verdict != verdict:
                time.sleep(0.0005)
            commits.append(1000 * (time.perf_counter() - t))
            while session.pending_writes():
                QCoreApplication.processEvents()
            window.items.select_next(1)
            QCoreApplication.processEvents()
        watcher.close()
        commits.sort()
        print("verdict key -> row committed (seen by another connection): "
              f"median {statistics.median(commits):6.1f} ms, "
              f"p95 {commits[int(0.95 * (len(commits) - 1))]:6.1f} ms (budget 20 ms)")
        window.close()
        del app
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the window process (max RSS): {peak:.0f} MB (budget 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
