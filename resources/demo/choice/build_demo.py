"""Build the bundled multiple-choice demo for reviewer (``--kind choice``).

Run from the repository root:  python resources/demo/choice/build_demo.py

The 42 questions below were written for this demo (general knowledge; no third-party
text). Four simulated models answer them with a seeded random draw: each knows the right
answer with its own probability and otherwise guesses among the other options. Then the
answer key of a few questions is deliberately broken (see PLANTED), so the demo holds
label errors for a reviewer to find. Writes questions.csv and the generated part of
README.md. Needs only the standard library.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 1789
HERE = Path(__file__).resolve().parent
LETTERS = "ABCD"

# (id, subject, question, options, right answer(s) as letters; "" when none is right)
QUESTIONS: list[tuple[str, str, str, tuple[str, str, str, str], str]] = [
    ("q01", "geography", "What is the capital of Australia?",
     ("Sydney", "Canberra", "Melbourne", "Perth"), "B"),
    ("q02", "geography", "Which river flows through Cairo?",
     ("The Nile", "The Tigris", "The Congo", "The Niger"), "A"),
    ("q03", "geography", "Which is the largest ocean on Earth?",
     ("The Atlantic", "The Indian Ocean", "The Arctic Ocean", "The Pacific"), "D"),
    ("q04", "geography", "Mount Kilimanjaro is in which country?",
     ("Kenya", "Uganda", "Tanzania", "Ethiopia"), "C"),
    ("q05", "geography", "What is the longest river in South America?",
     ("The Amazon", "The Paraná", "The Orinoco", "The São Francisco"), "A"),
    ("q06", "geography", "Which of these countries is landlocked?",
     ("Portugal", "Bolivia", "Chile", "Peru"), "B"),
    ("q07", "geography", "The Strait of Gibraltar connects the Atlantic Ocean with which sea?",
     ("The Red Sea", "The Black Sea", "The Mediterranean Sea", "The Caspian Sea"), "C"),
    ("q08", "geography", "What is the capital of Canada?",
     ("Toronto", "Vancouver", "Montreal", "Ottawa"), "D"),
    ("q09", "science", "What is the chemical symbol for sodium?",
     ("So", "Sd", "Na", "Nm"), "C"),
    ("q10", "science", "Which planet is closest to the Sun?",
     ("Venus", "Mercury", "Mars", "Earth"), "B"),
    ("q11", "science", "Which gas do plants take in for photosynthesis?",
     ("Oxygen", "Nitrogen", "Carbon dioxide", "Hydrogen"), "C"),
    ("q12", "science", "What is the approximate speed of light in a vacuum?",
     ("300,000 km/s", "30,000 km/s", "3,000 km/s", "3,000,000 km/s"), "A"),
    ("q13", "science", "Which particle carries a negative electric charge?",
     ("The proton", "The neutron", "The electron", "The photon"), "C"),
    ("q14", "science", "How many chromosomes does a typical human body cell contain?",
     ("23", "46", "44", "48"), "B"),
    ("q15", "science", "At sea level, at what temperature does pure water boil?",
     ("90 °C", "100 °C", "110 °C", "120 °C"), "B"),
    ("q16", "science", "Which organ produces insulin?",
     ("The liver", "The kidneys", "The pancreas", "The spleen"), "C"),
    ("q17", "science", "What is the hardest naturally occurring mineral?",
     ("Quartz", "Diamond", "Topaz", "Corundum"), "B"),
    ("q18", "science", "Which element has atomic number 1?",
     ("Helium", "Hydrogen", "Lithium", "Oxygen"), "B"),
    ("q19", "mathematics", "What is 7 × 8?", ("54", "56", "58", "64"), "B"),
    ("q20", "mathematics", "What is the square root of 144?", ("11", "12", "13", "14"), "B"),
    ("q21", "mathematics", "What do the interior angles of a triangle add up to?",
     ("90°", "180°", "270°", "360°"), "B"),
    ("q22", "mathematics", "What is 15% of 200?", ("15", "20", "30", "45"), "C"),
    ("q23", "mathematics", "Which of these numbers is prime?", ("21", "27", "29", "33"), "C"),
    ("q24", "mathematics", "What comes next in the sequence 2, 4, 8, 16, …?",
     ("18", "24", "32", "64"), "C"),
    ("q25", "mathematics", "A rectangle is 4 cm wide and 9 cm long. What is its area?",
     ("13 cm²", "26 cm²", "36 cm²", "40 cm²"), "C"),
    ("q26", "mathematics", "What is 2 to the power of 10?", ("512", "1000", "1024", "2048"),
     "C"),
    ("q27", "history", "In which year did the first crewed Moon landing take place?",
     ("1965", "1969", "1972", "1975"), "B"),
    ("q28", "history", "Who was the first President of the United States?",
     ("Thomas Jefferson", "John Adams", "George Washington", "Abraham Lincoln"), "C"),
    ("q29", "history", "In which year did the Berlin Wall fall?",
     ("1987", "1989", "1991", "1993"), "B"),
    ("q30", "history", "Which civilisation built Machu Picchu?",
     ("The Aztecs", "The Maya", "The Inca", "The Olmecs"), "C"),
    ("q31", "history", "Who developed printing with movable metal type in Europe?",
     ("Johannes Gutenberg", "Leonardo da Vinci", "Galileo Galilei", "Martin Luther"), "A"),
    ("q32", "history", "Which city was the capital of the Byzantine Empire?",
     ("Rome", "Athens", "Constantinople", "Alexandria"), "C"),
    ("q33", "arts", "Who wrote the play Romeo and Juliet?",
     ("Christopher Marlowe", "William Shakespeare", "Ben Jonson", "John Milton"), "B"),
    ("q34", "arts", "Who painted the Mona Lisa?",
     ("Michelangelo", "Raphael", "Leonardo da Vinci", "Titian"), "C"),
    ("q35", "computing", "How many bits are there in one byte?", ("4", "8", "16", "32"), "B"),
    ("q36", "computing", "What does CPU stand for?",
     ("Central Processing Unit", "Computer Personal Unit", "Central Program Utility",
      "Core Processing Unit"), "A"),
    ("q37", "computing", "Which number system uses only the digits 0 and 1?",
     ("Decimal", "Hexadecimal", "Binary", "Octal"), "C"),
    ("q38", "computing", "What is the binary number 101 in decimal?", ("3", "5", "6", "9"),
     "B"),
    ("q39", "computing", "Which data structure works last in, first out?",
     ("A queue", "A stack", "A linked list", "A hash table"), "B"),
    ("q40", "computing", "Which of these is a markup language rather than a programming "
     "language?", ("Python", "HTML", "C", "Java"), "B"),
    ("q41", "science", "Which of these animals is a mammal?",
     ("The dolphin", "The shark", "The bat", "The trout"), "A|C"),
    ("q42", "science", "At sea level, at what temperature in degrees Fahrenheit does pure "
     "water boil?", ("100 °F", "180 °F", "200 °F", "312 °F"), ""),
]

# The key written to questions.csv where it differs from the right answer: id -> (key, why).
PLANTED: dict[str, tuple[str, str]] = {
    "q04": ("A", "wrong ground truth: Kenya instead of Tanzania"),
    "q10": ("A", "wrong ground truth: Venus instead of Mercury"),
    "q14": ("D", "wrong ground truth: 48 instead of 46"),
    "q22": ("B", "wrong ground truth: 20 instead of 30"),
    "q29": ("C", "wrong ground truth: 1991 instead of 1989"),
    "q38": ("D", "wrong ground truth: 9 instead of 5"),
    "q41": ("A", "multiple correct answers: the bat (C) is a mammal too"),
    "q42": ("D", "no correct answer: water boils at 212 °F, which is not an option"),
}

# Simulated models: name -> (probability of knowing the right answer, of giving no answer)
MODELS: dict[str, tuple[float, float]] = {
    "sim-large": (0.95, 0.0),
    "sim-medium": (0.88, 0.0),
    "sim-small": (0.78, 0.02),
    "sim-tiny": (0.62, 0.05),
}


def answer(rng: random.Random, right: str, skill: float, silence: float) -> str:
    """One simulated model's answer: a right one with probability ``skill``."""
    if rng.random() < silence:
        return ""
    rights = [x for x in right.split("|") if x]
    if rights and rng.random() < skill:
        return rng.choice(rights)
    return rng.choice([x for x in LETTERS if x not in rights])


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for qid, subject, question, options, right in QUESTIONS:
        key = PLANTED.get(qid, (right, ""))[0]
        answers = {name: answer(rng, right, skill, silence)
                   for name, (skill, silence) in MODELS.items()}
        rows.append({"id": qid, "subject": subject, "question": question,
                     **dict(zip(LETTERS, options, strict=True)), "answer": key, **answers})
    with open(HERE / "questions.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    update_readme()


def update_readme() -> None:
    """Rewrite the generated section of README.md (between the marker comments)."""
    readme = HERE / "README.md"
    start, end = "<!-- generated:start -->", "<!-- generated:end -->"
    body = ["| id | key in questions.csv | right answer | what is wrong |", "|---|---|---|---|"]
    right = {q[0]: q[4].replace("|", " and ") or "none" for q in QUESTIONS}
    body += [f"| `{qid}` | {key} | {right[qid]} | {why} |" for qid, (key, why) in PLANTED.items()]
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n" + "\n".join(body) + f"\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
