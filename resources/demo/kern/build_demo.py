"""Build the bundled kern (OMR) demo benchmark for reviewer.

Run from the repository root:  python resources/demo/kern/build_demo.py

Steps (seeded, so re-running writes the same files): cut short excerpts at barlines from
kern scores in the music21 package's corpus (music21 9.9.1: Chopin's Mazurka op. 6 no. 2
and Beethoven's string quartet op. 18 no. 1, encoded by Craig Stuart Sapp); write each
as a reference; make two simulated OMR systems' predictions by applying realistic OMR
mistakes to the true excerpt (lost beams, wrong accidentals, a pitch a step off, dropped
dots and ties, a missing measure, a broken spine); then put two deliberate mistakes into
the references, so the demo has label errors to find. Every reference is checked with
reviewer's kern check and with converter21.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

SEED = 1832
# (item id, corpus file, first measure, last measure)
EXCERPTS = (
    ("chopin-op6no2-m01-04", "chopin/mazurka06-2.krn", 1, 4),
    ("chopin-op6no2-m05-08", "chopin/mazurka06-2.krn", 5, 8),
    ("chopin-op6no2-m09-12", "chopin/mazurka06-2.krn", 9, 12),
    ("beethoven-op18no1-i-m01-06", "beethoven/opus18no1/movement1.krn", 1, 6),
    ("beethoven-op18no1-ii-m01-03", "beethoven/opus18no1/movement2.krn", 1, 3),
    ("beethoven-op18no1-iii-m01-06", "beethoven/opus18no1/movement3.krn", 1, 6),
    ("beethoven-op18no1-iii-m07-12", "beethoven/opus18no1/movement3.krn", 7, 12),
    ("beethoven-op18no1-iv-m01-04", "beethoven/opus18no1/movement4.krn", 1, 4),
)
# name -> (mistakes per item, missing measure, broken spine)
SYSTEMS = {"omr-careful": (2, False, False), "omr-hasty": (5, True, True)}
# item id -> (what is wrong in its reference, the mistake)
REFERENCE_MISTAKES = {
    "chopin-op6no2-m05-08": "pitch",
    "beethoven-op18no1-iii-m01-06": "accidental",
}
KEEP_RECORDS = ("!!!COM", "!!!OTL", "!!!OPS", "!!!ONM", "!!!OMV", "!!!OMD", "!!!ENC", "!!!END",
                "!!!EED")
_NOTE = re.compile(r"([a-gA-G])\1*")


def corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def excerpt(path: Path, first: int, last: int) -> str:
    """Measures ``first``..``last`` of a kern file, with its header, closed with == and *-."""
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [ln for ln in lines if ln.startswith(KEEP_RECORDS)]
    body = [ln for ln in lines if not ln.startswith("!!")]
    start = next(k for k, ln in enumerate(body) if ln.startswith("**"))
    header: list[str] = []
    k = start
    while k < len(body) and body[k].startswith("*"):
        if not body[k].split("\t")[0].startswith("*>"):
            header.append(body[k])
        k += 1
    width = len(header[0].split("\t"))
    bars = {int(m.group(1)): n for n, ln in enumerate(body)
            if (m := re.match(r"=(\d+)", ln)) is not None}
    begin = k if first == 1 and 1 not in bars else bars[first]
    end = bars.get(last + 1, len(body))
    for n in (begin, end):
        if n < len(body) and len(body[n].split("\t")) != width:
            raise SystemExit(f"{path}: cannot cut at line {n}: spines are split there")
    header = _current_header(header, body[k:begin], width)
    kept = [ln for ln in body[begin:end] if not ln.split("\t")[0].startswith("*>")
            and ln != "*-\t" * (width - 1) + "*-"]
    source = f"{path.relative_to(corpus_dir()).as_posix()}"
    note = (f"!!!ONB: measures {first}-{last} of {source} from the music21 9.9.1 corpus, "
            "excerpted for the reviewer demo")
    tail = ["\t".join(["=="] * width), "\t".join(["*-"] * width)]
    return "\n".join([*records, note, *header, *kept, *tail]) + "\n"


def _current_header(header: list[str], before: list[str], width: int) -> list[str]:
    """The header with the clefs, keys and meters in force at the cut."""
    rows = [ln.split("\t") for ln in header]
    for line in before:
        fields = line.split("\t")
        if len(fields) != width or not fields[0].startswith("*"):
            continue
        for col, token in enumerate(fields):
            for row in rows:
                if _same_kind(row[col], token) and token != row[col]:
                    row[col] = token
    return ["\t".join(r) for r in rows]


def _same_kind(a: str, b: str) -> bool:
    for prefix in ("*clef", "*k[", "*M", "*MM"):
        if a.startswith(prefix) and b.startswith(prefix) and (
                prefix != "*M" or (a[2:3].isdigit() and b[2:3].isdigit())):
            return True
    return False


# -- simulated OMR mistakes ------------------------------------------------------------------
def _data_cells(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, field index) of every note token of a **kern spine."""
    from reviewer.core.kern.syntax import spine_types

    spines = spine_types("\n".join(lines))
    out = []
    for n, line in enumerate(lines):
        if line.startswith(("!", "*", "=")):
            continue
        for f, token in enumerate(line.split("\t")):
            if (spines.get((n + 1, f + 1)) == "**kern" and token != "." and "q" not in token
                    and _NOTE.search(token)):
                out.append((n, f))
    return out


def _change(lines: list[str], cell: tuple[int, int], token: str) -> None:
    fields = lines[cell[0]].split("\t")
    fields[cell[1]] = token
    lines[cell[0]] = "\t".join(fields)


def _step(letter: str, up: bool) -> str:
    """A kern pitch a step up or down in the same octave (b never goes up, c never down)."""
    order = "cdefgab"
    lower = letter.lower()
    k = order.index(lower[0])
    k = k + 1 if (up and k < 6) or k == 0 else k - 1
    shifted = order[k] * len(lower)
    return shifted if letter.islower() else shifted.upper()


def mutate(lines: list[str], rng: random.Random, kind: str) -> str | None:
    """Apply one mistake of ``kind``; returns what was done, or None if nothing fitted."""
    cells = _data_cells(lines)
    rng.shuffle(cells)
    for cell in cells:
        token = lines[cell[0]].split("\t")[cell[1]]
        if kind == "pitch" and " " not in token:
            m = _NOTE.search(token)
            if m is None or "r" in token:
                continue
            new = token[:m.start()] + _step(m.group(0), rng.random() < 0.5) + token[m.end():]
        elif kind == "accidental" and " " not in token:
            if "#" in token:
                new = token.replace("#", "", 1)
            elif "-" in token:
                new = token.replace("-", "n", 1) if rng.random() < 0.5 else token.replace("-", "")
            else:
                continue
        elif kind == "beam" and ("L" in token):
            new = token.replace("L", "")
            _drop_next(lines, cell, "J")
        elif kind == "dot" and re.search(r"\d\.", token):
            new = re.sub(r"(\d)\.", r"\1", token, count=1)
        elif kind == "tie" and "[" in token:
            new = token.replace("[", "")
            _drop_next(lines, cell, "]")
        elif kind == "articulation" and "'" in token:
            new = token.replace("'", "")
        else:
            continue
        _change(lines, cell, new)
        return f"{kind}: line {cell[0] + 1} {token!r} -> {new!r}"
    return None


def _drop_next(lines: list[str], cell: tuple[int, int], mark: str) -> None:
    for n in range(cell[0] + 1, len(lines)):
        fields = lines[n].split("\t")
        if cell[1] < len(fields) and mark in fields[cell[1]]:
            fields[cell[1]] = fields[cell[1]].replace(mark, "", 1)
            lines[n] = "\t".join(fields)
            return


def drop_measure(lines: list[str], rng: random.Random) -> str | None:
    """Delete one inner measure (from its barline to the next one)."""
    bars = [n for n, ln in enumerate(lines) if re.match(r"=\d", ln)]
    if len(bars) < 3:
        return None
    k = rng.randrange(0, len(bars) - 2)
    del lines[bars[k]:bars[k + 1]]
    return f"measure at line {bars[k] + 1} deleted"


def break_spine(lines: list[str], rng: random.Random) -> str | None:
    """Drop the last field of one data record (a record with too few fields)."""
    rows = [n for n, ln in enumerate(lines) if "\t" in ln and not ln.startswith(("!", "*", "="))]
    if not rows:
        return None
    n = rng.choice(rows)
    lines[n] = lines[n].rsplit("\t", 1)[0]
    return f"broken spine: line {n + 1} lost its last field"


def predict(text: str, rng: random.Random, mistakes: int, missing: bool,
            broken: bool) -> tuple[str, list[str]]:
    lines = text.rstrip("\n").split("\n")
    done = []
    kinds = ["beam", "accidental", "pitch", "dot", "tie", "articulation"]
    for _ in range(mistakes):
        for kind in rng.sample(kinds, len(kinds)):
            what = mutate(lines, rng, kind)
            if what:
                done.append(what)
                break
    if missing and (what := drop_measure(lines, rng)):
        done.append(what)
    if broken and (what := break_spine(lines, rng)):
        done.append(what)
    return "\n".join(lines) + "\n", done


def check(item_id: str, text: str) -> None:
    import converter21
    from converter21.humdrum import HumdrumFileSet

    from reviewer.core.kern.syntax import errors

    if problems := errors(text):
        raise SystemExit(f"{item_id}: {problems[0]}")
    converter21.register()
    files = HumdrumFileSet()
    files.readString(text)
    score = files.createMusic21Stream()
    if not list(score.recurse().notes):
        raise SystemExit(f"{item_id}: converter21 found no notes")


def main() -> int:
    corpus = corpus_dir()
    rng = random.Random(SEED)
    folders = {"reference": HERE / "reference", **{s: HERE / s for s in SYSTEMS}}
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    log: dict[str, dict[str, list[str]]] = {}
    for item_id, source, first, last in EXCERPTS:
        truth = excerpt(corpus / source, first, last)
        check(item_id, truth)
        log[item_id] = {}
        for system, (mistakes, missing, broken) in SYSTEMS.items():
            text, done = predict(truth, rng, mistakes, missing and rng.random() < 0.5,
                                 broken and item_id.startswith("chopin-op6no2-m09"))
            (folders[system] / f"{item_id}.krn").write_text(text, encoding="utf-8")
            log[item_id][system] = done
        reference = truth
        if item_id in REFERENCE_MISTAKES:
            lines = truth.rstrip("\n").split("\n")
            what = mutate(lines, random.Random(SEED + len(log)), REFERENCE_MISTAKES[item_id])
            reference = "\n".join(lines) + "\n"
            log[item_id]["reference"] = [str(what)]
        check(item_id, reference)
        (folders["reference"] / f"{item_id}.krn").write_text(reference, encoding="utf-8")
    shutil.copy(corpus / "license.txt", HERE / "LICENSE-music21-corpus.txt")
    (HERE / "mistakes.json").write_text(json.dumps(log, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(EXCERPTS)} items for {', '.join(SYSTEMS)} in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
