"""The fstalign-style path of one prediction, kept at import and drawn as an alignment.

:func:`encode_path` turns a :class:`~reviewer.core.lattice_wer.LatticeResult` into a small
JSON value that import keeps in the prediction's metadata under :data:`PATH_KEY`:

``{"rows": n, "empty": [rows with no token], "path": [...],
"entities": [[first row, end row, CLASS], ...]}``

``path`` lists, in order, runs of steps outside every normalised span as a string of
operations (``=`` match, ``S`` substitution, ``D`` deletion, ``I`` insertion; each step but
an insertion reads the next reference row) and each normalised or synonym reading as
``[first row, rows, "the reading's words", "its operations", CLASS]`` (a reading of no
words: empty words and operations). The words of a plain step are the reference row and
the prediction word themselves, so nothing is kept twice.

:func:`lattice_alignment` turns it back, against the item's reference text and the
prediction text, into a :class:`LatticeAlignment`: an
:class:`~reviewer.core.align.Alignment` with one edit per error step (so its
:meth:`~reviewer.core.align.Alignment.categories` add up to fstalign's S + D + I), plus
the readings the path took and the entity spans of the reference. Decoding a long
Earnings call takes milliseconds (benchmarks/bench_nlp_window.py); aligning it again would
take about a second.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reviewer.core.align import Alignment, with_equal
from reviewer.core.categories.asr import categorise
from reviewer.core.items import Edit, EditOp
from reviewer.core.lattice_summary import SUMMARY_KEY, reference_digest
from reviewer.core.lattice_wer import LatticeResult, RefToken, Step

PATH_KEY = "lattice"  # the prediction metadata holding the path
_OPS = {"equal": "=", "substitute": "S", "delete": "D", "insert": "I"}
_WORD = re.compile(r"\S+")
_RUNS = re.compile(r"=+|[SDI]")
Span = tuple[int, int]


def _label_class(label: str) -> str:
    return label.split(":", 1)[1] if ":" in label else ""


def _gap(rows: Sequence[RefToken], start: int, end: int) -> list[list[Any]]:
    """Rows ``start:end`` the path read as nothing (a reading of no words), per label run."""
    out: list[list[Any]] = []
    k = start
    while k < end:
        j = k + 1
        while j < end and rows[j].label == rows[k].label:
            j += 1
        out.append([k, j - k, "", "", _label_class(rows[k].label)])
        k = j
    return out


def entity_runs(rows: Sequence[RefToken], classes: Mapping[str, str]) -> list[list[Any]]:
    """``[first row, end row, CLASS]`` of each run of rows sharing an entity: a wer_tag id
    the sidecar names (``classes``), else (no sidecar) an ``ID:CLASS`` tag."""
    runs: list[list[Any]] = []
    if classes:
        open_runs: dict[str, list[Any]] = {}
        for r, row in enumerate(rows):
            for tag in row.wer_tags:
                name = classes.get(tag)
                if not name:
                    continue
                run = open_runs.get(tag)
                if run is not None and run[1] == r:
                    run[1] = r + 1
                else:
                    open_runs[tag] = run = [r, r + 1, name]
                    runs.append(run)
        return sorted(runs)
    r = 0
    while r < len(rows):
        name = _label_class(rows[r].label)
        j = r + 1
        while j < len(rows) and rows[j].label == rows[r].label:
            j += 1
        if name:
            runs.append([r, j, name])
        r = j
    return runs


def encode_path(result: LatticeResult, rows: Sequence[RefToken],
                classes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON value kept for one prediction (see the module docstring). Which reference
    text it belongs to is the digest kept with the counts (:func:`path_fits`)."""
    path: list[Any] = []
    plain: list[str] = []
    row = 0  # the next reference row not yet read
    spans = result.spans

    def flush() -> None:
        if plain:
            path.append("".join(plain))
            plain.clear()

    k = 0
    steps = result.steps
    while k < len(steps):
        step = steps[k]
        if step.span < 0:
            if step.op != "insert":
                if step.row > row:
                    flush()
                    path.extend(_gap(rows, row, step.row))
                row = step.row + 1
            plain.append(_OPS[step.op])
            k += 1
            continue
        flush()
        info = spans[step.span]
        if info.first_row > row:
            path.extend(_gap(rows, row, info.first_row))
        j = k
        while j < len(steps) and steps[j].span == step.span:
            j += 1
        inside = steps[k:j]
        words = " ".join(s.ref or "" for s in inside if s.op != "insert")
        path.append([info.first_row, info.rows, words, "".join(_OPS[s.op] for s in inside),
                     _label_class(rows[info.first_row].label)])
        row = info.first_row + info.rows
        k = j
    flush()
    if row < len(rows):
        path.extend(_gap(rows, row, len(rows)))
    return {"rows": len(rows),
            "empty": [r for r, t in enumerate(rows) if not t.token],
            "path": path, "entities": entity_runs(rows, classes or {})}


@dataclass(frozen=True, slots=True)
class Reading:
    """A normalised (or synonym) span of the reference as one prediction read it.

    ``ref_span``/``hyp_span`` are character ranges of the written reference and of the
    prediction words the reading met; ``reading`` is the verbalisation the path took
    (``""``: the span read as nothing); ``errors`` are the error steps inside it.
    """

    ref_span: Span
    hyp_span: Span
    written: str
    reading: str
    entity: str
    errors: int

    def describe(self) -> str:
        """``$40 million -> forty million dollars (MONEY)``."""
        tail = f" ({self.entity})" if self.entity else ""
        errors = (f", {self.errors} error{'s' if self.errors != 1 else ''}"
                  if self.errors else "")
        return f"{self.written} -> {self.reading or '(nothing)'}{tail}{errors}"


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A stretch of the reference tagged with an entity class."""

    ref_span: Span
    entity: str


@dataclass(frozen=True, slots=True)
class LatticeAlignment(Alignment):
    """The fstalign-style path as an alignment: one edit per error step; ``readings`` the
    normalised spans the path read, ``entities`` the entity spans of the reference."""

    readings: tuple[Reading, ...] = ()
    entities: tuple[EntitySpan, ...] = ()

    def entity_classes(self) -> tuple[str, ...]:
        """The entity classes present, sorted."""
        return tuple(sorted({e.entity for e in self.entities}))


def kept_path(meta: Mapping[str, Any], reference: str) -> Mapping[str, Any] | None:
    """The path kept in a prediction's metadata, if it was made on ``reference`` (the
    stored text: the digest kept with the counts, :data:`SUMMARY_KEY`, says which)."""
    path, counts = meta.get(PATH_KEY), meta.get(SUMMARY_KEY)
    if not isinstance(path, Mapping) or not isinstance(counts, Mapping):
        return None
    return path if counts.get("ref") == reference_digest(reference) else None


class PathMismatch(ValueError):
    """The kept path does not fit the texts it is drawn against (says how)."""


class WordSpans:
    """The ``(start, end)`` of each word of a text (or row of a reference), made only when
    asked for: a call has some 10,000 words and most of them are read in matching runs."""

    def __init__(self, starts: list[int], ends: list[int], shift: bool = False) -> None:
        # shift: ``ends[k]`` leaves out the k spaces before word k (summed lengths alone)
        self.starts, self.ends, self.shift = starts, ends, shift
        self.count = len(ends)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, k: int) -> Span:
        if self.shift:
            end = self.ends[k] + k
            return end - self.starts[k], end
        return self.starts[k], self.ends[k]


def word_spans(text: str) -> WordSpans:
    """The spans of the whitespace-separated words of ``text``."""
    words = text.split()
    if " ".join(words) != text:  # other spacing than the joined tokens: find each word
        found = [m.span() for m in _WORD.finditer(text)]
        return WordSpans([a for a, _ in found], [b for _, b in found])
    lengths = list(map(len, words))
    return WordSpans(lengths, list(accumulate(lengths)), shift=True)


def _row_spans(reference: str, rows: int, empty: Sequence[int]) -> WordSpans:
    words = word_spans(reference)
    empties = set(empty)
    if len(words) != rows - len(empties):
        raise PathMismatch(f"the reference has {len(words)} words where the path read "
                           f"{rows - len(empties)}")
    if not empties:
        return words
    starts: list[int] = []
    ends: list[int] = []
    k = position = 0
    for r in range(rows):
        if r in empties:  # a row with no token: an empty span where it stood
            starts.append(position)
            ends.append(position)
            continue
        start, position = words[k]
        starts.append(start)
        ends.append(position)
        k += 1
    return WordSpans(starts, ends)


def _edit(op: EditOp, ref_span: Span, hyp_span: Span, ref_word: str, hyp_word: str) -> Edit:
    category = ("insertion" if op == "insert" else "deletion" if op == "delete"
                else categorise(ref_word, hyp_word))
    return Edit(op, ref_span, hyp_span, ref_word, hyp_word, category,
                int(op != "insert"), int(op != "delete"))


def lattice_alignment(reference: str, hyp: str, kept: Mapping[str, Any]) -> LatticeAlignment:
    """The alignment the kept path (:func:`encode_path`) draws on ``reference`` and
    ``hyp`` (the displayed texts); :class:`PathMismatch` when it does not fit them (the
    caller checks first that the path belongs to the stored reference: :func:`kept_path`)."""
    rows = _row_spans(reference, int(kept["rows"]), kept.get("empty", ()))
    hyp_words = word_spans(hyp)
    edits: list[Edit] = []
    readings: list[Reading] = []
    row = h = 0
    ref_at = hyp_at = 0  # where the last read reference / prediction word ended
    ref_units = 0

    def hyp_word() -> tuple[Span, str]:
        nonlocal h, hyp_at
        if h >= hyp_words.count:
            raise PathMismatch(f"the prediction has {hyp_words.count} words, the path reads more")
        span = hyp_words[h]
        h += 1
        hyp_at = span[1]
        return span, hyp[span[0]:span[1]]

    def step(op: str, ref_span: Span, ref_word: str) -> bool:
        """One step; True when it is an error."""
        nonlocal ref_units, ref_at
        if op != "I":
            ref_units += 1
            ref_at = ref_span[1]
        if op == "D":
            edits.append(_edit("delete", ref_span, (hyp_at, hyp_at), ref_word, ""))
            return True
        span, word = hyp_word()
        if op == "=":
            return False
        if op == "S":
            edits.append(_edit("substitute", ref_span, span, ref_word, word))
        else:
            edits.append(_edit("insert", (ref_at, ref_at), span, "", word))
        return True

    for part in kept["path"]:
        if isinstance(part, str):
            for run in _RUNS.finditer(part):
                op = run.group()
                if op[0] == "=" and len(op) > 1:  # most of a call: matched words in a row
                    n = len(op)
                    if row + n > rows.count or h + n > hyp_words.count:
                        raise PathMismatch("the path reads more words than there are")
                    row, h = row + n, h + n
                    ref_at, hyp_at = rows[row - 1][1], hyp_words[h - 1][1]
                    ref_units += n
                    continue
                if op == "I":
                    step(op, (ref_at, ref_at), "")
                    continue
                if row >= rows.count:
                    raise PathMismatch("the path reads more reference rows than there are")
                span = rows[row]
                step(op, span, reference[span[0]:span[1]])
                row += 1
            continue
        first, count, words, ops, entity = part
        if first != row or first + count > rows.count:
            raise PathMismatch(f"a reading starts at row {first}, the path is at row {row}")
        whole = (rows[first][0], rows[first + count - 1][1])
        reads = [o for o in ops if o != "I"]
        one_to_one = len(reads) == count
        verbal = words.split()
        hyp_start, errors, w = None, 0, 0
        for op in ops:
            if op == "I":
                span = (ref_at, ref_at)
                ref_word = ""
            else:
                span = rows[first + w] if one_to_one else whole
                ref_word = verbal[w] if w < len(verbal) else ""
                w += 1
            before = h
            errors += step(op, span, ref_word)
            if h > before and hyp_start is None:
                hyp_start = hyp_words[before][0]
        ref_at = whole[1]
        readings.append(Reading(whole, (hyp_start if hyp_start is not None else hyp_at, hyp_at),
                                reference[whole[0]:whole[1]], words, entity, errors))
        row = first + count
    if row != rows.count or h != hyp_words.count:
        raise PathMismatch(f"the path reads {row} of {rows.count} reference rows and {h} of "
                           f"{hyp_words.count} prediction words")
    entities = tuple(EntitySpan((rows[a][0], rows[b - 1][1]), name)
                     for a, b, name in kept.get("entities", ()) if 0 <= a < b <= rows.count)
    return LatticeAlignment(reference, hyp, ref_units, hyp_words.count, tuple(edits),
                            tuple(readings), entities)


def path_categories(reference: str, hyp: str, kept: Mapping[str, Any]) -> dict[str, int]:
    """Errors per category of the kept path drawn on ``reference`` and ``hyp`` (what the
    legend counts for the item); ``{}`` when the path does not fit the texts."""
    try:
        return lattice_alignment(reference, hyp, kept).categories()
    except PathMismatch:
        return {}


def step_ops(steps: Sequence[Step]) -> str:
    """The operations of ``steps`` as the path writes them (for checks and tests)."""
    return "".join(_OPS[s.op] for s in steps)


def lattice_segments(a: LatticeAlignment) -> list[Edit]:
    """:func:`~reviewer.core.align.with_equal` of ``a`` with each matched stretch cut into
    word pairs and whole readings, so that a stacked view puts ``$40 million`` above
    ``forty million dollars`` and ``Revenue`` above ``revenue``."""
    out: list[Edit] = []
    for seg in with_equal(a):
        if seg.op != "equal" or seg.ref_text == seg.hyp_text:
            out.append(seg)
            continue
        out.extend(_cut_matched(a, seg))
    return out


def _cut_matched(a: LatticeAlignment, seg: Edit) -> list[Edit]:
    (r0, r1), (h0, h1) = seg.ref_span, seg.hyp_span
    inside = [r for r in a.readings if r0 <= r.ref_span[0] and r.ref_span[1] <= r1
              and h0 <= r.hyp_span[0] and r.hyp_span[1] <= h1]
    bounds: list[tuple[Span, Span]] = []  # (ref, hyp) stretches: plain words, then readings
    ref_at, hyp_at = r0, h0
    for r in inside:
        bounds.append(((ref_at, r.ref_span[0]), (hyp_at, r.hyp_span[0])))
        bounds.append((r.ref_span, r.hyp_span))
        ref_at, hyp_at = r.ref_span[1], r.hyp_span[1]
    bounds.append(((ref_at, r1), (hyp_at, h1)))
    pieces: list[tuple[Span, Span]] = []
    for k, (ref, hyp) in enumerate(bounds):
        ref_words, hyp_words = _starts(a.ref, ref), _starts(a.hyp, hyp)
        if k % 2 or len(ref_words) != len(hyp_words) or not ref_words:
            pieces.append((ref, hyp))
            continue
        # matched plain words pair one to one; text before the first word joins it
        ref_words[0], hyp_words[0] = ref[0], hyp[0]
        for i in range(len(ref_words)):
            pieces.append(((ref_words[i], ref_words[i + 1] if i + 1 < len(ref_words)
                            else ref[1]),
                           (hyp_words[i], hyp_words[i + 1] if i + 1 < len(hyp_words)
                            else hyp[1])))
    out: list[Edit] = []
    for ref, hyp in pieces:
        if ref[1] > ref[0] or hyp[1] > hyp[0]:
            out.append(Edit("equal", ref, hyp, a.ref[ref[0]:ref[1]], a.hyp[hyp[0]:hyp[1]], ""))
    return out


def _starts(text: str, span: Span) -> list[int]:
    """Where each word of ``text[span]`` starts."""
    return [span[0] + m.start() for m in _WORD.finditer(text, span[0], span[1])]
