"""Label probabilities a rounding error outside [0, 1] are read (clipped); beyond 1e-4 refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.core.label_codec import decode_prediction
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions

LABEL = ReadOptions(kind="label")


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    path = tmp_path / "ref.csv"
    path.write_text("id,text,label\ns1,good,pos\ns2,bad,neg\n")
    return path


def test_rounding_above_one_is_read_and_clipped(tmp_path: Path, reference: Path) -> None:
    preds = tmp_path / "p.csv"
    preds.write_text("id,prob_neg,prob_pos\ns1,0,1.00001\ns2,1.00002,-0.00001\n")
    bench = load_benchmark(reference, [("x", preds)], LABEL)
    s1 = decode_prediction(bench.predictions["x"]["s1"])
    s2 = decode_prediction(bench.predictions["x"]["s2"])
    assert (s1.label, s1.prob("pos"), s1.prob("neg")) == ("pos", 1.0, 0.0)
    assert (s2.label, s2.prob("neg"), s2.prob("pos")) == ("neg", 1.0, 0.0)


def test_rounding_in_a_json_probabilities_column_is_read(tmp_path: Path, reference: Path) -> None:
    preds = tmp_path / "p.jsonl"
    preds.write_text('{"id": "s1", "probs": {"neg": 0.0, "pos": 1.00001}}\n')
    bench = load_benchmark(reference, [("x", preds)], LABEL)
    assert decode_prediction(bench.predictions["x"]["s1"]).prob("pos") == 1.0


@pytest.mark.parametrize(("row", "column"), [("s1,0,1.001", "prob_pos"),
                                             ("s1,-0.001,1", "prob_neg")])
def test_beyond_the_tolerance_is_refused_naming_row_and_column(
        tmp_path: Path, reference: Path, row: str, column: str) -> None:
    preds = tmp_path / "p.csv"
    preds.write_text(f"id,prob_neg,prob_pos\n{row}\n")
    with pytest.raises(InputError, match=re.escape(f"column {column!r}: the probability")) as err:
        load_benchmark(reference, [("x", preds)], LABEL)
    assert (err.value.path, err.value.line, err.value.record) == (str(preds), 2, "s1")
    assert "by more than 0.0001" in str(err.value)


def test_reviewers_own_encoded_probabilities_are_checked_too(tmp_path: Path,
                                                             reference: Path) -> None:
    preds = tmp_path / "p.csv"
    preds.write_text('id,label\ns1,"{""label"": ""pos"", ""probs"": {""neg"": 0.0, '
                     '""pos"": 1.00001}}"\ns2,"{""label"": ""neg"", ""probs"": {""neg"": 1.5, '
                     '""pos"": 0.0}}"\n')
    with pytest.raises(InputError, match=re.escape("column 'label': the probability of class "
                                                   "'neg' is 1.5")) as err:
        load_benchmark(reference, [("x", preds)], LABEL)
    assert err.value.line == 3
