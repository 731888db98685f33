"""Each annotator's own history, disagreements and adjudication."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.annotations import (
    ADJUDICATE,
    adjudicate,
    adjudication,
    annotator_decisions,
    disagreements,
    item_annotations,
)
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


@pytest.fixture
def project(project_path: Path) -> Project:
    items = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", "Plain")]
    preds = {"ocr": {"a": "The rnodern cat", "b": "Hel1o world", "c": "Plain"}}
    p = Project(project_path, create=True)
    import_benchmark(p, Benchmark("text", items, preds))
    return p


def verdicts(project: Project) -> dict[str, dict[str, str | None]]:
    return {who: {item: s.verdict for item, s in states.items()}
            for who, states in annotator_decisions(project).items()}


def cleaned_rows(project: Project, item_id: str) -> int:
    return int(project.db.execute(
        "SELECT count(*) FROM alignments WHERE item_id = ? AND variant = 'cleaned'",
        [item_id]).fetchone()[0])


def test_each_annotator_keeps_their_own_latest_state(project: Project) -> None:
    decisions.decide(project, "a", "alice", verdict="ok")
    decisions.decide(project, "a", "bob", verdict="model_error", note="rn is m")
    decisions.decide(project, "b", "alice", verdict="reference_error")
    decisions.decide(project, "b", "alice", verdict="ambiguous")
    assert verdicts(project) == {"alice": {"a": "ok", "b": "ambiguous"},
                                 "bob": {"a": "model_error"}}
    assert annotator_decisions(project)["bob"]["a"].note == "rn is m"


def test_in_a_shared_file_only_the_fields_someone_changed_are_theirs(project: Project) -> None:
    decisions.decide(project, "a", "alice", verdict="reference_error",
                     corrected_reference="The rnodern cat", note="GT typo")
    decisions.decide(project, "a", "bob", verdict="model_error")
    decisions.decide(project, "b", "alice", verdict="ok")
    decisions.decide(project, "b", "bob", verdict="ok")  # changes nothing: confirms it
    decisions.decide(project, "c", "alice", verdict="unusable")
    decisions.decide(project, "c", "bob", note="faint")  # a note on alice's verdict
    mine = annotator_decisions(project)
    assert mine["bob"]["a"] == Decision("model_error")
    assert mine["alice"]["a"].corrected_reference == "The rnodern cat"
    assert mine["bob"]["b"].verdict == "ok"
    assert mine["bob"]["c"] == Decision(None, note="faint")
    assert disagreements(project) == {"a"}
    # The fast verdict-only replay agrees with the full one.
    by_item: dict[str, set[str]] = {}
    for states in mine.values():
        for item_id, state in states.items():
            if state.verdict:
                by_item.setdefault(item_id, set()).add(state.verdict)
    assert {i for i, seen in by_item.items() if len(seen) > 1} == {"a"}


def test_undo_returns_to_the_annotators_own_previous_state(project: Project) -> None:
    decisions.decide(project, "b", "alice", verdict="reference_error")
    decisions.decide(project, "a", "alice", verdict="ok")
    decisions.decide(project, "a", "bob", verdict="model_error")
    decisions.decide(project, "b", "alice", verdict="ambiguous")
    decisions.undo(project, "alice")  # b back to her reference_error
    assert verdicts(project)["alice"] == {"a": "ok", "b": "reference_error"}
    decisions.undo(project, "alice")  # a: she had nothing before; bob's verdict is not hers
    assert verdicts(project) == {"alice": {"b": "reference_error"}, "bob": {"a": "model_error"}}
    decisions.redo(project, "alice")
    assert verdicts(project)["alice"] == {"a": "ok", "b": "reference_error"}


def test_disagreements_are_items_with_different_verdicts(project: Project) -> None:
    decisions.decide(project, "a", "alice", verdict="ok")
    decisions.decide(project, "a", "bob", verdict="model_error")
    decisions.decide(project, "b", "alice", verdict="ok")
    decisions.decide(project, "b", "bob", verdict="ok")
    decisions.decide(project, "c", "alice", verdict="unusable")
    decisions.decide(project, "c", "bob", note="not sure")  # no verdict of his own
    assert disagreements(project) == {"a"}
    decisions.decide(project, "b", "carol", verdict="ambiguous")
    assert disagreements(project) == {"a", "b"}
    decisions.undo(project, "carol")
    assert disagreements(project) == {"a"}


def test_adjudication_is_recorded_as_such_and_sets_the_decision(project: Project) -> None:
    decisions.decide(project, "a", "alice", verdict="ok")
    decisions.decide(project, "a", "bob", verdict="reference_error",
                     corrected_reference="The rnodern cat")
    assert cleaned_rows(project, "a") == 1
    event = adjudicate(project, "a", "carol", verdict="model_error", corrected_reference=None)
    assert (event.action, event.annotator) == (ADJUDICATE, "carol")
    assert event.before.verdict == "reference_error"
    assert decisions.get_decision(project, "a") == Decision("model_error")
    assert decisions.history(project, "a")[-1].action == ADJUDICATE
    # The cleaned alignment of bob's reference went with it.
    assert cleaned_rows(project, "a") == 0
    # The adjudicator's decision is nobody's own rating: the dispute stays visible.
    assert set(annotator_decisions(project)) == {"alice", "bob"}
    assert disagreements(project) == {"a"}
    decided = adjudication(project, "a")
    assert decided is not None and decided.annotator == "carol"
    assert decided.state.verdict == "model_error"
    assert adjudication(project, "b") is None


def test_item_annotations_list_everyone_with_their_time(project: Project) -> None:
    first = decisions.decide(project, "a", "bob", verdict="model_error")
    second = decisions.decide(project, "a", "alice", verdict="ok", note="fine")
    found = item_annotations(project, "a")
    assert [(a.annotator, a.state.verdict, a.at) for a in found] == [
        ("alice", "ok", second.at), ("bob", "model_error", first.at)]
    assert item_annotations(project, "b") == []


def test_adjudicating_an_unknown_item_names_it(project: Project) -> None:
    with pytest.raises(ProjectError, match="'zz'"):
        adjudicate(project, "zz", "carol", verdict="ok")
    assert decisions.history(project) == []
