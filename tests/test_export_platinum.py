"""A cleaned export of an ``answer`` benchmark marks each item kept, revised or removed, with
its platinum reason, in the data table and in the manifest; the export imports back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from reviewer.core.answers.encoding import decode_gold, encode_gold
from reviewer.core.answers.platinum import platinum_marks
from reviewer.core.decisions import Decision
from reviewer.core.policy import POLICIES
from reviewer.export import export_benchmark
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

QUIZ = [
    {"id": "q1", "question": "6 times 7?", "answer": "41", "output_m1": "#### 42",
     "output_m2": "The answer is 42."},
    {"id": "q2", "question": "Capital of France?", "answer": "Paris", "output_m1": "Paris",
     "output_m2": "Lyon", "platinum": "a column of the source"},
    {"id": "q3", "question": "Which is best?", "answer": "red", "output_m1": "blue",
     "output_m2": "green"},
    {"id": "q4", "question": "2 + 2?", "answer": "4", "output_m1": "4", "output_m2": "5"},
    {"id": "q5", "question": "Colour of the sky?", "answer": "blue", "output_m1": "blue",
     "output_m2": "blue"},
]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    source = tmp_path / "quiz.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in QUIZ), encoding="utf-8")
    found = Project(tmp_path / "quiz.db", create=True)
    import_benchmark(found, load_benchmark(source, [], ReadOptions(kind="answer")))
    decisions.decide(found, "q1", "tester", verdict="reference_error", error_type="mislabeled",
                     corrected_reference=encode_gold(["42"]))
    decisions.decide(found, "q2", "tester", verdict="model_error")
    decisions.decide(found, "q3", "tester", verdict="reference_error", error_type="ambiguous")
    decisions.decide(found, "q4", "tester", verdict="unusable")
    return found


def test_the_table_and_manifest_mark_each_item(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "clean.csv"
    result = export_benchmark(project, out, policy=POLICIES["lenient"])
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = {r["id"]: r for r in reader}
    assert header[-6:-4] == ["platinum", "platinum_reason"]
    # Removed items are not written; the written ones say what became of them.
    assert {k: (r["platinum"], r["platinum_reason"]) for k, r in rows.items()} == {
        "q1": ("revised", "mislabeled"), "q2": ("kept", ""), "q5": ("kept", "")}
    assert decode_gold(rows["q1"]["answer"]) == ("42",)
    # The source's own "platinum" column is metadata, written under another name.
    assert rows["q2"]["meta_platinum"] == "a column of the source"
    assert result.manifest is not None
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    marks = {i["id"]: (i["platinum"], i["platinum_reason"]) for i in manifest["items"]}
    assert marks == {"q1": ("revised", "mislabeled"), "q2": ("kept", ""),
                     "q3": ("removed", "ambiguous"), "q4": ("removed", "invalid_question"),
                     "q5": ("kept", "")}


def test_the_export_imports_back_without_its_marks_as_metadata(project: Project,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "clean.jsonl"
    export_benchmark(project, out, policy=POLICIES["lenient"])
    again = load_benchmark(out, [], ReadOptions(kind="answer"))
    items = {i.id: i for i in again.items}
    assert set(items) == {"q1", "q2", "q5"}
    assert decode_gold(items["q1"].reference) == ("42",)
    assert "platinum" not in dict(items["q1"].meta)
    assert "platinum_reason" not in dict(items["q1"].meta)
    assert dict(items["q2"].meta)["platinum"] == "a column of the source"
    assert set(again.predictions) == {"m1", "m2"}


def test_other_kinds_have_no_platinum_columns(tmp_path: Path) -> None:
    source = tmp_path / "lines.csv"
    source.write_text("id,reference,pred_a\nl1,cat,cot\n", encoding="utf-8")
    with Project(tmp_path / "lines.db", create=True) as project:
        import_benchmark(project, load_benchmark(source, [], ReadOptions()))
        export_benchmark(project, tmp_path / "out.csv")
    header = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "platinum" not in header


@pytest.mark.parametrize(("decision", "status", "reason"), [
    (Decision(), "kept", ""),
    (Decision("ok"), "kept", ""),
    (Decision("model_error"), "kept", ""),
    (Decision("reference_error", "mislabeled", '["42"]'), "revised", "mislabeled"),
    (Decision("reference_error", None, '["42"]'), "revised", "mislabeled"),
    (Decision(None, None, '["42"]'), "revised", "mislabeled"),
    (Decision("reference_error", "ambiguous", '["a","b"]'), "revised", "ambiguous"),
    (Decision("reference_error", "mislabeled"), "removed", "mislabeled"),
    (Decision("reference_error", "poorly_worded"), "removed", "poorly_worded"),
    (Decision("reference_error", "invalid_question"), "removed", "invalid_question"),
    (Decision("ambiguous"), "removed", "ambiguous"),
    (Decision("unusable"), "removed", "invalid_question"),
])
def test_platinum_marks(decision: Decision, status: str, reason: str) -> None:
    assert platinum_marks(decision) == {"platinum": status, "platinum_reason": reason}
