"""Does the audio, force-aligned, help the asr suspicion queue find reference mistakes?

The set-up of ``bench_asr_timing.py``: the bundled asr demo (30 utterances, three
PocketSphinx systems with ctm times) with its three planted mistakes put back to what was
spoken, and ``--planted`` new mistakes planted per trial (a word replaced by another of the
demo's words, by a longer or a shorter one, left out, or put in). Each trial's queue is
ranked with the words and their times (the default ranking) and again with the acoustic
evidence (:mod:`reviewer.core.acoustic_evidence`, ``reviewer suspects --method
acoustic``). Reported per kind of mistake: the share of planted items in the top k (k =
the number planted) and their mean rank; then the demo as shipped (its own three planted
mistakes) both ways, and the aligner's cost per second of audio.

Needs the ``acoustic`` extra (PocketSphinx). Alignments are kept for the whole run, so
later trials are faster than the first.

    python benchmarks/bench_asr_acoustic.py [--trials 10] [--planted 3] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_asr_timing import (  # noqa: E402
    KINDS,
    SPOKEN,
    load_demo,
    plant,
    rows_of,
    vocabulary_of,
)

from reviewer.core.kinds import ScoredItem, spec  # noqa: E402
from reviewer.core.word_suspicion import word_suspects  # noqa: E402
from reviewer.core.word_timing import Timed  # noqa: E402
from reviewer.demo import demo_dir  # noqa: E402
from reviewer.formats import acoustic_fit  # noqa: E402

OPTIONS = __import__("bench_asr_timing").OPTIONS


def ranks(rows: Mapping[str, list[ScoredItem]], times: Mapping[str, Mapping[str, Timed]],
          fits: acoustic_fit.AudioAligner | None, chosen: list[str]) -> list[int]:
    """The ranks of the ``chosen`` items in the queue (item order breaks ties)."""
    scores = word_suspects(rows, times, fits)
    order = sorted(scores, key=lambda i: -scores[i])
    return sorted(order.index(i) + 1 for i in chosen)


def spoil(clean: Mapping[str, list[ScoredItem]], spoiled: Mapping[str, str]
          ) -> dict[str, list[ScoredItem]]:
    """The rows with the ``spoiled`` references (item id -> reference) scored afresh."""
    score = spec("asr").score_pair
    return {s: [ScoredItem(r.item_id, score(spoiled[r.item_id], r.prediction or "", OPTIONS),
                           spoiled[r.item_id], r.prediction) if r.item_id in spoiled else r
                for r in items] for s, items in clean.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--planted", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not acoustic_fit.available():
        sys.exit("bench_asr_acoustic.py needs PocketSphinx: pip install 'reviewer[acoustic]'")
    refs, preds, times = load_demo()
    media = {item_id: str(demo_dir("asr") / "audio" / f"{item_id}.wav") for item_id in refs}
    fits = acoustic_fit.AudioAligner(media)
    vocabulary = vocabulary_of(refs)
    rng = random.Random(args.seed)
    clean = rows_of(refs, preds)
    k = args.planted
    print(f"asr demo, its planted mistakes undone: {len(refs)} items, {len(preds)} systems; "
          f"{args.trials} trials of {k} planted mistakes each")
    print(f"{'mistake':<14}{'top-' + str(k) + ' times':>12}{'+ audio':>9}"
          f"{'mean rank times':>17}{'+ audio':>9}")
    started = time.process_time()
    for kind in KINDS:
        found: list[tuple[list[int], list[int]]] = []
        while len(found) < args.trials:
            chosen = rng.sample(sorted(refs), k)
            spoiled = {i: plant(refs[i], kind, vocabulary, rng) for i in chosen}
            if any(v is None for v in spoiled.values()):
                continue
            rows = spoil(clean, {i: str(v) for i, v in spoiled.items()})
            found.append((ranks(rows, times, None, chosen), ranks(rows, times, fits, chosen)))
        cells = []
        for side in (0, 1):
            got = [r for pair in found for r in pair[side]]
            cells.append((sum(r <= k for r in got) / len(got), statistics.fmean(got)))
        print(f"{kind:<14}{cells[0][0]:>12.3f}{cells[1][0]:>9.3f}"
              f"{cells[0][1]:>17.2f}{cells[1][1]:>9.2f}", flush=True)
    shipped = {i: refs[i].replace(right, wrong, 1) for i, (wrong, right) in SPOKEN.items()}
    rows = spoil(clean, shipped)
    print(f"the demo as shipped, ranks of {', '.join(SPOKEN)}: "
          f"{ranks(rows, times, None, list(SPOKEN))} with the times, "
          f"{ranks(rows, times, fits, list(SPOKEN))} with the audio too")
    cpu = time.process_time() - started
    print(f"aligned {fits.seconds:,.0f} s of audio ({fits.failed} texts found no alignment) "
          f"in {cpu:,.0f} s of processor time: {cpu / max(fits.seconds, 1e-9):.3f} s per "
          f"second of audio aligned (ranking included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
