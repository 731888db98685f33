"""GEC edit matching and scoring against ERRANT's errant_compare (DESIGN §4.3)."""

from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path

import pytest

from reviewer.core.categories import catalogue
from reviewer.core.categories.gec import categorise, category_of, split_type
from reviewer.core.codec import decode_counts, decode_edits
from reviewer.core.counts import ScoreOptions
from reviewer.core.errors import InputError
from reviewer.core.gec import (
    Counts,
    M2Edit,
    accept,
    apply,
    block_text,
    bootstrap_prf,
    candidates,
    choose,
    corpus_choice,
    judge,
    noop_edit,
    parse_block,
    parse_edits,
    parse_line,
    prf,
    reject,
)
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.kinds.gec import score_pair, summarise
from reviewer.core.palette import PALETTE

GEC = "gec-errant"


def blocks(path: Path) -> list[str]:
    """The sentence blocks of an M2 file, as the gec kind stores references."""
    return path.read_text(encoding="utf-8").strip().split("\n\n")


def a_lines(block: str) -> str:
    return "\n".join(line for line in block.splitlines() if line.startswith("A "))


def score_files(ref: Path, hyp: Path, stats: StatOptions | None = None) -> dict:
    rows = [ScoredItem(str(k), score_pair(r, a_lines(h), ScoreOptions()), r, a_lines(h))
            for k, (r, h) in enumerate(zip(blocks(ref), blocks(hyp), strict=True), start=1)]
    return summarise(rows, stats or StatOptions(resamples=200))


def rounded(scores: dict) -> list[float]:
    return [scores["tp"], scores["fp"], scores["fn"],
            *(round(scores[k]["value"], 4) for k in ("precision", "recall", "f0_5"))]


# -- the errant_compare numbers on ERRANT's demo pair (MANIFEST §4) --------------------------
def test_demo_pair_reproduces_errant_compare(peer_fixtures: Path) -> None:
    folder = peer_fixtures / GEC
    expected = json.loads((folder / "expected.json").read_text())["demo"]["compare_cor2_vs_cor1"]
    report = score_files(folder / "cor1.errant-3.0.2.m2", folder / "cor2.errant-3.0.2.m2")
    for got, key in ((report["metrics"], "span_correction"),
                     (report["detection"]["span"], "span_detection_-ds"),
                     (report["detection"]["token"], "token_detection_-dt")):
        want = expected[key]
        assert rounded(got) == [want["TP"], want["FP"], want["FN"], want["P"], want["R"],
                                want["F0.5"]]
    assert report["categories"] == expected["per_type_-cat_3_TP_FP_FN"]
    assert report["operations"] == {"M": [0, 0, 1], "R": [3, 3, 3], "U": [0, 1, 1]}
    assert report["main_types"]["DET"] == [0, 3, 1]


def test_intervals_are_seeded_and_contain_the_value() -> None:
    folder = Path(__file__).resolve().parents[2] / "resources" / "demo" / "gec"
    ref, hyp = folder / "gold.m2", folder / "eager.m2"
    one = score_files(ref, hyp, StatOptions(resamples=300, seed=7))
    two = score_files(ref, hyp, StatOptions(resamples=300, seed=7))
    other = score_files(ref, hyp, StatOptions(resamples=300, seed=8))
    assert one == two
    assert one["metrics"]["f0_5"] != other["metrics"]["f0_5"]
    for scores in (one["metrics"], one["detection"]["span"], one["detection"]["token"]):
        for metric in ("precision", "recall", "f0_5"):
            m = scores[metric]
            assert 0.0 <= m["low"] < m["value"] < m["high"] <= 1.0


def test_gold_with_two_annotators_picks_the_matching_one(peer_fixtures: Path) -> None:
    folder = peer_fixtures / GEC
    report = score_files(folder / "out.m2", folder / "cor2.errant-3.0.2.m2")
    assert rounded(report["metrics"]) == [7, 0, 0, 1.0, 1.0, 1.0]
    cor1 = score_files(folder / "out.errant-3.0.2.m2", folder / "cor1.errant-3.0.2.m2")
    assert rounded(cor1["metrics"]) == [8, 0, 0, 1.0, 1.0, 1.0]


# -- errant_compare's rules on hand-made sentences --------------------------------------------
def edits(*lines: str) -> list[M2Edit]:
    return parse_edits("\n".join(lines))


def a(span: str, kind: str, cor: str, who: int = 0) -> str:
    return f"A {span}|||{kind}|||{cor}|||REQUIRED|||-NONE-|||{who}"


def test_equal_f_goes_to_fewer_false_negatives_whatever_the_order() -> None:
    gold = edits(a("0 1", "R:DET", "The", 1), a("2 3", "R:NOUN", "dog", 1),
                 a("0 1", "R:DET", "A", 0))
    kept = choose(candidates(gold, [], "cs"))
    assert (kept.ref, kept.tp, kept.fp, kept.fn) == (0, 0, 0, 1)


def test_equal_f_goes_to_more_true_positives() -> None:
    # Annotator 0 wrote the same edit twice: errant_compare counts a match once per gold
    # line, so both annotators give F0.5 = 1 and the larger TP decides.
    gold = edits(a("0 1", "R:DET", "The", 1), a("0 1", "R:DET", "The", 0),
                 a("0 1", "R:DET", "The", 0))
    system = edits(a("0 1", "R:DET", "The"))
    options = candidates(gold, system, "cs")
    assert [(c.ref, c.tp, c.fp, c.fn) for c in options] == [(1, 1, 0, 0), (0, 2, 0, 0)]
    assert choose(options).ref == 0


def test_the_choice_depends_on_the_corpus_so_far() -> None:
    first = Counts(0, 0, 5, 5, 0, {})
    alone_a, alone_b = Counts(0, 0, 1, 0, 3, {}), Counts(0, 1, 0, 0, 0, {})
    assert choose([alone_a, alone_b]) is alone_b  # F 1.0 beats 0.625 when scored alone
    chosen = corpus_choice([[first], [alone_a, alone_b]])
    assert chosen[1] is alone_a  # after (5, 5, 0): 0.5660 beats 0.5556


def test_noop_and_unk_count_as_errant_compare_counts_them() -> None:
    gold = edits(a("-1 -1", "noop", "-NONE-"))
    system = edits(a("1 2", "UNK", "x"), a("3 4", "R:VERB", "go"))
    cs = choose(candidates(gold, system, "cs"))
    dt = choose(candidates(gold, system, "dt"))
    assert (cs.tp, cs.fp, cs.fn) == (0, 1, 0)  # UNK left out of correction
    assert (dt.tp, dt.fp, dt.fn) == (0, 2, 0)  # but detected
    nothing = choose(candidates([], [], "cs"))
    assert (nothing.tp, nothing.fp, nothing.fn) == (0, 0, 0)


def test_token_detection_splits_spans_and_insertions_touch_the_next_token() -> None:
    gold = edits(a("1 3", "R:WO", "b a"), a("4 4", "M:DET", "the"))
    system = edits(a("2 3", "R:NOUN", "x"), a("4 5", "R:VERB", "y"))
    kept = choose(candidates(gold, system, "dt"))
    assert (kept.tp, kept.fp, kept.fn) == (2, 0, 1)
    spans = choose(candidates(gold, system, "ds"))
    assert (spans.tp, spans.fp, spans.fn) == (0, 2, 2)


def test_prf_follows_errant_compare_conventions() -> None:
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 0, 3) == (1.0, 0.0, 0.0)
    assert prf(0, 2, 0) == (0.0, 1.0, 0.0)
    p, r, f = prf(3, 4, 5)
    assert (round(p, 4), round(r, 4), round(f, 4)) == (0.4286, 0.375, 0.4167)


def test_bootstrap_of_one_sentence_has_no_spread_and_identical_sentences_none_either() -> None:
    bounds = bootstrap_prf([1, 1, 1], [1, 1, 1], [0, 0, 0], confidence=0.95, resamples=50,
                           seed=0)
    assert bounds["precision"] == (0.5, 0.5)
    assert bounds["recall"] == (1.0, 1.0)


# -- a seeded comparison with errant_compare's own functions (when ERRANT is installed) ----
def _random_block(rng: random.Random, tokens: int, annotators: int) -> list[str]:
    types = ["R:DET", "M:DET", "U:DET", "R:VERB:SVA", "UNK", "R:SPELL", "U:PUNCT", "M:PREP"]
    out = []
    for who in range(annotators):
        count = rng.randint(0, 3)
        if count == 0:
            out.append(a("-1 -1", "noop", "-NONE-", who))
        for _ in range(count):
            start = rng.randrange(tokens)
            end = min(tokens, start + rng.choice([0, 1, 1, 2]))
            out.append(a(f"{start} {end}", rng.choice(types), rng.choice(["a", "the", ""]), who))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_agrees_with_errant_compare_on_random_corpora(seed: int) -> None:
    compare = pytest.importorskip("errant.commands.compare_m2",
                                  reason="ERRANT (the optional gec extra) is not installed")
    rng = random.Random(seed)
    sentences = []
    for _ in range(rng.randint(2, 20)):
        tokens = rng.randint(3, 8)
        source = "S " + " ".join(f"w{k}" for k in range(tokens))
        sentences.append((source, _random_block(rng, tokens, rng.randint(1, 3)),
                          _random_block(rng, tokens, rng.choice([1, 1, 2]))))
    rows = [ScoredItem(str(k), score_pair("\n".join([s, *g]), "\n".join(h), ScoreOptions()),
                       "", "") for k, (s, g, h) in enumerate(sentences)]
    ours = summarise(rows, StatOptions(resamples=20))
    for flag, got in (("cs", ours["metrics"]), ("ds", ours["detection"]["span"]),
                      ("dt", ours["detection"]["token"])):
        args = argparse.Namespace(beta=0.5, verbose=False, dt=flag == "dt", ds=flag == "ds",
                                  cs=flag == "cs", cse=False, single=False, multi=False,
                                  filt=[], cat=None)
        best = {"tp": 0, "fp": 0, "fn": 0}
        cats: dict[str, list[int]] = {}
        for k, (s, g, h) in enumerate(sentences):
            hyp = compare.process_edits(compare.simplify_edits("\n".join([s, *h])), args)
            ref = compare.process_edits(compare.simplify_edits("\n".join([s, *g])), args)
            counts, cat = compare.evaluate_edits(hyp, ref, best, k, s, args)
            best = {key: best[key] + counts[key] for key in best}
            cats = compare.merge_dict(cats, cat)
        assert [got["tp"], got["fp"], got["fn"]] == [best["tp"], best["fp"], best["fn"]]
        want = compare.computeFScore(best["tp"], best["fp"], best["fn"], 0.5)
        assert [round(got[k]["value"], 4) for k in ("precision", "recall", "f0_5")] == list(want)
        if flag == "cs":
            assert ours["categories"] == dict(sorted(cats.items()))


# -- parsing -----------------------------------------------------------------------------------
def test_parse_line_keeps_every_field() -> None:
    e = parse_line("A 5 5|||M:DET|||the|||REQUIRED|||-NONE-|||3")
    assert e == M2Edit(5, 5, "M:DET", "the", 3)
    assert e.line() == "A 5 5|||M:DET|||the|||REQUIRED|||-NONE-|||3"
    assert parse_line(noop_edit(1).line()).is_noop


@pytest.mark.parametrize(("line", "message"), [
    ("B 1 2|||R:X|||y|||REQUIRED|||-NONE-|||0", "starts with 'A '"),
    ("A 1 2|||R:X|||y|||0", "6 fields"),
    ("A 1 x|||R:X|||y|||REQUIRED|||-NONE-|||0", "integers"),
    ("A 1 2|||R:X|||y|||REQUIRED|||-NONE-|||zero", "integers"),
    ("A 3 2|||R:X|||y|||REQUIRED|||-NONE-|||0", "not a token range"),
])
def test_bad_edit_lines_say_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_line(line)


def test_a_block_checks_its_spans_against_the_sentence() -> None:
    source, found = parse_block("S a b c\n" + a("1 2", "R:X", "y"))
    assert source == "a b c" and len(found) == 1
    with pytest.raises(ValueError, match="line 2: the span 2 4 ends past the sentence's 3"):
        parse_block("S a b c\n" + a("2 4", "R:X", "y"))
    with pytest.raises(ValueError, match=r"line 2: the S .* must come first"):
        parse_block(a("0 1", "R:X", "y") + "\nS a b")


def test_a_bad_corrected_reference_is_an_input_error() -> None:
    with pytest.raises(InputError, match="the gold M2 block: line 2"):
        score_pair("S a b\nnot an edit", "", ScoreOptions())


# -- review: accepting and rejecting gold edits ----------------------------------------------
def test_accept_adds_the_edit_to_the_annotator_in_span_order_and_drops_a_noop() -> None:
    gold = edits(a("3 4", "R:VERB", "go", 0), a("-1 -1", "noop", "-NONE-", 1))
    system_edit = M2Edit(1, 2, "R:DET", "the", 0)
    once = accept(gold, system_edit, 0)
    assert [(e.start, e.annotator) for e in once] == [(1, 0), (3, 0), (-1, 1)]
    assert accept(once, system_edit, 0) == once  # already there
    to_one = accept(gold, system_edit, 1)
    assert [e.line() for e in to_one][1] == system_edit.line().replace("|||0", "|||1")
    assert not any(e.is_noop for e in to_one)


def test_reject_drops_the_edit_and_leaves_a_noop_for_an_emptied_annotator() -> None:
    gold = edits(a("1 2", "R:DET", "the", 0), a("3 4", "R:VERB", "go", 1))
    left = reject(gold, gold[0])
    assert [e.line() for e in left] == [noop_edit(0).line(), gold[1].line()]
    text = block_text("a b c d", left)
    assert parse_block(text) == ("a b c d", left)


def test_apply_builds_the_corrected_sentence() -> None:
    tokens = "This are gramamtical sentence .".split()
    gold = edits(a("1 2", "R:VERB:SVA", "is"), a("2 2", "M:DET", "a"),
                 a("2 3", "R:SPELL", "grammatical"))
    pieces = apply(tokens, gold)
    assert " ".join(p for p, _ in pieces) == "This is a grammatical sentence ."
    assert [e.type for _, e in pieces if e is not None] == ["R:VERB:SVA", "M:DET", "R:SPELL"]


def test_judge_marks_true_and_false_positives_and_the_missed_gold_edits() -> None:
    gold = edits(a("1 2", "R:VERB:SVA", "is"), a("4 5", "R:NOUN:NUM", "sentence"))
    system = edits(a("1 2", "R:VERB:SVA", "is"), a("0 1", "R:DET", "These"))
    judged = judge(gold, system)
    assert [(e.correction, mark) for e, mark in judged.marks] == [("is", "TP"), ("These", "FP")]
    assert [e.correction for e in judged.missed] == ["sentence"]


# -- stored counts -----------------------------------------------------------------------------
def test_pair_counts_mark_fn_and_fp_lines_with_their_categories(peer_fixtures: Path) -> None:
    folder = peer_fixtures / GEC
    ref = blocks(folder / "cor1.errant-3.0.2.m2")[0]
    hyp = a_lines(blocks(folder / "cor2.errant-3.0.2.m2")[0])
    c = score_pair(ref, hyp, ScoreOptions())
    assert (c.main_errors, c.main_units, c.main_hyp_units) == (4, 2, 2)  # FP+FN, TP+FN, TP+FP
    assert decode_counts(c.categories) == {"verb_sva": 1, "noun_num": 1, "det": 2}
    assert c.main_category == "det"
    found = decode_edits(c.edits, ref, hyp)
    assert sorted((e.op, e.category) for e in found) == [
        ("delete", "noun_num"), ("delete", "verb_sva"), ("insert", "det"), ("insert", "det")]
    assert {e.ref_text for e in found if e.op == "delete"} == {
        "A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0",
        "A 4 5|||R:NOUN:NUM|||sentence|||REQUIRED|||-NONE-|||0"}
    assert {e.hyp_text for e in found if e.op == "insert"} == set(hyp.splitlines())
    # Spans run forward on both sides, so the report can draw the equal stretches between.
    assert all(x.ref_span[1] <= y.ref_span[0] and x.hyp_span[1] <= y.hyp_span[0]
               for x, y in itertools.pairwise(found))
    extra = json.loads(c.extra)
    assert extra["cs"] == [[0, 0, 0, 2, 2, {"R:DET": [0, 1, 0], "U:DET": [0, 1, 0],
                                            "R:VERB:SVA": [0, 0, 1], "R:NOUN:NUM": [0, 0, 1]}]]


def test_spec_lists_the_three_scores_and_counts_categories_for_charts() -> None:
    kind = spec("gec")
    assert [m.id for m in kind.metrics] == ["f0_5", "precision", "recall"]
    assert not any(m.lower_is_better for m in kind.metrics)
    assert kind.errors_by_category({"R:DET": [1, 2, 0], "M:DET": [0, 0, 1],
                                    "R:VERB:SVA": [3, 0, 0]}) == {"det": 3}


# -- categories --------------------------------------------------------------------------------
def test_catalogue_has_every_errant_main_type_with_palette_colours() -> None:
    cats = catalogue("gec")
    assert len({c.id for c in cats}) == len(cats) == 25
    assert all(c.swatch in PALETTE and c.swatch != "suspect" for c in cats)
    assert all(c.id.isidentifier() for c in cats)


@pytest.mark.parametrize(("error_type", "expected"), [
    ("R:VERB:SVA", "verb_sva"), ("M:DET", "det"), ("U:PUNCT", "punct"), ("R:ORTH", "orth"),
    ("R:WO", "wo"), ("UNK", "unk"), ("ArtOrDet", "det"), ("Vt", "verb_tense"),
    ("SVA", "verb_sva"),
])
def test_category_of_types(error_type: str, expected: str) -> None:
    assert category_of(error_type) == expected


def test_unknown_types_are_categorised_by_their_text() -> None:
    assert categorise(",", ";") == "punct"
    assert categorise("london", "London") == "orth"
    assert categorise("live you", "you live") == "wo"
    assert categorise("cat", "dog") == "other"
    assert category_of("Mec", "recieve", "receive") == "spell"
    assert category_of("Xyz", "london", "London") == "orth"
    assert split_type("R:VERB:SVA") == ("R", "VERB:SVA")
    assert split_type("UNK") == ("", "UNK")
