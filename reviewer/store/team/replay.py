"""The current decisions of a shared copy, rebuilt from its history in the server's order.

Every copy holds the same events in the same server order after a sync, so replaying an
item's events field by field (:func:`reviewer.core.decision_merge.combine`, with that one
order) gives every copy the same decision, whoever decided first on which laptop. Events
made here and not yet pushed come last, in the order they were made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from reviewer.core.decision_merge import MergeEvent, combine
from reviewer.core.decisions import Decision
from reviewer.store import decisions as store_decisions
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.project import Project

ORDER = ("SELECT e.id, e.item_id, e.annotator, e.at, e.action, e.target, e.before, e.after "
         "FROM label_events e LEFT JOIN team_events t ON t.event_id = e.id "
         "WHERE e.item_id = ? ORDER BY t.server_seq IS NULL, t.server_seq, e.id")


def rebuild(project: Project, items: Iterable[str]) -> list[str]:
    """Set each of ``items``' decision from its history (caller's transaction); returns the
    items whose decision changed, in item order."""
    db = project.db
    changed = []
    for item_id in items:
        rows = db.execute(ORDER, [item_id]).fetchall()
        if not rows:
            continue
        events = [_event(pos, row) for pos, row in enumerate(rows)]
        result = combine(events, [[e.key for e in events]])
        state, last = result.state, result.last
        assert last is not None
        old = store_decisions.get_decision(project, item_id)
        row = (state.verdict, state.error_type, state.corrected_reference, state.note,
               json.dumps(list(state.tags)), last.annotator, last.at)
        current = db.execute(
            "SELECT verdict, error_type, corrected_reference, note, tags, annotator, updated_at "
            "FROM labels WHERE item_id = ?", [item_id]).fetchone()
        if current is None or tuple(current) != row:
            db.execute(
                "INSERT OR REPLACE INTO labels (item_id, verdict, error_type, "
                "corrected_reference, note, tags, annotator, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [item_id, *row])
        if old.corrected_reference != state.corrected_reference:
            store_decisions.realign(project, item_id, state.corrected_reference)
        if old != state:
            changed.append(item_id)
    refresh_list_facts(project, changed)  # the item list's sort keys, same transaction
    order = {item_id: pos for pos, item_id in enumerate(project.item_ids())}
    return sorted(changed, key=lambda i: order.get(i, len(order)))


def _event(pos: int, row: Any) -> MergeEvent:
    # The key is the local id (unique here); the position in the server's order is the
    # tie-break, the same in every copy.
    return MergeEvent(row[0], pos, row[2], row[3], row[4],
                      Decision.from_dict(json.loads(row[6])),
                      Decision.from_dict(json.loads(row[7])), row[5])
