"""``gec``: grammatical error correction scored as ERRANT's errant_compare (DESIGN §4.3).

Encoding. An item's reference is its M2 block without the closing blank line: the ``S``
line with the tokenised source sentence, then the gold edits of all its annotators as
``A`` lines (``A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0``) in the M2 file's order.
The source is also the item's ``source`` metadata. A prediction is the system's ``A``
lines alone. A corrected reference is such a block too: accepting a system edit into the
gold adds its line, rejecting a gold edit drops it.

Per pair, ``extra`` keeps the TP/FP/FN of every (system annotator, gold annotator) pair in
each mode (``cs`` correction with per-type counts, ``ds`` and ``dt`` detection), because
errant_compare picks each sentence's gold annotator by the best corpus F0.5 so far:
:func:`summarise` walks the items in order to do the same. The item list shows
(FP + FN) / gold edits of the annotator the sentence alone would pick (the main level of
the stored counts: errors FP + FN, units TP + FN, predicted units TP + FP); the stored edits
mark the FN gold lines and FP system lines, so the legend and the report count them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from reviewer.core.categories.gec import CATALOGUE, categorise, category_of, split_type
from reviewer.core.codec import encode_counts, encode_edits
from reviewer.core.counts import PairCounts, ScoreOptions, zero_counts
from reviewer.core.errors import InputError
from reviewer.core.gec import (
    MODES,
    Counts,
    M2Edit,
    bootstrap_prf,
    candidates,
    choose,
    corpus_choice,
    parse_block,
    parse_line,
    prf,
)
from reviewer.core.gec_suspicion import gec_suspects
from reviewer.core.items import Edit
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions
from reviewer.core.long_align import bounded_opcodes
from reviewer.core.pair_text import display_text


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    """Every annotator pair's counts in ``extra``; the sentence's own best pair in the columns."""
    source, gold = _parsed(ref, "the gold M2 block")
    _, system = _parsed(hyp if source is None else f"S {source}\n{hyp}", "the system edits")
    tokens = [] if source is None else source.split()
    extra: dict[str, list[list[Any]]] = {}
    for mode in MODES:
        extra[mode] = [[c.hyp, c.ref, c.tp, c.fp, c.fn, *([c.types] if mode == "cs" else [])]
                       for c in candidates(gold, system, mode)]
    best = choose([_counts(row) for row in extra["cs"]])
    edits = line_edits(display_text(ref, options.char_mode),
                       display_text(hyp, options.char_mode), best, tokens)
    cats: dict[str, int] = {}
    for e in edits:
        cats[e.category] = cats.get(e.category, 0) + 1
    main = max(cats, key=cats.__getitem__) if cats else ""
    return zero_counts(best.fp + best.fn, best.tp + best.fn, hyp_units=best.tp + best.fp,
                       categories=encode_counts(cats), main_category=main,
                       edits=encode_edits(edits), extra=json.dumps(extra, separators=(",", ":")))


def _parsed(text: str, what: str) -> tuple[str | None, list[M2Edit]]:
    try:
        return parse_block(text)
    except ValueError as exc:
        raise InputError(None, f"{what}: {exc}") from None


def _counts(row: Sequence[Any]) -> Counts:
    return Counts(row[0], row[1], row[2], row[3], row[4], row[5] if len(row) > 5 else {})


def line_edits(ref: str, hyp: str, best: Counts, tokens: Sequence[str] = ()) -> list[Edit]:
    """The FN gold lines (deletions) and FP system lines (insertions) of the kept pair.

    Spans are the lines' character ranges in the two M2 texts. A gold line is FN when the
    system has no edit with its span and correction, a system line FP likewise; matched
    lines are aligned as equal, so the spans run forward on both sides.
    """
    ref_lines, hyp_lines = _lines(ref, best.ref), _lines(hyp, best.hyp)
    ref_keys = {e.key for _, e in ref_lines if e is not None}
    hyp_keys = {e.key for _, e in hyp_lines if e is not None}
    ids: dict[tuple[int, int, str], int] = {}
    ref_seq = [_unit(e, ids, -1 - k) for k, (_, e) in enumerate(ref_lines)]
    hyp_seq = [_unit(e, ids, -1 - len(ref_lines) - k) for k, (_, e) in enumerate(hyp_lines)]
    out: list[Edit] = []
    for op in bounded_opcodes(ref_seq, hyp_seq):
        if op.tag == "equal":
            continue
        r_at = ref_lines[op.src_end][0][0] if op.src_end < len(ref_lines) else len(ref)
        h_at = hyp_lines[op.dest_start][0][0] if op.dest_start < len(hyp_lines) else len(hyp)
        for span, e in ref_lines[op.src_start:op.src_end]:
            if e is not None and e.key not in hyp_keys:
                out.append(Edit("delete", span, (h_at, h_at), ref[span[0]:span[1]], "",
                                edit_category(e, tokens), 1, 0))
        for span, e in hyp_lines[op.dest_start:op.dest_end]:
            if e is not None and e.key not in ref_keys:
                out.append(Edit("insert", (r_at, r_at), span, "", hyp[span[0]:span[1]],
                                edit_category(e, tokens), 0, 1))
    return out


def edit_category(e: M2Edit, tokens: Sequence[str]) -> str:
    """Catalogue id of an edit of a sentence with ``tokens``."""
    return category_of(e.type, " ".join(tokens[e.start:e.end]), e.correction)


def _unit(e: M2Edit | None, ids: dict[tuple[int, int, str], int], unique: int) -> int:
    """An integer per compared edit, equal for equal edits; a unique one for other lines."""
    return unique if e is None else ids.setdefault(e.key, len(ids))


def _lines(text: str, annotator: int) -> list[tuple[tuple[int, int], M2Edit | None]]:
    """Each line's span, with its edit when ``annotator`` made it and it is compared."""
    out: list[tuple[tuple[int, int], M2Edit | None]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.rstrip("\r")
        edit = parse_line(stripped) if stripped.startswith("A ") else None
        if edit is not None and (edit.annotator != annotator or edit.is_noop
                                 or edit.type == "UNK"):
            edit = None
        out.append(((pos, pos + len(stripped)), edit))
        pos += len(line) + 1
    return out


# -- summaries ------------------------------------------------------------------------------

def _interval_dict(value: float, bounds: tuple[float, float] | None) -> dict[str, float]:
    low, high = bounds if bounds is not None else (value, value)
    return {"value": value, "low": low, "high": high}


def mode_scores(chosen: Sequence[Counts], stats: StatOptions) -> dict[str, Any]:
    """TP/FP/FN summed over sentences, P/R/F0.5 with bootstrap intervals over sentences."""
    tp, fp, fn = ([getattr(c, k) for c in chosen] for k in ("tp", "fp", "fn"))
    totals = (sum(tp), sum(fp), sum(fn))
    p, r, f = prf(*totals)
    bounds: dict[str, tuple[float, float]] = {}
    if len(chosen) >= 2:
        bounds = bootstrap_prf(tp, fp, fn, confidence=stats.confidence,
                               resamples=stats.resamples, seed=stats.seed)
    return {"f0_5": _interval_dict(f, bounds.get("f")),
            "precision": _interval_dict(p, bounds.get("precision")),
            "recall": _interval_dict(r, bounds.get("recall")),
            "tp": totals[0], "fp": totals[1], "fn": totals[2]}


def tiers(chosen: Sequence[Counts]) -> tuple[dict[str, list[int]], dict[str, list[int]],
                                             dict[str, list[int]]]:
    """``[tp, fp, fn]`` per ERRANT type, per operation (M/R/U) and per main type."""
    types: dict[str, list[int]] = {}
    for c in chosen:
        for t, counts in c.types.items():
            types[t] = [a + b for a, b in zip(types.get(t, [0, 0, 0]), counts, strict=True)]
    ops: dict[str, list[int]] = {}
    mains: dict[str, list[int]] = {}
    for t, counts in types.items():
        op, main = split_type(t)
        for table, key in ((ops, op or t), (mains, main)):
            table[key] = [a + b for a, b in zip(table.get(key, [0, 0, 0]), counts, strict=True)]
    return (dict(sorted(types.items())), dict(sorted(ops.items())), dict(sorted(mains.items())))


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    extras = [json.loads(r.counts.extra) for r in rows]
    chosen = {mode: corpus_choice([_counts(row) for row in e[mode]] for e in extras)
              for mode in MODES}
    types, ops, mains = tiers(chosen["cs"])
    return {"metrics": mode_scores(chosen["cs"], stats), "categories": types,
            "operations": ops, "main_types": mains,
            "detection": {"span": mode_scores(chosen["ds"], stats),
                          "token": mode_scores(chosen["dt"], stats)}}


def category_errors(categories: Mapping[str, Any]) -> dict[str, int]:
    """FP + FN per catalogue category of a summary's ERRANT types (charts and the legend)."""
    out: dict[str, int] = {}
    for error_type, (_, fp, fn) in categories.items():
        if fp + fn:
            cid = category_of(error_type)
            out[cid] = out.get(cid, 0) + fp + fn
    return out


SPEC = KindSpec(
    name="gec", title="Grammatical error correction", score_pair=score_pair,
    summarise=summarise,
    metrics=(MetricInfo("f0_5", "F0.5", lower_is_better=False),
             MetricInfo("precision", "Precision", lower_is_better=False),
             MetricInfo("recall", "Recall", lower_is_better=False)),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("gold edits", "(FP+FN)/gold"), category_errors=category_errors,
    category_unit="wrong and missed edits (FP + FN)",
    suspicion=gec_suspects, suspicion_min_systems=2,
    suspicion_about="edits several systems make that the gold lacks, or gold edits they "
    "leave out",
)
