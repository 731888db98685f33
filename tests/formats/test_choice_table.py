"""Multiple-choice tables: MMLU-Redux's published files as they are, and every other layout."""

from __future__ import annotations

import ast
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from reviewer.core.errors import InputError
from reviewer.formats.choice_cells import CellError, error_type_id, parse_key, parse_options
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project

CHOICE = ReadOptions(kind="choice")
REDUX = Path("mcq-mmlu-redux") / "outputs"
MODELS = 14


@pytest.fixture
def redux_table(peer_fixtures: Path) -> Path:
    return peer_fixtures / REDUX / "multi_expert_helm" / "all_6subjects.csv"


@pytest.fixture
def raw(redux_table: Path) -> pd.DataFrame:
    """The table as pandas reads it, every cell as text: the independent side of the checks."""
    return pd.read_csv(redux_table, dtype=str, keep_default_na=False)


def test_mmlu_redux_subset_loads_as_it_is(redux_table: Path, raw: pd.DataFrame) -> None:
    bench = load_benchmark(redux_table, [], CHOICE)
    models = list(raw.columns[4:4 + MODELS])
    assert len(bench.items) == len(raw) == 600
    assert list(bench.predictions) == models  # majority_llm_pred_* are aggregates, not models
    first = dict(bench.items[0].meta)
    assert first["question"] == raw.question[0]
    assert json.loads(first["options"]) == ast.literal_eval(raw.choices[0])
    assert Counter(dict(i.meta)["redux_error_type"] for i in bench.items) == Counter(
        raw.error_type)
    assert [i.reference for i in bench.items] == ["ABCD"[int(x)] for x in raw.groundtruth_answer]
    for model in models:
        assert [bench.predictions[model][i.id] for i in bench.items] == [
            v if v in ("A", "B", "C", "D") else "" for v in raw[model]]
    assert any("0-based" in w for w in bench.warnings)
    assert any("'This'" in w and "openai_gpt-4-0613" in w for w in bench.warnings)
    assert any("majority_llm_pred_top_3" in w for w in bench.warnings)


def test_mmlu_redux_accuracies_and_intervals(redux_table: Path, raw: pd.DataFrame,
                                             tmp_path: Path) -> None:
    bench = load_benchmark(redux_table, [], CHOICE)
    key = raw.groundtruth_answer.map(lambda x: "ABCD"[int(x)])
    ok = raw.error_type == "ok"
    with Project(tmp_path / "redux.db", create=True) as project:
        import_benchmark(project, bench)
        report = {s["name"]: s for s in score_project(project)["systems"]}
        wilson = {s["name"]: s for s in score_project(project, interval="wilson")["systems"]}
        exact = {s["name"]: s for s in
                 score_project(project, interval="clopper-pearson")["systems"]}
        for item, flawed in zip(bench.items, ~ok, strict=True):
            if flawed:  # the dataset's flawed questions leave the cleaned set
                decisions.decide(project, item.id, "test", verdict="reference_error")
        cleaned = {s["name"]: s for s in score_project(project, "cleaned")["systems"]}
    for model in raw.columns[4:4 + MODELS]:
        right = raw[model] == key
        x, n = int(right.sum()), len(raw)
        acc = report[model]["metrics"]["accuracy"]
        assert (acc["value"], acc["errors"], acc["units"]) == (x / n, n - x, n)
        low, high = stats.beta.ppf([0.025, 0.975], x + 1, n - x + 1)
        assert (acc["low"], acc["high"]) == pytest.approx((low, high))
        result = stats.binomtest(x, n)
        for found, method in ((wilson, "wilson"), (exact, "exact")):
            ci = result.proportion_ci(0.95, method=method)
            got = found[model]["metrics"]["accuracy"]
            assert (got["low"], got["high"]) == pytest.approx((ci.low, ci.high))
        x_ok, n_ok = int(right[ok].sum()), int(ok.sum())
        acc = cleaned[model]["metrics"]["accuracy"]
        assert (acc["value"], acc["units"]) == (x_ok / n_ok, n_ok)


@pytest.mark.parametrize(("name", "options"), [("BOC", 4), ("BQC", 4), ("MCA", 4), ("NCA", 3),
                                               ("WG", 4)])
def test_corruption_tests_with_numpy_option_lists(peer_fixtures: Path, name: str,
                                                  options: int) -> None:
    path = peer_fixtures / REDUX / "corruption_tests" / f"corruption_test_{name}.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    bench = load_benchmark(path, [], CHOICE)
    opts = [json.loads(dict(i.meta)["options"]) for i in bench.items]
    assert all(len(o) == options for o in opts)  # not glued into one string
    for options_, cell in zip(opts, raw.choices, strict=True):
        for option in options_:
            assert option in cell.replace("\n", " ") or option.replace("'", "") in cell
    if name == "NCA":
        assert {i.reference for i in bench.items} == {""}
        assert all("every option listed" in o for o in opts)
    else:
        assert [i.reference for i in bench.items] == ["ABCD"[int(a)] for a in raw.answer]
    if name == "MCA":
        assert sum(len(set(o)) < len(o) for o in opts) == 19  # duplicate options are kept


def test_option_list_spellings() -> None:
    assert parse_options('["a", "b"]') == ["a", "b"]
    assert parse_options("['a', \"it's\"]") == ["a", "it's"]
    assert parse_options("['x y' 'z'\n 'w']") == ["x y", "z", "w"]
    assert parse_options("['a', 'b' 'c']") == ["a", "b", "c"]
    assert parse_options("[1, 2.5]") == ["1", "2.5"]
    for bad in ("a, b", "[]", "['a' b]", "['unterminated]", "[__import__('os')]"):
        with pytest.raises(CellError):
            parse_options(bad)


def test_keys_letters_indices_text_and_several() -> None:
    opts = ["red", "green", "blue", "black"]
    assert parse_key("b", opts, 0) == "B"
    assert parse_key("(C)", opts, 0) == "C"
    assert parse_key("2", opts, 0) == "C" and parse_key("2", opts, 1) == "B"
    assert parse_key("Green", opts, 0) == "B"
    assert parse_key("A|C", opts, 0) == "A|C" and parse_key("[0, 3]", opts, 0) == "A|D"
    assert parse_key("n/a", opts, 0) == "" and parse_key("", opts, 0) == ""
    for bad in ("E", "7", "purple"):
        with pytest.raises(CellError, match="names no option"):
            parse_key(bad, opts, 0)


@pytest.mark.parametrize(("spelling", "type_id"), [
    ("wrong_groundtruth", "wrong_groundtruth"), ("Wrong Ground Truth", "wrong_groundtruth"),
    ("bad-question-clarity", "bad_question_clarity"),
    ("Bad options clarity", "bad_options_clarity"), ("no_correct_answers", "no_correct_answer"),
    ("multiple correct answer", "multiple_correct_answers"),
    ("Expert needed", "expert"), ("OK", "ok"), ("", ""),
])
def test_mmlu_redux_label_spellings(spelling: str, type_id: str) -> None:
    assert error_type_id(spelling) == type_id


def test_unknown_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "redux.csv"
    path.write_text('question,choices,answer,error_type\nQ1,"[\'a\', \'b\']",0,ok\n'
                    'Q2,"[\'a\', \'b\']",1,typo in key\n', encoding="utf-8")
    with pytest.raises(InputError, match="typo in key") as info:
        load_benchmark(path, [], CHOICE)
    assert info.value.line == 3 and info.value.path == str(path)


def test_letter_columns_one_based_answers_and_dataset_columns(tmp_path: Path) -> None:
    path = tmp_path / "quiz.csv"
    path.write_text(
        "id,subject,question,A,B,C,D,answer,correct_answer,error_type,alpha,beta\n"
        "q1,geo,Capital of France?,Rome,Paris,Oslo,Bern,2,,ok,B,B\n"
        "q2,math,2+2?,3,4,5,,2,,ok,B,A\n"
        "q3,math,3*3?,6,8,9,12,4,C,Wrong Groundtruth,C,C\n", encoding="utf-8")
    bench = load_benchmark(path, [], CHOICE)
    assert [i.reference for i in bench.items] == ["B", "B", "D"]
    assert any("1-based" in w for w in bench.warnings)
    meta = dict(bench.items[2].meta)
    assert meta["redux_error_type"] == "wrong_groundtruth"
    assert meta["redux_correct_answer"] == "C" and meta["subject"] == "math"
    assert json.loads(dict(bench.items[1].meta)["options"]) == ["3", "4", "5"]
    assert bench.predictions == {"alpha": {"q1": "B", "q2": "B", "q3": "C"},
                                 "beta": {"q1": "B", "q2": "A", "q3": "C"}}


def test_jsonl_with_chosen_columns_and_option_text_answers(tmp_path: Path) -> None:
    path = tmp_path / "mcq.jsonl"
    rows = [{"uid": "a", "prompt": "Sky colour?", "choices": ["blue", "green"], "gold": 0,
             "out": "blue", "idx": 1},
            {"uid": "b", "prompt": "Grass colour?", "choices": ["blue", "green"], "gold": 1,
             "out": "Green", "idx": 7}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    options = ReadOptions(kind="choice", id_col="uid", label_col="gold",
                          pred_cols={"texty": "out", "indexy": "idx"})
    bench = load_benchmark(path, [], options)
    assert [(i.id, i.reference) for i in bench.items] == [("a", "A"), ("b", "B")]
    assert bench.predictions["texty"] == {"a": "A", "b": "B"}
    assert bench.predictions["indexy"] == {"a": "B", "b": ""}  # 7 names no option
    assert any("indexy" in w and "name no option" in w for w in bench.warnings)


def test_parquet_and_a_separate_prediction_file(tmp_path: Path) -> None:
    table = tmp_path / "mcq.parquet"
    pd.DataFrame({"id": ["a", "b", "c"], "question": ["x?", "y?", "z?"],
                  "options": [["p", "q", "r"]] * 3, "answer": ["A", "C", "B"]}
                 ).to_parquet(table)
    answers = tmp_path / "answers.csv"
    answers.write_text("id,prediction\na,0\nb,2\nc,1\n", encoding="utf-8")
    bench = load_benchmark(table, [("sys", answers)], CHOICE)
    assert [i.reference for i in bench.items] == ["A", "C", "B"]
    assert bench.predictions["sys"] == {"a": "A", "b": "C", "c": "B"}
    assert any("0-based" in w for w in bench.warnings)


@pytest.mark.parametrize(("content", "message"), [
    ("id,text,answer\n1,x,A\n", "no options"),
    ("id,choices,answer\n1,\"['a']\",A\n", "no question column"),
    ("id,question,choices\n1,x,\"['a']\"\n", "no answer column"),
    ("id,question,choices,answer\n1,x,a b,A\n", "not a list"),
    ("id,question,choices,answer\n1,x,\"['a','b']\",A\n1,y,\"['a','b']\",B\n", "duplicate id"),
])
def test_bad_tables_are_refused_clearly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_benchmark(path, [], CHOICE)
    assert str(path) in str(info.value)
