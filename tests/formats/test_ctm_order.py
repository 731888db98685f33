"""A ctm whose words are written out of time order: scored in time order, and said so."""

from __future__ import annotations

from pathlib import Path

from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions

ASR = ReadOptions(kind="asr")


def test_out_of_order_ctm_is_sorted_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "ref.trn").write_text("hello there friend (a1)\nsilence (b1)\n")
    ctm = tmp_path / "hyp.ctm"
    ctm.write_text("a1 1 0.10 0.3 hello\na1 1 0.90 0.2 friend\na1 1 0.50 0.2 there\n"
                   "b1 1 0.10 0.2 silence\n")
    bench = load_benchmark(tmp_path / "ref.trn", [("sys", ctm)], ASR)
    assert bench.predictions["sys"] == {"a1": "hello there friend", "b1": "silence"}
    told = [w for w in bench.warnings if "time order" in w]
    assert len(told) == 1
    assert told[0].startswith(f"{ctm}:3: 1 word starts before")
    assert "'there' at 0.5 s, after line 2 at 0.9 s" in told[0]


def test_ctm_in_time_order_gives_no_order_warning(tmp_path: Path) -> None:
    (tmp_path / "ref.trn").write_text("hello there (a1)\nhi (b1)\n")
    ctm = tmp_path / "hyp.ctm"
    # Items may come in any order; only words within one item are compared.
    ctm.write_text("b1 1 0.00 0.2 hi\na1 1 0.10 0.3 hello\na1 1 0.10 0.2 there\n")
    bench = load_benchmark(tmp_path / "ref.trn", [("sys", ctm)], ASR)
    assert bench.predictions["sys"] == {"a1": "hello there", "b1": "hi"}
    assert not any("time order" in w for w in bench.warnings)
