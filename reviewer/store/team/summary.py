"""Who decided how much in a (shared) project, and which disputes wait for adjudication."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store.annotations import ADJUDICATE, annotator_decisions, disagreements
from reviewer.store.project import Project


@dataclass(frozen=True, slots=True)
class AnnotatorWork:
    """One person's share of the history."""

    annotator: str
    events: int  # decisions, undos, redos and adjudications they made
    items: int  # items on which they hold a decision of their own now


@dataclass(frozen=True, slots=True)
class TeamSummary:
    """The team's work on one project."""

    work: tuple[AnnotatorWork, ...]  # by annotator name
    disputed: tuple[str, ...]  # items on which annotators disagree, in item order
    waiting: tuple[str, ...]  # the disputed items nobody adjudicated yet


def team_summary(project: Project) -> TeamSummary:
    """Counts per annotator and the disputes, from the project's whole history."""
    events = dict(project.db.execute(
        "SELECT annotator, count(*) FROM label_events GROUP BY annotator").fetchall())
    own = annotator_decisions(project)
    work = tuple(AnnotatorWork(name, int(events[name]), len(own.get(name, {})))
                 for name in sorted(events))
    order = {item_id: pos for pos, item_id in enumerate(project.item_ids())}
    disputed = sorted(disagreements(project), key=order.__getitem__)
    adjudicated = {r[0] for r in project.db.execute(
        "SELECT DISTINCT item_id FROM label_events WHERE action = ?", [ADJUDICATE])}
    return TeamSummary(work, tuple(disputed),
                       tuple(i for i in disputed if i not in adjudicated))
