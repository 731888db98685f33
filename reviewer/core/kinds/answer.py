"""``answer`` (short free-form answers: GSM8K, SQuAD, TriviaQA, ...): accuracy and mean F1.

Encoding (:mod:`reviewer.core.answers.encoding`), everything as text:

* ``Item.reference`` is the acceptable gold answers as a JSON array of strings
  (``["18"]``, ``["Paris", "Paris, France"]``; ``[]``: no answer is acceptable). A
  corrected reference is the same, or one answer typed as plain text.
* Item meta: ``question``; ``context`` (a passage) and ``rationale`` (the gold solution)
  where known; any other metadata as the source gives it.
* A prediction is the model's raw output, or ``{"output": raw, "harness_answer": …}``
  when the source also holds the answer the evaluation harness extracted.

Scoring a pair: the project's extraction preset (:mod:`reviewer.core.answers.extract`,
``ScoreOptions.extract``) finds the final answer in the raw output; the project's matcher
(:mod:`reviewer.core.answers.matchers`, ``ScoreOptions.matcher``) judges it against the
gold answers. The main level counts 1 error on 1 unit for a wrong answer ("Wrong");
``main_category`` is the category (:mod:`reviewer.core.categories.answer`), which a right
answer has too when its format differs from the gold's or the harness disagrees.
``extra`` keeps (:data:`reviewer.core.answers.extra.EXTRA_KEYS`) the extracted
``answer`` (``null``: none), its ``span`` (offsets into the raw output), the ``rule`` that
found it, the ``matcher`` used, the item's ``f1`` score, and, when the log holds one, the
``harness_answer`` and whether it is right (``harness_right``).

Metrics: ``accuracy`` (right answers / items, with the project's proportion interval) and
``f1`` (the mean of the items' scores with a bootstrap interval: SQuAD's token F1 with
the ``f1`` matcher; with every other matcher an item scores 1 when right and 0 when wrong,
so ``f1`` equals the accuracy there). Summaries count items per category, right ones
(``equal_except_format``, ``extraction_disagrees``) included.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core.answers.encoding import decode_answer_prediction, decode_gold
from reviewer.core.answers.extra import pair_extra
from reviewer.core.answers.extract import extract
from reviewer.core.answers.matchers import match
from reviewer.core.answers.platinum import PLATINUM_COLUMNS, platinum_marks
from reviewer.core.answers.suspicion import agreement_suspicion, vote_suspicion
from reviewer.core.categories.answer import CATALOGUE, categorise, wrong_category
from reviewer.core.codec import encode_counts
from reviewer.core.counts import PairCounts, ScoreOptions, zero_counts
from reviewer.core.intervals import accuracy_metric
from reviewer.core.kind_spec import (
    ExportMarks,
    KindSpec,
    LevelName,
    MetricInfo,
    ScoredItem,
    StatOptions,
)
from reviewer.core.metrics import bootstrap_mean

# What lm-evaluation-harness's filters answer when their pattern finds nothing.
HARNESS_NO_ANSWER = frozenset({"", "[invalid]"})



def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    """One item: the answer extracted from the raw output, judged against the gold answers;
    0 or 1 error on 1 unit, with its category and what was found in ``extra``."""
    gold = decode_gold(ref)
    prediction = decode_answer_prediction(hyp)
    found = extract(prediction.output, options.extract)
    answer = found.text if found is not None else None
    judged = match(answer, gold, options.matcher)
    extra: dict[str, Any] = {
        "answer": answer, "span": [found.start, found.end] if found is not None else None,
        "rule": found.rule if found is not None else None, "matcher": judged.matcher,
        "f1": judged.score}
    disagrees = False
    if prediction.harness_answer is not None:
        theirs = harness_answer(prediction.harness_answer)
        extra["harness_answer"] = prediction.harness_answer
        extra["harness_right"] = match(theirs, gold, options.matcher).correct
        disagrees = not same_answer(answer, theirs, judged.matcher)
    extra_json = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    if judged.correct:
        category = ("extraction_disagrees" if disagrees
                    else "" if answer in gold else "equal_except_format")
        return zero_counts(0, 1, main_category=category, extra=extra_json)
    category = ("extraction_disagrees" if disagrees
                else wrong_category(gold[0] if gold else "", answer, prediction.output,
                                    judged.score))
    return zero_counts(1, 1, categories=encode_counts({category: 1}), main_category=category,
                       extra=extra_json)


def harness_answer(text: str) -> str | None:
    """The harness's extracted answer, ``None`` for its "found nothing" placeholder."""
    return None if text.strip() in HARNESS_NO_ANSWER else text.strip()


def same_answer(ours: str | None, theirs: str | None, matcher: str) -> bool:
    """Whether two extracted answers are the same under ``matcher`` (both none: the same)."""
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return match(ours, (theirs,), matcher).correct


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    """Accuracy with its interval, mean F1 with a bootstrap interval, items per category."""
    n = len(rows)
    wrong = sum(r.counts.main_errors for r in rows)
    extras = [pair_extra(r.counts) for r in rows]
    scores = [float(extra.get("f1", 0.0)) for extra in extras]
    mean, low, high = bootstrap_mean(scores, confidence=stats.confidence,
                                     resamples=stats.resamples, seed=stats.seed)
    f1 = {"value": mean, "low": low, "high": high}
    categories = Counter(r.counts.main_category for r in rows if r.counts.main_category)
    matchers = Counter(str(extra.get("matcher", "")) for extra in extras)
    return {"metrics": {"accuracy": accuracy_metric(n - wrong, n, stats.confidence,
                                                    stats.interval),
                        "f1": f1},
            "categories": dict(categories), "matchers": dict(sorted(matchers.items()))}


SPEC = KindSpec(
    name="answer", title="Short free-form answers", score_pair=score_pair,
    summarise=summarise,
    metrics=(MetricInfo("accuracy", "Accuracy", lower_is_better=False),
             MetricInfo("f1", "Mean F1", lower_is_better=False)),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("answers", "Wrong"), suspicion=agreement_suspicion,
    suspicion_methods={"agreement": agreement_suspicion, "votes": vote_suspicion},
    reference_column="answer",
    export_marks=ExportMarks(PLATINUM_COLUMNS, platinum_marks),
)
