"""Parquet tables (pandas and pyarrow)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write


def test_parquet_values_become_text(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.DataFrame({
        "id": ["a", "b"], "reference": ["x", None], "hyp_tess": ["y", None],
        "score": [1, 2], "conf": [0.5, float("nan")],
    }).to_parquet(path, index=False)
    loaded = read(path, ReadOptions())
    a, b = loaded.items
    assert (a.id, a.reference, a.meta) == ("a", "x", (("score", "1"), ("conf", "0.5")))
    assert (b.reference, b.meta) == ("", (("score", "2"),))
    assert loaded.predictions == {"tess": {"a": "y"}}


def test_parquet_duplicate_id_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.DataFrame({"id": ["a", "a"], "ref": ["x", "y"]}).to_parquet(path, index=False)
    with pytest.raises(InputError, match=r"row 2: duplicate id 'a' \(first on row 1\)") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(str(path))


def test_corrupt_parquet(write: Write) -> None:
    path = write("t.parquet", b"PAR1 not really")
    with pytest.raises(InputError, match="cannot read the Parquet file") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(str(path))
