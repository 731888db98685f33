"""The answer kind's stored encoding: gold answers as a JSON array, predictions as raw output
or ``{"output", "harness_answer"}``; both read back exactly what was written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reviewer.core.answers.encoding import (
    AnswerPrediction,
    decode_answer_prediction,
    decode_gold,
    encode_answer_prediction,
    encode_gold,
    is_gold_array,
    looks_encoded,
)


def test_gold_answers_are_a_json_array_of_aliases() -> None:
    assert encode_gold(["Paris", "Paris, France"]) == '["Paris","Paris, France"]'
    assert decode_gold('["Paris","Paris, France"]') == ("Paris", "Paris, France")
    assert decode_gold("[]") == ()


def test_a_typed_reference_that_is_no_json_array_is_one_alias() -> None:
    assert decode_gold("42") == ("42",)
    assert decode_gold("  Paris ") == ("Paris",)
    assert decode_gold("[1, 2]") == ("[1, 2]",)  # an interval, not an array of strings
    assert decode_gold("[0,1)") == ("[0,1)",)
    assert decode_gold("") == () and decode_gold(None) == ()
    assert not is_gold_array("[1, 2]") and is_gold_array('["1"]')


def test_a_deeply_nested_reference_is_one_alias_not_a_crash() -> None:
    text = "[" * 100_000
    assert decode_gold(text) == (text,)


@given(st.lists(st.text()))
def test_gold_round_trips(aliases: list[str]) -> None:
    assert decode_gold(encode_gold(aliases)) == tuple(aliases)


def test_raw_output_is_stored_as_it_is_and_a_harness_answer_as_json() -> None:
    assert encode_answer_prediction("So 18.\n#### 18") == "So 18.\n#### 18"
    stored = encode_answer_prediction("So 18.", harness_answer="[invalid]")
    assert stored == '{"output":"So 18.","harness_answer":"[invalid]"}'
    assert decode_answer_prediction(stored) == AnswerPrediction("So 18.", "[invalid]")
    assert decode_answer_prediction("So 18.") == AnswerPrediction("So 18.")
    assert decode_answer_prediction(None) == AnswerPrediction("")


def test_only_the_exact_object_reads_as_an_encoded_prediction() -> None:
    # A model may well answer with JSON: only {"output", "harness_answer"} is the encoding.
    for raw in ('{"answer": 18}', '{"output": "x"}', '{"output": 1, "harness_answer": null}',
                '{"output": "x", "harness_answer": "y", "more": 1}', "{not json"):
        assert not looks_encoded(raw)
        assert decode_answer_prediction(raw) == AnswerPrediction(raw)


@given(st.text(), st.one_of(st.none(), st.text()))
def test_predictions_round_trip_even_when_the_output_looks_encoded(
        output: str, harness: str | None) -> None:
    assert decode_answer_prediction(encode_answer_prediction(output, harness)) == (
        AnswerPrediction(output, harness))


def test_an_output_that_looks_like_the_encoding_is_wrapped() -> None:
    raw = '{"output":"a","harness_answer":null}'
    assert looks_encoded(raw)
    assert decode_answer_prediction(encode_answer_prediction(raw)) == AnswerPrediction(raw)
