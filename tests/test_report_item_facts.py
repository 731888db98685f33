"""Every kind says what one of its items shows (the facts ``reviewer show`` and the report
both draw), registered in one table, and the facts hold the kind's own view of an item."""

from __future__ import annotations

from reviewer.core.counts import zero_counts
from reviewer.core.decisions import Decision
from reviewer.core.item_facts import ITEM_FACTS, ItemData, describe_item
from reviewer.core.items import KINDS, Item, check_kind


def test_every_kind_has_its_item_facts() -> None:
    missing = [kind for kind in KINDS if check_kind(kind) not in ITEM_FACTS]
    assert not missing, f"no entry in reviewer.core.item_facts.ITEM_FACTS for {missing}"
    assert set(ITEM_FACTS) == set(KINDS)


def test_a_label_prediction_shows_its_class_and_probabilities_not_its_encoding() -> None:
    item = Item("d1", "5", None, (("text", "a digit"),))
    data = ItemData(item, Decision(), ("lr", "none"),
                    {"lr": '{"label":"9","probs":{"5":0.25,"9":0.7,"3":0.05}}'})
    facts = describe_item("label", data)
    lr, none = facts.systems
    assert [(s.text, s.category) for s in lr.summary] == [
        ("9", "misclassified"),
        ("  wrong  p(gold) 0.25; most probable: 9 0.70, 5 0.25, 3 0.05", None)]
    assert none.summary[0].text == "no prediction"
    assert [(f.label, f.text) for f in facts.fields] == [("text", "a digit"), ("gold", "5")]


def test_a_choice_item_shows_the_options_the_key_and_each_letter() -> None:
    item = Item("q", "C", None, (("question", "When?"), ("options", '["1987", "1989", "1991"]')))
    data = ItemData(item, Decision(corrected_reference="B"), ("m1", "m2", "m3"),
                    {"m1": "B", "m2": "A", "m3": ""})
    facts = describe_item("choice", data)
    assert facts.corrected and facts.status == "revised"
    assert [(f.label, f.text) for f in facts.fields] == [
        ("question", "When?"), ("A", "1987"), ("B", "1989"), ("C", "1991"),
        ("key", "C  (corrected to B)")]
    shown = [("".join(s.text for s in m.summary), m.summary[0].category) for m in facts.systems]
    assert shown == [("B (1989)  right", None), ("A (1987)  wrong", "wrong_option"),
                     ("no answer  wrong", "no_answer")]


def test_a_system_without_stored_scores_is_said_to_be_not_aligned() -> None:
    data = ItemData(Item("x", "abc"), Decision(), ("s1", "s2"), {"s1": "abd", "s2": "abc"},
                    {"s2": zero_counts(0, 3)})
    first, second = describe_item("text", data).systems
    assert not first.aligned and first.summary[0].text == "not aligned" and not first.diff
    assert second.aligned and second.diff[0].ref_text == "abc"
