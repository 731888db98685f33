"""Time OMR-NED (musicdiff in worker processes) over the bundled kern demo.

The demo's 16 pairs (8 scores, 2 systems) are imported into a fresh project and their
OMR-NED computed with 1 and with 2 worker processes (process start-up included, as a
user waits for it) and on a Dask cluster of 2 worker processes (a LocalCluster started
beforehand, its start-up timed apart; ``--scheduler`` uses a running cluster instead);
then the results are dropped from the alignment rows and filled in again from the
project's cache, which musicdiff does not run for. ``--repeat`` copies the demo's pairs
under new ids so that there is more work per process start.

    python benchmarks/bench_omr_ned.py [--repeat 3] [--json out.json] [--scheduler ADDRESS]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reviewer.core.cluster import INSTALL, Cluster, distributed_module
from reviewer.core.errors import ClusterError
from reviewer.core.items import Benchmark, Item
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.resources import demo_dir
from reviewer.store.importer import import_benchmark
from reviewer.store.omr_ned import fill
from reviewer.store.project import Project


def demo_benchmark(repeat: int) -> Benchmark:
    """The kern demo, its items copied ``repeat`` times under new ids."""
    folder = demo_dir("kern")
    spec = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    bench = load_benchmark(folder / spec["reference"],
                           [(name, folder / rel) for name, rel in spec["predictions"].items()],
                           ReadOptions(kind="kern"))
    items = [Item(f"{i.id}#{k}", i.reference, i.media) for k in range(repeat)
             for i in bench.items]
    # A copy differs from the original (a comment), so that it is a new pair to compute.
    items = [Item(i.id, i.reference + f"\n!! copy {i.id}", i.media) for i in items]
    preds = {system: {f"{item_id}#{k}": text for k in range(repeat)
                      for item_id, text in texts.items()}
             for system, texts in bench.predictions.items()}
    return Benchmark("kern", items, preds)


@contextmanager
def two_worker_cluster(address: str | None) -> Iterator[tuple[Cluster, float]]:
    """The cluster at ``address``, else a LocalCluster of 2 worker processes started here,
    with the seconds its start took (0 for a running one)."""
    if address:
        yield Cluster(address), 0.0
        return
    distributed = distributed_module()
    start = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        seconds = time.perf_counter() - start
        yield Cluster(local.scheduler_address), seconds


def omr_summaries(project: Project) -> list[str]:
    """The OMR-NED summary of every alignment row, in a fixed order (to compare runs)."""
    return [row[0] for row in project.db.execute(
        "SELECT json_extract(extra, '$.omr') FROM alignments ORDER BY system, item_id, variant")]


def run(repeat: int, scheduler: str | None = None) -> dict[str, float | int]:
    bench = demo_benchmark(repeat)
    pairs = len(bench.items) * len(bench.predictions)
    out: dict[str, float | int] = {"pairs": pairs}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            with Project(Path(tmp) / f"w{workers}.db", create=True) as project:
                import_benchmark(project, bench)
                start = time.perf_counter()
                report = fill(project, workers=workers)
                out[f"seconds_{workers}_worker"] = time.perf_counter() - start
                assert report.computed == pairs and report.failed == 0, report
                if workers == 2:
                    project.db.execute(
                        "UPDATE alignments SET extra = json_remove(extra, '$.omr')")
                    start = time.perf_counter()
                    cached = fill(project, workers=workers)
                    out["seconds_cached"] = time.perf_counter() - start
                    assert cached.cached == pairs and cached.computed == 0, cached
                    local = omr_summaries(project)
        try:
            with two_worker_cluster(scheduler) as (cluster, started), \
                    Project(Path(tmp) / "cluster.db", create=True) as project:
                import_benchmark(project, bench)
                start = time.perf_counter()
                report = fill(project, workers=cluster)
                out["seconds_cluster"] = time.perf_counter() - start
                out["seconds_cluster_start"] = started
                assert report.computed == pairs and report.failed == 0, report
                assert omr_summaries(project) == local, "the cluster's results differ"
        except ClusterError as exc:
            print(f"(no cluster line: {exc})", file=sys.stderr)
    out["speed_up"] = out["seconds_1_worker"] / out["seconds_2_worker"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="copies of the demo's pairs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="time this running Dask cluster instead of a 2-worker "
                        f"LocalCluster (needs `{INSTALL}`)")
    args = parser.parse_args()
    figures = run(max(1, args.repeat), args.scheduler)
    print(f"OMR-NED over {figures['pairs']} kern pairs (the demo x {args.repeat})")
    print(f"  1 worker process   {figures['seconds_1_worker']:7.2f} s")
    print(f"  2 worker processes {figures['seconds_2_worker']:7.2f} s   "
          f"speed-up {figures['speed_up']:.2f}x")
    if "seconds_cluster" in figures:
        where = (args.scheduler if args.scheduler else
                 f"2-worker LocalCluster, start-up {figures['seconds_cluster_start']:.2f} s apart")
        print(f"  Dask cluster       {figures['seconds_cluster']:7.2f} s   "
              f"speed-up {figures['seconds_1_worker'] / figures['seconds_cluster']:.2f}x "
              f"({where})")
    print(f"  cached re-run      {figures['seconds_cached']:7.3f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
