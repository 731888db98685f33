"""The ``answer`` kind: does the suspicion queue find the demo's spoiled gold answers, and
how long do import and scoring take at 100,000 items x 5 models?

1. The bundled demo (``resources/demo/answer``): how many of its deliberate gold mistakes (as
   its README records them, :mod:`reviewer.demo_mistakes`) land in the top 10% of
   ``reviewer suspects``, and the rank of each, for every ranking method.
2. A generated JSONL table (seeded; 80% arithmetic questions with numeric gold answers, 20%
   factual ones with text answers and aliases; five models whose raw outputs end in the
   formats evaluators meet: ``#### 18``, "The answer is $18.", ``\\boxed{18}``,
   ``Answer: 18``, a bare last line, refusals): the time to read it, to import it (extract,
   judge, categorise and store 500,000 pairs), to score it (``reviewer score``) and to rank
   it (``reviewer suspects``). As a yardstick in the same run: a plain Python loop doing
   what an evaluation harness's scoring does for every pair (lm-evaluation-harness's GSM8K
   ``strict-match`` regular expression, then an exact string comparison), which finds
   fewer answers and neither stores nor categorises anything.

    python benchmarks/bench_answer.py [--items 100000] [--models 5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer.demo import ensure_demo
from reviewer.demo_mistakes import reference_mistakes
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from reviewer.store.suspects import compute_suspects

SEED = 17
TOP_SHARE = 0.10
CITIES = [("France", "Paris"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Peru", "Lima"),
          ("Norway", "Oslo"), ("Canada", "Ottawa"), ("Egypt", "Cairo"), ("Chile", "Santiago")]
# lm-evaluation-harness's GSM8K "strict-match" filter pattern.
STRICT_MATCH = re.compile(r"#### (\-?[0-9\.\,]+)")


# -- 1. the demo ---------------------------------------------------------------------------
def demo(tmp: Path) -> None:
    planted = reference_mistakes("answer")
    path = ensure_demo(tmp / "demo.db", "answer")
    print(f"Demo: {len(planted)} planted gold mistakes "
          f"({', '.join(sorted(planted))})")
    print(f"{'method':<12}{'items':>7}{'top 10%':>9}  planted in the top 10%; ranks")
    with Project(path) as project:
        from reviewer.core.kinds import spec

        for method in spec("answer").suspicion_methods:
            suspects = compute_suspects(project, method)
            cutoff = max(1, round(len(suspects.order) * TOP_SHARE))
            rank = {item_id: k + 1 for k, item_id in enumerate(suspects.order)}
            ranks = sorted(rank[i] for i in planted)
            found = sum(1 for r in ranks if r <= cutoff)
            print(f"{method:<12}{len(suspects.order):>7}{cutoff:>9}  {found} of "
                  f"{len(planted)}; {', '.join(map(str, ranks))}")


# -- 2. a generated benchmark --------------------------------------------------------------
def _number_output(rng: random.Random, a: int, b: int, answer: int, style: int) -> str:
    work = f"{a} + {b} = {answer}."
    shown = f"{answer:,}" if rng.random() < 0.2 else str(answer)
    return (f"{work}\n#### {shown}", f"We add: {work} The answer is ${shown}.",
            f"{work}\nSo the final answer is $\\boxed{{{shown}}}$.",
            f"Sure! {work}\n\nAnswer: {shown}", f"{work} {shown}")[style]


def _text_output(answer: str, style: int) -> str:
    return (f"The capital is {answer}.\n#### {answer}", f"The answer is {answer}.",
            f"$\\boxed{{\\text{{{answer}}}}}$", f"Answer: {answer}", answer)[style]


def generate(path: Path, n: int, models: int) -> None:
    """``n`` questions with ``models`` models' raw outputs, one JSON object a line."""
    rng = random.Random(SEED)
    skill = [0.95 - 0.08 * m for m in range(models)]
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            row: dict[str, Any] = {"id": f"q{k:06d}"}
            if rng.random() < 0.8:
                a, b = rng.randint(10, 5000), rng.randint(10, 5000)
                row.update(question=f"A shop sells {a} apples and {b} pears. How many "
                           "fruits does it sell?", answer=str(a + b))
                for m in range(models):
                    guess = a + b if rng.random() < skill[m] else a + b + rng.choice(
                        (-10, -1, 1, 2, 9 * (a + b)))
                    row[f"output_model{m}"] = (
                        "I'm sorry, I cannot help with that." if rng.random() < 0.01
                        else _number_output(rng, a, b, guess, m % 5))
            else:
                country, city = rng.choice(CITIES)
                row.update(question=f"What is the capital of {country}?",
                           answer=[city, f"{city}, {country}"])
                for m in range(models):
                    said = city if rng.random() < skill[m] else rng.choice(CITIES)[1]
                    row[f"output_model{m}"] = _text_output(said, m % 5)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def harness_loop(path: Path, models: int) -> tuple[float, int]:
    """The yardstick: GSM8K's strict-match pattern and exact comparison for every pair."""
    start = time.perf_counter()
    right = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            gold = row["answer"] if isinstance(row["answer"], list) else [row["answer"]]
            for m in range(models):
                found = STRICT_MATCH.search(row[f"output_model{m}"])
                right += found is not None and found.group(1) in gold
    return time.perf_counter() - start, right


def timed(what: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = what()
    return time.perf_counter() - start, result


def scale(tmp: Path, n: int, models: int) -> None:
    table = tmp / "generated.jsonl"
    generate(table, n, models)
    pairs = n * models
    print(f"\nGenerated benchmark: {n:,} items x {models} models = {pairs:,} pairs "
          f"({table.stat().st_size / 1e6:.0f} MB of JSONL)")
    read, bench = timed(lambda: load_benchmark(table, [], ReadOptions(kind="answer")))
    db = tmp / "generated.db"

    def do_import() -> None:
        with Project(db, create=True) as project:
            import_benchmark(project, bench)

    imported, _ = timed(do_import)
    with Project(db) as project:
        scored, scores = timed(lambda: score_project(project))
        ranked, _ = timed(lambda: compute_suspects(project))
    loop, _ = harness_loop(table, models)
    accuracy = ", ".join(f"{s['name']} {s['metrics']['accuracy']['value']:.3f}"
                         for s in scores["systems"])
    print(f"accuracy: {accuracy}")
    print(f"{'step':<52}{'seconds':>9}{'pairs/s':>11}{'vs loop':>9}")
    for step, seconds in (("read the table", read),
                          ("import: extract, judge, categorise, store", imported),
                          ("read + import", read + imported),
                          ("score (reviewer score)", scored),
                          ("rank (reviewer suspects)", ranked),
                          ("yardstick: strict-match regex + exact compare", loop)):
        print(f"{step:<52}{seconds:>9.2f}{pairs / seconds:>11,.0f}{seconds / loop:>8.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000,
                        help="items of the generated benchmark (0: skip it)")
    parser.add_argument("--models", type=int, default=5, help="models of the generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        demo(tmp)
        if args.items:
            scale(tmp, args.items, args.models)
    return 0


if __name__ == "__main__":
    sys.exit(main())
