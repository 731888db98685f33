"""WER against a reference with alternatives, counted as fstalign counts it.

A reference is a list of :class:`RefToken` (one per NLP row). Consecutive rows carrying the
same ``ID:CLASS`` tag form one normalised span: the alignment may take any candidate
verbalisation of that id (from the ``ID.norm.json`` sidecar), or the written tokens
themselves, whichever gives the least cost. Synonym rules (``LHS | RHS1; RHS2``) offer
each RHS wherever the LHS occurs in the reference; like fstalign, hyphenated words also
match their parts (``long-term`` / ``long term``) and a cut-off word (``hel-``) its
stem, unless switched off. Words are compared case-insensitively.

The costs are fstalign's: a substitution 1.5, an insertion or a deletion 1, a match 0.
Each path's steps are kept so that the errors can be given to the NLP rows as fstalign
does it (:mod:`reviewer.core.entity_wer`). Long references are cut at runs of matching
words outside every span (found by a plain word alignment first) and each piece is
aligned on its own, as fstalign's approximate alignment does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from rapidfuzz.distance import Levenshtein

SUB_COST = 1.5
INS_COST = 1.0
DEL_COST = 1.0
ANCHOR = 3  # matching plain words in a row at which a long reference is cut
MAX_VARIANTS = 16  # synonym variants of one normalisation candidate

Words = tuple[str, ...]
Key = tuple[int, int]  # (unit, option) of a word of the graph
OUTSIDE: Key = (-1, -1)
Op = Literal["equal", "substitute", "delete", "insert"]
Search = Literal["exact", "fstalign-adapted", "fstalign-standard", "fstalign-2021"]
SEARCHES: tuple[Search, ...] = ("exact", "fstalign-adapted", "fstalign-standard",
                                "fstalign-2021")
# the searches through fstalign's standard composition, which need OpenFst's bindings
STANDARD_SEARCHES: tuple[Search, ...] = ("fstalign-standard", "fstalign-2021")


@dataclass(frozen=True)
class RefToken:
    """One reference row: its token, its ``ID:CLASS`` tag (``""``: none), its wer_tag ids."""

    token: str
    label: str = ""
    wer_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A stretch of reference rows and the word sequences it may be read as.

    ``labelled[k]`` says whether option ``k`` is a normalised or synonym reading (its
    steps then belong to the span) or the written words themselves.
    """

    first_row: int
    rows: int
    options: tuple[Words, ...]
    labelled: tuple[bool, ...]
    exact: bool = False  # a synonym: its labelled readings count only when matched exactly
    # per option, the (start, length) of the words a synonym rule put there; fstalign's
    # search enters such a reading only where the hypothesis reads it exactly
    pieces: tuple[tuple[tuple[int, int], ...], ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of the chosen path; ``span`` numbers the labelled reading it lies in
    (-1: none), ``row`` is the reference row of an unlabelled word (-1: none)."""

    op: Op
    ref: str | None
    hyp: str | None
    span: int
    row: int


@dataclass(frozen=True)
class SpanInfo:
    """A labelled reading the path took: its first row and how many rows it reads."""

    first_row: int
    rows: int


@dataclass(frozen=True)
class LatticeResult:
    """The best path: its steps, the spans it passed through, and the totals."""

    steps: tuple[Step, ...]
    spans: tuple[SpanInfo, ...]

    def count(self, op: Op) -> int:
        return sum(1 for s in self.steps if s.op == op)

    @property
    def units(self) -> int:
        """Reference words on the path (what fstalign calls words in the reference)."""
        return sum(1 for s in self.steps if s.op != "insert")

    @property
    def errors(self) -> int:
        return sum(1 for s in self.steps if s.op != "equal")


Synonyms = Mapping[Words, Sequence[Words]]


def parse_synonyms(lines: Iterable[str]) -> dict[Words, list[Words]]:
    """Rules ``LHS | RHS1; RHS2`` (``#`` comments, blank lines skipped; a repeated LHS
    keeps its first definition, as fstalign does). Malformed lines raise ``ValueError``
    naming the line number."""
    rules: dict[Words, list[Words]] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p for p in line.split("|") if p.strip()]
        if len(parts) != 2:
            raise ValueError(f"line {number}: a synonym rule is 'LHS | RHS1; RHS2', "
                             f"got {line!r}")
        key = tuple(parts[0].lower().split())
        values = [tuple(alt.lower().split()) for alt in parts[1].split(";") if alt.strip()]
        if key and key not in rules:
            rules[key] = values
    return rules


def hyphen_synonyms(words: Iterable[str], rules: Synonyms, *, cutoffs: bool = True,
                    hyphens: bool = True) -> dict[Words, list[Words]]:
    """``rules`` plus fstalign's generated ones: a cut-off ``hel-`` reads as ``hel``; a
    compound ``long-term`` as ``long term`` and back (a rule given in ``rules`` wins)."""
    out: dict[Words, list[Words]] = {k: list(v) for k, v in rules.items()}
    for word in sorted(set(words)):
        hyphen = word.find("-")
        if hyphen < 0:
            continue
        if hyphen == len(word) - 1:
            if cutoffs:
                out.setdefault((word,), [(word[:-1],)])
        elif hyphens:
            parts = tuple(p for p in word.split("-") if p)
            if not parts:
                continue
            out.setdefault((word,), [parts])
            out.setdefault(parts, [(word,)])
    return out


def build_units(rows: Sequence[RefToken], normalizations: Mapping[str, Sequence[Words]],
                synonyms: Synonyms) -> list[Unit]:
    """The reference as units: tagged spans with their verbalisations, synonym spans, words."""
    index = _index_rules(synonyms)
    units: list[Unit] = []
    i = 0
    while i < len(rows):
        label = rows[i].label
        if label:
            j = i + 1
            while j < len(rows) and rows[j].label == label:
                j += 1
            written = tuple(r.token.lower() for r in rows[i:j])
            label_id = label.split(":", 1)[0]
            options: list[Words] = []
            pieces: list[tuple[tuple[int, int], ...]] = []
            for candidate in [*normalizations.get(label_id, ()), written]:
                for variant, where in _variants(tuple(w.lower() for w in candidate), index):
                    if variant not in options:
                        options.append(variant)
                        pieces.append(where)
            units.append(Unit(i, j - i, tuple(options), (True,) * len(options),
                              pieces=tuple(pieces)))
            i = j
            continue
        word = rows[i].token.lower()
        match = _synonym_at(rows, i, index) if word in index else None
        if match is not None:
            lhs, alternatives = match
            options = [lhs, *(a for a in alternatives if a != lhs)]
            units.append(Unit(i, len(lhs), tuple(options),
                              (False,) + (True,) * (len(options) - 1), exact=True))
            i += len(lhs)
            continue
        units.append(Unit(i, 1, ((word,),), (False,)))
        i += 1
    return units


RuleIndex = dict[str, list[tuple[Words, Sequence[Words]]]]


def _index_rules(synonyms: Synonyms) -> RuleIndex:
    """The rules by the first word of their LHS, each list in the rules' own order (an
    earlier rule wins among LHS of the same length)."""
    index: RuleIndex = {}
    for lhs, alternatives in synonyms.items():
        if lhs:
            index.setdefault(lhs[0], []).append((lhs, alternatives))
    return index


def _synonym_at(rows: Sequence[RefToken], i: int, index: RuleIndex
                ) -> tuple[Words, Sequence[Words]] | None:
    """The longest synonym LHS starting at row ``i`` among untagged rows."""
    candidates = index.get(rows[i].token.lower())
    if not candidates:
        return None
    best: tuple[Words, Sequence[Words]] | None = None
    for lhs, alternatives in candidates:
        n = len(lhs)
        if best is not None and n <= len(best[0]):
            continue
        if i + n <= len(rows) and all(not rows[i + k].label and rows[i + k].token.lower()
                                      == lhs[k] for k in range(n)):
            best = (lhs, alternatives)
    return best


def _variants(words: Words, index: RuleIndex) -> list[tuple[Words, tuple[tuple[int, int], ...]]]:
    """``words`` and the readings synonym rules give it (a few at most), each with the
    (start, length) of the words a rule put in."""
    out: list[tuple[Words, tuple[tuple[int, int], ...]]] = [((), ())]
    i = 0
    while i < len(words):
        found: tuple[Words, Sequence[Words]] | None = None
        for lhs, alternatives in index.get(words[i], ()):
            if (found is None or len(lhs) > len(found[0])) and words[i:i + len(lhs)] == lhs:
                found = (lhs, alternatives)
        if found is None:
            out = [((*o, words[i]), p) for o, p in out]
            i += 1
            continue
        lhs = found[0]
        out = [(o + c, p if c is lhs else (*p, (len(o), len(c))))
               for o, p in out for c in [lhs, *found[1]]][:MAX_VARIANTS]
        i += len(lhs)
    return out


def align(rows: Sequence[RefToken], hyp: Sequence[str],
          normalizations: Mapping[str, Sequence[Words]] | None = None,
          synonyms: Synonyms | None = None, *, cutoffs: bool = True,
          hyphens: bool = True, search: Search = "exact") -> LatticeResult:
    """The path of ``hyp`` (words) through the reference ``rows``.

    ``search="exact"`` takes the least-cost path; ``"fstalign-adapted"`` the path
    fstalign's default search picks (:mod:`reviewer.core.fstalign_search`), which may
    cost more: its errors, and so its WER, are then those fstalign reports.
    """
    norms = normalizations or {}
    hyp_words = [w.lower() for w in hyp]
    vocabulary = [r.token.lower() for r in rows] + hyp_words + [
        w.lower() for cands in norms.values() for c in cands for w in c]
    rules = hyphen_synonyms(vocabulary, synonyms or {}, cutoffs=cutoffs, hyphens=hyphens)
    units = build_units(rows, norms, rules)
    steps: list[Step] = []
    spans: list[SpanInfo] = []
    if search == "fstalign-adapted":
        from reviewer.core.fstalign_search import walk

        _emit(walk(units, hyp_words), units, steps, spans)
        return LatticeResult(tuple(steps), tuple(spans))
    if search in STANDARD_SEARCHES:
        from reviewer.core import fstalign_standard

        path = fstalign_standard.walk(units, hyp_words, anchors=search == "fstalign-standard")
        _emit(path, units, steps, spans)
        return LatticeResult(tuple(steps), tuple(spans))
    if search != "exact":
        raise ValueError(f"unknown search {search!r}; choose one of {', '.join(SEARCHES)}")
    for (u1, u2), (h1, h2) in _pieces(units, hyp_words):
        _align_piece(units[u1:u2], hyp_words, h1, h2, steps, spans)
    return LatticeResult(tuple(steps), tuple(spans))


def _pieces(units: list[Unit], hyp: list[str]
            ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Unit and hypothesis ranges aligned on their own, cut inside long matching runs."""
    plain = [k for k, u in enumerate(units) if len(u.options) == 1 and u.rows == 1
             and len(u.options[0]) == 1]
    words = [units[k].options[0][0] for k in plain]
    cuts: list[tuple[int, int]] = []  # (unit index, hyp index) where a new piece starts
    for block in Levenshtein.opcodes(words, hyp).as_matching_blocks():
        if block.size < ANCHOR:
            continue
        mid = block.size // 2
        unit = plain[block.a + mid]
        # The matched words must be consecutive units, so the cut falls between two words.
        if plain[block.a + mid - 1] == unit - 1:
            cuts.append((unit, block.b + mid))
    out = []
    start = (0, 0)
    for cut in cuts:
        out.append(((start[0], cut[0]), (start[1], cut[1])))
        start = cut
    out.append(((start[0], len(units)), (start[1], len(hyp))))
    return out


Arc = tuple[int, str, Key, int]  # (from node, word, (unit, option), word index; -1: empty)


def _graph(units: Sequence[Unit]) -> tuple[list[list[Arc]], list[Key]]:
    """The piece's word graph: node 0 starts; each unit adds one path per option from its
    start node to a shared end node. ``arcs[v]`` are the arcs entering node v;
    ``inside[v]`` is the option an inner node lies in (``OUTSIDE``: a unit's end)."""
    arcs: list[list[Arc]] = [[]]
    inside: list[Key] = [OUTSIDE]
    node = 0
    for u, unit in enumerate(units):
        end_arcs: list[Arc] = []
        for k, option in enumerate(unit.options):
            prev = node
            if not option:  # an empty verbalisation: the span may read as nothing
                end_arcs.append((prev, "", (u, k), -1))
            for index, word in enumerate(option):
                if index == len(option) - 1:
                    end_arcs.append((prev, word, (u, k), index))
                else:
                    arcs.append([(prev, word, (u, k), index)])
                    inside.append((u, k))
                    prev = len(arcs) - 1
        arcs.append(end_arcs)
        inside.append(OUTSIDE)
        node = len(arcs) - 1
    return arcs, inside


def _align_piece(units: Sequence[Unit], hyp: list[str], h1: int, h2: int,
                 steps: list[Step], spans: list[SpanInfo]) -> None:
    """Dynamic programme over the piece's word graph against ``hyp[h1:h2]``.

    Only the costs are kept; the way back re-derives each cell's choice from them, taking
    the first candidate in the order the costs were formed (per entering arc: deletion,
    then match or substitution; then insertion) that gives the cell its cost. The costs
    are sums of 0, 1 and 1.5, exact in floating point, so equal costs compare equal.
    """
    arcs, inside = _graph(units)
    # the readings of synonyms match words only, and nothing may be inserted inside them
    exact = [[u.exact and labelled for labelled in u.labelled] for u in units]
    piece = hyp[h1:h2]
    m = len(piece)
    inf = float("inf")
    cost: list[list[float]] = []
    for v, entering in enumerate(arcs):
        if len(entering) == 1 and entering[0][3] >= 0:
            src, word, key, _ = entering[0]
            if not exact[key[0]][key[1]]:  # most nodes: one word, so one pass does it all
                cost.append(_word_row(cost[src], word, piece))
                continue
        row: list[float] | None = None
        for src, word, key, index in entering:
            srow = cost[src]
            if index < 0:
                cand = srow
            elif exact[key[0]][key[1]]:
                cand = [inf, *[b if h == word else inf for b, h in zip(srow, piece, strict=False)]]
            else:
                cand = [srow[0] + DEL_COST, *[
                    x if (x := a + DEL_COST) <= (y := b + (0.0 if h == word else SUB_COST))
                    else y for a, b, h in zip(srow[1:], srow, piece, strict=False)]]
            row = cand if row is None else [x if x <= y else y
                                            for x, y in zip(row, cand, strict=True)]
        if row is None:
            row = [0.0] + [inf] * m
        u, k = inside[v]
        if u < 0 or not exact[u][k]:
            # the insertion sweep, cost[j] = min(cost[j], cost[j-1] + INS), all at once:
            # min over k <= j of cost[k] + (j - k) * INS
            row = [x + j * INS_COST for j, x in enumerate(accumulate(
                [x - j * INS_COST for j, x in enumerate(row)], min))]
        cost.append(row)
    path: list[tuple[Op, str | None, str | None, Key, int]] = []
    v, j = len(arcs) - 1, m
    while (v, j) != (0, 0):
        target = cost[v][j]
        for src, word, key, index in arcs[v]:
            srow = cost[src]
            if index < 0:
                if srow[j] == target:
                    v = src
                    break
                continue
            sealed = exact[key[0]][key[1]]
            if not sealed and srow[j] + DEL_COST == target:
                path.append(("delete", word, None, key, index))
                v = src
                break
            if j and (hyp_word := piece[j - 1]) == word and srow[j - 1] == target:
                path.append(("equal", word, hyp_word, key, index))
                v, j = src, j - 1
                break
            if (j and not sealed and srow[j - 1] + SUB_COST == target
                    and piece[j - 1] != word):
                path.append(("substitute", word, piece[j - 1], key, index))
                v, j = src, j - 1
                break
        else:
            # no arc gives the cost: an insertion
            path.append(("insert", None, piece[j - 1], inside[v], -1))
            j -= 1
    path.reverse()
    _emit(path, units, steps, spans)


def _word_row(before: list[float], word: str, piece: list[str]) -> list[float]:
    """The costs of a node one ``word`` after the node with costs ``before``: deletion,
    match or substitution, then the insertion sweep, cell by cell."""
    left = before[0] + DEL_COST
    row = [left]
    for above, diagonal, hyp_word in zip(before[1:], before, piece, strict=False):
        here = diagonal if hyp_word == word else diagonal + SUB_COST
        deleted = above + DEL_COST
        if deleted < here:
            here = deleted
        left += INS_COST
        if here < left:
            left = here
        row.append(left)
    return row


def _emit(path: list[tuple[Op, str | None, str | None, Key, int]], units: Sequence[Unit],
          steps: list[Step], spans: list[SpanInfo]) -> None:
    """Steps with their span numbers and rows, from the piece's path."""
    open_key: Key | None = None
    for op, ref, hyp_word, key, index in path:
        u, k = key
        if u < 0 or not units[u].labelled[k]:
            open_key = None
            row = units[u].first_row + index if u >= 0 and op != "insert" else -1
            steps.append(Step(op, ref, hyp_word, -1, row))
            continue
        if key != open_key:
            spans.append(SpanInfo(units[u].first_row, units[u].rows))
            open_key = key
        steps.append(Step(op, ref, hyp_word, len(spans) - 1, -1))
