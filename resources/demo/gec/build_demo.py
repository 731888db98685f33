"""Build the bundled grammatical-error-correction demo for reviewer.

Run from the repository root:  python resources/demo/gec/build_demo.py

Sentences: ERRANT's four demo sentences with both of their annotators (``errant/``, MIT
licence kept beside them) and 36 learner-style sentences written for this demo, each with
one gold correction (a few with a second annotator). In two of them the gold correction
deliberately misses an error: gold omissions a reviewer should accept (key A).

Two systems, seeded: ``careful`` makes about half of the gold edits and few others;
``eager`` makes most of them, sometimes with a wrong word, and adds more of its own. Both
fix the two omitted errors. Every M2 file is written by ERRANT from the corrected
sentences, so edit types are real ERRANT types. Needs errant and a spaCy English model
(pip install -e '.[gec]' and a model such as en_core_web_sm).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from reviewer.core.gec import M2Edit, apply, block_text  # noqa: E402
from reviewer.formats.gec_text import extract  # noqa: E402
from reviewer.formats.m2 import write_m2  # noqa: E402

SEED = 2019
# (original, gold correction, second annotator or None, true correction when the gold
# misses an error, else None). Tokens are separated by spaces, as in M2 files.
SENTENCES: list[tuple[str, str, str | None, str | None]] = [
    ("I has been living in London since three years .",
     "I have been living in London for three years .", None, None),
    ("She do n't like apples , but she love oranges .",
     "She does n't like apples , but she loves oranges .", None, None),
    ("Yesterday I go to the cinema with my freinds .",
     "Yesterday I went to the cinema with my friends .", None, None),
    ("He is more taller than his brother .", "He is taller than his brother .", None, None),
    ("We discussed about the problem for a long time .",
     "We discussed the problem for a long time .", None, None),
    ("There is many reasons why people move to cities .",
     "There are many reasons why people move to cities .", None, None),
    ("I am agree with your opinion .", "I agree with your opinion .", None, None),
    ("My sister is a engineer and she work in a big company .",
     "My sister is an engineer and she works for a big company .", None, None),
    ("The informations in this book is very useful .",
     "The information in this book is very useful .", None, None),
    ("He suggested me to take a bus .", "He suggested that I take a bus .",
     "He suggested I take a bus .", None),
    ("Its a beautiful day , lets go outside .",
     "It 's a beautiful day , let 's go outside .", None, None),
    ("I look forward to hear from you .", "I look forward to hearing from you .", None, None),
    ("Despite of the rain , we played football .", "Despite the rain , we played football .",
     "In spite of the rain , we played football .", None),
    ("She can speaks three languages fluently .",
     "She can speak three languages fluently .", None, None),
    ("Every students must bring their books tomorrow .",
     "Every student must bring their books tomorrow .", None, None),
    ("i think that english is a difficult language .",
     "I think that English is a difficult language .", None, None),
    ("We was very tired after the long journey .",
     "We were very tired after the long journey .", None, None),
    ("He have never seen snow before he moved to Canada .",
     "He had never seen snow before he moved to Canada .", None, None),
    ("The children is playing in the garden .", "The children are playing in the garden .",
     None, None),
    ("I did n't knew the answer .", "I did n't know the answer .", None, None),
    ("Can you explain me the rules ?", "Can you explain the rules to me ?", None, None),
    ("She is good in mathematics .", "She is good at mathematics .", None, None),
    ("They arrived to the airport late .", "They arrived at the airport late .", None, None),
    ("This is the most cheapest hotel in town .", "This is the cheapest hotel in town .",
     None, None),
    ("I have visited Paris last summer .", "I visited Paris last summer .", None, None),
    ("The weather was so bad that we stayed in home .",
     "The weather was so bad that we stayed at home .", None, None),
    ("He gave me an useful advice .", "He gave me a useful piece of advice .",
     "He gave me useful advice .", None),
    ("My father works as a doctor since 1990 .",
     "My father has worked as a doctor since 1990 .", None, None),
    ("We need to buy some furnitures for the new flat .",
     "We need to buy some furniture for the new flat .", None, None),
    ("If I will see him , I will tell him .", "If I see him , I will tell him .", None, None),
    ("The book what I read was interesting .", "The book that I read was interesting .",
     "The book which I read was interesting .", None),
    ("She always come late to class .", "She always comes late to class .", None, None),
    ("This sentence is correct .", "This sentence is correct .", None, None),
    ("Please send me the documents untill Friday .",
     "Please send me the documents by Friday .", None, None),
    # Gold omissions: the gold correction leaves one error in.
    ("She go to school by bus every days .", "She goes to school by bus every days .", None,
     "She goes to school by bus every day ."),
    ("The teacher explained us the lesson carefuly .",
     "The teacher explained the lesson to us carefuly .", None,
     "The teacher explained the lesson to us carefully ."),
]

# A wrong word the eager system sometimes puts where the gold has the first.
WRONG: dict[str, str] = {
    "have": "has", "are": "is", "were": "was", "went": "gone", "for": "during", "at": "in",
    "by": "until", "an": "the", "speak": "speaking", "hearing": "hear", "know": "known",
    "agree": "agreed", "goes": "going", "comes": "coming", "loves": "loving",
    "works": "working", "friends": "friend", "that": "which", "had": "has",
    "visited": "was visiting", "student": "students", "information": "informations",
}


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def corrected(tokens: list[str], edits: list[M2Edit]) -> str:
    """The sentence after ``edits`` (a subset of one annotator's edits)."""
    return " ".join(t for piece, _ in apply(tokens, edits) for t in piece.split())


def spurious(tokens: list[str], rng: random.Random) -> list[str]:
    """One edit of the system's own: an article, a comma, a capital or a dropped stop."""
    out = list(tokens)
    choice = rng.randrange(4)
    if choice == 0 and len(out) > 3:
        k = rng.randrange(1, len(out) - 1)
        if out[k - 1] not in ("the", "a", "an") and out[k].isalpha() and out[k].islower():
            out.insert(k, "the")
    elif choice == 1 and len(out) > 3:
        out.insert(1, ",")
    elif choice == 2 and len(out) > 3:
        k = rng.randrange(1, len(out) - 1)
        if out[k].isalpha():
            out[k] = out[k].capitalize()
    elif out and out[-1] == ".":
        out.pop()
    return out


def system_edits(target: list[M2Edit], rng: random.Random, keep: float,
                 wrong: float) -> list[M2Edit]:
    """Some of ``target``'s edits, a few of them with a wrong word."""
    chosen = []
    for e in target:
        if rng.random() >= keep:
            continue
        if rng.random() < wrong and e.correction in WRONG:
            e = M2Edit(e.start, e.end, e.type, WRONG[e.correction], e.annotator)
        chosen.append(e)
    return chosen


def main() -> None:
    rng = random.Random(SEED)
    errant_dir = HERE / "errant"
    originals = lines(errant_dir / "orig.txt")
    first, second = lines(errant_dir / "cor1.txt"), lines(errant_dir / "cor2.txt")
    rows = [(o, a, b, None) for o, a, b in zip(originals, first, second, strict=True)]
    rows += SENTENCES
    sources = [r[0] for r in rows]
    where = HERE / "gold.m2"
    gold0 = extract(where, sources, [r[1] for r in rows], annotator=0)
    with_second = [k for k, r in enumerate(rows) if r[2] is not None]
    gold1 = dict(zip(with_second, extract(where, [sources[k] for k in with_second],
                                          [rows[k][2] or "" for k in with_second],
                                          annotator=1), strict=True))
    omitted = [k for k, r in enumerate(rows) if r[3] is not None]
    truth = dict(zip(omitted, extract(where, [sources[k] for k in omitted],
                                      [rows[k][3] or "" for k in omitted]), strict=True))
    blocks = [(str(k + 1), block_text(src, gold0[k] + gold1.get(k, [])))
              for k, src in enumerate(sources)]
    write_m2(HERE / "gold.m2", blocks)
    (HERE / "orig.txt").write_text("\n".join(sources) + "\n", encoding="utf-8")
    (HERE / "gold.cor.txt").write_text("\n".join(r[1] for r in rows) + "\n", encoding="utf-8")
    settings = {"careful": (0.55, 0.0, 0.1), "eager": (0.85, 0.2, 0.45)}
    for name, (keep, wrong, extra) in settings.items():
        outputs = []
        for k, src in enumerate(sources):
            target = [e for e in truth.get(k, gold0[k]) if not e.is_noop]
            # Both systems fix the errors the gold missed: those are the omissions to find.
            must = [e for e in target if k in truth and e not in gold0[k]]
            chosen = system_edits([e for e in target if e not in must], rng, keep, wrong)
            tokens = corrected(src.split(), [*chosen, *must]).split()
            if rng.random() < extra:
                tokens = spurious(tokens, rng)
            outputs.append(" ".join(tokens))
        (HERE / f"{name}.txt").write_text("\n".join(outputs) + "\n", encoding="utf-8")
        found = extract(HERE / f"{name}.txt", sources, outputs)
        write_m2(HERE / f"{name}.m2", [(str(k + 1), block_text(src, found[k]))
                                        for k, src in enumerate(sources)])
    for path in HERE.glob("*.m2"):
        path.chmod(0o644)  # atomic writes create private files; these are shipped
    print(f"wrote {len(sources)} sentences to {HERE}")


if __name__ == "__main__":
    main()
