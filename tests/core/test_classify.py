"""Classification metrics, the label kind's scoring and its label-issue ranking.

Accuracy, F1 and the confusion matrix are checked against scikit-learn's metrics, the
ranking against cleanlab's ``get_label_quality_scores`` on the same probabilities.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import stats
from sklearn import metrics as skm

from reviewer.core.classify import classification_report, encode
from reviewer.core.codec import decode_counts, decode_edits
from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.errors import ReviewerError
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.label_codec import (
    class_order,
    decode_prediction,
    encode_prediction,
    looks_encoded,
)
from reviewer.core.label_issues import suspicion, vote_score
from reviewer.core.pair_text import display_text

CLASSES = ["cat", "dog", "bird", "fish"]


def _random_labels(n: int, seed: int, missing: float = 0.0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    gold = [CLASSES[k] for k in rng.integers(0, len(CLASSES), n)]
    pred = [g if rng.random() < 0.6 else CLASSES[int(rng.integers(0, len(CLASSES)))]
            for g in gold]
    pred = ["" if rng.random() < missing else p for p in pred]
    return gold, pred


@pytest.mark.parametrize(("seed", "missing"), [(1, 0.0), (2, 0.0), (3, 0.1)])
def test_metrics_match_scikit_learn(seed: int, missing: float) -> None:
    gold, pred = _random_labels(300, seed, missing)
    report = classification_report(gold, pred, resamples=200)
    labels = class_order(gold)
    m = report["metrics"]
    assert m["accuracy"]["value"] == pytest.approx(skm.accuracy_score(gold, pred))
    assert m["accuracy"]["errors"] == sum(g != p for g, p in zip(gold, pred, strict=True))
    assert m["accuracy"]["units"] == 300
    assert m["macro_f1"]["value"] == pytest.approx(
        skm.f1_score(gold, pred, labels=labels, average="macro", zero_division=0))
    assert m["micro_f1"]["value"] == pytest.approx(
        skm.f1_score(gold, pred, labels=labels, average="micro", zero_division=0))
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        gold, pred, labels=labels, zero_division=0)
    for k, name in enumerate(labels):
        got = report["per_class"][name]
        assert got["precision"]["value"] == pytest.approx(precision[k])
        assert got["recall"]["value"] == pytest.approx(recall[k])
        assert got["f1"]["value"] == pytest.approx(f1[k])
        assert got["support"] == support[k]
    matrix = skm.confusion_matrix(gold, pred, labels=labels)
    assert report["confusion"]["labels"] == labels
    assert report["confusion"]["matrix"] == matrix.tolist()
    no_answer = [sum(1 for g, p in zip(gold, pred, strict=True) if g == name and not p)
                 for name in labels]
    assert report["confusion"]["no_prediction"] == no_answer


def test_missing_predictions_count_against_recall_not_precision() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "", "b", "a"]
    report = classification_report(gold, pred, resamples=50)
    assert report["metrics"]["accuracy"]["value"] == 0.5
    # micro precision 2/3 (three answers), micro recall 2/4
    micro = 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)
    assert report["metrics"]["micro_f1"]["value"] == pytest.approx(micro)
    assert report["per_class"]["a"]["precision"]["hits"] == 1
    assert report["per_class"]["a"]["precision"]["of"] == 2


@pytest.mark.parametrize("method", ["beta", "wilson", "clopper-pearson"])
def test_accuracy_and_per_class_intervals_are_proportion_intervals(method: str) -> None:
    gold, pred = _random_labels(120, 7)
    report = classification_report(gold, pred, interval=method, resamples=100)
    acc = report["metrics"]["accuracy"]
    x = sum(g == p for g, p in zip(gold, pred, strict=True))
    if method == "beta":
        expected = stats.beta(x + 1, 120 - x + 1).ppf([0.025, 0.975])
        assert (acc["low"], acc["high"]) == pytest.approx(tuple(expected))
    assert acc["low"] < acc["value"] < acc["high"]
    dog = report["per_class"]["dog"]
    tp = sum(g == p == "dog" for g, p in zip(gold, pred, strict=True))
    assert dog["recall"]["hits"] == tp and dog["recall"]["of"] == gold.count("dog")
    if method == "beta":
        r = stats.beta(tp + 1, gold.count("dog") - tp + 1).ppf([0.025, 0.975])
        assert (dog["recall"]["low"], dog["recall"]["high"]) == pytest.approx(tuple(r))


def test_f1_bootstrap_is_seeded_and_brackets_the_value() -> None:
    gold, pred = _random_labels(400, 11)
    first = classification_report(gold, pred, seed=5)
    again = classification_report(gold, pred, seed=5)
    other = classification_report(gold, pred, seed=6)
    assert first == again
    assert first["metrics"]["macro_f1"] != other["metrics"]["macro_f1"]
    for metric in ("macro_f1", "micro_f1"):
        m = first["metrics"][metric]
        assert m["low"] < m["value"] < m["high"]
        assert m["high"] - m["low"] < 0.15
    for scores in first["per_class"].values():
        assert scores["f1"]["low"] <= scores["f1"]["value"] <= scores["f1"]["high"]


def test_bootstrap_interval_matches_resampling_items() -> None:
    """The multinomial-cell bootstrap gives the spread item resampling gives."""
    gold, pred = _random_labels(250, 4)
    report = classification_report(gold, pred, resamples=4000, seed=1)
    rng = np.random.default_rng(9)
    g, p = np.array(gold), np.array(pred)
    draws = []
    for _ in range(4000):
        idx = rng.integers(0, len(g), len(g))
        draws.append(skm.f1_score(g[idx], p[idx], average="macro", labels=CLASSES,
                                  zero_division=0))
    low, high = np.quantile(draws, [0.025, 0.975])
    assert report["metrics"]["macro_f1"]["low"] == pytest.approx(low, abs=0.01)
    assert report["metrics"]["macro_f1"]["high"] == pytest.approx(high, abs=0.01)


def test_empty_and_single_item_reports_are_defined() -> None:
    empty = classification_report([], [])
    assert empty["metrics"]["accuracy"]["value"] is None
    assert empty["metrics"]["macro_f1"]["value"] is None
    assert empty["confusion"] == {"labels": [], "matrix": [], "no_prediction": []}
    one = classification_report(["a"], ["b"])
    assert one["metrics"]["accuracy"]["value"] == 0.0
    assert one["confusions"] == [{"gold": "a", "predicted": "b", "count": 1}]


def test_confusion_pairs_are_ordered_by_count() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["b", "b", "a", "c", "a", "b"]
    pairs = classification_report(gold, pred, resamples=10)["confusions"]
    assert pairs[0] == {"gold": "a", "predicted": "b", "count": 2}
    assert {(p["gold"], p["predicted"]) for p in pairs[1:]} == {("b", "c"), ("b", "a"),
                                                                 ("c", "b")}


# -- encoding ------------------------------------------------------------------------------
def test_prediction_encoding_round_trips() -> None:
    assert encode_prediction("dog") == "dog"
    text = encode_prediction("dog", {"dog": 0.7, "cat": 0.3})
    assert json.loads(text) == {"label": "dog", "probs": {"dog": 0.7, "cat": 0.3}}
    back = decode_prediction(text)
    assert back.label == "dog" and back.prob("cat") == 0.3 and back.prob("fish") == 0.0
    assert decode_prediction("{not json").label == "{not json"
    assert decode_prediction('{"x": 1}').label == '{"x": 1}'
    assert decode_prediction(None).label == "" and decode_prediction("").probs is None
    assert looks_encoded(text) and not looks_encoded("dog") and not looks_encoded('{"x": 1}')


def test_natural_class_order() -> None:
    assert class_order(["10", "2", "1", "2"]) == ["1", "2", "10"]
    assert class_order(["class10", "class9", "b", "a"]) == ["a", "b", "class9", "class10"]


def test_encode_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        encode(["a", "b"], ["a"])


# -- the kind ------------------------------------------------------------------------------
def test_score_pair_counts_one_decision() -> None:
    kind = spec("label")
    options = ScoreOptions()
    right = kind.score_pair("dog", encode_prediction("dog", {"dog": 0.8, "cat": 0.2}), options)
    assert (right.main_errors, right.main_units, right.edits) == (0, 1, "[]")
    assert json.loads(right.extra) == {"label": "dog", "p_gold": 0.8, "p_label": 0.8}
    hyp = encode_prediction("cat", {"dog": 0.1, "cat": 0.9})
    wrong = kind.score_pair("dog", hyp, options)
    assert (wrong.main_errors, wrong.main_units, wrong.main_category) == (1, 1, "misclassified")
    assert decode_counts(wrong.categories) == {"misclassified": 1}
    (edit,) = decode_edits(wrong.edits, "dog", display_text(hyp))
    assert (edit.op, edit.ref_text, edit.hyp_text) == ("substitute", "dog", hyp)
    missing = kind.score_pair("dog", "", options)
    assert (missing.main_errors, missing.main_category) == (1, "no_prediction")
    assert kind.score_pair("dog", "dog", options).main_errors == 0
    assert [m.id for m in kind.metrics] == ["accuracy", "macro_f1", "micro_f1"]
    assert not any(m.lower_is_better for m in kind.metrics)
    assert kind.main_level.metric == "Wrong"


def _rows(gold: list[str], answers: Sequence[str | None], system: str = "s") -> list[ScoredItem]:
    kind = spec("label")
    out = []
    for k, (g, a) in enumerate(zip(gold, answers, strict=True)):
        counts: PairCounts = kind.score_pair(g, a or "", ScoreOptions())
        out.append(ScoredItem(f"i{k}", counts, g, a))
    return out


def test_summarise_puts_the_confusion_matrix_in_the_report() -> None:
    gold, pred = _random_labels(60, 21, missing=0.05)
    summary = spec("label").summarise(_rows(gold, [p or None for p in pred]), StatOptions())
    assert summary["confusion"]["matrix"] == skm.confusion_matrix(
        gold, pred, labels=class_order(gold)).tolist()
    assert summary["metrics"]["accuracy"]["value"] == pytest.approx(
        skm.accuracy_score(gold, pred))
    wrong = sum(1 for g, p in zip(gold, pred, strict=True) if p and p != g)
    assert summary["categories"].get("misclassified", 0) == wrong
    assert summary["categories"].get("no_prediction", 0) == pred.count("")


# -- ranking -------------------------------------------------------------------------------
def _probabilistic_systems(n: int, seed: int) -> tuple[list[str], dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    gold_idx = rng.integers(0, len(CLASSES), n)
    systems = {}
    for name, sharpness in (("a", 3.0), ("b", 1.0), ("c", 2.0)):
        logits = rng.normal(size=(n, len(CLASSES)))
        logits[np.arange(n), gold_idx] += sharpness
        systems[name] = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return [CLASSES[k] for k in gold_idx], systems


def _probability_rows(gold: list[str], probs: np.ndarray) -> list[ScoredItem]:
    answers = []
    for row in probs:
        p = {c: float(x) for c, x in zip(CLASSES, row, strict=True)}
        answers.append(encode_prediction(CLASSES[int(row.argmax())], p))
    return _rows(gold, answers)


def test_self_confidence_matches_cleanlab_label_quality() -> None:
    from cleanlab.rank import get_label_quality_scores

    gold, systems = _probabilistic_systems(200, 3)
    rows = {name: _probability_rows(gold, p) for name, p in systems.items()}
    scores = spec("label").suspicion(rows)  # type: ignore[misc]
    order = class_order(gold)
    # cleanlab's columns follow the class indices: put ours in that order.
    columns = [CLASSES.index(c) for c in order]
    labels = np.array([order.index(g) for g in gold])
    quality = np.mean([get_label_quality_scores(labels, p[:, columns])
                       for p in systems.values()], axis=0)
    got = np.array([scores[f"i{k}"] for k in range(200)])
    assert got == pytest.approx(1 - quality)
    ranking = sorted(range(200), key=lambda k: -got[k])
    assert ranking[:20] == sorted(range(200), key=lambda k: quality[k])[:20]


def test_cleanlab_method_flags_first_and_ranks_by_quality() -> None:
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    gold, systems = _probabilistic_systems(300, 5)
    flipped = list(range(0, 300, 15))
    for k in flipped:
        gold[k] = CLASSES[(CLASSES.index(gold[k]) + 1) % len(CLASSES)]
    rows = {name: _probability_rows(gold, p) for name, p in systems.items()}
    scores = spec("label").suspicion_methods["cleanlab"](rows)
    order = class_order(gold)
    columns = [CLASSES.index(c) for c in order]
    mean = np.mean([p[:, columns] for p in systems.values()], axis=0)
    mean /= mean.sum(axis=1, keepdims=True)
    labels = np.array([order.index(g) for g in gold])
    issues = find_label_issues(labels, mean, n_jobs=1)
    quality = get_label_quality_scores(labels, mean)
    got = np.array([scores[f"i{k}"] for k in range(300)])
    assert np.array_equal(got >= 0.5, issues)
    assert got == pytest.approx(0.5 * (1 - quality) + 0.5 * issues)
    top = set(np.argsort(-got)[:len(flipped)].tolist())
    assert len(top & set(flipped)) >= len(flipped) * 0.6


def test_vote_score_orders_by_dissent_then_agreement() -> None:
    assert vote_score("a", []) == 0.0
    assert vote_score("a", ["a", "a", "a"]) == 0.0
    assert vote_score("a", ["b", "b", "b"]) == 1.0
    one = vote_score("a", ["a", "a", "b"])
    split = vote_score("a", ["a", "b", "c"])
    agreed = vote_score("a", ["a", "b", "b"])
    split_all = vote_score("a", ["b", "c", "d"])
    assert 0 < one < split < agreed < split_all < 1.0


def test_labels_only_projects_use_votes_and_missing_answers_abstain() -> None:
    gold = ["a", "a", "b", "b"]
    rows = {"x": _rows(gold, ["a", "b", "a", None], "x"),
            "y": _rows(gold, ["a", "b", "c", None], "y"),
            "z": _rows(gold, ["a", "a", "a", None], "z")}
    scores = spec("label").suspicion(rows)  # type: ignore[misc]
    assert scores["i0"] == 0.0
    assert scores["i3"] == 0.0  # nobody answered
    assert scores["i1"] == vote_score("a", ["b", "b", "a"])
    assert scores["i2"] == vote_score("b", ["a", "c", "a"])
    assert scores["i2"] > scores["i1"]
    assert spec("label").suspicion_methods["votes"](rows) == scores


def test_votes_method_ignores_probabilities_and_unknown_method_is_refused() -> None:
    gold = ["a", "b"]
    rows = {"x": _rows(gold, [encode_prediction("a", {"a": 0.51, "b": 0.49}),
                              encode_prediction("a", {"a": 0.9, "b": 0.1})])}
    votes = spec("label").suspicion_methods["votes"](rows)
    assert votes == {"i0": 0.0, "i1": vote_score("b", ["a"])}
    confidence = spec("label").suspicion_methods["self_confidence"](rows)
    assert confidence == {"i0": pytest.approx(0.49), "i1": pytest.approx(0.9)}
    with pytest.raises(ReviewerError, match="unknown suspicion method"):
        suspicion(rows, "magic")
