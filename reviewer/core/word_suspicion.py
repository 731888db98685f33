"""Suspicion of asr references, word by word: systems rejecting a word they hear well around.

A recogniser fails in bursts: a noisy stretch, a voice it does not know, the end of an
utterance it drops. A system garbling the whole utterance says little about any one word;
a system that hears the words around a reference word right and still writes something
else there says a lot. So each reference word, and each gap between two words (where the
reference may miss one), is a unit weighed on its own. A unit at least
:data:`~reviewer.core.suspicion.MIN_SYSTEMS` systems reject (substitute or delete the word,
insert in the gap) gets the log-odds

    x = log(PRIOR_ODDS) + Σ vote + agreement

    a system keeping it:     log(WRONG_KEPT / a)
    a system rejecting it:   log((1 − WRONG_KEPT) / (1 − a)) + log(alike)

``a`` is the system's word accuracy on the :data:`WINDOW` words either side, shrunk
towards its accuracy on the rest of the utterance, itself shrunk towards its accuracy on
the whole corpus (priors of :data:`ITEM_PRIOR` and :data:`CORPUS_PRIOR` words). A system
without a transcript of the item abstains, and so does, on a gap, a system that inserts
nothing there but changes a word beside it: a word it heard in the gap may be inside that
change (*moment tell you* heard as *moment I do*: the aligner pairs *I* with *tell*), so
its not inserting says nothing about the gap.

``alike`` weighs what a system wrote for a word. A recogniser mishearing a word that was
said mostly writes a word like it (*set* → *sent*, *fallen* → *fall*), or one it writes
for that word elsewhere too; when another word was said, what it writes is as unlike the
reference word as any two words are. With ``π`` the share of alike readings among the
system's substitutions in the corpus and ``ν`` their share among reference and system
words paired at random, ``alike`` is ``ν/π`` for an alike reading and ``(1 − ν)/(1 − π)``
for another (a deletion is another). Gaps have no ``alike`` term.

``agreement`` weighs whether two rejecting systems write the same thing there (their
readings, with what they insert just before the word, share a word). Had another word been
said, the two most accurate of them would both write it with probability ``h = a₁·a₂``;
had the reference word been said, they agree by chance at the corpus's rate ``c`` (the
share of agreeing units among all units several systems reject, which is high for systems
that fail alike). So agreeing adds ``log((h + (1 − h)·c) / c)`` and disagreeing
``log(1 − h)``.

With the systems' word times (ctm, NLP), ``x`` also gets the timing term of
:mod:`reviewer.core.word_timing`: whether the time the most accurate rejecting system
spent there fits the reference word or what it wrote (a word left out: no time at all; a
gap: the time of the word inserted).

With the items' audio (the ``acoustic`` extra), ``x`` also gets the acoustic term of
:mod:`reviewer.core.acoustic_evidence`: whether the audio, force-aligned, fits the reference
or the most accurate rejecting system's reading there better, calibrated on how the
corpus's units fit.

An item's score is its strongest unit's ``1 / (1 + exp(−x))`` (0 without one).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from reviewer.core.acoustic_evidence import (
    AcousticFits,
    AcousticModel,
    calibrate,
    describe_fit,
    measure,
)
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.suspect_words import EditSpans, readings, word_span
from reviewer.core.suspicion import (
    MIN_SYSTEMS,
    Change,
    SuspectSpan,
    SuspicionScores,
    canonical,
    describe,
)
from reviewer.core.tokenize import nfc
from reviewer.core.word_timing import (
    PAUSE,
    DurationModel,
    Substituted,
    Timed,
    WordTimes,
    aligned_times,
    describe_timing,
    fit,
)

PRIOR_ODDS = 1e-2  # a reference word being wrong, before any system is heard
WRONG_KEPT = 0.05  # a system writing the reference word although another was said
WINDOW = 3  # words either side that tell how well a system hears there
ITEM_PRIOR = 4.0  # words of the item's accuracy the window's accuracy is shrunk towards
CORPUS_PRIOR = 4.0  # words of the corpus accuracy the item's accuracy is shrunk towards
ALIKE = 0.5  # normalised edit similarity from which a reading is like the reference word
TIMING_NOTED = 1.0  # a timing term from which the explanation names it (log-odds)
_ACCURACY_RANGE = (0.05, 0.995)
_PAIRS = 20_000  # substitutions sampled to measure how alike readings are
_WORD = re.compile(r"\S*\w\S*")  # a whitespace-separated word with a letter or digit
_NOT_SPELLED = re.compile(r"[^\w']+")


@dataclass(frozen=True, slots=True)
class _Reading:
    """One system's transcript of one item, as the word model needs it."""

    hyp: str
    edits: tuple[EditSpans, ...]
    rejected: tuple[bool, ...]  # per reference word: an edit changes it
    inserted: tuple[bool, ...]  # per gap (before word k; the last after the last word)
    words: tuple[tuple[int, int], ...] = ()  # spans of the prediction's words
    times: tuple[tuple[float, float], ...] | None = None  # each word's (start, end), if known


@dataclass(frozen=True, slots=True)
class _Item:
    item_id: str
    reference: str
    words: tuple[tuple[int, int], ...]  # spans of the reference words
    by_system: dict[str, _Reading]
    substitutions: list[tuple[str, str]]  # every system's (reference, written) pairs here


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit several systems reject, scored but for the agreement term."""

    span: SuspectSpan  # its ``score`` holds the log-odds without the agreement term
    agree: bool  # two rejecting systems write the same word there
    both_right: float  # h: the two most accurate rejecting systems both write what was said
    # (accuracy, d, what it wrote) per rejecting system whose reading the audio measured
    measured: tuple[tuple[float, float, str], ...] = ()

    def scored(self, chance: float, acoustic: AcousticModel | None = None) -> SuspectSpan:
        """The span with its score, given the corpus's chance agreement ``chance`` and its
        acoustic model (the acoustic term of the most accurate measured system)."""
        h = self.both_right
        term = (math.log((h + (1 - h) * chance) / chance) if self.agree
                else math.log(max(1 - h, 1e-9)))
        span = self.span
        if acoustic is not None and self.measured:
            a, gain, written = max(self.measured, key=lambda m: m[0])
            term += acoustic.term(gain, a)
            note = describe_fit(span.ref_text, written, gain)
            span = replace(span, timing=f"{span.timing}; {note}" if span.timing else note)
        return replace(span, score=_logistic(span.score + term))


def spelled(text: str) -> str:
    """Words as compared: case folded, only letters, digits and apostrophes."""
    return _NOT_SPELLED.sub(" ", text.casefold()).strip()


def alike(a: str, b: str) -> bool:
    """Whether reading ``b`` is like reference word ``a``: a normalised edit similarity of
    at least :data:`ALIKE`, or one the start of the other (an ending heard or lost:
    *fall* / *fallen*, *I* / *I'll*)."""
    a, b = spelled(a), spelled(b)
    if a and b and (a.startswith(b) or b.startswith(a)):
        return True
    return Levenshtein.normalized_similarity(a, b) >= ALIKE


def word_suspects(rows_by_system: Mapping[str, Sequence[ScoredItem]],
                  times: WordTimes | None = None,
                  acoustic: AcousticFits | None = None) -> SuspicionScores:
    """Every item's score, suspect words and explanation (the asr ``suspicion``);
    ``times``, the systems' word times where they have them, add the timing evidence of
    :mod:`reviewer.core.word_timing` on substituted words; ``acoustic``, texts aligned to
    the items' audio, the acoustic evidence of :mod:`reviewer.core.acoustic_evidence`."""
    items, accuracy, substitutions = _collect(rows_by_system, times or {})
    channel = _Channel(substitutions)
    durations = fit(*_matched(items)) if times else None
    if durations is not None:
        durations = durations.fitted(_substituted(items, durations),
                                     _inserted(items, durations))
    units = {item_id: _item_units(item, accuracy, channel, durations, acoustic)
             for item_id, item in items.items()}
    agreeing = [u.agree for found in units.values() for u in found]
    chance = _share(agreeing)
    fitted = calibrate([gain for found in units.values() for u in found
                        for _, gain, _ in u.measured])
    scores: dict[str, float] = {}
    spans: dict[str, list[SuspectSpan]] = {}
    for item_id, found_units in units.items():
        found = sorted((u.scored(chance, fitted) for u in found_units),
                       key=lambda s: (-s.score, s.ref_span))
        scores[item_id] = found[0].score if found else 0.0
        if found:
            spans[item_id] = found
    return SuspicionScores(scores, spans, {k: describe(v[0]) for k, v in spans.items()})


class _Channel:
    """What a system writes when it mishears a word that was said: how often it is alike
    (``π`` per system), how often unrelated words are (``ν``), and the confusions the
    systems make across the corpus."""

    def __init__(self, substitutions: Mapping[str, list[tuple[str, str]]]) -> None:
        self.pi = {s: _share(alike(r, h) for r, h in _sample(pairs))
                   for s, pairs in substitutions.items()}
        everything = _sample([p for pairs in substitutions.values() for p in pairs])
        self.nu = (_share(alike(r, everything[(k + 1) % len(everything)][1])
                          for k, (r, _) in enumerate(everything))
                   if len(everything) > 1 else 0.5)
        self._substitutions = substitutions
        self._confusions: Counter[tuple[str, str]] | None = None

    def ratio(self, system: str, ref_word: str, written: str, item: _Item) -> float:
        """``alike`` of the module docstring."""
        p = self.pi.get(system, 0.5)
        heard = alike(ref_word, written) or self._known(ref_word, written, item)
        return self.nu / p if heard else (1 - self.nu) / (1 - p)

    def _known(self, ref_word: str, written: str, item: _Item) -> bool:
        """Whether some system writes ``written`` for ``ref_word`` in another item."""
        if self._confusions is None:
            self._confusions = Counter((spelled(r), spelled(h))
                                       for pairs in self._substitutions.values()
                                       for r, h in pairs)
        pair = (spelled(ref_word), spelled(written))
        here = sum(1 for r, h in item.substitutions if (spelled(r), spelled(h)) == pair)
        return self._confusions[pair] > here


def _sample(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """At most :data:`_PAIRS` of ``pairs``, evenly spread."""
    if len(pairs) <= _PAIRS:
        return pairs
    step = len(pairs) / _PAIRS
    return [pairs[int(k * step)] for k in range(_PAIRS)]


def _share(flags: Iterable[bool]) -> float:
    """The share of true flags, smoothed (one pseudo-count each way)."""
    values = list(flags)
    return (sum(values) + 1) / (len(values) + 2)


def _collect(rows_by_system: Mapping[str, Sequence[ScoredItem]], times: WordTimes
             ) -> tuple[dict[str, _Item], dict[str, float], dict[str, list[tuple[str, str]]]]:
    """Items in order, each system's corpus word accuracy and its substitutions."""
    items: dict[str, _Item] = {}
    totals: dict[str, list[int]] = {}
    substitutions: dict[str, list[tuple[str, str]]] = {}
    for system, rows in rows_by_system.items():
        total = totals.setdefault(system, [0, 0])
        pairs = substitutions.setdefault(system, [])
        timed = times.get(system, {})
        for row in rows:
            item = items.get(row.item_id)
            if item is None:
                reference = nfc(row.reference)
                words = tuple(m.span() for m in _WORD.finditer(reference))
                item = items[row.item_id] = _Item(row.item_id, reference, words, {}, [])
            total[0] += row.counts.main_errors
            total[1] += row.counts.main_units
            if row.prediction is None:
                continue
            hyp = nfc(row.prediction)
            edits = tuple((rs, re_, hs, he)
                          for _, rs, re_, hs, he, *_ in json.loads(row.counts.edits))
            found = [(item.reference[rs:re_], hyp[hs:he]) for rs, re_, hs, he in edits
                     if rs < re_ and hs < he]
            pairs += found
            item.substitutions.extend(found)
            item.by_system[system] = _reading(item, hyp, edits, timed.get(row.item_id))
    low, high = _ACCURACY_RANGE
    accuracy = {s: min(max(1 - e / u, low), high) if u else 0.9 for s, (e, u) in totals.items()}
    return items, accuracy, substitutions


def _reading(item: _Item, hyp: str, edits: tuple[EditSpans, ...],
             timed: Timed | None = None) -> _Reading:
    rejected = [False] * len(item.words)
    inserted = [False] * (len(item.words) + 1)
    ends = [we for _, we in item.words]
    for rs, re_, _, _ in edits:
        k = _first_ending_after(ends, rs)
        if rs == re_:  # an insertion: the gap before the first word ending after it
            inserted[k] = True
            continue
        while k < len(item.words) and item.words[k][0] < re_:
            rejected[k] = True
            k += 1
    words = tuple(m.span() for m in _WORD.finditer(hyp))
    return _Reading(hyp, edits, tuple(rejected), tuple(inserted), words,
                    aligned_times(words, timed))


def _before_pause(reading: _Reading, k: int) -> bool:
    """Whether the system's word ``k`` is the last or followed by a pause."""
    assert reading.times is not None
    return k + 1 >= len(reading.times) or reading.times[k + 1][0] - reading.times[k][1] >= PAUSE


def _matched(items: Mapping[str, _Item]
             ) -> tuple[dict[str, list[tuple[str, float, bool]]], list[float]]:
    """Item id -> the timed words a system wrote as the reference has them (no edit
    touches them), with their durations, and the pauses between two such words that follow
    each other with no edit between them: what the duration model is fitted on."""
    out: dict[str, list[tuple[str, float, bool]]] = {}
    pauses: list[float] = []
    for item_id, item in items.items():
        found = out.setdefault(item_id, [])
        for reading in item.by_system.values():
            if reading.times is None:
                continue
            touched, broken = _edited_words(reading)
            last: float | None = None  # the previous matched word's end, none between
            for k, ((ws, we), (start, end)) in enumerate(zip(reading.words, reading.times,
                                                             strict=True)):
                if touched[k]:
                    last = None
                    continue
                found.append((reading.hyp[ws:we], end - start, _before_pause(reading, k)))
                if last is not None and not broken[k]:
                    pauses.append(max(start - last, 0.0))
                last = end
    return out, pauses


def _edited_words(reading: _Reading) -> tuple[list[bool], list[bool]]:
    """Per word of the prediction: whether an edit changes it, and whether an edit sits
    between it and the word before."""
    starts = [ws for ws, _ in reading.words]
    ends = [we for _, we in reading.words]
    touched = [False] * len(starts)
    broken = [False] * len(starts)
    for _, _, hs, he in reading.edits:
        if hs < he:
            for k in range(bisect.bisect_right(ends, hs), bisect.bisect_left(starts, he)):
                touched[k] = True
        k = bisect.bisect_left(starts, hs)
        if k < len(broken):
            broken[k] = True
    return touched, broken


def _first_ending_after(ends: list[int], pos: int) -> int:
    return bisect.bisect_right(ends, pos)


def _local_accuracy(reading: _Reading, unit: int, gap: bool, corpus: float) -> float:
    """The system's accuracy around word ``unit`` (or the gap before it), see the docstring."""
    n = len(reading.rejected)
    if gap:
        near = range(max(0, unit - WINDOW), min(n, unit + WINDOW))
        own_words: set[int] = set()
        own_gaps = {unit}
    else:
        near = range(max(0, unit - WINDOW), min(n, unit + WINDOW + 1))
        own_words = {unit}
        own_gaps = {unit, unit + 1}

    def errors(words: range) -> tuple[int, int]:
        ws = [k for k in words if k not in own_words]
        wrong = sum(reading.rejected[k] for k in ws)
        wrong += sum(reading.inserted[k] for k in ws if k not in own_gaps)
        return min(wrong, len(ws)), len(ws)

    wrong_all, n_all = errors(range(n))
    item = (n_all - wrong_all + CORPUS_PRIOR * corpus) / (n_all + CORPUS_PRIOR)
    wrong_near, n_near = errors(near)
    local = (n_near - wrong_near + ITEM_PRIOR * item) / (n_near + ITEM_PRIOR)
    low, high = _ACCURACY_RANGE
    return min(max(local, low), high)


def _substituted(items: Mapping[str, _Item], durations: DurationModel
                 ) -> dict[str, list[Substituted]]:
    """System -> ``(item id, reference words, written words, seconds)`` of each word it
    substitutes."""
    out: dict[str, list[Substituted]] = {}
    for item_id, item in items.items():
        for system, reading in item.by_system.items():
            found = out.setdefault(system, [])
            for edit in reading.edits:
                stretch = _stretch(item, reading, [edit])
                if stretch is not None:
                    reference, written, seconds, final = stretch
                    found.append((item_id, reference, written,
                                  durations.plain(seconds, final)))
    return out


def _inserted(items: Mapping[str, _Item], durations: DurationModel
              ) -> list[tuple[str, list[str], float]]:
    """``(item id, written words, seconds)`` of each stretch a system inserts."""
    out: list[tuple[str, list[str], float]] = []
    for item_id, item in items.items():
        for reading in item.by_system.values():
            for edit in reading.edits:
                if edit[0] == edit[1]:
                    found = _inserted_words(reading, [edit])
                    if found is not None:
                        out.append((item_id, found[0], durations.plain(found[1], found[2])))
    return out


def _overlapping(words: Sequence[tuple[int, int]], start: int, end: int) -> range:
    """The indices of the ``words`` (spans in order) overlapping ``start:end``."""
    return range(bisect.bisect_right(words, start, key=lambda w: w[1]),
                 bisect.bisect_left(words, end, key=lambda w: w[0]))


def _inserted_words(reading: _Reading, edits: Sequence[EditSpans]
                    ) -> tuple[list[str], float, bool] | None:
    """The words ``edits`` insert, the seconds they take and whether a pause follows
    (None: no times or words)."""
    if reading.times is None or not edits:
        return None
    hs, he = min(e[2] for e in edits), max(e[3] for e in edits)
    said = _overlapping(reading.words, hs, he)
    if not said:
        return None
    written = [reading.hyp[slice(*reading.words[k])] for k in said]
    return (written, reading.times[said[-1]][1] - reading.times[said[0]][0],
            _before_pause(reading, said[-1]))


def _stretch(item: _Item, reading: _Reading, edits: Sequence[EditSpans]
             ) -> tuple[list[str], list[str], float, bool] | None:
    """The reference words ``edits`` change, the words written for them, the seconds those
    take and whether a pause follows (None: no times, or no reference word)."""
    if reading.times is None:
        return None
    rs, re_ = min(e[0] for e in edits), max(e[1] for e in edits)
    hs, he = min(e[2] for e in edits), max(e[3] for e in edits)
    said = _overlapping(reading.words, hs, he)
    reference = [item.reference[slice(*item.words[k])]
                 for k in _overlapping(item.words, rs, re_)]
    if not reference:
        return None
    if not said:  # left out: the time between the words written either side
        before = bisect.bisect_right(reading.words, hs, key=lambda w: w[1]) - 1
        after = bisect.bisect_left(reading.words, he, key=lambda w: w[0])
        if before < 0 or after >= len(reading.words):
            return None
        return reference, [], reading.times[after][0] - reading.times[before][1], False
    written = [reading.hyp[slice(*reading.words[k])] for k in said]
    return (reference, written, reading.times[said[-1]][1] - reading.times[said[0]][0],
            _before_pause(reading, said[-1]))


def _item_units(item: _Item, accuracy: Mapping[str, float], channel: _Channel,
                durations: DurationModel | None = None,
                acoustic: AcousticFits | None = None) -> list[_Unit]:
    """The units of ``item`` several systems reject."""
    by_system = item.by_system.values()
    if len(by_system) < MIN_SYSTEMS:
        return []
    # Most items have no unit that two systems reject: find those that do first.
    words = zip(*(r.rejected for r in by_system), strict=True)
    gaps = zip(*(r.inserted for r in by_system), strict=True)
    units = [(k, False) for k, flags in enumerate(words) if sum(flags) >= MIN_SYSTEMS]
    units += [(k, True) for k, flags in enumerate(gaps) if sum(flags) >= MIN_SYSTEMS]
    return [_unit(item, unit, gap, accuracy, channel, durations, acoustic)
            for unit, gap in units]


def _unit(item: _Item, unit: int, gap: bool, accuracy: Mapping[str, float],
          channel: _Channel, durations: DurationModel | None = None,
          acoustic: AcousticFits | None = None) -> _Unit:
    """The votes on one word (or gap) several systems reject, and its explanation."""
    start, end = _unit_span(item, unit, gap)
    ref_word = item.reference[start:end]
    shown = word_span(item.reference, *_gap_words(item, unit) if gap else (start, end))
    written: dict[str, str] = {}
    hearing: list[float] = []
    # (accuracy, term, the evidence in words) per rejecting system with word times
    timing: list[tuple[float, float, str]] = []
    measured: list[tuple[float, float, str]] = []
    x = math.log(PRIOR_ODDS)
    for system, reading in item.by_system.items():
        if gap and not reading.inserted[unit] and _changes_beside(reading, unit):
            continue
        a = _local_accuracy(reading, unit, gap, accuracy[system])
        if not (reading.inserted if gap else reading.rejected)[unit]:
            x += math.log(WRONG_KEPT / a)
            continue
        x += math.log((1 - WRONG_KEPT) / (1 - a))
        hearing.append(a)
        edits = _edits_at(item, reading, unit, gap)
        written[system] = _written(reading, edits)
        if not gap:
            x += math.log(channel.ratio(system, ref_word, _written(reading, [
                e for e in edits if e[0] < e[1]]), item))
        found_timing = _timing(item, system, reading, edits, a, durations, gap)
        if found_timing is not None:
            timing.append((a, *found_timing))
        fit = (None if acoustic is None else
               measure(acoustic, item.item_id, item.reference, _applied(item, reading, edits)))
        if fit is not None:
            measured.append((a, fit.gain, written[system]))
    # The systems' times are one look at the same audio (and recognisers sharing a model
    # segment it alike): the most accurate rejecting system's stretch is the one weighed.
    timed = max(timing, key=lambda t: t[0]) if timing else None
    if timed is not None:
        x += timed[1]
    rejecting = list(written)
    heard = [set(spelled(w).split()) for w in written.values()]
    agree = any(heard[i] & heard[j] for i in range(len(heard)) for j in range(i + 1, len(heard)))
    best = sorted(hearing)[-2:]
    found = readings(written, rejecting)
    span = SuspectSpan((start, end), ref_word, found[0][0], tuple(rejecting), x,
                       words=item.reference[shown[0]:shown[1]], readings=found,
                       voters=len(item.by_system), marks=_marks(item, rejecting, unit, gap),
                       timing=timed[2] if timed is not None and timed[1] >= TIMING_NOTED
                       else "")
    return _Unit(span, agree, best[0] * best[1], tuple(measured))


def _applied(item: _Item, reading: _Reading, edits: Sequence[EditSpans]) -> str:
    """The reference with ``edits`` (one system's, at one unit) made: the reading that
    differs from the reference at that unit alone."""
    out: list[str] = []
    pos = 0
    hyp, ref = reading.hyp, item.reference
    for rs, re_, hs, he in sorted(edits):
        # The edits leave out the spaces around what they write: keep the system's own.
        kept = ref[pos:max(rs, pos)]
        before = (" " if hs > 0 and hyp[hs - 1].isspace()
                  and not (kept or ref[:pos])[-1:].isspace() else "")
        after = (" " if he < len(hyp) and hyp[he].isspace()
                 and not ref[re_:re_ + 1].isspace() else "")
        out += [kept, before, hyp[hs:he], after]
        pos = max(re_, pos)
    out.append(item.reference[pos:])
    return "".join(out)


def _timing(item: _Item, system: str, reading: _Reading, edits: Sequence[EditSpans],
            accuracy: float, durations: DurationModel | None, gap: bool = False
            ) -> tuple[float, str] | None:
    """The timing term of ``system`` rewriting a word (or inserting in a gap) with
    ``edits`` and its explanation (None: no times, or no time to weigh)."""
    if durations is not None and gap:
        inserted = _inserted_words(reading, [e for e in edits if e[0] == e[1]])
        if inserted is None:
            return None
        written, seconds, final = inserted
        plain = durations.plain(seconds, final)
        term = durations.gap_term(item.item_id, written, plain, accuracy)
        return term, describe_timing(system, " ".join(written), seconds, "",
                                     durations.expected(written, item.item_id) * seconds
                                     / max(plain, 1e-9))
    stretch = None if durations is None else _stretch(item, reading, edits)
    if durations is None or stretch is None:
        return None
    reference, written, seconds, final = stretch
    plain = durations.plain(seconds, final)
    term = durations.term(system, item.item_id, reference, written, plain, accuracy)
    # The word's time as said here: before a pause, as long as the pause makes it.
    note = describe_timing(system, " ".join(written), seconds, " ".join(reference),
                           durations.expected(reference, item.item_id) * seconds
                           / max(plain, 1e-9))
    return term, note


def _changes_beside(reading: _Reading, gap: int) -> bool:
    """Whether the system changes the word before or after the gap before word ``gap``."""
    return any(reading.rejected[k] for k in (gap - 1, gap) if 0 <= k < len(reading.rejected))


def _edits_at(item: _Item, reading: _Reading, unit: int, gap: bool) -> list[EditSpans]:
    """The system's edits inserting in the gap before word ``unit`` and, for a word,
    changing it."""
    ends = [we for _, we in item.words]
    found = [e for e in reading.edits if e[0] == e[1] and _first_ending_after(ends, e[0]) == unit]
    if not gap:
        ws, we = item.words[unit]
        found += [e for e in reading.edits if e[0] < e[1] and e[0] < we and ws < e[1]]
    return sorted(found)


def _written(reading: _Reading, edits: Sequence[EditSpans]) -> str:
    """What the system wrote in ``edits``: whole words (normalisation makes the text
    between edits differ from the reference's, so offsets are not carried across it)."""
    if not edits:
        return ""
    start, end = min(e[2] for e in edits), max(e[3] for e in edits)
    if start == end:
        return ""
    return reading.hyp[slice(*word_span(reading.hyp, start, end))]


def _unit_span(item: _Item, unit: int, gap: bool) -> tuple[int, int]:
    if not gap:
        return item.words[unit]
    pos = item.words[unit][0] if unit < len(item.words) else len(item.reference)
    return pos, pos


def _gap_words(item: _Item, unit: int) -> tuple[int, int]:
    """The words either side of the gap before word ``unit``."""
    start = item.words[unit - 1][0] if unit > 0 else _unit_span(item, unit, True)[0]
    end = item.words[unit][1] if unit < len(item.words) else len(item.reference)
    return start, end


def _marks(item: _Item, systems: Sequence[str], unit: int, gap: bool) -> tuple[Change, ...]:
    """The rejecting systems' edits at the unit, as the alignment view finds them."""
    out: list[Change] = []
    for system in systems:
        reading = item.by_system[system]
        for rs, re_, hs, he in _edits_at(item, reading, unit, gap):
            change = canonical(item.reference, (rs, re_, reading.hyp[hs:he]))
            if change not in out:
                out.append(change)
    return tuple(out)


def _logistic(x: float) -> float:
    if x < -700:
        return 0.0
    if x > 700:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))
