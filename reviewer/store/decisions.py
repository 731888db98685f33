"""Decisions: the current decision on each item and its append-only history.

Every change is one committed transaction holding the new decision row and its event.
Undo and redo are new events too (``action`` ``undo``/``redo`` with the ``target``
event), so the history is never rewritten.

The tables keep the names ``labels`` and ``label_events`` from before decisions were
called so: they are the file format, and renaming them would need a migration and break
merging with files made by older versions (docs/vocabulary.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.core.evaluate import score_pair
from reviewer.store import kept_ranking
from reviewer.store.db import write_transaction
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.open_errors import damaged
from reviewer.store.project import Project, decode_json, now
from reviewer.store.team.outbox import record as record_in_outbox


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the decision history."""

    id: int
    item_id: str
    annotator: str
    at: str
    action: str
    target: int | None
    before: Decision
    after: Decision


def get_decision(project: Project, item_id: str) -> Decision:
    """The current decision on ``item_id`` (empty when never decided)."""
    row = project.db.execute(
        "SELECT verdict, error_type, corrected_reference, note, tags FROM labels "
        "WHERE item_id = ?", [item_id]).fetchone()
    if row is None:
        return Decision()
    return _state(project, item_id, *row)


def all_decisions(project: Project) -> dict[str, Decision]:
    """Every item's decision, for the items that have one."""
    return {
        r[0]: _state(project, *r)
        for r in project.db.execute(
            "SELECT item_id, verdict, error_type, corrected_reference, note, tags FROM labels")
    }


def decision_stamps(project: Project) -> dict[str, tuple[str, str]]:
    """Who last changed each decided item's decision and when: item id -> (annotator, time)."""
    return {r[0]: (r[1], r[2]) for r in project.db.execute(
        "SELECT item_id, annotator, updated_at FROM labels")}


def latest_event_id(project: Project) -> int:
    """The id of the newest event in the history (0 when there is none)."""
    row = project.db.execute("SELECT coalesce(max(id), 0) FROM label_events").fetchone()
    return int(row[0])


def event_ids_after(project: Project, event_id: int) -> list[int]:
    """The ids of the events newer than ``event_id``, oldest first."""
    return [r[0] for r in project.db.execute(
        "SELECT id FROM label_events WHERE id > ? ORDER BY id", [event_id])]


def _state(project: Project, item_id: str, verdict: str | None, error_type: str | None,
           corrected: str | None, note: str, tags: str) -> Decision:
    decoded = decode_json(project.path, f"the tags of item {item_id!r} (table labels)", tags)
    if not isinstance(decoded, list):
        raise ProjectError(damaged(project.path, f"the tags of item {item_id!r} (table labels) "
                                                 "are not a JSON list"))
    return Decision(verdict, error_type, corrected, note, tuple(decoded))


def decide(project: Project, item_id: str, annotator: str, **changes: Any) -> Event:
    """Apply ``changes`` to the item's decision, committed with its event; returns the event."""
    if not project.has_item(item_id):
        raise ProjectError(project.unknown_item_message(item_id))
    with write_transaction(project.db):
        before = get_decision(project, item_id)
        after = before.updated(**changes)
        return _write(project, item_id, annotator, "set", None, before, after)


def history(project: Project, item_id: str | None = None) -> list[Event]:
    """Events in order, for one item or all."""
    sql = "SELECT id, item_id, annotator, at, action, target, before, after FROM label_events"
    args: list[Any] = []
    if item_id is not None:
        sql += " WHERE item_id = ?"
        args.append(item_id)
    return [_event(project, r) for r in project.db.execute(sql + " ORDER BY id", args)]


def undo(project: Project, annotator: str) -> Event | None:
    """Undo the annotator's latest change not yet undone; ``None`` when there is none."""
    return _step(project, annotator, "undo")


def redo(project: Project, annotator: str) -> Event | None:
    """Redo the annotator's latest undone change; ``None`` when there is none."""
    return _step(project, annotator, "redo")


def _step(project: Project, annotator: str, action: str) -> Event | None:
    """Undo (back to the target's ``before``) or redo (to its ``after``) one change."""
    with write_transaction(project.db):
        done, undone = _stacks(project, annotator)
        stack = done if action == "undo" else undone
        if not stack:
            return None
        target = stack[-1]
        current = get_decision(project, target.item_id)
        state = target.before if action == "undo" else target.after
        return _write(project, target.item_id, annotator, action, target.id, current, state)


def write_event(project: Project, item_id: str, annotator: str, action: str,
                before: Decision, after: Decision, target: int | None = None) -> Event:
    """Set the item's decision to ``after`` and record it as an ``action`` event.

    For actions other than set/undo/redo (an adjudication, say); call it inside the
    caller's :func:`~reviewer.store.db.write_transaction`.
    """
    return _write(project, item_id, annotator, action, target, before, after)


def realign(project: Project, item_id: str, corrected: str | None) -> None:
    """Recompute the item's 'cleaned' alignments for ``corrected`` (caller's transaction)."""
    _realign(project, item_id, corrected)


def _stacks(project: Project, annotator: str) -> tuple[list[Event], list[Event]]:
    done: list[Event] = []
    undone: list[Event] = []
    rows = project.db.execute(
        "SELECT id, item_id, annotator, at, action, target, before, after FROM label_events "
        "WHERE annotator = ? ORDER BY id", [annotator])
    for event in (_event(project, row) for row in rows):
        if event.action in ("set", "adjudicate"):
            done.append(event)
            undone.clear()
        elif event.action == "undo" and done:
            undone.append(done.pop())
        elif event.action == "redo" and undone:
            done.append(undone.pop())
    return done, undone


def _write(project: Project, item_id: str, annotator: str, action: str, target: int | None,
           before: Decision, after: Decision) -> Event:
    at = now()
    db = project.db
    db.execute(
        "INSERT OR REPLACE INTO labels (item_id, verdict, error_type, corrected_reference, "
        "note, tags, annotator, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [item_id, after.verdict, after.error_type, after.corrected_reference, after.note,
         json.dumps(list(after.tags)), annotator, at])
    cur = db.execute(
        "INSERT INTO label_events (item_id, annotator, at, action, target, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [item_id, annotator, at, action, target, json.dumps(before.to_dict()),
         json.dumps(after.to_dict())])
    record_in_outbox(db.conn, int(cur.lastrowid or 0), annotator)  # a shared copy's, same txn
    if before.corrected_reference != after.corrected_reference:
        _realign(project, item_id, after.corrected_reference)
    refresh_list_facts(project, [item_id])  # the item list's sort keys, same transaction
    return Event(int(cur.lastrowid or 0), item_id, annotator, at, action, target, before, after)


def _realign(project: Project, item_id: str, corrected: str | None) -> None:
    """Refresh the 'cleaned' alignments of one item (inside the caller's transaction); a
    kept suspicion ranking loses the item's spans, which point into its old reference."""
    kept_ranking.forget_spans(project.db, item_id)
    project.db.execute("DELETE FROM alignments WHERE item_id = ? AND variant = 'cleaned'",
                       [item_id])
    if corrected is None:
        return
    rows = []
    options = project.score_options
    for system in project.systems():
        hyp = project.prediction(system, item_id) or ""
        counts = score_pair(corrected, hyp, kind=project.kind, options=options)
        rows.append((system, item_id, "cleaned", *counts))
    project.write_alignments(rows)


def _event(project: Project, row: Any) -> Event:
    states = []
    for column, text in (("before", row[6]), ("after", row[7])):
        where = f"the {column!r} of event {row[0]} (table label_events)"
        try:
            states.append(Decision.from_dict(decode_json(project.path, where, text)))
        except (TypeError, ValueError, AttributeError) as exc:
            raise ProjectError(damaged(project.path, f"{where} is not a label: {exc}")) from None
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], states[0], states[1])
