"""The item list's text filter through the text index (reviewer.store.text_search).

    python benchmarks/bench_text_search.py COPY.db [--needle WORD ...] [--rebuild] [--scan]

``COPY.db`` is a text project that may be written (a copy: the index is added to it). The
index is built when the project has none (or with ``--rebuild``): its build time and the
size it adds are printed. Then, for each needle, the filtered list as the window shows it
(the positions found, the row count and the first page of 500 rows with their cells), in
item order, sorted by the first system's rate, with the unreviewed filter, and with
unreviewed + only that system's errors sorted by its rate: best of 3, in ms (budget
1,000 ms at 10,000,000 items). ``--scan`` also times the scan of every text (the path the
index replaces; about 20 s at 10,000,000 items) and checks that both find the same items.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reviewer.core.item_list.columns import ColumnRole
from reviewer.store import text_search
from reviewer.store.item_list_sql import ItemListSql, ListQuery, positions_matching_text
from reviewer.store.project import Project

NEEDLES = ("the", "the ", "welearnd", "xylophone")  # common, common phrase, rare, absent
BUDGET_MS = 1_000.0
PAGE = 500


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, 1000 * (time.perf_counter() - start))
    return best, result


def _shown(project: Project, needle: str, query: ListQuery) -> int:
    """Find the needle, count the list and read its first page, as the window does."""
    found = positions_matching_text(project, needle)
    listed = ItemListSql(project, ListQuery(
        query.role, query.system, query.descending, query.verdict, query.category,
        query.filter_system, query.only_errors, (found,)))
    size = listed.count()
    listed.rows([pos for pos, _ in listed.page(0, PAGE, size)])
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a text project that may be written")
    parser.add_argument("--needle", nargs="+", default=list(NEEDLES))
    parser.add_argument("--rebuild", action="store_true", help="build the index anew")
    parser.add_argument("--scan", action="store_true", help="also time the scan")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with Project(args.project) as project:
        items = project.item_count()
        print(f"{args.project}: {items:,} items, systems {', '.join(project.systems())}")
        if args.rebuild or text_search.state(project) != "ready":
            before = _size(args.project)
            start, cpu = time.perf_counter(), time.process_time()
            text_search.build(project)
            project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            print(f"index built in {time.perf_counter() - start:.1f} s "
                  f"({time.process_time() - cpu:.1f} s CPU), "
                  f"{(_size(args.project) - before) / 1e6:,.0f} MB added to the file")
        system = project.systems()[0]
        shapes = (("item order", ListQuery()),
                  (f"sorted by {system}'s rate", ListQuery(ColumnRole.RATE, system, True)),
                  ("unreviewed", ListQuery(verdict="")),
                  (f"unreviewed + {system}'s errors, by its rate",
                   ListQuery(ColumnRole.RATE, system, True, "", None, system, True)))
        worst = 0.0
        for needle in args.needle:
            for what, query in shapes:
                ms, rows = _best(lambda n=needle, q=query: _shown(project, n, q), args.repeat)
                worst = max(worst, ms)
                print(f"  {needle!r:12} {what:40} {ms:9.1f} ms  {rows:>12,} rows")
            if args.scan:
                saved = text_search.STALE_LIMIT
                text_search.STALE_LIMIT = -1  # the index unusable: the scan answers
                try:
                    ms, scanned = _best(lambda n=needle: positions_matching_text(project, n), 1)
                finally:
                    text_search.STALE_LIMIT = saved
                indexed = positions_matching_text(project, needle)
                same = indexed.sql is None or {r[0] for r in project.db.execute(
                    indexed.sql)} == _positions(scanned)
                print(f"  {needle!r:12} {'the scan (positions only)':40} {ms:9.1f} ms  "
                      f"same items: {same}")
        print(f"slowest: {worst:.1f} ms (budget {BUDGET_MS:,.0f} ms): "
              f"{'met' if worst < BUDGET_MS else 'NOT MET'}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


def _positions(found: object) -> set[int]:
    small = getattr(found, "small", None)
    mask = getattr(found, "mask", None)
    if mask is not None:
        return {pos for pos, flag in enumerate(mask) if flag}
    return set(small or ())


if __name__ == "__main__":
    sys.exit(main())
