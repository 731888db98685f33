"""The asr demo's build: the book's language model and words that its third recogniser
(``sphinx-alice``) decodes with, and the planted mistakes it records."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from reviewer.demo_mistakes import reference_mistakes
from reviewer.resources import demo_dir


@pytest.fixture(scope="module")
def book_lm() -> ModuleType:
    """``resources/demo/asr/book_lm.py`` (a build script's module, not part of reviewer)."""
    spec = importlib.util.spec_from_file_location("book_lm", demo_dir("asr") / "book_lm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["book_lm"] = module
    spec.loader.exec_module(module)
    return module


Arpa = tuple[dict[tuple[str, ...], float], dict[tuple[str, ...], float]]


def parse_arpa(text: str) -> Arpa:
    """Probabilities and back-off weights (not logs) of an ARPA model, by n-gram."""
    prob: dict[tuple[str, ...], float] = {}
    backoff: dict[tuple[str, ...], float] = {}
    order = 0
    for line in text.splitlines():
        if line.startswith("\\") and line.endswith("-grams:"):
            order = int(line[1])
            continue
        fields = line.split()
        if order and len(fields) >= order + 1:
            gram = tuple(fields[1:order + 1])
            prob[gram] = 10 ** float(fields[0])
            if len(fields) == order + 2:
                backoff[gram] = 10 ** float(fields[-1])
    return prob, backoff


def probability(model: Arpa, history: tuple[str, ...], word: str) -> float:
    """P(word | history) as a decoder reads the back-off model."""
    prob, backoff = model
    if (*history, word) in prob:
        return prob[(*history, word)]
    return backoff.get(history, 1.0) * probability(model, history[1:], word)


def test_the_witten_bell_model_is_the_interpolated_estimate(book_lm: ModuleType) -> None:
    model = parse_arpa(book_lm.witten_bell_arpa([["a", "b"], ["a", "c"]], {"a", "b", "c"}))
    # Unigrams, add-one over a, b, c and </s> (6 tokens): P(b) = (1 + 1) / (6 + 4).
    assert probability(model, (), "b") == pytest.approx(0.2, rel=1e-3)
    # "a" is followed twice, by 2 different words: P(b | a) = (1 + 2 * 0.2) / (2 + 2).
    assert probability(model, ("a",), "b") == pytest.approx(0.35, rel=1e-3)
    # An unseen follower backs off with weight T / (c + T) = 2 / 4: P(a) = (2 + 1) / 10.
    assert probability(model, ("a",), "a") == pytest.approx(0.5 * 0.3, rel=1e-3)


def test_every_seen_history_gives_a_distribution(book_lm: ModuleType) -> None:
    text = book_lm.book_sentences((demo_dir("text") / "source.txt").read_text(encoding="utf-8"))
    vocabulary = {w for sentence in text for w in sentence} - {"curtsey"}
    model = parse_arpa(book_lm.witten_bell_arpa(text, vocabulary))
    prob, backoff = model
    words = [g[0] for g in prob if len(g) == 1 and g[0] != "<s>"]
    assert "<unk>" in words and "curtsey" not in words
    histories = [h for h in backoff if len(h) < 3]
    assert len(histories) > 500
    for history in histories[::25]:
        total = math.fsum(probability(model, history, w) for w in words)
        assert total == pytest.approx(1.0, abs=2e-3), history


def test_the_book_is_read_as_the_recogniser_spells_words(book_lm: ModuleType) -> None:
    text = ("Title\n\nCHAPTER I. Down\n\n"
            "'Well!' thought Alice -- Dinah'll miss me (to-night); said she.")
    assert book_lm.book_sentences(text) == [
        ["well"], ["thought", "alice"], ["dinah'll", "miss", "me"], ["to-night"], ["said", "she"]]


def test_missing_words_are_pronounced_from_their_parts(book_lm: ModuleType) -> None:
    dictionary = book_lm.read_dictionary(["three TH R IY", "legged L EH G AH D",
                                          "legged(2) L EH G D", "dinah D AY N AH"])
    assert dictionary["legged"] == "L EH G AH D"
    made = book_lm.missing_pronunciations(["three-legged", "dinah'll", "three", "curtsey"],
                                          dictionary)
    assert made == {"three-legged": "TH R IY L EH G AH D", "dinah'll": "D AY N AH L"}


def test_the_recorded_mistakes_are_in_the_references() -> None:
    folder = demo_dir("asr")
    stm = (folder / "reference.stm").read_text(encoding="utf-8").splitlines()
    references = {line.split()[0]: line.split(None, 5)[5] for line in stm
                  if not line.startswith(";;")}
    planted = reference_mistakes("asr")
    assert set(planted) == {"alice_04", "alice_11", "alice_19"}
    for item_id, what in planted.items():
        spoiled = what.split("': ")[0].strip("'")
        assert spoiled in references[item_id], (item_id, what)
    spec = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    assert list(spec["predictions"]) == ["sphinx-default", "sphinx-lw10", "sphinx-alice"]
    for path in spec["predictions"].values():
        assert Path(folder / path).is_file()
