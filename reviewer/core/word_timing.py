"""Timing evidence on a suspect asr word: does the time a system spent on it fit the word?

A recogniser that mishears a word that was said still spends that word's time on it: the
words it writes instead fill the stretch the reference word takes to say. When the
reference word was not said, the stretch holds what was said, so it fits the system's own
words when they are right. So a short *I* written in 0.10 s where the reference has
*rabbit* (a word of about 0.4 s for that speaker) points at the reference; *and* written
where the reference has *Down* says nothing, both words taking about as long.

Durations are predicted from letters: a word of ``L`` letters takes ``rate · exp(α + β·log
L)`` seconds, ``α`` and ``β`` fitted on the corpus's *matched* words (a system wrote the
reference word there, with times) and ``rate`` the item's speaking rate, the mean of its
matched words' log residuals, shrunk towards the corpus's (:data:`RATE_PRIOR` words). A
word before a pause (:data:`PAUSE` or more, or the item's end) is said longer, by a factor
``exp(γ)`` fitted with the rest; a time before a pause is divided by it before it is
weighed. The residuals' spread ``σ`` is a robust estimate on the same words.

A system's stretch fits the reference word only when its mistake is a word for a word; in
a stretch it garbles, the aligner pairs words with little regard to time, and the decoder
gave its own words their own time. So the evidence is measured on the system's
substitutions in the corpus, nearly all of them its own mistakes on words that were said:
``g`` is the share of them whose time does not fit the reference word (beyond
:data:`OUTLIER_SIGMAS` ``σ``), and ``σₕ`` how closely those fit the words written instead.
For a system writing ``h`` where the reference has ``r`` and spending ``T`` seconds on it,
with its local word accuracy ``a``:

    reference right:  (1 − g)·N(log T; log E(r), σ) + g·N(log T; log E(h), σₕ)
    reference wrong:  a·N(log T; log E(h), σ) + (1 − a)·B(T)

A word a system leaves out is weighed by the time between the words it wrote either side,
``T``. Had the word been said, that time holds it, unless the words either side took it
in (the share ``d`` of the system's deletions in the corpus whose time is under half the
word's); had it not, ``T`` is a pause between two words, ``P`` (the times between the
matched words that follow each other, log-normal):

    reference right:  (1 − d)·N(log T; log E(r), σ) + d·P(T)
    reference wrong:  P(T)

A word a system writes where the reference has none (a gap) is weighed by its own time
``T``. Had it been said, the time fits it; had it not, the system made it up, and how
the time of the words a system makes up fits them is measured on all the systems'
insertions in the corpus (nearly all made up): ``log T − log E(h)`` has mean ``μᵢ`` and
spread ``σᵢ`` there:

    reference right:  N(log T; log E(h) + μᵢ, σᵢ)
    reference wrong:  a·N(log T; log E(h), σ) + (1 − a)·B(T)

``B`` is how long words take at large (the corpus's log durations, shifted by the item's
rate): when the system is wrong too, the word said is unknown. The log ratio of the two
is the unit's timing term. The systems' times are one look at the same audio (and
recognisers sharing an acoustic model segment it alike), so a unit weighs the term of its
most accurate rejecting system only. A substitution of a word by one of about its length
(*Down* by *and*) fits both and weighs little either way; a time that fits only the word
written weighs about ``log(a / g)``.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

Timed = tuple[tuple[str, float, float], ...]  # one system's (word, start, end) on one item
WordTimes = Mapping[str, Mapping[str, Timed]]  # system -> item id -> its timed words
# A substituted stretch: (item id, reference words, written words, seconds)
Substituted = tuple[str, Sequence[str], Sequence[str], float]

PAUSE = 0.1  # seconds of silence after a word from which it is said before a pause
RATE_PRIOR = 3.0  # matched words of the corpus's rate an item's rate is shrunk towards
MIN_MATCHED = 20  # matched timed words the corpus needs before timing counts
MIN_DURATION = 0.01  # seconds: a word's time as written is at least this
OUTLIER_SIGMAS = 3.0
DIGIT_LETTERS = 4  # a digit is said as a word of about this many letters (*two*, *seven*)


@functools.lru_cache(maxsize=1 << 16)
def letters(word: str) -> int:
    """How many letters ``word`` takes to say (at least 1): its letters, and
    :data:`DIGIT_LETTERS` for each digit."""
    return max(1, sum(DIGIT_LETTERS if ch.isdigit() else ch.isalpha() for ch in word))


def _normal(x: float, mean: float, sd: float) -> float:
    return math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))


@dataclass(frozen=True, slots=True)
class DurationModel:
    """How long words take, fitted on a corpus's matched words (see the module docstring)."""

    alpha: float
    beta: float
    sigma: float  # spread of a matched word's log duration around its prediction
    spread: float  # spread of log durations of words at large (after the item's rate)
    typical: float  # their mean log duration (after the item's rate)
    rates: Mapping[str, float]  # item id -> log speaking rate (0: the corpus's)
    misfit: Mapping[str, float] = field(default_factory=dict)  # g per system
    misfit_spread: float = 0.5  # σₕ
    pause: tuple[float, float] = (math.log(MIN_DURATION), 1.0)  # P: mean and sd of log T
    absorbed: Mapping[str, float] = field(default_factory=dict)  # d per system
    made_up: tuple[float, float] = (0.0, 0.5)  # μᵢ and σᵢ
    lengthening: float = 0.0  # γ: log factor of a word before a pause

    def plain(self, seconds: float, final: bool) -> float:
        """``seconds`` taken before a pause (``final``) as if said without one."""
        return seconds * math.exp(-self.lengthening) if final else seconds

    def fitted(self, substituted: Mapping[str, Sequence[Substituted]],
               inserted: Sequence[tuple[str, Sequence[str], float]] = ()) -> DurationModel:
        """The model with each system's ``g`` and ``d`` and the corpus's ``σₕ`` measured on
        its ``substituted`` words (system -> ``(item id, reference words, written words,
        seconds)`` of each substitution and deletion), ``μᵢ`` and ``σᵢ`` on the ``inserted``
        ones (``(item id, written words, seconds)``)."""
        misfit = {}
        absorbed = {}
        fits: list[float] = []  # how the misfits fit the words written instead (log)
        for system, found in substituted.items():
            deleted = [(i, w, t) for i, w, written, t in found if not written]
            taken = sum(t < 0.5 * self.expected(w, i) for i, w, t in deleted)
            absorbed[system] = (taken + 1) / (len(deleted) + 2)
            far = 0
            for item_id, words, written, t in found:
                if not written:
                    continue
                seconds = math.log(max(t, MIN_DURATION))
                if abs(seconds - math.log(self.expected(words, item_id))) > (
                        OUTLIER_SIGMAS * self.sigma):
                    far += 1
                    fits.append(seconds - math.log(self.expected(written, item_id)))
            misfit[system] = (far + 1) / (len(found) - len(deleted) + 2)
        spread = (max(math.sqrt(statistics.fmean(f * f for f in fits)), self.sigma)
                  if len(fits) >= 2 else self.spread)
        made = [math.log(max(t, MIN_DURATION) / self.expected(written, item_id))
                for item_id, written, t in inserted]
        made_up = ((statistics.fmean(made), max(statistics.pstdev(made), self.sigma))
                   if len(made) >= 2 else (0.0, self.spread))
        return replace(self, misfit=misfit, misfit_spread=spread, absorbed=absorbed,
                       made_up=made_up)

    def gap_term(self, item_id: str, written: Sequence[str], seconds: float,
                 accuracy: float) -> float:
        """The log ratio, reference wrong to right, of a system writing ``written`` in
        ``seconds`` where the reference has no word; ``accuracy`` is the system's there."""
        t = math.log(max(seconds, MIN_DURATION))
        rate = self.rates.get(item_id, 0.0)
        fits = math.log(self.expected(written, item_id))
        broad = _normal(t, rate + self.typical + math.log(max(len(written), 1)), self.spread)
        wrong = accuracy * _normal(t, fits, self.sigma) + (1 - accuracy) * broad
        right = _normal(t, fits + self.made_up[0], self.made_up[1])
        return math.log(max(wrong, 1e-300) / max(right, 1e-300))

    def expected(self, words: Iterable[str], item_id: str) -> float:
        """Seconds the ``words`` take in item ``item_id``."""
        rate = self.rates.get(item_id, 0.0)
        return sum(math.exp(rate + self.alpha + self.beta * math.log(letters(w)))
                   for w in words)

    def term(self, system: str, item_id: str, reference: Sequence[str],
             written: Sequence[str], seconds: float, accuracy: float) -> float:
        """The log ratio, reference wrong to right, of ``system`` spending ``seconds`` on
        ``written`` where the reference has ``reference``; ``accuracy`` is the system's
        there."""
        t = math.log(max(seconds, MIN_DURATION))
        if not written:
            d = self.absorbed.get(system, 0.5)
            pause = _normal(t, *self.pause)
            said = _normal(t, math.log(self.expected(reference, item_id)), self.sigma)
            return math.log(max(pause, 1e-300) / max((1 - d) * said + d * pause, 1e-300))
        rate = self.rates.get(item_id, 0.0)
        broad = _normal(t, rate + self.typical + math.log(max(len(written), 1)), self.spread)
        g = self.misfit.get(system, 0.5)
        fits_written = math.log(self.expected(written, item_id))
        right = ((1 - g) * _normal(t, math.log(self.expected(reference, item_id)), self.sigma)
                 + g * _normal(t, fits_written, self.misfit_spread))
        wrong = (accuracy * _normal(t, fits_written, self.sigma) + (1 - accuracy) * broad)
        return math.log(max(wrong, 1e-300) / max(right, 1e-300))


def fit(matched: Mapping[str, Sequence[tuple[str, float, bool]]], pauses: Sequence[float] = ()
        ) -> DurationModel | None:
    """The duration model of ``matched`` (item id -> its matched words' ``(word, seconds,
    before a pause)``) and the ``pauses`` between matched words that follow each other
    (seconds); None with fewer than :data:`MIN_MATCHED` words."""
    ids = [item_id for item_id, words in matched.items() for _ in words]
    if len(ids) < MIN_MATCHED:
        return None
    x = np.log([letters(w) for words in matched.values() for w, _, _ in words])
    y = np.log(np.maximum([d for words in matched.values() for _, d, _ in words],
                          MIN_DURATION))
    final = np.array([f for words in matched.values() for _, _, f in words], dtype=bool)
    names, item = np.unique(ids, return_inverse=True)
    counts = np.bincount(item, minlength=len(names)) + RATE_PRIOR
    rate = np.zeros(len(names))
    alpha = beta = gamma = 0.0
    for _ in range(3):  # curve, lengthening and the items' rates, each given the others
        beta, alpha = _line(x, y - rate[item] - gamma * final)
        before = (y - rate[item] - alpha - beta * x)[final]
        gamma = max(float(before.sum()) / (len(before) + RATE_PRIOR), 0.0)
        rate = np.bincount(item, y - alpha - beta * x - gamma * final,
                           minlength=len(names)) / counts
    normalised = y - gamma * final - rate[item]
    residuals = normalised - alpha - beta * x
    centre = float(np.median(residuals))
    sigma = max(1.4826 * float(np.median(np.abs(residuals - centre))), 0.05)
    logs = np.log(np.maximum(np.asarray(pauses, dtype=float), MIN_DURATION))
    pause = ((float(logs.mean()), max(float(logs.std()), sigma)) if len(logs) >= 2
             else (math.log(MIN_DURATION), 1.0))
    return DurationModel(alpha, beta, sigma, max(float(normalised.std()), sigma),
                         float(normalised.mean()), dict(zip(names.tolist(), rate.tolist(),
                                                            strict=True)),
                         pause=pause, lengthening=gamma)


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept (slope 0 when every x is the same)."""
    mx, my = float(x.mean()), float(y.mean())
    sxx = float(((x - mx) ** 2).sum())
    slope = float(((x - mx) * (y - my)).sum()) / sxx if sxx else 0.0
    return slope, my - slope * mx


def aligned_times(words: Sequence[tuple[int, int]], timed: Timed | None
                  ) -> tuple[tuple[float, float], ...] | None:
    """Each of a prediction's ``words`` (character spans) with its ``(start, end)``: the
    readers keep one timed word per word of the prediction, in order, so the two pair up
    when their numbers agree (else None: the times are not used)."""
    if not timed or len(timed) != len(words):
        return None
    return tuple((start, max(end, start)) for _, start, end in timed)


def describe_timing(system: str, written: str, seconds: float, reference: str,
                    expected: float) -> str:
    """The timing evidence in words: ``sphinx-alice's 'i' lasts 0.10 s, 'rabbit' would take
    about 0.41 s``."""
    if not reference:
        return (f"{system}'s {written!r} lasts {seconds:.2f} s, as long as it takes to say "
                f"(about {expected:.2f} s)")
    if not written:
        return (f"{system} hears {seconds:.2f} s between the words around it, {reference!r} "
                f"would take about {expected:.2f} s")
    return (f"{system}'s {written!r} lasts {seconds:.2f} s, {reference!r} would take about "
            f"{expected:.2f} s")
