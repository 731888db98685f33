"""Each annotator's own view of the history, disagreements between them, and adjudication.

The ``labels`` table holds one current decision per item, whoever set it last. Here the
history is replayed per annotator instead. An event stores the whole decision before and
after it, and in a file shared by several people the "before" may be someone else's
decision; so an annotator's own state of an item holds only the fields their events
*changed* (a change that changes nothing, such as pressing the verdict already shown,
confirms the whole decision as theirs). Undoing goes back to *their* previous state of the
item, redoing comes back. In separate files (then merged) every decision is one person's.

Adjudications (action ``adjudicate``) are a third person's decision on a dispute: they
set the current decision but count as nobody's own rating.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.store.db import write_transaction
from reviewer.store.decisions import Event, get_decision, write_event
from reviewer.store.project import Project

ADJUDICATE = "adjudicate"


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotator's latest state of one item, and when they last changed it."""

    annotator: str
    item_id: str
    state: Decision
    at: str


def annotator_decisions(project: Project) -> dict[str, dict[str, Decision]]:
    """annotator → item id → that annotator's latest state of the item.

    Items an annotator never decided, or whose every change they undid, are absent.
    """
    out: dict[str, dict[str, Decision]] = {}
    for (annotator, item_id), (state, _) in _replay(_rows(project), _merge_fields).items():
        out.setdefault(annotator, {})[item_id] = Decision.from_dict(state)
    return out


def item_annotations(project: Project, item_id: str) -> list[Annotation]:
    """Every annotator's latest state of ``item_id``, by annotator name."""
    replayed = _replay(_rows(project, "item_id = ?", [item_id]), _merge_fields)
    return [Annotation(annotator, item_id, Decision.from_dict(state), at)
            for (annotator, _), (state, at) in sorted(replayed.items())]


def adjudication(project: Project, item_id: str) -> Annotation | None:
    """The latest adjudication of ``item_id`` (``None`` when nobody adjudicated it)."""
    row = project.db.execute(
        "SELECT annotator, after, at FROM label_events WHERE item_id = ? AND action = ? "
        "ORDER BY at DESC, id DESC LIMIT 1", [item_id, ADJUDICATE]).fetchone()
    if row is None:
        return None
    return Annotation(row[0], item_id, Decision.from_dict(json.loads(row[1])), row[2])


def disagreements(project: Project) -> set[str]:
    """Items on which at least two annotators gave different verdicts, error types or
    corrected references (what a merge reports as conflicts).

    An annotator without a value on an item does not count; an adjudication does not
    remove the item (the annotators still disagree).
    """
    disputed: set[str] = set()
    for name in DISPUTED_FIELDS:
        values: dict[str, set[str]] = {}
        rows = _rows(project, SHARED, states=_only(name))
        for (_, item_id), (value, _) in _replay(rows, _merge_verdict).items():
            if value is not None:
                values.setdefault(item_id, set()).add(value)
        disputed |= {item_id for item_id, seen in values.items() if len(seen) > 1}
    return disputed


def adjudicate(project: Project, item_id: str, adjudicator: str, **changes: Any) -> Event:
    """Decide ``item_id`` as ``adjudicator``: one committed ``adjudicate`` event.

    ``changes`` are :class:`Decision` fields applied to the current decision, which they
    then replace, exactly as any other decision would.
    """
    if not project.has_item(item_id):
        raise ProjectError(project.unknown_item_message(item_id))
    with write_transaction(project.db):
        before = get_decision(project, item_id)
        after = before.updated(**changes)
        return write_event(project, item_id, adjudicator, ADJUDICATE, before, after)


Row = tuple[int, str, str, str, str, int | None, Any, Any, int]
State = dict[str, Any]
# (the annotator's previous state or None, the event's decision before, after, whether the
# two are equal) -> the annotator's state after the event.
Merge = Callable[[Any, Any, Any, bool], Any]
DISPUTED_FIELDS = ("verdict", "error_type", "corrected_reference")
# Items with one annotator cannot be disputed: most projects skip the replay entirely.
SHARED = ("item_id IN (SELECT item_id FROM label_events GROUP BY item_id "
          "HAVING count(DISTINCT annotator) > 1)")


def _only(name: str) -> tuple[str, str]:
    """One field of the decisions before and after, for a replay without parsing JSON."""
    return f"json_extract(before, '$.{name}')", f"json_extract(after, '$.{name}')"


def _rows(project: Project, where: str = "", args: Sequence[Any] = (),
          states: tuple[str, str] = ("before", "after")) -> Iterable[Row]:
    """``(id, item_id, annotator, at, action, target, before, after, unchanged)`` in time
    order, ``before`` and ``after`` as the SQL ``states`` select them."""
    return project.db.execute(
        f"SELECT id, item_id, annotator, at, action, target, {states[0]}, {states[1]}, "
        f"before = after FROM label_events {'WHERE ' + where if where else ''} "
        "ORDER BY at, id", list(args))


def _replay(rows: Iterable[Row], merge: Merge) -> dict[tuple[str, str], tuple[Any, str]]:
    """(annotator, item id) → (their latest own state, its time), states made by ``merge``."""
    current: dict[tuple[str, str], tuple[Any, str]] = {}
    own_before: dict[int, tuple[Any, str] | None] = {}
    own_after: dict[int, Any] = {}
    for event_id, item_id, annotator, at, action, target, before, after, same in rows:
        key = (annotator, item_id)
        if action == "set":
            previous = current.get(key)
            state = merge(previous[0] if previous else None, before, after, bool(same))
            own_before[event_id], own_after[event_id] = previous, state
            current[key] = (state, at)
        elif action == "undo" and target in own_before:
            undone = own_before[target]
            if undone is None:
                current.pop(key, None)
            else:
                current[key] = (undone[0], at)
        elif action == "redo" and target in own_after:
            current[key] = (own_after[target], at)
        elif action in ("undo", "redo"):  # its target is not in this file
            current[key] = (merge(None, after, after, True), at)
    return current


def _merge_fields(previous: State | None, before: str, after: str, same: bool) -> State:
    new = json.loads(after)
    if not same:  # only what the event changed; a change of nothing confirms it all
        old = json.loads(before)
        new = {k: v for k, v in new.items() if old.get(k) != v}
    return {**previous, **new} if previous else new


def _merge_verdict(previous: str | None, before: str | None, after: str | None,
                   same: bool) -> str | None:
    # One field of _merge_fields, without parsing any JSON.
    return after if same or after != before else previous
