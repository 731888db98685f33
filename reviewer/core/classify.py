"""Classification metrics (DESIGN §6): accuracy, macro/micro F1, per-class P/R/F1, confusion.

Classes are indices into a list of names; a missing prediction is ``-1``: it is wrong for
accuracy and recall, and predicts no class (so no precision is charged for it). Accuracy,
precision and recall are proportions with :func:`~reviewer.core.intervals.proportion_interval`
intervals; F1 values have a seeded percentile bootstrap over items. In a resample where a
class neither occurs nor is predicted, its F1 is undefined and macro-F1 averages the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer.core.intervals import accuracy_metric, proportion_interval
from reviewer.core.label_codec import class_order
from reviewer.core.metrics import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED

# Resamples drawn at once: bounds memory to about _BLOCK × items integers.
_BLOCK = 50
MISSING = -1


@dataclass(frozen=True, slots=True)
class Encoded:
    """Gold and predicted classes as indices into :attr:`labels` (``-1``: no prediction)."""

    labels: list[str]
    gold: np.ndarray
    pred: np.ndarray

    @property
    def k(self) -> int:
        return len(self.labels)


def encode(gold: Sequence[str], pred: Sequence[str]) -> Encoded:
    """Index the class names of ``gold`` and ``pred`` ("" in ``pred``: no prediction)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    labels = class_order([*gold, *(p for p in pred if p)])
    index = {name: k for k, name in enumerate(labels)}
    g = np.fromiter((index[x] for x in gold), dtype=np.int64, count=len(gold))
    p = np.fromiter((index[x] if x else MISSING for x in pred), dtype=np.int64, count=len(pred))
    return Encoded(labels, g, p)


def confusion_matrix(data: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """``(matrix, no_prediction)``: rows are gold classes, columns predicted classes."""
    k = data.k
    answered = data.pred != MISSING
    flat = data.gold[answered] * k + data.pred[answered]
    matrix = np.bincount(flat, minlength=k * k).reshape(k, k)
    missing = np.bincount(data.gold[~answered], minlength=k)
    return matrix, missing


def _counts(gold: np.ndarray, pred: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """Per-class true positives, support and predicted counts over the last axis.

    ``gold`` and ``pred`` have shape ``(b, n)``; each result has shape ``(b, k)``.
    """
    b = gold.shape[0]
    offsets = (np.arange(b, dtype=np.int64) * (k + 1))[:, None]
    size = b * (k + 1)
    slot = np.where(pred == MISSING, k, pred)  # the extra bucket k collects missing ones

    def count(keys: np.ndarray) -> np.ndarray:
        return np.bincount(keys.ravel(), minlength=size).reshape(b, k + 1)[:, :k]

    support = count(gold + offsets)
    predicted = count(slot + offsets)
    hit = gold == pred
    tp = np.bincount((gold + offsets)[hit], minlength=size).reshape(b, k + 1)[:, :k]
    return tp, support, predicted


def _f1(tp: np.ndarray, support: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """F1 per class (NaN where a class neither occurs nor is predicted)."""
    denominator = (support + predicted).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, 2 * tp / denominator, np.nan)


def _resampled(data: Encoded, resamples: int, seed: int) -> Iterator[tuple[np.ndarray, ...]]:
    """Blocks of per-class counts of bootstrap resamples of the items.

    The counts depend only on how many resampled items fall in each (gold, predicted)
    cell, so a resample is drawn as multinomial cell counts: the same distribution as
    drawing items with replacement, at a cost independent of the number of items.
    """
    n, k = len(data.gold), data.k
    slot = np.where(data.pred == MISSING, k, data.pred)
    cells, counts = np.unique(data.gold * (k + 1) + slot, return_counts=True)
    cell_gold, cell_slot = cells // (k + 1), cells % (k + 1)
    hit = cell_gold == cell_slot
    rng = np.random.default_rng(seed)
    done = 0
    while done < resamples:
        block = min(_BLOCK, resamples - done)
        drawn = rng.multinomial(n, counts / n, size=block)
        offsets = (np.arange(block, dtype=np.int64) * (k + 1))[:, None]

        def per_class(keys: np.ndarray, weights: np.ndarray, rows: int = block) -> np.ndarray:
            flat = np.bincount(keys.ravel(), weights=weights.ravel(),
                               minlength=rows * (k + 1))
            return flat.reshape(rows, k + 1)[:, :k]

        support = per_class(cell_gold + offsets, drawn)
        predicted = per_class(cell_slot + offsets, drawn)
        tp = per_class((cell_gold + offsets)[:, hit], drawn[:, hit])
        yield tp, support, predicted
        done += block


def _bounds(samples: np.ndarray, confidence: float) -> tuple[Any, Any]:
    """Percentile interval along axis 0, ``None`` where every sample is undefined."""
    alpha = (1 - confidence) / 2
    defined = ~np.all(np.isnan(samples), axis=0)
    low = np.full(samples.shape[1:], np.nan)
    high = np.full(samples.shape[1:], np.nan)
    if defined.any():
        q = np.nanquantile(samples[:, defined], [alpha, 1 - alpha], axis=0)
        low[defined], high[defined] = q[0], q[1]
    return low, high


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    """Mean of each row's defined values (NaN for a row with none), without warnings."""
    defined = ~np.isnan(values)
    count = defined.sum(axis=1)
    total = np.where(defined, values, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _value(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _proportion(x: int, n: int, confidence: float, method: str) -> dict[str, Any]:
    low, high = proportion_interval(x, n, confidence, method)
    return {"value": x / n if n else None, "low": low, "high": high, "hits": x, "of": n}


def classification_report(
    gold: Sequence[str],
    pred: Sequence[str],
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    interval: str = "beta",
) -> dict[str, Any]:
    """Metrics, per-class scores and the confusion matrix of one system's predictions.

    ``metrics`` holds ``accuracy`` (value, errors, units, low, high), ``macro_f1`` and
    ``micro_f1``; ``per_class`` maps each class to its support and precision/recall/F1.
    """
    data = encode(gold, pred)
    n, k = len(data.gold), data.k
    tp, support, predicted = (a[0] for a in _counts(data.gold[None, :], data.pred[None, :], k))
    f1 = _f1(tp, support, predicted)
    correct = int(tp.sum())
    micro = 2 * correct / (n + int(predicted.sum())) if n else float("nan")
    macro = float(_nanmean_rows(f1[None, :])[0]) if k else float("nan")
    f1_low = f1_high = f1
    macro_bounds = micro_bounds = (macro, micro)
    if n >= 2 and resamples > 0:
        f1_samples = np.empty((resamples, k))
        micro_samples = np.empty(resamples)
        done = 0
        for b_tp, b_support, b_predicted in _resampled(data, resamples, seed):
            rows = len(b_tp)
            f1_samples[done:done + rows] = _f1(b_tp, b_support, b_predicted)
            micro_samples[done:done + rows] = (
                2 * b_tp.sum(axis=1) / (b_support.sum(axis=1) + b_predicted.sum(axis=1)))
            done += rows
        f1_low, f1_high = _bounds(f1_samples, confidence)
        macro_samples = _nanmean_rows(f1_samples)
        m_low, m_high = _bounds(macro_samples[:, None], confidence)
        u_low, u_high = _bounds(micro_samples[:, None], confidence)
        macro_bounds = (float(m_low[0]), float(m_high[0]))
        micro_bounds = (float(u_low[0]), float(u_high[0]))
    metrics = {
        "accuracy": accuracy_metric(correct, n, confidence, interval),
        "macro_f1": {"value": _value(macro), "low": _value(macro_bounds[0]),
                     "high": _value(macro_bounds[1]), "classes": k},
        "micro_f1": {"value": _value(micro), "low": _value(micro_bounds[0]),
                     "high": _value(micro_bounds[1])},
    }
    per_class = {
        name: {"support": int(support[c]), "predicted": int(predicted[c]),
               "precision": _proportion(int(tp[c]), int(predicted[c]), confidence, interval),
               "recall": _proportion(int(tp[c]), int(support[c]), confidence, interval),
               "f1": {"value": _value(f1[c]), "low": _value(f1_low[c]),
                      "high": _value(f1_high[c])}}
        for c, name in enumerate(data.labels)
    }
    matrix, missing = confusion_matrix(data)
    return {"metrics": metrics, "per_class": per_class,
            "confusion": {"labels": data.labels, "matrix": matrix.tolist(),
                          "no_prediction": missing.tolist()},
            "confusions": top_confusions(data.labels, matrix)}


def top_confusions(labels: Sequence[str], matrix: np.ndarray) -> list[dict[str, Any]]:
    """Every (gold, predicted) pair of different classes that occurs, most frequent first."""
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    gold_idx, pred_idx = np.nonzero(off)
    pairs = sorted(zip(gold_idx.tolist(), pred_idx.tolist(), strict=True),
                   key=lambda gp: (-int(off[gp]), gp))
    return [{"gold": labels[g], "predicted": labels[p], "count": int(off[g, p])}
            for g, p in pairs]
