"""The item list lists an NLP call with the counts its view draws: fstalign's errors, words
and the categories of its path; a corrected reference falls back to the preset's alignment
of the corrected text, and restoring the original brings fstalign's counts back."""

from __future__ import annotations

from pathlib import Path

from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.decisions import decide
from reviewer.store.importer import import_benchmark
from reviewer.store.list_facts import category_bits
from reviewer.store.project import Project

DATA = Path(__file__).parents[1] / "data" / "nlp"


def _facts(project: Project, item_id: str) -> tuple[int, int, float | None, str, int]:
    row = project.db.execute(
        "SELECT s.errors, s.units, s.rate, s.main_category, s.categories "
        "FROM list_system_facts s JOIN items i ON i.pos = s.pos "
        "WHERE s.system = 'txt' AND i.id = ?", [item_id]).fetchone()
    return tuple(row)


def _project(tmp_path: Path) -> Project:
    bench = load_benchmark(DATA / "refs", [("txt", DATA / "hyps")], ReadOptions(
        kind="asr", normalizations=DATA / "norm", wer_tags=DATA / "tags",
        synonyms=DATA / "synonyms.rules.txt"))
    project = Project(tmp_path / "calls.db", create=True)
    import_benchmark(project, bench)
    return project


def test_nlp_call_is_listed_with_fstalign_counts(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        counts = project.prediction_meta("txt", "call1")[SUMMARY_KEY]
        fst_errors = counts["s"] + counts["d"] + counts["i"]
        preset = project.alignment("txt", "call1")
        # the preset counts '$40 million' / 'forty million dollars' as errors: the two differ
        assert preset.substitutions + preset.deletions + preset.insertions != fst_errors
        assert counts["categories"] == {"near_match": 1}
        errors, units, rate, main, mask = _facts(project, "call1")
        assert (errors, units, main) == (fst_errors, counts["units"], "near_match")
        assert rate == fst_errors / counts["units"]
        assert mask == category_bits("asr")["near_match"]


def test_corrected_reference_lists_the_preset_counts_until_restored(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        listed = _facts(project, "call1")
        decide(project, "call1", "ann", verdict="reference_error",
               corrected_reference="Revenue was forty million dollars I'm with Acme")
        cleaned = project.alignment("txt", "call1")
        errors, units, _, main, _ = _facts(project, "call1")
        assert (errors, units) == (
            cleaned.substitutions + cleaned.deletions + cleaned.insertions, cleaned.ref_units)
        assert (errors, units, main) != (*listed[:2], listed[3])
        decide(project, "call1", "ann", corrected_reference=None)
        assert _facts(project, "call1") == listed
