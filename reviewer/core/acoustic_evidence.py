"""Acoustic evidence on a suspect asr word: does the audio fit the reference or a system's reading?

An acoustic model force-aligned to an utterance scores how well a text fits its audio. For
a unit several systems reject, the reference is aligned once and, per rejecting system,
the *reading*: the reference with only that system's edits at the unit applied, so the two
texts differ at the unit alone and the difference of their alignment scores, ``D``, is the
acoustic log likelihood ratio of the two words there. Divided by the frames the changed
words take, it is ``d``, the fit gained per frame by reading the system's words.

Most units several systems reject are the systems' own mistakes on words that were said:
there the reference is the right text and ``d`` is negative. How negative is measured on
the corpus: the median ``μ`` and robust spread ``σ`` of ``d`` over every rejecting system
of every unit. Had the reference been wrong and the system right, the two texts swap
roles, so ``d`` would centre on ``−μ``; had both been wrong, neither text is what was said
and ``d`` centres on 0. With ``a`` the system's local word accuracy:

    reference right:  N(d; μ, σ)
    reference wrong:  a·N(d; −μ, σ) + (1 − a)·N(d; 0, σ)

The log ratio of the two is the unit's acoustic term. The systems' readings are looks at
the same audio through one acoustic model, so a unit weighs the term of its most accurate
rejecting system that has one. Without :data:`MIN_UNITS` measured units, or when the
corpus's systems fit no worse than its references (``μ ≥ 0``: the model does not tell them
apart), there is no term.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIN_UNITS = 20  # measured (unit, system) pairs the corpus needs before the term counts
MIN_SPREAD = 0.05  # per-frame score units: the spread is at least this
FRAMES_PER_SECOND = 100
_NOT_SAID = re.compile(r"[^\w']+")


def words_said(text: str) -> list[str]:
    """The words of ``text`` as an aligner reads them: case folded, split at anything but
    letters, digits and apostrophes (the formats layer and this module count alike)."""
    return [w.strip("'") for w in _NOT_SAID.sub(" ", text.casefold()).split() if w.strip("'")]


@dataclass(frozen=True, slots=True)
class AlignedFit:
    """A text force-aligned to an item's audio: the total score (log likelihood, the
    aligner's units, higher fits better) and each word of :func:`words_said` with its
    first frame and number of frames (silences left out)."""

    score: float
    words: tuple[tuple[str, int, int], ...]


# (item id, text) -> the text aligned to the item's audio, or None (no audio, a word the
# aligner cannot say, unreadable audio)
AcousticFits = Callable[[str, str], AlignedFit | None]


@dataclass(frozen=True, slots=True)
class Measured:
    """One rejecting system's reading of a unit against the reference."""

    gain: float  # d: score per frame the reading gains over the reference
    frames: int


def measure(fits: AcousticFits, item_id: str, reference: str, reading: str
            ) -> Measured | None:
    """``d`` of ``reading`` (the reference with one system's edits at a unit applied)
    against ``reference`` (None: either text cannot be aligned, or they say the same)."""
    said, new = words_said(reference), words_said(reading)
    before = 0
    while before < min(len(said), len(new)) and said[before] == new[before]:
        before += 1
    after = 0
    while (after < min(len(said), len(new)) - before
           and said[len(said) - 1 - after] == new[len(new) - 1 - after]):
        after += 1
    if before + after == len(said) == len(new):
        return None
    ref_fit = fits(item_id, reference)
    new_fit = fits(item_id, reading)
    if ref_fit is None or new_fit is None:
        return None
    frames = max(_frames(ref_fit, before, after), _frames(new_fit, before, after), 1)
    return Measured((new_fit.score - ref_fit.score) / frames, frames)


def _frames(fit: AlignedFit, before: int, after: int) -> int:
    """Frames from the first changed word's start to the last one's end (0: none)."""
    middle = fit.words[before:len(fit.words) - after]
    if not middle:
        return 0
    first, last = middle[0], middle[-1]
    return last[1] + last[2] - first[1]


@dataclass(frozen=True, slots=True)
class AcousticModel:
    """``μ`` and ``σ`` of the module docstring, measured on a corpus."""

    centre: float
    spread: float

    def term(self, gain: float, accuracy: float) -> float:
        """The log ratio, reference wrong to right, of a reading gaining ``gain`` a frame
        from a system of local word accuracy ``accuracy``."""
        mu, sd = self.centre, self.spread
        right = _normal(gain, mu, sd)
        wrong = accuracy * _normal(gain, -mu, sd) + (1 - accuracy) * _normal(gain, 0.0, sd)
        return math.log(max(wrong, 1e-300) / max(right, 1e-300))


def calibrate(gains: Sequence[float]) -> AcousticModel | None:
    """The model of the corpus's measured ``gains`` (None: too few, or no separation)."""
    if len(gains) < MIN_UNITS:
        return None
    centre = statistics.median(gains)
    spread = 1.4826 * statistics.median(abs(g - centre) for g in gains)
    if centre >= 0:
        return None
    return AcousticModel(centre, max(spread, MIN_SPREAD))


def describe_fit(reference: str, written: str, gain: float) -> str:
    """The acoustic evidence in words: ``the audio fits 'i' better than 'rabbit' (by 1.21 a
    frame)``."""
    shown_ref = repr(reference) if reference else "no word there"
    shown_written = repr(written) if written else "no word there"
    if gain > 0:
        return f"the audio fits {shown_written} better than {shown_ref} (by {gain:.2f} a frame)"
    return (f"the audio fits {shown_ref} at least as well as {shown_written} "
            f"(by {-gain:.2f} a frame)")


def _normal(x: float, mean: float, sd: float) -> float:
    return math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
