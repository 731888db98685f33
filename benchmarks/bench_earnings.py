"""Earnings-21 and Earnings-22 as published, scored the way fstalign scores them.

Takes the path of an extracted speech-datasets checkout (media are not needed):

    python benchmarks/bench_earnings.py /tmp/sd [--files N] [--hyphens]
        [--search exact] [--search fstalign-adapted] [--search fstalign-2021] [--jobs N]
        [--system rev/kaldi/nlp]

The published Earnings-21 tables were made in 2021, before fstalign matched hyphenated
compounds with their parts (added in January 2022): by default the comparison leaves that
rule out, as the fstalign of the paper did; ``--hyphens`` applies it (reviewer's default).

``--search`` picks the path (repeat it to compare): ``exact`` (the least-cost path, the
default), ``fstalign-adapted`` (the path fstalign's default search picks, slower), or
``fstalign-standard`` / ``fstalign-2021`` (fstalign's standard composition, today's and
as the 2021 releases ran it, which made the published tables; slower still);
``--jobs`` aligns that many calls at once; ``--system FOLDER`` scores only that system.

(a) Earnings-21: every system output under ``earnings21/output`` against
    ``transcripts/nlp_references`` with the ``normalizations`` and ``wer_tags`` sidecars:
    overall WER (errors and reference words summed over the calls) and WER per entity
    class, printed next to the figures of the tables in ``earnings21/transcripts/README.md``
    (read from the checkout at run time), and how many cells agree with them (equal at
    the tables' one decimal, and within 0.1 point).
(b) Earnings-22: the references against a hypothesis set made here, since the repository
    publishes no system outputs for it: each call's reference read by a "recogniser" that
    says every normalised span as its most probable verbalisation, lower-cased, drops
    every 20th word and writes ``uh`` for every 25th. Overall and per tag class
    (Earnings-22 has no wer_tag sidecars, so classes come from the ``tags`` column, as
    fstalign's class WER counts them), with and without the normalisation sidecars.
(c) Time: reviewer's alignment (each search) against jiwer's on the same Earnings-21
    pairs (jiwer gets the written reference tokens, lower-cased: it has no normalisations).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.core.entity_wer import EntityCounts, per_class, per_span_class, per_tag
from reviewer.core.lattice_wer import SEARCHES, RefToken, Search, align
from reviewer.formats.nlp import (
    parse_nlp,
    read_normalizations,
    read_wer_tags,
    sidecar,
)

# Column heads of the published tables -> output folders of the checkout.
SYSTEMS = {"Google": "google", "Amazon": "amazon", "Microsoft": "microsoft",
           "Speechmatics": "speechmatics", "Rev<br />Kaldi": "rev/kaldi/nlp",
           "Rev<br />ESPNet": "rev/espnet/nlp",
           "Kaldi.org<br />Librispeech": "kaldi_org/librispeech/nlp"}


def published(readme: Path) -> dict[str, dict[str, str]]:
    """``row -> column -> value`` of the Overall and Entity tables of the README."""
    out: dict[str, dict[str, str]] = {}
    header: list[str] = []
    for line in readme.read_text("utf-8").splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip()[1:-1].split("|")]
        if not header:
            header = cells
            continue
        if set(cells[0]) <= set("-"):
            continue
        out.setdefault(cells[0].strip("_"), dict(zip(header[1:], cells[1:], strict=False)))
    return out


def hyp_words(path: Path) -> list[str]:
    if path.suffix == ".nlp":
        return [r.token for r in parse_nlp(path, [])]
    return path.read_text("utf-8").split()


def rate(c: EntityCounts) -> str:
    return f"{100 * c.errors / c.units:5.1f}" if c.units else "    -"


def agreement(cells: list[tuple[EntityCounts, str | None]]) -> tuple[int, int, int]:
    """How many (ours, published) cells agree: equal when ours is rounded to the published
    one decimal, within 0.1 point, and how many cells have a published figure."""
    same = near = n = 0
    for counts, figure in cells:
        if not figure or not counts.units:
            continue
        try:
            theirs = float(figure)
        except ValueError:
            continue
        ours = 100 * counts.errors / counts.units
        n += 1
        same += f"{ours:.1f}" == f"{theirs:.1f}"
        near += abs(ours - theirs) <= 0.1 + 1e-9
    return same, near, n


Job = tuple[list[RefToken], list[str], dict[str, list[tuple[str, ...]]], dict[str, str], bool,
            Search]


def score_call(job: Job) -> tuple[EntityCounts, dict[str, EntityCounts]]:
    """Overall counts and counts per entity class of one call."""
    rows, hyp, norms, classes, hyphens, search = job
    result = align(rows, hyp, norms, hyphens=hyphens, search=search)
    overall = EntityCounts(result.count("substitute"), result.count("delete"),
                           result.count("insert"), result.units)
    return overall, per_class(per_tag(result, rows), classes)


def earnings21(root: Path, limit: int | None, hyphens: bool, searches: list[Search],
               jobs: int, systems: list[str] | None = None
               ) -> list[tuple[list[RefToken], list[str]]]:
    base = root / "earnings21"
    chosen = {c: f for c, f in SYSTEMS.items() if not systems or f in systems}
    refs = sorted((base / "transcripts" / "nlp_references").glob("*.nlp"))[:limit]
    table = published(base / "transcripts" / "README.md")
    pairs: list[tuple[list[RefToken], list[str]]] = []
    work: list[tuple[str, list[RefToken], list[str], dict[str, list[tuple[str, ...]]],
                     dict[str, str]]] = []
    for column, folder in chosen.items():
        for ref in refs:
            found = [p for p in (base / "output" / folder).glob(ref.stem + ".*")]
            if not found:
                continue
            rows = [r.ref_token() for r in parse_nlp(ref, [])]
            norm = sidecar(base / "transcripts" / "normalizations", ref.stem, ".norm.json")
            tags = sidecar(base / "transcripts" / "wer_tags", ref.stem, ".wer_tag.json")
            hyp = hyp_words(found[0])
            pairs.append((rows, hyp))
            work.append((column, rows, hyp, read_normalizations(norm) if norm else {},
                         read_wer_tags(tags) if tags else {}))
    short = {c: re.sub(r"<br />", " ", c) for c in SYSTEMS}
    rule = "with" if hyphens else "without"
    for search in searches:
        totals = {c: EntityCounts() for c in chosen}
        classes_by_system: dict[str, dict[str, EntityCounts]] = {c: {} for c in chosen}
        calls = [(rows, hyp, norms, classes, hyphens, search)
                 for _, rows, hyp, norms, classes in work]
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(score_call, calls)) if jobs > 1 else [
                score_call(c) for c in calls]
        for (column, *_), (overall, classes) in zip(work, results, strict=True):
            totals[column] = totals[column] + overall
            into = classes_by_system[column]
            for name, counts in classes.items():
                into[name] = into.get(name, EntityCounts()) + counts
        print(f"(a) Earnings-21, {len(refs)} calls, {rule} the compound-hyphen rule, "
              f"{search} search: WER % reviewer / published")
        print(f"{'':14}" + "".join(f"{short[c][:16]:>17}" for c in chosen))
        print(f"{'overall':14}" + "".join(
            f"{rate(totals[c])} / {table.get('Earnings21', {}).get(c, '-'):>5}     "
            for c in chosen))
        names = sorted({n for cl in classes_by_system.values() for n in cl})
        for name in names:
            print(f"{name[:14]:14}" + "".join(
                f"{rate(classes_by_system[c].get(name, EntityCounts()))} / "
                f"{table.get(name, {}).get(c, '-'):>5}     " for c in chosen))
        cells = [(totals[c], table.get("Earnings21", {}).get(c)) for c in chosen] + [
            (classes_by_system[c].get(name, EntityCounts()), table.get(name, {}).get(c))
            for name in names for c in chosen]
        same, near, n = agreement(cells)
        print(f"cells with a published figure: {n}; equal at its precision (one decimal): "
              f"{same}; within 0.1 point: {near}")
        print(flush=True)
    return pairs


def made_hypothesis(rows: list[RefToken], norms: dict[str, list[tuple[str, ...]]]
                    ) -> list[str]:
    """The reference as the made-up recogniser says it (see the module docstring)."""
    words: list[str] = []
    i = 0
    while i < len(rows):
        label = rows[i].label
        j = i + 1
        while label and j < len(rows) and rows[j].label == label:
            j += 1
        candidates = norms.get(label.split(":", 1)[0]) if label else None
        words.extend(candidates[0] if candidates else [r.token.lower() for r in rows[i:j]])
        i = j
    out = []
    for k, word in enumerate(words, start=1):
        if k % 20 == 0:
            continue
        out.append("uh" if k % 25 == 0 else word)
    return out


def earnings22(root: Path, limit: int | None) -> None:
    base = root / "earnings22" / "transcripts"
    refs = sorted((base / "nlp_references").glob("*.nlp"))[:limit]
    with_norm = without = EntityCounts()
    classes: dict[str, EntityCounts] = {}
    for ref in refs:
        rows = [r.ref_token() for r in parse_nlp(ref, [])]
        norm = sidecar(base / "normalizations", ref.stem, ".norm.json")
        norms = read_normalizations(norm) if norm else {}
        hyp = made_hypothesis(rows, norms)
        for sidecars, in_total in ((norms, True), ({}, False)):
            result = align(rows, hyp, sidecars)
            counts = EntityCounts(result.count("substitute"), result.count("delete"),
                                  result.count("insert"), result.units)
            if in_total:
                with_norm = with_norm + counts
                for name, c in per_span_class(result, rows).items():
                    classes[name] = classes.get(name, EntityCounts()) + c
            else:
                without = without + counts
    print(f"\n(b) Earnings-22, {len(refs)} calls against the made hypothesis set")
    print(f"overall WER with normalisations {rate(with_norm)} % "
          f"({with_norm.errors}/{with_norm.units}), without {rate(without)} % "
          f"({without.errors}/{without.units})")
    for name, c in sorted(classes.items()):
        print(f"  {name:14} {rate(c)} % ({c.errors}/{c.units})")


def timing(pairs: list[tuple[list[RefToken], list[str]]], searches: list[Search]) -> None:
    import jiwer

    def chunks() -> Iterator[tuple[list[RefToken], list[str]]]:
        yield from pairs

    ours = []
    for search in searches:
        start = time.perf_counter()
        for rows, hyp in chunks():
            align(rows, hyp, search=search)
        ours.append(f"reviewer ({search}) {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    for rows, hyp in chunks():
        jiwer.process_words(" ".join(r.token.lower() for r in rows) or "x",
                            " ".join(w.lower() for w in hyp) or "x")
    theirs = time.perf_counter() - start
    words = sum(len(r) for r, _ in pairs)
    print(f"\n(c) {len(pairs)} pairs, {words} reference words: {', '.join(ours)}, "
          f"jiwer {theirs:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="extracted speech-datasets checkout")
    parser.add_argument("--files", type=int, default=None, help="only the first N calls")
    parser.add_argument("--hyphens", action="store_true",
                        help="Earnings-21: match hyphenated compounds with their parts, as "
                        "fstalign has since 2022 (the published tables predate it)")
    parser.add_argument("--search", action="append", choices=SEARCHES,
                        help="the path to take (repeat to compare; default: exact)")
    parser.add_argument("--jobs", type=int, default=1, help="calls aligned at once")
    parser.add_argument("--no-timing", action="store_true", help="leave out (c)")
    parser.add_argument("--system", action="append", choices=list(SYSTEMS.values()),
                        help="Earnings-21: only this system's output folder (repeat for "
                        "more; default: all seven)")
    args = parser.parse_args()
    searches = args.search or ["exact"]
    pairs = earnings21(args.checkout, args.files, args.hyphens, searches, args.jobs,
                       args.system)
    earnings22(args.checkout, args.files)
    if not args.no_timing:
        timing(pairs, searches)


if __name__ == "__main__":
    main()
