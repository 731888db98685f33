"""Each system's original alignments grouped by what a score summary reads (issue 19 §2).

A text summary needs, per system, the sums of both levels' counts, the histogram of the
items' (errors, units) pairs and the category totals: all of them follow from the
alignments grouped by ``(main errors, main units, second errors, second units,
categories)``, a few thousand groups where a benchmark has millions of items. The groups
are kept in ``score_groups`` (migration ``m008_score_groups``), whose triggers drop a
system's groups whenever its original alignments change; :func:`system_groups` computes
the missing ones (one grouping pass over the system's alignments) and keeps them when the
project can be written, and :func:`refresh_score_groups` does so at the end of a large
import, so that the first score is as fast as the next.
"""

from __future__ import annotations

import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reviewer.store.db import decode_text
from reviewer.store.project import Project

# From this many items on an import computes the groups as it finishes; below, the first
# score computes them in well under a second.
FILL_AT_IMPORT_FROM = 1_000_000

GROUP_KEY = ("main_errors", "main_units", "second_errors", "second_units", "categories")
GROUP_SUMS = ("main_s", "main_d", "main_i", "second_s", "second_d", "second_i")
# A group row: the key, how many items, then the sums (the order of GROUP_COLUMNS).
GROUP_COLUMNS = (*GROUP_KEY, "items", *GROUP_SUMS)
Group = tuple[Any, ...]

_STORED = f"SELECT {', '.join(GROUP_COLUMNS)} FROM score_groups WHERE system = ?"
_GROUPED = (f"SELECT {', '.join(GROUP_KEY)}, count(*), "
            f"{', '.join(f'sum({c})' for c in GROUP_SUMS)} FROM alignments "
            f"WHERE system = ? AND variant = 'original' GROUP BY {', '.join(GROUP_KEY)}")
_KEEP = (f"INSERT INTO score_groups (system, {', '.join(GROUP_COLUMNS)}) "
         f"VALUES ({', '.join('?' * (1 + len(GROUP_COLUMNS)))})")


def system_groups(project: Project) -> dict[str, list[Group]]:
    """Each system's groups (rows of :data:`GROUP_COLUMNS`), in the project's system order;
    the missing ones are computed, and kept when the project can be written and nothing
    changed its alignments meanwhile (else the next score computes them again)."""
    conn = project.db.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot for what is read and what is kept
    try:
        systems = project.systems()  # the snapshot begins with this first read
        out = {s: conn.execute(_STORED, [s]).fetchall() for s in systems}
        missing = [s for s in systems if not out[s]]
        out.update(_grouped(project, missing, parallel=own))
        computed = [s for s in missing if out[s]]
        if own and computed and not project.read_only:
            _keep(conn, {s: out[s] for s in computed})
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")
    return out


def refresh_score_groups(project: Project) -> None:
    """Compute and keep the missing groups of a project of :data:`FILL_AT_IMPORT_FROM`
    items or more (called as an import finishes; nothing to do for a smaller project)."""
    if project.item_count() >= FILL_AT_IMPORT_FROM and not project.read_only:
        system_groups(project)


def _grouped(project: Project, systems: list[str], *, parallel: bool
             ) -> dict[str, list[Group]]:
    """The systems' groups computed from their alignments: each system on its own read
    connection, in parallel (SQLite lets go of the GIL while it groups), when there are
    several, ``parallel`` (no transaction of the caller's holds changes the other
    connections cannot see) and the project can be written; else one after the other."""
    conn = project.db.conn
    if len(systems) < 2 or not parallel or project.read_only:
        return {s: conn.execute(_GROUPED, [s]).fetchall() for s in systems}

    def group(system: str) -> list[Group]:
        reader = sqlite3.connect(project.path.resolve().as_uri() + "?mode=ro", uri=True)
        reader.text_factory = decode_text
        try:
            return reader.execute(_GROUPED, [system]).fetchall()
        finally:
            reader.close()

    with ThreadPoolExecutor(max_workers=min(len(systems), os.cpu_count() or 1)) as pool:
        return dict(zip(systems, pool.map(group, systems), strict=True))


def _keep(conn: sqlite3.Connection, groups: dict[str, list[Group]]) -> None:
    """Store ``groups`` in the open read transaction, which becomes a write: refused (and
    nothing kept) when another connection wrote since it began or holds the write lock."""
    try:
        for system, rows in groups.items():
            conn.executemany(_KEEP, [(system, *row) for row in rows])
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        conn.execute("ROLLBACK")
