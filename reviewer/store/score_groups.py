"""Each system's original alignments grouped by what a score summary reads (issue 19 §2).

A text summary needs, per system, the sums of both levels' counts, the histogram of the
items' (errors, units) pairs and the category totals: all of them follow from the
alignments grouped by ``(main errors, main units, second errors, second units,
categories)``, far fewer groups than items (thousands for a system with few errors, a few
hundred thousand per million items for a noisy one). The groups are kept in
``score_groups`` (migration ``m008_score_groups``), whose triggers drop a system's groups
whenever its original alignments change; :func:`system_groups` computes the missing ones
(one grouping pass over the system's alignments) and keeps them when the project can be
written, and :func:`refresh_score_groups` does so at the end of a large import or a
rescore, so that the first score is as fast as the next.

Computing them takes a bounded amount of memory whatever the project's size: SQLite's
sorter spills to temporary files beyond its cache, and the groups go from the grouping
pass to where they are kept :data:`BATCH` rows at a time; :func:`refresh_score_groups`
holds no more of them than that.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from reviewer.core.codec import decode_counts
from reviewer.store.db import decode_text
from reviewer.store.project import Project

# From this many items on an import computes the groups as it finishes; below, the first
# score computes them in well under a second.
FILL_AT_IMPORT_FROM = 1_000_000
BATCH = 5_000  # group rows handed on at once by a grouping pass

GROUP_KEY = ("main_errors", "main_units", "second_errors", "second_units", "categories")
GROUP_SUMS = ("main_s", "main_d", "main_i", "second_s", "second_d", "second_i")
# A group row: the key, how many items, then the sums (the order of GROUP_COLUMNS).
GROUP_COLUMNS = (*GROUP_KEY, "items", *GROUP_SUMS)
Group = tuple[Any, ...]

_STORED = f"SELECT {', '.join(GROUP_COLUMNS)} FROM score_groups WHERE system = ?"
_GROUPED = (f"SELECT {', '.join(GROUP_KEY)}, count(*), "
            f"{', '.join(f'sum({c})' for c in GROUP_SUMS)} FROM alignments "
            f"WHERE system = ? AND variant = 'original' GROUP BY {', '.join(GROUP_KEY)}")
_STAGED = "temp.score_groups_staged"  # private to the connection; no lock on the project
_INSERT = (f"INSERT INTO {{}} (system, {', '.join(GROUP_COLUMNS)}) "
           f"VALUES ({', '.join('?' * (1 + len(GROUP_COLUMNS)))})")


def system_groups(project: Project) -> dict[str, list[Group]]:
    """Each system's groups (rows of :data:`GROUP_COLUMNS`), in the project's system order;
    the missing ones are computed, and kept when the project can be written and nothing
    changed its alignments meanwhile (else the next score computes them again)."""
    conn = project.db.conn
    with _snapshot(conn) as own:  # one snapshot for what is read and what is kept
        systems = project.systems()  # the snapshot begins with this first read
        out = {s: conn.execute(_STORED, [s]).fetchall() for s in systems}
        missing = [s for s in systems if not out[s]]
        for system, rows in _grouped(project, missing, parallel=own):
            out[system].extend(rows)
        if own and any(out[s] for s in missing) and not project.read_only:
            _keep(conn, lambda: conn.executemany(
                _INSERT.format("score_groups"),
                ((s, *row) for s in missing for row in out[s])))
    return out


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[bool]:
    """One read snapshot for the block (its own transaction, committed at its end, unless
    the caller's is open); yields whether it is the block's own."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield own
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def kept_category_totals(project: Project) -> dict[str, int] | None:
    """Errors per category over every system's original alignments, summed from the kept
    groups (thousands of rows where the alignments are millions); ``None`` when a system
    has none kept (a small project, or alignments changed since)."""
    conn = project.db.conn
    with _snapshot(conn):  # every system's groups as of one moment
        totals: dict[str, int] = {}
        decoded: dict[str, dict[str, int]] = {}
        for system in project.systems():
            rows = conn.execute("SELECT categories, items FROM score_groups WHERE system = ?",
                                [system]).fetchall()
            if not rows:
                return None
            for text, items in rows:
                counts = decoded.get(text)
                if counts is None:
                    counts = decoded[text] = decode_counts(text)
                for category, errors in counts.items():
                    totals[category] = totals.get(category, 0) + errors * items
        return totals


def score_groups_wanted(project: Project) -> bool:
    """Whether :func:`refresh_score_groups` has anything to do: a project of
    :data:`FILL_AT_IMPORT_FROM` items or more that can be written."""
    return not project.read_only and project.item_count() >= FILL_AT_IMPORT_FROM


def refresh_score_groups(project: Project) -> None:
    """Compute and keep the missing groups of a project of :data:`FILL_AT_IMPORT_FROM`
    items or more (called as an import or a rescore finishes; nothing to do for a smaller
    project), holding at most a :data:`BATCH` of them in memory.

    Outside a transaction (as the import and rescore call it) the batches go into a
    temporary table private to the connection, copied into ``score_groups`` at the end:
    the project's write lock is taken only for that copy, which is refused (nothing kept)
    when another connection changed the project meanwhile, as :func:`system_groups` does.
    """
    if not score_groups_wanted(project):
        return
    conn = project.db.conn
    if conn.in_transaction:  # the caller's changes are seen on this connection only
        _fill(conn, _grouped(project, _missing(project), parallel=False), "score_groups")
        return
    conn.execute("BEGIN")  # one snapshot for what is read and what is kept
    try:
        missing = _missing(project)
        if missing:
            conn.execute(f"CREATE TEMP TABLE {_STAGED} AS SELECT * FROM score_groups WHERE 0")
            _fill(conn, _grouped(project, missing, parallel=True), _STAGED)
            _keep(conn, lambda: conn.execute(f"INSERT INTO score_groups SELECT * FROM {_STAGED}"))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        if conn.in_transaction:
            conn.execute("COMMIT")
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {_STAGED}")  # gone already if rolled back


def _missing(project: Project) -> list[str]:
    """The systems without kept groups (the snapshot begins with this read)."""
    conn = project.db.conn
    return [s for s in project.systems()
            if conn.execute(_STORED + " LIMIT 1", [s]).fetchone() is None]


def _fill(conn: sqlite3.Connection, batches: Iterable[tuple[str, list[Group]]],
          table: str) -> None:
    """Insert each batch of groups into ``table`` as it comes."""
    insert = _INSERT.format(table)
    for system, rows in batches:
        conn.executemany(insert, ((system, *row) for row in rows))


def _grouped(project: Project, systems: list[str], *, parallel: bool
             ) -> Iterator[tuple[str, list[Group]]]:
    """The systems' groups computed from their alignments, as ``(system, rows)`` batches of
    at most :data:`BATCH` rows, each system's in key order: each system on its own read
    connection, in parallel (SQLite lets go of the GIL while it groups), when there are
    several, ``parallel`` (no transaction of the caller's holds changes the other
    connections cannot see) and the project can be written; else one after the other."""
    conn = project.db.conn
    if len(systems) < 2 or not parallel or project.read_only:
        for system in systems:
            cursor = conn.execute(_GROUPED, [system])
            while rows := cursor.fetchmany(BATCH):
                yield system, rows
        return
    yield from _parallel_batches(project.path.resolve().as_uri() + "?mode=ro", systems)


def _parallel_batches(uri: str, systems: list[str]) -> Iterator[tuple[str, list[Group]]]:
    """:func:`_grouped`'s parallel passes, handed over through a short queue (a pass waits
    while its batches are not taken, so that no more than a few are held at once)."""
    workers = min(len(systems), os.cpu_count() or 1)
    handed: queue.Queue[tuple[str, list[Group] | None] | BaseException] = queue.Queue(
        maxsize=2 * workers)
    stop = threading.Event()  # the consumer is gone: passes end at their next batch

    def hand(item: tuple[str, list[Group] | None] | BaseException) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def group(system: str) -> None:
        try:
            reader = sqlite3.connect(uri, uri=True, check_same_thread=False)
            reader.text_factory = decode_text
            try:
                cursor = reader.execute(_GROUPED, [system])
                while rows := cursor.fetchmany(BATCH):
                    if not hand((system, rows)):
                        return
            finally:
                reader.close()
        except BaseException as exc:  # re-raised where the batches are taken
            hand(exc)
            return
        hand((system, None))  # this system's pass is done

    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for system in systems:
                pool.submit(group, system)
            running = len(systems)
            while running:
                got = handed.get()
                if isinstance(got, BaseException):
                    raise got
                system, rows = got
                if rows is None:
                    running -= 1
                else:
                    yield system, rows
        finally:
            stop.set()


def _keep(conn: sqlite3.Connection, write: Callable[[], object]) -> None:
    """Run ``write`` (it stores groups) in the open read transaction, which becomes a
    write: refused (and nothing kept) when another connection wrote since it began or
    holds the write lock."""
    try:
        write()
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        conn.execute("ROLLBACK")
