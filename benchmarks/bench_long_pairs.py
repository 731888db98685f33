"""How long one very long pair takes to score (issue 14: a hostile line must not take hours).

Pairs longer than ``limits.ALIGN_EXACT_CELLS`` (100,000 x 100,000 units) are aligned line by
line and word by word (``core/long_align.py``) instead of exactly. This times the text kind's
scoring of random pairs of N characters each:

- ``disjoint``: the two sides share no character (the worst case for an exact alignment);
- ``spaces``: they share only the space, so words are aligned but never match;
- ``typos``: a prediction that is the reference with one character in 500 changed.

    python benchmarks/bench_long_pairs.py [--sizes 100000 1000000] [--repeat 3]

Prints the best of ``--repeat`` runs for each size and shape, with the character errors.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from reviewer.core.evaluate import score_pair


def disjoint(rng: random.Random, n: int) -> tuple[str, str]:
    return "".join(rng.choices("abcdefghij", k=n)), "".join(rng.choices("KLMNOPQRST", k=n))


def spaces(rng: random.Random, n: int) -> tuple[str, str]:
    return "".join(rng.choices("abcdefghij ", k=n)), "".join(rng.choices("KLMNOPQRST ", k=n))


def typos(rng: random.Random, n: int) -> tuple[str, str]:
    words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "again"]
    lines, size = [], 0
    while size < n:
        line = " ".join(rng.choices(words, k=12))
        lines.append(line)
        size += len(line) + 1
    reference = "\n".join(lines)[:n]
    chars = list(reference)
    for k in range(0, len(chars), 500):
        chars[k] = "#"
    return reference, "".join(chars)


SHAPES: dict[str, Callable[[random.Random, int], tuple[str, str]]] = {
    "disjoint": disjoint, "spaces": spaces, "typos": typos}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'shape':10} {'characters':>12} {'best s':>8} {'char errors':>12}")
    for name, make in SHAPES.items():
        for size in args.sizes:
            reference, prediction = make(random.Random(size), size)
            best = float("inf")
            errors = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                counts = score_pair(reference, prediction)
                best = min(best, time.perf_counter() - start)
                errors = counts[0]
            print(f"{name:10} {size:>12,} {best:>8.2f} {errors:>12,}")


if __name__ == "__main__":
    main()
