"""asr readers (trn, stm/ctm, Kaldi, tables) and the peer values they must reproduce.

fastwer/jiwer (../shared/fixtures/asr-fastwer) and fstalign's text cases
(../shared/fixtures/asr-fstalign, the jiwer column: lower-cased, no punctuation removal,
which is the ``lower`` preset) are read through each asr format, imported and scored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, detect
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project

ASR = ReadOptions(kind="asr")


def imported(tmp_path: Path, ref: Path, preds: list[tuple[str, Path]], preset: str,
             mode: str = "grapheme", options: ReadOptions = ASR) -> Project:
    bench = load_benchmark(ref, preds, options)
    project = Project(tmp_path / f"p{len(list(tmp_path.glob('p*.db')))}.db", create=True)
    import_benchmark(project, bench, normalize=preset, char_mode=mode)  # type: ignore[arg-type]
    return project


# -- fastwer / jiwer ---------------------------------------------------------------------------
@pytest.mark.slow
def test_fastwer_corpus_through_trn(peer_fixtures: Path, tmp_path: Path) -> None:
    folder = peer_fixtures / "asr-fastwer"
    expected = json.loads((folder / "expected.json").read_text())
    assert detect(folder / "ref.trn").name == "trn"
    with imported(tmp_path, folder / "ref.trn", [("hyp", folder / "hypo.trn")], "none",
                  "codepoint") as project:
        report = score_project(project, resamples=20)
    (system,) = report["systems"]
    assert report["normalize"] == "none" and system["items_scored"] == 10_000
    wer, cer = system["metrics"]["wer"], system["metrics"]["cer"]
    words, chars = expected["corpus_words"], expected["corpus_chars"]
    assert (wer["errors"], wer["units"]) == (56_194, 141_650)
    assert (wer["substitutions"], wer["deletions"], wer["insertions"], wer["hits"]) == (
        words["substitutions"], words["deletions"], words["insertions"], words["hits"])
    assert wer["value"] == words["wer_exact"]
    assert (cer["errors"], cer["units"]) == (168_678, 752_610)
    assert (cer["substitutions"], cer["deletions"], cer["insertions"], cer["hits"]) == (
        chars["substitutions"], chars["deletions"], chars["insertions"], chars["hits"])
    assert cer["value"] == chars["cer_exact"]
    assert "speakers" not in system  # ids 0-0, 1-0, ... name no speakers


def test_fastwer_first_lines_in_grapheme_mode(peer_fixtures: Path, tmp_path: Path) -> None:
    """Graphemes and code points agree on this data; the per-line jiwer values hold."""
    folder = peer_fixtures / "asr-fastwer"
    expected = json.loads((folder / "expected.json").read_text())["first_three_lines"]
    ref = tmp_path / "ref.trn"
    hyp = tmp_path / "hyp.trn"
    ref.write_text("".join((folder / "ref.trn").read_text().splitlines(True)[:3]))
    hyp.write_text("".join((folder / "hypo.trn").read_text().splitlines(True)[:3]))
    with imported(tmp_path, ref, [("hyp", hyp)], "none") as project:
        for line in expected:
            c = project.alignment_row("hyp", line["utt_id"].strip("()")).counts
            assert [c.main_s, c.main_d, c.main_i] == line["word_S_D_I_H"][:3]
            assert c.main_units - c.main_s - c.main_d == line["word_S_D_I_H"][3]
            assert [c.second_s, c.second_d, c.second_i] == line["char_S_D_I_H"][:3]
            assert c.second_errors / c.second_units == pytest.approx(line["cer"], abs=1e-6)


# -- fstalign's text cases, converted to each format ---------------------------------------------
def fstalign_cases(root: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``(item id, reference, hypothesis, jiwer values)`` of every case."""
    folder = root / "asr-fstalign"
    cases = json.loads((folder / "expected.json").read_text())["cases"]
    out = []
    for k, case in enumerate(cases):
        ref = " ".join((folder / case["ref"]).read_text(encoding="utf-8").split())
        hyp = " ".join((folder / case["hyp"]).read_text(encoding="utf-8").split())
        name = re.sub(r"\W+", "_", case["case"]).strip("_")
        out.append((f"utt{k:02d}_{name}", ref, hyp, case["jiwer_plain"]))
    return out


def check_jiwer(project: Project, cases: list[tuple[str, str, str, dict[str, Any]]],
                ids: dict[str, str] | None = None) -> None:
    for utt, _, _, want in cases:
        c = project.alignment_row("sys", (ids or {}).get(utt, utt)).counts
        got = {"errors": c.main_errors, "ref_words": c.main_units, "INS": c.main_i,
               "DEL": c.main_d, "SUB": c.main_s}
        assert got == {k: want[k] for k in got}, utt


def test_fstalign_cases_through_trn(peer_fixtures: Path, tmp_path: Path) -> None:
    cases = fstalign_cases(peer_fixtures)
    ref, hyp = tmp_path / "ref.trn", tmp_path / "hyp.trn"
    ref.write_text("".join(f"{r} ({u})\n" for u, r, _, _ in cases), encoding="utf-8")
    hyp.write_text("".join(f"{h} ({u})\n" for u, _, h, _ in cases), encoding="utf-8")
    with imported(tmp_path, ref, [("sys", hyp)], "lower") as project:
        check_jiwer(project, cases)
        # jiwer's report for the empty reference: WER = insertions (3); ours is undefined
        rows = {r.item_id: r for r in project.alignment_rows()}
        empty = rows[next(u for u, r, _, _ in cases if not r)].counts
        assert (empty.main_errors, empty.main_units) == (3, 0)


def test_fstalign_lower_preset_is_the_jiwer_column(peer_fixtures: Path, tmp_path: Path) -> None:
    """Without lower-casing wer_utf gives 4 errors; punctuation removal changes syn_10."""
    cases = {u.split("_", 1)[1]: (r, h) for u, r, h, _ in fstalign_cases(peer_fixtures)}
    ref, hyp = tmp_path / "ref.trn", tmp_path / "hyp.trn"
    ref.write_text(f"{cases['wer_utf'][0]} (u1)\n{cases['syn_10'][0]} (u2)\n")
    hyp.write_text(f"{cases['wer_utf'][1]} (u1)\n{cases['syn_10'][1]} (u2)\n")
    with imported(tmp_path, ref, [("sys", hyp)], "none") as project:
        assert project.alignment_row("sys", "u1").counts.main_errors == 4
    with imported(tmp_path, ref, [("sys", hyp)], "basic") as project:
        assert project.alignment_row("sys", "u2").counts.main_errors == 0  # "she-" -> "she"


def test_fstalign_cases_through_stm_and_ctm(peer_fixtures: Path, tmp_path: Path) -> None:
    """All cases as consecutive segments of one recording; ctm words grouped by time."""
    cases = fstalign_cases(peer_fixtures)
    stm, ctm, ids = [";; fstalign cases as one recording"], [], {}
    for k, (utt, ref, hyp, _) in enumerate(cases):
        start = 10.0 * k
        stm.append(f"rec A spk{k % 3} {start:.2f} {start + 9.5:.2f} <o,f0,male> {ref}")
        ids[utt] = f"rec_A_{round(start * 100):07d}_{round((start + 9.5) * 100):07d}"
        step = 9.0 / max(len(hyp.split()), 1)
        for n, word in enumerate(hyp.split()):
            ctm.append(f"rec A {start + 0.1 + step * n:.3f} {step / 2:.3f} {word} 0.9")
    ctm.append("rec A 999.00 0.20 stray")  # outside every segment
    (tmp_path / "ref.stm").write_text("\n".join(stm) + "\n", encoding="utf-8")
    (tmp_path / "hyp.ctm").write_text("\n".join(reversed(ctm)) + "\n", encoding="utf-8")
    bench = load_benchmark(tmp_path / "ref.stm", [("sys", tmp_path / "hyp.ctm")], ASR)
    assert any("1 words lie outside every reference segment" in w for w in bench.warnings)
    first = cases[2][0]
    item = next(i for i in bench.items if i.id == ids[first])
    assert dict(item.meta) == {"speaker": "spk2", "file": "rec", "channel": "A",
                               "start": "20", "end": "29.5", "label": "<o,f0,male>"}
    words = bench.prediction_meta["sys"][ids[first]]["words"]
    assert isinstance(words, list)
    assert words[0][0] == "we'll" and 20.1 <= words[0][1] < words[0][2] < 29.5
    with imported(tmp_path, tmp_path / "ref.stm", [("sys", tmp_path / "hyp.ctm")],
                  "lower") as project:
        check_jiwer(project, cases, ids)
        assert project.prediction_meta("sys", ids[first])["words"] == words


def test_fstalign_cases_through_kaldi(peer_fixtures: Path, tmp_path: Path) -> None:
    cases = fstalign_cases(peer_fixtures)
    data = tmp_path / "data"
    data.mkdir()
    (data / "text").write_text("".join(f"{u} {r}\n" for u, r, _, _ in cases), encoding="utf-8")
    (data / "wav.scp").write_text("".join(f"{u} audio/{u}.wav\n" for u, _, _, _ in cases))
    (data / "utt2spk").write_text("".join(f"{u} spk{k % 2}\n"
                                          for k, (u, _, _, _) in enumerate(cases)))
    hyp = tmp_path / "hyp_text"
    hyp.write_text("".join(f"{u} {h}\n" for u, _, h, _ in cases), encoding="utf-8")
    assert detect(data).name == "kaldi" and detect(hyp).name == "kaldi"
    assert detect(data / "text").name == "kaldi"
    with imported(tmp_path, data, [("sys", hyp)], "lower") as project:
        check_jiwer(project, cases)
        item = project.item(cases[1][0])
        assert item.media == (data / "audio" / f"{cases[1][0]}.wav").as_posix()
        assert dict(item.meta) == {"speaker": "spk1"}


# -- reader details and errors -----------------------------------------------------------------
def test_trn_speakers_audio_and_comments(tmp_path: Path) -> None:
    ref = tmp_path / "ref.trn"
    ref.write_text(";; comment\nHELLO world (spk1-001)\nbye (spk1-002)\n(spk2-001)\n")
    audio = tmp_path / "audio"
    audio.mkdir()
    (audio / "spk1-001.wav").write_bytes(b"RIFF")
    bench = load_benchmark(ref, [], ReadOptions(kind="asr", audio=audio))
    assert [(i.id, i.reference, dict(i.meta)) for i in bench.items] == [
        ("spk1-001", "HELLO world", {"speaker": "spk1"}),
        ("spk1-002", "bye", {"speaker": "spk1"}), ("spk2-001", "", {"speaker": "spk2"})]
    assert bench.items[0].media == (audio / "spk1-001.wav").as_posix()
    assert bench.items[1].media is None


@pytest.mark.parametrize(("text", "message"), [
    ("hello world\n", "must end with the utterance id"),
    ("a (u1)\nb (u1)\n", "duplicate utterance id"),
    ("a ()\n", "empty utterance id"),
])
def test_trn_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.trn"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        load_benchmark(path, [], ASR)
    assert info.value.line is not None and info.value.path == str(path)


@pytest.mark.parametrize(("text", "message"), [
    ("f A s 1.0\n", "FILE CHANNEL SPEAKER BEGIN END"),
    ("f A s x 2.0 hello\n", "begin time 'x' is not a number"),
    ("f A s 3.0 2.0 hello\n", "ends"),
    ("f A s 0 inf hello\n", "end time 'inf' must be a finite"),
    ("f A s nan 2 hello\n", "begin time 'nan' must be a finite"),
])
def test_stm_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.stm"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_benchmark(path, [], ASR)


def test_stm_alternations_and_ignored_segments(tmp_path: Path) -> None:
    stm = tmp_path / "ref.stm"
    stm.write_text("f 1 s 0 2 { uh / @ } hello { there / their }\n"
                   "f 1 s 2 4 IGNORE_TIME_SEGMENT_IN_SCORING\n")
    bench = load_benchmark(stm, [], ASR)
    assert [i.reference for i in bench.items] == ["uh hello there"]
    assert bench.items[0].id == "f"  # the file's only scored segment
    assert any("alternations" in w for w in bench.warnings)


def test_ctm_needs_a_reference(tmp_path: Path) -> None:
    ctm = tmp_path / "hyp.ctm"
    ctm.write_text("f 1 0.0 0.5 hello\n")
    with pytest.raises(InputError, match="give it as a prediction"):
        load_benchmark(ctm, [], ASR)
    bad = tmp_path / "bad.ctm"
    bad.write_text("f 1 0.0 half hello\n")
    (tmp_path / "ref.trn").write_text("hello (f)\n")
    with pytest.raises(InputError, match="duration 'half'") as info:
        load_benchmark(tmp_path / "ref.trn", [("sys", bad)], ASR)
    assert info.value.line == 1


def test_ctm_files_named_by_item_id(tmp_path: Path) -> None:
    (tmp_path / "ref.trn").write_text("hello there (a1)\nsilence (b1)\n")
    (tmp_path / "hyp.ctm").write_text("a1 1 0.50 0.2 there\na1 1 0.10 0.3 hello\n")
    bench = load_benchmark(tmp_path / "ref.trn", [("sys", tmp_path / "hyp.ctm")], ASR)
    assert bench.predictions["sys"] == {"a1": "hello there"}
    words = bench.prediction_meta["sys"]["a1"]["words"]
    assert isinstance(words, list) and words[0] == ["hello", 0.1, 0.4]


def test_ctm_words_reach_segments_whose_channel_holds_an_underscore(tmp_path: Path) -> None:
    # Ids were split as FILE_CHANNEL with a channel free of "_": every word here was lost.
    (tmp_path / "ref.stm").write_text("f A_1 s 0 1 hello\nf A_1 s 1 2 world\nf 2 t 0 1 hi\n")
    (tmp_path / "hyp.ctm").write_text("f A_1 0.2 0.3 hello\nf A_1 1.2 0.3 word\nf 2 0.1 0.2 hi\n")
    bench = load_benchmark(tmp_path / "ref.stm", [("y", tmp_path / "hyp.ctm")], ASR)
    assert bench.predictions["y"] == {"f_A_1_0000000_0000100": "hello",
                                      "f_A_1_0000100_0000200": "word",
                                      "f_2_0000000_0000100": "hi"}
    assert not any("outside" in w for w in bench.warnings)


def test_wav_scp_pipes_are_warned_about(tmp_path: Path) -> None:
    (tmp_path / "text").write_text("u1 hi\nu2 ho\n")
    (tmp_path / "wav.scp").write_text("u1 /data/u1.wav\nu2 sox x.wav -t wav - |\n")
    bench = load_benchmark(tmp_path / "text", [], ASR)
    assert bench.items[0].media == "/data/u1.wav" and bench.items[1].media is None
    assert any("commands" in w for w in bench.warnings)


def test_kaldi_segments(tmp_path: Path) -> None:
    (tmp_path / "text").write_text("rec1-a hi there\nrec1-b bye\n")
    (tmp_path / "segments").write_text("rec1-a rec1 0.0 1.5\nrec1-b rec1 1.5 2.25\n")
    (tmp_path / "wav.scp").write_text("rec1 rec1.wav\n")
    bench = load_benchmark(tmp_path, [], ASR)
    assert bench.items[1].media == (tmp_path / "rec1.wav").as_posix()
    assert dict(bench.items[1].meta) == {"speaker": "rec1", "file": "rec1", "start": "1.5",
                                         "end": "2.25"}
    (tmp_path / "segments").write_text("rec1-a rec1 0.0 1.5\nrec1-b rec1 2.0 1.0\n")
    with pytest.raises(InputError, match="the end not before the begin") as info:
        load_benchmark(tmp_path, [], ASR)
    assert info.value.line == 2 and info.value.record == "rec1-b"


def test_table_with_audio_and_speaker_columns(tmp_path: Path) -> None:
    table = tmp_path / "utts.csv"
    table.write_text("id,audio_filepath,speaker_id,text,pred_whisper\n"
                     "u1,clips/u1.wav,ann,Hello there,hello there\n"
                     "u2,clips/u2.wav,bob,Good bye,good buy\n")
    bench = load_benchmark(table, [], ASR)
    assert bench.items[0].media == (tmp_path / "clips" / "u1.wav").as_posix()
    assert dict(bench.items[1].meta) == {"speaker": "bob"}
    assert bench.predictions == {"whisper": {"u1": "hello there", "u2": "good buy"}}
    assert any("media files do not exist" in w for w in bench.warnings)


def test_line_separators_inside_a_transcript_are_not_line_ends(tmp_path: Path) -> None:
    # sclite and Kaldi end a line at "\n" only; str.splitlines also split at U+000B, U+0085,
    # U+2028..., which made a second utterance (Kaldi) or a refusal (trn, stm) of them.
    trn = tmp_path / "ref.trn"
    trn.write_text("a\x0bb c\u2028d (u1)\r\ne\x85f (u2)\n", newline="")
    bench = load_benchmark(trn, [], ASR)
    assert [(i.id, i.reference) for i in bench.items] == [("u1", "a\x0bb c\u2028d"),
                                                          ("u2", "e\x85f")]
    kaldi = tmp_path / "kaldi"
    kaldi.mkdir()
    (kaldi / "text").write_text("u1 a\x0cb\x1cc\nu2 d\n")
    (kaldi / "utt2spk").write_text("u1 s1\nu2 s1\n")
    bench = load_benchmark(kaldi, [], ASR)
    assert [(i.id, i.reference) for i in bench.items] == [("u1", "a b c"), ("u2", "d")]
    stm = tmp_path / "ref.stm"
    stm.write_text("f 1 s 0 1 a\u2028b\nf 1 s 1 2 c\n")
    assert [i.reference for i in load_benchmark(stm, [], ASR).items] == ["a b", "c"]


def test_kaldi_ids_and_wav_scp_keys_end_at_a_tab(tmp_path: Path) -> None:
    # The id was everything up to the first space: "u1\thello" here.
    (tmp_path / "text").write_text("u1\thello  world\nu2\t\n")
    (tmp_path / "wav.scp").write_text("u1\taudio/u1.wav\nu2\t/data/u2.wav\n")
    bench = load_benchmark(tmp_path / "text", [], ASR)
    assert [(i.id, i.reference, i.media) for i in bench.items] == [
        ("u1", "hello world", (tmp_path / "audio" / "u1.wav").as_posix()),
        ("u2", "", "/data/u2.wav")]


def test_an_utterance_id_too_long_for_a_file_name_has_no_audio(tmp_path: Path) -> None:
    # Looking for ID.wav beside the file raised OSError (file name too long).
    ref = tmp_path / "ref.trn"
    ref.write_text(f"hello ({'x' * 300})\n")
    (item,) = load_benchmark(ref, [], ASR).items
    assert item.id == "x" * 300 and item.media is None


# -- hostile input: every file ends in items or a named error ------------------------------
_ALPHABET = "abinf ()-_{}/@<>;.:0123456789e\t\n\u00e9\u2019"


@pytest.mark.parametrize("fmt", ["trn", "stm", "ctm", "kaldi"])
def test_hostile_speech_files(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=st.text(_ALPHABET, max_size=200),
           raw=st.binary(max_size=16), as_bytes=st.booleans())
    def check(text: str, raw: bytes, as_bytes: bool) -> None:
        folder = tmp_path_factory.mktemp(fmt)
        data = text.encode("utf-8") + (raw if as_bytes else b"")
        ref = folder / "ref.trn"
        ref.write_text("a b (u1)\nc (u2)\n")
        if fmt == "ctm":
            path = folder / "hyp.ctm"
            path.write_bytes(data)
            args: tuple[Path, list[tuple[str, Path]]] = (ref, [("sys", path)])
        else:
            path = folder / {"trn": "x.trn", "stm": "x.stm", "kaldi": "text"}[fmt]
            path.write_bytes(data)
            args = (path, [])
        try:
            bench = load_benchmark(*args, ASR)
        except InputError as exc:
            assert exc.path is not None
        else:
            assert all(item.id for item in bench.items)

    check()
