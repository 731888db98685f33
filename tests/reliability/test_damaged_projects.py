"""Damaged, read-only, full and odd project files (issue 14, findings 10, 20 and 21).

Each damage is made with a script on a real project: truncated, a page overwritten in
the middle, a dropped table, invalid UTF-8 in a text column, bad JSON in a label or an
item's metadata. Every command then either works or prints one line naming the file and
what is wrong (never a traceback), and the window shows a dialog (never aborts). A
valid project on a read-only file system, a full disk or given as a folder is reported
as what it is, never as "not a reviewer project"; read-only projects can be scored.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer.cli import main as cli_main
from reviewer.core.errors import ProjectError
from reviewer.store import decisions
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from tests.reliability.worker import build_project, item_id

ITEMS = 40


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_project(tmp_path_factory.mktemp("damaged") / "base.db", ITEMS)
    with Project(path) as project:
        decisions.decide(project, item_id(1), "tester", verdict="ok", note="kept")
    return path


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def truncated(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)


def bad_page(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        for offset in range(4096, size - 4096, size // 6):  # a few pages past the header
            fh.seek(offset + 100)
            fh.write(bytes(range(256)) * 8)


def dropped_table(path: Path) -> None:
    sql(path, "PRAGMA foreign_keys = OFF", "DROP TABLE labels")


def invalid_utf8(path: Path) -> None:
    # "Hello \xff\xfe world": bytes that are not UTF-8, stored as text
    sql(path, "UPDATE items SET reference = CAST(X'48656c6c6f20fffe20776f726c64' AS TEXT) "
              f"WHERE id = '{item_id(2)}'")


def bad_label_json(path: Path) -> None:
    sql(path, f"UPDATE labels SET tags = '{{not json' WHERE item_id = '{item_id(1)}'")


def bad_item_json(path: Path) -> None:
    sql(path, f"UPDATE items SET meta = '[1, 2' WHERE id = '{item_id(2)}'")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated": truncated, "bad-page": bad_page, "dropped-table": dropped_table,
    "invalid-utf8": invalid_utf8, "bad-label-json": bad_label_json,
    "bad-item-json": bad_item_json,
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, base: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / f"{request.param}.db"
    shutil.copy(base, path)
    DAMAGES[request.param](path)
    yield path


def commands(path: Path) -> list[list[str]]:
    p = str(path)
    return [["score", p], ["show", p, item_id(2)], ["show", p, item_id(1)], ["history", p],
            ["label", p, item_id(2), "ok", "--wait", "2"], ["suspects", p]]


def test_every_command_works_or_names_the_damage_in_one_line(
        damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in commands(damaged):
        status = cli_main(command)  # an escaping exception fails the test
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert status in (0, 1), command
        if status == 1:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"reviewer: error: {damaged}: "), (
                command, err)
            assert "not a reviewer project" not in err


def test_invalid_utf8_text_is_shown_replaced_not_failed(base: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    path = tmp_path / "utf8.db"
    shutil.copy(base, path)
    invalid_utf8(path)
    assert cli_main(["show", str(path), item_id(2)]) == 0
    assert "Hello \ufffd\ufffd world" in capsys.readouterr().out
    assert cli_main(["score", str(path)]) == 0


@pytest.mark.parametrize(("damage", "said"), [
    ("dropped-table", "damaged (table 'labels' is missing)"),
    ("bad-label-json", f"damaged (the tags of item '{item_id(1)}' (table labels) is not valid "
                       "JSON"),
    ("bad-item-json", f"damaged (the metadata of item '{item_id(2)}' is not valid JSON"),
])
def test_the_damage_is_named(base: Path, tmp_path: Path, damage: str, said: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{damage}.db"
    shutil.copy(base, path)
    DAMAGES[damage](path)
    assert cli_main(["show", str(path), item_id(2) if "item" in damage else item_id(1)]) == 1
    assert f"reviewer: error: {path}: {said}" in capsys.readouterr().err


def test_the_window_shows_a_dialog_for_any_damage_and_never_aborts(
        damaged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QMessageBox

    from reviewer.gui.main_window import MainWindow

    shown: list[str] = []
    for name in ("critical", "warning"):
        monkeypatch.setattr(QMessageBox, name,
                            lambda parent, title, text, *rest: shown.append(text))
    window = MainWindow("tester")
    qtbot.addWidget(window)
    opened = window.open_project(damaged)
    assert opened or (shown and str(damaged) in shown[0]), shown
    if opened:
        assert window.session is not None
        window.session.decide(item_id(3), verdict="model_error", note="saved on close")
    window.close()  # flushes the queued decision, then closes without aborting
    if opened and "utf8" in damaged.name:
        with Project(damaged) as project:
            assert decisions.get_decision(project, item_id(3)).note == "saved on close"


def test_a_folder_is_called_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    folder = tmp_path / "bench.db"
    folder.mkdir()
    assert cli_main(["score", str(folder)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"reviewer: error: {folder}: is a folder, not a project file")


def test_a_project_opened_read_only_scores_and_refuses_writes(base: Path, tmp_path: Path
                                                              ) -> None:
    path = tmp_path / "colleague.db"
    shutil.copy(base, path)
    with Project(path, read_only=True) as project:
        assert project.read_only == "opened read-only"
        assert score_project(project)["systems"][0]["name"] == "ocr"
        with pytest.raises(ProjectError, match=r"read-only \(opened read-only\); nothing was "
                                               "written"):
            decisions.decide(project, item_id(5), "me", verdict="ok")
    with Project(path) as project:
        assert [e.after.note for e in decisions.history(project)] == ["kept"]


def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) in its own user and mount namespace, where it may mount."""
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=300)


def _can_mount() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    try:
        return in_namespace("mount -t tmpfs tmpfs /mnt").returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_mount = pytest.mark.skipif(
    not _can_mount(), reason="needs `unshare -rm` to mount a tmpfs: the util-linux package and "
    "user namespaces allowed by the kernel (sysctl kernel.unprivileged_userns_clone=1)")
REVIEWER = f"{sys.executable} -m reviewer"


@needs_mount
def test_a_read_only_file_system_opens_read_only(base: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(base, share / "bench.db")
    path = share / "bench.db"
    result = in_namespace(
        f"mount --bind {share} {share} && mount -o remount,bind,ro {share} && "
        f"{REVIEWER} score {path} --format json && {REVIEWER} label {path} {item_id(4)} ok; "
        "echo status=$?")
    assert f"reviewer: {path}: read-only file system: opened read-only" in result.stderr
    assert '"name": "ocr"' in result.stdout  # scored
    assert (f"reviewer: error: {path}: read-only (read-only file system); nothing was "
            "written") in result.stderr
    assert "status=1" in result.stdout and "Traceback" not in result.stderr
    assert "not a reviewer project" not in result.stderr


@needs_mount
def test_a_full_disk_is_called_a_full_disk(base: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    size = base.stat().st_size + 64 * 1024
    path = disk / "bench.db"
    result = in_namespace(
        f"mount -t tmpfs -o size={size} tmpfs {disk} && cp {base} {path} && "
        f"(dd if=/dev/zero of={disk}/fill bs=4096 2>/dev/null; true) && "
        f"{REVIEWER} score {path}; {REVIEWER} label {path} {item_id(4)} ok")
    assert "not a reviewer project" not in result.stderr
    assert "Traceback" not in result.stderr
    assert f"reviewer: error: {path}: disk full" in result.stderr
