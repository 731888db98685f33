"""Time reviewer's text pipeline against jiwer and dinglehopper on the same pairs.

100,000 seeded synthetic OCR-like lines with two systems: reviewer's import (read the
JSONL file, align, categorise, write the SQLite project, as ``reviewer import`` does: a
chunk at a time, into a new project file; ``--whole``: the table read whole first, the
path of formats that do not stream) against jiwer's
``process_characters`` + ``process_words`` on the same pairs, and dinglehopper's CER on
a 2,000-line subset, all in one run. Also checks that reviewer's code-point mode gives
exactly jiwer's S/D/I totals.

Each timing is the best of ``--repeat`` runs (3), with the CPU seconds of that run (this
process and its worker processes) and the load average before and after: on a busy machine
the CPU seconds change far less than the wall time.

    python benchmarks/bench_text.py [--lines 100000] [--repeat 3] [--whole]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_pairs

from reviewer.core.evaluate import score_pairs
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_into
from reviewer.store.stream_import import import_streamed


def cpu_seconds() -> float:
    """CPU seconds of this process and of its worker processes that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(repeat: int, run: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    """``(wall, cpu)`` seconds of the fastest of ``repeat`` calls of ``run``, which returns
    them measured around the timed work alone (not its set-up)."""
    return min(run() for _ in range(repeat))


def time_reviewer(refs: list[str], good: list[str], bad: list[str], workers: int | None,
                  whole: bool = False) -> tuple[float, float]:
    """An import of the pairs as a JSONL table into a new project, as ``reviewer import``
    runs it (streamed, a chunk at a time); ``whole``: read whole first, then imported."""
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "bench.jsonl"
        with open(table, "w", encoding="utf-8") as fh:
            for k, (r, g, b) in enumerate(zip(refs, good, bad, strict=True)):
                fh.write(json.dumps({"id": f"line_{k:06d}", "reference": r,
                                     "pred_good": g, "pred_bad": b}, ensure_ascii=False) + "\n")
        cpu = cpu_seconds()
        start = time.perf_counter()
        if whole:
            bench = load_benchmark(table, [], ReadOptions(kind="text"))
            import_into(Path(tmp) / "bench.db", bench, workers=workers)
        elif import_streamed(Path(tmp) / "bench.db", table, [], ReadOptions(kind="text"),
                             workers=workers) is None:
            raise SystemExit("the JSONL table was not streamed")
        return time.perf_counter() - start, cpu_seconds() - cpu


def time_jiwer(refs: list[str], good: list[str], bad: list[str]
               ) -> tuple[float, float, dict[str, int]]:
    import jiwer

    cpu = cpu_seconds()
    start = time.perf_counter()
    totals = {"S": 0, "D": 0, "I": 0, "wS": 0, "wD": 0, "wI": 0}
    for hyps in (good, bad):
        c = jiwer.process_characters(refs, hyps)
        w = jiwer.process_words(refs, hyps)
        totals["S"] += c.substitutions
        totals["D"] += c.deletions
        totals["I"] += c.insertions
        totals["wS"] += w.substitutions
        totals["wD"] += w.deletions
        totals["wI"] += w.insertions
    return time.perf_counter() - start, cpu_seconds() - cpu, totals


def time_dinglehopper(refs: list[str], hyps: list[str]) -> float | None:
    try:
        from dinglehopper.character_error_rate import character_error_rate
    except ImportError:
        return None
    start = time.perf_counter()
    for r, h in zip(refs, hyps, strict=True):
        character_error_rate(r, h)
    return time.perf_counter() - start


def codepoint_totals(refs: list[str], good: list[str], bad: list[str]) -> dict[str, int]:
    totals = {"S": 0, "D": 0, "I": 0, "wS": 0, "wD": 0, "wI": 0}
    for hyps in (good, bad):
        for c in score_pairs(list(zip(refs, hyps, strict=True)), mode="codepoint"):
            totals["S"] += c.main_s
            totals["D"] += c.main_d
            totals["I"] += c.main_i
            totals["wS"] += c.second_s
            totals["wD"] += c.second_d
            totals["wI"] += c.second_i
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--dinglehopper-lines", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each timing; the fastest counts")
    parser.add_argument("--whole", action="store_true",
                        help="time the import of the table read whole (the path of formats "
                             "that do not stream) instead of the streamed one")
    args = parser.parse_args()
    refs, good, bad = make_pairs(args.lines)
    pairs = 2 * args.lines
    print(f"{args.lines:,} lines x 2 systems = {pairs:,} pairs, best of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    jiwer_totals: dict[str, int] = {}

    def run_jiwer() -> tuple[float, float]:
        wall, cpu, totals = time_jiwer(refs, good, bad)
        jiwer_totals.update(totals)
        return wall, cpu

    t_jiwer, c_jiwer = best_of(args.repeat, run_jiwer)
    t_one, c_one = best_of(args.repeat,
                           lambda: time_reviewer(refs, good, bad, workers=1, whole=args.whole))
    t_all, c_all = best_of(args.repeat,
                           lambda: time_reviewer(refs, good, bad, workers=None, whole=args.whole))
    print(f"reviewer import: a JSONL table into a new project, "
          f"{'read whole first' if args.whole else 'streamed, as reviewer import runs it'}")
    print(f"jiwer process_characters + process_words: {t_jiwer:7.2f} s "
          f"({pairs / t_jiwer:,.0f} pairs/s; CPU {c_jiwer:.2f} s)")
    print(f"reviewer import, 1 process:               {t_one:7.2f} s "
          f"({pairs / t_one:,.0f} pairs/s; CPU {c_one:.2f} s)  ratio to jiwer "
          f"{t_one / t_jiwer:.2f} (CPU {c_one / c_jiwer:.2f})")
    print(f"reviewer import, all cores:               {t_all:7.2f} s "
          f"({pairs / t_all:,.0f} pairs/s; CPU {c_all:.2f} s)  ratio to jiwer "
          f"{t_all / t_jiwer:.2f} (CPU {c_all / c_jiwer:.2f})")
    best = min(t_one, t_all) / t_jiwer
    print(f"import time / jiwer time, the faster import: {best:.2f} "
          f"(budget 0.30: {'met' if best <= 0.3 else 'NOT met'}); "
          f"load average at the end {os.getloadavg()[0]:.2f}")

    n = min(args.dinglehopper_lines, args.lines)
    t_dh = time_dinglehopper(refs[:n], good[:n])
    if t_dh is None:
        print("dinglehopper: not installed (pip install '.[bench]')")
    else:
        per_pair = t_dh / n
        print(f"dinglehopper CER on {n:,} pairs:            {t_dh:7.2f} s "
              f"({1 / per_pair:,.0f} pairs/s); extrapolated to {pairs:,} pairs: "
              f"{per_pair * pairs:,.0f} s, ratio of reviewer (all cores) to it "
              f"{t_all / (per_pair * pairs):.3f}")

    ours = codepoint_totals(refs, good, bad)
    same = ours == jiwer_totals
    print(f"code-point mode S/D/I equal to jiwer's: {'yes' if same else 'NO'} "
          f"(chars S {ours['S']} D {ours['D']} I {ours['I']}; "
          f"words S {ours['wS']} D {ours['wD']} I {ours['wI']})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
