"""Tables read as one system's predictions (role="prediction")."""

from __future__ import annotations

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write


def _pred(system: str = "tess", **kwargs: object) -> ReadOptions:
    return ReadOptions(role="prediction", system=system, **kwargs)  # type: ignore[arg-type]


def test_id_and_prediction_column(write: Write) -> None:
    loaded = read(write("p.csv", "id,reference,prediction\na,x,y\n"), _pred())
    assert loaded.items == []
    assert loaded.predictions == {"tess": {"a": "y"}}


def test_single_non_id_column(write: Write) -> None:
    loaded = read(write("p.tsv", "id\ttext\na\tone\nb\t\n"), _pred())
    assert loaded.predictions == {"tess": {"a": "one", "b": ""}}


def test_prefixed_column_for_the_system(write: Write) -> None:
    loaded = read(write("p.csv", "id,pred_kraken,pred_tess\na,k,t\n"), _pred())
    assert loaded.predictions == {"tess": {"a": "t"}}


def test_pred_cols_override_and_id_col(write: Write) -> None:
    options = _pred(pred_cols={"tess": "out2"}, id_col="key")
    loaded = read(write("p.csv", "key,out1,out2\na,1,2\n"), options)
    assert loaded.predictions == {"tess": {"a": "2"}}


def test_id_col_of_the_reference_absent_here_falls_back_to_id(write: Write) -> None:
    loaded = read(write("p.csv", "id,hyp\na,1\n"), _pred(id_col="utt"))
    assert loaded.predictions == {"tess": {"a": "1"}}


def test_unknown_ids_are_left_to_the_loader(write: Write) -> None:
    loaded = read(write("p.csv", "id,hyp\nzz,1\n"), _pred(known_ids=frozenset({"a"})))
    assert loaded.predictions == {"tess": {"zz": "1"}}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("text\nhello\n", "needs an id column"),
        ("id,pred_a,pred_b\nx,1,2\n", "cannot tell which column holds system 'tess'"),
        ("id,x,y\nx,1,2\n", "cannot tell which column"),
        ("id,hyp\nx,1\nx,2\n", "duplicate id 'x'"),
    ],
)
def test_prediction_table_errors(write: Write, content: str, words: str) -> None:
    path = write("p.csv", content)
    with pytest.raises(InputError) as err:
        read(path, _pred())
    assert str(err.value).startswith(str(path))
    assert words in str(err.value)
