"""A gec reference as the sentences a reader edits, and back to its M2 block.

A gec item's reference is an M2 block (``S`` line and gold ``A`` lines, see
:mod:`reviewer.core.kinds.gec`). A reviewer reads and corrects it as sentences instead: one
line per gold annotator, the source with that annotator's edits applied. A line left as it
was keeps the annotator's edits exactly; a changed line is compared token by token with
what it was, and only the changed stretches become new edits (typed ``M:OTHER``,
``R:OTHER`` or ``U:OTHER``, or keeping the error type of the one edit they rework), so a
corrected block stays M2 that scoring, export and the gec view read as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reviewer.core.align import merged_blocks
from reviewer.core.gec import M2Edit, annotators, block_text, noop_edit, parse_block


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of the corrected sentence: source tokens ``[start, end)`` shown as
    ``tokens``, by an edit or (``edit`` None) unchanged."""

    start: int
    end: int
    tokens: tuple[str, ...]
    edit: M2Edit | None


def corrected_sentence(tokens: Sequence[str], edits: Sequence[M2Edit]) -> str:
    """The source ``tokens`` with one annotator's ``edits`` applied, tokens joined by spaces."""
    return " ".join(t for p in _pieces(tokens, edits, strict=False) for t in p.tokens)


def corrected_sentences(block: str) -> str:
    """One line per gold annotator of an M2 ``block``: its corrected sentence."""
    source, edits = parse_block(block)
    tokens = (source or "").split()
    return "\n".join(corrected_sentence(tokens, [e for e in edits if e.annotator == a])
                     for a in annotators(edits))


def block_from_sentences(block: str, text: str) -> str:
    """The M2 ``block`` with each annotator's edits made to give the line of ``text`` in
    its place (see the module's docstring). ``ValueError`` says what does not fit."""
    source, edits = parse_block(block)
    tokens = (source or "").split()
    order = annotators(edits)
    lines = text.split("\n")
    while len(lines) > len(order) and not lines[-1].strip():
        lines.pop()
    if len(lines) != len(order):
        raise ValueError(
            f"this sentence has {len(order)} gold annotator(s): write one corrected sentence "
            f"per line ({len(order)} line(s)), not {len(lines)}")
    out: list[M2Edit] = []
    for annotator, line in zip(order, lines, strict=True):
        mine = [e for e in edits if e.annotator == annotator]
        if line.split() == corrected_sentence(tokens, mine).split():
            out.extend(mine)
        else:
            out.extend(_rewritten(tokens, mine, line.split(), annotator))
    return block_text(source, out)


def _pieces(tokens: Sequence[str], edits: Sequence[M2Edit], strict: bool) -> list[_Piece]:
    """The corrected sentence as pieces; an edit overlapping an earlier one is skipped, or
    refused when ``strict``."""
    out: list[_Piece] = []
    pos = 0
    for e in sorted((e for e in edits if not e.is_noop), key=lambda e: (e.start, e.end)):
        if e.start < pos:
            if strict:
                raise ValueError(f"annotator {e.annotator}'s edits {e.start}–{e.end} overlap "
                                 "another; correct this sentence with the gec view's keys")
            continue
        out.extend(_Piece(k, k + 1, (tokens[k],), None) for k in range(pos, e.start))
        out.append(_Piece(e.start, e.end, tuple(e.correction.split()), e))
        pos = e.end
    out.extend(_Piece(k, k + 1, (tokens[k],), None) for k in range(pos, len(tokens)))
    return out


def _rewritten(tokens: Sequence[str], edits: Sequence[M2Edit], new: list[str],
               annotator: int) -> list[M2Edit]:
    """``annotator``'s edits giving the sentence ``new``: the edits of unchanged stretches
    kept, one edit for each changed stretch (with the pieces it touches)."""
    pieces = _pieces(tokens, edits, strict=True)
    starts: list[int] = []  # each piece's first position in the old corrected tokens
    old: list[str] = []
    for p in pieces:
        starts.append(len(old))
        old.extend(p.tokens)
    ids: dict[str, int] = {}
    changed = merged_blocks([ids.setdefault(t, len(ids)) for t in old],
                            [ids.setdefault(t, len(ids)) for t in new])
    groups: list[tuple[int, int, int, int, list[int]]] = []  # old range, new range, pieces
    for i1, i2, j1, j2 in changed:
        touched = [k for k, p in enumerate(pieces)
                   if (starts[k] < i2 and i1 < starts[k] + len(p.tokens))
                   or (not p.tokens and i1 <= starts[k] <= i2)]
        if not touched:
            # Words put between pieces, next to an inserted stretch at the same place in
            # the source: one insertion, or the two would come out in either order.
            touched = [k for k, p in enumerate(pieces) if p.start == p.end
                       and i1 in (starts[k], starts[k] + len(p.tokens))]
        a = min([i1, *(starts[k] for k in touched)])
        b = max([i2, *(starts[k] + len(pieces[k].tokens) for k in touched)])
        ja, jb = j1 - (i1 - a), j2 + (b - i2)
        if groups and (a < groups[-1][1] or set(touched) & set(groups[-1][4])):
            pa, _, pja, _, ptouched = groups.pop()
            a, ja, touched = pa, pja, sorted({*ptouched, *touched})
        groups.append((a, b, ja, jb, touched))
    kept = set(range(len(pieces)))
    made: list[M2Edit] = []
    for a, _, ja, jb, touched in groups:
        kept -= set(touched)
        if touched:
            start = min(pieces[k].start for k in touched)
            end = max(pieces[k].end for k in touched)
        else:  # an insertion between pieces
            start = next((p.start for k, p in enumerate(pieces) if starts[k] >= a),
                         len(tokens))
            end = start
        correction = " ".join(new[ja:jb])
        if correction.split() == list(tokens[start:end]):
            continue  # the stretch is back to the source
        reworked = [e for k in touched if (e := pieces[k].edit) is not None]
        operation = _operation(start, end, correction)
        if len(reworked) == 1 and (reworked[0].start, reworked[0].end) == (start, end):
            # The same stretch corrected differently: the same kind of error.
            _, _, rest = reworked[0].type.partition(":")
            made.append(replace(reworked[0], type=f"{operation}:{rest or 'OTHER'}",
                                correction=correction))
        else:
            made.append(M2Edit(start, end, f"{operation}:OTHER", correction, annotator))
    out = [e for k, p in enumerate(pieces) if k in kept and (e := p.edit) is not None] + made
    out.sort(key=lambda e: (e.start, e.end))
    return out or [noop_edit(annotator)]


def _operation(start: int, end: int, correction: str) -> str:
    """ERRANT's operation letter: M(issing), U(nnecessary) or R(eplacement)."""
    if start == end:
        return "M"
    return "U" if not correction else "R"
