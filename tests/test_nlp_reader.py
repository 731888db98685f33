"""The NLP reader, its sidecars, and WER over normalised spans, synonyms and entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.entity_wer import per_class, per_tag
from reviewer.core.errors import InputError
from reviewer.core.lattice_wer import align
from reviewer.formats.load import load_benchmark
from reviewer.formats.nlp import (
    parse_nlp,
    read_normalizations,
    read_synonym_file,
    read_wer_tags,
    sidecar,
)
from reviewer.formats.registry import ReadOptions, detect

DATA = Path(__file__).parent / "data" / "nlp"


def _score(stem: str, synonyms: bool = False) -> tuple[int, int, dict[str, tuple[int, int]]]:
    rows = [r.ref_token() for r in parse_nlp(DATA / "refs" / f"{stem}.nlp")]
    norm_file = sidecar(DATA / "norm", stem, ".norm.json")
    norms = read_normalizations(norm_file) if norm_file else {}
    rules = read_synonym_file(DATA / "synonyms.rules.txt") if synonyms else {}
    hyp = (DATA / "hyps" / f"{stem}.txt").read_text("utf-8").split()
    result = align(rows, hyp, norms, rules)
    tag_file = sidecar(DATA / "tags", stem, ".wer_tag.json")
    classes = read_wer_tags(tag_file) if tag_file else {}
    entities = per_class(per_tag(result, rows), classes)
    return result.errors, result.units, {k: (v.errors, v.units) for k, v in entities.items()}


def test_header_decides_the_columns() -> None:
    one = parse_nlp(DATA / "refs" / "call1.nlp")
    assert [r.token for r in one][:4] == ["Revenue", "was", "$40", "million"]
    assert (one[2].label, one[2].wer_tags, one[2].start, one[2].end) == ("0:MONEY", ("0",), 1.1,
                                                                         1.6)
    two = parse_nlp(DATA / "refs" / "call2.nlp")  # prepunctuation, no wer_tags column
    assert [(r.token, r.label, r.wer_tags, r.start) for r in two][2] == ("20%", "0:PERCENT", (),
                                                                        None)


def test_bad_rows_name_file_and_line() -> None:
    with pytest.raises(InputError) as bad:
        parse_nlp(DATA / "bad_fields.nlp")
    assert bad.value.line == 3 and "7 fields where the header names 8" in str(bad.value)
    assert "bad_fields.nlp:3" in str(bad.value)
    with pytest.raises(InputError) as tags:
        parse_nlp(DATA / "bad_tags.nlp")
    assert tags.value.line == 2 and "tags column" in str(tags.value)


def test_bad_sidecars_name_the_id(tmp_path: Path) -> None:
    norm = tmp_path / "x.norm.json"
    norm.write_text('{"3": {"candidates": [{"verbalization": "ten"}]}}', "utf-8")
    with pytest.raises(InputError, match="record '3'"):
        read_normalizations(norm)
    tags = tmp_path / "x.wer_tag.json"
    tags.write_text('{"4": {}}', "utf-8")
    with pytest.raises(InputError, match="entity_type"):
        read_wer_tags(tags)
    rules = tmp_path / "syn.txt"
    rules.write_text("ok | okay\nno pipe here\n", "utf-8")
    with pytest.raises(InputError) as bad:
        read_synonym_file(rules)
    assert bad.value.line == 2


def test_normalised_span_takes_the_verbalisation_with_fewest_errors() -> None:
    # '$40 million' is read as 'forty million dollars'; "i'm" / "i am" and acme / acne differ
    errors, units, entities = _score("call1")
    assert (errors, units) == (3, 8)
    assert entities == {"MONEY": (0, 3), "ORG": (1, 1)}
    assert _score("call2")[:2] == (0, 4)


def test_synonym_rules_from_a_file() -> None:
    errors, units, entities = _score("call1", synonyms=True)
    assert (errors, units) == (1, 9)  # "i'm" read as "i am"
    assert entities["ORG"] == (1, 1)


def test_without_sidecars_the_written_tokens_are_compared() -> None:
    rows = [r.ref_token() for r in parse_nlp(DATA / "refs" / "call1.nlp")]
    hyp = (DATA / "hyps" / "call1.txt").read_text("utf-8").split()
    result = align(rows, hyp)
    # $40 -> forty and an inserted 'dollars', then i'm -> i am and acme -> acne
    assert (result.errors, result.units) == (5, 7)


def test_folder_import_matches_hypotheses_by_stem(tmp_path: Path) -> None:
    hyp = tmp_path / "sysnlp"
    hyp.mkdir()
    (hyp / "call1.nlp").write_text(
        "token|speaker|ts|endTs|punctuation|case|tags\nrevenue|1|0.5|0.9|||[]\n"
        "was|1|0.9|1.2|||[]\n", "utf-8")
    assert detect(DATA / "refs").name == "nlp"
    bench = load_benchmark(DATA / "refs", [("txt", DATA / "hyps"), ("nlp", hyp)],
                           ReadOptions(kind="asr"))
    assert [i.id for i in bench.items] == ["call1", "call2"]
    assert dict(bench.items[0].meta)["speakers"] == "1,2"
    assert bench.items[0].reference.startswith("Revenue was $40 million I'm")
    assert bench.predictions["txt"]["call2"] == "we grew twenty percent"
    assert bench.predictions["nlp"] == {"call1": "revenue was"}
    assert bench.prediction_meta["nlp"]["call1"]["words"] == [["revenue", 0.5, 0.9],
                                                              ["was", 0.9, 1.2]]


def test_shifted_time_and_empty_token_are_warnings(tmp_path: Path) -> None:
    # As published: a row shifted by a column ('.' under endTs), a tagged row with no token
    path = tmp_path / "call.nlp"
    path.write_text("token|speaker|ts|endTs|punctuation|case|tags|wer_tags\n"
                    "plants.|3||.||LC|[]|[]\n"
                    "|5|||.|CA|['398:CARDINAL']|['398']\n"
                    "We|5|1.0|1.2||UC|[]|[]\n", "utf-8")
    warnings: list[str] = []
    rows = parse_nlp(path, warnings)
    assert [(r.token, r.end) for r in rows] == [("plants.", None), ("", None), ("We", 1.2)]
    assert len(warnings) == 2
    assert "not a number of seconds on 1 rows (lines 2)" in warnings[0]
    assert "empty token (lines 3)" in warnings[1]
    with pytest.raises(InputError) as strict:
        parse_nlp(path)
    assert strict.value.line == 2


def test_prediction_folder_of_ctm_trn_and_nlp_files(tmp_path: Path) -> None:
    hyp = tmp_path / "mixed"
    hyp.mkdir()
    (hyp / "call1.ctm").write_text("call1 1 0.50 0.40 revenue\ncall1 1 0.90 0.30 was\n",
                                   "utf-8")
    (hyp / "call2.trn").write_text("we grew (c2-a)\ntwenty percent (c2-b)\n", "utf-8")
    assert detect(hyp).name == "nlp"
    bench = load_benchmark(DATA / "refs", [("mixed", hyp)], ReadOptions(kind="asr"))
    assert bench.predictions["mixed"] == {"call1": "revenue was",
                                          "call2": "we grew twenty percent"}
    assert bench.prediction_meta["mixed"]["call1"]["words"] == [["revenue", 0.5, 0.9],
                                                                ["was", 0.9, 1.2]]
    (hyp / "call2.txt").write_text("we grew\n", "utf-8")
    with pytest.raises(InputError, match="same call"):
        load_benchmark(DATA / "refs", [("mixed", hyp)], ReadOptions(kind="asr"))
