"""Import a large synthetic text benchmark with ``reviewer import``, then score it with
``reviewer score``: the time and the peak memory of each (issue 19 §2).

The JSONL file of ``--lines`` seeded OCR-like lines with two systems is written a line at
a time (so that this script stays small whatever the size), then each command runs as a
child process while this one samples the resident memory of the child and its worker
processes together; the peak printed is the largest such sum (sampled every 0.1 s), and
the largest single process's peak (its VmHWM) as the kernel counted it.

    python benchmarks/bench_import_scale.py --lines 1000000 [--keep DIR] [--repeat 3] [--no-score]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
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


def run_measured(args: list[str]) -> tuple[float, int, subprocess.CompletedProcess[bytes]]:
    """Wall seconds and peak resident bytes (the process tree's, sampled) of ``args``."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, _tree_rss(child.pid))

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return seconds, peak, subprocess.CompletedProcess(args, child.returncode, out, err)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="score runs (best is printed)")
    parser.add_argument("--no-score", action="store_true", help="measure the import only")
    parser.add_argument("--keep", type=Path, help="folder to build in and keep (default: "
                        "a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        table, project = folder / "bench.jsonl", folder / "bench.db"
        project.unlink(missing_ok=True)
        start = time.perf_counter()
        write_table(table, args.lines)
        print(f"{args.lines:,} lines x 2 systems written in {time.perf_counter() - start:.1f} s "
              f"({table.stat().st_size / 2**20:,.0f} MiB)")
        seconds, peak, done = run_measured([*REVIEWER, "import", str(project), str(table)])
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
