"""Suspicion of sequence references (text, asr, kern): where several systems agree against it.

When systems independently make the *same change* (same reference span, same replacement)
at the same aligned position, the reference is the likely culprit. Each such span gets a
log-odds score, with each system's weight ``w = log(acc / ((1 − acc) · q))``:

    x = log(PRIOR_ODDS) + Σ w (systems making the change) − Σ w (systems keeping the reference)

``acc`` is the system's accuracy on the *other* items (1 − error rate elsewhere), so a
reliable system counts more; ``q`` is how common the same change is across the whole
corpus, so a confusion a system makes everywhere (``'`` read as ``’``) counts less than a
one-off. Systems with another edit over the span abstain. A span needs at least two
systems making it; its score is ``1 / (1 + exp(−x / SCALE))`` in [0, 1], and an item's
score is its strongest span's (0 when it has none).

Each span is explained in words (:func:`describe`): the reference word(s) around it and
what the systems wrote there, ``'tunred' → 'turned': 2 of 2 systems (a, b)``. Other kinds
rank with their own evidence (``reviewer.core.word_suspicion`` for asr,
``reviewer.core.gec_suspicion``, ``reviewer.core.votes``, ``reviewer.core.label_issues``)
and share the types here.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from reviewer.core.counts import LevelRole
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.suspect_words import EditSpans, Reading, hyp_span, quoted, readings, word_span
from reviewer.core.tokenize import nfc

# Votes against a reference: the share against it ranks, the share of the largest group
# agreeing on one other answer only breaks ties (below the gap between two vote counts for
# fewer than about 100 voters, so the order is lexicographic).
TIE_WEIGHT = 0.01
PRIOR_ODDS = 1e-3  # a reference span being wrong, before any system is heard
SCALE = 4.0  # log-odds per unit of the logistic: keeps 100,000 items' scores distinct
MIN_SYSTEMS = 2
_ACCURACY_RANGE = (0.5, 0.999)

Change = tuple[int, int, str]  # (reference start, reference end, replacement text)
SEQUENCE_SUSPICION_ABOUT = ("systems making the same change at the same place, each weighted "
                            "by its accuracy elsewhere")


def dissent_score(against: float, top_other: float) -> float:
    """Suspicion in [0, 1] of a reference ``against`` which a share of the votes went, the
    largest group agreeing on one other answer holding ``top_other`` (choice and label)."""
    return (1 - TIE_WEIGHT) * against + TIE_WEIGHT * top_other


@dataclass(frozen=True, slots=True)
class SuspectSpan:
    """A reference span several systems change the same way (asr: a word several systems
    reject, each its own way)."""

    ref_span: tuple[int, int]  # offsets into the displayed (NFC) reference
    ref_text: str  # the reference's text there
    replacement: str  # what the systems read instead
    systems: tuple[str, ...]  # the systems making the change
    score: float
    # For the explanation: the reference word(s) around the span, what the systems wrote
    # there (most common first) and how many systems read the item.
    words: str = ""
    readings: tuple[Reading, ...] = ()
    voters: int = 0
    # The systems' edits here as canonical changes, when they are not all ``replacement``
    # at ``ref_span`` (asr: systems rejecting one word in different ways).
    marks: tuple[Change, ...] = ()
    # asr: the systems' word times on it in words, when they point at the reference
    # (``reviewer.core.word_timing``), and how the audio fits it
    # (``reviewer.core.acoustic_evidence``, the acoustic method).
    timing: str = ""

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes the alignment view marks for this span."""
        return self.marks or ((self.ref_span[0], self.ref_span[1], self.replacement),)


@dataclass(frozen=True, slots=True)
class SystemItem:
    """One system's alignment of one item: its changes and its errors / units there."""

    changes: tuple[Change, ...]  # canonical (see :func:`canonical`)
    errors: int
    units: int
    # The displayed prediction (None: the system has none) and its edits' spans, for the
    # words of an explanation.
    prediction: str | None = None
    edits: tuple[EditSpans, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeStats:
    """Corpus figures the scores need: per-system totals and how common each change is."""

    totals: Mapping[str, tuple[int, int]]  # system -> (Σ errors, Σ units)
    counts: Mapping[tuple[str, str], int]  # (reference text, replacement) -> occurrences
    total: int  # Σ counts


class SuspicionScores(dict[str, float]):
    """Item id -> score, with what is behind the scores where a method knows it.

    ``spans``: the suspect spans of sequence items, most suspicious first; ``notes``: a
    short explanation per item (the changes and who makes them, the votes).
    """

    def __init__(self, scores: Mapping[str, float],
                 spans: Mapping[str, list[SuspectSpan]] | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(scores)
        self.spans: dict[str, list[SuspectSpan]] = dict(spans or {})
        self.notes: dict[str, str] = dict(notes or {})


def canonical(reference: str, change: Change) -> Change:
    """The same change with an insertion or deletion shifted as far left as it can go.

    Inserting ``"ab"`` after ``"...b"`` equals inserting ``"ba"`` one place earlier; two
    systems' alignments may place such an edit differently.
    """
    start, end, text = change
    if text and start == end:
        while start > 0 and reference[start - 1] == text[-1]:
            text = text[-1] + text[:-1]
            start -= 1
        return start, start, text
    if not text and start < end:
        while start > 0 and reference[start - 1] == reference[end - 1]:
            start, end = start - 1, end - 1
    return start, end, text


class ChangeTally:
    """:class:`ChangeStats` counted a part of the corpus at a time (:meth:`add` each part)."""

    def __init__(self) -> None:
        self._totals: dict[str, list[int]] = {}
        self._counts: Counter[tuple[str, str]] = Counter()

    def add(self, items: Iterable[tuple[str, Mapping[str, SystemItem]]]) -> None:
        """Count ``(reference, {system: SystemItem})`` of some items."""
        totals, counts = self._totals, self._counts
        for reference, by_system in items:
            for system, item in by_system.items():
                total = totals.setdefault(system, [0, 0])
                total[0] += item.errors
                total[1] += item.units
                counts.update((reference[s:e], t) for s, e, t in item.changes)

    def stats(self) -> ChangeStats:
        """The figures of every item added."""
        return ChangeStats({k: (v[0], v[1]) for k, v in self._totals.items()}, self._counts,
                           sum(self._counts.values()))


def change_stats(items: Iterable[tuple[str, Mapping[str, SystemItem]]]) -> ChangeStats:
    """Totals and change counts over ``(reference, {system: SystemItem})`` of every item."""
    tally = ChangeTally()
    tally.add(items)
    return tally.stats()


def _accuracy_elsewhere(stats: ChangeStats, system: str, item: SystemItem) -> float:
    errors, units = stats.totals.get(system, (0, 0))
    units -= item.units
    if units <= 0:
        return 0.9
    low, high = _ACCURACY_RANGE
    return min(max(1 - (errors - item.errors) / units, low), high)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # an insertion touches what starts or ends at its point
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def item_suspects(reference: str, by_system: Mapping[str, SystemItem],
                  stats: ChangeStats) -> list[SuspectSpan]:
    """The spans of one item that at least two systems change alike, most suspicious first."""
    makers: dict[Change, list[str]] = {}
    for system, item in by_system.items():
        for change in item.changes:  # already canonical (see items_of)
            makers.setdefault(change, []).append(system)
    out: list[SuspectSpan] = []
    for change, who in makers.items():
        if len(who) < MIN_SYSTEMS:
            continue
        span = (change[0], change[1])
        n = stats.counts.get((reference[span[0]:span[1]], change[2]), 0)
        # How common the change is elsewhere: this item's own occurrences left out.
        q = min((max(n - len(who), 0) + 0.5) / (max(stats.total - len(who), 0) + 1.0), 1.0)
        x = math.log(PRIOR_ODDS)
        for system, item in by_system.items():
            acc = _accuracy_elsewhere(stats, system, item)
            weight = math.log(acc / ((1 - acc) * q))
            if system in who:
                x += weight
            elif not any(_overlaps(span, (s, e)) for s, e, _ in item.changes):
                x -= weight
        out.append(SuspectSpan(span, reference[span[0]:span[1]], change[2], tuple(who),
                               _logistic(x / SCALE)))
    out.sort(key=lambda s: (-s.score, s.ref_span))
    return out


def _logistic(x: float) -> float:
    if x < -700:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def items_of(rows_by_system: Mapping[str, Sequence[ScoredItem]],
             display: Callable[[str], str] = nfc, level: LevelRole = "main"
             ) -> dict[str, tuple[str, dict[str, SystemItem]]]:
    """Item id -> (displayed reference, {system: SystemItem}) from stored rows, item order;
    errors and units are those of the stored ``level``."""
    out: dict[str, tuple[str, dict[str, SystemItem]]] = {}
    for system, rows in rows_by_system.items():
        for row in rows:
            entry = out.get(row.item_id)
            if entry is None:
                entry = out[row.item_id] = (display(row.reference), {})
            reference = entry[0]
            changes: tuple[Change, ...] = ()
            spans: tuple[EditSpans, ...] = ()
            hyp = None if row.prediction is None else display(row.prediction)
            if row.counts.edits != "[]":
                spans = tuple((rs, re_, hs, he)
                              for _, rs, re_, hs, he, *_ in json.loads(row.counts.edits))
                changes = tuple(canonical(reference, (rs, re_, (hyp or "")[hs:he]))
                                for rs, re_, hs, he in spans)
            counted = row.counts.level(level)
            entry[1][system] = SystemItem(changes, counted.errors, counted.units, hyp, spans)
    return out


def shared(by_system: Mapping[str, SystemItem]) -> bool:
    """Whether two systems make one same change on the item (most items: no); an item
    without one scores 0."""
    seen: set[Change] = set()
    for item in by_system.values():
        for change in set(item.changes):
            if change in seen:
                return True
            seen.add(change)
    return False


def sequence_suspects(rows_by_system: Mapping[str, Sequence[ScoredItem]],
                      display: Callable[[str], str] = nfc,
                      level: LevelRole = "main") -> SuspicionScores:
    """Every item's score and suspect spans, from each system's stored alignment edits;
    a system's accuracy elsewhere is counted on the stored ``level``."""
    items = items_of(rows_by_system, display, level)
    return scored_items(items, change_stats(items.values()))


def scored_items(items: Mapping[str, tuple[str, Mapping[str, SystemItem]]],
                 stats: ChangeStats) -> SuspicionScores:
    """The scores, spans and notes of ``items`` (item id -> (displayed reference,
    {system: SystemItem})), given the corpus's ``stats`` (which may count more items)."""
    scores: dict[str, float] = {}
    spans: dict[str, list[SuspectSpan]] = {}
    for item_id, (reference, by_system) in items.items():
        found = item_suspects(reference, by_system, stats) if shared(by_system) else []
        scores[item_id] = found[0].score if found else 0.0
        if found:
            spans[item_id] = [in_words(s, reference, by_system) for s in found]
    notes = {k: describe(v[0]) for k, v in spans.items()}
    return SuspicionScores(scores, spans, notes)


def in_words(span: SuspectSpan, reference: str,
             by_system: Mapping[str, SystemItem]) -> SuspectSpan:
    """``span`` with the words of its explanation: the reference word(s) around it and
    what each system making the change wrote there."""
    start, end = span.ref_span
    change = (start, end, span.replacement)
    for system in span.systems:  # a system's own edit may sit where canonical() moved it from
        item = by_system[system]
        for k, made in enumerate(item.changes):
            if made == change and k < len(item.edits):
                start, end = min(start, item.edits[k][0]), max(end, item.edits[k][1])
    start, end = word_span(reference, start, end)
    written: dict[str, str] = {}
    for system in span.systems:
        item = by_system[system]
        hyp = item.prediction or ""
        hs, he = hyp_span(item.edits, hyp, start, end)
        written[system] = hyp[hs:he]
    voters = sum(1 for item in by_system.values() if item.prediction is not None)
    return replace(span, words=reference[start:end], readings=readings(written, span.systems),
                   voters=voters)


def describe(span: SuspectSpan) -> str:
    """One suspect span in words: ``'tunred' → 'turned': 2 of 2 systems (a, b)``; when the
    systems write different things, each reading with its systems:
    ``'rabbit' → 'so' (a), 'like' (b): 2 of 2 systems``."""
    words = quoted(span.words or span.ref_text)
    found = span.readings or ((span.replacement, span.systems),)
    voters = span.voters or len(span.systems)
    making = sum(len(who) for _, who in found)
    timing = f"; {span.timing}" if span.timing else ""
    if len(found) == 1:
        text, who = found[0]
        return (f"{words} → {quoted(text)}: {making} of {voters} systems ({', '.join(who)})"
                f"{timing}")
    each = ", ".join(f"{quoted(text)} ({', '.join(who)})" for text, who in found)
    return f"{words} → {each}: {making} of {voters} systems{timing}"


def sequence_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """The ``KindSpec.suspicion`` of sequence kinds (its result also carries ``spans``)."""
    return sequence_suspects(rows_by_system)
