"""GEC edits and their scoring as ERRANT's ``errant_compare`` does it (DESIGN §4.3).

An edit is an M2 ``A`` line: a token span of the source sentence, an error type, the
correction, and the id of the annotator who made it. Per sentence, every (system
annotator, gold annotator) pair is compared and the pair giving the best corpus F0.5
so far is kept; ties go to more TP, then fewer FP, then fewer FN. Three matching modes:

- ``cs`` span-based correction (the default): an edit is its span and correction;
  ``UNK`` edits are left out;
- ``ds`` span-based detection: an edit is its span;
- ``dt`` token-based detection: an edit is each source token it touches (an insertion
  touches the token on its right).

``noop`` edits (``A -1 -1|||noop|||...``) mark an annotator with no edits; they count
neither way. A sentence without any edit line counts as a ``noop`` by annotator 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

Mode = Literal["cs", "ds", "dt"]
MODES: tuple[Mode, ...] = ("cs", "ds", "dt")
BETA = 0.5
NOOP = "noop"
_FIELDS = "A start end|||type|||correction|||required|||comment|||annotator"


@dataclass(frozen=True, slots=True)
class M2Edit:
    """One M2 edit line."""

    start: int
    end: int
    type: str
    correction: str
    annotator: int = 0
    required: str = "REQUIRED"
    comment: str = "-NONE-"

    @property
    def is_noop(self) -> bool:
        return self.type == NOOP or self.start < 0

    @property
    def key(self) -> tuple[int, int, str]:
        """What span-based correction compares."""
        return (self.start, self.end, self.correction)

    def line(self) -> str:
        """The edit as an M2 ``A`` line."""
        return (f"A {self.start} {self.end}|||{self.type}|||{self.correction}|||"
                f"{self.required}|||{self.comment}|||{self.annotator}")


def noop_edit(annotator: int = 0) -> M2Edit:
    """The line of an annotator who made no edit."""
    return M2Edit(-1, -1, NOOP, "-NONE-", annotator)


def parse_line(line: str) -> M2Edit:
    """One ``A`` line; ``ValueError`` saying what is wrong."""
    if not line.startswith("A "):
        raise ValueError(f"an edit line starts with 'A ', got {line[:30]!r}")
    fields = line[2:].split("|||")
    if len(fields) != 6:
        raise ValueError(f"an edit line has 6 fields separated by '|||' ({_FIELDS}); "
                         f"this one has {len(fields)}")
    span = fields[0].split()
    try:
        start, end = (int(v) for v in span)
        annotator = int(fields[5])
    except ValueError:
        raise ValueError(f"the span {fields[0]!r} and annotator {fields[5]!r} must be "
                         "integers (span: two of them)") from None
    if not (start == end == -1 or 0 <= start <= end):
        raise ValueError(f"the span {start} {end} is not a token range (start <= end)")
    return M2Edit(start, end, fields[1], fields[2], annotator, fields[3], fields[4])


def parse_block(text: str) -> tuple[str | None, list[M2Edit]]:
    """The source sentence (``None`` without an ``S`` line) and edits of an M2 block.

    The ``S`` line may only come first; blank lines are skipped. Spans past the sentence's
    tokens are refused. ``ValueError`` names the line that is wrong.
    """
    source: str | None = None
    out: list[M2Edit] = []
    # Lines end at "\n" only, as in M2 files: a sentence may hold U+0085 or U+2028.
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("S ") or line == "S":
            if source is not None or out:
                raise ValueError(f"line {n}: the S (sentence) line must come first, once")
            source = line[2:]
            continue
        try:
            edit = parse_line(line)
        except ValueError as exc:
            raise ValueError(f"line {n}: {exc}") from None
        if source is not None and edit.end > len(source.split()):
            raise ValueError(f"line {n}: the span {edit.start} {edit.end} ends past the "
                             f"sentence's {len(source.split())} tokens")
        out.append(edit)
    return source, out


def parse_edits(text: str) -> list[M2Edit]:
    """The edits of an M2 block or of bare ``A`` lines."""
    return parse_block(text)[1]


def block_text(source: str | None, edits: Iterable[M2Edit]) -> str:
    """An M2 block without its closing blank line: the ``S`` line (if any), then the edits."""
    lines = [] if source is None else [f"S {source}"]
    return "\n".join([*lines, *(e.line() for e in edits)])


def edits_text(edits: Iterable[M2Edit]) -> str:
    """Edits as M2 ``A`` lines, one per line (the prediction encoding)."""
    return block_text(None, edits)


# -- comparing edits (errant_compare's rules) ---------------------------------------------

Key = tuple[int, ...] | tuple[int, int, str]
Coded = dict[int, dict[Key, list[str]]]  # annotator -> compared unit -> types


def coded(edits: Sequence[M2Edit], mode: Mode) -> Coded:
    """Each annotator's edits as the units ``mode`` compares, in order of first appearance."""
    out: Coded = {}
    for e in edits or [noop_edit()]:
        units = out.setdefault(e.annotator, {})
        if mode == "cs" and e.type == "UNK":
            continue
        keys: list[Key]
        if mode == "cs":
            keys = [e.key]
        elif mode == "ds":
            keys = [(e.start, e.end)]
        elif e.start < 0:
            keys = [(e.start, e.start)]
        elif e.start == e.end:
            keys = [(e.start, e.start + 1)]
        else:
            keys = [(t, t + 1) for t in range(e.start, e.end)]
        for key in keys:
            units.setdefault(key, []).append(e.type)
    return out


@dataclass(frozen=True, slots=True)
class Counts:
    """TP, FP and FN of one system annotator against one gold annotator, and per type."""

    hyp: int
    ref: int
    tp: int
    fp: int
    fn: int
    types: dict[str, list[int]]  # ERRANT type -> [tp, fp, fn]


def compare(hyp: dict[Key, list[str]], ref: dict[Key, list[str]],
            hyp_id: int = 0, ref_id: int = 0) -> Counts:
    """Count one system annotator's units against one gold annotator's."""
    tp = fp = fn = 0
    types: dict[str, list[int]] = {}
    for key, hyp_types in hyp.items():
        if hyp_types[0] == NOOP:
            continue
        if key in ref:
            for t in ref[key]:  # a matched unit counts with the gold's types
                tp += 1
                types.setdefault(t, [0, 0, 0])[0] += 1
        else:
            for t in hyp_types:
                fp += 1
                types.setdefault(t, [0, 0, 0])[1] += 1
    for key, ref_types in ref.items():
        if ref_types[0] == NOOP or key in hyp:
            continue
        for t in ref_types:
            fn += 1
            types.setdefault(t, [0, 0, 0])[2] += 1
    return Counts(hyp_id, ref_id, tp, fp, fn, types)


def candidates(gold: Sequence[M2Edit], system: Sequence[M2Edit], mode: Mode) -> list[Counts]:
    """Counts of every (system annotator, gold annotator) pair, in errant_compare's order."""
    hyp, ref = coded(system, mode), coded(gold, mode)
    return [compare(h_units, r_units, h, r) for h, h_units in hyp.items()
            for r, r_units in ref.items()]


def prf(tp: int, fp: int, fn: int, beta: float = BETA) -> tuple[float, float, float]:
    """Precision, recall and F-beta as errant_compare defines them.

    Precision is 1 when there is no FP and recall 1 when there is no FN (even with no TP);
    F is 0 when both are 0.
    """
    p = tp / (tp + fp) if fp else 1.0
    r = tp / (tp + fn) if fn else 1.0
    f = (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0
    return p, r, f


def _rounded_f(tp: int, fp: int, fn: int, beta: float) -> float:
    # errant_compare ranks pairs by F rounded to 4 decimals; ties then go to the counts.
    return round(prf(tp, fp, fn, beta)[2], 4)


def choose(options: Sequence[Counts], totals: tuple[int, int, int] = (0, 0, 0),
           beta: float = BETA) -> Counts:
    """The pair errant_compare keeps for a sentence, given the corpus counts so far.

    Best F of the running totals plus the pair's counts, then more TP, fewer FP, fewer FN;
    the first such pair in order wins.
    """
    best, best_f = options[0], -1.0
    t_tp, t_fp, t_fn = totals
    for c in options:
        f = _rounded_f(t_tp + c.tp, t_fp + c.fp, t_fn + c.fn, beta)
        if f > best_f or (f == best_f and (c.tp, -c.fp, -c.fn) > (best.tp, -best.fp, -best.fn)):
            best, best_f = c, f
    return best


def corpus_choice(sentences: Iterable[Sequence[Counts]], beta: float = BETA) -> list[Counts]:
    """The pair kept for each sentence, in order, as errant_compare walks a corpus."""
    chosen: list[Counts] = []
    tp = fp = fn = 0
    for options in sentences:
        c = choose(options, (tp, fp, fn), beta)
        chosen.append(c)
        tp, fp, fn = tp + c.tp, fp + c.fp, fn + c.fn
    return chosen


def bootstrap_prf(tp: Sequence[int], fp: Sequence[int], fn: Sequence[int], *,
                  confidence: float, resamples: int, seed: int,
                  beta: float = BETA) -> dict[str, tuple[float, float]]:
    """Percentile intervals of P, R and F-beta when sentences are resampled with replacement.

    Each resample sums the sentences' counts and computes the scores from the sums.
    """
    import numpy as np

    counts = np.array([tp, fp, fn], dtype=np.int64)
    n = counts.shape[1]
    rng = np.random.default_rng(seed)
    scores = np.empty((3, resamples))
    block = 50
    for done in range(0, resamples, block):
        size = min(block, resamples - done)
        idx = rng.integers(0, n, size=(size, n))
        s_tp, s_fp, s_fn = (counts[k][idx].sum(axis=1) for k in range(3))
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(s_fp > 0, s_tp / (s_tp + s_fp), 1.0)
            r = np.where(s_fn > 0, s_tp / (s_tp + s_fn), 1.0)
            f = np.where(p + r > 0, (1 + beta**2) * p * r / (beta**2 * p + r), 0.0)
        scores[:, done:done + size] = (p, r, f)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(scores, [alpha, 1 - alpha], axis=1)
    return {name: (float(low[k]), float(high[k]))
            for k, name in enumerate(("precision", "recall", "f"))}


# -- review: the gold edits a reviewer accepts or rejects ---------------------------------

def accept(gold: Sequence[M2Edit], edit: M2Edit, annotator: int) -> list[M2Edit]:
    """``gold`` with a system ``edit`` added to ``annotator``'s edits (a gold omission)."""
    added = replace(edit, annotator=annotator)
    mine = [e for e in gold if e.annotator == annotator and not e.is_noop]
    if any(e.key == added.key for e in mine):
        return list(gold)
    mine = sorted([*mine, added], key=lambda e: (e.start, e.end))
    return _regroup(gold, annotator, mine)


def reject(gold: Sequence[M2Edit], edit: M2Edit) -> list[M2Edit]:
    """``gold`` without ``edit``; an annotator left with no edit keeps a ``noop`` line."""
    mine = [e for e in gold if e.annotator == edit.annotator and e != edit]
    return _regroup(gold, edit.annotator, mine or [noop_edit(edit.annotator)])


def _regroup(gold: Sequence[M2Edit], annotator: int, edits: list[M2Edit]) -> list[M2Edit]:
    """``gold`` with ``annotator``'s lines replaced by ``edits``, annotators in their order."""
    order = list(dict.fromkeys(e.annotator for e in gold))
    if annotator not in order:
        order.append(annotator)
    return [e for a in order for e in (edits if a == annotator else
                                       [g for g in gold if g.annotator == a])]


def annotators(edits: Sequence[M2Edit]) -> list[int]:
    """The annotator ids of ``edits`` in order of appearance (annotator 0 when none)."""
    return list(dict.fromkeys(e.annotator for e in edits)) or [0]


def apply(tokens: Sequence[str], edits: Sequence[M2Edit]
          ) -> list[tuple[str, M2Edit | None]]:
    """The corrected sentence as pieces: unchanged source tokens (``None``) and edits.

    Edits are applied in span order; an edit overlapping one already applied is still
    listed, without replacing tokens twice.
    """
    pieces: list[tuple[str, M2Edit | None]] = []
    pos = 0
    for e in sorted((e for e in edits if not e.is_noop), key=lambda e: (e.start, e.end)):
        start = max(e.start, pos)
        pieces.extend((t, None) for t in tokens[pos:start])
        pieces.append((e.correction, e))
        pos = max(pos, e.end)
    pieces.extend((t, None) for t in tokens[pos:])
    return pieces


@dataclass(frozen=True, slots=True)
class Judged:
    """A system's edits on one sentence judged against the gold annotator kept for it."""

    counts: Counts
    marks: tuple[tuple[M2Edit, str], ...]  # each system edit: "TP", "FP" or "" (not compared)
    missed: tuple[M2Edit, ...]  # the gold annotator's edits the system lacks (FN)


def judge(gold: Sequence[M2Edit], system: Sequence[M2Edit]) -> Judged:
    """Span-based correction marks of ``system`` against ``gold``, sentence scored alone."""
    kept = choose(candidates(gold, system, "cs"))
    gold_keys = {e.key for e in gold if e.annotator == kept.ref and _compared(e)}
    mine = [e for e in system if e.annotator == kept.hyp and _compared(e)]
    mine_keys = {e.key for e in mine}
    marks = tuple((e, ("TP" if e.key in gold_keys else "FP") if e in mine else "")
                  for e in system if not e.is_noop)
    missed = tuple(e for e in gold if e.annotator == kept.ref and _compared(e)
                   and e.key not in mine_keys)
    return Judged(kept, marks, missed)


def _compared(e: M2Edit) -> bool:
    """Whether span-based correction looks at the edit (``noop`` and ``UNK`` it does not)."""
    return not e.is_noop and e.type != "UNK"
