"""``choice`` (multiple-choice questions, MMLU-style): accuracy with exact intervals (DESIGN §2).

Encoding, everything as text:

* ``Item.reference`` is the answer key as option letters: ``"B"``; ``"A|C"`` when several
  options are right (after cleaning); ``""`` when no option is right.
* Item meta: ``question``; ``options`` (a JSON list of the option texts, option *k* has
  letter ``"ABCD…"[k]``); ``subject`` where known; a reader may keep a dataset's own labels
  (MMLU-Redux: ``redux_error_type``, ``redux_correct_answer``, ...).
* A prediction is the chosen option's letter, ``""`` when missing or unmappable; or, when
  the option probabilities are known (an evaluation harness's log-likelihoods),
  ``{"label": letter, "probs": {letter: p}}`` (:mod:`reviewer.core.choice_codec`).

An answer is right when its letter is one of the key's letters. A corrected reference is a
new key in the same encoding; the store re-scores the item against it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core.categories.choice import CATALOGUE, categorise
from reviewer.core.choice_codec import choice_letter
from reviewer.core.choice_keys import is_correct
from reviewer.core.choice_probs import by_cleanlab, by_self_confidence, by_votes
from reviewer.core.codec import encode_counts
from reviewer.core.counts import PairCounts, ScoreOptions, zero_counts
from reviewer.core.intervals import accuracy_metric
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions

# The MMLU-Redux error taxonomy: error type id -> (display name, key in the review window).
REDUX_ERROR_TYPES: dict[str, tuple[str, str]] = {
    "bad_question_clarity": ("Bad question clarity", "Q"),
    "bad_options_clarity": ("Bad options clarity", "O"),
    "no_correct_answer": ("No correct answer", "N"),
    "multiple_correct_answers": ("Multiple correct answers", "M"),
    "wrong_groundtruth": ("Wrong ground truth", "W"),
}
# "Needs an expert" is a flag beside any verdict: kept as this tag in the label's tags.
EXPERT_TAG = "expert"


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    """One item: 0 or 1 error on 1 unit, and why the answer is wrong."""
    letter = choice_letter(hyp)
    if is_correct(ref, letter):
        return zero_counts(0, 1)
    category = categorise(ref.strip(), letter)
    return zero_counts(1, 1, categories=encode_counts({category: 1}), main_category=category)


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    """Accuracy (right answers / items) with its interval, and wrong answers by category."""
    n = len(rows)
    wrong = sum(r.counts.main_errors for r in rows)
    accuracy = accuracy_metric(n - wrong, n, stats.confidence, stats.interval)
    categories = Counter(r.counts.main_category for r in rows if r.counts.main_category)
    return {"metrics": {"accuracy": accuracy}, "categories": dict(categories)}


SPEC = KindSpec(
    name="choice", title="Multiple-choice questions", score_pair=score_pair,
    summarise=summarise, metrics=(MetricInfo("accuracy", "Accuracy", lower_is_better=False),),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("answers", "Wrong"), suspicion=by_self_confidence,
    category_unit="wrong answers",
    suspicion_methods={"votes": by_votes, "cleanlab": by_cleanlab},
    reference_column="answer",
)
