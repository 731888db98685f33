"""Guards against a known-bad Qt binding release (see the PySide6 pin in pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint


def test_qt_calls_keep_the_reference_count_of_none() -> None:
    # PySide6 6.12.0 on Python 3.11 loses a reference to None per void call, which
    # aborts the interpreter after a few thousand calls in a running window.
    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1)
    assert sys.getrefcount(None) - before > -100
