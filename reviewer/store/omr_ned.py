"""OMR-NED of a kern project's pairs: cached by content hash, filled in by worker processes.

The cache (``omr_ned_cache``) maps :func:`~reviewer.core.kern.omr_ned.pair_key` (engine
versions + both texts) to musicdiff's full result, edits and their kern locations
included. Each alignment row's ``extra.omr`` carries the summary the scores need.
A pair whose worker died is marked failed on its rows but not cached, so the next fill
tries it again. A pair that overran the time limit (``OMR_NED_SECONDS`` per pair) or the
memory limit is marked "not computed: ..." with the time limit it had, not
cached, and tried again only by a fill with a longer time limit.

:func:`fill` reads through the project it is given and hands each batch of results to a
writer: by default :func:`store_results` on that same project; the window passes one that
sends the batch to its one writer thread instead (DESIGN §7.9).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewer.core import limits
from reviewer.core.cluster import Cluster, Workers
from reviewer.core.kern.omr_ned import NOT_COMPUTED, OmrResult, compute_many, engine, pair_key
from reviewer.core.progress import NullProgress, Progress
from reviewer.store.db import write_transaction
from reviewer.store.project import Project, now

RowKey = tuple[str, str, str]  # system, item id, variant
_TRANSIENT = "musicdiff failed:"  # a dead or late worker: tried again next time


@dataclass(frozen=True, slots=True)
class PendingPair:
    """A pair whose rows lack its OMR-NED."""

    key: str
    reference: str
    prediction: str
    rows: tuple[RowKey, ...]


@dataclass(frozen=True, slots=True)
class OmrResults:
    """A batch of results a fill hands to its writer, stored by :func:`store_results`."""

    results: tuple[tuple[PendingPair, OmrResult], ...]
    cache: bool  # whether the results are new (cached, unless a retry is worth it)
    timeout: float  # the time limit the pairs had (recorded with a "not computed" result)


# Where a fill's results go: called once per batch, in order (cache hits, then each result).
ResultWriter = Callable[[OmrResults], None]


@dataclass(frozen=True, slots=True)
class FillOutcome:
    """What :func:`fill` did."""

    rows: int  # alignment rows that lacked OMR-NED
    cached: int  # pairs found in the cache
    computed: int  # pairs musicdiff computed now
    failed: int  # pairs without a result (reference unreadable, worker died, ...)
    seconds: float


def pending_pairs(project: Project, timeout: float | None = None) -> list[PendingPair]:
    """The distinct pairs of ``project`` whose alignment rows lack a current OMR-NED.

    A pair that overran a time limit is pending again only when ``timeout`` (default
    ``OMR_NED_SECONDS``) is longer.
    """
    timeout = timeout or limits.OMR_NED_SECONDS
    sql = ("SELECT a.system, a.item_id, a.variant, a.extra, i.reference, "
           "l.corrected_reference, p.text FROM alignments a JOIN items i ON i.id = a.item_id "
           "LEFT JOIN labels l ON l.item_id = a.item_id "
           "LEFT JOIN predictions p ON p.system = a.system AND p.item_id = a.item_id "
           "ORDER BY i.pos")
    found: dict[str, tuple[str, str, list[RowKey]]] = {}
    for system, item_id, variant, extra, reference, corrected, text in project.db.execute(sql):
        if variant == "cleaned":
            if corrected is None:
                continue
            reference = corrected
        key = pair_key(reference, text or "")
        omr = json.loads(extra or "{}").get("omr")
        if isinstance(omr, dict) and omr.get("key") == key and not _again(omr, timeout):
            continue
        found.setdefault(key, (reference, text or "", []))[2].append((system, item_id, variant))
    return [PendingPair(k, ref, hyp, tuple(rows)) for k, (ref, hyp, rows) in found.items()]


def _again(omr: dict[str, object], timeout: float) -> bool:
    """Whether a pair's recorded failure is worth another try under ``timeout``."""
    error = str(omr.get("error", ""))
    if error.startswith(_TRANSIENT):
        return True
    if error.startswith(NOT_COMPUTED):
        limit = omr.get("limit")
        return not isinstance(limit, int | float) or timeout > limit
    return False


def cached_result(project: Project, key: str) -> OmrResult | None:
    """The cached result of a pair key, if there is one."""
    row = project.db.execute("SELECT result FROM omr_ned_cache WHERE key = ?", [key]).fetchone()
    return OmrResult.from_json(row[0]) if row else None


def result_for(project: Project, system: str, item_id: str,
               reference: str | None = None) -> OmrResult | None:
    """OMR-NED of ``system`` on ``item_id`` against ``reference`` (default: the stored one)."""
    if reference is None:
        reference = project.item(item_id).reference
    return cached_result(project, pair_key(reference, project.prediction(system, item_id) or ""))


def store_results(project: Project, batch: OmrResults) -> None:
    """Store a batch of a fill's results in one transaction: new final results go into the
    cache, and every pair's summary onto its alignment rows."""
    with write_transaction(project.db):
        for pair, result in batch.results:
            if batch.cache and not result.error.startswith((_TRANSIENT, NOT_COMPUTED)):
                project.db.execute(
                    "INSERT OR REPLACE INTO omr_ned_cache (key, engine, result, computed_at) "
                    "VALUES (?, ?, ?, ?)", [pair.key, engine(), result.to_json(), now()])
            _mark(project, pair, result, batch.timeout)


def fill(project: Project, *, progress: Progress | None = None, workers: Workers = None,
         timeout: float | None = None, write: ResultWriter | None = None) -> FillOutcome:
    """Compute every missing OMR-NED of ``project`` (from the cache where it can).

    Each pair may take ``timeout`` seconds (default ``OMR_NED_SECONDS``) and its worker
    ``OMR_NED_MEMORY`` bytes; a pair over either is recorded as not computed and the
    others go on. Results are handed to ``write`` as they arrive (default: committed to
    ``project`` at once by :func:`store_results`), so a cancelled fill (``Cancelled``
    raised) keeps what it finished. A ``write`` that queues the batches elsewhere stores
    them after this returns; the pairs it has not stored yet are pending to a new fill.
    """
    write = write or (lambda batch: store_results(project, batch))
    progress = progress or NullProgress()
    start = time.perf_counter()
    timeout = timeout or limits.OMR_NED_SECONDS
    pending = pending_pairs(project, timeout)
    rows = sum(len(p.rows) for p in pending)
    hits = {p.key: r for p in pending if (r := cached_result(project, p.key)) is not None}
    # Written even when empty: a read-only project refuses here, before musicdiff runs.
    write(OmrResults(tuple((p, hits[p.key]) for p in pending if p.key in hits),
                     cache=False, timeout=0.0))
    todo = [p for p in pending if p.key not in hits]
    by_key = {p.key: p for p in todo}
    failed = sum(1 for r in hits.values() if r.error)
    if todo:
        progress.status(f"OMR-NED: {len(todo):,} pairs with musicdiff")
        progress.set(0.0)
        if not isinstance(workers, Cluster):
            size = workers if workers is not None else (os.cpu_count() or 1)
            workers = min(size, len(todo))
        pairs = ((p.key, (p.reference, p.prediction)) for p in todo)
        results = compute_many(pairs, workers, progress, timeout, limits.OMR_NED_MEMORY)
        for done, (key, result) in enumerate(results, start=1):
            write(OmrResults(((by_key[str(key)], result),), cache=True, timeout=timeout))
            failed += bool(result.error)
            progress.set(done / len(todo))
    progress.set(1.0)
    return FillOutcome(rows, len(hits), len(todo), failed, time.perf_counter() - start)


def _mark(project: Project, pair: PendingPair, result: OmrResult,
          timeout: float = 0.0) -> None:
    """Put the result's summary on every alignment row of the pair (caller's transaction)."""
    fields: dict[str, object] = {
        "key": pair.key, "ed": result.ed, "gt": result.gt_symbols,
        "pred": result.pred_symbols, "categories": result.categories, "error": result.error}
    if result.error.startswith(NOT_COMPUTED):
        fields["limit"] = timeout
    summary = json.dumps(fields)
    project.db.conn.executemany(
        "UPDATE alignments SET extra = json_set(extra, '$.omr', json(?)) "
        "WHERE system = ? AND item_id = ? AND variant = ?",
        [(summary, *row) for row in pair.rows])


def fill_file(path: str | Path, progress: Progress, workers: Workers = None, *,
              write: ResultWriter | None = None) -> FillOutcome:
    """:func:`fill` on its own connection to the project at ``path`` (a background task);
    ``write`` as for :func:`fill` (the window's sends each batch to its writer thread)."""
    with Project(path) as project:
        return fill(project, progress=progress, workers=workers, write=write)
