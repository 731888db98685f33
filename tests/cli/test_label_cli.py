"""``reviewer import/score/suspects/show --kind label`` end to end, checked against sklearn."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as skm

from reviewer.cli import main
from reviewer.resources import demo_dir

CLASSES = ["negative", "neutral", "positive"]


@pytest.fixture
def sst(tmp_path: Path) -> dict[str, Path]:
    """A 60-sentence table, one probability file and one label file; s007's gold is wrong."""
    rng = np.random.default_rng(4)
    gold = [CLASSES[k] for k in rng.integers(0, 3, 60)]
    true = list(gold)
    gold[7] = CLASSES[(CLASSES.index(true[7]) + 1) % 3]  # a planted label error
    ref = tmp_path / "test.csv"
    with ref.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "sentence", "label"])
        out.writerows([f"s{k:03d}", f"sentence number {k}", g] for k, g in enumerate(gold))
    probs = tmp_path / "roberta_probs.csv"
    with probs.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", *(f"prob_{c}" for c in CLASSES)])
        for k, t in enumerate(true):
            p = rng.dirichlet([1, 1, 1]) * 0.4
            p[CLASSES.index(t)] += 0.6
            if k == 7:
                p = np.array([0.02, 0.02, 0.02])
                p[CLASSES.index(t)] = 0.96
            out.writerow([f"s{k:03d}", *(f"{x:.6f}" for x in p / p.sum())])
    labels = tmp_path / "tfidf_pred.csv"
    with labels.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "label"])
        for k, t in enumerate(true):
            guess = t if rng.random() < 0.7 or k == 7 else CLASSES[int(rng.integers(0, 3))]
            out.writerow([f"s{k:03d}", guess])
    db = tmp_path / "sst.db"
    assert main(["import", str(db), str(ref), "--kind", "label", "--text-col", "sentence",
                 "--label-col", "label", "--pred", f"roberta={probs}",
                 "--pred", f"tfidf={labels}"]) == 0
    return {"db": db, "ref": ref, "probs": probs, "labels": labels}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _most_probable(row: dict[str, str]) -> str:
    return max(CLASSES, key=lambda c: float(row[f"prob_{c}"]))


def test_score_json_matches_scikit_learn(sst: dict[str, Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(sst["db"]), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "label" and report["primary_metric"] == "accuracy"
    gold = [r["label"] for r in _read(sst["ref"])]
    rows = _read(sst["probs"])
    roberta = [_most_probable(r) for r in rows]
    tfidf = [r["label"] for r in _read(sst["labels"])]
    systems = {s["name"]: s for s in report["systems"]}
    for name, pred in (("roberta", roberta), ("tfidf", tfidf)):
        m = systems[name]["metrics"]
        assert m["accuracy"]["value"] == pytest.approx(skm.accuracy_score(gold, pred))
        assert m["accuracy"]["units"] == 60
        assert m["macro_f1"]["value"] == pytest.approx(skm.f1_score(gold, pred,
                                                                    average="macro"))
        assert m["micro_f1"]["value"] == pytest.approx(skm.f1_score(gold, pred,
                                                                    average="micro"))
        for metric in m.values():
            assert metric["low"] <= metric["value"] <= metric["high"]
        assert systems[name]["confusion"]["matrix"] == skm.confusion_matrix(
            gold, pred, labels=CLASSES).tolist()
        f1 = skm.f1_score(gold, pred, average=None, labels=CLASSES)
        for k, c in enumerate(CLASSES):
            assert systems[name]["per_class"][c]["f1"]["value"] == pytest.approx(f1[k])


def test_score_table_lists_per_class_scores(sst: dict[str, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(sst["db"]), "--interval", "wilson"]) == 0
    out = capsys.readouterr().out
    assert "Accuracy" in out and "Macro-F1" in out and "Micro-F1" in out
    assert "Per class, roberta:" in out and "Per class, tfidf:" in out
    assert re.search(r"^negative\s+\d+\s+\d+\.\d\d% \[", out, re.M)
    assert "Most frequent confusions (gold -> predicted)" in out


def test_suspects_puts_the_planted_error_first(sst: dict[str, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    for method in ([], ["--method", "self_confidence"], ["--method", "cleanlab"]):
        capsys.readouterr()
        assert main(["suspects", str(sst["db"]), "--top", "3", *method]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 3
        assert lines[0].startswith("s007 "), (method, lines)
        assert "roberta" in lines[0] and "tfidf" in lines[0]
    capsys.readouterr()
    assert main(["suspects", str(sst["db"]), "--top", "0", "--format", "json",
                 "--method", "votes"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert len(ranked) == 60
    assert all(0 <= r["score"] <= 1 for r in ranked)
    assert "s007" in {r["id"] for r in ranked[:5]}


def test_a_corrected_label_changes_the_cleaned_scores(sst: dict[str, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    true = max(CLASSES, key=lambda c: float(_read(sst["probs"])[7][f"prob_{c}"]))
    assert main(["label", str(sst["db"]), "s007", "reference_error", "--reference", true]) == 0
    capsys.readouterr()
    assert main(["score", str(sst["db"]), "--format", "json"]) == 0
    before = {s["name"]: s for s in json.loads(capsys.readouterr().out)["systems"]}
    assert main(["score", str(sst["db"]), "--set", "cleaned", "--format", "json"]) == 0
    after = {s["name"]: s for s in json.loads(capsys.readouterr().out)["systems"]}
    for name in ("roberta", "tfidf"):  # both answered the true class on s007
        assert after[name]["metrics"]["accuracy"]["errors"] == (
            before[name]["metrics"]["accuracy"]["errors"] - 1)
    capsys.readouterr()
    assert main(["suspects", str(sst["db"]), "--top", "0", "--format", "json"]) == 0
    scores = {r["id"]: r["score"] for r in json.loads(capsys.readouterr().out)}
    assert scores["s007"] < 0.5  # ranked against the corrected label now


def test_show_prints_the_classes(sst: dict[str, Path],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", str(sst["db"]), "s007"]) == 0
    out = capsys.readouterr().out
    assert "text: sentence number 7" in out
    assert re.search(r"roberta: \w+\s+wrong\s+p\(gold\) 0\.02", out)


def test_unknown_predicted_class_fails_naming_file_and_record(
        tmp_path: Path, sst: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label\ns000,negative\ns001,sarcastic\n", encoding="utf-8")
    db = tmp_path / "other.db"
    capsys.readouterr()
    assert main(["import", str(db), str(sst["ref"]), "--kind", "label", "--text-col",
                 "sentence", "--pred", f"bad={bad}"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3 (record 's001')" in err
    assert "class 'sarcastic' is not a gold label" in err
    assert not db.exists()


@pytest.mark.slow
def test_digits_demo_finds_its_flipped_labels(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = demo_dir("label")
    flipped = {r["id"]: r for r in _read(folder / "flipped.csv")}
    readme = (folder / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(d\d{4})` \|", readme, re.M))
    assert listed == set(flipped) and len(flipped) == 54
    gold = {r["id"]: r["label"] for r in _read(folder / "digits.csv")}
    assert all(gold[i] == r["given_label"] != r["true_label"] for i, r in flipped.items())
    db = tmp_path / "demo.db"
    assert main(["demo", "--kind", "label", "--project", str(db), "--print"]) == 0
    capsys.readouterr()
    assert main(["suspects", str(db), "--top", "90", "--format", "json"]) == 0
    top = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert len(top & set(flipped)) >= 50
