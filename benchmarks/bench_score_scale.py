"""``reviewer score --format json`` on large text projects (issue 19 §2): the best of
``--repeat`` wall times, the peak resident memory, and the verdict against the budgets
(< 15 s and < 1.5 GB at 10,000,000 items x 2 systems, intervals included).

Each project is copied into ``--workdir`` first (the given files are only read) and the copy
is brought up to date once by opening it (an older project gains ``score_groups`` there),
timed and printed apart. Then ``reviewer score`` runs as a child process, measured as in
``bench_import_scale.py`` (wall time; the resident memory sampled every 0.1 s, and VmHWM):
first once on a project without kept groups (what the first score after a change of the
alignments does: it groups them and keeps the groups), then ``--repeat`` times with the
groups kept (what every later score does, and the first one after an import of 1,000,000
items or more, which keeps them as it finishes).

    python benchmarks/bench_score_scale.py /tmp/sc/text-1000000.db /tmp/sc/text-10000000.db
    python benchmarks/bench_score_scale.py --in-place DIR/bench.db   # no copy: a project
                                       # of your own (its groups are dropped, then kept again)

The projects are text projects such as ``synthetic.replicate_text_project`` makes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import_scale import REVIEWER, run_measured

TIME_BUDGET = 15.0  # seconds, at BUDGET_ITEMS items x 2 systems
RSS_BUDGET = 1.5 * 2**30
BUDGET_ITEMS = 10_000_000
DEFAULT_PROJECTS = ("/tmp/sc/text-1000000.db", "/tmp/sc/text-10000000.db")


def copy_project(source: Path, folder: Path) -> Path:
    """A copy of ``source`` in ``folder`` (a reflink where the file system has them)."""
    target = folder / source.name
    target.unlink(missing_ok=True)
    done = subprocess.run(["cp", "--reflink=auto", str(source), str(target)], check=False)
    if done.returncode:
        shutil.copyfile(source, target)
    target.chmod(0o644)
    return target


def bring_up_to_date(path: Path) -> tuple[float, int]:
    """Seconds taken to open (and so migrate) the project, and its number of items; the
    project is left without kept score groups."""
    from reviewer.store.project import Project

    start = time.perf_counter()
    with Project(path) as project:
        seconds = time.perf_counter() - start
        project.db.conn.execute("DELETE FROM score_groups")
        return seconds, project.item_count()


def measure(path: Path, repeat: int) -> tuple[float, int, bytes]:
    """Best wall seconds, the peak RSS of that run, and the JSON of the last run."""
    best: tuple[float, int] | None = None
    out = b""
    for _ in range(repeat):
        seconds, peak, done = run_measured([*REVIEWER, "score", str(path), "--format", "json"])
        if done.returncode:
            sys.stderr.write(done.stderr.decode(errors="replace"))
            raise SystemExit(f"reviewer score {path} failed ({done.returncode})")
        best = min(best or (seconds, peak), (seconds, peak))
        out = done.stdout
    assert best is not None
    return best[0], best[1], out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", type=Path, default=[Path(p) for p in
                                                                  DEFAULT_PROJECTS])
    parser.add_argument("--repeat", type=int, default=3, help="score runs (best is printed)")
    parser.add_argument("--workdir", type=Path, help="folder for the copies (default: a "
                        "temporary one, deleted after each project)")
    parser.add_argument("--in-place", action="store_true", help="measure the given projects "
                        "themselves, without copying them (a 10M project is 10 GB): their "
                        "groups are dropped, then computed and kept again by the first score")
    args = parser.parse_args()
    missing = [p for p in args.projects if not p.is_file()]
    if missing:
        print(f"no such project: {', '.join(map(str, missing))} (build one with "
              "benchmarks/synthetic.py replicate_text_project)", file=sys.stderr)
        return 2
    with open("/proc/loadavg", encoding="ascii") as fh:
        print(f"load average at start: {' '.join(fh.read().split()[:3])}")
    verdicts = []
    for source in args.projects:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            copy = source if args.in_place else copy_project(source, Path(tmp))
            migrated, items = bring_up_to_date(copy)
            first, first_peak, first_out = measure(copy, 1)
            seconds, peak, out = measure(copy, args.repeat)
        if out != first_out:
            print(f"{source}: the JSON with kept groups differs from the first", file=sys.stderr)
            return 1
        report = json.loads(out)
        cer = ", ".join(f"{s['name']} CER {s['metrics']['cer']['value']:.4f} "
                        f"[{s['metrics']['cer']['low']:.4f}, {s['metrics']['cer']['high']:.4f}]"
                        for s in report["systems"])
        size = f"{items:>12,} items x {len(report['systems'])} systems"
        print(f"{size}: opened (brought up to date) once in {migrated:.1f} s; {cer}; "
              f"JSON sha256 {hashlib.sha256(out).hexdigest()[:16]}")
        for label, wall, rss in (("first score, groups computed", first, first_peak),
                                 (f"score, groups kept, best of {args.repeat}", seconds, peak)):
            ok = wall < TIME_BUDGET and rss < RSS_BUDGET
            if items >= BUDGET_ITEMS:
                verdicts.append(ok)
            print(f"{size}: {label}: {wall:6.2f} s, peak RSS {rss / 2**20:,.0f} MiB "
                  f"[{'within' if ok else 'OVER'} budget {TIME_BUDGET:.0f} s, "
                  f"{RSS_BUDGET / 2**30:.1f} GiB]")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10
    print(f"largest single process peak (VmHWM) over all runs: {largest:,.0f} MiB")
    if verdicts:
        print(f"budget at {BUDGET_ITEMS:,} items: {'MET' if all(verdicts) else 'NOT MET'}")
    else:
        print(f"budget at {BUDGET_ITEMS:,} items: not measured (no project that large given)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
