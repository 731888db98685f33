"""``reviewer suspects`` and ``reviewer compare``, and ``score --interval``, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scipy import stats

from reviewer.cli import main

# Three models; q2's key is wrong (every model says C), q3 is split, q1 and q4 are fine.
QUIZ = (
    "id,question,A,B,C,D,answer,m1,m2,m3\n"
    "q1,One?,a,b,c,d,A,A,A,A\n"
    "q2,Two?,a,b,c,d,B,C,C,C\n"
    "q3,Three?,a,b,c,d,D,D,A,B\n"
    "q4,Four?,a,b,c,d,C,C,C,B\n"
)


@pytest.fixture
def quiz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    table = tmp_path / "quiz.csv"
    table.write_text(QUIZ, encoding="utf-8")
    db = tmp_path / "quiz.db"
    assert main(["import", str(db), str(table), "--kind", "choice"]) == 0
    capsys.readouterr()
    return db


def test_suspects_lists_the_most_suspicious_items_first(
        quiz: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suspects", str(quiz), "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["q2", "q3", "q4"]
    assert "key B; votes C 3" in lines[0]


def test_suspects_json_is_a_ranked_list_of_id_and_score(
        quiz: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suspects", str(quiz), "--format", "json", "--top", "0"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in ranked] == ["q2", "q3", "q4", "q1"]
    assert all(set(r) == {"id", "score"} for r in ranked)
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True) and 0 <= scores[-1] < scores[0] <= 1


def test_cleanlab_method_and_unknown_methods(quiz: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("cleanlab")
    assert main(["suspects", str(quiz), "--method", "cleanlab", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "q2"
    assert main(["suspects", str(quiz), "--method", "nonsense"]) == 1
    assert "choose one of default, votes, cleanlab" in capsys.readouterr().err


def test_a_corrected_key_is_no_longer_suspicious(quiz: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", str(quiz), "q2", "reference_error", "--reference", "C"]) == 0
    capsys.readouterr()
    assert main(["suspects", str(quiz), "--top", "1"]) == 0
    assert capsys.readouterr().out.split()[0] == "q3"


def test_text_projects_rank_shared_changes(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["id,gt,pred_a,pred_b"]
    rows += [f"l{k},plain line {k},plain line {k},plain 1ine {k}" for k in range(20)]
    rows.append("typo,the wtach was late,the watch was late,the watch was late")
    table = tmp_path / "ocr.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "ocr.db"
    assert main(["import", str(db), str(table), "--kind", "text"]) == 0
    capsys.readouterr()
    assert main(["suspects", str(db), "--top", "2"]) == 0
    out = capsys.readouterr()
    first = out.out.splitlines()[0]
    assert first.startswith("typo ") and "(a, b)" in first
    assert "warning" not in out.err


def test_one_system_cannot_rank_a_text_project_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "ocr.csv"
    table.write_text("id,gt,pred_a\nl1,the wtach,the watch\nl2,a line,a line\n",
                     encoding="utf-8")
    db = tmp_path / "ocr.db"
    assert main(["import", str(db), str(table), "--kind", "text"]) == 0
    capsys.readouterr()
    assert main(["suspects", str(db)]) == 0
    out = capsys.readouterr()
    assert [line.split()[1] for line in out.out.splitlines()] == ["0.0000", "0.0000"]
    assert "has 1 system(s); ranking text references needs 2 systems" in out.err


def test_compare_two_systems(quiz: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(quiz), "m1", "m3", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (c,) = out["comparisons"]
    # m1 is right on q1, q3, q4; m3 on q1 only (q3: B, q4: B).
    assert (c["a"], c["b"], c["items"]) == ("m1", "m3", 4)
    assert (c["only_a"], c["only_b"], c["both_right"], c["both_wrong"]) == (2, 0, 1, 1)
    assert c["difference"] == pytest.approx(0.5)
    assert c["p_value"] == pytest.approx(stats.binomtest(2, 2, 0.5).pvalue)
    assert main(["compare", str(quiz)]) == 0  # every pair
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("m1 vs m2:")
    assert main(["compare", str(quiz), "m1"]) == 1
    assert main(["compare", str(quiz), "m1", "nobody"]) == 1


def test_compare_needs_an_accuracy_kind(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "ocr.csv"
    table.write_text("id,gt,pred_a,pred_b\nl1,abc,abc,abd\n", encoding="utf-8")
    db = tmp_path / "ocr.db"
    assert main(["import", str(db), str(table), "--kind", "text"]) == 0
    assert main(["compare", str(db)]) == 1
    assert "accuracy" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["beta", "wilson", "clopper-pearson"])
def test_score_interval_option(quiz: Path, capsys: pytest.CaptureFixture[str],
                               method: str) -> None:
    assert main(["score", str(quiz), "--format", "json", "--interval", method]) == 0
    report = json.loads(capsys.readouterr().out)
    m1 = next(s for s in report["systems"] if s["name"] == "m1")["metrics"]["accuracy"]
    assert (m1["value"], m1["interval"]) == (0.75, method)
    if method == "beta":
        expected = tuple(stats.beta.ppf([0.025, 0.975], 4, 2))
    else:
        ci = stats.binomtest(3, 4).proportion_ci(0.95, "exact" if method != "wilson" else method)
        expected = (ci.low, ci.high)
    assert (m1["low"], m1["high"]) == pytest.approx(expected)


def _typos_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A text project of 22 lines, two of them with a typo two systems correct alike."""
    rows = ["id,gt,pred_a,pred_b,pred_c"]
    rows += [f"l{k},plain line {k},plain line {k},plain 1ine {k},plain line {k}."
             for k in range(20)]
    rows += ["typo,the wtach was late,the watch was late,the watch was late,the watch",
             "long-id-of-a-typo,an owl hoots,an owl hoots,an ow1 hoots,an ow1 hoots"]
    table = tmp_path / "ocr.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "ocr.db"
    assert main(["import", str(db), str(table), "--kind", "text"]) == 0
    capsys.readouterr()
    return db


@pytest.mark.parametrize("args", [["--top", "0"], ["--top", "3"], ["--top", "0", "--format",
                                                                    "json"]])
def test_a_large_text_project_is_listed_as_when_ranked_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        args: list[str]) -> None:
    """From ``IN_PASSES_FROM`` items a text project is ranked a part at a time and listed
    from its item facts: the same lines, scores, order and reasons as ranked whole."""
    from reviewer.cli import suspects

    db = _typos_project(tmp_path, capsys)
    assert main(["suspects", str(db), *args]) == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(suspects, "IN_PASSES_FROM", 10)
    monkeypatch.setattr(suspects, "compute_suspects", None)  # not called
    assert main(["suspects", str(db), *args]) == 0
    assert capsys.readouterr().out == whole
    assert whole.count("\n") >= (3 if "3" in args else 22)


def test_a_large_projects_kept_ranking_is_listed_until_a_reference_is_corrected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranking in passes is kept in the project: listed again without ranking while no
    reference was corrected since (a verdict changes nothing it reads), ranked anew after
    a correction."""
    from reviewer.cli import suspects
    from reviewer.store import decisions
    from reviewer.store.project import Project
    from reviewer.store.suspects import Suspects

    db = _typos_project(tmp_path, capsys)
    monkeypatch.setattr(suspects, "IN_PASSES_FROM", 10)
    ranked: list[int] = []
    real = suspects.rank_in_passes

    def counted(project: Project) -> Suspects:
        ranked.append(1)
        return real(project)

    monkeypatch.setattr(suspects, "rank_in_passes", counted)
    assert main(["suspects", str(db), "--top", "3"]) == 0
    first = capsys.readouterr().out
    assert ranked == [1] and first.splitlines()[0].startswith("typo ")
    assert "'wtach' → 'watch'" in first
    assert main(["suspects", str(db), "--top", "3"]) == 0
    assert capsys.readouterr().out == first and ranked == [1]  # the kept ranking
    with Project(db) as project:
        decisions.decide(project, "l3", "me", verdict="ok")  # changes nothing it reads
    assert main(["suspects", str(db), "--top", "3"]) == 0
    assert capsys.readouterr().out == first and ranked == [1]
    with Project(db) as project:  # the same text, now a correction: re-aligned
        decisions.decide(project, "l3", "me", corrected_reference="plain line 3")
    assert main(["suspects", str(db), "--top", "3"]) == 0
    assert capsys.readouterr().out == first and ranked == [1, 1]  # ranked anew
