"""Merge projects of one benchmark reviewed by different annotators, keeping every event.

An event is the same event in two files when its item, annotator, time, action and
decisions before and after are the same; its id and the id its undo/redo ``target``
points at differ between files, so targets are remapped to the merged file's ids.
Merging a file again therefore adds nothing. The current decisions of the items that got
new events are then rebuilt from their whole merged history, field by field, in an
order that follows each file's own order of events (see :mod:`reviewer.core.decision_merge`);
fields two people set differently without seeing each other's value are reported as
conflicts to adjudicate.

Every source (and an existing target) is checked first (:mod:`reviewer.store.integrity`):
a damaged file, one holding triggers or views, or one with malformed events is refused
before anything is written. A new team file is built from reviewer's own schema under a
temporary name and appears, complete, only at the end.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.core.decision_merge import Conflict, MergeEvent, combine
from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.store.db import write_transaction
from reviewer.store.decisions import realign
from reviewer.store.integrity import check_project_file
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.new_project import build_new, is_project_file
from reviewer.store.open_errors import project_error
from reviewer.store.project import Project
from reviewer.store.team.local import settings as team_settings

EventKey = tuple[str, str, str, str, str, str]
# The benchmark a new team file copies from its first source; the decisions are rebuilt from
# the events, and the cleaned alignments and the OMR-NED cache are recomputed.
BENCHMARK_TABLES = ("sources", "items", "systems", "predictions", "alignments")
CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class ItemConflict:
    """A :class:`~reviewer.core.decision_merge.Conflict` on one item."""

    item_id: str
    conflict: Conflict


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """What a merge did to its target."""

    target: Path
    created: bool  # the target was made from the first source
    events_added: int
    events_present: int  # events of the sources the target already held
    changed_items: tuple[str, ...]  # items whose current decision changed
    conflicts: tuple[ItemConflict, ...] = ()  # found among the events this merge added


def merge_projects(sources: Sequence[Path], target: Path) -> MergeOutcome:
    """Merge the decision histories of ``sources`` into ``target`` in one transaction.

    A missing ``target`` is made from the first source's benchmark (without the source's
    remembered annotator: a team file is nobody's own; a name taken from the source's
    file name becomes the target's) and holds every source's history; it appears only
    once complete. Every source must be an undamaged project of the same benchmark as
    the target; if one is not, nothing is written and the :class:`ProjectError` names
    the file and the problem. A source that is the target itself is left out.
    """
    if not sources:
        raise ProjectError("nothing to merge: give at least one project")
    target = Path(target)
    created = not is_project_file(target)
    paths = [Path(p) for p in sources if created or not _same_file(p, target)]
    for path in dict.fromkeys(paths):
        check_project_file(path)
    if not created:
        check_project_file(target)
    projects: list[Project] = []
    try:
        for path in paths:
            projects.append(Project(path))
        if created:
            _check_all(projects[0], projects[1:])
            return build_new(target, lambda team: _create(team, target, projects))
        with Project(target) as team:
            _refuse_shared_copy(team)
            _check_all(team, projects)
            with write_transaction(team.db):
                return _merge(team, target, projects, None)
    except (sqlite3.Error, OSError) as exc:  # locked, disk full...: said of the team file
        raise (project_error(target, exc) or exc) from None
    finally:
        for project in projects:
            project.close()


def _refuse_shared_copy(team: Project) -> None:
    """A joined copy of a shared project takes decisions only from its own role, through
    its outbox: merged events would never reach the server."""
    shared = team_settings(team.db.conn)
    if shared is not None:
        raise ProjectError(
            f"{team.path}: a copy of shared project {shared.remote!r}, which records only "
            f"{shared.annotator!r}'s decisions and sends them to the server; merging other "
            "files into it would keep their decisions out of the shared history. Let each "
            "annotator join the shared project (reviewer join), or merge into an ordinary "
            "project")


def _same_file(a: Path, b: Path) -> bool:
    return b.exists() and Path(a).exists() and Path(a).samefile(b)


def _create(team: Project, target: Path, sources: list[Project]) -> MergeOutcome:
    base = sources[0]
    with write_transaction(team.db):
        for key, value in base.db.execute("SELECT key, value FROM meta"):
            if key != "annotator":  # a team file is nobody's own
                team.set_meta(key, value)
        if base.meta("name") == base.path.stem:  # the default name follows the file
            team.set_meta("name", target.stem)
        for table in BENCHMARK_TABLES:
            _copy_table(base, team, table)
        refresh_list_facts(team)  # what the item list sorts and filters by
        return _merge(team, target, sources, base)


def _copy_table(source: Project, team: Project, table: str) -> None:
    have = {r[1] for r in source.db.execute(f"PRAGMA table_info({table})")}
    columns = [r[1] for r in team.db.execute(f"PRAGMA table_info({table})") if r[1] in have]
    names = ", ".join(columns)
    where = " WHERE variant = 'original'" if table == "alignments" else ""
    rows = source.db.execute(f"SELECT {names} FROM {table}{where}")
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    while chunk := rows.fetchmany(CHUNK):
        team.db.conn.executemany(sql, chunk)


def _merge(team: Project, target: Path, sources: list[Project],
           base: Project | None) -> MergeOutcome:
    """Add the sources' new events to ``team`` and rebuild the decisions they touch.

    With a ``base`` (a new team file made from it), the base's events count as present
    and the changed decisions are those that differ from the base's.
    """
    db = team.db
    existing = _events(team)
    known = {_key(row): row[0] for row in existing}
    orders = [_orders(existing)]
    added = present = 0
    per_source: list[int] = []
    new: set[EventKey] = set()
    touched: set[str] = set()
    for source in sources:
        remap: dict[int, int] = {}
        rows = _events(source)
        for row in rows:
            key = _key(row)
            if key in known:
                present += 1
            else:
                item_id, annotator, at, action, target_id, before, after = row[1:]
                cur = db.execute(
                    "INSERT INTO label_events (item_id, annotator, at, action, target, "
                    "before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [item_id, annotator, at, action,
                     None if target_id is None else remap.get(target_id), before, after])
                known[key] = int(cur.lastrowid or 0)
                new.add(key)
                touched.add(item_id)
                added += 1
            remap[row[0]] = known[key]
        orders.append(_orders(rows))
        per_source.append(added - sum(per_source))
    compare_with = None
    if base is not None:  # the new file starts as the base: its events were there
        added, present = added - per_source[0], present + per_source[0]
        compare_with = _decisions(base)
    changed, conflicts = _rebuild(team, touched, orders, new, compare_with)
    return MergeOutcome(target, base is not None, added, present, tuple(changed),
                        tuple(conflicts))


def _events(project: Project) -> list[Any]:
    return project.db.execute(
        "SELECT id, item_id, annotator, at, action, target, before, after FROM label_events "
        "ORDER BY id").fetchall()


def _key(row: Any) -> EventKey:
    # The decisions as stored: merging copies them byte for byte, so one event stays one.
    return (row[1], row[2], row[3], row[4], row[6], row[7])


def _orders(rows: list[Any]) -> dict[str, list[Hashable]]:
    """item id → the keys of its events in this file's order."""
    out: dict[str, list[Hashable]] = {}
    for row in rows:
        out.setdefault(row[1], []).append(_key(row))
    return out


def _rebuild(team: Project, items: set[str], orders: list[dict[str, list[Hashable]]],
             new: set[EventKey], compare_with: dict[str, Decision] | None,
             ) -> tuple[list[str], list[ItemConflict]]:
    """Set each of ``items``' decision to what its combined history leaves.

    Returns the items whose decision changed (against ``compare_with`` when given, else the
    team's own decisions) in item order, and the conflicts involving ``new`` events.
    """
    db = team.db
    history: dict[str, list[MergeEvent]] = {}
    keys: dict[int, EventKey] = {}
    for row in _events(team):
        keys[row[0]] = _key(row)
        if row[1] in items:
            history.setdefault(row[1], []).append(MergeEvent(
                _key(row), row[0], row[2], row[3], row[4],
                Decision.from_dict(json.loads(row[6])),
                Decision.from_dict(json.loads(row[7])), keys.get(row[5])))
    old = _decisions(team)
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT item_id, verdict, error_type, corrected_reference, note, tags, annotator, "
        "updated_at FROM labels")}
    changed: list[str] = []
    conflicts: list[ItemConflict] = []
    for item_id, events in history.items():
        result = combine(events, [order.get(item_id, ()) for order in orders])
        conflicts += [ItemConflict(item_id, c) for c in result.conflicts
                      if c.kept.key in new or c.other.key in new]
        state, last = result.state, result.last
        assert last is not None  # every item here has events
        row = (state.verdict, state.error_type, state.corrected_reference, state.note,
               json.dumps(list(state.tags)), last.annotator, last.at)
        if rows.get(item_id) != row:
            db.execute(
                "INSERT OR REPLACE INTO labels (item_id, verdict, error_type, "
                "corrected_reference, note, tags, annotator, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [item_id, *row])
        previous = (compare_with if compare_with is not None else old).get(item_id, Decision())
        if previous != state:
            changed.append(item_id)
        if old.get(item_id, Decision()).corrected_reference != state.corrected_reference:
            realign(team, item_id, state.corrected_reference)
    refresh_list_facts(team, history)  # the item list's sort keys, same transaction
    order = {item_id: pos for pos, item_id in enumerate(team.item_ids())}
    changed.sort(key=order.__getitem__)
    conflicts.sort(key=lambda c: order[c.item_id])
    return changed, conflicts


def _decisions(project: Project) -> dict[str, Decision]:
    return {r[0]: Decision(r[1], r[2], r[3], r[4], tuple(json.loads(r[5])))
            for r in project.db.execute(
                "SELECT item_id, verdict, error_type, corrected_reference, note, tags "
                "FROM labels")}


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
