"""Multiple-choice tables (``--kind choice``): question, options, answer key, model answers.

Columns are found by name unless chosen: id (``--id-col``, else ``id``; rows are numbered
without one), question (``--text-col``, else question/prompt/stem/text), options (one list
column choices/options, or one column per option named ``A``, ``B``, ... or ``option_a``,
...), the key (``--label-col``, else answer/groundtruth_answer/gold/answer_key/key/label)
and subject. Model answers: ``--pred-col NAME=COLUMN`` (letters, indices counted like the
key's, or option text), and every other column whose values are option letters (MMLU-Redux
names its columns after the models; a ``pred_`` prefix is dropped from the system's name).
Columns whose names say they aggregate others (``majority_…``, ``…vote…``) stay metadata.
An ``error_type`` column is read as MMLU-Redux labels (``redux_error_type``, spellings
mapped to the taxonomy ids) and the dataset's ``correct_answer``, ``potential_reason`` and
``source`` become ``redux_…`` meta.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from reviewer.core.choice_codec import choice_letter, decode_choice, encode_choice
from reviewer.core.choice_keys import LETTERS
from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.label_codec import looks_encoded
from reviewer.formats.choice_cells import (
    CellError,
    answer_letter,
    error_type_id,
    is_index,
    letter_of,
    parse_key,
    parse_options,
)
from reviewer.formats.column_lookup import (
    find_column,
    first_free_column,
    listing,
    require_column,
)
from reviewer.formats.columns import EXPORT_COLUMNS, export_columns, meta_key
from reviewer.formats.registry import Loaded, ReadOptions, register_kind_table
from reviewer.formats.tableparse import Cell, Table, row_error, table_ids

ID_NAMES = ("id", "question_id", "qid")
QUESTION_NAMES = ("question", "prompt", "stem", "query", "text")
OPTIONS_NAMES = ("choices", "options", "answers", "candidates")
KEY_NAMES = ("answer", "groundtruth_answer", "ground_truth", "gold", "answer_key", "key",
             "label", "target")
SUBJECT_NAMES = ("subject", "category", "topic")
OPTION_PREFIXES = ("", "option_", "option ", "choice_", "choice ", "opt_", "op")
PRED_PREFIXES = ("pred_", "prediction_")
AGGREGATE_WORDS = ("majority", "vote", "ensemble", "consensus")
REDUX_COLUMNS = ("error_type", "correct_answer", "potential_reason", "source")
ANSWER_SHARE = 0.9  # share of a column's answers that must be letters to read it as a model
T = TypeVar("T")


@register_kind_table("choice")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items and model answers (reference role) or one system's answers (prediction role)."""
    if options.role == "prediction":
        return _predictions(path, table, options)
    header = table.header
    rows = [cells for _, cells in table.rows]
    taken: set[int] = set()
    id_col = _pick(path, header, options.id_col, ID_NAMES, "--id-col", taken)
    question = _pick(path, header, options.text_col, QUESTION_NAMES, "--text-col", taken)
    if question is None:
        raise InputError(path, "no question column; name it question or choose it with "
                         f"--text-col; columns: {listing(header)}")
    list_col = _pick(path, header, None, OPTIONS_NAMES, "", taken)
    letter_cols = [] if list_col is not None else _letter_columns(header, taken)
    if list_col is None and not letter_cols:
        raise InputError(path, "no options: give a list column (choices or options) or one "
                         f"column per option named A, B, C, ...; columns: {listing(header)}")
    key_col = _pick(path, header, options.label_col or options.ref_col, KEY_NAMES,
                    "--label-col", taken)
    if key_col is None:
        raise InputError(path, "no answer column; name it answer or choose it with "
                         f"--label-col; columns: {listing(header)}")
    subject = _pick(path, header, None, SUBJECT_NAMES, "", taken)
    warnings: list[str] = []
    ids = _ids(path, table, id_col, warnings)
    opts = [_options(path, table, k, cells, list_col, letter_cols) for k, cells in enumerate(rows)]
    base, note = _index_base([cells[key_col] or "" for cells in rows], opts)
    if note:
        warnings.append(f"{path}: column {header[key_col]!r} holds option indices; {note}")
    keys = [_cell(path, table, k, partial(parse_key, cells[key_col] or "", opts[k], base))
            for k, cells in enumerate(rows)]
    if empty := sum(1 for k in keys if not k):
        warnings.append(f"{path}: {empty} items have no correct answer (an empty or n/a key)")
    systems = _model_columns(path, header, rows, opts, options, taken, warnings)
    redux = _redux_columns(header, taken)
    meta_cols = [i for i in range(len(header)) if i not in taken | export_columns(header)]
    items = []
    for k, cells in enumerate(rows):
        meta: list[tuple[str, str]] = [("question", cells[question] or ""),
                                       ("options", json.dumps(opts[k], ensure_ascii=False))]
        if subject is not None and cells[subject]:
            meta.append(("subject", cells[subject] or ""))
        for name, i in redux.items():
            value = cells[i] or ""
            if name == "redux_error_type":
                value = _cell(path, table, k, partial(error_type_id, value))
            if value:
                meta.append((name, value))
        meta += [(meta_key(header, i), c) for i in meta_cols if (c := cells[i])]
        items.append(Item(ids[k], keys[k], None, tuple(meta)))
    preds = {}
    for system, (col, numeric) in systems.items():
        preds[system] = _answers(path, system, [(ids[k], cells[col], opts[k])
                                                for k, cells in enumerate(rows)],
                                 base if numeric else None, warnings)
    return Loaded(items=items, predictions=preds, warnings=warnings, sources=[path])


# -- columns -------------------------------------------------------------------------------
def _pick(path: Path, header: Sequence[str], override: str | None, names: Sequence[str],
          flag: str, taken: set[int]) -> int | None:
    """The chosen column, else the first free column named one of ``names`` (in order).

    The column found is added to ``taken``.
    """
    found = (require_column(path, header, override, flag) if override
             else first_free_column(header, names, taken))
    if found is not None:
        taken.add(found)
    return found


def _letter_columns(header: Sequence[str], taken: set[int]) -> list[int]:
    """Columns A, B, C, ... (or option_a, ...), consecutive from A, under one naming."""
    for prefix in OPTION_PREFIXES:
        cols: list[int] = []
        for letter in LETTERS:
            found = find_column(header, prefix + letter)
            if found is None or found in taken:
                break
            cols.append(found)
        if len(cols) >= 2:
            taken.update(cols)
            return cols
    return []


def _redux_columns(header: Sequence[str], taken: set[int]) -> dict[str, int]:
    """MMLU-Redux's own columns (when the table has ``error_type``), as ``redux_…`` meta."""
    if find_column(header, "error_type") is None:
        return {}
    out = {}
    for name in REDUX_COLUMNS:
        found = find_column(header, name)
        if found is not None and found not in taken:
            taken.add(found)
            out[f"redux_{name}"] = found
    return out


def _model_columns(path: Path, header: Sequence[str], rows: list[list[Cell]],
                   opts: list[list[str]], options: ReadOptions, taken: set[int],
                   warnings: list[str]) -> dict[str, tuple[int, bool]]:
    """System -> (column, whether indices are answers) of the model answer columns."""
    out: dict[str, tuple[int, bool]] = {}
    for system, column in options.pred_cols.items():
        out[system] = (require_column(path, header, column, "--pred-col"), True)
    taken.update(c for c, _ in out.values())
    aggregates = []
    for i, name in enumerate(header):
        if i in taken or name.lower() in EXPORT_COLUMNS:
            continue
        if not _letters(rows, i, opts):
            continue
        if any(word in name.lower() for word in AGGREGATE_WORDS):
            aggregates.append(name)
            continue
        system = next((name[len(p):] for p in PRED_PREFIXES
                       if name.lower().startswith(p) and len(name) > len(p)), name)
        if system in out:
            raise InputError(path, f"system {system!r} would come from two columns; choose "
                             "with --pred-col")
        out[system] = (i, False)
        taken.add(i)
    if aggregates:
        warnings.append(f"{path}: {listing(aggregates)} hold answers but their names say they "
                        "aggregate other columns; kept as item metadata (score one with "
                        "--pred-col NAME=COLUMN)")
    return out


def _letters(rows: list[list[Cell]], col: int, opts: list[list[str]]) -> bool:
    """Whether the column's values are mostly option letters (a model's answers)."""
    given = mapped = 0
    for cells, options in zip(rows, opts, strict=True):
        value = (cells[col] or "").strip()
        if value:
            given += 1
            mapped += letter_of(choice_letter(value), len(options)) is not None
    return given > 0 and given >= len(rows) / 2 and mapped >= ANSWER_SHARE * given


# -- cells -----------------------------------------------------------------------------------
def _options(path: Path, table: Table, k: int, cells: list[Cell], list_col: int | None,
             letter_cols: list[int]) -> list[str]:
    if list_col is not None:
        return _cell(path, table, k, partial(parse_options, cells[list_col] or ""))
    found = [cells[i] or "" for i in letter_cols]
    while found and not found[-1].strip():
        found.pop()
    if not found:
        raise _error(path, table, k, "the row has no options")
    return found


def _index_base(cells: list[str], opts: list[list[str]]) -> tuple[int, str]:
    """0 or 1: how the key column counts options, and what was concluded (or assumed)."""
    numbers = [(int(float(c)), len(o)) for c, o in zip(cells, opts, strict=True) if is_index(c)]
    if not numbers:
        return 0, ""
    if any(n == 0 for n, _ in numbers):
        return 0, "read as 0-based (index 0 occurs)"
    if any(n == count for n, count in numbers):
        return 1, "read as 1-based (an index equals the number of options)"
    return 0, "assumed 0-based (no 0, and no index equal to the number of options)"


def _answers(path: Path, system: str, rows: list[tuple[str, Cell, list[str]]],
             base: int | None, warnings: list[str]) -> dict[str, str]:
    """Item id -> letter ('' for none); a cell naming no option is counted and warned about."""
    out: dict[str, str] = {}
    bad: list[str] = []
    for item_id, cell, options in rows:
        if cell is None:
            continue
        # An export of harness-read answers keeps their option probabilities.
        stored = decode_choice(cell) if looks_encoded(cell) else None
        letter = answer_letter(stored.label if stored else cell, options, base)
        if letter is None:
            bad.append(f"{item_id}: {cell.strip()[:30]!r}")
            letter = ""
        out[item_id] = encode_choice(letter, stored.probs if stored and letter else None)
    if bad:
        warnings.append(f"{path}: system {system}: {len(bad)} answers name no option, scored as "
                        f"no answer ({', '.join(bad[:3])}{', ...' if len(bad) > 3 else ''})")
    return out


def _predictions(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """One system's answers from a table of id and answer (letters or indices)."""
    from reviewer.formats.columns import prediction_columns

    cols = prediction_columns(path, table.header, options)
    ((system, col),) = cols.preds.items()
    assert cols.id is not None
    warnings: list[str] = []
    ids = _ids(path, table, cols.id, warnings)
    cells = [(cells[col] or "").strip() for _, cells in table.rows]
    numbers = [int(float(c)) for c in cells if is_index(c)]
    base = 0 if 0 in numbers else 1
    if numbers:
        warnings.append(f"{path}: answers given as indices; read as {base}-based "
                        + ("(index 0 occurs)" if base == 0 else "(no index 0 occurs)"))
    wide = [LETTERS[k] for k in range(len(LETTERS))]  # options unknown here: any letter
    answers = _answers(path, system, [(i, c, wide) for i, c in zip(ids, cells, strict=True)],
                       base, warnings)
    return Loaded(predictions={system: answers}, warnings=warnings, sources=[path])


def _ids(path: Path, table: Table, col: int | None, warnings: list[str]) -> list[str]:
    if col is None:
        warnings.append(f"{path}: no id column; items are numbered row_1 to "
                        f"row_{len(table.rows)}")
    return table_ids(path, table, col)


def _cell(path: Path, table: Table, k: int, read: Callable[[], T]) -> T:
    """``read()``, its :class:`CellError` turned into an error naming the file and row."""
    try:
        return read()
    except CellError as exc:
        raise _error(path, table, k, str(exc)) from None


def _error(path: Path, table: Table, k: int, message: str, record: str | None = None
           ) -> InputError:
    """An error about the ``k``-th row (counted from 0)."""
    return row_error(path, table, table.rows[k][0], message, record)
