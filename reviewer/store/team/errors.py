"""What can go wrong with a shared project: typed errors naming the server, role and rule."""

from __future__ import annotations

from reviewer.core.errors import ProjectError

EXTRA_HINT = "pip install 'reviewer[team]'"


class TeamError(ProjectError):
    """A shared project could not be shared, joined or synced."""


class TeamOffline(TeamError):
    """The server could not be reached (or went away mid-sync); the outbox keeps waiting."""


class TeamRefused(TeamError):
    """The server refused a write: the message names the role and the rule it broke."""


class TeamExtraMissing(TeamError):
    """psycopg, which talks to the server, is not installed."""

    def __init__(self) -> None:
        super().__init__("working as a team needs psycopg 3, which is not installed: "
                         f"{EXTRA_HINT}")
