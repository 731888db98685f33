"""An answer project's extraction preset and matcher: chosen at import, kept in the project,
used for every pair (corrected references too), changed with a re-score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.answers.encoding import encode_gold
from reviewer.core.answers.extract import UnknownExtraction
from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.core.score_types import ScoreSet, SystemScores
from reviewer.store import decisions
from reviewer.store.importer import import_into
from reviewer.store.project import Project
from reviewer.store.rescore import rescore
from reviewer.store.scores import score_project

# The boxed answer and the #### line disagree: the extraction preset decides what is right.
OUTPUTS = {
    "q1": "First guess: 7.\n#### 7\nChecking again: \\boxed{8}",
    "q2": "#### 12\nso \\boxed{12}",
    "q3": "Answer: x + 1",
}
GOLD = {"q1": "8", "q2": "12", "q3": "1+x"}


def bench() -> Benchmark:
    items = [Item(k, encode_gold([v]), meta=(("question", f"question {k}"),))
             for k, v in GOLD.items()]
    return Benchmark(kind="answer", items=items, predictions={"model": dict(OUTPUTS)})


def right(project: Project, set_name: ScoreSet = "original") -> int:
    """The model's right answers on ``set_name``."""
    return correct(score_project(project, set_name, resamples=20)["systems"][0])


def correct(system: SystemScores) -> int:
    accuracy = system["metrics"]["accuracy"]
    return accuracy["units"] - accuracy["errors"]


def test_defaults_are_auto_extraction_and_the_matcher_by_gold(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench())
    with Project(db) as project:
        assert (project.extract, project.matcher) == ("auto", "")
        assert project.meta("extract") is None  # defaults are not written
        assert right(project) == 2  # q1 by the box, q2; q3 is exact: 'x 1' is not '1x'
        report = score_project(project, resamples=20)
        assert (report["extract"], report["matcher"]) == ("auto", "")


def test_import_keeps_the_chosen_preset_and_matcher(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench(), extract="gsm8k", matcher="math")
    with Project(db) as project:
        assert (project.extract, project.matcher) == ("gsm8k", "math")
        assert project.score_options.extract == "gsm8k"
        assert right(project) == 1  # q1 reads 7; q3 has no #### line


def test_a_second_import_must_score_the_same_way(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench(), extract="gsm8k")
    more = bench()
    more.predictions = {"other": dict(OUTPUTS)}
    with pytest.raises(ProjectError, match=r"extraction preset 'gsm8k'.*--extract boxed"):
        import_into(db, more, extract="boxed")
    import_into(db, more)  # none asked for: the project's own
    with Project(db) as project:
        report = score_project(project, resamples=20)
        assert [correct(s) for s in report["systems"]] == [1, 1]


def test_unknown_choices_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with pytest.raises(UnknownExtraction, match="pattern '\\(' is not a valid"):
        import_into(db, bench(), extract="regex:(")
    assert not db.exists()


def test_rescore_changes_the_scores_and_keeps_the_options(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench())
    with Project(db) as project:
        assert rescore(project, extract="gsm8k") == 3
        assert project.extract == "gsm8k" and right(project) == 1
        rescore(project, extract="auto", matcher="math")
        assert (project.extract, project.matcher) == ("auto", "math") and right(project) == 3
        with pytest.raises(UnknownExtraction):
            rescore(project, extract="nonsense")
        assert project.extract == "auto" and right(project) == 3


def test_corrected_references_are_scored_with_the_projects_options(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench(), extract="gsm8k")
    with Project(db) as project:
        # By gsm8k's reading the model answers 7: a corrected gold of 7 makes it right ...
        decisions.decide(project, "q1", "ann", verdict="reference_error",
                         corrected_reference="7")
        assert right(project, "cleaned") == 2
        # ... and a re-score with another preset redoes the corrected pair too.
        rescore(project, extract="boxed")
        assert right(project, "original") == 2 and right(project, "cleaned") == 1


def score_json(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["score", str(db), "--format", "json", "--resamples", "20", *extra]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_score_extract_and_matcher_rescore_and_are_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench())
    report = score_json(db, capsys, "--extract", "gsm8k")
    assert report["extract"] == "gsm8k"
    assert report["systems"][0]["metrics"]["accuracy"]["correct"] == 1
    report = score_json(db, capsys, "--extract", "auto", "--matcher", "math")
    assert (report["extract"], report["matcher"]) == ("auto", "math")
    assert report["systems"][0]["metrics"]["accuracy"]["correct"] == 3
    report = score_json(db, capsys, "--matcher", "default")
    assert report["matcher"] == "" and report["systems"][0]["matchers"] == {
        "exact": 1, "numeric": 2}
    report = score_json(db, capsys)  # kept
    assert report["matcher"] == ""


def test_score_extract_is_refused_for_other_kinds_and_bad_presets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    import_into(db, bench())
    assert main(["score", str(db), "--extract", "regex:("]) == 1
    assert "not a valid regular expression" in capsys.readouterr().err
    text = tmp_path / "t.db"
    import_into(text, Benchmark(kind="text", items=[Item("a", "abc")],
                                predictions={"s": {"a": "abd"}}))
    assert main(["score", str(text), "--extract", "gsm8k"]) == 1
    assert "--extract applies to answer projects, not text" in capsys.readouterr().err
