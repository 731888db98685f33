"""Cleaned exports: policies, the manifest, round trips of every format, atomic writes."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.core.policy import POLICIES, custom_policy
from reviewer.export import export_benchmark
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

ROWS = [
    ("a1", "The modern cat", "The rnodern cat", "The modern cat"),
    ("a2", "Hello wrold", "Hello world", "Hello world"),
    ("a3", "Two  spaces, a comma", "Two spaces. a comma", "Two  spaces, a comma"),
    ("a4", "Müller ſchön", "Muller fchön", "Müller ſchön"),
    ("a5", "unclear scan", "uncle ar", "uncIear scan"),
    ("a6", "line with\ttab", "line with tab", "line with\ttab"),
]


def write_source(folder: Path, fmt: str) -> Path:
    """The benchmark in ``fmt``: a table file, or a paired-file folder."""
    if fmt == "folder":
        root = folder / "lines"
        root.mkdir()
        for item_id, ref, tess, kraken in ROWS:
            (root / f"{item_id}.gt.txt").write_text(ref + "\n", encoding="utf-8")
            (root / f"{item_id}.tess.txt").write_text(tess + "\n", encoding="utf-8")
            (root / f"{item_id}.kraken.txt").write_text(kraken + "\n", encoding="utf-8")
        return root
    import pandas as pd

    frame = pd.DataFrame(ROWS, columns=["id", "reference", "pred_tess", "pred_kraken"])
    path = folder / f"bench.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def make_project(tmp_path: Path, fmt: str = "jsonl") -> Project:
    source = write_source(tmp_path, fmt)
    project = Project(tmp_path / "bench.db", create=True)
    import_benchmark(project, load_benchmark(source, [], ReadOptions()))
    return project


def review(project: Project) -> None:
    decisions.decide(project, "a1", "ann", verdict="model_error")
    decisions.decide(project, "a2", "ann", verdict="reference_error",
                     corrected_reference="Hello world", note="typo in GT")
    decisions.decide(project, "a4", "ann", verdict="ok")
    decisions.decide(project, "a5", "ann", verdict="unusable", note="blurred")
    decisions.decide(project, "a6", "bob", verdict="reference_error", note="not sure yet")


def reimport(data: Path) -> Project:
    again = Project(data.parent / f"again-{data.name}.db", create=True)
    import_benchmark(again, load_benchmark(data, [], ReadOptions()))
    return again


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet", "folder"])
def test_round_trip_in_the_imports_own_format(tmp_path: Path, fmt: str) -> None:
    project = make_project(tmp_path, fmt)
    review(project)
    out = tmp_path / "out"
    result = export_benchmark(project, out, fmt="same")
    assert result.data is not None
    assert result.data.is_dir() == (fmt == "folder")
    again = reimport(result.data)
    kept = ["a1", "a2", "a3", "a4"]  # lenient: a5 unusable and a6 an open reference error go
    assert again.item_ids() == kept
    assert sorted(again.systems()) == ["kraken", "tess"]
    for item_id, ref, tess, kraken in ROWS:
        if item_id not in kept:
            continue
        want = "Hello world" if item_id == "a2" else ref
        assert again.item(item_id).reference == want
        assert again.prediction("tess", item_id) == tess
        assert again.prediction("kraken", item_id) == kraken


def test_policies_choose_the_items(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    review(project)

    def ids(policy_name: str | None = None, **custom: list[str]) -> list[str]:
        policy = POLICIES[policy_name] if policy_name else custom_policy(
            custom.get("keep"), custom.get("drop"))
        out = tmp_path / f"{policy.name}-{len(custom)}.jsonl"
        export_benchmark(project, out, policy=policy)
        return [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]

    assert ids("strict") == ["a1", "a2", "a4"]
    assert ids("lenient") == ["a1", "a2", "a3", "a4"]
    assert ids(keep=["ok", "model_error", "revised"],
               drop=["ambiguous", "unusable", "unreviewed"]) == ["a1", "a2", "a4"]
    assert ids(drop=["unusable"]) == ["a1", "a2", "a3", "a4", "a6"]


def test_manifest_matches_the_database(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    review(project)
    result = export_benchmark(project, tmp_path / "clean.jsonl", policy=POLICIES["strict"])
    assert result.manifest == tmp_path / "clean.jsonl.manifest.json"
    manifest = json.loads(result.manifest.read_text("utf-8"))
    assert manifest["policy"]["name"] == "strict"
    assert manifest["counts"] == {"items": 6, "written": 3, "dropped": 3, "kept": 2, "revised": 1}
    stored = decisions.all_decisions(project)
    by_id = {entry["id"]: entry for entry in manifest["items"]}
    assert set(by_id) == set(project.item_ids())
    for item_id, entry in by_id.items():
        label = stored.get(item_id)
        assert entry["status"] == (label.status if label else "unreviewed")
        assert entry["verdict"] == (label.verdict if label else None)
    assert by_id["a2"]["corrected_reference"] == "Hello world"
    assert by_id["a2"]["reason"] == "typo in GT" and by_id["a2"]["annotator"] == "ann"
    assert by_id["a5"]["included"] is False and by_id["a5"]["reason"] == "blurred"
    assert len(manifest["sources"][0]["sha256"]) == 64
    scores = manifest["scores"]
    assert scores["before"]["items"] == 6 and scores["after"]["items"] == 3
    tess_before = next(s for s in scores["before"]["systems"] if s["name"] == "tess")
    tess_after = next(s for s in scores["after"]["systems"] if s["name"] == "tess")
    assert tess_after["metrics"]["cer"]["errors"] < tess_before["metrics"]["cer"]["errors"]
    assert set(scores["ranking"]["cer"]["before"]) == {"tess", "kraken"}


def test_changes_lists_only_what_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    review(project)
    result = export_benchmark(project, None, changes=tmp_path / "changes.csv")
    assert result.data is None
    import csv

    with open(tmp_path / "changes.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["status"]) for r in rows] == [
        ("a2", "revised"), ("a5", "removed"), ("a6", "removed")]
    assert rows[0]["corrected_reference"] == "Hello world" and rows[1]["note"] == "blurred"


def test_an_interrupted_export_leaves_no_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    import reviewer.formats.writers as writers

    real_dumps = json.dumps
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real_dumps(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writers.json, "dumps", failing)
    with pytest.raises(RuntimeError):
        export_benchmark(project, tmp_path / "out.jsonl")
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("out", ".out"))] == []

    import reviewer.formats.folder_write as folder_write

    def broken(root: Path, rel: str, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(root / rel))

    monkeypatch.setattr(folder_write, "_write", broken)
    with pytest.raises(InputError, match="the disk is full"):
        export_benchmark(project, tmp_path / "folder", fmt="folder")
    assert [p.name for p in tmp_path.iterdir() if "folder" in p.name] == []


def test_same_format_for_xml_is_refused_clearly(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.set_meta("source_format", "page")
    with pytest.raises(InputError, match="PAGE files is not supported"):
        export_benchmark(project, tmp_path / "x", fmt="same")


@pytest.mark.parametrize("kind", ["asr", "kern", "choice", "label"])
def test_a_kinds_table_export_imports_back_as_the_cleaned_benchmark(
        kind: str, tmp_path: Path) -> None:
    from reviewer.demo import ensure_demo
    from reviewer.formats.load import load_benchmark
    from reviewer.formats.registry import ReadOptions
    from reviewer.store import decisions

    with Project(ensure_demo(tmp_path / f"{kind}.db", kind)) as project:
        first, second = project.item_ids()[:2]
        # The first item's reference corrected (here: the first system's answer), the second
        # removed as unusable.
        answer = project.prediction(project.systems()[0], first) or "x"
        if kind == "label":  # a label prediction may carry probabilities; the reference is a class
            from reviewer.core.label_codec import decode_prediction

            answer = decode_prediction(answer).label
        decisions.decide(project, first, "me", verdict="reference_error",
                         corrected_reference=answer)
        decisions.decide(project, second, "me", verdict="unusable")
        target = tmp_path / "cleaned.jsonl"
        export_benchmark(project, target)
        bench = load_benchmark(target, [], ReadOptions(kind=kind))
        kept = [i for i in project.item_ids() if i != second]
        assert [item.id for item in bench.items] == kept
        by_id = {item.id: item for item in bench.items}
        assert by_id[first].reference == answer
        assert sorted(bench.predictions) == sorted(project.systems())
        for system in project.systems():
            assert bench.predictions[system][first] == project.prediction(system, first)
        third = project.item(kept[1])
        assert by_id[third.id].reference == third.reference
        assert dict(third.meta).items() <= dict(by_id[third.id].meta).items()
        assert (by_id[third.id].media is None) == (third.media is None)
