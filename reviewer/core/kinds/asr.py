"""``asr``: WER with S/D/I/H over normalised words, CER, per-speaker WER (DESIGN §4.2).

Encoding: a reference and a prediction are plain transcripts. Both are normalised with
the project's preset (:mod:`reviewer.core.normalize`) before alignment; the main level
of the stored counts (``main_*``) counts normalised words, the second level
(``second_*``) their characters (spaces included, as jiwer's CER counts them). The stored
edits are word-level edits whose spans index the original displayed text, so highlights
fall on what the user wrote.
Items may carry a ``speaker`` (and ``start``/``end`` seconds) in their metadata.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from reviewer.core import tokenize
from reviewer.core.acoustic_evidence import AcousticFits
from reviewer.core.align import Alignment, count
from reviewer.core.categories.asr import (
    CATALOGUE,
    categorise,
    group_category,
    may_group,
    run_category,
    side,
)
from reviewer.core.counts import Level, PairCounts, ScoreOptions, pair_counts
from reviewer.core.items import Edit, EditOp
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions
from reviewer.core.kinds.text import category_totals, level_rate
from reviewer.core.lattice_summary import lattice_summary
from reviewer.core.long_align import bounded_opcodes
from reviewer.core.normalize import normalise
from reviewer.core.pair_text import display_text
from reviewer.core.word_suspicion import word_suspects
from reviewer.core.word_timing import WordTimes

SPEAKER_KEY = "speaker"
Span = tuple[int, int]
Block = tuple[int, int, int, int]


GROUP_MAX = 3  # most words on one side of a compound or number edit
DP_LIMIT = 400  # runs with more word pairs than this keep rapidfuzz's own split
EXPLAINED = frozenset({"compound", "number", "near_match", "case_punct"})


def word_runs(ref_words: list[str], hyp_words: list[str]) -> Iterator[Block]:
    """Each run of adjacent non-equal opcodes (rapidfuzz Levenshtein) as one block."""
    run: list[int] | None = None
    for op in bounded_opcodes(ref_words, hyp_words):
        if op.tag == "equal":
            if run is not None:
                yield (run[0], run[1], run[2], run[3])
            run = None
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run is not None:
        yield (run[0], run[1], run[2], run[3])


def split_run(ref: list[str], hyp: list[str]) -> list[tuple[int, int, int, int, str]]:
    """One run of changed words as edits ``(i1, i2, j1, j2, category)`` (offsets in the run).

    Among the alignments of least cost (the run's Levenshtein distance, so WER is
    unchanged), the one explaining most words is chosen: a compound or a number is one
    edit, a substitution pairs the most similar words. Long runs are split as
    rapidfuzz aligned them.
    """
    n, m = len(ref), len(hyp)
    ref_side, hyp_side = side(ref), side(hyp)
    if n * m > DP_LIMIT or not may_group(ref_side, hyp_side):
        return _plain_split(ref, hyp)
    # best[i][j]: (cost, -words explained) of the suffix from (i, j); step[i][j]: its first edit
    best: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int, str]]] = [[(0, 0, "")] * (m + 1) for _ in range(n + 1)]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            options: list[tuple[int, int, str]] = []
            if i < n and j < m:
                options.append((1, 1, categorise(ref[i], hyp[j])))
                for a in range(1, min(GROUP_MAX, n - i) + 1):
                    for b in range(1, min(GROUP_MAX, m - j) + 1):
                        if a + b > 2 and (cat := group_category(ref_side, i, a, hyp_side,
                                                                j, b)):
                            options.append((a, b, cat))
            if i < n:
                options.append((1, 0, "deletion"))
            if j < m:
                options.append((0, 1, "insertion"))

            def score(o: tuple[int, int, str], i: int = i, j: int = j) -> tuple[int, int]:
                cost, neg = best[i + o[0]][j + o[1]]
                explained = o[0] + o[1] if o[2] in EXPLAINED else 0  # words explained
                return (cost + max(o[0], o[1]), neg - explained)

            chosen = min(options, key=score)
            best[i][j], step[i][j] = score(chosen), chosen
    out: list[tuple[int, int, int, int, str]] = []
    i = j = 0
    while i < n or j < m:
        a, b, cat = step[i][j]
        last = out[-1] if out else None
        if last and cat in ("insertion", "deletion") and last[4] == cat:
            out[-1] = (last[0], i + a, last[2], j + b, cat)  # one edit per run of them
        else:
            out.append((i, i + a, j, j + b, cat))
        i, j = i + a, j + b
    return out


def _plain_split(ref: list[str], hyp: list[str]) -> list[tuple[int, int, int, int, str]]:
    out: list[tuple[int, int, int, int, str]] = []
    for op in bounded_opcodes(ref, hyp):
        if op.tag == "replace":
            out += [(op.src_start + k, op.src_start + k + 1, op.dest_start + k,
                     op.dest_start + k + 1, categorise(ref[op.src_start + k],
                                                       hyp[op.dest_start + k]))
                    for k in range(op.src_end - op.src_start)]
        elif op.tag != "equal":
            out.append((op.src_start, op.src_end, op.dest_start, op.dest_end,
                        "deletion" if op.tag == "delete" else "insertion"))
    return out


def word_edits(ref_words: list[str], ref_spans: list[Span], hyp_words: list[str],
               hyp_spans: list[Span], ref_len: int, hyp_len: int) -> list[Edit]:
    """Categorised word edits, their spans mapped onto the original strings.

    A run of changed words is one edit when it is a compound, a number or only case and
    punctuation as a whole ("we will" / "we'll"); otherwise it is split by
    :func:`split_run`.
    """
    edits: list[Edit] = []
    floors = [0, 0]  # spans never reach back into the previous edit
    for i1, i2, j1, j2 in word_runs(ref_words, hyp_words):
        ref_run, hyp_run = ref_words[i1:i2], hyp_words[j1:j2]
        whole = run_category(ref_run, hyp_run)
        if whole is not None or (i2 - i1 <= 1 and j2 - j1 <= 1):
            pieces = [(0, i2 - i1, 0, j2 - j1,
                       whole or categorise(" ".join(ref_run), " ".join(hyp_run)))]
        else:
            pieces = split_run(ref_run, hyp_run)
        for a1, a2, b1, b2, category in pieces:
            rs, re_ = _span(ref_spans, i1 + a1, i1 + a2, ref_len, floors[0])
            hs, he = _span(hyp_spans, j1 + b1, j1 + b2, hyp_len, floors[1])
            floors = [re_, he]
            op: EditOp = "substitute" if a2 > a1 and b2 > b1 else (
                "delete" if a2 > a1 else "insert")
            edits.append(Edit(op, (rs, re_), (hs, he), "", "", category, a2 - a1, b2 - b1))
    return edits


def _span(spans: list[Span], i: int, j: int, length: int, floor: int) -> Span:
    """Original span of words ``i`` to ``j``; for no words, the point before word ``i``."""
    if i < j:
        start, end = spans[i][0], spans[j - 1][1]
    elif i < len(spans):
        start = end = spans[i][0]
    else:
        start = end = spans[-1][1] if spans else min(floor, length)
    start = max(start, floor)
    return start, max(end, start)


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    mode = options.char_mode
    ref_shown, hyp_shown = display_text(ref, mode), display_text(hyp, mode)
    ref_norm = normalise(ref_shown, options.normalize)
    hyp_norm = normalise(hyp_shown, options.normalize)
    ref_words, ref_spans = ref_norm.words()
    hyp_words, hyp_spans = hyp_norm.words()
    ref_chars = tokenize.chars(ref_norm.text, mode)
    hyp_chars = tokenize.chars(hyp_norm.text, mode)
    if ref_norm.text == hyp_norm.text:
        return pair_counts(Level.equal(len(ref_words), len(hyp_words)),
                           Level.equal(len(ref_chars), len(hyp_chars)))
    chars = Level.counted(count(ref_chars.seq, hyp_chars.seq), len(ref_chars), len(hyp_chars))
    edits = word_edits(ref_words, ref_spans, hyp_words, hyp_spans, len(ref_shown),
                       len(hyp_shown))
    words = Alignment(ref_shown, hyp_shown, len(ref_words), len(hyp_words), tuple(edits))
    return pair_counts(Level.of(words), chars, words)


def speaker_rates(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, dict[str, Any]]:
    """WER (with S/D/I/H and interval) of each speaker's items, speakers sorted by name."""
    groups: dict[str, list[ScoredItem]] = {}
    for row in rows:
        speaker = row.meta.get(SPEAKER_KEY)
        if speaker:
            groups.setdefault(speaker, []).append(row)
    return {s: {**level_rate(groups[s], "main", stats), "items": len(groups[s])}
            for s in sorted(groups)}


def suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]],
              times: WordTimes | None = None) -> dict[str, float]:
    """Reference words the systems reject where they hear the words around them well, and
    where the systems' word ``times`` fit what they wrote rather than the reference
    (:mod:`reviewer.core.word_suspicion`)."""
    return word_suspects(rows_by_system, times)


def acoustic_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]],
                       times: WordTimes | None = None,
                       acoustic: AcousticFits | None = None) -> dict[str, float]:
    """:func:`suspicion` and whether the items' audio, force-aligned, fits the systems'
    readings better than the reference (:mod:`reviewer.core.acoustic_evidence`)."""
    return word_suspects(rows_by_system, times, acoustic)


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    out: dict[str, Any] = {
        "metrics": {"wer": level_rate(rows, "main", stats),
                    "cer": level_rate(rows, "second", stats)},
        "categories": category_totals(rows),
    }
    speakers = speaker_rates(rows, stats)
    if speakers:
        out["speakers"] = speakers
    out.update(lattice_summary(rows))  # NLP references: fstalign-style WER and entities
    return out


SPEC = KindSpec(
    name="asr", title="Speech recognition", score_pair=score_pair, summarise=summarise,
    metrics=(MetricInfo("wer", "WER"), MetricInfo("cer", "CER")),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("words", "WER"), second_level=LevelName("characters", "CER"),
    category_unit="word edits",
    suspicion=suspicion,
    suspicion_methods={"acoustic": acoustic_suspicion},
    media_column="audio",
    suspicion_min_systems=2,
    suspicion_about="reference words the systems reject where they hear the words around "
    "them well, and whose time (ctm, NLP) fits what they wrote rather than the word",
)
