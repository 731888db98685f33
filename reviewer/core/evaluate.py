"""Score (reference, prediction) pairs: align, categorise, count. Parallel for large batches."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reviewer.core import tokenize
from reviewer.core.align import Alignment, align, count
from reviewer.core.categories import categoriser
from reviewer.core.codec import encode_counts, encode_edits
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.tokenize import CharMode

# Below this many pairs, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 20_000
_CHUNK = 2_000


class PairCounts(NamedTuple):
    """Everything stored for one scored pair (a row of the cached alignments)."""

    char_errors: int
    char_units: int
    char_hyp_units: int
    char_s: int
    char_d: int
    char_i: int
    word_errors: int
    word_units: int
    word_hyp_units: int
    word_s: int
    word_d: int
    word_i: int
    categories: str  # JSON object: category id -> errors
    main_category: str  # the category with the most errors ('' when there are none)
    edits: str  # codec.encode_edits of the edits shown in the diff view
    extra: str = "{}"  # JSON object: what a task kind keeps beyond these counts


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How pairs of a project are scored (kept in the project's meta table)."""

    char_mode: CharMode = "grapheme"
    normalize: str = "none"  # asr: the normalisation preset applied before alignment


class Level(NamedTuple):
    """One level's counts of a pair (characters, words, kern tokens, records, ...)."""

    s: int
    d: int
    i: int
    units: int
    hyp_units: int

    @classmethod
    def of(cls, alignment: Alignment) -> Level:
        return cls(alignment.substitutions, alignment.deletions, alignment.insertions,
                   alignment.ref_units, alignment.hyp_units)

    @classmethod
    def equal(cls, units: int, hyp_units: int | None = None) -> Level:
        """A level with nothing to change (``hyp_units`` defaults to ``units``)."""
        return cls(0, 0, 0, units, units if hyp_units is None else hyp_units)


def pair_counts(char: Level, word: Level, shown: Alignment | None = None,
                extra: str = "{}") -> PairCounts:
    """The stored row of a pair: both levels' counts, and the categories and edits of the
    alignment the diff view shows (none: nothing to show)."""
    cats = shown.categories() if shown is not None else {}
    main = max(cats, key=cats.__getitem__) if cats else ""
    return PairCounts(
        char.s + char.d + char.i, char.units, char.hyp_units, char.s, char.d, char.i,
        word.s + word.d + word.i, word.units, word.hyp_units, word.s, word.d, word.i,
        encode_counts(cats), main, encode_edits(shown.edits) if shown is not None else "[]",
        extra)


def zero_counts(errors: int = 0, units: int = 0, *, categories: str = "{}",
                main_category: str = "", edits: str = "[]", extra: str = "{}") -> PairCounts:
    """Counts of a kind with no character or word levels (one decision per item)."""
    return PairCounts(errors, units, units, 0, 0, 0, 0, 0, 0, 0, 0, 0, categories,
                      main_category, edits, extra)


def display_text(text: str, mode: CharMode = "grapheme") -> str:
    """The string edits' spans point into: NFC for graphemes, stripped for code points."""
    return text.strip() if mode == "codepoint" else tokenize.nfc(text)


def align_text(ref: str, hyp: str, mode: CharMode = "grapheme", kind: str = "text") -> Alignment:
    """Character-level alignment with categorised edits over the displayed strings."""
    if mode == "codepoint":
        ref, hyp = ref.strip(), hyp.strip()
    return align(tokenize.chars(ref, mode), tokenize.chars(hyp, mode), categoriser(kind))


def alignment_of(ref: str, hyp: str, counts: PairCounts,
                 mode: CharMode = "grapheme", level: str = "char") -> Alignment:
    """The alignment stored in ``counts``, with spans into the displayed strings.

    ``level`` is the column prefix whose units the edits count (``word`` for asr).
    """
    from reviewer.core.codec import decode_edits

    ref_d, hyp_d = display_text(ref, mode), display_text(hyp, mode)
    return Alignment(ref_d, hyp_d, getattr(counts, f"{level}_units"),
                     getattr(counts, f"{level}_hyp_units"),
                     decode_edits(counts.edits, ref_d, hyp_d))


def score_pair(ref: str, hyp: str, mode: CharMode = "grapheme", kind: str = "text",
               normalize: str = "none") -> PairCounts:
    """Score one pair as task kind ``kind`` scores it."""
    from reviewer.core.kinds import spec

    return spec(kind).score_pair(ref, hyp, ScoreOptions(mode, normalize))


def score_text_pair(ref: str, hyp: str, mode: CharMode = "grapheme",
                    kind: str = "text") -> PairCounts:
    """Align one pair at character and word level."""
    ref_words = ref.split()
    hyp_words = hyp.split()
    if ref == hyp:
        return pair_counts(Level.equal(len(tokenize.chars(ref, mode))), Level.equal(len(ref_words)))
    a = align_text(ref, hyp, mode, kind)
    words = Level(*count(ref_words, hyp_words), len(ref_words), len(hyp_words))
    return pair_counts(Level.of(a), words, a)


def _score_chunk(args: tuple[list[tuple[str, str]], CharMode, str, str]) -> list[PairCounts]:
    from reviewer.core.kinds import spec

    pairs, mode, kind, normalize = args
    scored, options = spec(kind).score_pair, ScoreOptions(mode, normalize)
    return [scored(r, h, options) for r, h in pairs]


def score_chunks(
    pairs: Sequence[tuple[str, str]],
    mode: CharMode = "grapheme",
    kind: str = "text",
    progress: Progress | None = None,
    workers: int | None = None,
    normalize: str = "none",
) -> Iterator[list[PairCounts]]:
    """Score many pairs, yielding the results in order, a chunk at a time.

    Large batches are spread over worker processes; the caller can store one chunk
    while the workers compute the next.
    """
    progress = progress or NullProgress()
    total = len(pairs)
    jobs = [(list(pairs[k:k + _CHUNK]), mode, kind, normalize) for k in range(0, total, _CHUNK)]
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
) -> list[PairCounts]:
    """Score many pairs in order (see :func:`score_chunks`)."""
    out: list[PairCounts] = []
    for chunk in score_chunks(pairs, mode, kind, progress, workers, normalize):
        out.extend(chunk)
    return out
