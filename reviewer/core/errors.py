"""Typed errors. Every message a user sees names the file and, where it applies, the record."""

from __future__ import annotations

from pathlib import Path


class ReviewerError(Exception):
    """Base of every error reviewer reports to a user (CLI exit status 1, a dialog in the GUI)."""


class InputError(ReviewerError):
    """Bad input: names the file, the line or record, and what is wrong."""

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        self.line = line
        self.record = record
        where = self.path or "<input>"
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" (record {record!r})"
        super().__init__(f"{where}: {message}")


class ProjectError(ReviewerError):
    """The project database cannot be used (not a reviewer project, newer schema, unknown id)."""


class Cancelled(ReviewerError):
    """Long work stopped because the user asked it to."""


class MemoryLimitError(ReviewerError):
    """Work refused before it starts: it would need more memory than this machine has
    free (the message says how much, and where else to run it)."""


class ClusterError(ReviewerError):
    """A Dask cluster cannot run the work: Dask is not installed, the scheduler is out of
    reach, or a work unit kept losing its worker."""
