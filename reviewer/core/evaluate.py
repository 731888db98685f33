"""Score (reference, prediction) pairs as their task kind scores them, in parallel for large
batches. The counts themselves are in :mod:`reviewer.core.counts`."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence

from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.kinds import spec
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.tokenize import CharMode

# Below this many pairs, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 20_000
_CHUNK = 2_000


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


def score_chunks(
    pairs: Sequence[tuple[str, str]],
    mode: CharMode = "grapheme",
    kind: str = "text",
    progress: Progress | None = None,
    workers: int | None = None,
    normalize: str = "none",
    *,
    options: ScoreOptions | None = None,
) -> Iterator[list[PairCounts]]:
    """Score many pairs, yielding the results in order, a chunk at a time; ``options``,
    when given, replaces ``mode`` and ``normalize``.

    Large batches are spread over worker processes; the caller can store one chunk
    while the workers compute the next.
    """
    progress = progress or NullProgress()
    total = len(pairs)
    options = options or ScoreOptions(mode, normalize)
    jobs = [(list(pairs[k:k + _CHUNK]), kind, options) for k in range(0, total, _CHUNK)]
    workers = workers if workers is not None else (multiprocessing.cpu_count() or 1)
    done = 0
    if workers > 1 and total >= PARALLEL_THRESHOLD:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            for chunk in pool.imap(_score_chunk, jobs):
                check_cancelled(progress)
                done += len(chunk)
                progress.set(done / total)
                yield chunk
        return
    for job in jobs:
        check_cancelled(progress)
        chunk = _score_chunk(job)
        done += len(chunk)
        progress.set(done / total)
        yield chunk


def score_pairs(
    pairs: Sequence[tuple[str, str]],
    mode: CharMode = "grapheme",
    kind: str = "text",
    progress: Progress | None = None,
    workers: int | None = None,
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
