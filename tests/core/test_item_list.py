"""The item list without Qt: columns, cells, sort keys, filters and the review queue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from reviewer.core.item_list.columns import (
    ColumnRole,
    ItemColumn,
    item_columns,
    title,
    tooltip,
)
from reviewer.core.item_list.filters import UNREVIEWED, ItemFilter, ItemFilterState
from reviewer.core.item_list.queue import next_unreviewed
from reviewer.core.item_list.rows import main_category_of
from reviewer.core.item_list.table import (
    UNDEFINED,
    UNKNOWN_SCORE,
    ItemTable,
    natural_key,
    natural_text_key,
)

ID = ItemColumn(ColumnRole.ID)
VERDICT = ItemColumn(ColumnRole.VERDICT)
SUSPICION = ItemColumn(ColumnRole.SUSPICION)
MAIN = ItemColumn(ColumnRole.MAIN_CATEGORY)
NAMES = {"case": "Case", "confusable": "Confusable glyphs", "punctuation": "Punctuation"}


@dataclass
class Rows:
    """Item rows as the store's summaries hold them, written out by hand."""

    ids: list[str]
    systems: list[str]
    verdicts: dict[str, str]
    main_errors: dict[str, list[int]]
    main_units: dict[str, list[int]]
    main_category: dict[str, list[str]]
    positions: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.positions = {item_id: k for k, item_id in enumerate(self.ids)}


def rows() -> Rows:
    """Six items, two systems; l10 has an empty reference (undefined rate for tess)."""
    return Rows(
        ids=["l1", "l2", "l10", "l3", "l4", "l5"],
        systems=["tess", "kraken"],
        verdicts={"l2": "reference_error", "l4": "ok", "l5": "model_error"},
        main_errors={"tess": [0, 2, 3, 1, 0, 2], "kraken": [1, 0, 0, 1, 0, 4]},
        main_units={"tess": [10, 4, 0, 10, 5, 4], "kraken": [10, 4, 0, 10, 5, 4]},
        main_category={"tess": ["", "confusable", "case", "punctuation", "", "case"],
                       "kraken": ["case", "", "", "confusable", "", "punctuation"]},
    )


def rate(system: str) -> ItemColumn:
    return ItemColumn(ColumnRole.RATE, system)


def errors(system: str) -> ItemColumn:
    return ItemColumn(ColumnRole.ERRORS, system)


def table(scores: Mapping[str, float] | None = None) -> ItemTable:
    data = rows()
    return ItemTable(data, item_columns(data.systems, suspicion=True), NAMES,
                     lambda: scores)


# -- columns ---------------------------------------------------------------------------------
def test_columns_are_id_verdict_suspicion_then_rate_and_errors_per_system_then_main() -> None:
    assert item_columns(["a", "b"], suspicion=True) == (
        ID, VERDICT, SUSPICION, rate("a"), errors("a"), rate("b"), errors("b"), MAIN)
    assert SUSPICION not in item_columns(["a"], suspicion=False)
    assert [c.numeric for c in item_columns(["a"], suspicion=True)] == [
        False, False, True, True, True, False]


def test_a_column_has_a_system_exactly_when_its_numbers_are_per_system() -> None:
    with pytest.raises(ValueError, match="needs a system"):
        ItemColumn(ColumnRole.RATE)
    with pytest.raises(ValueError, match="has no system"):
        ItemColumn(ColumnRole.VERDICT, "tess")


def test_headers_name_the_kinds_metric_and_the_system() -> None:
    assert title(rate("tess"), "WER") == "tess\nWER"
    assert title(errors("tess"), "WER") == "tess\nerrors"
    assert [title(c, "CER") for c in (ID, VERDICT, SUSPICION, MAIN)] == [
        "Id", "Verdict", "Suspicion", "Main category"]
    assert tooltip(rate("tess"), "SER") == "SER of tess against the current reference"
    assert tooltip(errors("tess"), "SER") == "Errors of tess"
    assert tooltip(MAIN, "SER") == "The error category with the most errors"


# -- cells -----------------------------------------------------------------------------------
def test_the_main_category_is_the_chosen_systems_else_the_worst_systems() -> None:
    data = rows()
    assert main_category_of(data, 1) == "confusable"  # tess: 2 errors, kraken none
    assert main_category_of(data, 5) == "punctuation"  # kraken: 4 errors against 2
    assert main_category_of(data, 3) == "punctuation"  # a tie goes to the first system
    assert main_category_of(data, 4) == ""  # no errors at all
    assert main_category_of(data, 1, "kraken") == ""
    assert main_category_of(data, 1, "unknown") == "confusable"


def test_cells_show_ids_verdicts_rates_errors_and_category_names() -> None:
    t = table()
    assert t.text(ID, 2) == "l10"
    assert t.text(VERDICT, 1) == "Reference error"
    assert t.text(VERDICT, 0) == ""
    assert t.text(rate("tess"), 1) == "50.00%"
    assert t.text(rate("tess"), 2) == UNDEFINED  # errors against an empty reference
    assert t.text(rate("kraken"), 2) == "0.00%"  # nothing against nothing
    assert t.text(errors("kraken"), 5) == "4"
    assert t.text(MAIN, 1) == "Confusable glyphs"
    assert t.text(MAIN, 4) == ""
    t.main_system = "kraken"
    assert t.text(MAIN, 0) == "Case"
    assert t.counts_text(rate("tess"), 1) == "2 errors / 4 units"
    assert t.counts_text(errors("tess"), 1) is None


def test_a_category_the_kind_does_not_know_shows_its_id() -> None:
    data = rows()
    data.main_category["tess"][1] = "retired"
    assert ItemTable(data, (MAIN,), NAMES).text(MAIN, 1) == "retired"


def test_suspicion_cells_wait_for_the_ranking() -> None:
    assert table().text(SUSPICION, 0) == UNKNOWN_SCORE
    ranked = table({"l1": 0.4321})
    assert ranked.text(SUSPICION, 0) == "0.43"
    assert ranked.text(SUSPICION, 1) == UNKNOWN_SCORE  # not ranked (yet)


# -- sorting ---------------------------------------------------------------------------------
def test_undefined_rates_sort_last_in_both_directions_and_ties_keep_item_order() -> None:
    t = table()
    assert t.sorted_ids(rate("tess")) == ["l1", "l4", "l3", "l2", "l5", "l10"]
    assert t.sorted_ids(rate("tess"), descending=True) == ["l2", "l5", "l3", "l1", "l4", "l10"]
    assert t.sort_key(rate("tess"))(2) is None
    assert list(t.sort_values(rate("tess"))) == [t.sort_key(rate("tess"))(k) for k in range(6)]


def test_errors_sort_by_count_ties_in_item_order() -> None:
    t = table()
    assert t.sorted_ids(errors("kraken"), descending=True) == ["l5", "l1", "l3", "l2", "l10",
                                                               "l4"]
    assert t.sort_key(errors("kraken"))(5) == 4


def test_ids_sort_naturally_and_no_column_is_item_order() -> None:
    t = table()
    assert t.sorted_ids(ID) == ["l1", "l2", "l3", "l4", "l5", "l10"]
    assert t.sorted_ids(ID, descending=True) == ["l10", "l5", "l4", "l3", "l2", "l1"]
    assert t.sorted_ids(None) == rows().ids
    assert natural_key("L2") < natural_key("l10")


def test_natural_order_takes_any_id_superscripts_other_digits_and_long_numbers() -> None:
    # '²' is a digit to str.isdigit but not a decimal (int() refuses it): it sorts as text;
    # Arabic-Indic digits are numbers by value; a number of 5,000 digits is beyond int().
    ids = ["x²", "x\u0663", "x2", "x10", "x" + "9" * 5000, "x007"]
    expected = ["x2", "x\u0663", "x007", "x10", "x" + "9" * 5000, "x²"]
    assert sorted(ids, key=natural_key) == expected
    assert sorted(ids, key=natural_text_key) == expected


def test_reading_new_rows_forgets_the_natural_order() -> None:
    t = table()
    assert t.sorted_ids(ID)[0] == "l1"
    t.set_rows(Rows(["b9", "a", "b10"], [], {}, {}, {}, {}))
    assert t.sorted_ids(ID) == ["a", "b9", "b10"]


def test_verdicts_sort_in_verdict_order_unreviewed_last() -> None:
    t = table()
    assert t.sorted_ids(VERDICT) == ["l4", "l5", "l2", "l1", "l10", "l3"]
    assert t.sorted_ids(VERDICT, descending=True) == ["l2", "l5", "l4", "l1", "l10", "l3"]


def test_main_categories_sort_by_name_items_without_one_last() -> None:
    t = table()
    # Case (l10, l1 is kraken's: tess has no error there), Confusable, Punctuation (l3, l5).
    assert t.sorted_ids(MAIN) == ["l1", "l10", "l2", "l3", "l5", "l4"]


def test_the_suspicion_queue_puts_the_most_suspicious_first_unranked_last() -> None:
    t = table({"l1": 0.2, "l2": 0.9, "l3": 0.2, "l4": 0.5})
    assert t.sorted_ids(SUSPICION, descending=True) == ["l2", "l4", "l1", "l3", "l10", "l5"]
    assert table().sorted_ids(SUSPICION, descending=True) == rows().ids  # not ranked yet


# -- filters ---------------------------------------------------------------------------------
@dataclass
class Queries:
    """Stored-data answers for the filters, counting how often each is asked."""

    text: dict[str, set[str]] = field(default_factory=dict)
    disputed: set[str] = field(default_factory=set)
    categories: dict[tuple[str, str | None], set[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def ids_matching_text(self, text: str) -> set[str]:
        self.asked.append(f"text:{text}")
        return self.text.get(text, set())

    def disagreements(self) -> set[str]:
        self.asked.append("disagreements")
        return set(self.disputed)

    def ids_with_category(self, category_id: str, system: str | None) -> set[str]:
        self.asked.append(f"category:{category_id}:{system}")
        return self.categories.get((category_id, system), set())


def allowed(queries: Queries, criteria: ItemFilter) -> set[str] | None:
    state = ItemFilterState(queries)
    state.update(criteria)
    state.apply(rows())
    return state.allowed


def test_no_filter_allows_every_item() -> None:
    state = ItemFilterState(Queries())
    state.apply(rows())
    assert state.allowed is None and state.accepts("anything")


def test_the_verdict_filter_and_unreviewed() -> None:
    assert allowed(Queries(), ItemFilter(verdict="ok")) == {"l4"}
    assert allowed(Queries(), ItemFilter(verdict=UNREVIEWED)) == {"l1", "l10", "l3"}


def test_only_errors_of_any_system_or_of_the_chosen_one() -> None:
    with_errors = {"l1", "l2", "l10", "l3", "l5"}
    assert allowed(Queries(), ItemFilter(only_errors=True)) == with_errors
    assert allowed(Queries(), ItemFilter(only_errors=True, system="kraken")) == {"l1", "l3",
                                                                                 "l5"}
    # An unknown system (a project without it) restricts nothing.
    assert allowed(Queries(), ItemFilter(only_errors=True, system="gone")) == with_errors


def test_the_category_filter_asks_for_the_known_system_only() -> None:
    queries = Queries(categories={("case", None): {"l1", "l10", "l5"},
                                  ("case", "tess"): {"l10", "l5"}})
    assert allowed(queries, ItemFilter(category="case")) == {"l1", "l10", "l5"}
    assert allowed(queries, ItemFilter(category="case", system="tess")) == {"l10", "l5"}
    assert allowed(queries, ItemFilter(category="case", system="gone")) == {"l1", "l10", "l5"}
    assert queries.asked == ["category:case:None", "category:case:tess", "category:case:None"]


def test_text_disagreements_and_an_id_set_combine_with_the_rest() -> None:
    queries = Queries(text={"speaker:spk07": {"l2", "l3", "l5"}}, disputed={"l3", "l5", "l4"})
    assert allowed(queries, ItemFilter(text="  speaker:spk07 ")) == {"l2", "l3", "l5"}
    assert allowed(queries, ItemFilter(disagreements_only=True)) == {"l3", "l4", "l5"}
    assert allowed(queries, ItemFilter(ids=frozenset({"l4", "l5"}))) == {"l4", "l5"}
    everything = ItemFilter(text="speaker:spk07", disagreements_only=True,
                            ids=frozenset({"l5", "l1"}), verdict="model_error")
    assert allowed(queries, everything) == {"l5"}
    assert allowed(queries, ItemFilter(verdict="ok", only_errors=True)) == set()


def test_stored_data_is_queried_when_its_filter_changes_and_on_requery() -> None:
    queries = Queries(text={"rn": {"l2"}}, disputed={"l3"})
    state = ItemFilterState(queries)
    assert state.update(ItemFilter(text="rn"))
    assert not state.update(ItemFilter(text=" rn "))  # the same once stripped
    assert state.update(ItemFilter(text="rn", verdict="ok"))  # the text is not asked again
    assert state.update(ItemFilter(text="rn", disagreements_only=True))
    assert queries.asked == ["text:rn", "disagreements"]
    queries.disputed = {"l2", "l3"}
    state.requery(rows())
    assert queries.asked[2:] == ["text:rn", "disagreements"]
    assert state.allowed == {"l2"} and state.accepts("l2") and not state.accepts("l3")
    state.update(ItemFilter())  # off: nothing left to ask on the next requery
    state.requery(rows())
    assert len(queries.asked) == 4 and state.allowed is None


# -- the review queue ------------------------------------------------------------------------
ORDER = ["l1", "l2", "l3", "l4", "l5"]


def test_next_unreviewed_continues_after_the_current_item_and_wraps_round() -> None:
    reviewed = {"l2", "l4"}
    assert next_unreviewed(ORDER, "l1", reviewed, lambda _: True) == "l3"
    assert next_unreviewed(ORDER, "l5", reviewed, lambda _: True) == "l1"
    assert next_unreviewed(ORDER, None, reviewed, lambda _: True) == "l1"
    assert next_unreviewed(ORDER, "l3", set(ORDER) - {"l3"}, lambda _: True) is None
    assert next_unreviewed([], None, set(), lambda _: True) is None


def test_next_unreviewed_skips_hidden_items_and_starts_after_a_hidden_current_one() -> None:
    shown = {"l1", "l4", "l5"}.__contains__
    assert next_unreviewed(ORDER, "l2", {"l4"}, shown) == "l5"
    assert next_unreviewed(ORDER, "l2", {"l4"}, shown, {k: n for n, k in
                                                         enumerate(ORDER)}.get) == "l5"
    assert next_unreviewed(ORDER, "gone", {"l4"}, shown) == "l1"  # unknown: from the top


def test_next_unreviewed_follows_the_suspicion_queue() -> None:
    t = table({"l1": 0.1, "l2": 0.9, "l3": 0.7, "l4": 0.8, "l5": 0.3, "l10": 0.6})
    queue = t.sorted_ids(SUSPICION, descending=True)
    assert queue == ["l2", "l4", "l3", "l10", "l5", "l1"]
    reviewed = rows().verdicts
    assert next_unreviewed(queue, None, reviewed, lambda _: True) == "l3"
    assert next_unreviewed(queue, "l3", reviewed, lambda _: True) == "l10"
    assert next_unreviewed(queue, "l1", reviewed, lambda _: True) == "l3"
