"""Progress reporting for long work that never touches a widget (DESIGN §7.8)."""

from __future__ import annotations

from typing import Protocol

from reviewer.core.errors import Cancelled


class Progress(Protocol):
    """What long work may tell its caller, and ask of it."""

    def set(self, value: float) -> None:
        """Report completion as a fraction in [0, 1]."""

    def status(self, text: str) -> None:
        """Report what is being done now."""

    def cancelled(self) -> bool:
        """Whether the caller asked the work to stop."""


class NullProgress:
    """A progress object that reports nowhere and never cancels."""

    def set(self, value: float) -> None:
        pass

    def status(self, text: str) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    """Raise :class:`Cancelled` when the caller asked the work to stop."""
    if progress.cancelled():
        raise Cancelled("cancelled")
