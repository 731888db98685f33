"""Classification tables for ``--kind label``: gold classes, answers, probabilities, checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from reviewer.core.errors import InputError
from reviewer.core.label_codec import decode_prediction
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write

LABEL = ReadOptions(kind="label")
REFERENCE = (
    "id,sentence,label,pred_kw,source\n"
    "s1,a fine film,pos,pos,imdb\n"
    "s2,dull and long,neg,pos,imdb\n"
    "s3,not bad at all,pos,,rt\n"
)


def test_reference_table_with_text_gold_and_a_label_column(write: Write) -> None:
    path = write("test.csv", REFERENCE)
    loaded = read(path, LABEL)
    s1, s2, s3 = loaded.items
    assert (s1.id, s1.reference, s1.media) == ("s1", "pos", None)
    assert dict(s1.meta) == {"text": "a fine film", "source": "imdb"}
    assert s2.reference == "neg" and dict(s3.meta)["text"] == "not bad at all"
    # The empty answer of s3 is no prediction; classes stay plain names.
    assert loaded.predictions == {"kw": {"s1": "pos", "s2": "pos"}}


def test_label_and_text_columns_can_be_named(write: Write) -> None:
    path = write("t.tsv", "key\tsentence\tgold_class\n1\thi there\tgreeting\n")
    options = ReadOptions(kind="label", id_col="key", text_col="sentence",
                          label_col="gold_class")
    (item,) = read(path, options).items
    assert (item.id, item.reference, dict(item.meta)) == ("1", "greeting",
                                                          {"text": "hi there"})


def test_ref_col_names_the_gold_label_only_without_a_label_column(write: Write) -> None:
    # What the import dialog's text-table mapping passes: ref_col is the text column.
    path = write("t.csv", "id,text,label,guess\n1,hi,greeting,farewell\n2,bye,farewell,x\n")
    options = ReadOptions(kind="label", ref_col="text", pred_cols={"mine": "guess"})
    with pytest.raises(InputError, match="class 'x' is not a gold label"):
        read(path, options)
    path = write("u.csv", "id,text,label,guess\n1,hi,greeting,farewell\n2,bye,farewell,"
                          "greeting\n")
    loaded = read(path, options)
    assert [i.reference for i in loaded.items] == ["greeting", "farewell"]
    assert loaded.predictions == {"mine": {"1": "farewell", "2": "greeting"}}
    path = write("v.csv", "id,sentence,category\n1,hi,greeting\n")
    (item,) = read(path, ReadOptions(kind="label", ref_col="category")).items
    assert item.reference == "greeting" and dict(item.meta) == {"text": "hi"}


def test_prob_columns_in_the_reference_table_belong_to_its_one_system(write: Write) -> None:
    path = write("t.csv", "id,text,label,pred_bert,prob_neg,prob_pos\n"
                          "a,x,pos,pos,0.2,0.8\n"
                          "b,y,neg,,0.55,0.45\n")
    loaded = read(path, LABEL)
    a = decode_prediction(loaded.predictions["bert"]["a"])
    b = decode_prediction(loaded.predictions["bert"]["b"])
    assert (a.label, dict(a.probs or {})) == ("pos", {"neg": 0.2, "pos": 0.8})
    assert b.label == "neg"  # no class given: the most probable one
    assert set(loaded.predictions) == {"bert"}


def test_prob_columns_without_a_named_system_are_model(write: Write) -> None:
    path = write("t.csv", "id,label,prob_a,prob_b\n1,a,0.9,0.1\n2,b,0.5,0.5\n")
    loaded = read(path, LABEL)
    assert decode_prediction(loaded.predictions["model"]["1"]).label == "a"
    # A tie goes to the first class in natural order.
    assert decode_prediction(loaded.predictions["model"]["2"]).label == "a"


def test_jsonl_with_probability_lists_and_objects(write: Write) -> None:
    lines = [
        {"id": "i1", "image": "img/1.png", "label": 2, "probs_cnn": [0.1, 0.1, 0.8],
         "pred_svm": 1},
        {"id": "i2", "image": "img/2.png", "label": 0,
         "probs_cnn": {"0": 0.6, "1": 0.3, "2": 0.1}, "pred_svm": 0},
        {"id": "i3", "image": "img/3.png", "label": 1, "probs_cnn": None, "pred_svm": 2},
    ]
    path = write("d.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    loaded = read(path, LABEL)
    assert [i.reference for i in loaded.items] == ["2", "0", "1"]
    assert loaded.items[0].media == str((path.parent / "img/1.png").resolve().as_posix())
    cnn = {k: decode_prediction(v) for k, v in loaded.predictions["cnn"].items()}
    assert set(cnn) == {"i1", "i2"}
    assert (cnn["i1"].label, cnn["i1"].prob("2")) == ("2", 0.8)
    assert (cnn["i2"].label, cnn["i2"].prob("1")) == ("0", 0.3)
    assert loaded.predictions["svm"] == {"i1": "1", "i2": "0", "i3": "2"}
    assert any("media files do not exist" in w for w in loaded.warnings)


def test_parquet_image_table(tmp_path: Path) -> None:
    path = tmp_path / "digits.parquet"
    pd.DataFrame({"id": ["a", "b"], "image": ["a.png", "b.png"], "label": [3, 7],
                  "probs_lr": [[0.0, 0.9, 0.1], [0.2, 0.1, 0.7]]}).to_parquet(path)
    # Two gold classes, three probabilities: the list cannot be mapped.
    with pytest.raises(InputError, match=r"row 1: system 'lr': a list of 3 probabilities, "
                       r"but the gold labels have 2 classes") as err:
        read(path, ReadOptions(kind="label", media_col="image"))
    assert str(err.value).startswith(str(path))


def test_parquet_image_table_with_matching_lists(tmp_path: Path) -> None:
    path = tmp_path / "digits.parquet"
    pd.DataFrame({"id": ["a", "b"], "image": ["a.png", "b.png"], "label": [10, 7],
                  "probs_lr": [[0.9, 0.1], [0.2, 0.8]]}).to_parquet(path)
    loaded = read(path, ReadOptions(kind="label", media_col="image"))
    lr = {k: decode_prediction(v) for k, v in loaded.predictions["lr"].items()}
    # Natural order: 7 before 10.
    assert (lr["a"].label, lr["a"].prob("7")) == ("7", 0.9)
    assert lr["b"].label == "10"
    assert [i.media for i in loaded.items] == [(tmp_path / "a.png").as_posix(),
                                               (tmp_path / "b.png").as_posix()]


def test_parquet_with_embedded_images_as_dataset_hubs_store_them(tmp_path: Path) -> None:
    import io

    from PIL import Image

    def png(shade: int) -> bytes:
        out = io.BytesIO()
        Image.new("L", (8, 8), shade).save(out, format="PNG")
        return out.getvalue()

    path = tmp_path / "digits.parquet"
    pd.DataFrame({"id": ["a", "b"], "label": ["3", "7"],
                  "image": [{"bytes": png(0), "path": "a.png"},
                            {"bytes": png(255), "path": None}]}).to_parquet(path)
    loaded = read(path, ReadOptions(kind="label"))
    media = [Path(i.media or "") for i in loaded.items]
    assert [m.parent for m in media] == [tmp_path / "digits_images"] * 2
    assert media[0].name.endswith("a.png") and media[1].name.endswith(".png")
    assert Image.open(media[0]).getpixel((0, 0)) == 0
    assert Image.open(media[1]).getpixel((0, 0)) == 255


# -- prediction files ----------------------------------------------------------------------
@pytest.fixture
def reference(write: Write) -> Path:
    return write("test.csv", REFERENCE)


def test_prediction_files_with_probabilities_labels_and_json(write: Write,
                                                             reference: Path) -> None:
    probs = write("roberta.csv", "id,prob_neg,prob_pos\ns1,0.1,0.9\ns2,0.7,0.3\n"
                                 "s3,0.4,0.6\n")
    labels = write("tfidf.csv", "id,label\ns1,pos\ns2,neg\n")
    objects = write("lstm.jsonl", '{"id": "s1", "probs": {"pos": 0.6, "neg": 0.4}}\n'
                                  '{"id": "s3", "probs": [0.2, 0.8]}\n')
    bench = load_benchmark(reference, [("roberta", probs), ("tfidf", labels),
                                       ("lstm", objects)], LABEL)
    assert bench.kind == "label"
    roberta = {k: decode_prediction(v) for k, v in bench.predictions["roberta"].items()}
    assert [roberta[k].label for k in ("s1", "s2", "s3")] == ["pos", "neg", "pos"]
    assert roberta["s2"].prob("neg") == 0.7
    assert bench.predictions["tfidf"] == {"s1": "pos", "s2": "neg"}
    lstm = {k: decode_prediction(v) for k, v in bench.predictions["lstm"].items()}
    assert lstm["s3"].prob("pos") == 0.8 and lstm["s3"].prob("neg") == 0.2
    assert any("tfidf: 1 items have no prediction" in w for w in bench.warnings)


def test_a_predicted_class_the_gold_set_lacks_is_an_error(write: Write,
                                                           reference: Path) -> None:
    preds = write("p.csv", "id,label\ns1,pos\ns2,neutral\n")
    with pytest.raises(InputError) as err:
        load_benchmark(reference, [("x", preds)], LABEL)
    assert err.value.path == str(preds) and err.value.line == 3 and err.value.record == "s2"
    assert "class 'neutral' is not a gold label of any item (gold labels: neg, pos)" in str(
        err.value)


def test_a_probability_class_the_gold_set_lacks_is_an_error(write: Write,
                                                             reference: Path) -> None:
    preds = write("p.csv", "id,prob_neg,prob_pos,prob_mixed\ns1,0.1,0.8,0.1\n")
    with pytest.raises(InputError, match="class 'mixed' is not a gold label") as err:
        load_benchmark(reference, [("x", preds)], LABEL)
    assert err.value.line == 2


def test_a_gold_class_that_looks_like_json_is_a_class(write: Write) -> None:
    # "[CLS]" and "{x}" were read as JSON probabilities and refused.
    path = write("t.csv", 'id,label,pred_a,probs_a\n1,[CLS],[CLS],\n2,{x},{x},\n'
                          '3,{x},,"{""{x}"": 0.75, ""[CLS]"": 0.25}"\n')
    loaded = read(path, LABEL)
    assert loaded.predictions["a"]["1"] == "[CLS]" and loaded.predictions["a"]["2"] == "{x}"
    assert decode_prediction(loaded.predictions["a"]["3"]).label == "{x}"
    answers = write("p.csv", "id,label\n1,{x}\n2,[CLS]\n")
    bench = load_benchmark(path, [("b", answers)], LABEL)
    assert bench.predictions["b"] == {"1": "{x}", "2": "[CLS]"}
    bad = write("q.csv", "id,label\n1,[0.5]\n")
    with pytest.raises(InputError, match="a list of 1 probabilities"):
        load_benchmark(path, [("c", bad)], LABEL)


def test_unknown_class_inside_the_reference_table_names_the_line(write: Write) -> None:
    path = write("t.csv", "id,label,pred_a\n1,x,x\n2,y,z\n")
    with pytest.raises(InputError, match=r"system 'a': class 'z' is not a gold label") as err:
        read(path, LABEL)
    assert (err.value.line, err.value.record) == (3, "2")


@pytest.mark.parametrize(("row", "message"), [
    ("s1,0.5,0.6", "sum to 1.1, not 1"),
    ("s1,-0.2,1.2", "outside [0, 1]"),
    ("s1,abc,0.5", "not a number"),
    ("s1,,0.5", "no probability for class 'neg'"),
])
def test_bad_probabilities_are_refused(write: Write, reference: Path, row: str,
                                       message: str) -> None:
    preds = write("p.csv", f"id,prob_neg,prob_pos\n{row}\n")
    with pytest.raises(InputError, match=re.escape(message)) as err:
        load_benchmark(reference, [("x", preds)], LABEL)
    assert err.value.line == 2 and err.value.record == "s1"


def test_bad_json_probabilities_are_refused(write: Write, reference: Path) -> None:
    preds = write("p.csv", 'id,probs\ns1,"[0.5, 0.5, 0.0]"\n')
    with pytest.raises(InputError, match="a list of 3 probabilities, but the gold labels "
                       r"have 2 classes \(neg, pos\)"):
        load_benchmark(reference, [("x", preds)], LABEL)
    preds = write("q.csv", 'id,probs\ns1,"{oops"\n')
    with pytest.raises(InputError, match=re.escape("cannot read '{oops' as JSON probabilities")):
        load_benchmark(reference, [("x", preds)], LABEL)


@pytest.mark.parametrize(("content", "message"), [
    ("id,text\n1,x\n", "no gold label column; name it label or gold_label or gold"),
    ("id,label\n1,a\n2,\n", "empty gold label in column 'label'"),
    ("id,label\n1,a\n1,b\n", r"duplicate id '1' \(first on line 2\)"),
    ("id,label,gold\n1,a,a\n", "more than one column could hold the gold label"),
    ('id,label\n1,"{""label"": ""a""}"\n', "reserves for predictions"),
])
def test_bad_reference_tables(write: Write, content: str, message: str) -> None:
    path = write("t.csv", content)
    with pytest.raises(InputError, match=message) as err:
        read(path, LABEL)
    assert str(err.value).startswith(str(path))


def test_prediction_file_column_choice(write: Write, reference: Path) -> None:
    ambiguous = write("a.csv", "id,label,prediction\ns1,pos,neg\n")
    with pytest.raises(InputError, match="cannot tell which column holds system 'x'"):
        load_benchmark(reference, [("x", ambiguous)], LABEL)
    chosen = ReadOptions(kind="label", pred_cols={"x": "prediction"})
    bench = load_benchmark(reference, [("x", ambiguous)], chosen)
    assert bench.predictions["x"] == {"s1": "neg"}
    single = write("b.csv", "id,guess\ns1,neg\n")
    assert load_benchmark(reference, [("y", single)], LABEL).predictions["y"] == {"s1": "neg"}
    nothing = write("c.csv", "id,guess,other\ns1,neg,x\n")
    with pytest.raises(InputError, match="no column holds system 'z'"):
        load_benchmark(reference, [("z", nothing)], LABEL)
    no_id = write("d.csv", "label\npos\n")
    with pytest.raises(InputError, match="needs an id column"):
        load_benchmark(reference, [("w", no_id)], LABEL)


def test_other_kinds_still_read_tables_as_text(write: Write) -> None:
    path = write("t.csv", "id,reference,label\n1,hello,x\n")
    (item,) = read(path, ReadOptions(kind="text")).items
    assert item.reference == "hello" and dict(item.meta) == {"label": "x"}
