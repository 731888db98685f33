"""OMR-NED through reviewer's own import and score path, against musicdiff 5.2's fixtures.

``../shared/fixtures/omr-musicdiff/``: 21 single-edit cases, the worked example and the
broken piano prediction, as musicdiff's batch mode computed them (expected.json).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.errors import Cancelled
from reviewer.core.score_types import Scores
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.omr_ned import fill, pending_pairs, result_for
from reviewer.store.project import Project
from reviewer.store.scores import score_project

pytestmark = pytest.mark.slow


def _cases(fixtures: Path) -> dict[str, tuple[Path, Path, dict[str, Any]]]:
    """Item id -> (reference file, prediction file, expected values), all 23 pairs."""
    root = fixtures / "omr-musicdiff"
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    cases = {c["case"]: (root / "single_edit" / "gt.krn", root / c["pred"], c)
             for c in expected["single_edit"]["cases"]}
    cases["worked_example"] = (root / "worked_example" / "gt.krn",
                               root / "worked_example" / "pred.krn", expected["worked_example"])
    cases["piano_syntax_example"] = (root / "piano_syntax_example" / "gt.krn",
                                     root / "piano_syntax_example" / "pred_syntax_errors.krn",
                                     expected["piano_syntax_example"])
    return cases


# The scored project, musicdiff's expected values per pair and the project's score report.
Batch = tuple[Path, dict[str, Any], Scores]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The 23 fixture pairs as folders gt/ and pred/, imported and scored with the CLI."""
    from tests.conftest import SHARED_FIXTURES

    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"peer fixtures not present at {SHARED_FIXTURES} (a user's clone)")
    root = tmp_path_factory.mktemp("omr")
    cases = _cases(SHARED_FIXTURES)
    for folder in ("gt", "pred"):
        (root / folder).mkdir()
    for case, (gt, pred, _) in cases.items():
        shutil.copy(gt, root / "gt" / f"{case}.krn")
        shutil.copy(pred, root / "pred" / f"{case}.krn")
    db = root / "smb.db"
    assert main(["import", str(db), str(root / "gt"), "--kind", "kern",
                 "--pred", f"smt={root / 'pred'}"]) == 0
    assert main(["score", str(db), "--workers", "2"]) == 0
    with Project(db) as project:
        report = score_project(project)
    expected = {case: values for case, (_, _, values) in cases.items()}
    return db, expected, report


def test_every_fixture_pair_reproduced(batch: Batch) -> None:
    db, expected, _ = batch
    with Project(db) as project:
        for case, values in expected.items():
            result = result_for(project, "smt", case)
            assert result is not None and not result.error, case
            assert (result.ed, result.pred_symbols, result.gt_symbols) == (
                values["omr_ed"], values["pred_symbols"], values["gt_symbols"]), case
            assert result.value == pytest.approx(values["omr_ned"], abs=1e-12), case
            assert result.categories == values["categories"], case
            assert sorted(op.op for op in result.ops) == sorted(values["ops"]), case


def test_broken_prediction_counts_its_syntax_repairs(
        batch: Batch) -> None:
    db, _, _ = batch
    with Project(db) as project:
        result = result_for(project, "smt", "piano_syntax_example")
        assert result is not None
        assert result.syntax_fixed == 4 and result.categories["bad kern syntax"] == 4
        assert (result.ed, result.pred_symbols, result.gt_symbols) == (19, 50, 58)
        # reviewer's own check says where: the bad token, the short record, the end
        stored = json.loads(project.alignment_row("smt", "piano_syntax_example").counts.extra)
        assert [p[0] for p in stored["syntax"]] == [10, 13, 15]


def test_corpus_omr_ned_is_batch_mode_total(batch: Batch) -> None:
    _, expected, report = batch
    (smt,) = report["systems"]
    omr = smt["metrics"]["omr_ned"]
    assert (omr["errors"], omr["units"]) == (140, 2525)
    assert (omr["gt_symbols"], omr["pred_symbols"]) == (1277, 1248)
    assert omr["value"] == pytest.approx(0.055445544554455446, abs=1e-15)
    low, value, high = omr["low"], omr["value"], omr["high"]
    assert low is not None and value is not None and high is not None and low < value < high
    assert smt["omr_ned_status"] == {"computed": 23, "pending": 0, "failed": 0,
                                     "syntax_errors_fixed": 4}
    # musicdiff's categories add up to the edit cost; token categories stay apart
    omr_categories = {k: v for k, v in smt["categories"].items() if " " in k}
    totals: dict[str, int] = {}
    for values in expected.values():
        for name, cost in values["categories"].items():
            totals[name] = totals.get(name, 0) + cost
    assert omr_categories == totals and sum(totals.values()) == 140
    token = [v for k, v in smt["categories"].items() if " " not in k]
    assert all(isinstance(v, int) for v in token)
    assert sum(v for v in token if isinstance(v, int)) == smt["metrics"]["ser"]["errors"]


def test_cached_rerun_computes_nothing(batch: Batch) -> None:
    db, _, _ = batch
    with Project(db) as project:
        assert pending_pairs(project) == []
        report = fill(project)
        assert (report.rows, report.computed) == (0, 0)
        # forget the rows' results: the cache answers, musicdiff is not called
        project.db.execute("UPDATE alignments SET extra = json_remove(extra, '$.omr')")
        report = fill(project)
        assert report.rows == 23 and report.cached == 23 and report.computed == 0


def test_score_json_metrics(batch: Batch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    db, _, _ = batch
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json", "--no-omr-ned"]) == 0
    (smt,) = json.loads(capsys.readouterr().out)["systems"]
    assert set(smt["metrics"]) == {"ser", "omr_ned"}
    for metric in smt["metrics"].values():
        assert set(metric) >= {"value", "errors", "units", "low", "high"}
    gt_tokens = 0
    for gt in (db.parent / "gt").glob("*.krn"):
        for line in gt.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("!!"):
                gt_tokens += sum(1 for t in line.split("\t")
                                 if t not in (".", "*", "!") and not t.startswith("!"))
    assert smt["metrics"]["ser"]["units"] == gt_tokens
    assert main(["score", str(db)]) == 0
    table = capsys.readouterr().out
    assert "OMR-ED by musicdiff category" in table and "bad kern syntax" in table


def test_cancel_keeps_what_was_done(tmp_path: Path, peer_fixtures: Path) -> None:
    root = peer_fixtures / "omr-musicdiff" / "single_edit"
    options = ReadOptions(kind="kern")
    for folder in ("gt", "pred"):
        (tmp_path / folder).mkdir()
    for k in range(1, 5):
        shutil.copy(root / "gt.krn", tmp_path / "gt" / f"p{k}.krn")
        shutil.copy(sorted(root.glob("pred_*.krn"))[k], tmp_path / "pred" / f"p{k}.krn")
    bench = load_benchmark(tmp_path / "gt", [("smt", tmp_path / "pred")], options)

    class StopAfterOne:
        def __init__(self) -> None:
            self.done = 0.0

        def set(self, value: float) -> None:
            self.done = value

        def status(self, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return self.done > 0

    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, bench)
        with pytest.raises(Cancelled):
            fill(project, progress=StopAfterOne(), workers=1)
        left = len(pending_pairs(project))
        assert 0 < left < 4  # the finished pair was committed before the cancel
        report = fill(project, workers=1)
        assert report.computed == left and pending_pairs(project) == []


def test_a_corrected_reference_gets_its_own_omr_ned(tmp_path: Path, peer_fixtures: Path) -> None:
    from reviewer.store.decisions import decide

    root = peer_fixtures / "omr-musicdiff" / "worked_example"
    for folder in ("gt", "pred"):
        (tmp_path / folder).mkdir()
    shutil.copy(root / "gt.krn", tmp_path / "gt" / "w.krn")
    shutil.copy(root / "pred.krn", tmp_path / "pred" / "w.krn")
    bench = load_benchmark(tmp_path / "gt", [("smt", tmp_path / "pred")],
                           ReadOptions(kind="kern"))
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, bench)
        fill(project, workers=1)
        prediction = (root / "pred.krn").read_text(encoding="utf-8").rstrip("\n")
        # the reviewer decides the prediction was right all along
        decide(project, "w", "tester", verdict="reference_error",
               corrected_reference=prediction)
        assert len(pending_pairs(project)) == 1
        report = fill(project, workers=1)
        assert report.computed == 1
        cleaned = score_project(project, "cleaned")["systems"][0]["metrics"]["omr_ned"]
        original = score_project(project, "original")["systems"][0]["metrics"]["omr_ned"]
        assert (cleaned["errors"], cleaned["units"]) == (0, 48)  # 24 symbols on each side
        assert (original["errors"], original["units"]) == (10, 46)
        result = result_for(project, "smt", "w", reference=prediction)
        assert result is not None and result.ed == 0


def test_reference_scores_diffed_against_themselves(tmp_path: Path, peer_fixtures: Path) -> None:
    """The corpus scores (Haydn's symphony left out: minutes): OMR-ED 0, musicdiff's counts."""
    root = peer_fixtures / "omr-musicdiff"
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    files = {k: v for k, v in expected["reference_scores"]["files"].items() if "Haydn" not in k}
    for folder in ("gt", "pred"):
        for name in files:
            target = tmp_path / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / name, target)
    bench = load_benchmark(tmp_path / "gt", [("self", tmp_path / "pred")],
                           ReadOptions(kind="kern"))
    with Project(tmp_path / "refs.db", create=True) as project:
        import_benchmark(project, bench)
        report = fill(project, workers=2)
        assert report.computed == len(files) and report.failed == 0
        for name, values in files.items():
            result = result_for(project, "self", name.removesuffix(".krn"))
            assert result is not None, name
            assert (result.ed, result.syntax_fixed) == (0, 0), name
            assert result.gt_symbols == result.pred_symbols == values["syms"], name
