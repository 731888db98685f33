"""Combining one item's histories field by field: order, conflicts, undo."""

from __future__ import annotations

from reviewer.core.decision_merge import MergeEvent, causal_order, combine
from reviewer.core.decisions import Decision

EMPTY = Decision()


def event(key: str, at: str, before: Decision, after: Decision, who: str = "x",
          action: str = "set", target: str | None = None) -> MergeEvent:
    return MergeEvent(key, int(key[1:]), who, at, action, before, after, target)


def test_each_files_order_beats_the_clock_and_the_clock_interleaves_the_rest() -> None:
    a1 = event("e1", "2099", EMPTY, Decision("ok"))  # a clock running ahead
    b1 = event("e2", "2024-01", Decision("ok"), Decision("model_error"))
    c1 = event("e3", "2024-02", EMPTY, EMPTY.updated(note="n"))
    order = causal_order([c1, b1, a1], [["e1", "e2"], ["e3"]])
    assert [e.key for e in order] == ["e3", "e1", "e2"]
    assert combine([a1, b1, c1], [["e1", "e2"], ["e3"]]).state == Decision(
        "model_error", note="n")


def test_files_that_order_events_differently_fall_back_on_the_clock() -> None:
    a = event("e1", "2024-02", EMPTY, EMPTY.updated(note="a"))
    b = event("e2", "2024-01", EMPTY, EMPTY.updated(tags=("b",)))
    order = causal_order([a, b], [["e1", "e2"], ["e2", "e1"]])
    assert [e.key for e in order] == ["e2", "e1"]


def test_unaware_changes_of_one_field_are_a_conflict_the_later_kept() -> None:
    a = event("e1", "2024-01", EMPTY, Decision("ok"), who="alice")
    b = event("e2", "2024-02", EMPTY, Decision("unusable", note="blank"), who="bob")
    result = combine([a, b], [["e1"], ["e2"]])
    assert result.state == Decision("unusable", note="blank")
    [conflict] = result.conflicts
    assert (conflict.field, conflict.kept.annotator, conflict.other.annotator) == (
        "verdict", "bob", "alice")
    assert conflict.value(conflict.other) == ("ok", None)
    # The same value twice is no conflict.
    same = event("e3", "2024-03", EMPTY, Decision("ok"), who="carol")
    assert combine([a, same], [["e1"], ["e3"]]).conflicts == ()


def test_undoing_the_value_that_won_a_conflict_brings_back_the_other() -> None:
    b = event("e1", "2024-01", EMPTY, Decision("model_error"), who="bob")
    a = event("e2", "2024-02", EMPTY, Decision("ok"), who="alice")
    undo = event("e3", "2024-03", Decision("ok"), EMPTY, who="alice", action="undo",
                 target="e2")
    assert combine([a, b, undo], [["e2", "e3"], ["e1"]]).state == Decision("model_error")
    # An undo of a value already replaced does nothing.
    later = event("e4", "2024-02-15", Decision("model_error"), Decision("unusable"), "bob")
    result = combine([b, later, a, undo], [["e1", "e4"], ["e2", "e3"]])
    assert result.state == Decision("unusable")
