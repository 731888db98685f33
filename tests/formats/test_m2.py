"""M2 files in and out, and parallel GEC text through ERRANT (MANIFEST §4)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.core.gec import parse_block
from reviewer.formats import gec_text
from reviewer.formats.load import load_benchmark
from reviewer.formats.m2 import parse_m2, write_m2
from reviewer.formats.registry import ReadOptions, detect, read
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.formats.conftest import FIXTURES, Write

GEC = FIXTURES / "gec-errant"
# The bundled demo: its parallel text and the M2 files ERRANT 3.0.2 made from it.
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "gec"
GOLD = ReadOptions(kind="gec")


def errant_ready() -> None:
    """Skip (saying why) where ERRANT or a spaCy English model is not installed."""
    if importlib.util.find_spec("errant") is None:
        pytest.skip("ERRANT (the optional gec extra) is not installed")
    if not any(importlib.util.find_spec(m) for m in gec_text.MODELS):
        pytest.skip(f"no spaCy English model installed (one of {', '.join(gec_text.MODELS)})")


def edit_rows(path: Path) -> list[list[object]]:
    """``[sentence, annotator, span, type, correction]`` of every edit, read by reviewer."""
    items = read(path, GOLD).items
    rows: list[list[object]] = []
    for item in items:
        for e in parse_block(item.reference)[1]:
            rows.append([f"S{item.id}", e.annotator, f"{e.start} {e.end}", e.type,
                         e.correction])
    return rows


def test_errant_demo_edits_and_types(peer_fixtures: Path) -> None:
    expected = json.loads((GEC / "expected.json").read_text())["demo"]["out.m2_upstream"]
    assert detect(GEC / "out.m2").name == "m2"
    rows = edit_rows(GEC / "out.m2")
    assert rows == expected["edits"]
    assert sum(1 for r in rows if r[1] == 0 and r[3] != "noop") == expected["edits_annotator0"]
    assert sum(1 for r in rows if r[1] == 1 and r[3] != "noop") == expected["edits_annotator1"]
    items = read(GEC / "out.m2", GOLD).items
    assert [i.id for i in items] == ["1", "2", "3", "4"]
    assert dict(items[2].meta)["source"].startswith("Let us discuss about all softwares")
    rerun = edit_rows(GEC / "out.errant-3.0.2.m2")
    changed = [(a, b) for a, b in zip(rows, rerun, strict=True) if a != b]
    assert changed == [(["S3", 0, "3 4", "U:ADV", ""], ["S3", 0, "3 4", "U:PREP", ""])]


def test_readme_example_keeps_the_second_annotators_noop(peer_fixtures: Path) -> None:
    readme = json.loads((GEC / "expected.json").read_text())["readme_example"]
    (item,) = read(GEC / "readme_example.m2", GOLD).items
    source, found = parse_block(item.reference)
    assert source == readme["orig"]
    assert [(e.start, e.end, e.type, e.correction) for e in found if e.annotator == 0] == [
        (x["o_start"], x["o_end"], x["type"], x["c_str"]) for x in readme["edits"]]
    assert [(e.annotator, e.is_noop) for e in found if e.annotator == 1] == [(1, True)]


def test_writing_gives_back_the_same_file(peer_fixtures: Path, tmp_path: Path) -> None:
    for name in ("out.m2", "cor1.errant-3.0.2.m2", "readme_example.m2"):
        items = read(GEC / name, GOLD).items
        write_m2(tmp_path / name, [(i.id, i.reference) for i in items])
        assert (tmp_path / name).read_text() == (GEC / name).read_text()


def test_a_system_m2_is_read_as_its_edits(peer_fixtures: Path) -> None:
    bench = load_benchmark(GEC / "out.m2", [("cor2", GEC / "cor2.errant-3.0.2.m2")], GOLD)
    assert bench.source_format == "m2"
    assert bench.predictions["cor2"]["1"] == (
        "A 0 1|||R:DET|||These|||REQUIRED|||-NONE-|||0\n"
        "A 2 3|||U:DET||||||REQUIRED|||-NONE-|||0")
    assert bench.predictions["cor2"]["4"] == "A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0"


def test_content_detection(write: Write) -> None:
    m2 = write("gold.txt", "S A b .\nA 0 1|||R:DET|||The|||REQUIRED|||-NONE-|||0\n\n")
    assert detect(m2).name == "m2"
    plain = write("orig.txt", "S is a letter .\nAnother line .\n")
    assert detect(plain).name != "m2"


@pytest.mark.parametrize(("content", "line", "message"), [
    ("A 0 1|||R:DET|||The|||REQUIRED|||-NONE-|||0\n", 1, "before any S"),
    ("S a b\nA 0 1|||R:DET|||The\n", 2, "6 fields"),
    ("S a b\nA 1 3|||R:DET|||x|||REQUIRED|||-NONE-|||0\n", 2, "ends past the sentence's 2"),
    ("S a b\nS c d\n", 2, "without a blank line"),
    ("S a b\nwhat\n", 2, "expected an S or A line"),
])
def test_bad_m2_names_the_line(write: Write, content: str, line: int, message: str) -> None:
    path = write("bad.m2", content)
    with pytest.raises(InputError, match=message) as caught:
        read(path, GOLD)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_empty_and_wrong_kind_are_refused(write: Write) -> None:
    with pytest.raises(InputError, match="no sentences"):
        read(write("empty.m2", "\n\n"), GOLD)
    with pytest.raises(InputError, match="--kind gec"):
        read(write("ok.m2", "S a\n\n"), ReadOptions(kind="text"))


def test_a_system_must_have_the_references_sentences(write: Write) -> None:
    gold = write("gold.m2", "S a b\n\nS c d\n\n")
    short = write("short.m2", "S a b\n\n")
    with pytest.raises(InputError, match="has 1 sentences, the reference has 2"):
        load_benchmark(gold, [("sys", short)], GOLD)
    other = write("other.m2", "S a b\n\nS c e\n\n")
    with pytest.raises(InputError, match="sentence 2 is not the reference's") as caught:
        load_benchmark(gold, [("sys", other)], GOLD)
    assert caught.value.line == 3


def test_a_sentence_without_edits_is_kept_empty(write: Write, tmp_path: Path) -> None:
    path = write("bare.m2", "S no edits here\n\nS a b\nA 0 1|||R:X|||c|||REQUIRED|||-NONE-|||0\n")
    items = read(path, GOLD).items
    assert [i.reference for i in items] == [
        "S no edits here", "S a b\nA 0 1|||R:X|||c|||REQUIRED|||-NONE-|||0"]
    write_m2(tmp_path / "out.m2", [(i.id, i.reference) for i in items])
    assert [s.edits for s in parse_m2(tmp_path / "out.m2")] == [s.edits for s in parse_m2(path)]


def test_writing_refuses_a_reference_that_is_not_m2(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an M2 block") as caught:
        write_m2(tmp_path / "x.m2", [("7", "just text")])
    assert caught.value.record == "7"
    assert not (tmp_path / "x.m2").exists()


def test_line_separators_inside_a_sentence_are_not_line_ends(write: Write,
                                                             tmp_path: Path) -> None:
    # ERRANT ends an M2 line at "\n" only; str.splitlines also split at U+000B, U+0085 and
    # U+2028, so reading, scoring (parse_block) and writing broke such sentences apart.
    block = "S a\x0bb\u2028c\nA 1 2|||R:X|||d\x85e|||REQUIRED|||-NONE-|||0"
    gold = write("gold.m2", block + "\n\n")
    system = write("sys.m2", "S a\x0bb\u2028c\nA 0 1|||R:X|||f|||REQUIRED|||-NONE-|||0\n")
    bench = load_benchmark(gold, [("sys", system)], GOLD)
    assert [i.reference for i in bench.items] == [block]
    assert parse_block(block)[1][0].correction == "d\x85e"
    project = Project(tmp_path / "p.db", create=True)
    try:
        import_benchmark(project, bench, workers=1)
        assert project.db.execute("SELECT count(*) FROM alignments").fetchone()[0] == 1
    finally:
        project.close()
    write_m2(tmp_path / "out.m2", [(i.id, i.reference) for i in bench.items])
    assert (tmp_path / "out.m2").read_bytes() == gold.read_bytes()


# -- parallel text ---------------------------------------------------------------------------
def test_parallel_text_without_errant_says_so_in_one_line(
        write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    orig = write("orig.txt", "This are wrong .\n")
    cor = write("cor.txt", "This is wrong .\n")
    monkeypatch.setattr(gec_text, "MODELS", ("no_such_model_installed",))
    monkeypatch.delenv(gec_text.MODEL_VARIABLE, raising=False)
    with pytest.raises(InputError) as caught:
        read(orig, ReadOptions(kind="gec", ref_text=cor))
    message = str(caught.value)
    assert "\n" not in message
    assert "not installed" in message and "import M2 files instead" in message


def test_parallel_text_needs_the_corrected_side_and_line_parallel_files(write: Write) -> None:
    orig = write("orig.txt", "one .\ntwo .\n")
    with pytest.raises(InputError, match="--ref-text"):
        read(orig, ReadOptions(kind="gec"))
    cor = write("cor.txt", "one .\n")
    with pytest.raises(InputError, match=r"has 1 lines, .* has 2"):
        read(orig, ReadOptions(kind="gec", ref_text=cor))
    with pytest.raises(InputError, match="--kind gec"):
        read(orig, ReadOptions(kind="text"))


def test_parallel_text_reproduces_the_bundled_demo_errant_made() -> None:
    # Runs wherever ERRANT and a spaCy model are installed: no peer fixtures needed.
    errant_ready()
    loaded = read(DEMO / "orig.txt", ReadOptions(kind="gec", ref_text=DEMO / "gold.cor.txt"))
    first_annotator = [[e for e in s.edits if e.annotator == 0] for s in parse_m2(DEMO / "gold.m2")]
    assert [parse_block(i.reference)[1] for i in loaded.items] == first_annotator
    systems = [(name, DEMO / f"{name}.txt") for name in ("careful", "eager")]
    bench = load_benchmark(DEMO / "gold.m2", systems, GOLD)
    for name, _ in systems:
        expected = [list(s.edits) for s in parse_m2(DEMO / f"{name}.m2")]
        assert [parse_block(bench.predictions[name][i.id])[1] for i in bench.items] == expected


@pytest.mark.slow
def test_parallel_text_reproduces_errant_parallel(peer_fixtures: Path) -> None:
    errant_ready()
    loaded = read(GEC / "orig.txt", ReadOptions(kind="gec", ref_text=GEC / "cor1.txt"))
    expected = [list(s.edits) for s in parse_m2(GEC / "cor1.errant-3.0.2.m2")]
    assert [parse_block(i.reference)[1] for i in loaded.items] == expected
    assert [dict(i.meta)["line"] for i in loaded.items] == ["1", "2", "3", "4"]
    readme = read(GEC / "readme_example.orig.txt",
                  ReadOptions(kind="gec", ref_text=GEC / "readme_example.cor.txt")).items
    want = parse_m2(GEC / "readme_example.m2")[0].edits[:3]
    assert [parse_block(i.reference)[1] for i in readme] == [list(want)]


@pytest.mark.slow
def test_system_text_against_text_or_m2_gold(peer_fixtures: Path) -> None:
    errant_ready()
    cor2 = [s.edits for s in parse_m2(GEC / "cor2.errant-3.0.2.m2")]
    from_text = load_benchmark(GEC / "orig.txt", [("cor2", GEC / "cor2.txt")],
                               ReadOptions(kind="gec", ref_text=GEC / "cor1.txt"))
    from_m2 = load_benchmark(GEC / "cor1.errant-3.0.2.m2", [("cor2", GEC / "cor2.txt")], GOLD)
    for bench in (from_text, from_m2):
        got = [parse_block(bench.predictions["cor2"][str(k)])[1] for k in range(1, 5)]
        assert got == [list(e) for e in cor2]
    with pytest.raises(InputError, match="has 4 lines, the reference has 1 sentences"):
        load_benchmark(GEC / "readme_example.m2", [("x", GEC / "cor2.txt")], GOLD)


def test_parallel_text_lines_end_at_line_feeds_only(tmp_path: Path) -> None:
    from reviewer.formats.gec_text import file_lines

    path = tmp_path / "orig.txt"
    path.write_bytes("one\u2028still one\r\ntwo\x0bstill two\n\n \n".encode())
    assert file_lines(path) == ["one\u2028still one", "two\x0bstill two"]
