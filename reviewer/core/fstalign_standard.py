"""The path fstalign's "standard" composition picks (``--composition-approach standard``,
fstalign's default until May 2021, so the one behind the Earnings-21 paper's tables).

fstalign builds its reference graph (:func:`reviewer.core.fstalign_search.graph`, with
the empty arcs its loader writes), determinises it, composes it with one half of an
edit transducer (every word kept, substituted or deleted; a label kept or dropped for
nothing) and the hypothesis with the other half (kept, substituted or inserted), sorts
the two by the labels they meet on, and walks their lazy composition with the walker of
:mod:`reviewer.core.fstalign_search`. The determinisation and the two eager compositions
are OpenFst's own (``pywrapfst``, which the ``fstalign`` extra installs); the lazy
composition is followed here the way OpenFst expands it (its sequence filter and sorted
matchers, states numbered as first met), so that the walker meets the same states in
the same order and breaks its ties the same way. :func:`check_expansion` compares that
expansion with OpenFst's eager composition, arc by arc.

With ``anchors`` (fstalign since 2022), the words a plain word alignment matches cost
1 on both sides, as fstalign's first pass weights them; without, every arc costs 0, as
in the 2021 version.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any

from reviewer.core.fstalign_search import (
    BESTS,
    DEL,
    EPSILON,
    INS,
    PRUNE_EVERY,
    PRUNE_KEEP,
    PRUNE_MARGIN,
    SUB,
    PathStep,
    graph,
)
from reviewer.core.lattice_wer import OUTSIDE, Key, Unit

EXTRA = "fstalign"  # the optional extra that installs pywrapfst
# fstalign's symbol table starts with these (<eps> 0, then <oov>, <ins>, <del>, <sub>,
# <inaudible>, <silence>, <unk>); words follow in the order fstalign meets them
SPECIALS = 8
INS_ID, DEL_ID, SUB_ID = 2, 3, 4
_NEVER = 1 << 62  # the logbook's cost of a state not entered yet

# An arc of a composed or half-composed graph: (ilabel, olabel, weight, next state)
FstArc = tuple[int, int, float, int]


def available() -> bool:
    """Whether pywrapfst can be imported."""
    try:
        import pywrapfst  # noqa: F401
    except ImportError:
        return False
    return True


def _pywrapfst() -> Any:
    try:
        import pywrapfst
    except ImportError as exc:
        raise RuntimeError("fstalign's standard composition needs OpenFst's Python "
                           f"bindings: pip install 'reviewer[{EXTRA}]'") from exc
    return pywrapfst


class _Half:
    """An eager half composition as lists: arcs per state, final states, and per state
    the count of arcs whose output is empty."""

    def __init__(self, f: Any) -> None:
        self.arcs: list[list[FstArc]] = []
        self.final: list[bool] = []
        self.out_eps: list[int] = []
        for s in f.states():
            row = [(a.ilabel, a.olabel, float(a.weight), a.nextstate) for a in f.arcs(s)]
            self.arcs.append(row)
            self.final.append(not math.isinf(float(f.final(s))))
            self.out_eps.append(sum(1 for a in row if a[1] == 0))
        self.start = f.start() if f.num_states() else -1
        self.by_ilabel = [_group(row, 0) for row in self.arcs]
        self.by_olabel = [_group(row, 1) for row in self.arcs]


def _group(row: list[FstArc], side: int) -> dict[int, list[FstArc]]:
    out: dict[int, list[FstArc]] = {}
    for arc in row:
        out.setdefault(arc[1] if side else arc[0], []).append(arc)
    return out


def _halves(units: Sequence[Unit], hyp: Sequence[str], anchors: bool
            ) -> tuple[_Half, _Half, Any]:
    """fstalign's two half compositions, arc-sorted as it sorts them, and the graph."""
    fst = _pywrapfst()
    g = graph(units, hyp, epsilons=True)
    arcs, _, _, final, hyp_mark, symbols = g
    if not anchors:
        hyp_mark = [False] * len(hyp)
    weight = "tropical"

    def label(order: int) -> int:
        return 0 if order == EPSILON else order + SPECIALS

    ref = fst.VectorFst()
    for _ in arcs:
        ref.add_state()
    ref.set_start(0)
    ref.set_final(final)
    for s, leaving in enumerate(arcs):
        for arc in leaving:
            cost = 1.0 if anchors and arc.anchored else 0.0
            lab = label(arc.order)
            ref.add_arc(s, fst.Arc(lab, lab, fst.Weight(weight, cost), arc.target))
    hyp_fst = fst.VectorFst()
    hyp_fst.add_state()
    hyp_fst.set_start(0)
    for k, word in enumerate(hyp):
        hyp_fst.add_state()
        lab = symbols[word] + SPECIALS
        hyp_fst.add_arc(k, fst.Arc(lab, lab, fst.Weight(weight, 1.0 if hyp_mark[k] else 0.0),
                                   k + 1))
    last = hyp_fst.add_state()
    hyp_fst.add_arc(len(hyp), fst.Arc(0, 0, fst.Weight.one(weight), last))
    hyp_fst.set_final(last)

    entity = set()
    for leaving in arcs:
        for arc in leaving:
            if arc.label and arc.order != EPSILON:
                entity.add(label(arc.order))
    top = max(symbols.values(), default=-1) + SPECIALS
    edit1 = fst.VectorFst()
    edit2 = fst.VectorFst()
    for edit, own in ((edit1, (0, INS_ID, INS / 2)), (edit2, (DEL_ID, 0, DEL / 2))):
        edit.add_state()
        edit.set_start(0)
        edit.set_final(0)
        edit.add_arc(0, fst.Arc(own[0], own[1], fst.Weight(weight, own[2]), 0))
    for sid in range(1, top + 1):
        if sid in (INS_ID, DEL_ID, SUB_ID):
            continue
        if sid in entity:
            edit1.add_arc(0, fst.Arc(sid, sid, fst.Weight.one(weight), 0))
            edit1.add_arc(0, fst.Arc(sid, DEL_ID, fst.Weight(weight, -DEL / 2), 0))
            edit2.add_arc(0, fst.Arc(sid, sid, fst.Weight.one(weight), 0))
            continue
        edit1.add_arc(0, fst.Arc(sid, sid, fst.Weight.one(weight), 0))
        edit1.add_arc(0, fst.Arc(sid, SUB_ID, fst.Weight(weight, SUB / 2), 0))
        edit1.add_arc(0, fst.Arc(sid, DEL_ID, fst.Weight(weight, DEL / 2), 0))
        edit2.add_arc(0, fst.Arc(sid, sid, fst.Weight.one(weight), 0))
        edit2.add_arc(0, fst.Arc(SUB_ID, sid, fst.Weight(weight, SUB / 2), 0))
        edit2.add_arc(0, fst.Arc(INS_ID, sid, fst.Weight(weight, INS / 2), 0))
    half1 = fst.compose(fst.determinize(ref), edit1)
    half1.arcsort(sort_type="olabel")
    half2 = fst.compose(edit2, hyp_fst)
    half2.arcsort(sort_type="ilabel")
    return _Half(half1), _Half(half2), g


class _Lazy:
    """The lazy composition of two halves, expanded as OpenFst's ``ComposeFst`` expands
    it: states are ``(state of a, state of b, filter state)`` numbered as first met."""

    def __init__(self, a: _Half, b: _Half) -> None:
        self.a, self.b = a, b
        self.tuples: list[tuple[int, int, int]] = [(a.start, b.start, 0)]
        self.number: dict[tuple[int, int, int], int] = {self.tuples[0]: 0}
        self.cache: dict[int, list[FstArc]] = {}
        # per state, the arc of a each of its arcs took (None: a stayed)
        self.taken: dict[int, list[FstArc | None]] = {}
        # per state, the walker's moves: (next state, doubled weight, arc index), self-loops
        # left out (the walker never takes them); the weights are multiples of 0.5
        self.walks: list[list[tuple[int, int, int]] | None] = [None]
        self.finals: list[bool] = [a.final[a.start] and b.final[b.start]]
        # the walker's logbook: the doubled cost each state was last entered at
        self.logbook: list[int] = [_NEVER]

    def _find(self, t: tuple[int, int, int]) -> int:
        number = self.number.get(t)
        if number is None:
            number = self.number[t] = len(self.tuples)
            self.tuples.append(t)
            self.walks.append(None)
            self.finals.append(self.a.final[t[0]] and self.b.final[t[1]])
            self.logbook.append(_NEVER)
        return number

    def final(self, s: int) -> bool:
        return self.finals[s]

    def arcs(self, s: int) -> list[FstArc]:
        got = self.cache.get(s)
        if got is not None:
            return got
        a, b = self.a, self.b
        s1, s2, fs = self.tuples[s]
        ne1 = a.out_eps[s1]
        alleps1 = len(a.arcs[s1]) == ne1 and not a.final[s1]
        loop_fs = None if alleps1 else (0 if ne1 == 0 else 1)
        out: list[FstArc] = []
        taken: list[FstArc | None] = []

        def add(il: int, ol: int, w: float, t: tuple[int, int, int],
                moved: FstArc | None) -> None:
            out.append((il, ol, w, self._find(t)))
            taken.append(moved)

        if len(a.arcs[s1]) <= len(b.arcs[s2]):  # b matches, a's arcs are looped over
            if loop_fs is not None:
                for _, bo, bw, bn in b.by_ilabel[s2].get(0, ()):
                    add(0, bo, bw, (s1, bn, loop_fs), None)
            for arc in a.arcs[s1]:
                ai, ao, aw, an = arc
                if ao == 0:
                    if fs == 0:
                        add(ai, 0, aw, (an, s2, 0), arc)
                    continue
                for _, bo, bw, bn in b.by_ilabel[s2].get(ao, ()):
                    add(ai, bo, aw + bw, (an, bn, 0), arc)
        else:  # a matches, b's arcs are looped over
            if fs == 0:
                for arc in a.by_olabel[s1].get(0, ()):
                    add(arc[0], 0, arc[2], (arc[3], s2, 0), arc)
            for bi, bo, bw, bn in b.arcs[s2]:
                if bi == 0:
                    if loop_fs is not None:
                        add(0, bo, bw, (s1, bn, loop_fs), None)
                    continue
                for arc in a.by_olabel[s1].get(bi, ()):
                    add(arc[0], bo, arc[2] + bw, (arc[3], bn, 0), arc)
        self.cache[s] = out
        self.taken[s] = taken
        return out

    def walk(self, s: int) -> list[tuple[int, int, int]]:
        got = self.walks[s]
        if got is None:
            got = []
            for k, (_, _, w, nxt) in enumerate(self.arcs(s)):
                if nxt != s:
                    doubled = round(2 * w)
                    if doubled != 2 * w:
                        raise ValueError(f"arc weight {w} is not a multiple of 0.5")
                    got.append((nxt, doubled, k))
            self.walks[s] = got
        return got


# One path of the walker: (state, errors, doubled cost, parent, (state it left, arc index))
_Path = tuple[int, int, int, "_Path | None", tuple[int, int]]
# The walker's order (errors, cost, state) packed into one integer, as in
# :mod:`reviewer.core.fstalign_search`: doubled costs stay below 2**32, states below 2**40.
_STATE_BITS = 40
_COST_BITS = 32


def _walk(lazy: _Lazy) -> list[_Path]:
    """fstalign's walker over the lazy composition: the complete paths it collects.

    Costs are kept doubled, as integers (every weight is a multiple of 0.5, so fstalign's
    single-precision sums of them are exact too)."""
    logbook = lazy.logbook
    generation: list[_Path] = [(0, 0, 0, None, (-1, -1))]
    complete: list[_Path] = []
    since_cut = 0
    walks, finals, expand = lazy.walks, lazy.finals, lazy.walk
    while generation and len(complete) < BESTS:
        following: dict[int, _Path] = {}
        for entry in generation:
            if len(complete) >= BESTS:
                break
            s, errors, cost = entry[0], entry[1], entry[2]
            for nxt, w2, k in walks[s] or expand(s):
                total = cost + w2
                if logbook[nxt] < total:
                    continue
                logbook[nxt] = total
                wrong = errors + 1 if w2 > 0 else errors
                key = (((wrong << _COST_BITS) + total) << _STATE_BITS) + nxt
                if key not in following:
                    following[key] = (nxt, wrong, total, entry, (s, k))
            if finals[s]:
                complete.append(entry)
        keys = sorted(following)  # unique: entries are never compared
        if keys and since_cut >= PRUNE_EVERY:
            limit = following[keys[:PRUNE_KEEP][-1]][1] + PRUNE_MARGIN
            keys = keys[:PRUNE_KEEP] + [k for k in keys[PRUNE_KEEP:]
                                        if following[k][1] <= limit]
            since_cut = 0
        since_cut += 1
        generation = [following[k] for k in keys]
    return complete


def _f32(x: float) -> float:
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _arcs_of(entry: _Path, lazy: _Lazy) -> list[tuple[FstArc, FstArc | None]]:
    """The composed arcs of a complete path, in order, each with the arc of a it took."""
    out = []
    node: _Path | None = entry
    while node is not None and node[3] is not None:
        s, k = node[4]
        out.append((lazy.arcs(s)[k], lazy.taken[s][k]))
        node = node[3]
    out.reverse()
    return out


def _wer(arcs: list[tuple[FstArc, FstArc | None]], labels: set[int]) -> float:
    errors = words = 0
    for (il, ol, _, _), _ in arcs:
        if il in labels:
            continue
        if il != ol:
            errors += 1
            words += il != 0
        elif il >= SPECIALS:
            words += 1
    if not words:
        return float("inf") if errors else 0.0
    return _f32(errors / words)


def walk(units: Sequence[Unit], hyp: Sequence[str], *, anchors: bool = True
         ) -> list[PathStep]:
    """fstalign's path of ``hyp`` through ``units`` under its standard composition."""
    a, b, g = _halves(units, hyp, anchors)
    arcs, unit_of, option_of, final, _, symbols = g
    lazy = _Lazy(a, b)
    complete = _walk(lazy)
    if not complete:
        raise ValueError("fstalign's standard composition found no complete path")
    labels = {SPECIALS + arc.order for leaving in arcs for arc in leaving
              if arc.label and arc.order != EPSILON}
    paths = [_arcs_of(c, lazy) for c in complete]
    chosen = min(paths, key=lambda p: _wer(p, labels))
    words = {number + SPECIALS: word for word, number in symbols.items()}
    return _steps(chosen, arcs, unit_of, option_of, final, words)


def _trace(read: list[int], arcs: Sequence[Sequence[Any]], final: int) -> list[Any]:
    """The reference arcs (first in arc order) that read ``read``, empty arcs included
    as labels of their own, from state 0 to ``final``."""
    reach: dict[int, tuple[int, Any] | None] = {0: None}
    layers = [reach]
    for lab in read:
        nxt: dict[int, tuple[int, Any] | None] = {}
        for s in reach:
            for arc in arcs[s]:
                if (0 if arc.order == EPSILON else arc.order + SPECIALS) == lab \
                        and arc.target not in nxt:
                    nxt[arc.target] = (s, arc)
        reach = nxt
        layers.append(reach)
    if final not in reach:
        raise ValueError("the composed path does not read the reference")
    out = []
    s = final
    for layer in reversed(layers[1:]):
        back = layer[s]
        assert back is not None
        s, arc = back
        out.append(arc)
    out.reverse()
    return out


def _steps(path: list[tuple[FstArc, FstArc | None]], arcs: Sequence[Sequence[Any]],
           unit_of: list[int], option_of: list[Key], final: int, words: dict[int, str]
           ) -> list[PathStep]:
    """The path's steps as :func:`reviewer.core.fstalign_search.walk` gives them. An
    insertion at a span's start gets the option the path reads next in that span; one
    after a reading's last word, that reading's."""
    read = [moved[0] for _, moved in path if moved is not None and moved[1] != INS_ID]
    ref_arcs = iter(_trace(read, arcs, final))
    out: list[PathStep] = []
    pending: list[int] = []
    state = 0
    entered: Any = None
    for (il, ol, _, _), moved in path:
        if moved is None or moved[1] == INS_ID:  # the reference stays: an insertion
            if ol < SPECIALS:
                continue  # the hypothesis' closing empty arc
            key = option_of[state]
            if unit_of[state] >= 0 and key == OUTSIDE:
                if entered is not None and entered.order == EPSILON and entered.key[1] >= 0:
                    key = entered.key  # between a reading's end and the span's close
                else:
                    pending.append(len(out))
            out.append(("insert", None, words[ol], key, -1))
            continue
        arc = entered = next(ref_arcs)
        state = arc.target
        if pending and arc.key[1] >= 0:
            for k in pending:
                out[k] = ("insert", None, out[k][2], arc.key, -1)
            pending = []
        if arc.label:  # an empty arc, a span's or a synonym's label
            continue
        if ol == 0:
            out.append(("delete", arc.word, None, arc.key, arc.index))
        else:
            out.append(("equal" if il == ol else "substitute", arc.word, words[ol],
                        arc.key, arc.index))
    return out


def check_expansion(units: Sequence[Unit], hyp: Sequence[str], anchors: bool = True) -> int:
    """Expand every state of the lazy composition and compare it with OpenFst's eager
    composition of the same halves: the same arcs in the same order, states renumbered
    as met. Returns the states compared; raises ``ValueError`` at the first difference."""
    fst = _pywrapfst()
    a, b, _ = _halves(units, hyp, anchors)
    lazy = _Lazy(a, b)
    eager = _Half(fst.compose(_to_fst(fst, a), _to_fst(fst, b), connect=False))
    mapping = {0: eager.start}
    todo = [0]
    while todo:
        s = todo.pop()
        mine, theirs = lazy.arcs(s), eager.arcs[mapping[s]]
        if [m[:3] for m in mine] != [t[:3] for t in theirs] \
                or lazy.final(s) != eager.final[mapping[s]]:
            raise ValueError(f"state {s}: {mine} against OpenFst's {theirs}")
        for m, t in zip(mine, theirs, strict=True):
            if m[3] not in mapping:
                mapping[m[3]] = t[3]
                todo.append(m[3])
            elif mapping[m[3]] != t[3]:
                raise ValueError(f"state {s}: arc to {m[3]} is OpenFst's {t[3]}")
    return len(mapping)


def _to_fst(fst: Any, half: _Half) -> Any:
    f = fst.VectorFst()
    for _ in half.arcs:
        f.add_state()
    f.set_start(half.start)
    for s, row in enumerate(half.arcs):
        if half.final[s]:
            f.set_final(s)
        for il, ol, w, n in row:
            f.add_arc(s, fst.Arc(il, ol, fst.Weight("tropical", w), n))
    return f
