"""asr suspicion with the systems' word times: a reference word whose time does not fit
(a long word where the systems heard a short one) is suspect; a substitution of a word
by one of about its length is not evidence either way."""

from __future__ import annotations

import math
import random

from reviewer.core.word_suspicion import word_suspects
from reviewer.core.word_timing import Timed, fit, letters

from .test_suspicion_asr import Items, clean, rows_of

PAUSE = 0.05


def seconds(word: str) -> float:
    """How long the test's speaker takes to say ``word``."""
    return 0.04 + 0.06 * letters(word)


def timed(said: str, written: str) -> Timed:
    """``written`` timed as a recogniser would: each of its words over the time of the
    word said there (the two have the same number of words), which varies as speech does
    (a seeded spread of about a quarter either way)."""
    rng = random.Random(f"{said}|{written}")
    out = []
    t = 0.0
    for spoken, word in zip(said.split(), written.split(), strict=True):
        took = seconds(spoken) * math.exp(rng.gauss(0, 0.25))
        out.append((word, round(t, 3), round(t + took, 3)))
        t += took + PAUSE * math.exp(rng.gauss(0, 0.5))
    return tuple(out)


def times_of(items: Items, spoken: dict[str, str]) -> dict[str, dict[str, Timed]]:
    """Every system's word times; ``spoken``: what was said where the reference is not it."""
    out: dict[str, dict[str, Timed]] = {}
    for item_id, (ref, preds) in items.items():
        said = spoken.get(item_id, ref)
        for system, pred in preds.items():
            if len(pred.split()) == len(said.split()):
                out.setdefault(system, {})[item_id] = timed(said, pred)
    return out


SPOKEN = "i think i could if i only knew how to begin"
SAID_DOWN = "down she came upon a heap of sticks and dry leaves"


def corpus() -> tuple[Items, dict[str, str]]:
    """Clean utterances, one whose reference has *telescope* where *I* was said (both
    systems write *i*), and one where *Down* was said and both systems write *and*."""
    items = clean(30)
    items["planted"] = ("i think telescope could if i only knew how to begin",
                        {"a": SPOKEN, "b": SPOKEN})
    misheard = SAID_DOWN.replace("down", "and", 1)
    items["misheard"] = (SAID_DOWN, {"a": misheard, "b": misheard})
    return items, {"planted": SPOKEN}


def test_a_long_reference_word_where_the_systems_heard_a_short_one_outranks_a_like_length_slip(
) -> None:
    items, spoken = corpus()
    rows = rows_of(items)
    without = word_suspects(rows)
    # What the systems wrote cannot tell the two apart.
    assert abs(without["planted"] - without["misheard"]) < 1e-3
    scores = word_suspects(rows, times_of(items, spoken))
    assert scores["planted"] > scores["misheard"]
    assert scores["planted"] > without["planted"]
    assert scores.notes["planted"] == (
        "'telescope' → 'i': 2 of 2 systems (a, b); b's 'i' lasts 0.09 s, 'telescope' would "
        "take about 0.51 s")


def test_a_like_length_substitution_weighs_little_either_way() -> None:
    items, spoken = corpus()
    rows = rows_of(items)
    without = word_suspects(rows)["misheard"]
    with_times = word_suspects(rows, times_of(items, spoken))
    assert abs(with_times["misheard"] - without) < 0.1
    assert with_times.notes["misheard"] == "'down' → 'and': 2 of 2 systems (a, b)"


def test_a_reference_word_said_in_no_time_at_all_is_suspect() -> None:
    """A word the reference has that was not said: the systems leave it out and the words
    either side follow each other with a pause between words."""
    items = clean(30)
    said = "she walked along the river 5 times before noon"
    items["extra word"] = ("she walked along the wide river 5 times before noon",
                           {"a": said, "b": said})
    items["dropped"] = ("she walked along the quiet river 7 times before noon",
                        {"a": said.replace("5", "7"), "b": said.replace("5", "7")})
    spoken = "she walked along the quiet river {} times before noon"
    # Words the systems miss now and then: said, so their time stays between the words
    # written either side.
    for k in range(8):
        ref = spoken.format(k + 10)
        items[f"missed{k}"] = (ref, {"a": ref, "b": ref})
        items[f"missed{k}"][1]["ab"[k % 2]] = ref.replace("quiet ", "")
    items["dropped"] = (spoken.format(7), {"a": said.replace("5", "7"),
                                           "b": said.replace("5", "7")})
    times = times_of(items, {})
    for item_id, (ref, preds) in items.items():
        for system, pred in preds.items():
            if item_id.startswith("missed") or item_id == "dropped":
                words = timed(ref, ref)
                times[system][item_id] = tuple(w for w in words if w[0] in pred.split())
    # "extra word": nothing was said between "the" and "river".
    for system in ("a", "b"):
        times[system]["extra word"] = timed(said, said)
    scores = word_suspects(rows_of(items), times)
    assert scores["extra word"] > scores["dropped"]
    assert scores.notes["extra word"].endswith(
        "b hears 0.05 s between the words around it, 'wide' would take about 0.33 s")


def test_the_duration_model_learns_the_speakers_rate_per_item() -> None:
    slow = [(w, 2 * seconds(w), False) for w in "she walked along the river before noon".split()]
    fast = [(w, seconds(w), False) for w in "she walked along the river before noon".split()]
    model = fit({"slow": slow * 3, "fast": fast * 3})
    assert model is not None
    assert model.expected(["walked"], "slow") > 1.5 * model.expected(["walked"], "fast")
    assert fit({"few": fast}) is None  # too few matched words to fit a model


def test_the_duration_model_learns_how_much_longer_a_word_before_a_pause_is() -> None:
    words = "she walked along the river before noon".split()
    # Each utterance's last word is said half as long again (the pause after it).
    matched = {f"u{k}": [(w, seconds(w) * (1.5 if j == len(words) - 1 else 1.0),
                          j == len(words) - 1) for j, w in enumerate(words)]
               for k in range(30)}
    model = fit(matched)
    assert model is not None
    assert abs(model.lengthening - math.log(1.5)) < 0.15
    assert model.plain(0.6, True) < 0.45 and model.plain(0.6, False) == 0.6
