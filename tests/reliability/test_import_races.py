"""New projects appear whole or not at all (issue 14, findings 16 and 22).

Two real processes import into one new project at the same moment: the one that loses
never deletes what the other reported imported. A killed import leaves no project (the
landed code left a 0-item project that ``score`` accepted), and the next import clears
what the killed one left. Item ids equal after Unicode normalisation are refused.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reviewer.cli import main as cli_main

ROWS = 6000

READY_THEN_IMPORT = textwrap.dedent("""
    import sys
    from reviewer.cli import build_parser, main
    from reviewer.store import importer  # noqa: F401 - loaded before the race starts
    build_parser()
    print("READY", flush=True)
    sys.stdin.readline()
    sys.exit(main(sys.argv[1:]))
""")


def write_table(path: Path, rows: int = ROWS) -> Path:
    lines = ["id,gt,ocr"] + [f"l{k},the quick brown fox {k} jumps,the qu1ck brown f0x {k} jumps"
                             for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(args: list[str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", READY_THEN_IMPORT, *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    return proc


def items_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        conn.close()


def race(folder: Path, rounds: int) -> None:
    table = write_table(folder / "bench.csv")
    for k in range(rounds):
        project = folder / f"race{k}.db"
        args = ["import", str(project), str(table), "--pred-col", "ocr=ocr"]
        procs = [start(args), start(args)]
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=300) for proc in procs]
        results = [(proc.returncode, out, err) for proc, (out, err) in zip(procs, outputs,
                                                                           strict=True)]
        imported = [r for r in results if "Imported" in r[1]]
        assert imported, results
        for status, _out, err in results:
            assert "Traceback" not in err, err
            assert status in (0, 1)
        # Whatever one reported imported is there, whole.
        assert project.exists(), (k, results)
        assert items_in(project) == ROWS
        failed = [r for r in results if r[0] != 0]
        for _status, _out, err in failed:  # the second to finish found the system there
            assert "already has system(s) ocr" in err, err
        assert not list(folder.glob(f".{project.name}*"))


def test_two_imports_into_one_new_project_never_delete_each_other(tmp_path: Path) -> None:
    race(tmp_path, 3)


@pytest.mark.slow
def test_twelve_racing_imports_into_new_projects(tmp_path: Path) -> None:
    race(tmp_path, 12)


def kill_imports(folder: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    table = write_table(folder / "bench.csv", 20_000)
    project = folder / "killed.db"
    args = ["import", str(project), str(table), "--pred-col", "ocr=ocr"]
    for _ in range(kills):
        proc = start(args)
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        # Kill it once its (hidden) project file exists, at a random moment after.
        while not list(folder.glob(f"*{project.name}*")) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.0))
        proc.kill()
        proc.communicate(timeout=60)
        if project.exists():  # finished before the kill: then it is whole
            assert items_in(project) == 20_000
            project.unlink()
        assert cli_main(["score", str(project)]) == 1  # no 0-item project to score
    assert cli_main(["import", str(project), str(table), "--pred-col", "ocr=ocr"]) == 0
    assert items_in(project) == 20_000
    assert not list(folder.glob(f".{project.name}*"))  # the killed imports' leftovers


def test_a_killed_import_leaves_no_project(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    kill_imports(tmp_path, 3, seed=1)
    assert "no such project" in capsys.readouterr().err


@pytest.mark.slow
def test_many_killed_imports_leave_no_project(tmp_path: Path) -> None:
    kill_imports(tmp_path, 15, seed=2)


def test_ids_equal_after_unicode_normalisation_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "nfc.csv"
    table.write_text("id,gt,ocr\ncaf\u00e9,one,one\nx,two,two\ncafe\u0301,three,three\n",
                     encoding="utf-8")
    project = tmp_path / "nfc.db"
    assert cli_main(["import", str(project), str(table), "--pred-col", "ocr=ocr"]) == 1
    message = capsys.readouterr().err
    assert "'caf\\xe9' (item 1)" in message and "'cafe\\u0301' (item 3)" in message
    assert "NFC/NFD" in message
    assert not project.exists()
