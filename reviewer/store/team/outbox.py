"""The outbox: every event made in a shared copy waits here until the server has it.

:func:`record` runs inside the transaction that writes the event (``decisions._write``),
so an event and its place in the outbox are committed together or not at all.
"""

from __future__ import annotations

import uuid
from typing import Any

from reviewer.core.errors import ProjectError
from reviewer.store.team.local import ANNOTATOR, PROJECT


def record(conn: Any, event_id: int, annotator: str) -> None:
    """Give the new event ``event_id`` its id for the team and, in a shared copy, queue it.

    In a project that is not shared this costs one indexed read and writes nothing. A shared
    copy records decisions only under the role it was joined as: anything else would be
    refused by the server, so it is refused here, before it is written.
    """
    row = conn.execute("SELECT value FROM team WHERE key = ?", [ANNOTATOR]).fetchone()
    if row is None:
        return
    if annotator != row[0]:
        project = conn.execute("SELECT value FROM team WHERE key = ?", [PROJECT]).fetchone()
        raise ProjectError(
            f"this copy of shared project {project[0] if project else '?'!r} records decisions "
            f"as {row[0]!r}, the server role it was joined as, not as {annotator!r}: the server "
            "accepts events only under the connecting role's own name")
    conn.execute("INSERT INTO team_events (event_id, uid) VALUES (?, ?)",
                 [event_id, str(uuid.uuid4())])
    conn.execute("INSERT INTO team_outbox (event_id) VALUES (?)", [event_id])
