"""Short-answer tables (``--kind answer``): gold cells in every shape, model outputs with the
harness's extracted answers, prediction files, Parquet's list and struct columns, and an
export that imports back as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from reviewer.cli import main
from reviewer.core.answers.encoding import decode_answer_prediction, decode_gold
from reviewer.core.errors import InputError
from reviewer.formats.answer_cells import AnswerCellError, parse_gold
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from tests.formats.conftest import Write

ANSWER = ReadOptions(kind="answer")


@pytest.mark.parametrize(("cell", "aliases", "rationale"), [
    ("18", ("18",), ""),
    ('["Paris", "Paris, France"]', ("Paris", "Paris, France"), ""),
    ("['Paris', 'Paris, France']", ("Paris", "Paris, France"), ""),  # lm-eval's str(list)
    ("[3, 4.5]", ("3", "4.5"), ""),
    ('{"text": ["Denver Broncos", "Denver Broncos"], "answer_start": [177, 249]}',
     ("Denver Broncos",), ""),  # SQuAD's struct: repeated answers once
    ('{"aliases": ["Sun", "The Sun"], "value": "Sun", "normalized_value": "sun"}',
     ("Sun", "The Sun", "sun"), ""),  # TriviaQA's struct
    ("4 trays of 6 rolls make 24.\n#### 24", ("24",), "4 trays of 6 rolls make 24."),
    ("[]", (), ""),  # an invalid question: no answer is acceptable
    ("[citation needed]", ("[citation needed]",), ""),  # not a list: one answer
])
def test_gold_cells(cell: str, aliases: tuple[str, ...], rationale: str) -> None:
    gold = parse_gold(cell)
    assert gold.aliases == aliases
    assert gold.rationale == rationale


def test_a_blank_gold_cell_is_refused() -> None:
    with pytest.raises(AnswerCellError, match="empty"):
        parse_gold("  ")


def test_csv_with_outputs_and_the_harness_answers(write: Write) -> None:
    path = write("gsm.csv",
                 "id,question,answer,source,output_a,output_a_extracted,pred_b\n"
                 'q1,How many?,"3 + 4 = 7\n#### 7",own,"3 + 4 = 7\n#### 7",7,The answer is 7.\n'
                 "q2,Capital of France?,Paris,own,Paris.,[invalid],Lyon\n")
    bench = load_benchmark(path, [], ANSWER)
    q1, q2 = bench.items
    assert decode_gold(q1.reference) == ("7",) and decode_gold(q2.reference) == ("Paris",)
    assert dict(q1.meta) == {"question": "How many?", "rationale": "3 + 4 = 7", "source": "own"}
    assert set(bench.predictions) == {"a", "b"}
    a1 = decode_answer_prediction(bench.predictions["a"]["q1"])
    assert (a1.output, a1.harness_answer) == ("3 + 4 = 7\n#### 7", "7")
    assert decode_answer_prediction(bench.predictions["a"]["q2"]).harness_answer == "[invalid]"
    b1 = decode_answer_prediction(bench.predictions["b"]["q1"])
    assert (b1.output, b1.harness_answer) == ("The answer is 7.", None)


def test_the_issue_command_imports_and_scores(tmp_path: Path, write: Write,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"question": "What is 6 times 7?", "answer": "42", "out_a": "6 * 7 = 42",
             "out_b": "I think it is 48."},
            {"question": "Largest planet?", "answer": ["Jupiter", "planet Jupiter"],
             "out_a": "Answer: Jupiter", "out_b": "Answer: Saturn"}]
    runs = write("runs.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    project = tmp_path / "gsm.db"
    assert main(["import", str(project), str(runs), "--kind", "answer", "--text-col",
                 "question", "--label-col", "answer", "--pred-col", "modelA=out_a",
                 "--pred-col", "modelB=out_b"]) == 0
    capsys.readouterr()
    assert main(["score", str(project), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    accuracy = {s["name"]: s["metrics"]["accuracy"] for s in report["systems"]}
    assert {k: accuracy["modelA"][k] for k in ("value", "correct", "units", "errors")} == {
        "value": 1.0, "correct": 2, "units": 2, "errors": 0}
    assert (accuracy["modelB"]["correct"], accuracy["modelB"]["errors"]) == (0, 2)
    assert {"low", "high"} <= set(accuracy["modelB"])


def test_a_prediction_file_of_one_model(write: Write) -> None:
    ref = write("ref.csv", "id,question,answer\nq1,2+2?,4\nq2,3+3?,6\n")
    preds = write("c.csv", "id,completion,extracted\nq1,It is 4.,4\nq2,It is 5.,5\n")
    bench = load_benchmark(ref, [("modelC", preds)], ANSWER)
    got = {k: decode_answer_prediction(v) for k, v in bench.predictions["modelC"].items()}
    assert {k: (p.output, p.harness_answer) for k, p in got.items()} == {
        "q1": ("It is 4.", "4"), "q2": ("It is 5.", "5")}


def test_parquet_with_list_and_struct_answer_columns(tmp_path: Path) -> None:
    # As a dataset hub stores them: a list column of aliases, a SQuAD-style struct column.
    frame = pd.DataFrame({
        "id": ["t1", "t2"],
        "question": ["Who wrote Hamlet?", "Where is the Eiffel Tower?"],
        "context": ["A passage about plays.", "A passage about Paris."],
        "answers": [{"text": ["Shakespeare", "William Shakespeare"], "answer_start": [3, 3]},
                    {"text": ["Paris"], "answer_start": [10]}],
        "aliases": [["Shakespeare"], ["Paris", "Paris, France"]],
        "pred_m": ["William Shakespeare", "In Paris."]})
    path = tmp_path / "squad.parquet"
    frame.to_parquet(path)
    bench = load_benchmark(path, [], ANSWER)
    t1, t2 = bench.items
    assert decode_gold(t1.reference) == ("Shakespeare", "William Shakespeare")
    assert dict(t2.meta)["context"] == "A passage about Paris."
    assert json.loads(dict(t2.meta)["aliases"]) == ["Paris", "Paris, France"]
    chosen = load_benchmark(path, [], ReadOptions(kind="answer", label_col="aliases"))
    assert decode_gold(chosen.items[1].reference) == ("Paris", "Paris, France")
    assert decode_answer_prediction(bench.predictions["m"]["t2"]).output == "In Paris."


def test_a_hub_parquet_with_a_list_column_over_several_row_groups(tmp_path: Path) -> None:
    """Hub files hold many row groups; a list-of-strings column read across them was
    refused ("Nested data conversions not implemented for chunked array outputs")."""
    frame = pd.DataFrame({
        "id": [f"q{k}" for k in range(50)],
        "question": [f"What is {k} + 1?" for k in range(50)],
        "answer": [[str(k + 1), f"{k + 1}.0"] for k in range(50)],
        "pred_m": [f"#### {k + 1}" for k in range(50)]})
    path = tmp_path / "hub.parquet"
    frame.to_parquet(path, row_group_size=10)
    bench = load_benchmark(path, [], ANSWER)
    assert len(bench.items) == 50
    assert decode_gold(bench.items[49].reference) == ("50", "50.0")


def test_errors_name_the_file_and_the_row(write: Write) -> None:
    path = write("bad.csv", "id,question,answer\nq1,What?,1\nq2,Why?,\n")
    with pytest.raises(InputError, match=r"bad\.csv:3 .*'q2'.*'answer'.*empty"):
        load_benchmark(path, [], ANSWER)
    nothing = write("noq.csv", "id,answer\nq1,1\n")
    with pytest.raises(InputError, match=r"no question column.*--text-col"):
        load_benchmark(nothing, [], ANSWER)


def test_an_export_imports_back_as_it_was(tmp_path: Path, write: Write,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = write("gsm.csv", "id,question,answer,output_a,output_a_extracted\n"
                            'q1,How many?,"[""7"", ""seven""]",So 7.,[invalid]\n'
                            "q2,Which city?,Paris,Paris.,Paris\n")
    project, copy = tmp_path / "p.db", tmp_path / "copy.db"
    exported = tmp_path / "out.jsonl"
    assert main(["import", str(project), str(path), "--kind", "answer"]) == 0
    assert main(["export", str(project), str(exported)]) == 0
    assert main(["import", str(copy), str(exported), "--kind", "answer"]) == 0
    capsys.readouterr()
    for db in (project, copy):
        assert main(["score", str(db), "--format", "json"]) == 0
    first, second = (json.loads(part) for part in _json_documents(capsys.readouterr().out))
    assert first["systems"] == second["systems"]
    original = load_benchmark(path, [], ANSWER)
    again = load_benchmark(exported, [], ANSWER)
    assert [i.reference for i in again.items] == [i.reference for i in original.items]
    assert again.predictions == original.predictions


def _json_documents(text: str) -> list[str]:
    """Two JSON documents printed one after the other."""
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(text)
    return [json.dumps(first), text[end:].strip()]
