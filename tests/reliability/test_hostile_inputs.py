"""Hostile inputs and the limits on what they can make reviewer do (issue 14: findings 2, 11,
12, 13 and the JSON part of 21).

A downloaded benchmark may ship symbolic links where reviewer writes embedded images, name a
FIFO or a device as its media, carry a WAV header no recording has, hold a kern pair that
keeps musicdiff busy for ever, a line of a million characters, a Parquet file of a few
kilobytes that decodes to gigabytes, or JSON numbers and nesting Python refuses. Each must end
in a clear message naming the file (and the line or row), never in a write outside the
benchmark, a hang, a traceback or a machine out of memory.

Modules new with these limits are imported inside the tests that need them, so that every
other test here runs (and fails) against the code before them too.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.cli import main as cli_main
from reviewer.core.errors import InputError
from reviewer.core.items import Benchmark, Item
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
REPO = Path(__file__).resolve().parents[2]


# -- finding 2: images embedded in a Parquet table ---------------------------------------------

def parquet_with_images(path: Path, ids: tuple[str, ...] = ("a", "b")) -> Path:
    """A table whose ``image`` column holds each row's file as dataset hubs store it."""
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": list(ids), "gt": ["x"] * len(ids),
                  "image": [{"bytes": PNG, "path": f"{i}.png"} for i in ids]}).to_parquet(path)
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A folder standing for the user's home, with a file a hostile dataset aims at."""
    home = tmp_path / "victim"
    home.mkdir()
    (home / ".profile").write_text("the user's own\n", encoding="utf-8")
    return home


def untouched(home: Path) -> bool:
    return (sorted(p.name for p in home.iterdir()) == [".profile"]
            and (home / ".profile").read_text(encoding="utf-8") == "the user's own\n")


def test_a_shipped_symlink_in_place_of_the_images_folder_is_refused(
        tmp_path: Path, victim: Path) -> None:
    table = parquet_with_images(tmp_path / "dl" / "t.parquet")
    (tmp_path / "dl" / "t_images").symlink_to(victim, target_is_directory=True)
    with pytest.raises(InputError) as caught:
        load_benchmark(table, [], ReadOptions())
    assert str(caught.value).startswith(str(tmp_path / "dl" / "t_images"))
    assert "symbolic link" in str(caught.value)
    assert untouched(victim)


def test_import_never_writes_through_a_shipped_symlink_at_an_image_name(
        tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = parquet_with_images(tmp_path / "dl" / "t.parquet")
    (tmp_path / "dl" / "t_images").mkdir()
    (tmp_path / "dl" / "t_images" / "000001_a.png").symlink_to(victim / ".profile")
    assert cli_main(["import", str(tmp_path / "p.db"), str(table)]) == 1
    assert "000001_a.png" in capsys.readouterr().err
    assert untouched(victim)
    assert not (tmp_path / "p.db").exists()


def test_a_failing_read_removes_the_images_it_extracted_and_only_those(tmp_path: Path) -> None:
    table = parquet_with_images(tmp_path / "t.parquet", ids=("a", "b", "a"))  # duplicate id
    with pytest.raises(InputError, match="duplicate id"):
        load_benchmark(table, [], ReadOptions())
    assert not (tmp_path / "t_images").exists()
    (tmp_path / "t_images").mkdir()
    (tmp_path / "t_images" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id"):
        load_benchmark(table, [], ReadOptions())
    assert [p.name for p in (tmp_path / "t_images").iterdir()] == ["notes.txt"]


def test_a_failing_import_removes_the_images_it_extracted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = parquet_with_images(tmp_path / "dl" / "t.parquet")
    not_a_project = tmp_path / "folder.db"
    not_a_project.mkdir()  # the import fails after the table was read
    assert cli_main(["import", str(not_a_project), str(table)]) == 1
    assert capsys.readouterr().err
    assert not (tmp_path / "dl" / "t_images").exists()


def test_a_relative_table_path_gives_media_paths_that_exist(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parquet_with_images(tmp_path / "work" / "dl" / "t.parquet")
    monkeypatch.chdir(tmp_path / "work")
    bench = load_benchmark(Path("dl/t.parquet"), [], ReadOptions())
    folder = tmp_path / "work" / "dl" / "t_images"
    assert [i.media for i in bench.items] == [(folder / "000001_a.png").as_posix(),
                                             (folder / "000002_b.png").as_posix()]
    assert all(Path(i.media or "").read_bytes() == PNG for i in bench.items)
    assert not bench.warnings  # no "media files do not exist"


# -- finding 11: media that would hang or crash the window -------------------------------------

@contextlib.contextmanager
def fifo_at(path: Path) -> Iterator[Path]:
    """A named pipe at ``path``; a reader blocked on it is let go at the end."""
    os.mkfifo(path)
    try:
        yield path
    finally:
        for _ in range(50):  # open for writing succeeds only while a reader waits
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                if QThreadPool.globalInstance().waitForDone(100):
                    break


def test_an_image_naming_a_fifo_is_refused_and_the_view_finishes(
        qtbot: QtBot, tmp_path: Path) -> None:
    from tests.reliability.test_hostile import media_view

    with fifo_at(tmp_path / "page.png") as fifo:
        bench = Benchmark("text", [Item("first", "x"), Item("pipe", "y", str(fifo))],
                          {"s": {"first": "x", "pipe": "y"}})
        with media_view(qtbot, tmp_path, bench) as (session, view):
            with qtbot.waitSignal(view.loaded, timeout=10_000):
                session.set_current_item("pipe")
            assert not view.has_image()
            assert view.status_text() == (f"Cannot show {fifo}: it is a named pipe (FIFO), "
                                          "not a regular file")
            assert QThreadPool.globalInstance().waitForDone(5_000)


def test_audio_naming_a_fifo_is_refused_and_nothing_waits_on_it(
        qtbot: QtBot, tmp_path: Path) -> None:
    from reviewer.gui.kinds.asr.audio_player import AudioPlayer

    with fifo_at(tmp_path / "clip.wav") as fifo:
        player = AudioPlayer()
        qtbot.addWidget(player)
        with qtbot.waitSignal(player.loaded, timeout=10_000):
            player.set_source(str(fifo))
        assert player.waveform.message == (f"Cannot play {fifo}: it is a named pipe (FIFO), "
                                           "not a regular file")
        assert not player.play_button.isEnabled()
        assert QThreadPool.globalInstance().waitForDone(5_000)


def wav_bytes(rate: int, channels: int = 1, width: int = 2, frames: int = 10) -> bytes:
    """A PCM WAV file whose header says ``rate``, ``channels`` and ``width`` as given."""
    fmt = struct.pack("<HHIIHH", 1, channels, rate, (rate * channels * width) & 0xFFFFFFFF,
                      (channels * width) & 0xFFFF, 8 * width)
    data = b"\0" * (frames * max(channels, 1) * width)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(data)) + data)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(("rate", "channels", "said"), [
    (0, 1, "a sample rate of 0 per second"),
    (4_000_000_000, 1, "a sample rate of 4,000,000,000 per second"),
    (8_000, 0, "channels"),
])
def test_a_wav_header_no_recording_has_gives_a_clear_message(
        qtbot: QtBot, tmp_path: Path, rate: int, channels: int, said: str) -> None:
    from reviewer.gui.kinds.asr.audio_player import AudioPlayer
    from reviewer.gui.tasks import task_errors

    wav = tmp_path / "odd.wav"
    wav.write_bytes(wav_bytes(rate, channels))
    unexpected: list[str] = []
    task_errors().failed.connect(unexpected.append)
    player = AudioPlayer()
    qtbot.addWidget(player)
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.set_source(str(wav))
    assert player.waveform.message.startswith("cannot read odd.wav as WAV: ")
    assert said in player.waveform.message
    assert unexpected == []  # never "Unexpected error: ZeroDivisionError"
    assert QThreadPool.globalInstance().waitForDone(5_000)


def test_an_image_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    from reviewer.gui.media_view import decode_image

    huge = tmp_path / "scan.png"
    with open(huge, "wb") as fh:
        fh.truncate(600 << 20)  # sparse: no disk used
    image, message, _ = decode_image(str(huge))
    assert image is None
    assert message == f"Cannot show {huge}: it is 600 MB, more than the limit of 512 MB"


# -- finding 12: OMR-NED per pair under a time and a memory limit -------------------------------

GT = "**kern\n*clefG2\n*M4/4\n=1\n4c\n8dL\n8eJ\n4f#\n==\n*-"


def test_an_omr_ned_pair_over_its_limits_is_not_computed_and_the_rest_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.core import limits
    from reviewer.core.kern import omr_ned
    from reviewer.store.omr_ned import fill, pending_pairs
    from reviewer.store.scores import score_project

    # musicdiff's stand-in: "hang" never returns, "hog" asks for 8 GB (hostile_pairs.py)
    monkeypatch.setattr(omr_ned, "COMPARE", "tests.reliability.hostile_pairs:compare")
    monkeypatch.setattr(limits, "OMR_NED_SECONDS", 5.0)
    monkeypatch.setattr(limits, "OMR_NED_MEMORY", 1 << 30)
    bench = Benchmark("kern", [Item("ok", GT), Item("slow", GT), Item("big", GT)],
                      {"smt": {"ok": GT.replace("4c", "4d"), "slow": "hang", "big": "hog"}})
    with Project(tmp_path / "smb.db", create=True) as project:
        import_benchmark(project, bench, workers=1)
        report = fill(project, workers=2)
        assert (report.computed, report.failed) == (3, 2)
        omr = {item: json.loads(extra)["omr"] for item, extra in project.db.execute(
            "SELECT item_id, extra FROM alignments")}
        assert omr["ok"]["error"] == "" and omr["ok"]["ed"] == 1
        assert omr["slow"]["error"] == "not computed: took longer than 5 s"
        assert omr["big"]["error"] == "not computed: exceeded the memory limit of 1,024 MB"
        # No number is made up for them, and they are not cached as results.
        status = score_project(project)["systems"][0]
        assert status["omr_ned_status"]["failed"] == 2
        assert status["metrics"]["omr_ned"]["value"] == pytest.approx(1 / 4)
        assert project.db.execute("SELECT count(*) FROM omr_ned_cache").fetchone()[0] == 1
        # Not tried again under the same limit; tried again under a longer one.
        assert pending_pairs(project) == []
        assert fill(project).computed == 0
        again = pending_pairs(project, timeout=10.0)
        assert sorted(p.prediction for p in again) == ["hang", "hog"]


def disjoint_score(pitches: list[str], notes: int) -> str:
    """A one-staff **kern score of ``notes`` quarter notes cycling through ``pitches``."""
    lines = ["**kern", "*clefG2", "*M4/4"]
    for k in range(notes):
        if k % 4 == 0:
            lines.append(f"={k // 4 + 1}")
        lines.append(f"4{pitches[k % len(pitches)]}")
    return "\n".join([*lines, "==", "*-"])


def test_real_musicdiff_on_a_disjoint_pair_stops_at_the_time_limit() -> None:
    """The pair the review found (200 notes, nothing in common: about a minute in musicdiff)
    is stopped by the limit and reported as not computed, with no number."""
    from reviewer.core.kern.omr_ned import NOT_COMPUTED, compute_many

    reference = disjoint_score(["c", "d", "e", "f", "g", "a", "b", "cc"], 200)
    prediction = disjoint_score(["BB-", "GG#", "FF", "EE-"], 200)
    [(key, result)] = list(compute_many([("pair", (reference, prediction))], timeout=8))
    assert key == "pair"
    assert result.error == f"{NOT_COMPUTED} took longer than 8 s"
    assert (result.ed, result.gt_symbols, result.pred_symbols) == (0, 0, 0)


# -- finding 13: huge lines and Parquet bombs ----------------------------------------------------

def test_a_disjoint_pair_of_a_million_characters_is_never_aligned_in_quadratic_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No exact alignment is asked for more than 10^10 cells (the work, not the clock)."""
    from rapidfuzz.distance import Levenshtein

    from reviewer.core.evaluate import score_pair

    cells: list[int] = []

    def counted(real: Any, banded: bool) -> Any:
        def run(a: Any, b: Any, **kw: Any) -> Any:
            cutoff = kw.get("score_cutoff") if banded else kw.get("score_hint")
            work = len(a) * len(b) if cutoff is None else min(
                len(a) * len(b), cutoff * max(len(a), len(b)))
            cells.append(work)
            assert work <= 10 ** 10, f"an exact alignment of {len(a):,} × {len(b):,} units"
            return real(a, b, **kw)
        return run

    monkeypatch.setattr(Levenshtein, "opcodes", counted(Levenshtein.opcodes, False))
    monkeypatch.setattr(Levenshtein, "distance", counted(Levenshtein.distance, True))
    n = 1_000_000
    text = score_pair("a" * n, "b" * n)
    assert (text.main_errors, text.main_units, text.main_s) == (n, n, n)
    words = " ".join(f"w{k}" for k in range(n // 8))
    near = words.replace("w77 ", "w78 ").replace("w4242 ", "")
    text = score_pair(words, near)
    assert (text.second_s, text.second_d, text.second_i) == (1, 1, 0)
    asr = score_pair("a" * n, "b" * n, kind="asr")
    assert (asr.main_errors, asr.second_errors) == (1, n)


# The child's own peak: its VmHWM (Linux), which starts anew at exec. ru_maxrss does not: a
# child reports the forking test process's size (over 1 GB late in a full run).
PEAK_MB = textwrap.dedent("""
    def peak_mb():
        import resource
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) // 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
""")


def write_parquet_bomb(path: Path, rows: int, cell: int) -> None:
    """``rows`` references to one string of ``cell`` characters: tiny on disk, huge decoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    gt = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["a" * cell]))
    pq.write_table(pa.table({"id": [f"r{k}" for k in range(rows)], "gt": gt}), path,
                   compression="zstd", store_schema=False)


def test_a_parquet_bomb_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    bomb = tmp_path / "bench.parquet"
    write_parquet_bomb(bomb, rows=1000, cell=1_600_000)  # 1.6 GB decoded
    assert bomb.stat().st_size < 60_000
    script = PEAK_MB + textwrap.dedent(f"""
        from pathlib import Path
        from reviewer.core.errors import InputError
        from reviewer.formats.load import load_benchmark
        from reviewer.formats.registry import ReadOptions
        try:
            load_benchmark(Path({str(bomb)!r}), [], ReadOptions())
        except InputError as exc:
            print(exc)
        print(peak_mb())
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=600, check=True)
    *said, peak_mb = done.stdout.strip().split("\n")
    message = "\n".join(said)
    assert message.startswith(f"{bomb}: by row "), "the bomb was read"
    assert "it decodes to more than 256 MB" in message
    assert int(peak_mb) < 1024  # the 1.6 GB were never built


@pytest.mark.parametrize("nested", [False, True])
def test_a_parquet_cell_over_the_limit_is_refused_naming_the_row(
        tmp_path: Path, nested: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "bench.parquet"
    long = "y" * 10_000_001
    columns: dict[str, Any] = {"id": ["a", "b"], "gt": ["x", "x" if nested else long]}
    if nested:
        columns["boxes"] = pa.array([[long] * 30, []], pa.list_(pa.string()))
    pq.write_table(pa.table(columns), path, compression="zstd")
    with pytest.raises(InputError) as caught:
        load_benchmark(path, [], ReadOptions())
    if nested:  # 300 MB of list items in a 30 KB file
        assert "it decodes to more than 256 MB" in str(caught.value)
    else:
        assert str(caught.value) == (f"{path}: row 2: the cell of column 'gt' holds "
                                     "10,000,001 characters, more than the limit of 10,000,000")


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_a_text_cell_over_the_limit_is_refused_naming_the_line(tmp_path: Path,
                                                               suffix: str) -> None:
    path = tmp_path / f"bench{suffix}"
    long = "y" * 10_000_001
    if suffix == ".jsonl":
        path.write_text(json.dumps({"id": "a", "gt": "x"}) + "\n"
                        + json.dumps({"id": "b", "gt": long}) + "\n", encoding="utf-8")
    else:
        sep = "," if suffix == ".csv" else "\t"
        path.write_text(f"id{sep}gt\na{sep}x\nb{sep}{long}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_benchmark(path, [], ReadOptions())
    line = 2 if suffix == ".jsonl" else 3
    assert str(caught.value).startswith(f"{path}:{line}: a cell holds ")
    assert "more than" in str(caught.value) and "10,000,000" in str(caught.value)


# -- finding 21 (JSON): numbers and nesting Python refuses -----------------------------------------

def test_a_jsonl_integer_of_more_than_4300_digits_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bench.jsonl"
    path.write_text('{"id": "a", "gt": "x"}\n{"id": "b", "gt": "y", "n": ' + "7" * 5000
                    + "}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_benchmark(path, [], ReadOptions())
    assert str(caught.value) == (f"{path}:2: a number has more digits than reviewer reads "
                                 "(4,300)")


@pytest.mark.parametrize("cell", ["[" * 100_000 + "]" * 100_000, "[" + "9" * 5000 + "]"])
def test_a_choice_options_cell_python_cannot_parse_is_a_one_line_error(
        tmp_path: Path, cell: str) -> None:
    path = tmp_path / "mmlu.jsonl"
    path.write_text(json.dumps({"id": "q1", "question": "Why?", "choices": cell,
                                "answer": "A"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_benchmark(path, [], ReadOptions(kind="choice"))
    assert str(caught.value).startswith(str(path))
    assert "options" in str(caught.value)


def test_label_probabilities_nested_too_deeply_are_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "digits.jsonl"
    path.write_text(json.dumps({"id": "i1", "label": "cat", "probs_cnn": "[" * 100_000
                                + "]" * 100_000}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_benchmark(path, [], ReadOptions(kind="label"))
    assert str(caught.value).startswith(str(path))
    assert "JSON probabilities" in str(caught.value)


def test_a_fifo_in_a_benchmark_folder_is_named_and_never_waited_on(tmp_path: Path) -> None:
    """A paired-file folder whose ground truth is a named pipe: the import refuses it at once
    (a blocking read would wait for ever for a writer that never comes)."""
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "a.gt.txt").write_text("one\n", encoding="utf-8")
    (folder / "a.tess.txt").write_text("one\n", encoding="utf-8")
    os.mkfifo(folder / "b.gt.txt")
    (folder / "b.tess.txt").write_text("two\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from reviewer.core.errors import InputError
        from reviewer.formats.load import load_benchmark
        from reviewer.formats.registry import ReadOptions
        try:
            load_benchmark(Path({str(folder)!r}), [], ReadOptions())
        except InputError as exc:
            print(exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=True)
    assert "b.gt.txt" in done.stdout and "named pipe (FIFO)" in done.stdout, done.stdout
