"""A kern reference that is not a readable score: imported and marked (the default), listed
with file, line and reason, shown afterwards; or, with ``--unreadable refuse``, refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.core.errors import InputError
from reviewer.core.kern.unreadable import UNREADABLE_REFERENCE
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions

GOOD = "**kern\n*clefG2\n*M4/4\n=1\n4c\n4d\n4e\n4f\n=2\n1g\n==\n*-\n"
# A typo as real scores have it: a dynamics token in a barline record (line 9).
TYPO = ("**kern\t**dynam\n*clefG2\t*\n*M4/4\t*\n=1\t=1\n4c\tp\n4d\t.\n4e\t.\n4f\t.\n"
        "=2\tp\n1g\t.\n==\t==\n*-\t*-\n")
REASON = "line 9: 'p' in a record of barline tokens"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    gt, pred = tmp_path / "gt", tmp_path / "pred"
    for folder in (gt, pred):
        folder.mkdir()
        (folder / "good.krn").write_text(GOOD)
        (folder / "typo.krn").write_text(TYPO)
    (gt / "more.krn").write_text(GOOD)
    return gt, pred


def test_the_rest_is_imported_and_the_unreadable_one_marked(folders: tuple[Path, Path]) -> None:
    gt, pred = folders
    bench = load_benchmark(gt, [("omr", pred)], ReadOptions(kind="kern"))
    assert [i.id for i in bench.items] == ["good", "more", "typo"]
    marks = {i.id: dict(i.meta).get(UNREADABLE_REFERENCE) for i in bench.items}
    assert marks == {"good": None, "more": None, "typo": REASON}
    assert (f"{gt / 'typo.krn'}:9: not a readable **kern score: 'p' in a record of barline "
            "tokens; imported and marked unreadable") in bench.warnings
    assert any(w.startswith(f"{gt}: 1 of 3 references are not readable") for w in bench.warnings)


def test_refuse_stops_at_the_unreadable_reference(folders: tuple[Path, Path]) -> None:
    gt, _ = folders
    with pytest.raises(InputError, match="barline tokens") as caught:
        load_benchmark(gt, [], ReadOptions(kind="kern", unreadable="refuse"))
    assert (caught.value.path, caught.value.line) == (str(gt / "typo.krn"), 9)


def test_a_table_row_is_marked_with_its_record(tmp_path: Path) -> None:
    table = tmp_path / "smb.jsonl"
    table.write_text(json.dumps({"id": "p1", "kern": GOOD}) + "\n"
                     + json.dumps({"id": "p2", "kern": TYPO, "split": "test"}) + "\n")
    bench = load_benchmark(table, [], ReadOptions(kind="kern"))
    assert dict(bench.items[1].meta) == {"split": "test", UNREADABLE_REFERENCE: REASON}
    assert any(w.startswith(f"{table} (record 'p2'), line 9 of its kern: not a readable")
               for w in bench.warnings)


def test_cli_imports_the_rest_and_show_lists_the_mark(folders: tuple[Path, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    gt, pred = folders
    db = tmp_path / "smb.db"
    assert main(["import", str(db), str(gt), "--kind", "kern", "--pred", f"omr={pred}"]) == 0
    err = capsys.readouterr().err
    assert f"{gt / 'typo.krn'}:9: not a readable **kern score" in err
    assert main(["show", str(db), "typo"]) == 0
    assert f"unreadable reference: {REASON}" in capsys.readouterr().out
    assert main(["show", str(db), "good"]) == 0
    assert "unreadable reference" not in capsys.readouterr().out


def test_cli_refuse_leaves_no_project(folders: tuple[Path, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    gt, _ = folders
    db = tmp_path / "smb.db"
    assert main(["import", str(db), str(gt), "--kind", "kern", "--unreadable", "refuse"]) == 1
    assert f"{gt / 'typo.krn'}:9: not a readable **kern score" in capsys.readouterr().err
    assert not db.exists()
