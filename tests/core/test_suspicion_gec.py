"""gec suspicion: systems agreeing on an edit the gold lacks, or in leaving out one it has."""

from __future__ import annotations

from reviewer.core.counts import ScoreOptions
from reviewer.core.gec_suspicion import gec_suspects, phrase
from reviewer.core.kinds import ScoredItem, spec
from reviewer.core.suspicion import SuspicionScores

Items = dict[str, tuple[str, dict[str, str]]]


def line(start: int, end: int, kind: str, correction: str, annotator: int = 0) -> str:
    return f"A {start} {end}|||{kind}|||{correction}|||REQUIRED|||-NONE-|||{annotator}"


def rows_of(items: Items) -> dict[str, list[ScoredItem]]:
    """Stored-like rows: every system's edits of every sentence, scored as gec."""
    score = spec("gec").score_pair
    systems = sorted({s for _, preds in items.values() for s in preds})
    return {s: [ScoredItem(i, score(ref, preds[s], ScoreOptions()), ref, preds[s])
                for i, (ref, preds) in items.items()] for s in systems}


def filler(n: int, systems: tuple[str, ...] = ("a", "b")) -> Items:
    """Sentences with one gold edit that every system makes."""
    out: Items = {}
    for k in range(n):
        edit = line(1, 2, "R:VERB:SVA", "goes")
        out[f"f{k}"] = (f"S He go home at {k} .\n{edit}", dict.fromkeys(systems, edit))
    return out


OMISSION = "S She go to school every days .\n" + line(1, 2, "R:VERB:SVA", "goes")
FIXED = line(1, 2, "R:VERB:SVA", "goes") + "\n" + line(5, 6, "R:NOUN:NUM", "day")


def test_systems_agreeing_on_an_edit_the_gold_lacks_point_at_an_omission() -> None:
    items = filler(30)
    items["omission"] = (OMISSION, {"a": FIXED, "b": FIXED})
    items["one"] = (OMISSION, {"a": FIXED, "b": line(1, 2, "R:VERB:SVA", "goes")})
    scores = gec_suspects(rows_of(items))
    assert isinstance(scores, SuspicionScores)
    assert max(scores, key=scores.__getitem__) == "omission"
    assert scores["omission"] > 0.5
    assert scores["one"] == 0.0  # one system alone: its own edit
    assert scores.notes["omission"] == (
        "2 of 2 systems (a, b) change 'days' to 'day'; the gold has no edit there")


def test_systems_agreeing_in_leaving_out_a_gold_edit_point_at_a_wrong_gold_edit() -> None:
    items = filler(30)
    gold = "S She went home .\n" + line(1, 2, "R:VERB:TENSE", "goes")
    items["wrong"] = (gold, {"a": line(-1, -1, "noop", "-NONE-"),
                             "b": line(-1, -1, "noop", "-NONE-")})
    scores = gec_suspects(rows_of(items))
    assert max(scores, key=scores.__getitem__) == "wrong"
    assert scores.notes["wrong"] == (
        "the gold changes 'went' to 'goes'; 2 of 2 systems (a, b) leave it as it is")


def test_a_system_editing_the_span_another_way_abstains() -> None:
    items = filler(30, ("a", "b", "c"))
    items["kept"] = (OMISSION, {"a": FIXED, "b": FIXED, "c": line(1, 2, "R:VERB:SVA", "goes")})
    other = FIXED.replace("|||day|||", "|||dayz|||")
    items["other"] = (OMISSION, {"a": FIXED, "b": FIXED, "c": other})
    scores = gec_suspects(rows_of(items))
    # c keeping "days" speaks against the omission; c writing something else there does not
    assert scores["other"] > scores["kept"] > 0


def test_a_system_right_more_often_elsewhere_counts_more() -> None:
    items = filler(30, ("good", "fair", "bad"))
    for k in range(30):  # "bad" misses every gold edit elsewhere
        ref, preds = items[f"f{k}"]
        items[f"f{k}"] = (ref, {**preds, "bad": line(-1, -1, "noop", "-NONE-")})
    keep = line(1, 2, "R:VERB:SVA", "goes")
    items["reliable"] = (OMISSION, {"good": FIXED, "fair": FIXED, "bad": keep})
    items["sloppy"] = (OMISSION, {"bad": FIXED, "fair": FIXED, "good": keep})
    scores = gec_suspects(rows_of(items))
    assert scores["reliable"] > scores["sloppy"]


def test_several_annotators_and_the_noop_sentence() -> None:
    items = filler(30)
    # Annotator 1 has the edit: the systems agree with one of the gold's corrections.
    both = OMISSION + "\n" + line(5, 6, "R:NOUN:NUM", "day", annotator=1)
    items["allowed"] = (both, {"a": FIXED, "b": FIXED})
    # Only annotator 0 changes "go": the gold allows leaving it, so it is no wrong edit.
    split = "S She go home .\n" + line(1, 2, "R:VERB:SVA", "goes") + "\n" + line(
        -1, -1, "noop", "-NONE-", annotator=1)
    items["split"] = (split, {"a": line(-1, -1, "noop", "-NONE-"),
                              "b": line(-1, -1, "noop", "-NONE-")})
    scores = gec_suspects(rows_of(items))
    assert scores["allowed"] == 0.0 and scores["split"] == 0.0


def test_an_edit_in_words() -> None:
    tokens = ["in", "the", "house", "carefuly"]
    assert phrase((2, 2, "big"), tokens) == "insert 'big' before 'house'"
    assert phrase((4, 4, "."), tokens) == "insert '.' at the end"
    assert phrase((0, 2, ""), tokens) == "delete 'in the'"
    assert phrase((3, 4, "carefully"), tokens, one=True) == (
        "changes 'carefuly' to 'carefully'")
