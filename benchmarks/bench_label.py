"""How well the label-issue ranking finds the digits demo's flipped labels, and how fast.

Imports ``resources/demo/label`` (1,797 digits, 54 deliberately wrong gold labels, two
classifiers' out-of-fold probabilities) into a temporary project and ranks its items with
every suspicion method of the ``label`` kind. Prints, per method, how many flipped labels
are in the top 5% of the queue, their recall in the top 54, AUROC and average precision.
``--scale N`` also times import, scoring and ranking of N synthetic items with two systems.

    python benchmarks/bench_label.py [--scale 100000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from reviewer.core.kinds import spec
from reviewer.core.label_codec import encode_prediction
from reviewer.demo import ensure_demo
from reviewer.resources import demo_dir
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project, system_rows

TOP_SHARE = 0.05


def rank_demo() -> None:
    folder = demo_dir("label")
    with (folder / "flipped.csv").open(encoding="utf-8") as fh:
        flipped = {row["id"] for row in csv.DictReader(fh)}
    with tempfile.TemporaryDirectory() as tmp, Project(ensure_demo(Path(tmp) / "d.db",
                                                                    "label")) as project:
        rows = system_rows(project, "original")
        n = project.item_count()
        top = round(TOP_SHARE * n)
        print(f"digits demo: {n:,} items, {len(flipped)} flipped labels; top 5% = {top} items")
        print(f"{'method':<16}{'in top 5%':>10}{'recall@' + str(len(flipped)):>12}"
              f"{'AUROC':>8}{'AP':>8}{'seconds':>9}")
        for method, rank in spec("label").suspicion_methods.items():
            start = time.perf_counter()
            scores = rank(rows)
            seconds = time.perf_counter() - start
            order = sorted(scores, key=lambda i: -scores[i])
            found = len(flipped & set(order[:top]))
            at_k = len(flipped & set(order[:len(flipped)])) / len(flipped)
            auroc, ap = _auroc_ap([i in flipped for i in scores], list(scores.values()))
            print(f"{method:<16}{found:>6}/{len(flipped):<3}{at_k:>12.3f}{auroc:>8.3f}"
                  f"{ap:>8.3f}{seconds:>9.3f}")


def _auroc_ap(truth: list[bool], scores: list[float]) -> tuple[float, float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    return float(roc_auc_score(truth, scores)), float(average_precision_score(truth, scores))


def time_scale(n: int) -> None:
    """Import, score and rank ``n`` synthetic items (10 classes, two probabilistic systems)."""
    from reviewer.core.items import Benchmark, Item

    rng = np.random.default_rng(0)
    classes = [str(c) for c in range(10)]
    gold = rng.integers(0, 10, n)
    items = [Item(f"i{k:06d}", classes[g]) for k, g in enumerate(gold)]
    predictions: dict[str, dict[str, str]] = {}
    for name, strength in (("strong", 4.0), ("weak", 1.5)):
        logits = rng.normal(size=(n, 10))
        logits[np.arange(n), gold] += strength
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        predictions[name] = {
            item.id: encode_prediction(classes[int(p.argmax())],
                                       {c: round(float(x), 4) for c, x in zip(classes, p,
                                                                              strict=True)})
            for item, p in zip(items, probs, strict=True)}
    with tempfile.TemporaryDirectory() as tmp, Project(Path(tmp) / "s.db",
                                                        create=True) as project:
        start = time.perf_counter()
        import_benchmark(project, Benchmark("label", items, predictions))
        imported = time.perf_counter() - start
        start = time.perf_counter()
        score_project(project)
        scored = time.perf_counter() - start
        start = time.perf_counter()
        rows = system_rows(project, "original")
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        spec("label").suspicion_methods["self_confidence"](rows)
        ranked = time.perf_counter() - start
    print(f"{n:,} synthetic items, 2 systems: import {imported:.2f} s, score (1,000 "
          f"resamples) {scored:.2f} s, read rows {loaded:.2f} s, self_confidence "
          f"ranking {ranked:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="also time N synthetic items (for example 100000)")
    args = parser.parse_args()
    rank_demo()
    if args.scale:
        time_scale(args.scale)


if __name__ == "__main__":
    main()
