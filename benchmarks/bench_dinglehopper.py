"""reviewer's ``dinglehopper`` preset against dinglehopper itself, on the same page pairs.

Each GT/OCR pair (PAGE-XML, ALTO or plain text) is scored by reviewer (the page read as
the preset reads it, then aligned) and, when a Python interpreter with dinglehopper is
given, by dinglehopper in that interpreter (its file readers, CER and word sequences);
the script prints both numbers and both times, and says whether they agree.

    python benchmarks/bench_dinglehopper.py GT.xml OCR.xml [GT2 OCR2 ...] \\
        [--dinglehopper /tmp/dh/bin/python]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from reviewer.core.counts import ScoreOptions
from reviewer.core.evaluate import score_pair
from reviewer.formats.registry import ReadOptions, detect

# Run in dinglehopper's interpreter: page text, CER distance/units, word distance/units.
_PEER = """
import json, sys, time
from dinglehopper.ocr_files import extract
from dinglehopper.edit_distance import distance
from dinglehopper.word_error_rate import words_normalized
from rapidfuzz.distance import Levenshtein
start = time.perf_counter()
gt, ocr = extract(sys.argv[1]), extract(sys.argv[2])
d = distance(gt, ocr)
gw, ow = list(words_normalized(gt.text)), list(words_normalized(ocr.text))
print(json.dumps({"cer": [d, len(gt.grapheme_clusters)],
                  "wer": [Levenshtein.distance(gw, ow), len(gw)],
                  "seconds": time.perf_counter() - start}))
"""


def page_text(path: Path) -> str:
    """The one page of ``path`` as the preset reads it (a text file is its lines)."""
    options = ReadOptions(unit="page", normalize="dinglehopper")
    loaded = detect(path).read(path, options) if path.suffix == ".xml" else None
    if loaded is not None and len(loaded.items) == 1:
        return loaded.items[0].reference
    lines = path.read_text(encoding="utf-8").removeprefix("\ufeff").splitlines()
    return "\n".join(line.strip() for line in lines)


def reviewer_counts(gt: Path, ocr: Path) -> dict[str, object]:
    start = time.perf_counter()
    counts = score_pair(page_text(gt), page_text(ocr), kind="text",
                        options=ScoreOptions(normalize="dinglehopper"))
    return {"cer": [counts.main_errors, counts.main_units],
            "wer": [counts.second_errors, counts.second_units],
            "seconds": time.perf_counter() - start}


def peer_counts(python: str, gt: Path, ocr: Path) -> dict[str, object]:
    done = subprocess.run([python, "-c", _PEER, str(gt), str(ocr)], capture_output=True,
                          text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="GT OCR [GT OCR ...]")
    parser.add_argument("--dinglehopper", metavar="PYTHON",
                        help="a Python interpreter that has dinglehopper installed")
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("give the files in GT OCR pairs")
    same = True
    for gt, ocr in zip(args.files[::2], args.files[1::2], strict=True):
        ours = reviewer_counts(gt, ocr)
        line = (f"{gt.name} vs {ocr.name}: reviewer CER {ours['cer']} WER {ours['wer']} "
                f"in {ours['seconds']:.2f} s")
        if args.dinglehopper:
            theirs = peer_counts(args.dinglehopper, gt, ocr)
            agree = ours["cer"] == theirs["cer"] and ours["wer"] == theirs["wer"]
            same = same and agree
            line += (f"; dinglehopper CER {theirs['cer']} WER {theirs['wer']} in "
                     f"{theirs['seconds']:.2f} s; {'same' if agree else 'DIFFERENT'}")
        print(line)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
