"""NLP references on the command line: import with sidecars and synonyms, the score report's
fstalign-style WER and entity classes, the entity filter, corrected references."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.lattice_wer import STANDARD_SEARCHES
from reviewer.store import decisions
from reviewer.store.project import Project
from reviewer.store.summaries import ids_matching_text

DATA = Path(__file__).parent / "data" / "nlp"


def _import(db: Path, *extra: str) -> int:
    return main(["import", str(db), str(DATA / "refs"), "--kind", "asr",
                 "--pred", f"txt={DATA / 'hyps'}", *extra])


def _json(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json", "--resamples", "50"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "e22.db"
    assert _import(db, "--normalizations", str(DATA / "norm"), "--wer-tags",
                   str(DATA / "tags"), "--synonyms", str(DATA / "synonyms.rules.txt")) == 0
    return db


def test_score_json_has_fstalign_wer_and_entities(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (system,) = _json(project, capsys)["systems"]
    # the preset-based WER counts $40 million / forty million dollars and 20% / twenty
    # percent as errors; fstalign's reading does not
    assert system["metrics"]["wer"]["errors"] == 9
    fst = system["fstalign"]
    assert (fst["errors"], fst["units"], fst["substitutions"], fst["items"]) == (1, 13, 1, 2)
    assert system["entities"] == {
        "MONEY": {"value": 0.0, "errors": 0, "units": 3},
        "ORG": {"value": 1.0, "errors": 1, "units": 1},
        "PERCENT": {"value": 0.0, "errors": 0, "units": 2}}


def test_score_table_lists_entity_classes(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(project), "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "WER as fstalign counts it" in out
    assert "1/13" in out
    org = next(line for line in out.splitlines() if line.strip().startswith("ORG"))
    assert org.split()[-1] == "100.00%"


def test_entity_filter_and_speakers(project: Path) -> None:
    with Project(project) as p:
        assert ids_matching_text(p, "entity:MONEY") == {"call1"}
        assert ids_matching_text(p, "entity:percent") == {"call2"}
        assert dict(p.item("call1").meta)["speakers"] == "1,2"


def test_sidecars_beside_the_references_are_found(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the Earnings layout: nlp_references/, normalizations/, wer_tags/ side by side
    root = tmp_path / "transcripts"
    shutil.copytree(DATA / "refs", root / "nlp_references")
    shutil.copytree(DATA / "norm", root / "normalizations")
    shutil.copytree(DATA / "tags", root / "wer_tags")
    db = tmp_path / "auto.db"
    assert main(["import", str(db), str(root / "nlp_references"), "--kind", "asr",
                 "--pred", f"txt={DATA / 'hyps'}"]) == 0
    assert "using the .norm.json sidecars in" in capsys.readouterr().err
    (system,) = _json(db, capsys)["systems"]
    assert system["fstalign"]["errors"] == 3  # no synonyms: "i'm" / "i am" counts
    assert system["entities"]["MONEY"]["errors"] == 0


def test_sidecar_options_need_nlp_references(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.trn").write_text("the cat (a-1)\n", "utf-8")
    assert main(["import", str(tmp_path / "x.db"), str(tmp_path / "refs.trn"), "--kind", "asr",
                 "--synonyms", str(DATA / "synonyms.rules.txt")]) == 1
    assert "apply to NLP references" in capsys.readouterr().err


def test_corrected_reference_is_left_out(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with Project(project) as p:
        decisions.decide(p, "call2", "tester", corrected_reference="We grew 20 %")
    capsys.readouterr()
    assert main(["score", str(project), "--format", "json", "--set", "cleaned",
                 "--resamples", "50"]) == 0
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    assert system["fstalign"]["items"] == 1 and system["fstalign"]["items_corrected"] == 1
    assert "PERCENT" not in system["entities"]


def test_compound_hyphens_can_be_left_out(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "c.nlp").write_text("token|speaker|ts|endTs|punctuation|case|tags\n"
                                "long-term|1||||LC|[]\ngrowth|1||||LC|[]\n", "utf-8")
    hyps = tmp_path / "hyps"
    hyps.mkdir()
    (hyps / "c.nlp").write_text("token|speaker|ts|endTs|punctuation|case|tags\n"
                                "long|1||||LC|[]\nterm|1||||LC|[]\ngrowth|1||||LC|[]\n", "utf-8")
    got = []
    for extra in ([], ["--no-compound-hyphens"]):
        db = tmp_path / f"c{len(extra)}.db"
        assert main(["import", str(db), str(refs), "--kind", "asr", "--pred",
                     f"s={hyps}", *extra]) == 0
        got.append(_json(db, capsys)["systems"][0]["fstalign"]["errors"])
    assert got == [0, 2]  # long-term / long term: a match, else a substitution and insertion


def test_nlp_search_fstalign_counts_a_last_substitution_as_fstalign_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # call1 ends in "Acme" read as "acne": the least-cost path substitutes it; fstalign's
    # own search reaches the end of the hypothesis by inserting "acne" and deleting "Acme"
    # (its end symbol, see reviewer.core.fstalign_search), so it counts two errors.
    db = tmp_path / "fst.db"
    assert _import(db, "--normalizations", str(DATA / "norm"), "--wer-tags",
                   str(DATA / "tags"), "--synonyms", str(DATA / "synonyms.rules.txt"),
                   "--nlp-search", "fstalign-adapted") == 0
    (system,) = _json(db, capsys)["systems"]
    fst = system["fstalign"]
    assert (fst["errors"], fst["substitutions"], fst["insertions"], fst["deletions"]) == (
        2, 0, 1, 1)
    assert system["entities"]["ORG"]["errors"] == 1


def test_nlp_search_needs_nlp_references(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.tsv"
    table.write_text("id\treference\tpred_a\nu1\thello\thello\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "x.db"), str(table), "--kind", "asr",
                 "--nlp-search", "fstalign-adapted"]) != 0
    assert "--nlp-search apply to NLP references" in capsys.readouterr().err


@pytest.mark.parametrize("search", STANDARD_SEARCHES)
def test_nlp_search_fstalign_standard_substitutes_a_last_word(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], search: str) -> None:
    # The standard composition has no end symbol of the hypothesis (its last arc is an
    # empty one): "Acme" read as "acne" is the one substitution the least-cost path finds.
    pytest.importorskip("pywrapfst", reason="pip install 'reviewer[fstalign]'")
    db = tmp_path / "fst.db"
    assert _import(db, "--normalizations", str(DATA / "norm"), "--wer-tags",
                   str(DATA / "tags"), "--synonyms", str(DATA / "synonyms.rules.txt"),
                   "--nlp-search", search) == 0
    (system,) = _json(db, capsys)["systems"]
    fst = system["fstalign"]
    assert (fst["errors"], fst["substitutions"], fst["insertions"], fst["deletions"]) == (
        1, 1, 0, 0)
    assert system["entities"]["ORG"]["errors"] == 1


def test_nlp_search_standard_names_its_extra_when_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer.cli.importing.standard_available", lambda: False)
    assert _import(tmp_path / "x.db", "--nlp-search", "fstalign-standard") != 0
    err = capsys.readouterr().err
    assert "pip install 'reviewer[fstalign]'" in err and "fstalign-standard" in err
    assert not (tmp_path / "x.db").exists()
