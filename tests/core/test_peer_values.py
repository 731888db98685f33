"""Peer tools' numbers reproduced by reviewer's core (MANIFEST.md §1–3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.evaluate import score_pairs
from reviewer.core.metrics import item_rate
from reviewer.core.pair_text import align_text


def _trn_texts(path: Path) -> list[str]:
    # The rule the fixture's numbers were made with: strip, drop the last field (the id).
    return [line.strip().rsplit(" ", 1)[0] for line in path.read_text("utf-8").splitlines()]


def test_fastwer_corpus_counts_equal_jiwer(peer_fixtures: Path) -> None:
    folder = peer_fixtures / "asr-fastwer"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    refs = _trn_texts(folder / "ref.trn")
    hyps = _trn_texts(folder / "hypo.trn")
    counts = score_pairs(list(zip(refs, hyps, strict=True)), mode="codepoint", workers=1)
    words, chars = expected["corpus_words"], expected["corpus_chars"]
    assert sum(c.second_s for c in counts) == words["substitutions"]
    assert sum(c.second_d for c in counts) == words["deletions"]
    assert sum(c.second_i for c in counts) == words["insertions"]
    assert sum(c.second_units for c in counts) == words["ref_words"]
    assert sum(c.second_hyp_units for c in counts) == words["hyp_words"]
    wer = sum(c.second_errors for c in counts) / sum(c.second_units for c in counts)
    assert wer == pytest.approx(words["wer_exact"], abs=1e-15)
    assert sum(c.main_s for c in counts) == chars["substitutions"]
    assert sum(c.main_d for c in counts) == chars["deletions"]
    assert sum(c.main_i for c in counts) == chars["insertions"]
    assert sum(c.main_units for c in counts) == chars["ref_chars"]
    cer = sum(c.main_errors for c in counts) / sum(c.main_units for c in counts)
    assert cer == pytest.approx(chars["cer_exact"], abs=1e-15)
    for line in expected["first_three_lines"]:
        c = counts[line["line"] - 1]
        s, d, i, h = line["word_S_D_I_H"]
        words = c.second
        assert (words.s, words.d, words.i, words.units - words.s - words.d) == (s, d, i, h)
        s, d, i, h = line["char_S_D_I_H"]
        assert (c.main_s, c.main_d, c.main_i, c.main_units - c.main_s - c.main_d) == (s, d, i, h)


def test_fstalign_cases(peer_fixtures: Path) -> None:
    folder = peer_fixtures / "asr-fstalign"
    cases = json.loads((folder / "expected.json").read_text("utf-8"))["cases"]
    checked = 0
    for case in cases:
        ref = " ".join((folder / case["ref"]).read_text("utf-8").split()).lower()
        hyp = " ".join((folder / case["hyp"]).read_text("utf-8").split()).lower()
        (c,) = score_pairs([(ref, hyp)], workers=1)
        got = {"INS": c.second_i, "DEL": c.second_d, "SUB": c.second_s, "ref_words": c.second_units}
        plain = case["jiwer_plain"]
        assert got == {k: plain[k] for k in got}, case["case"]
        if case["synonyms"] is None and not case["extra_flags"]:
            # Without synonym rules, fstalign's own counts are plain Levenshtein counts.
            for approach in case["fstalign_expected"].values():
                if approach and approach.get("INS") is not None:
                    assert (c.second_i, c.second_d, c.second_s) == (
                        approach["INS"], approach["DEL"], approach["SUB"]), case["case"]
                    checked += 1
    assert checked >= 6


def test_dinglehopper_grapheme_cases(peer_fixtures: Path) -> None:
    expected = json.loads((peer_fixtures / "ocr-dinglehopper" / "expected.json").read_text("utf-8"))
    for case in expected["character_error_rate"]:
        a = align_text(case["gt"], case["ocr"])
        assert a.errors == case["distance"], case
        rate = item_rate(a.errors, a.ref_units)
        if case["value"] is None:
            assert rate is None  # empty reference: undefined, errors still counted
        else:
            assert rate == pytest.approx(case["value"])
    for case in expected["distance_extra"]:
        assert align_text(case["a"], case["b"]).errors == case["distance"]
    for case in expected["editops"]:
        a = align_text(case["a"], case["b"])
        ops = [("replace" if e.op == "substitute" else e.op, e.ref_units, e.hyp_units)
               for e in a.edits]
        assert len(ops) == len(case["editops"]), case
        assert all(op == ("replace", 1, 1) for op in ops) or not ops
        if "cer_value" in case:
            assert item_rate(a.errors, a.ref_units) == pytest.approx(case["cer_value"])
