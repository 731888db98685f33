"""Import a large synthetic text benchmark with ``reviewer import``, then score it with
``reviewer score``: the time and the peak memory of each (issue 19 §2).

The JSONL file of ``--lines`` seeded OCR-like lines with two systems is written a line at
a time (so that this script stays small whatever the size), then each command runs as a
child process while this one samples the resident memory of the child and its worker
processes together; the peak printed is the largest such sum (sampled every 0.1 s), and
the largest single process's peak (its VmHWM) as the kernel counted it.

The import's stderr is a pseudo-terminal, so that it draws its progress bar as for a
person: every ``--every`` seconds a line gives the time, the memory and the bar's text,
the phase where the memory peaked is named, and each tenth of the progress is listed with
the time left it showed next to the time the import then actually took.

    python benchmarks/bench_import_scale.py --lines 1000000 [--keep DIR] [--repeat 3] [--no-score]
    python benchmarks/bench_import_scale.py --lines 10000000 --keep DIR --table DIR/bench.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ocr_line, reference_line

REVIEWER = [sys.executable, "-m", "reviewer"]
BUDGET_MIB = 1536  # issue 19 §2: importing stays under 1.5 GB peak


def write_table(path: Path, lines: int, seed: int = 0) -> None:
    """``lines`` JSONL records (id, reference, pred_good, pred_bad), written as made."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(lines):
            ref = reference_line(rng)
            fh.write(json.dumps({"id": f"line_{k:08d}", "reference": ref,
                                 "pred_good": ocr_line(ref, rng, 0.02),
                                 "pred_bad": ocr_line(ref, rng, 0.06)},
                                ensure_ascii=False) + "\n")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_measured(args: list[str], every: float | None = None
                 ) -> tuple[float, int, subprocess.CompletedProcess[bytes]]:
    """Wall seconds and peak resident bytes (the process tree's, sampled) of ``args``.

    With ``every`` (seconds), the child's stderr is a pseudo-terminal (its progress bar is
    drawn), a timeline line is printed that often, and the progress is summed up at the
    end (:func:`print_progress`); the completed process's stderr is then the last lines
    the child wrote there."""
    start = time.perf_counter()
    bar = Bar() if every else None
    slave = -1
    if bar is not None:
        master, slave = pty.openpty()
        threading.Thread(target=bar.read, args=(master, start), daemon=True).start()
    child = subprocess.Popen(args, stdout=subprocess.PIPE,
                             stderr=slave if bar is not None else subprocess.PIPE)
    if bar is not None:
        os.close(slave)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        shown = 0.0
        while not done.wait(0.1):
            rss = _tree_rss(child.pid)
            now = time.perf_counter() - start
            if bar is not None and rss > peak:
                bar.at_peak = bar.text
            peak = max(peak, rss)
            if bar is not None and every and now - shown >= every:
                shown = now
                print(f"  {now:7.0f} s  {rss / 2**20:6,.0f} MiB  {bar.text}", flush=True)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if bar is not None:
        print_progress(bar, seconds, peak)
        err = "\n".join(bar.lines).encode()
    return seconds, peak, subprocess.CompletedProcess(args, child.returncode, out, err)


class Bar:
    """What a child draws on its terminal: the latest progress text, and when each tenth
    of the progress was first shown, with the time left it said."""

    LEFT = re.compile(r"(\d+(?:\.\d+)?) (h|min|s) left")
    PERCENT = re.compile(r"(\d+(?:\.\d+)?)%\s*$")

    def __init__(self) -> None:
        self.text = ""
        self.at_peak = ""
        self.tenths: dict[int, tuple[float, str]] = {}  # tenth -> (elapsed, time-left text)
        self.lines: deque[str] = deque(maxlen=40)  # the last ones (an error's message)

    def read(self, fd: int, start: float) -> None:
        """Read the terminal until the child closes it."""
        line = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed its side
                break
            if not chunk:
                break
            for byte in chunk:
                if byte in b"\r\n":
                    if line.strip():
                        self.seen(line.decode(errors="replace").strip(),
                                  time.perf_counter() - start)
                    line = b""
                else:
                    line += bytes([byte])
        os.close(fd)

    def seen(self, text: str, elapsed: float) -> None:
        self.text = text
        self.lines.append(text)
        percent = self.PERCENT.search(text)
        left = self.LEFT.search(text)
        if percent and left:
            self.tenths.setdefault(int(float(percent.group(1)) // 10), (elapsed, left.group(0)))


def print_progress(bar: Bar, seconds: float, peak: int) -> None:
    """The phase of the memory peak, and each tenth's time left against the real one."""
    print(f"  peak {peak / 2**20:,.0f} MiB while the bar showed: {bar.at_peak or '(nothing)'}")
    print(f"  last text shown: {bar.text or '(nothing)'}")
    for tenth, (elapsed, left) in sorted(bar.tenths.items()):
        print(f"  at {10 * tenth:3d}% ({elapsed:6.0f} s in): showed {left:>12}; "
              f"the import took {seconds - elapsed:6.0f} s more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="score runs (best is printed)")
    parser.add_argument("--no-score", action="store_true", help="measure the import only")
    parser.add_argument("--keep", type=Path, help="folder to build in and keep (default: "
                        "a temporary one)")
    parser.add_argument("--table", type=Path, help="a JSONL table this script wrote before "
                        "with the same --lines, imported instead of writing one")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between the "
                        "import's timeline lines (0: no timeline, progress not drawn)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        table, project = args.table or folder / "bench.jsonl", folder / "bench.db"
        for path in (project, *(project.with_name(project.name + e) for e in ("-wal", "-shm"))):
            path.unlink(missing_ok=True)
        if args.table is None:
            start = time.perf_counter()
            write_table(table, args.lines)
            print(f"{args.lines:,} lines x 2 systems written in "
                  f"{time.perf_counter() - start:.1f} s ({table.stat().st_size / 2**20:,.0f} MiB)")
        with open("/proc/loadavg", encoding="ascii") as fh:
            print(f"load average before the import: {' '.join(fh.read().split()[:3])}")
        seconds, peak, done = run_measured([*REVIEWER, "import", str(project), str(table)],
                                           every=args.every or None)
        if done.returncode:
            print(done.stderr.decode(errors="replace"), file=sys.stderr)
            return 1
        print(f"reviewer import (streams, a chunk at a time): {seconds:8.1f} s, "
              f"{args.lines / seconds:,.0f} items/s, {2 * args.lines / seconds:,.0f} pairs/s, "
              f"peak RSS (process and workers) {peak / 2**20:,.0f} MiB "
              f"(budget {BUDGET_MIB:,} MiB whatever the size: "
              f"{'met' if peak / 2**20 < BUDGET_MIB else 'NOT met'})")
        if args.no_score:
            return 0
        best: tuple[float, int] | None = None
        for _ in range(args.repeat):
            seconds, peak, done = run_measured([*REVIEWER, "score", str(project),
                                                "--format", "json"])
            if done.returncode:
                print(done.stderr.decode(errors="replace"), file=sys.stderr)
                return 1
            best = min(best or (seconds, peak), (seconds, peak))
        assert best is not None
        report = json.loads(done.stdout)
        cer = {s["name"]: s["metrics"]["cer"] for s in report["systems"]}
        print(f"reviewer score (intervals included): {best[0]:8.1f} s (best of {args.repeat}), "
              f"peak RSS {best[1] / 2**20:,.0f} MiB; CER "
              + ", ".join(f"{n} {m['value']:.4f} [{m['low']:.4f}, {m['high']:.4f}]"
                          for n, m in cer.items()))
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10
        print(f"largest single process peak (VmHWM) over all runs: {largest:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
