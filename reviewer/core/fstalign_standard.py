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
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np

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
    single,
)
from reviewer.core.lattice_wer import OUTSIDE, Key, Unit

EXTRA = "fstalign"  # the optional extra that installs pywrapfst
# fstalign's symbol table starts with these (<eps> 0, then <oov>, <ins>, <del>, <sub>,
# <inaudible>, <silence>, <unk>); words follow in the order fstalign meets them
SPECIALS = 8
INS_ID, DEL_ID, SUB_ID = 2, 3, 4

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
        # a state's tuple as one integer, (s1 * len(b) + s2) * 2 + fs: a long call's walk
        # meets tens of millions of states, and tuples would take several GB
        self.width = 2 * len(b.arcs)
        self.keys = array("q", [a.start * self.width + 2 * b.start])
        self.number: dict[int, int] = {self.keys[0]: 0}
        self.finals = bytearray([a.final[a.start] and b.final[b.start]])

    def final(self, s: int) -> bool:
        return bool(self.finals[s])

    def _expand(self, s: int) -> list[tuple[int, int, float, int, FstArc | None]]:
        """State ``s``'s arcs in OpenFst's order: (input, output, weight, next state's
        key, the arc of a taken or None)."""
        a, b = self.a, self.b
        width = self.width
        s1, rest = divmod(self.keys[s], width)
        s2, fs = divmod(rest, 2)
        ne1 = a.out_eps[s1]
        alleps1 = len(a.arcs[s1]) == ne1 and not a.final[s1]
        loop_fs = None if alleps1 else (0 if ne1 == 0 else 1)
        out: list[tuple[int, int, float, int, FstArc | None]] = []
        add = out.append
        if len(a.arcs[s1]) <= len(b.arcs[s2]):  # b matches, a's arcs are looped over
            matches = b.by_ilabel[s2]
            if loop_fs is not None:
                for _, bo, bw, bn in matches.get(0, ()):
                    add((0, bo, bw, s1 * width + 2 * bn + loop_fs, None))
            for arc in a.arcs[s1]:
                ai, ao, aw, an = arc
                if ao == 0:
                    if fs == 0:
                        add((ai, 0, aw, an * width + 2 * s2, arc))
                    continue
                for _, bo, bw, bn in matches.get(ao, ()):
                    add((ai, bo, aw + bw, an * width + 2 * bn, arc))
        else:  # a matches, b's arcs are looped over
            matches = a.by_olabel[s1]
            if fs == 0:
                for arc in matches.get(0, ()):
                    add((arc[0], 0, arc[2], arc[3] * width + 2 * s2, arc))
            for bi, bo, bw, bn in b.arcs[s2]:
                if bi == 0:
                    if loop_fs is not None:
                        add((0, bo, bw, s1 * width + 2 * bn + loop_fs, None))
                    continue
                for arc in matches.get(bi, ()):
                    add((arc[0], bo, arc[2] + bw, arc[3] * width + 2 * bn, arc))
        return out

    def walk(self, s: int) -> list[tuple[int, int, int]]:
        """The walker's moves from ``s``: (next state, doubled weight, arc index), the
        states met numbered; self-loops left out (the walker never takes them). Every
        weight is a multiple of 0.5 (half edits, anchors of 1, their sums)."""
        number, keys, finals, width = self.number, self.keys, self.finals, self.width
        a_final, b_final = self.a.final, self.b.final
        out = []
        for k, (_, _, w, t, _) in enumerate(self._expand(s)):
            n = number.get(t)
            if n is None:
                n = number[t] = len(keys)
                keys.append(t)
                finals.append(a_final[t // width] and b_final[t % width // 2])
            if n != s:
                doubled = 2 * w
                if doubled != int(doubled):
                    raise ValueError(f"arc weight {w} is not a multiple of 0.5")
                out.append((n, int(doubled), k))
        return out

    def arcs(self, s: int) -> list[tuple[FstArc, FstArc | None]]:
        """State ``s``'s arcs (its states already met), each with the arc of a taken."""
        self.walk(s)
        return [((il, ol, w, self.number[t]), moved)
                for il, ol, w, t, moved in self._expand(s)]


_NEVER = 1 << 62  # the logbook's cost of a state not entered yet


class _Moves:
    """The walker's moves of every expanded state in flat arrays: state ``s``'s are
    ``nxt/w2/k[start[s]:start[s] + count[s]]``; grown as the walk expands states."""

    def __init__(self) -> None:
        self.start = np.zeros(1024, np.int64)
        self.count = np.full(1024, -1, np.int32)  # -1: not expanded yet
        # ten bytes a move: a long call's walk expands tens of millions of states
        self.nxt = np.zeros(4096, np.int32)
        self.w2 = np.zeros(4096, np.int16)
        self.k = np.zeros(4096, np.int32)
        self.used = 0

    def expand(self, lazy: _Lazy, states: np.ndarray) -> None:
        """Expand the states not expanded yet, in the order given (their first
        occurrence): the lazy composition numbers the states it meets in that order."""
        fresh = states[self.count[states] < 0] if len(states) else states
        if not len(fresh):
            return
        _, first = np.unique(fresh, return_index=True)
        rows: list[tuple[int, int, int]] = []
        for s in fresh[np.sort(first)].tolist():
            moves = lazy.walk(s)
            if len(lazy.keys) > len(self.count):
                self._grow_states(len(lazy.keys))
            self.start[s] = self.used + len(rows)
            self.count[s] = len(moves)
            rows.extend(moves)
        if len(lazy.keys) > len(self.count):
            self._grow_states(len(lazy.keys))
        if not rows:
            return
        block = np.array(rows, np.int64)
        end = self.used + len(rows)
        if end > len(self.nxt):
            size = max(end, 2 * len(self.nxt))
            for name in ("nxt", "w2", "k"):
                old = getattr(self, name)
                grown = np.zeros(size, old.dtype)
                grown[:self.used] = old[:self.used]
                setattr(self, name, grown)
        self.nxt[self.used:end] = block[:, 0]
        self.w2[self.used:end] = block[:, 1]
        self.k[self.used:end] = block[:, 2]
        self.used = end

    def _grow_states(self, n: int) -> None:
        size = max(n, 2 * len(self.count))
        start = np.zeros(size, np.int64)
        start[:len(self.start)] = self.start
        count = np.full(size, -1, np.int32)
        count[:len(self.count)] = self.count
        self.start, self.count = start, count


def _walk_batched(lazy: _Lazy, compact_every: int = 256) -> list[list[tuple[int, int]]]:
    """fstalign's walker, a generation at a time in arrays: the complete paths it
    collects, each as its moves ``(state left, arc index)`` in order.

    fstalign's walker takes paths by generations (paths of as many moves), each in order
    of (errors, cost, state number); from each it tries every move but self-loops (a
    move with a positive weight is an error), entering a state only at a cost no higher
    than the one its logbook holds for it (then holding this one); every 50 generations
    the next is cut to its first 20 paths and those with at most 20 more errors than the
    20th; the paths that reach a final state are collected, the first 100 kept.

    Within a generation the walker relaxes its entries' moves in order, and a move to a
    state is taken when its cost is at most the state's logbook cost, which every taken
    move lowers: a move is taken exactly when its cost is at most the logbook cost before
    the generation and the cost of every earlier move to the same state in it. Of moves
    agreeing in errors, cost and state the first is kept, and the next generation is
    sorted by (errors, cost, state).

    Every ``compact_every`` generations the entries of the latest ones that no live path
    goes through are dropped (:func:`_compact`): a long call's walk keeps tens of
    millions of entries otherwise."""
    moves = _Moves()
    logbook = np.full(1024, _NEVER, np.int64)
    finals = np.zeros(0, bool)
    # the current generation: state, errors, doubled cost, index of the parent entry in
    # the previous generation, arc index taken from the parent's state
    state = np.zeros(1, np.int64)
    errors = np.zeros(1, np.int64)
    cost = np.zeros(1, np.int64)
    history: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (state, parent, k)
    parent = np.full(1, -1, np.int64)
    arc = np.full(1, -1, np.int64)
    complete: list[tuple[int, int]] = []  # (generation, entry)
    since_cut = 0
    while len(state) and len(complete) < BESTS:
        history.append((state, parent, arc))
        moves.expand(lazy, state)
        n_states = len(lazy.keys)
        if n_states > len(logbook):
            grown = np.full(max(n_states, 2 * len(logbook)), _NEVER, np.int64)
            grown[:len(logbook)] = logbook
            logbook = grown
        if n_states > len(finals):  # the states met since: whether each is final
            finals = np.r_[finals, np.frombuffer(lazy.finals, np.uint8)[len(finals):] > 0]
        # every entry's moves, in the walker's order
        counts = moves.count[state]
        total_moves = int(counts.sum())
        entry = np.repeat(np.arange(len(state)), counts)
        offset = np.arange(total_moves) - np.repeat(np.cumsum(counts) - counts, counts)
        where = moves.start[state][entry] + offset
        nxt = moves.nxt[where]
        totals = cost[entry] + moves.w2[where]
        wrong = errors[entry] + (moves.w2[where] > 0)
        # taken: at most the logbook's cost and every earlier cost to the same state
        by_state = np.argsort(nxt, kind="stable")
        sorted_nxt = nxt[by_state]
        group_start = np.r_[True, sorted_nxt[1:] != sorted_nxt[:-1]] if total_moves else \
            np.zeros(0, bool)
        group = np.cumsum(group_start) - 1
        big = int(totals.max()) + 1 if total_moves else 1
        shifted = totals[by_state] - group * big
        running = np.minimum.accumulate(shifted) + group * big
        earlier = np.r_[_NEVER, running[:-1]] if total_moves else running
        earlier[group_start] = _NEVER
        bound = np.minimum(earlier, logbook[sorted_nxt])
        taken_sorted = totals[by_state] <= bound
        taken = np.empty(total_moves, bool)
        taken[by_state] = taken_sorted
        np.minimum.at(logbook, nxt, totals)
        # finals, in entry order
        for e in np.flatnonzero(finals[state]).tolist():
            if len(complete) >= BESTS:
                break
            complete.append((len(history) - 1, e))
        # the next generation: the first of equal (errors, cost, state), sorted by them
        kept = np.flatnonzero(taken)
        order = np.lexsort((nxt[kept], totals[kept], wrong[kept]))
        kept = kept[order]
        if len(kept):
            key = np.stack((wrong[kept], totals[kept], nxt[kept]))
            first = np.r_[True, np.any(key[:, 1:] != key[:, :-1], axis=0)]
            kept = kept[first]
        if len(kept) and since_cut >= PRUNE_EVERY:
            limit = wrong[kept[:PRUNE_KEEP][-1]] + PRUNE_MARGIN
            cut = np.r_[np.ones(min(PRUNE_KEEP, len(kept)), bool),
                        wrong[kept[PRUNE_KEEP:]] <= limit]
            kept = kept[cut]
            since_cut = 0
        since_cut += 1
        state, errors, cost = nxt[kept], wrong[kept], totals[kept]
        parent, arc = entry[kept], moves.k[where][kept]
        if len(history) % compact_every == 0:
            parent = _compact(history, parent, complete, 2 * compact_every)
    paths = []
    for generation, e in complete:
        steps = []
        while generation > 0:
            _, parents, arcs = history[generation]
            before = history[generation - 1][0]
            steps.append((int(before[parents[e]]), int(arcs[e])))
            e = int(parents[e])
            generation -= 1
        steps.reverse()
        paths.append(steps)
    return paths


def _compact(history: list[tuple[np.ndarray, np.ndarray, np.ndarray]], parent: np.ndarray,
             complete: list[tuple[int, int]], depth: int) -> np.ndarray:
    """Drop from the last ``depth`` generations of ``history`` the entries that neither
    the next generation (its ``parent`` indices) nor a complete path goes through;
    returns ``parent`` and rewrites ``complete`` and the kept parent indices to match."""
    last = len(history) - 1
    need = parent
    for g in range(last, max(last - depth, 0), -1):
        ends = [e for gg, e in complete if gg == g]
        keep = np.unique(np.concatenate((need, np.array(ends, np.int64))))
        if g == last:
            parent = np.searchsorted(keep, parent)
        else:
            st, par, k = history[g + 1]
            history[g + 1] = (st, np.searchsorted(keep, par), k)
        for i, (gg, e) in enumerate(complete):
            if gg == g:
                complete[i] = (g, int(np.searchsorted(keep, e)))
        st, par, k = history[g]
        history[g] = (st[keep], par[keep], k[keep])
        need = history[g][1]
    return parent


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
    return single(errors / words)


def walk(units: Sequence[Unit], hyp: Sequence[str], *, anchors: bool = True
         ) -> list[PathStep]:
    """fstalign's path of ``hyp`` through ``units`` under its standard composition."""
    a, b, g = _halves(units, hyp, anchors)
    arcs, unit_of, option_of, final, _, symbols = g
    lazy = _Lazy(a, b)
    complete = _walk_batched(lazy)
    if not complete:
        raise ValueError("fstalign's standard composition found no complete path")
    labels = {SPECIALS + arc.order for leaving in arcs for arc in leaving
              if arc.label and arc.order != EPSILON}
    paths = [[lazy.arcs(s)[k] for s, k in moves] for moves in complete]
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
        mine, theirs = [arc for arc, _ in lazy.arcs(s)], eager.arcs[mapping[s]]
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
