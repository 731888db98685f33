"""Projects made by the landed version (tests/data, schema steps m001–m003) open, migrate to
counts named by their role, and score exactly as the same benchmark imported now."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.errors import ProjectError
from reviewer.core.kinds import spec
from reviewer.store.decisions import get_decision
from reviewer.store.integrity import check_project_file
from reviewer.store.migrations import migrations
from reviewer.store.project import Project

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True, slots=True)
class Landed:
    """A project file made by the landed version, and how to make the same one now."""

    kind: str
    file: str
    import_args: tuple[str, ...]  # after the project and the reference; paths in DATA
    labels: tuple[tuple[str, ...], ...]  # `reviewer label PROJECT ...` arguments


TEXT = Landed("text", "landed-text.db", (
    "landed_text.csv", "--kind", "text", "--id-col", "id", "--ref-col", "gt",
    "--pred-col", "tess=tess", "--pred-col", "kraken=kraken", "--name", "landed-text"), (
    ("l3", "reference_error", "--reference", "Ein Baum am Fluss", "--note", "ß vs ss",
     "--annotator", "ann"),
    ("l1", "ok", "--annotator", "ann"),
    ("l2", "model_error", "--tag", "punct", "--annotator", "ann")))
ASR = Landed("asr", "landed-asr.db", (
    "landed_asr_ref.trn", "--kind", "asr", "--pred", "whisper=landed_asr_whisper.trn",
    "--pred", "kaldi=landed_asr_kaldi.trn", "--name", "landed-asr"), (
    ("spk1-u2", "reference_error", "--reference", "she sells sea shells today",
     "--annotator", "ann"),
    ("spk1-u1", "model_error", "--annotator", "ann")))
# A correction made after the migration, on the landed copy and the fresh project alike.
LATER = {"text": ("l4", "reference_error", "--reference", "Price: 12,50 €", "--annotator", "ann"),
         "asr": ("spk2-u3", "reference_error", "--reference", "a quick test of peach",
                 "--annotator", "ann")}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The standard output of ``reviewer ARGS``, which must succeed."""
    assert main(args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def landed_copy(case: Landed, tmp_path: Path) -> Path:
    """A copy of the landed file (opening it migrates it)."""
    copy = tmp_path / case.file
    shutil.copyfile(DATA / case.file, copy)
    return copy


def fresh(case: Landed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The same benchmark imported and labelled with the current code."""
    db = tmp_path / f"fresh-{case.kind}.db"
    reference, *rest = case.import_args
    run(["import", str(db), str(DATA / reference), *map(_in_data, rest)], capsys)
    for label in case.labels:
        run(["label", str(db), *label], capsys)
    return db


def _in_data(arg: str) -> str:
    """``NAME=FILE`` and ``FILE`` arguments with FILE in DATA made absolute."""
    name, _, path = arg.rpartition("=")
    if (DATA / path).is_file():
        return f"{name}={DATA / path}" if name else str(DATA / path)
    return arg


def score_json(db: Path, capsys: pytest.CaptureFixture[str], set_name: str) -> str:
    return run(["score", str(db), "--format", "json", "--set", set_name, "--resamples", "200"],
               capsys)


def read(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` read from ``db`` with plain SQLite (no migration)."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def steps(db: Path) -> list[str]:
    return [r[0] for r in read(db, "SELECT name FROM _sqlite_migrations ORDER BY id")]


def alignments_sql(db: Path) -> str:
    return str(read(db, "SELECT sql FROM sqlite_master WHERE name = 'alignments'")[0][0])


@pytest.mark.parametrize("case", [TEXT, ASR], ids=lambda c: c.kind)
def test_a_landed_project_migrates_to_the_schema_a_new_project_has(
        case: Landed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = landed_copy(case, tmp_path)
    check_project_file(copy)  # accepted as made, before any migration
    assert steps(copy) == ["m001_initial", "m002_kinds", "m003_omr_ned_cache"]
    with Project(copy):
        pass
    assert steps(copy) == [m.name for m in migrations._migrations]
    check_project_file(copy)  # and after
    new = fresh(case, tmp_path, capsys)
    assert alignments_sql(copy) == alignments_sql(new)
    assert "main_errors" in alignments_sql(copy) and "char_" not in alignments_sql(copy)


@pytest.mark.parametrize("case", [TEXT, ASR], ids=lambda c: c.kind)
def test_the_migrated_counts_are_the_ones_the_current_code_computes(
        case: Landed, tmp_path: Path) -> None:
    copy = landed_copy(case, tmp_path)
    with Project(copy) as project:
        score_pair = spec(project.kind).score_pair
        rows = list(project.alignment_rows())
        assert {r.variant for r in rows} == {"original", "cleaned"}
        for row in rows:
            label = get_decision(project, row.item_id)
            reference = (label.corrected_reference if row.variant == "cleaned"
                         and label.corrected_reference is not None
                         else project.item(row.item_id).reference)
            hyp = project.prediction(row.system, row.item_id) or ""
            assert row.counts == score_pair(reference, hyp, project.score_options), row


def test_asr_keeps_words_in_the_main_level_and_characters_in_the_second(
        tmp_path: Path) -> None:
    with Project(landed_copy(ASR, tmp_path)) as project:
        counts = project.alignment_row("whisper", "spk2-u3", "original").counts
        reference = "a quick test of speech"
        assert (counts.main_errors, counts.main_units) == (0, len(reference.split()))
        assert (counts.second_errors, counts.second_units) == (0, len(reference))
        wrong = project.alignment_row("whisper", "spk1-u1", "original").counts
        assert (wrong.main_errors, wrong.main_s, wrong.main_units) == (1, 1, 6)  # the → a
        assert wrong.second_units == len("the cat sat on the mat")


def test_text_keeps_characters_in_the_main_level_and_words_in_the_second(
        tmp_path: Path) -> None:
    with Project(landed_copy(TEXT, tmp_path)) as project:
        counts = project.alignment_row("tess", "l1", "original").counts
        assert (counts.main_units, counts.second_units) == (len("The quick brown fox"), 4)
        assert (counts.main_errors, counts.second_errors) == (2, 1)  # w → vv; brown → brovvn


@pytest.mark.parametrize("case", [TEXT, ASR], ids=lambda c: c.kind)
def test_a_landed_project_scores_and_labels_as_one_imported_now(
        case: Landed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = landed_copy(case, tmp_path)
    new = fresh(case, tmp_path, capsys)
    for set_name in ("original", "cleaned"):
        assert score_json(copy, capsys, set_name) == score_json(new, capsys, set_name)
    for db in (copy, new):
        run(["label", str(db), *LATER[case.kind]], capsys)
    assert score_json(copy, capsys, "cleaned") == score_json(new, capsys, "cleaned")
    item = LATER[case.kind][0]
    with Project(copy) as landed, Project(new) as now:
        for system in landed.systems():
            assert (landed.alignment_row(system, item, "cleaned")
                    == now.alignment_row(system, item, "cleaned"))


def test_a_landed_file_holding_a_trigger_is_refused_before_the_migration_runs_it(
        tmp_path: Path) -> None:
    copy = landed_copy(ASR, tmp_path)
    with closing(sqlite3.connect(copy)) as conn:
        conn.execute("CREATE TRIGGER spy AFTER UPDATE ON alignments "
                     "BEGIN UPDATE meta SET value = 'spied' WHERE key = 'name'; END")
    with pytest.raises(ProjectError, match="holds a trigger 'spy'"):
        Project(copy)
    assert steps(copy) == ["m001_initial", "m002_kinds", "m003_omr_ned_cache"]
    assert read(copy, "SELECT value FROM meta WHERE key = 'name'") == [("landed-asr",)]
