"""Column auto-detection (case-insensitive) and the ReadOptions overrides."""

from __future__ import annotations

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import Loaded, ReadOptions, read
from tests.formats.conftest import Write


def _read(write: Write, header: str, options: ReadOptions | None = None) -> Loaded:
    row = ",".join(f"v{n}" for n in range(len(header.split(","))))
    return read(write("t.csv", f"{header}\n{row}\n"), options or ReadOptions())


@pytest.mark.parametrize("name", ["reference", "REF", "Gt", "ground_truth", "target", "text"])
def test_reference_names(write: Write, name: str) -> None:
    loaded = _read(write, f"ID,{name}")
    assert (loaded.items[0].id, loaded.items[0].reference) == ("v0", "v1")


def test_text_is_only_a_fallback(write: Write) -> None:
    loaded = _read(write, "id,text,gt")
    assert loaded.items[0].reference == "v2"
    assert loaded.items[0].meta == (("text", "v1"),)


@pytest.mark.parametrize("name", ["prediction", "Pred", "hypothesis", "hyp", "OUTPUT"])
def test_generic_prediction_column_names_the_system(write: Write, name: str) -> None:
    assert _read(write, f"id,ref,{name}").predictions == {name: {"v0": "v2"}}


@pytest.mark.parametrize("name", ["pred_tess", "prediction_tess", "HYP_tess"])
def test_prefixed_prediction_columns(write: Write, name: str) -> None:
    assert _read(write, f"id,ref,{name}").predictions == {"tess": {"v0": "v2"}}


@pytest.mark.parametrize("name", ["image", "Media", "path", "audio"])
def test_media_names(write: Write, name: str) -> None:
    loaded = _read(write, f"id,ref,{name}")
    assert loaded.items[0].media is not None and loaded.items[0].media.endswith("/v2")


def test_overrides(write: Write) -> None:
    options = ReadOptions(id_col="key", ref_col="truth", pred_cols={"tess": "tesseract"},
                          media_col="file")
    loaded = _read(write, "key,truth,tesseract,file,gt", options)
    item = loaded.items[0]
    assert (item.id, item.reference, item.meta) == ("v0", "v1", (("gt", "v4"),))
    assert item.media is not None and item.media.endswith("/v3")
    assert loaded.predictions == {"tess": {"v0": "v2"}}


def test_override_is_case_insensitive(write: Write) -> None:
    loaded = _read(write, "id,Truth", ReadOptions(ref_col="truth"))
    assert loaded.items[0].reference == "v1"


def test_explicit_prediction_column_is_not_detected_twice(write: Write) -> None:
    loaded = _read(write, "id,ref,pred_a", ReadOptions(pred_cols={"alpha": "pred_a"}))
    assert loaded.predictions == {"alpha": {"v0": "v2"}}


@pytest.mark.parametrize(
    ("header", "options", "words"),
    [
        ("id,ref,gt", None, "more than one column could hold the reference: 'ref', 'gt'"),
        ("id,hyp", None, "no reference column"),
        ("id,ref,image,audio", None, "more than one column could hold the media"),
        ("id,ID,ref", None, "more than one column could hold the id"),
        ("id,ref", ReadOptions(ref_col="truth"), "no column 'truth' (from --ref-col)"),
        ("id,ref", ReadOptions(pred_cols={"a": "x"}), "no column 'x'"),
        ("id,ref,pred,pred_pred", None, "system 'pred' would come from two columns"),
    ],
)
def test_column_errors_name_the_file(
    write: Write, header: str, options: ReadOptions | None, words: str
) -> None:
    with pytest.raises(InputError) as err:
        _read(write, header, options)
    assert str(err.value).startswith(str(write("t.csv", "")))
    assert words in str(err.value)
