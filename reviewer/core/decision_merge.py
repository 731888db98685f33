"""Combine one item's decision histories from several files, field by field (DESIGN §5).

An event stores the whole decision before and after it, but it decided only the fields
where the two differ: the verdict with its error type, the corrected reference, the
note, and tags (added or removed one by one). Replaying an item's events therefore
changes only those fields, so a tag added in one copy does not undo a correction made
in another.

Order: each file lists its events in the order they were made or merged in, and every
file's order respects what each event's author had seen (an event is made after all the
events of its file, and a merge brings a file's events in their own order). So the
replay follows every file's order; wall-clock time only interleaves events that no file
orders, and a clock running ahead cannot overtake a decision made after seeing its
event. Where files order two events differently, neither author saw the other's, and
time decides.

A field an event changes from a value that is no longer the current one is a
*conflict*: two people set it differently, neither having seen the other's value. The
later by the clock stays current for now, and the conflict is returned so that someone
adjudicates it. An undo brings back what its event replaced in this combined history
(which, after a conflict, is the other person's value); an undo of a value already
replaced does nothing.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from reviewer.core.decisions import Decision

# The fields a decision sets as a whole; tags are combined one by one instead.
FIELDS: tuple[str, ...] = ("verdict", "corrected_reference", "note")
FIELD_NAMES: dict[str, str] = {"verdict": "verdict", "corrected_reference": "corrected reference",
                               "note": "note"}


@dataclass(frozen=True, slots=True)
class MergeEvent:
    """One event of an item's combined history.

    ``key`` is the same for the same event in every file; ``seq`` is its position in the
    merged file, the last tie-break.
    """

    key: Hashable
    seq: int
    annotator: str
    at: str
    action: str
    before: Decision
    after: Decision
    target: Hashable | None = None  # the key of the event an undo or redo points at


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two events that set one field of one decision differently, unaware of each other."""

    field: str  # one of FIELDS
    kept: MergeEvent  # the later by the clock: its value is the current one for now
    other: MergeEvent

    def value(self, event: MergeEvent) -> Any:
        """What ``event`` set the field to."""
        return _field(event.after, self.field)


@dataclass(frozen=True, slots=True)
class Combined:
    """An item's decision after its combined history, and what it could not decide alone."""

    state: Decision
    last: MergeEvent | None  # the last event replayed: who and when, for the decision row
    conflicts: tuple[Conflict, ...]


def combine(events: Iterable[MergeEvent], orders: Iterable[Sequence[Hashable]]) -> Combined:
    """Replay ``events`` (one item's, each once) in an order that keeps every file's order.

    ``orders`` lists, per file, the keys of its events of this item in that file's order.
    """
    replay = causal_order(events, orders)
    values: dict[str, Any] = {f: _field(Decision(), f) for f in FIELDS}
    setters: dict[str, MergeEvent | None] = dict.fromkeys(FIELDS)
    # (event key, field) -> the value and setter it replaced, which undoing it brings back
    replaced: dict[tuple[Hashable, str], tuple[Any, MergeEvent | None]] = {}
    tags: list[str] = []
    conflicts: list[Conflict] = []
    for event in replay:
        for name in FIELDS:
            old, new = _field(event.before, name), _field(event.after, name)
            current, setter = values[name], setters[name]
            if old == new:
                continue
            if event.action == "undo":
                undone = replaced.get((setter.key, name)) if setter is not None else None
                if undone is not None and setter is not None and setter.key == event.target:
                    values[name], setters[name] = undone
                elif current == old:
                    values[name], setters[name] = new, event
                continue  # else what it undid was replaced already
            if current == new:
                continue
            if current != old and setter is not None:
                later = _clock(event) >= _clock(setter)
                conflicts.append(Conflict(name, *((event, setter) if later else (setter, event))))
                if not later:
                    continue
            replaced[(event.key, name)] = (current, setter)
            values[name], setters[name] = new, event
        if list(event.before.tags) == tags:  # it saw these tags: take its list as it is
            tags = list(event.after.tags)
        else:
            removed = set(event.before.tags) - set(event.after.tags)
            tags = [t for t in tags if t not in removed]
            tags += [t for t in event.after.tags if t not in event.before.tags and t not in tags]
    verdict, error_type = values["verdict"]
    state = Decision(verdict, error_type, values["corrected_reference"], values["note"],
                     tuple(tags))
    return Combined(state, replay[-1] if replay else None, tuple(conflicts))


def causal_order(events: Iterable[MergeEvent],
                 orders: Iterable[Sequence[Hashable]]) -> list[MergeEvent]:
    """``events`` sorted so that each order in ``orders`` is kept, else by clock.

    Where the orders contradict each other (a cycle), the earliest event by the clock
    among those left goes first.
    """
    by_key = {e.key: e for e in events}
    by_clock = {_clock(e): e for e in by_key.values()}
    after: dict[Hashable, set[Hashable]] = {k: set() for k in by_key}
    waiting = dict.fromkeys(by_key, 0)
    for order in orders:
        keys = [k for k in order if k in by_key]
        for a, b in pairwise(keys):
            if a != b and b not in after[a]:
                after[a].add(b)
                waiting[b] += 1
    ready = [_clock(by_key[k]) for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    out: list[MergeEvent] = []
    done: set[Hashable] = set()
    while len(out) < len(by_key):
        if not ready:  # files disagree on the order: the earliest left breaks the cycle
            heapq.heappush(ready, min(_clock(e) for e in by_key.values() if e.key not in done))
        event = by_clock[heapq.heappop(ready)]
        if event.key in done:
            continue
        done.add(event.key)
        out.append(event)
        for nxt in after[event.key]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0 and nxt not in done:
                heapq.heappush(ready, _clock(by_key[nxt]))
    return out


def _clock(event: MergeEvent) -> tuple[str, int]:
    return event.at, event.seq


def _field(state: Decision, name: str) -> Any:
    if name == "verdict":
        return state.verdict, state.error_type
    return getattr(state, name)
