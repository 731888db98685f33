"""Do the systems' word times help the asr suspicion queue find reference mistakes?

Reference mistakes are planted into a timed benchmark whose references are otherwise
right, one per chosen item, and the queue is ranked twice: from what the systems wrote
only, and with their word times (:mod:`reviewer.core.word_timing`). Reported per kind of
mistake: the share of planted items in the top k (k = the number planted) and their mean
rank. The benchmark is the bundled asr demo (30 utterances, three PocketSphinx systems
with ctm times) with its own three planted mistakes put back to what was spoken; each
trial plants ``--planted`` new ones:

- ``substitution``: a word replaced by another word of the demo's references;
- ``longer`` / ``shorter``: replaced by a word at least 3 letters longer / shorter;
- ``deletion``: a word left out; ``insertion``: a word of the references put in.

With ``--earnings21 DIR`` (the Earnings-21 release: ``transcripts/nlp_references`` and
``output/``), the same is done on earnings calls: the first ``--files`` calls, cut into
items of about 20 reference words at sentence ends, each timed system's words (amazon,
google, speechmatics NLP; rev's kaldi ctm) given to the items by a word alignment, and
``--planted`` (there: 20) mistakes planted per trial.

    python benchmarks/bench_asr_timing.py [--trials 200] [--planted 3] [--seed 1]
    python benchmarks/bench_asr_timing.py --earnings21 /path/to/earnings21 --files 6
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from reviewer.core.counts import ScoreOptions  # noqa: E402
from reviewer.core.kinds import ScoredItem, spec  # noqa: E402
from reviewer.core.word_suspicion import word_suspects  # noqa: E402
from reviewer.core.word_timing import Timed, letters  # noqa: E402
from reviewer.demo import demo_dir  # noqa: E402
from reviewer.formats.load import load_benchmark  # noqa: E402
from reviewer.formats.nist import parse_ctm  # noqa: E402
from reviewer.formats.nlp import parse_nlp  # noqa: E402
from reviewer.formats.registry import ReadOptions  # noqa: E402

OPTIONS = ScoreOptions(normalize="basic")
# The demo's planted mistakes, put back to what was spoken (its README, "Planted label errors")
SPOKEN = {"alice_04": ("I think rabbit could", "I think I could"),
          "alice_11": ("moment, tell you", "moment, I tell you"),
          "alice_19": ("I she be", "I must be")}
KINDS = ("substitution", "longer", "shorter", "deletion", "insertion")


def load_demo() -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, Timed]]]:
    """The demo's references (planted mistakes undone), predictions and word times."""
    folder = demo_dir("asr")
    preds = [(name, folder / f"{name}.ctm")
             for name in ("sphinx-default", "sphinx-lw10", "sphinx-alice")]
    bench = load_benchmark(folder / "reference.stm", preds, ReadOptions(kind="asr"))
    refs = {item.id: item.reference for item in bench.items}
    for item_id, (wrong, right) in SPOKEN.items():
        assert wrong in refs[item_id], item_id
        refs[item_id] = refs[item_id].replace(wrong, right, 1)
    times = {system: {item_id: tuple((str(w), float(s), float(e))
                                     for w, s, e in meta["words"])  # type: ignore[attr-defined]
                      for item_id, meta in by_item.items()}
             for system, by_item in bench.prediction_meta.items()}
    return refs, bench.predictions, times


def plant(reference: str, kind: str, vocabulary: list[str], rng: random.Random) -> str | None:
    """``reference`` with one mistake of ``kind`` at a random word where one fits (None:
    none fits anywhere)."""
    words = reference.split()
    if kind == "deletion":
        if len(words) < 2:
            return None
        k = rng.randrange(len(words))
        return " ".join(words[:k] + words[k + 1:])
    if kind == "insertion":
        k = rng.randrange(len(words) + 1)
        return " ".join([*words[:k], rng.choice(vocabulary), *words[k:]])
    fits: Callable[[str, str], bool] = {
        "substitution": lambda said, w: True,
        "longer": lambda said, w: letters(w) >= letters(said) + 3,
        "shorter": lambda said, w: letters(w) <= letters(said) - 3,
    }[kind]
    options = []
    for k, said in enumerate(words):
        bare = said.casefold().strip(",.!?;")
        choices = [w for w in vocabulary if w != bare and fits(said, w)]
        if choices:
            options.append((k, choices))
    if not options:
        return None
    k, choices = rng.choice(options)
    return " ".join([*words[:k], rng.choice(choices), *words[k + 1:]])


def vocabulary_of(refs: Mapping[str, str]) -> list[str]:
    """The distinct words of the references, casefolded and without punctuation: what a
    planted substitution draws from."""
    return sorted({w.strip(",.!?;").casefold() for r in refs.values() for w in r.split()}
                  - {""})


def rows_of(refs: Mapping[str, str], preds: Mapping[str, Mapping[str, str]]
            ) -> dict[str, list[ScoredItem]]:
    score = spec("asr").score_pair
    return {s: [ScoredItem(i, score(r, by_item[i], OPTIONS), r, by_item[i])
                for i, r in refs.items()] for s, by_item in preds.items()}


def trial(refs: dict[str, str], preds: dict[str, dict[str, str]],
          times: dict[str, dict[str, Timed]], clean: dict[str, list[ScoredItem]], kind: str,
          planted: int, vocabulary: list[str], rng: random.Random
          ) -> tuple[list[int], list[int]] | None:
    """The planted items' ranks without and with times (``clean``: the rows unplanted)."""
    chosen = rng.sample(sorted(refs), planted)
    spoiled = {}
    for item_id in chosen:
        changed = plant(refs[item_id], kind, vocabulary, rng)
        if changed is None:
            return None
        spoiled[item_id] = changed
    score = spec("asr").score_pair
    rows = {s: [ScoredItem(r.item_id, score(spoiled[r.item_id], r.prediction or "", OPTIONS),
                           spoiled[r.item_id], r.prediction) if r.item_id in spoiled else r
                for r in items] for s, items in clean.items()}
    out = []
    for timed in (None, times):
        scores = word_suspects(rows, timed)
        order = sorted(scores, key=lambda i: -scores[i])  # stable: item order breaks ties
        out.append(sorted(order.index(i) + 1 for i in chosen))
    return out[0], out[1]


EARNINGS_SYSTEMS = {"amazon": "output/amazon", "google": "output/google",
                    "speechmatics": "output/speechmatics", "rev-kaldi": "output/rev/kaldi/ctm"}
_SPELLED = re.compile(r"[^\w']+")


def _norm(token: str) -> str:
    return _SPELLED.sub("", token.casefold())


def _timed_tokens(path: Path) -> list[tuple[str, float, float]]:
    """A system's words of one call with their times (words without times left out)."""
    if path.suffix == ".ctm":
        return [(w.word, w.start, w.end) for w in parse_ctm(path)]
    return [(r.token, r.start, r.end) for r in parse_nlp(path, [])
            if r.start is not None and r.end is not None and r.token]


def _chunks(tokens: list[str], punctuation: list[str]) -> list[tuple[int, int]]:
    """Reference token ranges of about 20 words, cut after a sentence's end."""
    out = []
    start = 0
    for k, mark in enumerate(punctuation):
        size = k + 1 - start
        if (size >= 12 and mark in (".", "?", "!")) or size >= 30:
            out.append((start, k + 1))
            start = k + 1
    if start < len(tokens):
        out.append((start, len(tokens)))
    return out


def _hyp_starts(ref: list[str], hyp: list[str]) -> list[int]:
    """For each reference position (and the end), where its aligned stretch of ``hyp``
    starts; words inserted before a reference word go with the word before."""
    starts = [0] * (len(ref) + 1)
    for op in Levenshtein.opcodes([_norm(t) for t in ref], [_norm(t) for t in hyp]):
        n = op.src_end - op.src_start  # an insertion (n = 0) ends where the next op starts
        for k in range(n):
            starts[op.src_start + k] = op.dest_start + (op.dest_end - op.dest_start) * k // n
    starts[len(ref)] = len(hyp)
    return starts


def _reference_rows(path: Path) -> list[tuple[str, str]]:
    """``(token, punctuation)`` of each row of a reference NLP file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("|")
    token, mark = header.index("token"), header.index("punctuation")
    return [(f[token], f[mark]) for f in (line.split("|") for line in lines[1:]) if f[token]]


def load_earnings(root: Path, files: int
                  ) -> tuple[dict[str, str], dict[str, dict[str, str]],
                             dict[str, dict[str, Timed]]]:
    """Earnings-21 calls cut into items: references, predictions and word times."""
    refs: dict[str, str] = {}
    preds: dict[str, dict[str, str]] = {s: {} for s in EARNINGS_SYSTEMS}
    times: dict[str, dict[str, Timed]] = {s: {} for s in EARNINGS_SYSTEMS}
    calls = sorted(p.stem for p in (root / "transcripts" / "nlp_references").glob("*.nlp"))
    taken = 0
    for call in calls:
        found = {s: root / folder / f"{call}{'.ctm' if 'ctm' in folder else '.nlp'}"
                 for s, folder in EARNINGS_SYSTEMS.items()}
        if not all(p.is_file() for p in found.values()):
            continue
        rows = _reference_rows(root / "transcripts" / "nlp_references" / f"{call}.nlp")
        tokens = [t for t, _ in rows]
        shown = [t + mark for t, mark in rows]
        cuts = _chunks(tokens, [mark for _, mark in rows])
        for system, path in found.items():
            words = _timed_tokens(path)
            starts = _hyp_starts(tokens, [w for w, _, _ in words])
            for a, b in cuts:
                item_id = f"{call}_{a:05d}"
                stretch = words[starts[a]:starts[b]]
                preds[system][item_id] = " ".join(w for w, _, _ in stretch)
                times[system][item_id] = tuple(stretch)
        for a, b in cuts:
            refs[f"{call}_{a:05d}"] = " ".join(shown[a:b])
        taken += 1
        if taken == files:
            break
    return refs, preds, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--planted", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--earnings21", type=Path, default=None,
                        help="the Earnings-21 release folder (instead of the demo)")
    parser.add_argument("--files", type=int, default=6, help="Earnings-21 calls to use")
    args = parser.parse_args()
    if args.earnings21 is not None:
        refs, preds, times = load_earnings(args.earnings21, args.files)
        print(f"Earnings-21, {args.files} calls", end=": ")
    else:
        refs, preds, times = load_demo()
        print("asr demo, its planted mistakes undone", end=": ")
    vocabulary = vocabulary_of(refs)
    rng = random.Random(args.seed)
    clean = rows_of(refs, preds)
    k = args.planted
    print(f"{len(refs)} items, {len(preds)} systems; "
          f"{args.trials} trials of {k} planted mistakes each")
    print(f"{'mistake':<14}{'top-' + str(k) + ' words':>12}{'+ times':>9}"
          f"{'mean rank words':>17}{'+ times':>9}")
    for kind in KINDS:
        found: list[tuple[list[int], list[int]]] = []
        while len(found) < args.trials:
            result = trial(refs, preds, times, clean, kind, k, vocabulary, rng)
            if result is not None:
                found.append(result)
        cells = []
        for side in (0, 1):
            ranks = [r for pair in found for r in pair[side]]
            cells.append((sum(r <= k for r in ranks) / len(ranks), statistics.fmean(ranks)))
        print(f"{kind:<14}{cells[0][0]:>12.3f}{cells[1][0]:>9.3f}"
              f"{cells[0][1]:>17.2f}{cells[1][1]:>9.2f}")
    took = {}
    for label, timed in (("words", None), ("+ times", times)):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            word_suspects(clean, timed)
            runs.append(time.perf_counter() - start)
        took[label] = min(runs)
    print(f"time to rank the {len(refs):,} items (best of 3): {took['words']:.2f} s from the "
          f"words, {took['+ times']:.2f} s with the times")
    return 0


if __name__ == "__main__":
    sys.exit(main())
