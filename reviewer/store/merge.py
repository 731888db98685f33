"""Merge projects of one benchmark labelled by different annotators, keeping every event.

An event is the same event in two files when its item, annotator, time, action and
labels before and after are the same; its id and the id its undo/redo ``target``
points at differ between files, so targets are remapped to the merged file's ids.
Merging a file again therefore adds nothing. The current labels are then rebuilt from
the merged history: each item's label is what its latest event (by time) left.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.core.errors import ProjectError
from reviewer.core.labels import LabelState
from reviewer.store.db import remove_project_files, write_transaction
from reviewer.store.labels import realign
from reviewer.store.project import Project

EventKey = tuple[str, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did to its target."""

    target: Path
    created: bool  # the target was made as a copy of the first source
    events_added: int
    events_present: int  # events of the sources the target already held
    changed_items: tuple[str, ...]  # items whose current label changed


def merge_projects(sources: Sequence[Path], target: Path) -> MergeReport:
    """Merge the label histories of ``sources`` into ``target`` in one transaction.

    A missing ``target`` starts as a copy of the first source (without the source's
    remembered annotator: a team file is nobody's own; a name taken from the source's
    file name becomes the target's). Every source must hold the same benchmark as the
    target; if one does not, nothing is written and the :class:`ProjectError` names the
    file and the first difference. A source that is the target itself is left out.
    """
    if not sources:
        raise ProjectError("nothing to merge: give at least one project")
    target = Path(target)
    created = not (target.exists() and target.stat().st_size > 0)
    projects: list[Project] = []
    try:
        for path in sources:
            if not _same_file(path, target):
                projects.append(Project(path))
        if created:
            _check_all(projects[0], projects[1:])
        try:
            if created:
                _copy(projects[0], target)
            with Project(target) as team:
                if not created:
                    _check_all(team, projects)
                return _merge(team, projects, created)
        except BaseException:
            if created:
                remove_project_files(target)
            raise
    finally:
        for project in projects:
            project.close()


def _same_file(a: Path, b: Path) -> bool:
    return b.exists() and Path(a).exists() and Path(a).samefile(b)


def _copy(source: Project, target: Path) -> None:
    try:
        conn = sqlite3.connect(str(target))
    except sqlite3.Error as exc:
        raise ProjectError(f"{target}: cannot create: {exc}") from None
    try:
        source.db.conn.backup(conn)
    finally:
        conn.close()


def _merge(team: Project, sources: list[Project], created: bool) -> MergeReport:
    with write_transaction(team.db):
        if created:
            team.db.execute("DELETE FROM meta WHERE key = 'annotator'")
            if team.meta("name") == sources[0].path.stem:  # the default name follows the file
                team.set_meta("name", team.path.stem)
        known = {_key(row): row[0] for row in _events(team)}
        added = present = 0
        touched: set[str] = set()
        for source in sources:
            remap: dict[int, int] = {}
            for row in _events(source):
                key = _key(row)
                if key in known:
                    present += 1
                else:
                    item_id, annotator, at, action, target, before, after = row[1:]
                    cur = team.db.execute(
                        "INSERT INTO label_events (item_id, annotator, at, action, target, "
                        "before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [item_id, annotator, at, action,
                         None if target is None else remap.get(target), before, after])
                    known[key] = int(cur.lastrowid or 0)
                    touched.add(item_id)
                    added += 1
                remap[row[0]] = known[key]
        # A copy's labels are its source's latest by id; rebuild them all by time.
        changed = _rebuild_labels(team, None if created else touched)
    return MergeReport(team.path, created, added, present, tuple(changed))


def _events(project: Project) -> list[Any]:
    return project.db.execute(
        "SELECT id, item_id, annotator, at, action, target, before, after FROM label_events "
        "ORDER BY id").fetchall()


def _key(row: Any) -> EventKey:
    # The labels as stored: merging copies them byte for byte, so one event stays one.
    return (row[1], row[2], row[3], row[4], row[6], row[7])


def _rebuild_labels(team: Project, items: set[str] | None) -> list[str]:
    """Set the label of ``items`` (``None``: every item) to what their latest event left.

    Returns the items whose label changed, in item order.
    """
    db = team.db
    latest: dict[str, tuple[str, str, str]] = {}
    for item_id, annotator, at, after in db.execute(
            "SELECT item_id, annotator, at, after FROM label_events ORDER BY at, id"):
        if items is None or item_id in items:
            latest[item_id] = (annotator, at, after)
    old = {r[0]: r[1:] for r in db.execute(
        "SELECT item_id, verdict, error_type, corrected_reference, note, tags, annotator, "
        "updated_at FROM labels")}
    changed = []
    for item_id, (annotator, at, after) in latest.items():
        state = LabelState.from_dict(json.loads(after))
        row = (state.verdict, state.error_type, state.corrected_reference, state.note,
               json.dumps(list(state.tags)), annotator, at)
        previous = old.get(item_id)
        if previous == row:
            continue
        db.execute(
            "INSERT OR REPLACE INTO labels (item_id, verdict, error_type, corrected_reference, "
            "note, tags, annotator, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [item_id, *row])
        old_state = _label(previous) if previous else LabelState()
        if old_state != state:
            changed.append(item_id)
        if old_state.corrected_reference != state.corrected_reference:
            realign(team, item_id, state.corrected_reference)
    order = {item_id: pos for pos, item_id in enumerate(team.item_ids())}
    return sorted(changed, key=order.__getitem__)


def _label(row: Any) -> LabelState:
    return LabelState(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))


# -- the same benchmark? -------------------------------------------------------------------
def _check_all(reference: Project, others: Sequence[Project]) -> None:
    for other in others:
        difference = _first_difference(reference, other)
        if difference:
            raise ProjectError(f"{other.path}: not the same benchmark as {reference.path}: "
                               f"{difference}")


def _first_difference(a: Project, b: Project) -> str | None:
    if a.kind != b.kind:
        return f"a {b.kind} benchmark, not {a.kind}"
    if a.char_mode != b.char_mode:
        return f"scored in {b.char_mode} mode, not {a.char_mode}"
    items_a, items_b = _items(a), _items(b)
    for item_id, reference in items_a.items():
        if item_id not in items_b:
            return f"no item {item_id!r}"
        if items_b[item_id] != reference:
            return (f"item {item_id!r} has reference {_short(items_b[item_id])}, "
                    f"not {_short(reference)}")
    extra = next((i for i in items_b if i not in items_a), None)
    if extra is not None:
        return f"an extra item {extra!r}"
    systems_a, systems_b = set(a.systems()), set(b.systems())
    if systems_a != systems_b:
        missing = sorted(systems_a - systems_b)
        return (f"no system {missing[0]!r}" if missing
                else f"an extra system {sorted(systems_b - systems_a)[0]!r}")
    preds_a, preds_b = _predictions(a), _predictions(b)
    for key, text in preds_a.items():
        if preds_b.get(key) != text:
            return (f"system {key[0]!r} predicts {_short(preds_b.get(key))} on item "
                    f"{key[1]!r}, not {_short(text)}")
    extra_pred = next((k for k in preds_b if k not in preds_a), None)
    if extra_pred is not None:
        return f"an extra prediction of {extra_pred[0]!r} on item {extra_pred[1]!r}"
    return None


def _items(project: Project) -> dict[str, str]:
    return dict(project.db.execute("SELECT id, reference FROM items ORDER BY pos").fetchall())


def _predictions(project: Project) -> dict[tuple[str, str], str]:
    return {(r[0], r[1]): r[2] for r in project.db.execute(
        "SELECT system, item_id, text FROM predictions ORDER BY system, item_id")}


def _short(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "nothing"
    return repr(text if len(text) <= limit else text[:limit] + "…")
