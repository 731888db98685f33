"""lm-evaluation-harness ``--log_samples`` logs, as the harness itself wrote them
(``tests/data/harness/make_logs.py``): each imports and scores, and reviewer's per-item
verdicts equal the per-sample metrics the harness stored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.choice_codec import decode_choice
from reviewer.core.errors import InputError
from reviewer.core.kinds import spec
from reviewer.formats.harness_logs import run_model_name
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, detect
from reviewer.store.importer import import_into
from reviewer.store.project import Project

LOGS = Path(__file__).resolve().parents[1] / "data" / "harness" / "lm-eval"


def samples(model: str, task: str) -> Path:
    """The harness's sample log of ``task`` run with ``model``."""
    (found,) = sorted((LOGS / model).glob(f"samples_{task}_*.jsonl"))
    return found


def harness_records(path: Path, filter_name: str) -> dict[str, dict[str, Any]]:
    """doc id -> the log's record of ``filter_name``, read with plain json."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["filter"] == filter_name:
            out[str(record["doc_id"])] = record
    return out


def right_per_item(project_path: Path) -> dict[tuple[str, str], bool]:
    """(system, item id) -> whether reviewer scored the answer right."""
    with Project(project_path) as project:
        rows = project.db.execute(
            "SELECT system, item_id, main_errors FROM alignments WHERE variant = 'original'"
        ).fetchall()
    return {(system, item): errors == 0 for system, item, errors in rows}


def test_the_log_is_detected_and_names_its_model() -> None:
    path = samples("modelA", "reviewer_arith")
    assert detect(path).name == "lm-eval"
    assert run_model_name(path) == "modelA"  # results_<date>.json's model_name


def test_an_answer_task_scores_as_the_harness_did(tmp_path: Path) -> None:
    # The harness's strict-match filter reads "#### N"; the gsm8k preset reads the same.
    project = tmp_path / "arith.db"
    bench = load_benchmark(samples("modelA", "reviewer_arith"),
                           [("modelB", samples("modelB", "reviewer_arith"))],
                           ReadOptions(kind="answer"))
    assert any("strict-match, flexible-extract" in w for w in bench.warnings)
    import_into(project, bench, extract="gsm8k")
    got = right_per_item(project)
    expected = {}
    for model in ("modelA", "modelB"):
        for doc_id, record in harness_records(samples(model, "reviewer_arith"),
                                              "strict-match").items():
            expected[(model, doc_id)] = record["exact_match"] == 1.0
    assert got == expected
    assert sorted(expected.values()).count(False) >= 4  # both verdicts occur


def test_reviewer_flags_where_its_extraction_and_the_harness_differ(tmp_path: Path) -> None:
    project = tmp_path / "arith.db"
    bench = load_benchmark(samples("modelA", "reviewer_arith"), [],
                           ReadOptions(kind="answer"))
    item = next(i for i in bench.items if dict(i.meta)["question"].startswith("Tom"))
    assert json.loads(item.reference) == ["8"]
    assert dict(item.meta)["rationale"] == "He keeps 15 - 7 = 8 marbles."
    import_into(project, bench)  # the default extraction finds "the answer is 8"
    with Project(project) as p:
        (category, errors), = p.db.execute(
            "SELECT main_category, main_errors FROM alignments WHERE item_id = ? "
            "AND variant = 'original'", [item.id]).fetchall()
    assert (category, errors) == ("extraction_disagrees", 0)
    record = harness_records(samples("modelA", "reviewer_arith"), "strict-match")[item.id]
    assert record["filtered_resps"] == ["[invalid]"] and record["exact_match"] == 0.0


def test_a_multiple_choice_task_scores_as_the_harness_did(tmp_path: Path) -> None:
    project = tmp_path / "mc.db"
    bench = load_benchmark(samples("modelA", "reviewer_mc"),
                           [("modelB", samples("modelB", "reviewer_mc"))],
                           ReadOptions(kind="choice"))
    import_into(project, bench)
    expected = {(model, doc_id): record["acc"] == 1.0
                for model in ("modelA", "modelB")
                for doc_id, record in harness_records(samples(model, "reviewer_mc"),
                                                      "none").items()}
    assert right_per_item(project) == expected
    first = next(i for i in bench.items if i.id == "0")
    assert json.loads(dict(first.meta)["options"]) == ["Venus", "Mercury", "Earth", "Mars"]
    assert first.reference == "B"  # the target 1 is the second option


def test_option_probabilities_are_the_softmax_of_the_loglikelihoods() -> None:
    path = samples("modelA", "reviewer_mc")
    bench = load_benchmark(path, [], ReadOptions(kind="choice"))
    for doc_id, record in harness_records(path, "none").items():
        logliks = [float(ll) for ll, _ in record["filtered_resps"]]
        answer = decode_choice(bench.predictions["modelA"][doc_id])
        assert answer.probs is not None
        assert answer.label == "ABCD"[logliks.index(max(logliks))]
        assert sum(answer.probs.values()) == pytest.approx(1.0, abs=1e-5)
        # The ratio of two probabilities is the exponential of the log-likelihoods' gap.
        ratio = answer.probs["A"] / answer.probs["B"]
        assert ratio == pytest.approx(2.718281828 ** (logliks[0] - logliks[1]), rel=1e-4)


def test_suspicion_uses_the_probabilities(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "mc.db"
    assert main(["import", str(project), str(samples("modelA", "reviewer_mc")),
                 "--kind", "choice", "--pred", str(samples("modelB", "reviewer_mc"))]) == 0
    capsys.readouterr()
    assert main(["suspects", str(project), "--format", "json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    # Both models put most of their probability on A where the key is B (doc 3).
    assert ranked[0]["id"] == "3"
    assert spec("choice").suspicion is not None


def test_patterns_and_the_model_named_by_the_log(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "arith.db"
    pattern = str(LOGS / "modelB" / "samples_reviewer_arith_*.jsonl")
    assert main(["import", str(project), str(samples("modelA", "reviewer_arith")),
                 "--kind", "answer", "--pred", pattern]) == 0
    assert "systems: modelA, modelB" in capsys.readouterr().out
    named = tmp_path / "named.db"
    assert main(["import", str(named), str(samples("modelA", "reviewer_arith")),
                 "--kind", "answer", "--pred", f"other={pattern}"]) == 0
    assert "systems: modelA, other" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "none.db"),
                 str(samples("modelA", "reviewer_arith")), "--kind", "answer",
                 "--pred", str(LOGS / "nothing_*.jsonl")]) == 1
    assert "no file matches" in capsys.readouterr().err


def test_without_results_the_run_folder_names_the_model(tmp_path: Path) -> None:
    run = tmp_path / "my-run"
    run.mkdir()
    copy = run / samples("modelA", "reviewer_arith").name
    shutil.copy(samples("modelA", "reviewer_arith"), copy)
    bench = load_benchmark(copy, [], ReadOptions(kind="answer"))
    assert list(bench.predictions) == ["my-run"]


def test_a_log_read_as_the_wrong_kind_says_which_kind(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--kind choice"):
        load_benchmark(samples("modelA", "reviewer_mc"), [], ReadOptions(kind="answer"))
    with pytest.raises(InputError, match="--kind answer"):
        load_benchmark(samples("modelA", "reviewer_arith"), [], ReadOptions(kind="choice"))
    with pytest.raises(InputError, match=r"--kind answer.*--kind choice"):
        load_benchmark(samples("modelA", "reviewer_arith"), [], ReadOptions(kind="text"))


def test_the_logs_come_from_the_tool_versions_recorded_beside_them() -> None:
    versions = dict(line.split(" ", 1) for line in
                    (LOGS.parent / "VERSIONS").read_text(encoding="utf-8").splitlines())
    for model in ("modelA", "modelB"):
        (results,) = (LOGS / model).glob("results_*.json")
        data = json.loads(results.read_text(encoding="utf-8"))
        assert data["lm_eval_version"] == versions["lm_eval"]
    for path in (LOGS.parent / "inspect").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["eval"]["packages"]["inspect_ai"] == versions["inspect_ai"]


def test_show_prints_the_letter_and_its_probability(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "mc.db"
    assert main(["import", str(project), str(samples("modelA", "reviewer_mc")),
                 "--kind", "choice"]) == 0
    capsys.readouterr()
    assert main(["show", str(project), "3"]) == 0
    out = capsys.readouterr().out
    assert "modelA: A (90)  wrong  p 0.64" in out and '"label"' not in out
