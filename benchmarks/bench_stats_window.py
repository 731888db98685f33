"""Time the review window while its statistics are being computed (issue 19, DESIGN §8).

Opens a copy of a text project offscreen with the statistics view shown, and while the
view computes its scores (started again whenever it finishes) moves to the next item and
gives verdicts: next item p95 (budget 50 ms) and verdict key until the row is committed as
another connection sees it p95 (budget 20 ms). Then the peak memory of the window process
(budget 500 MB) and of its children (where the statistics are computed), and how long the
first statistics took to appear.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_stats_window.py PROJECT.db
        [--moves 200] [--verdicts 100]

PROJECT.db is copied first (verdicts are written to the copy), so a shared read-only
project can be given. Run from another checkout to time its code with this script:
``cd OTHER && PYTHONPATH=OTHER python /path/to/benchmarks/bench_stats_window.py ...``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def copy_project(source: Path, folder: Path) -> Path:
    """``source`` copied into ``folder`` (a reflink where the file system has them)."""
    target = folder / source.name
    if subprocess.run(["cp", "--reflink=auto", str(source), str(target)],
                      check=False).returncode != 0:
        shutil.copyfile(source, target)
    target.chmod(0o644)
    return target


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * (len(ordered) - 1))]


def keep_computing(stats: Any, counts: dict[str, int]) -> None:
    """Start the statistics again if they finished: every sample is taken while they run."""
    if stats.busy():
        counts["while"] += 1
    else:
        counts["restarted"] += 1
        stats.refresh()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a text project (it is copied first)")
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--verdicts", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        db = copy_project(args.project, Path(tmp))

        from bench_gui import time_verdicts
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QDockWidget

        import reviewer
        from reviewer.gui.main_window import MainWindow

        print(f"reviewer from {Path(reviewer.__file__).parent}")
        print(f"load average at start: {Path('/proc/loadavg').read_text().strip()}")
        app = QApplication.instance() or QApplication(sys.argv[:1])
        start = time.perf_counter()
        window = MainWindow("bench")
        window.show()
        window.open_project(db)
        QCoreApplication.processEvents()
        print(f"open -> first item shown: {1000 * (time.perf_counter() - start):.0f} ms")
        stats = window.stats
        if not stats.isVisible():  # its dock is a tab behind another: bring it up
            dock = stats.parent()
            while dock is not None and not isinstance(dock, QDockWidget):
                dock = dock.parent()
            assert dock is not None
            dock.raise_()
            QCoreApplication.processEvents()
        if not stats.busy() and stats.report is None:
            stats.refresh()
        session = window.session
        assert session is not None and stats.busy()
        counts = {"while": 0, "restarted": 0}
        first_report: float | None = None

        moves = []
        for _ in range(args.moves):
            keep_computing(stats, counts)
            t = time.perf_counter()
            window.items.select_next(1)
            QCoreApplication.processEvents()
            moves.append(1000 * (time.perf_counter() - t))
            if first_report is None and stats.report is not None:
                first_report = time.perf_counter() - start

        def between() -> None:
            nonlocal first_report
            if first_report is None and stats.report is not None:
                first_report = time.perf_counter() - start
            keep_computing(stats, counts)

        commits = time_verdicts(window, db, args.verdicts, between)
        while first_report is None:
            QCoreApplication.processEvents()
            time.sleep(0.01)
            if stats.report is not None:
                first_report = time.perf_counter() - start
        print(f"samples taken while the statistics computed: {counts['while']} of "
              f"{args.moves + args.verdicts} (computation started again "
              f"{counts['restarted']} time(s))")
        print(f"next item + re-highlight while computing: median "
              f"{statistics.median(moves):6.1f} ms, p95 {p95(moves):6.1f} ms (budget 50 ms)")
        print(f"verdict key -> row committed while computing: median "
              f"{statistics.median(commits):6.1f} ms, p95 {p95(commits):6.1f} ms "
              "(budget 20 ms)")
        print(f"open -> first statistics shown: {first_report:.1f} s")
        window.close()
        QCoreApplication.processEvents()
        del app
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory (max RSS) of the window process: {own:.0f} MB (budget 500 MB); "
          f"of its largest child process: {children:.0f} MB")
    print(f"load average at end: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    # The suspicion ranking may still run in a pool thread and its child process (minutes
    # at 1,000,000 items): the figures are out, so end both rather than wait for them.
    for child in multiprocessing.active_children():
        child.kill()
    os._exit(0)


if __name__ == "__main__":
    main()
