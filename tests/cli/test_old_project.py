"""A command on a project made by an earlier version says so on stderr, brings it up to
date once, then does its work."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.store.db import outdated

from ..store.test_bring_up_to_date import STEP, _made_before_m012


def test_a_command_brings_an_old_project_up_to_date_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    assert outdated(path) == [STEP]
    assert main(["score", str(path), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "made by an earlier version of reviewer; bringing it up to date (one change" in err
    assert '"good"' in out and outdated(path) == []
    assert main(["score", str(path), "--format", "json"]) == 0
    assert "earlier version" not in capsys.readouterr().err  # once
