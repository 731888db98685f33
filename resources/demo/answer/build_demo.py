"""Build the bundled short-answer demo for reviewer (``--kind answer``).

Run from the repository root:  python resources/demo/answer/build_demo.py

The 40 questions below were written for this demo: 28 arithmetic word problems (the
numbers drawn with a seed) and 12 factual questions. Five simulated models answer them:
each knows the right answer with its own probability and otherwise makes one of a few
typical mistakes (a slip of one, a factor of ten, the wrong operation, a refusal, an
output cut off before its answer), and each writes its output in its own style (a worked
solution ending in ``#### 18``, "The answer is $18.", ``\\boxed{18}``, ``Answer: 18``, ...).
For one model the table also holds what a strict ``#### <number>`` pattern (as an
evaluation harness's GSM8K filter) extracts from its output. Then the gold answer of a few
questions is deliberately spoiled (see PLANTED), so the demo holds label errors for a
reviewer to find. Writes questions.jsonl and the generated part of README.md. Needs only
the standard library.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

SEED = 2718
HERE = Path(__file__).resolve().parent

# An arithmetic problem: its operation (mul a × b, add a + b, sub a − b, div p ÷ a with
# p = a × b), question and worked-solution templates, the unit of its answer and the range
# the numbers are drawn from.
@dataclass(frozen=True)
class Problem:
    op: str
    question: str
    solution: str
    unit: str
    low: int = 2
    high: int = 12


def values(op: str, a: int, b: int) -> tuple[dict[str, int], int]:
    """The template values and what applying the wrong operation gives (add for mul, mul
    for add, add for sub, p − a for div)."""
    if op == "mul":
        return {"a": a, "b": b, "r": a * b}, a + b
    if op == "add":
        return {"a": a, "b": b, "r": a + b}, a * b
    if op == "sub":  # a first number larger than the second: a + b − b = a
        return {"a": a + b, "b": b, "r": a}, a + 2 * b
    return {"a": a, "b": b, "p": a * b, "r": b}, a * b - a


ARITHMETIC: list[Problem] = [
    Problem("mul", "A baker fills {a} trays with {b} rolls each. How many rolls does she "
            "bake?", "{a} trays of {b} rolls make {a} × {b} = {r} rolls.", "rolls"),
    Problem("add", "Mia has {a} stickers and buys {b} more. How many stickers does she have "
            "now?", "{a} + {b} = {r} stickers.", "stickers", 10, 60),
    Problem("sub", "A shelf holds {a} books. {b} are lent out. How many books are left on "
            "the shelf?", "{a} − {b} = {r} books are left.", "books", 20, 60),
    Problem("mul", "A bus carries {a} passengers on each trip and makes {b} trips. How many "
            "passengers does it carry in all?", "{a} × {b} = {r} passengers.", "passengers",
            11, 40),
    Problem("div", "{a} children share {p} marbles equally. How many marbles does each child "
            "get?", "{p} ÷ {a} = {r} marbles each.", "marbles"),
    Problem("mul", "A garden has {a} rows with {b} tulips in each row. How many tulips are "
            "there?", "{a} rows × {b} tulips = {r} tulips.", "tulips"),
    Problem("mul", "Sam runs {a} km every day for {b} days. How far does he run in total, in "
            "km?", "{a} km × {b} days = {r} km.", "km"),
    Problem("mul", "A ticket costs ${a}. How many dollars do {b} tickets cost?",
            "{b} × ${a} = ${r}.", "dollars", 5, 30),
    Problem("sub", "A tank holds {a} litres. {b} litres leak out. How many litres remain?",
            "{a} − {b} = {r} litres remain.", "litres", 40, 99),
    Problem("mul", "A box holds {a} pencils. How many pencils are in {b} boxes?",
            "{b} boxes × {a} pencils = {r} pencils.", "pencils"),
    Problem("div", "A train travels {p} km in {a} hours at a steady speed. What is its speed "
            "in km per hour?", "{p} ÷ {a} = {r} km per hour.", "km per hour", 2, 90),
    Problem("mul", "Lena saves ${a} a week for {b} weeks. How many dollars has she saved?",
            "${a} × {b} = ${r}.", "dollars", 5, 25),
    Problem("add", "A farmer collects {a} eggs on Monday and {b} eggs on Tuesday. How many "
            "eggs is that altogether?", "{a} + {b} = {r} eggs.", "eggs", 20, 90),
    Problem("div", "A rope {p} m long is cut into {a} equal pieces. How long is each piece, "
            "in m?", "{p} ÷ {a} = {r} m.", "m"),
    Problem("mul", "A school orders {a} packs of {b} markers. How many markers is that?",
            "{a} × {b} = {r} markers.", "markers"),
    Problem("sub", "There are {a} birds on a wire. {b} fly away. How many birds are still on "
            "the wire?", "{a} − {b} = {r} birds.", "birds", 20, 60),
    Problem("mul", "A recipe needs {a} grams of flour per cake. How many grams for {b} "
            "cakes?", "{a} × {b} = {r} grams.", "grams", 5, 25),
    Problem("add", "A library has {a} books and buys {b} more. How many books does it have "
            "now?", "{a} + {b} = {r} books.", "books", 900, 4000),
    Problem("mul", "A cinema has {a} rows of {b} seats. How many seats does it have?",
            "{a} × {b} = {r} seats.", "seats", 10, 30),
    Problem("mul", "Tom reads {a} pages a day. How many pages does he read in {b} days?",
            "{a} × {b} = {r} pages.", "pages", 10, 40),
    Problem("div", "A jar holds {p} sweets shared equally by {a} friends. How many sweets "
            "does each friend get?", "{p} ÷ {a} = {r} sweets.", "sweets"),
    Problem("add", "A shop sells {a} pens on Monday and {b} pens on Tuesday. How many pens "
            "does it sell in the two days?", "{a} + {b} = {r} pens.", "pens", 100, 900),
    Problem("mul", "A car uses {a} litres of fuel each day for {b} days. How many litres "
            "does it use?", "{a} × {b} = {r} litres.", "litres"),
    Problem("mul", "A class of {a} pupils goes on a trip; each pays ${b}. How many dollars "
            "are collected?", "{a} × ${b} = ${r}.", "dollars", 15, 32),
    Problem("add", "A bag has {a} red and {b} blue beads. How many beads are in the bag?",
            "{a} + {b} = {r} beads.", "beads", 10, 99),
    Problem("mul", "A clock chimes {a} times an hour. How many times does it chime in {b} "
            "hours?", "{a} × {b} = {r} chimes.", "chimes"),
    Problem("div", "A plank {p} cm long is sawn into {a} equal parts. How long is each part, "
            "in cm?", "{p} ÷ {a} = {r} cm.", "cm", 3, 40),
    Problem("mul", "A factory packs {a} bottles in each crate and fills {b} crates. How many "
            "bottles is that?", "{a} × {b} = {r} bottles.", "bottles", 6, 24),
]

# (question, gold aliases, a wrong answer a model may give)
FACTUAL: list[tuple[str, list[str], str]] = [
    ("What is the capital of Australia?", ["Canberra"], "Sydney"),
    ("Which planet is known as the Red Planet?", ["Mars"], "Jupiter"),
    ("Who painted the Mona Lisa?", ["Leonardo da Vinci", "da Vinci", "Leonardo"],
     "Michelangelo"),
    ("What is the chemical symbol for gold?", ["Au"], "Ag"),
    ("Which ocean lies between Africa and Australia?", ["Indian Ocean", "the Indian Ocean"],
     "Pacific Ocean"),
    ("In which year did the Berlin Wall fall?", ["1989"], "1991"),
    ("What is the largest planet in the Solar System?", ["Jupiter"], "Saturn"),
    ("Which language has the most native speakers?", ["Mandarin Chinese", "Mandarin"],
     "English"),
    ("What gas do plants take in for photosynthesis?", ["carbon dioxide", "CO2"], "oxygen"),
    ("How many sides does a hexagon have?", ["6", "six"], "8"),
    ("Who wrote the play Romeo and Juliet?", ["William Shakespeare", "Shakespeare"],
     "Christopher Marlowe"),
    ("What is the boiling point of water at sea level in degrees Celsius?", ["100"], "90"),
]

# Simulated models: name, probability of knowing the answer, how it writes its output.
MODELS: list[tuple[str, float]] = [
    ("sim-large", 0.94), ("sim-medium", 0.86), ("sim-boxed", 0.8), ("sim-chat", 0.72),
    ("sim-small", 0.58)]
# The model whose table column also holds a strict "#### <number>" extraction.
HARNESS_MODEL = "sim-medium"
HARNESS_PATTERN = re.compile(r"#### (\-?[0-9.,]+)")

# Gold answers spoiled on purpose: item id -> how, and what is wrong (see spoil()).
PLANTED: dict[str, tuple[str, str]] = {
    "a07": ("slip", "an arithmetic slip: the answer is {right}"),
    "a18": ("times10", "a factor of ten: the answer is {right}"),
    "a23": ("sum", "the wrong operation (the sum of the two numbers): the answer is "
                   "{right}"),
    "f01": ("Sydney", "mislabeled: the capital of Australia is {right}"),
}


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    gold: list[str]
    rationale: str
    subject: str
    numeric: bool
    wrong_op: str  # what the wrong operation gives ('' for factual questions)
    near_miss: str  # a plausible wrong answer
    unit: str


def arithmetic_items(rng: random.Random) -> list[Item]:
    """The 28 word problems with their drawn numbers."""
    items = []
    for k, problem in enumerate(ARITHMETIC, 1):
        a, b = rng.randint(problem.low, problem.high), rng.randint(problem.low, problem.high)
        if problem.op == "div":
            a = rng.randint(2, 12)
        found, wrong = values(problem.op, a, b)
        r = found["r"]
        items.append(Item(f"a{k:02d}", problem.question.format(**found),
                          [str(r)], problem.solution.format(**found), "arithmetic", True,
                          str(wrong), str(r + rng.choice([-2, -1, 1, 2])), problem.unit))
    return items


def factual_items() -> list[Item]:
    """The 12 factual questions."""
    return [Item(f"f{k:02d}", q, gold, "", "facts", all(g.isdigit() for g in gold), "", wrong,
                 "")
            for k, (q, gold, wrong) in enumerate(FACTUAL, 1)]


def answer_for(item: Item, skill: float, rng: random.Random) -> tuple[str, str]:
    """``(kind of answer, answer)``: right, or one of the typical mistakes."""
    right = item.gold[0]
    if rng.random() < skill:
        return "right", right
    roll = rng.random()
    if roll < 0.12:
        return "refusal", ""
    if roll < 0.22:
        return "cut", ""
    if item.numeric and roll < 0.45:
        return "factor", str(int(right) * 10)
    if item.wrong_op and roll < 0.7:
        return "wrong_op", item.wrong_op
    return "near", item.near_miss


def write_output(model: str, item: Item, kind: str, answer: str, rng: random.Random) -> str:
    """The model's raw output in its own style."""
    steps = item.rationale or f"Let me recall what I know about this. {item.question}"
    if kind == "refusal":
        return "I'm sorry, but I cannot answer that question."
    if kind == "cut":
        return f"Let's think step by step. {steps.split('=')[0].strip()} ="
    if kind in ("wrong_op", "factor", "near") and item.numeric:
        steps = f"Working it out, I get {answer}."
    shown = answer
    if item.numeric and rng.random() < 0.25:  # a format variant of the same number
        value = int(answer)
        shown = rng.choice([f"{value:,}", f"{value}.0", f"{value} {item.unit}".strip()])
    if model == "sim-large":
        return f"{steps}\n#### {shown}"
    if model == "sim-medium":
        if rng.random() < 0.6:
            return f"{steps}\n#### {shown}"
        dollars = "$" if item.unit == "dollars" else ""
        return f"{steps} The answer is {dollars}{shown}."
    if model == "sim-boxed":
        return f"{steps}\nSo the final answer is $\\boxed{{{shown}}}$."
    if model == "sim-chat":
        return f"Sure! {steps}\n\nAnswer: {shown}"
    return f"{steps} {shown}" if rng.random() < 0.5 else f"{shown}"


def build() -> tuple[list[dict[str, object]], list[tuple[str, str, str, str]]]:
    """The rows of questions.jsonl and the planted mistakes ``(id, gold, right, why)``."""
    rng = random.Random(SEED)
    items = arithmetic_items(rng) + factual_items()
    rows: list[dict[str, object]] = []
    planted: list[tuple[str, str, str, str]] = []
    for item in items:
        row: dict[str, object] = {"id": item.id, "subject": item.subject,
                                  "question": item.question}
        for model, skill in MODELS:
            kind, answer = answer_for(item, skill, rng)
            output = write_output(model, item, kind, answer, rng)
            row[f"output_{model}"] = output
            if model == HARNESS_MODEL:
                found = HARNESS_PATTERN.search(output)
                row[f"output_{model}_extracted"] = found.group(1) if found else "[invalid]"
        gold = list(item.gold)
        if item.id in PLANTED:
            how, why = PLANTED[item.id]
            gold = [spoil(item, how)]
            planted.append((item.id, gold[0], item.gold[0], why.format(right=item.gold[0])))
        row["answer"] = gold if len(gold) > 1 else gold[0]
        if item.rationale:
            row["rationale"] = item.rationale
        rows.append(row)
    return rows, planted


def spoil(item: Item, how: str) -> str:
    """The spoiled gold answer of a planted mistake."""
    right = item.gold[0]
    if how == "slip":
        return str(int(right) + 1)
    if how == "times10":
        return str(int(right) * 10)
    if how == "sum":
        a, b = (int(x) for x in re.findall(r"\d+", item.rationale)[:2])
        return str(a + b)
    return how


def main() -> None:
    """Write questions.jsonl and the generated table of README.md."""
    rows, planted = build()
    for item_id, _, _, _ in planted:
        assert any(r["id"] == item_id for r in rows), item_id
    with (HERE / "questions.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    table = ["| id | gold in questions.jsonl | right answer | what is wrong |",
             "|---|---|---|---|"]
    table += [f"| `{i}` | {gold} | {right} | {why} |" for i, gold, right, why in planted]
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split("<!-- generated:start -->", 1)
    tail = rest.split("<!-- generated:end -->", 1)[1]
    readme.write_text(head + "<!-- generated:start -->\n" + "\n".join(table)
                      + "\n<!-- generated:end -->" + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
