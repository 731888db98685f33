"""The path fstalign's default search picks, for :func:`reviewer.core.lattice_wer.align`.

fstalign does not take the least-cost path: its "adapted" composition offers fewer moves
than a full edit graph, and its walker explores the composed graph one move at a time
and keeps the first complete paths it meets. This module follows the same rules on
reviewer's own reference graph (the units of :mod:`reviewer.core.lattice_wer`):

1. A plain word alignment of the reference tokens (a normalised span counts as one
   token that matches nothing) against the hypothesis marks the words it matches as
   *anchored*, when both sides have more than ten tokens; a marked word whose two
   neighbours are unmarked loses its mark (left to right), and no word is anchored when
   the hypothesis has a run of more than 100 unmatched words followed by a match.
2. Moves from a point (reference state, hypothesis position), reference arcs taken in
   descending order of their word's first appearance (reference words, then the
   hypothesis, then synonym readings): entering or leaving a span or a synonym reading
   costs nothing (a synonym reading is entered only where the hypothesis reads it
   exactly from there); a word arc is matched (0) when the next hypothesis word equals
   it, the hypothesis word inserted (1) unless anchored, substituted (1.5) unless either
   is anchored, and deleted (1) only if no earlier arc of this state matched or entered
   a span. The end of the hypothesis is one more symbol: inserting it costs 1 on every
   path, and substituting a reference word by it (1.5) counts as that word's deletion.
3. The walker expands the composed graph by generations (paths of the same number of
   moves), each in order of (errors, cost, state number, states numbered as first met);
   a state is entered again only at a cost no higher than its best so far, and of two
   paths agreeing in moves, errors, cost and state the first is kept. Every 50
   generations the next generation is cut to its first 20 paths plus those with at most
   20 more errors than the 20th. The first 100 complete paths are collected and the
   one with the lowest WER (errors over reference words on it) wins, the earliest among
   equals.

The word alignment of step 1 is rapidfuzz's Levenshtein alignment, whose choice among
equally short alignments may differ from fstalign's own, in which case the anchors (and
the path) can differ on ambiguous stretches.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from reviewer.core.lattice_wer import OUTSIDE, Key, Op, Unit

ANCHOR_MIN_TOKENS = 10  # both sides longer than this: the word alignment anchors words
ERROR_STREAK = 100  # a longer run of unmatched hypothesis words drops all anchors
PRUNE_EVERY = 50  # generations between two cuts of the next generation
PRUNE_KEEP = 20  # paths a cut keeps outright
PRUNE_MARGIN = 20  # and those with at most this many more errors than the last kept
BESTS = 100  # complete paths collected before choosing
INS, DEL, SUB = 1.0, 1.0, 1.5
EPSILON = -1  # the order of an empty arc (fstalign's <eps>)

PathStep = tuple[Op, str | None, str | None, Key, int]


@dataclass(frozen=True)
class _Arc:
    """A reference arc: a word (``label`` False) or a span/synonym boundary."""

    order: int  # the word's symbol number: arcs of a state are tried highest first
    label: bool
    word: str
    target: int
    key: Key
    index: int
    anchored: bool = False
    reading: tuple[str, ...] | None = None  # a synonym entry: the words it must read


# One path of the walker, a tuple for speed: (reference state, hypothesis position,
# errors, cost, parent path, its last move (None: a span or synonym boundary), the arc it
# took, the hypothesis symbol it read (-1: none)).
_Entry = tuple[int, int, int, float, "_Entry | None", "Op | None", "_Arc | None", int]
# The walker's order (errors, cost, state number) packed into one integer: costs are
# multiples of 0.5, state numbers stay below 2**40 and doubled costs below 2**32.
_STATE_BITS = 40
_COST_BITS = 32
_ERROR_SHIFT = _STATE_BITS + _COST_BITS


def _anchors(tokens: Sequence[str], hyp: Sequence[str]) -> tuple[list[bool], list[bool]]:
    """Which reference tokens and hypothesis words the word alignment anchors."""
    ref_mark = [False] * len(tokens)
    hyp_mark = [False] * len(hyp)
    if len(tokens) <= ANCHOR_MIN_TOKENS or len(hyp) <= ANCHOR_MIN_TOKENS:
        return ref_mark, hyp_mark
    for block in Levenshtein.opcodes(list(tokens), list(hyp)).as_matching_blocks():
        for k in range(block.size):
            ref_mark[block.a + k] = True
            hyp_mark[block.b + k] = True
    for marks, stop in ((ref_mark, len(ref_mark) - 1), (hyp_mark, len(hyp_mark) - 2)):
        for x in range(1, stop):
            if not marks[x - 1] and not marks[x + 1]:
                marks[x] = False
    run = 0
    for mark in hyp_mark:
        if not mark:
            run += 1
        elif run > ERROR_STREAK:
            return [False] * len(tokens), [False] * len(hyp)
        else:
            run = 0
    return ref_mark, hyp_mark


Graph = tuple[list[list[_Arc]], list[int], list[Key], int, list[bool], dict[str, int]]


def graph(units: Sequence[Unit], hyp: Sequence[str], *, epsilons: bool = False) -> Graph:
    """The reference graph: arcs leaving each state (in fstalign's order), the span unit
    each state lies in (-1: none), the option it lies in, the final state, which
    hypothesis words are anchored, and the symbol numbers of every word and label.

    ``epsilons``: the graph as fstalign's loader writes it, before the adapted search
    removes its empty arcs (``order`` -1): each reading of a span ends in one to a state
    of its own, whose closing label leaves the span, and the last state has one to the
    final state."""
    tokens: list[str] = []
    for u, unit in enumerate(units):
        if all(unit.labelled):
            tokens.append(f"\x00span{u}")
        else:
            tokens.extend(unit.options[0])
    ref_mark, hyp_mark = _anchors(tokens, hyp)
    symbols: dict[str, int] = {}

    def symbol(name: str) -> int:
        return symbols.setdefault(name, len(symbols))

    for u, unit in enumerate(units):
        if all(unit.labelled):
            symbol(f"\x00span{u}")
            for option in unit.options:
                for word in option:
                    symbol(word)
        else:
            for word in unit.options[0]:
                symbol(word)
    for word in hyp:
        symbol(word)
    arcs: list[list[_Arc]] = [[]]
    unit_of: list[int] = [-1]
    option_of: list[Key] = [OUTSIDE]

    def state(u: int, key: Key) -> int:
        arcs.append([])
        unit_of.append(u)
        option_of.append(key)
        return len(arcs) - 1

    token = 0
    node = 0
    synonym_labels: list[tuple[int, int, _Arc]] = []  # (state, arc position, arc) to renumber
    for u, unit in enumerate(units):
        end = state(-1, OUTSIDE)
        if all(unit.labelled):
            inner = state(u, OUTSIDE)
            label = f"\x00span{u}"
            arcs[node].append(_Arc(symbols[label], True, label, inner, (u, -1), -1))
            closing = state(u, OUTSIDE) if epsilons else -1
            for k, option in enumerate(unit.options):
                starts = {start: length for start, length in
                          (unit.pieces[k] if k < len(unit.pieces) else ()) if length}
                prev = inner
                closes = -1
                for index, word in enumerate(option):
                    if index in starts:  # a synonym's reading inside the verbalisation
                        nxt = state(u, (u, k))
                        reading = option[index:index + starts[index]]
                        entry = _Arc(0, True, f"\x00syn{u}.{k}.{index}", nxt, (u, k), -1,
                                     reading=reading)
                        synonym_labels.append((prev, len(arcs[prev]), entry))
                        arcs[prev].append(entry)
                        prev = nxt
                        closes = index + starts[index] - 1
                    nxt = state(u, (u, k))
                    arcs[prev].append(_Arc(symbol(word), False, word, nxt, (u, k), index))
                    prev = nxt
                    if index == closes:
                        nxt = state(u, (u, k))
                        exit_arc = _Arc(0, True, f"\x00syn{u}.{k}.{index}", nxt, (u, k), -1)
                        synonym_labels.append((prev, len(arcs[prev]), exit_arc))
                        arcs[prev].append(exit_arc)
                        prev = nxt
                if epsilons:
                    arcs[prev].append(_Arc(EPSILON, True, "", closing, (u, k), -1))
                else:
                    arcs[prev].append(_Arc(symbols[label], True, label, end, (u, k), -1))
            if epsilons:
                arcs[closing].append(_Arc(symbols[label], True, label, end, (u, -1), -1))
            token += 1
        else:
            lhs = unit.options[0]
            prev = node
            for index, word in enumerate(lhs):
                nxt = end if index == len(lhs) - 1 else state(-1, (u, 0))
                arcs[prev].append(_Arc(symbols[word], False, word, nxt, (u, 0), index,
                                       anchored=ref_mark[token]))
                token += 1
                prev = nxt
            for k in range(1, len(unit.options)):
                option = unit.options[k]
                label = f"\x00syn{u}.{k}"
                first = state(u, (u, k))
                entry = _Arc(0, True, label, first, (u, k), -1, reading=option)
                synonym_labels.append((node, len(arcs[node]), entry))
                arcs[node].append(entry)
                prev = first
                for index, word in enumerate(option):
                    nxt = state(u, (u, k))
                    arcs[prev].append(_Arc(symbol(word), False, word, nxt, (u, k), index))
                    prev = nxt
                exit_arc = _Arc(0, True, label, end, (u, k), -1)
                synonym_labels.append((prev, len(arcs[prev]), exit_arc))
                arcs[prev].append(exit_arc)
        node = end
    # synonym labels are named after every word (fstalign adds them last)
    for at, position, arc in synonym_labels:
        arcs[at][position] = _Arc(symbol(arc.word), True, arc.word, arc.target, arc.key,
                                  arc.index, reading=arc.reading)
    for entering in arcs:
        entering.sort(key=lambda a: -a.order)  # stable: equal words keep their order
    if epsilons:
        final = state(-1, OUTSIDE)
        arcs[node].append(_Arc(EPSILON, True, "", final, OUTSIDE, -1))
        node = final
    return arcs, unit_of, option_of, node, hyp_mark, symbols


def walk(units: Sequence[Unit], hyp: Sequence[str]) -> list[PathStep]:
    """fstalign's path of ``hyp`` through ``units`` (steps as the exact search gives them)."""
    arcs, unit_of, option_of, final, hyp_mark, _ = graph(units, hyp)
    n_hyp = len(hyp)
    words: list[str | None] = [*hyp, None]  # None: the end symbol
    free = [not m for m in hyp_mark] + [True]  # may be inserted or substituted
    width = n_hyp + 2
    # reference state * width + hypothesis position -> state number (numbered as first
    # met); best[number]: the least cost so far of that state
    seen: dict[int, int] = {0: 0}
    best: list[float] = [0.0]
    start: _Entry = (0, 0, 0, 0.0, None, None, None, -1)
    generation: list[tuple[int, _Entry]] = [(0, start)]
    complete: list[_Entry] = []
    since_cut = 0
    following: dict[int, _Entry] = {}

    def offer(entry: _Entry, a: int, b: int, cost: float, op: Op | None,
              arc: _Arc | None, consumed: int) -> None:
        """Put a move into the next generation if fstalign's walker would."""
        total = entry[3] + cost
        where = a * width + b
        number = seen.get(where)
        if number is None:
            number = seen[where] = len(best)
            best.append(total)
        elif best[number] < total:
            return
        else:
            best[number] = total
        errors = entry[2] + (cost > 0)
        key = (((errors << _COST_BITS) + int(total * 2)) << _STATE_BITS) + number
        if key not in following:
            following[key] = (a, b, errors, total, entry, op, arc, consumed)

    while generation and len(complete) < BESTS:
        following = {}
        for _, entry in generation:
            if len(complete) >= BESTS:
                break
            a, b = entry[0], entry[1]
            leaving = arcs[a]
            if b <= n_hyp:
                word = words[b]
                ok = free[b]
                matched = False
                for arc in leaving:
                    if arc.label:
                        if arc.reading is not None and tuple(
                                hyp[b:b + len(arc.reading)]) != arc.reading:
                            continue
                        matched = True
                        offer(entry, arc.target, b, 0.0, None, arc, -1)
                        continue
                    if word == arc.word:
                        matched = True
                        offer(entry, arc.target, b + 1, 0.0, "equal", arc, b)
                    if ok:
                        offer(entry, a, b + 1, INS, "insert", None, b)
                        if not arc.anchored:
                            offer(entry, arc.target, b + 1, SUB,
                                  "substitute" if word is not None else "delete", arc, b)
                    if not matched:
                        offer(entry, arc.target, b, DEL, "delete", arc, -1)
                if not leaving and ok:
                    offer(entry, a, b + 1, INS, "insert", None, b)
            else:
                for arc in leaving:
                    if arc.label:
                        if arc.reading is None or not arc.reading:
                            offer(entry, arc.target, b, 0.0, None, arc, -1)
                        continue
                    offer(entry, arc.target, b, DEL, "delete", arc, -1)
            if a == final and b == n_hyp + 1:
                complete.append(entry)
        generation = sorted(following.items())  # keys are unique: entries never compared
        if generation and since_cut >= PRUNE_EVERY:
            keep = generation[:PRUNE_KEEP]
            limit = (keep[-1][0] >> _ERROR_SHIFT) + PRUNE_MARGIN
            generation = keep + [g for g in generation[PRUNE_KEEP:]
                                 if g[0] >> _ERROR_SHIFT <= limit]
            since_cut = 0
        since_cut += 1
    if not complete:
        raise ValueError("fstalign's search found no complete path")
    chosen = min(complete, key=lambda e: _wer(e, n_hyp))
    return _path(chosen, hyp, unit_of, option_of)


def _wer(entry: _Entry, n_hyp: int) -> float:
    """WER of a complete path as fstalign counts it (the end symbol is no word)."""
    errors = words = 0
    node: _Entry | None = entry
    while node is not None and node[4] is not None:
        op = node[5]
        if op == "insert":
            errors += node[7] < n_hyp
        elif op in ("delete", "substitute"):
            errors += 1
            words += 1
        elif op == "equal":
            words += 1
        node = node[4]
    if not words:
        return float("inf") if errors else 0.0
    # fstalign compares single-precision WERs: close ones may tie, and the earlier wins
    return single(errors / words)


def single(x: float) -> float:
    """``x`` rounded to single precision, as fstalign's ``float`` holds it."""
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _path(entry: _Entry, hyp: Sequence[str], unit_of: list[int], option_of: list[Key]
          ) -> list[PathStep]:
    """The steps of a complete path, in order. An insertion at a span's start (before
    its first word) gets the option the path reads next in that span."""
    chain: list[_Entry] = []
    node: _Entry | None = entry
    while node is not None and node[4] is not None:
        chain.append(node)
        node = node[4]
    chain.reverse()
    out: list[PathStep] = []
    pending: list[int] = []
    for node in chain:
        parent, op, arc, consumed = node[4], node[5], node[6], node[7]
        assert parent is not None
        if op == "insert":
            if consumed >= len(hyp):
                continue  # the end symbol
            state = parent[0]
            key = option_of[state]
            if unit_of[state] >= 0 and key == OUTSIDE:
                pending.append(len(out))
            out.append(("insert", None, hyp[consumed], key, -1))
            continue
        assert arc is not None
        if pending and arc.key[1] >= 0:
            for k in pending:
                out[k] = ("insert", None, out[k][2], arc.key, -1)
            pending = []
        if op is None:
            continue
        hyp_word = hyp[consumed] if op in ("equal", "substitute") else None
        out.append((op, arc.word, hyp_word, arc.key, arc.index))
    return out
