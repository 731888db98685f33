"""How well the suspicion queue puts real label errors first, and how long it takes.

1. MMLU-Redux (``../shared/fixtures/mcq-mmlu-redux/``, 600 questions of 6 subjects, 14 models'
   answers as votes): AUROC and average precision of the ranking against the dataset's own
   labels, for "wrong ground truth" and for "any error" (error_type other than ok).
   Published baseline with the same 14 models' votes: AUROC about 0.91 and 0.74.
2. Every bundled demo: how many of its deliberate reference mistakes (as the demo records
   them, :mod:`reviewer.demo_mistakes`) land in the top 10% of ``reviewer suspects``, and
   the rank of each.
3. Time to rank a synthetic 100,000-item text project and a 20,000-item asr project with
   two systems each; the text project also a part at a time (as the window ranks a large
   text project), with the peak memory of each way, each in a process of its own.
   ``--project P``: the part-at-a-time ranking of the text or kern project P alone (it keeps
   its scores in P's item facts and the ranking in P, as the window does), for example a
   10,000,000-item one. Both also time reading the kept ranking back, which is what opening
   the project again costs instead of a ranking.

What the asr ranking gains from the systems' word times, on the demo and on Earnings-21
with planted mistakes, is measured by ``benchmarks/bench_asr_timing.py``.

    python benchmarks/bench_suspicion.py [--items 100000] [--asr-items 20000]
    python benchmarks/bench_suspicion.py --project /tmp/m10/text-10000000.db
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from sklearn.metrics import average_precision_score, roc_auc_score

REPO = Path(__file__).resolve().parents[1]
REDUX = REPO.parent / "shared" / "fixtures" / "mcq-mmlu-redux" / "outputs" / "multi_expert_helm"
sys.path.insert(0, str(REPO / "benchmarks"))

from reviewer.demo import demo_kinds, ensure_demo  # noqa: E402
from reviewer.demo_mistakes import reference_mistakes  # noqa: E402
from reviewer.formats.load import load_benchmark  # noqa: E402
from reviewer.formats.registry import ReadOptions  # noqa: E402
from reviewer.store.importer import import_benchmark  # noqa: E402
from reviewer.store.project import Project  # noqa: E402
from reviewer.store.suspects import compute_suspects, kept_suspects, rank_in_passes  # noqa: E402


def redux(tmp: Path) -> None:
    table = REDUX / "all_6subjects.csv"
    if not table.is_file():
        print(f"MMLU-Redux fixture not found at {table}; skipped")
        return
    with open(REDUX / "all_6subjects_rowmap.csv", encoding="utf-8") as fh:
        subject = {f"row_{r['subset_data_row_1based']}": r["subject"] for r in csv.DictReader(fh)}
    bench = load_benchmark(table, [], ReadOptions(kind="choice"))
    with Project(tmp / "redux.db", create=True) as project:
        import_benchmark(project, bench, name="mmlu-redux")
        truth = {i: dict(project.item(i).meta)["redux_error_type"] for i in project.item_ids()}
        ranked = {m: compute_suspects(project, m).scores for m in ("votes", "cleanlab")}
    print(f"MMLU-Redux subset: {len(truth)} questions, {len(bench.predictions)} models' votes")
    print(f"{'subset':<24}{'method':<10}{'n':>5}{'WG':>5}{'any':>5}  "
          f"{'AUROC WG':>9}{'AP WG':>7}{'AUROC any':>11}{'AP any':>8}")
    groups = {"all 6 subjects": list(truth), **{
        s: [i for i in truth if subject[i] == s] for s in sorted(set(subject.values()))}}
    for name, ids in groups.items():
        wg = [truth[i] == "wrong_groundtruth" for i in ids]
        anyerr = [truth[i] != "ok" for i in ids]
        for method, scores in ranked.items():
            s = [scores[i] for i in ids]
            cells = [_metric(roc_auc_score, wg, s), _metric(average_precision_score, wg, s),
                     _metric(roc_auc_score, anyerr, s), _metric(average_precision_score, anyerr, s)]
            print(f"{name:<24}{method:<10}{len(ids):>5}{sum(wg):>5}{sum(anyerr):>5}  "
                  f"{cells[0]:>9}{cells[1]:>7}{cells[2]:>11}{cells[3]:>8}")
    print("published baseline (14 models' votes): AUROC WG ~0.91, AUROC any error ~0.74")


def _metric(fn, labels: list[bool], scores: list[float]) -> str:  # type: ignore[no-untyped-def]
    if all(labels) or not any(labels):
        return "—"
    return f"{fn(labels, scores):.3f}"


def demos(tmp: Path) -> None:
    print(f"\n{'demo':<8}{'items':>7}{'top 10%':>9}  planted in the top 10%, and each one's rank")
    for kind in demo_kinds():
        planted = reference_mistakes(kind)
        if not planted:
            continue
        path = ensure_demo(tmp / f"{kind}.db", kind)
        with Project(path) as project:
            suspects = compute_suspects(project)
        cutoff = max(1, len(suspects.order) // 10)
        rank = {item_id: k + 1 for k, item_id in enumerate(suspects.order)}
        ranks = sorted(rank[i] for i in planted)
        found = sum(1 for r in ranks if r <= cutoff)
        shown = ", ".join(str(r) for r in ranks[:12]) + (" ..." if len(ranks) > 12 else "")
        print(f"{kind:<8}{len(suspects.order):>7}{cutoff:>9}  {found} of {len(planted)}; "
              f"ranks {shown}")


def _rank(path: str, in_passes: bool, send: Connection) -> None:
    with Project(path) as project:
        start = time.perf_counter()
        suspects = rank_in_passes(project) if in_passes else compute_suspects(project)
        took = time.perf_counter() - start
    flagged = sum(1 for v in suspects.scores.values() if v > 0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    send.send((took, flagged, peak))


def ranked_alone(path: Path, in_passes: bool) -> tuple[float, int, float]:
    """(seconds, items scored above 0, peak MiB) of ranking ``path`` in a process of its
    own: whole (:func:`compute_suspects`) or a part at a time (:func:`rank_in_passes`)."""
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_rank, args=(str(path), in_passes, send))
    child.start()
    send.close()
    try:
        result: tuple[float, int, float] = receive.recv()
    finally:
        child.join()
    return result


def synthetic(tmp: Path, n: int) -> None:
    from synthetic import build_text_project

    build_text_project(tmp / "big.db", n)
    print(f"\nsynthetic text project, {n:,} items x 2 systems:")
    for label, in_passes in (("whole", False), ("a part at a time", True)):
        took, flagged, peak = ranked_alone(tmp / "big.db", in_passes)
        print(f"  ranked {label}: {took:.2f} s, peak {peak:,.0f} MiB "
              f"({flagged:,} items with a shared change)")
    print(kept_read(tmp / "big.db"))


def project_in_passes(path: Path) -> None:
    with Project(path) as project:
        items = project.item_count()
    took, flagged, peak = ranked_alone(path, True)
    print(f"{path}: {items:,} items ranked a part at a time in {took:.1f} s, peak {peak:,.0f} "
          f"MiB ({flagged:,} items with a shared change)")
    print(kept_read(path))


def kept_read(path: Path, repeat: int = 3) -> str:
    """How long reading back the ranking kept in ``path`` takes (what the window does when
    it opens the project again, instead of ranking it), best of ``repeat``."""
    best, explained = float("inf"), 0
    with Project(path) as project:
        for _ in range(repeat):
            start = time.perf_counter()
            kept = kept_suspects(project)
            best = min(best, time.perf_counter() - start)
            explained = 0 if kept is None else len(kept.order)
    return (f"  the kept ranking read back in {best:.2f} s (best of {repeat}; "
            f"{explained:,} items with their reasons and marks)")


def synthetic_asr(tmp: Path, n: int) -> None:
    from synthetic import make_pairs

    from reviewer.core.items import Benchmark, Item

    refs, good, bad = make_pairs(n, seed=2)
    items = [Item(f"utt_{k:06d}", r) for k, r in enumerate(refs)]
    ids = [it.id for it in items]
    bench = Benchmark("asr", items, {"good": dict(zip(ids, good, strict=True)),
                                     "bad": dict(zip(ids, bad, strict=True))})
    with Project(tmp / "big-asr.db", create=True) as project:
        import_benchmark(project, bench)
    with Project(tmp / "big-asr.db") as project:
        start = time.perf_counter()
        suspects = compute_suspects(project)
        took = time.perf_counter() - start
    flagged = sum(1 for v in suspects.scores.values() if v > 0)
    print(f"synthetic asr project, {n:,} items x 2 systems: ranked in {took:.2f} s "
          f"({flagged:,} items with a word both systems reject)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000,
                        help="size of the synthetic text project to time (0: skip)")
    parser.add_argument("--asr-items", type=int, default=20_000,
                        help="size of the synthetic asr project to time (0: skip)")
    parser.add_argument("--project", type=Path, default=None,
                        help="only rank this text or kern project a part at a time (its "
                             "scores are kept in it)")
    args = parser.parse_args()
    if args.project is not None:
        project_in_passes(args.project)
        return 0
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        redux(tmp)
        demos(tmp)
        if args.items:
            synthetic(tmp, args.items)
        if args.asr_items:
            synthetic_asr(tmp, args.asr_items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
