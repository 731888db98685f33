"""Time OMR-NED (musicdiff in worker processes) over the bundled kern demo.

The demo's 16 pairs (8 scores, 2 systems) are imported into a fresh project and their
OMR-NED computed with 1 and with 2 worker processes (process start-up included, as a
user waits for it); then the results are dropped from the alignment rows and filled in
again from the project's cache, which musicdiff does not run for. ``--repeat`` copies
the demo's pairs under new ids so that there is more work per process start.

    python benchmarks/bench_omr_ned.py [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

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


def run(repeat: int) -> dict[str, float | int]:
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
    out["speed_up"] = out["seconds_1_worker"] / out["seconds_2_worker"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="copies of the demo's pairs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures = run(max(1, args.repeat))
    print(f"OMR-NED over {figures['pairs']} kern pairs (the demo x {args.repeat})")
    print(f"  1 worker process   {figures['seconds_1_worker']:7.2f} s")
    print(f"  2 worker processes {figures['seconds_2_worker']:7.2f} s   "
          f"speed-up {figures['speed_up']:.2f}x")
    print(f"  cached re-run      {figures['seconds_cached']:7.3f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
