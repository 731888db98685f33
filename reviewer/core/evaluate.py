"""Score (reference, prediction) pairs as their task kind scores them, in parallel for large
batches. The counts themselves are in :mod:`reviewer.core.counts`."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence, Sized
from contextlib import closing
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from reviewer.core.cluster import Cluster, Workers, map_ordered
from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.kinds import spec
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.time_left import TimeLeft, left_wording
from reviewer.core.tokenize import CharMode

# Below this many pairs, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 20_000
_CHUNK = 2_000
# Jobs sent ahead per worker process: keeps the workers busy while the caller stores a chunk.
_AHEAD_PER_WORKER = 2


def score_pair(ref: str, hyp: str, mode: CharMode = "grapheme", kind: str = "text",
               normalize: str = "none", *, options: ScoreOptions | None = None) -> PairCounts:
    """Score one pair as task kind ``kind`` scores it; ``options`` (a project's
    :attr:`~reviewer.store.project.Project.score_options`), when given, replaces ``mode``
    and ``normalize``."""
    return spec(kind).score_pair(ref, hyp, options or ScoreOptions(mode, normalize))


def _score_chunk(args: tuple[list[tuple[str, str]], str, ScoreOptions]) -> list[PairCounts]:
    pairs, kind, options = args
    scored = spec(kind).score_pair
    return [scored(r, h, options) for r, h in pairs]


def _score_chunk_rows(args: tuple[list[tuple[str, str]], str, ScoreOptions]
                      ) -> list[tuple[Any, ...]]:
    """:func:`_score_chunk` as plain tuples, which a worker process pickles and the caller
    unpickles several times faster than named tuples (see :func:`_windowed`)."""
    return [tuple(counts) for counts in _score_chunk(args)]


def score_chunks(
    pairs: Iterable[tuple[str, str]],
    mode: CharMode = "grapheme",
    kind: str = "text",
    progress: Progress | None = None,
    workers: Workers = None,
    normalize: str = "none",
    *,
    options: ScoreOptions | None = None,
    total: int | None = None,
) -> Iterator[list[PairCounts]]:
    """Score many pairs, yielding the results in order, a chunk at a time; ``options``,
    when given, replaces ``mode`` and ``normalize``.

    ``pairs`` may be a generator of ``total`` pairs: it is read a chunk at a time, and
    only a few chunks per worker are in flight, so memory does not grow with the batch.
    Large batches are spread over worker processes, and any batch over a ``workers``
    :class:`~reviewer.core.cluster.Cluster`; the caller can store one chunk while the
    workers compute the next. The progress status tells the time left.
    """
    progress = progress or NullProgress()
    if total is None:
        total = len(pairs) if isinstance(pairs, Sized) else 0
    options = options or ScoreOptions(mode, normalize)
    jobs = _jobs(pairs, kind, options)
    workers = workers if workers is not None else (multiprocessing.cpu_count() or 1)
    done = 0
    clock = TimeLeft()
    check_cancelled(progress)
    with closing(_scored(jobs, total, workers, progress)) as chunks:
        for chunk in chunks:
            check_cancelled(progress)
            done += len(chunk)
            fraction = done / total if total else 1.0
            left = clock.seconds(fraction)
            progress.status(f"Aligning {total:,} pairs"
                            + ("" if left is None else f": {left_wording(left)}"))
            progress.set(fraction)
            yield chunk


def _jobs(pairs: Iterable[tuple[str, str]], kind: str, options: ScoreOptions
          ) -> Iterator[tuple[list[tuple[str, str]], str, ScoreOptions]]:
    """The work units: ``_CHUNK`` pairs each, read from ``pairs`` only when sent."""
    it = iter(pairs)
    while chunk := list(islice(it, _CHUNK)):
        yield chunk, kind, options


def _scored(jobs: Iterator[tuple[list[tuple[str, str]], str, ScoreOptions]], total: int,
            workers: int | Cluster, progress: Progress
            ) -> Generator[list[PairCounts], None, None]:
    """Each job's counts in order: on a cluster, in worker processes, or in this one."""
    if isinstance(workers, Cluster):
        yield from map_ordered(workers, _score_chunk, jobs, progress)
    elif workers > 1 and total >= PARALLEL_THRESHOLD:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            yield from _windowed(pool, jobs, _AHEAD_PER_WORKER * workers)
    else:
        yield from map(_score_chunk, jobs)


def _windowed(pool: Pool, jobs: Iterator[tuple[list[tuple[str, str]], str, ScoreOptions]],
              ahead: int) -> Generator[list[PairCounts], None, None]:
    """``pool``'s results of ``jobs`` in order, with at most ``ahead`` jobs sent and not yet
    taken: ``Pool.imap`` would read every job at once and keep every result the caller
    has not stored yet."""
    pending: deque[AsyncResult[list[tuple[Any, ...]]]] = deque()
    for job in jobs:
        pending.append(pool.apply_async(_score_chunk_rows, (job,)))
        if len(pending) >= ahead:
            yield list(map(PairCounts._make, pending.popleft().get()))
    while pending:
        yield list(map(PairCounts._make, pending.popleft().get()))


def score_pairs(
    pairs: Sequence[tuple[str, str]],
    mode: CharMode = "grapheme",
    kind: str = "text",
    progress: Progress | None = None,
    workers: Workers = None,
    normalize: str = "none",
    *,
    options: ScoreOptions | None = None,
) -> list[PairCounts]:
    """Score many pairs in order (see :func:`score_chunks`)."""
    out: list[PairCounts] = []
    for chunk in score_chunks(pairs, mode, kind, progress, workers, normalize,
                              options=options):
        out.extend(chunk)
    return out
