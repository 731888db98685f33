"""Team work through a PostgreSQL server: share a project, join it, sync copies.

A shared project lives in one schema on the server (:mod:`.server_schema`); every
annotator works in a local copy (an ordinary project file with a ``team`` record) that
works offline: each decision also goes to the copy's outbox in the same transaction
(:mod:`.outbox`), and :func:`sync_project` pushes the outbox and pulls the others'
events (:mod:`.sync`). psycopg is imported only when a server is contacted, so
``import reviewer`` works without the ``team`` extra.
"""

from __future__ import annotations

from reviewer.store.team.errors import TeamError, TeamExtraMissing, TeamOffline, TeamRefused
from reviewer.store.team.join import JoinOutcome, join_project
from reviewer.store.team.share import ShareOutcome, share_project
from reviewer.store.team.sync import SyncReport, SyncState, sync_project, sync_state

__all__ = [
    "JoinOutcome",
    "ShareOutcome",
    "SyncReport",
    "SyncState",
    "TeamError",
    "TeamExtraMissing",
    "TeamOffline",
    "TeamRefused",
    "join_project",
    "share_project",
    "sync_project",
    "sync_state",
]
