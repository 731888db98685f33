"""``label`` (classification): a text or an image with one gold class (DESIGN §2).

Encoding. ``Item.reference`` is the gold class name; the item text, when there is one, is
the item meta ``"text"``; ``Item.media`` is the image path, when there is one. A prediction
is stored as the predicted class name when the system gave only a class, and as the JSON
object ``{"label": class, "probs": {class: p, ...}}`` when it gave class probabilities
(:mod:`reviewer.core.label_codec`); "" is no prediction. A corrected reference is a class
name. Each pair counts 1 error (``misclassified`` or ``no_prediction``) on 1 unit in
the main level (``main_*``), so the item list shows it as "Wrong"; ``extra`` keeps the
predicted class and, with probabilities, the probability of the gold (``p_gold``) and of
the predicted class.

Metrics: accuracy (proportion interval), macro- and micro-F1 (bootstrap) and per-class
precision/recall/F1 (:mod:`reviewer.core.classify`); the summary also holds the confusion
matrix (``"confusion": {"labels", "matrix", "no_prediction"}``) and the confusion pairs.
Suspicion: :mod:`reviewer.core.label_issues`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core.categories.label import CATALOGUE, categorise
from reviewer.core.classify import classification_report
from reviewer.core.codec import decode_counts, encode_counts, encode_edits
from reviewer.core.counts import PairCounts, ScoreOptions, zero_counts
from reviewer.core.items import Edit, EditOp
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions
from reviewer.core.label_codec import decode_prediction
from reviewer.core.label_issues import by_cleanlab, by_self_confidence, by_votes
from reviewer.core.pair_text import display_text


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    """One error on one unit when the predicted class is not the gold class."""
    gold = ref.strip()
    pred = decode_prediction(hyp)
    extra: dict[str, Any] = {"label": pred.label}
    if pred.probs is not None:
        extra["p_gold"] = pred.prob(gold)
        extra["p_label"] = pred.prob(pred.label)
    extra_json = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    if pred.label == gold:
        return zero_counts(0, 1, extra=extra_json)
    category = "misclassified" if pred.label else "no_prediction"
    ref_d = display_text(ref, options.char_mode)
    hyp_d = display_text(hyp, options.char_mode)
    op: EditOp = "delete" if not hyp_d else "insert" if not ref_d else "substitute"
    edit = Edit(op, (0, len(ref_d)), (0, len(hyp_d)), ref_d, hyp_d, category,
                1 if ref_d else 0, 1 if hyp_d else 0)
    return zero_counts(1, 1, categories=encode_counts({category: 1}), main_category=category,
                       edits=encode_edits([edit]), extra=extra_json)


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    """Accuracy, F1 and per-class scores, the confusion matrix and pairs of one system."""
    gold = [r.reference.strip() for r in rows]
    pred = [decode_prediction(r.prediction).label for r in rows]
    report = classification_report(gold, pred, confidence=stats.confidence,
                                   resamples=stats.resamples, seed=stats.seed,
                                   interval=stats.interval)
    categories: Counter[str] = Counter()
    for r in rows:
        categories.update(decode_counts(r.counts.categories))
    return {**report, "categories": dict(categories)}


SPEC = KindSpec(
    name="label", title="Classification labels", score_pair=score_pair, summarise=summarise,
    metrics=(MetricInfo("accuracy", "Accuracy", lower_is_better=False),
             MetricInfo("macro_f1", "Macro-F1", lower_is_better=False),
             MetricInfo("micro_f1", "Micro-F1", lower_is_better=False)),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("labels", "Wrong"), suspicion=by_self_confidence,
    category_unit="wrong labels",
    suspicion_methods={"self_confidence": by_self_confidence, "votes": by_votes,
                       "cleanlab": by_cleanlab},
    suspicion_about="1 − the gold class's probability averaged over the systems "
    "(cleanlab's self-confidence)",
    reference_column="label",
)
