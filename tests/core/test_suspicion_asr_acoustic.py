"""asr suspicion with acoustic evidence: where the audio, force-aligned, fits what the
systems wrote better than the reference, the reference word is more suspect; where it fits
the reference as well or better (a slip all systems share, *Down* heard as *and*), less.

The aligner here is a stand-in with a known answer: an item's audio is the words said,
each taking ten frames a letter, and a text loses 100 score units per word it gets wrong
(a word edit distance against what was said)."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from reviewer.core.acoustic_evidence import (
    MIN_UNITS,
    AcousticModel,
    AlignedFit,
    calibrate,
    describe_fit,
    measure,
    words_said,
)
from reviewer.core.word_suspicion import word_suspects

from .test_suspicion_asr import Items, clean, rows_of

SPOKEN = "i think i could if i only knew how to begin"
SAID_DOWN = "down she came upon a heap of sticks and dry leaves"


class Audio:
    """Texts "aligned" to what was said in each item (see the module docstring)."""

    def __init__(self, said: dict[str, str]) -> None:
        self.said = said
        self.asked: list[tuple[str, str]] = []

    def __call__(self, item_id: str, text: str) -> AlignedFit | None:
        self.asked.append((item_id, text))
        words = words_said(text)
        if "unsayable" in words:
            return None
        said = words_said(self.said[item_id])
        timed = []
        frame = 0
        for word in words:
            timed.append((word, frame, 10 * len(word)))
            frame += 10 * len(word)
        return AlignedFit(-100.0 * Levenshtein.distance(said, words), tuple(timed))


def corpus() -> tuple[Items, dict[str, str]]:
    """Clean utterances; utterances both systems garble (the reference is what was said);
    one whose reference has *telescope* where *i* was said (both systems write *i*) and one
    where *down* was said and both systems write *and*."""
    items = clean(30)
    for k in range(12):
        ref = f"now i am opening out like the largest telescope {k}"
        a = ref.replace("opening", "open").replace("largest", "last")
        b = ref.replace("opening", "hoping").replace("largest", "larger")
        items[f"garbled{k}"] = (ref, {"a": a, "b": b})
    items["planted"] = ("i think telescope could if i only knew how to begin",
                        {"a": SPOKEN, "b": SPOKEN})
    misheard = SAID_DOWN.replace("down", "and", 1)
    items["misheard"] = (SAID_DOWN, {"a": misheard, "b": misheard})
    said = {item_id: ref for item_id, (ref, _) in items.items()}
    said["planted"] = SPOKEN
    return items, said


def test_the_audio_lifts_a_reference_word_it_does_not_fit_and_lowers_one_it_does() -> None:
    items, said = corpus()
    rows = rows_of(items)
    without = word_suspects(rows)
    # What the systems wrote cannot tell the two apart.
    assert abs(without["planted"] - without["misheard"]) < 1e-3
    scores = word_suspects(rows, acoustic=Audio(said))
    assert scores["planted"] > without["planted"]
    assert scores["misheard"] < without["misheard"]
    assert scores["planted"] > scores["misheard"]
    assert scores.notes["planted"] == (
        "'telescope' → 'i': 2 of 2 systems (a, b); the audio fits 'i' better than "
        "'telescope' (by 1.11 a frame)")
    assert scores.notes["misheard"] == (
        "'down' → 'and': 2 of 2 systems (a, b); the audio fits 'down' at least as well as "
        "'and' (by 2.50 a frame)")


def test_each_reading_differs_from_the_reference_at_its_unit_only_with_the_systems_spaces(
) -> None:
    items, said = corpus()
    audio = Audio(said)
    word_suspects(rows_of(items), acoustic=audio)
    texts = {text for item_id, text in audio.asked if item_id == "planted"}
    assert texts == {"i think telescope could if i only knew how to begin", SPOKEN}
    garbled = {words_said(t)[3] for item_id, t in audio.asked if item_id == "garbled0"}
    assert {"opening", "open", "hoping"} <= garbled  # one system's word at a time
    assert all(len(words_said(t)) == 10 for item_id, t in audio.asked if item_id == "garbled0")


def test_no_acoustic_term_without_enough_units_or_where_the_audio_cannot_be_aligned() -> None:
    items, said = corpus()
    rows = rows_of(items)
    without = word_suspects(rows)

    def unsayable(item_id: str, text: str) -> AlignedFit | None:
        return Audio(said)(item_id, "unsayable") if item_id == "planted" else Audio(said)(
            item_id, text)

    scores = word_suspects(rows, acoustic=unsayable)
    assert "audio" not in scores.notes["planted"]
    assert "the audio fits 'down'" in scores.notes["misheard"]
    assert scores["misheard"] < without["misheard"]
    only_two = {i: items[i] for i in ("planted", "misheard", *(f"c{k}" for k in range(30)))}
    few = word_suspects(rows_of(only_two), acoustic=Audio(said))
    assert few.notes["planted"] == word_suspects(rows_of(only_two)).notes["planted"]
    assert calibrate([-1.0] * (MIN_UNITS - 1)) is None


def test_a_corpus_whose_readings_fit_no_worse_than_its_references_gives_no_model() -> None:
    assert calibrate([0.5, -0.2, 1.0] * MIN_UNITS) is None
    model = calibrate([-2.0, -1.0, -3.0, -2.5] * MIN_UNITS)
    assert model is not None and model.centre == -2.25
    # A reading fitting as much better as the systems' mistakes fit worse points at the
    # reference; one fitting as much worse, away from it.
    assert model.term(2.0, 0.9) > 2 > -2 > model.term(-2.0, 0.9)


def test_measure_weighs_the_changed_words_frames_only() -> None:
    audio = Audio({"x": "a b c"})
    found = measure(audio, "x", "a zzzz c", "a b c")
    assert found is not None
    assert found.frames == 40 and found.gain == 100 / 40
    assert measure(audio, "x", "a b c", "A, b c!") is None  # says the same words
    assert AcousticModel(-1.0, 0.5).term(-1.0, 0.9) < 0


def test_the_fit_in_words() -> None:
    assert describe_fit("rabbit", "i", 1.214) == (
        "the audio fits 'i' better than 'rabbit' (by 1.21 a frame)")
    assert describe_fit("", "i", -0.5) == (
        "the audio fits no word there at least as well as 'i' (by 0.50 a frame)")
