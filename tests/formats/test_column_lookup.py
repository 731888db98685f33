"""The one column lookup every table reader uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.column_lookup import (
    find_column,
    first_free_column,
    listing,
    require_column,
    unique_column,
)

PATH = Path("bench.csv")


def test_a_column_is_called_by_its_exact_name_else_by_its_only_case_insensitive_one() -> None:
    assert find_column(["id", "Ref", "ref"], "ref") == 2
    assert find_column(["id", "Reference"], "reference") == 1
    assert find_column(["id", "REF", "Ref"], "ref") is None  # which one?
    assert find_column(["id"], "ref") is None


def test_a_chosen_column_that_is_missing_names_the_option_and_the_columns() -> None:
    assert require_column(PATH, ["id", "Gold"], "gold", "--label-col") == 1
    with pytest.raises(InputError, match=r"no column 'gold' \(from --label-col\); "
                                         r"columns: 'id', 'text'"):
        require_column(PATH, ["id", "text"], "gold", "--label-col")
    with pytest.raises(InputError, match=r"columns: \(none\)"):
        require_column(PATH, [], "gold", "--label-col")


def test_a_role_is_the_chosen_column_else_the_one_column_named_for_it() -> None:
    header = ["ID", "ref", "gt", "pred"]
    assert unique_column(PATH, header, None, ("id",), "id", "--id-col") == 0
    assert unique_column(PATH, header, "pred", ("id",), "id", "--id-col") == 3
    assert unique_column(PATH, header, None, ("media",), "media", "--media-col") is None
    with pytest.raises(InputError, match="more than one column could hold the reference: "
                                         "'ref', 'gt'; choose one with --ref-col"):
        unique_column(PATH, header, None, ("ref", "gt"), "reference", "--ref-col")


def test_the_first_free_column_follows_the_order_of_the_names() -> None:
    header = ["label", "answer", "gold"]
    assert first_free_column(header, ("answer", "gold", "label")) == 1
    assert first_free_column(header, ("answer", "gold"), taken={1}) == 2
    assert first_free_column(header, ("key",)) is None


def test_listing_quotes_the_names() -> None:
    assert listing(["a", "b c"]) == "'a', 'b c'"
    assert listing([]) == "(none)"
