"""Inspect AI logs, as Inspect itself wrote them (``tests/data/harness/make_logs.py``, its
``mockllm`` provider): ``.eval`` and ``.json`` logs of an answer task and a
multiple-choice task import and score, and reviewer's verdicts equal Inspect's scores."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reviewer.core.answers.encoding import decode_answer_prediction
from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, detect
from reviewer.store.importer import import_into
from reviewer.store.project import Project

LOGS = Path(__file__).resolve().parents[1] / "data" / "harness" / "inspect"
NEEDS_EXTRA = "reading Inspect logs needs the inspect extra: pip install 'reviewer[inspect]'"


def log(task: str, suffix: str) -> Path:
    """The log of ``task`` (``arith`` or ``mc``) in the ``.eval`` or ``.json`` format."""
    (found,) = sorted(LOGS.glob(f"*_reviewer-inspect-{task}_*{suffix}"))
    return found


def inspect_scores(path: Path) -> dict[str, tuple[str, str]]:
    """Sample id -> (Inspect's score value, the answer its scorer read), via Inspect."""
    read = pytest.importorskip("inspect_ai.log", reason=NEEDS_EXTRA)
    found = read.read_eval_log(str(path))
    return {str(s.id): (next(iter(s.scores.values())).value,
                        next(iter(s.scores.values())).answer) for s in found.samples}


def right_per_item(project_path: Path) -> dict[tuple[str, str], bool]:
    with Project(project_path) as project:
        rows = project.db.execute(
            "SELECT system, item_id, main_errors FROM alignments WHERE variant = 'original'"
        ).fetchall()
    return {(system, item): errors == 0 for system, item, errors in rows}


def test_both_log_formats_are_detected_without_inspect() -> None:
    for task in ("arith", "mc"):
        for suffix in (".eval", ".json"):
            assert detect(log(task, suffix)).name == "inspect"


@pytest.mark.parametrize(("task", "kind"), [("arith", "answer"), ("mc", "choice")])
def test_a_task_scores_as_inspect_did(tmp_path: Path, task: str, kind: str) -> None:
    pytest.importorskip("inspect_ai", reason=NEEDS_EXTRA)
    project = tmp_path / f"{task}.db"
    bench = load_benchmark(log(task, ".eval"), [("", log(task, ".json"))],
                           ReadOptions(kind=kind))
    assert list(bench.predictions) == ["mockllm/modelA", "mockllm/modelB"]
    import_into(project, bench)
    expected = {}
    for model, suffix in (("mockllm/modelA", ".eval"), ("mockllm/modelB", ".json")):
        for sample_id, (value, _) in inspect_scores(log(task, suffix)).items():
            expected[(model, sample_id)] = value == "C"
    assert right_per_item(project) == expected
    assert sorted(expected.values()).count(False) >= 2  # both verdicts occur


def test_answers_keep_inspects_extracted_answer() -> None:
    pytest.importorskip("inspect_ai", reason=NEEDS_EXTRA)
    path = log("arith", ".json")
    bench = load_benchmark(path, [], ReadOptions(kind="answer"))
    raw = json.loads(path.read_text(encoding="utf-8"))
    for sample in raw["samples"]:
        stored = decode_answer_prediction(bench.predictions["mockllm/modelB"][sample["id"]])
        assert stored.output == sample["output"]["completion"]
        assert stored.harness_answer == sample["scores"]["match"]["answer"]
    item = bench.items[0]
    assert json.loads(item.reference) == [raw["samples"][0]["target"]]
    assert dict(item.meta)["question"] == raw["samples"][0]["input"]


def test_multiple_choice_items_keep_choices_and_target() -> None:
    pytest.importorskip("inspect_ai", reason=NEEDS_EXTRA)
    path = log("mc", ".json")
    bench = load_benchmark(path, [], ReadOptions(kind="choice"))
    raw = {s["id"]: s for s in json.loads(path.read_text(encoding="utf-8"))["samples"]}
    for item in bench.items:
        assert json.loads(dict(item.meta)["options"]) == raw[item.id]["choices"]
        assert item.reference == raw[item.id]["target"]
        answer = bench.predictions["mockllm/modelB"][item.id]
        assert answer == raw[item.id]["scores"]["choice"]["answer"]


def test_without_inspect_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # A module set to None in sys.modules cannot be imported: as if it were not installed.
    monkeypatch.setitem(sys.modules, "inspect_ai", None)
    monkeypatch.setitem(sys.modules, "inspect_ai.log", None)
    with pytest.raises(InputError, match=r"inspect extra: pip install 'reviewer\[inspect\]'"):
        load_benchmark(log("arith", ".eval"), [], ReadOptions(kind="answer"))


def test_an_inspect_log_read_as_another_kind_says_which_kinds() -> None:
    with pytest.raises(InputError, match=r"--kind answer.*--kind choice"):
        load_benchmark(log("arith", ".json"), [], ReadOptions(kind="label"))
