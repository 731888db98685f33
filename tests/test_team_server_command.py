"""``reviewer team-server DIR``: a local trial server in one command, stopped with ``--stop``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.store.team import join_project, local_server, share_project
from tests.team_server import TeamServer, small_project


def test_a_trial_server_starts_takes_a_share_and_stops(
        team_server: TeamServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # team_server: only to skip, naming what to install, where no server can run here.
    folder = Path(tempfile.mkdtemp(prefix="reviewer-trial-"))
    folder.chmod(0o755)  # as root, the server runs as `postgres` and must reach it
    data = folder / "server"
    try:
        assert main(["team-server", str(data)]) == 0
        out = capsys.readouterr().out
        server = local_server.server_in(data)
        assert f"reviewer share proj.db {server.url()}" in out
        assert server.postmaster_pid() is not None
        assert main(["team-server", str(data)]) == 0  # already running: says so again
        capsys.readouterr()
        share_project(small_project(tmp_path / "proj.db"), server.url(), "proj",
                      [("alice", "annotator")])
        joined = join_project(f"{server.url(user='alice')}/proj", tmp_path / "alice.db")
        assert joined.annotator == "alice"
        assert main(["team-server", str(data), "--stop"]) == 0
        assert "stopped" in capsys.readouterr().out
        assert server.postmaster_pid() is None
    finally:
        local_server.stop(local_server.server_in(data))
        shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_holding_something_else_is_refused(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    if local_server.find_bin_dir() is None:
        pytest.skip(local_server.MISSING)
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["team-server", str(tmp_path)]) == 1
    assert "not empty and not a PostgreSQL data folder" in capsys.readouterr().err
