"""Classification tables (``--kind label``): CSV, TSV, JSONL or Parquet, one row per item.

A reference table has an id column (``id``, or ``--id-col``; rows are numbered without
one), the gold class (``--label-col``, else ``label``, ``gold_label`` or ``gold``, else
``--ref-col``), and the
item text (``text``, ``sentence`` or ``input``, or ``--text-col``) and/or an image path
(``image``, ``media``, ``path``, or ``--media-col``). Systems' answers may sit in the same
table: ``pred_<system>`` columns (a class, or a JSON list/object of class probabilities; a
gold class such as ``[CLS]`` stays a class),
``probs_<system>`` columns (JSON probabilities), and ``prob_<class>`` columns (one system's
probability per class, named after the one ``pred_<system>`` column, else ``model``).

A prediction file (``--pred NAME=file``) has an id column and a class column (``label``,
``pred``, ``prediction``, ``predicted``, or the only other column), ``prob_<class>``
columns, or a JSON probabilities column (``probs``, ``probabilities``, ``scores``), or
several of these; ``--pred-col NAME=COLUMN`` names the column.

A JSON list of probabilities is in the natural order of the gold classes (``0, 1, …, 10``
or alphabetical); a JSON object names each class. Probabilities must lie in [0, 1] (±1e-4,
then clipped to it) and sum to 1 (±0.01); the predicted class is the one given, else the
most probable one. Every class a system names must be a gold class of some item: an
unknown class is an error naming the file and the record, never a class silently added.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.label_codec import (
    class_order,
    decode_prediction,
    encode_prediction,
    looks_encoded,
)
from reviewer.formats.column_lookup import find_column, listing, require_column, unique_column
from reviewer.formats.columns import ID_NAMES, MEDIA_NAMES, PRED_PREFIXES, export_columns, meta_key
from reviewer.formats.registry import Loaded, ReadOptions, register_kind_table
from reviewer.formats.tableparse import Cell, Table, row_error, table_ids
from reviewer.formats.textio import absolute_media, missing_media_warning

LABEL_NAMES = ("label", "gold_label", "gold")
TEXT_NAMES = ("text", "sentence", "input")
PROB_PREFIX = "prob_"
PROBS_PREFIXES = ("probs_", "probabilities_")
PROBS_NAMES = ("probs", "probabilities", "scores")
ANSWER_NAMES = ("label", "pred", "prediction", "predicted")
DEFAULT_SYSTEM = "model"  # the system of prob_<class> columns when nothing names it
SUM_TOLERANCE = 0.01
# How far one probability may stray outside [0, 1] and still be read (and clipped to it):
# published files carry float rounding such as 1.00001 (labelerrors' IMDB predictions).
PROB_TOLERANCE = 1e-4
Fail = Callable[[str], InputError]  # an error at the current record, from a message


@dataclass
class SystemColumns:
    """Where one system's answers are: a class column, a JSON column, per-class columns.

    ``answer`` may hold a class or JSON probabilities in each cell.
    """

    answer: int | None = None
    probs: int | None = None
    per_class: dict[str, int] = field(default_factory=dict)

    def columns(self) -> set[int]:
        return {c for c in (self.answer, self.probs) if c is not None} | set(
            self.per_class.values())


@register_kind_table("label")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items (reference role) or one system's answers (prediction role) from ``table``."""
    if options.role == "prediction":
        return _predictions(path, table, options)
    return _references(path, table, options)


# -- reference tables ----------------------------------------------------------------------
def _references(path: Path, table: Table, options: ReadOptions) -> Loaded:
    header = table.header
    id_col = unique_column(path, header, options.id_col, ID_NAMES, "id", "--id-col")
    label_col = unique_column(path, header, options.label_col, LABEL_NAMES, "gold label",
                              "--label-col")
    if label_col is None and options.ref_col:
        # The reference column of text tables (--ref-col, or the import dialog's mapping)
        # names the gold label only where no column is called label.
        label_col = require_column(path, header, options.ref_col, "--ref-col")
    if label_col is None:
        raise InputError(path, "no gold label column; name it " + " or ".join(LABEL_NAMES)
                         + " or choose it with --label-col; columns: " + listing(header))
    text_col = unique_column(path, header, options.text_col, TEXT_NAMES, "item text",
                             "--text-col")
    media_col = unique_column(path, header, options.media_col, MEDIA_NAMES, "image",
                              "--media-col")
    taken = {c for c in (id_col, label_col, text_col, media_col) if c is not None}
    systems = _reference_systems(path, header, options, taken)
    used = taken.union(*(s.columns() for s in systems.values()))
    meta_cols = [c for c in range(len(header)) if c not in used | export_columns(header)]

    warnings: list[str] = []
    if id_col is None:
        warnings.append(f"{path}: no id column; items are numbered row_1 to row_{len(table.rows)}")
    ids = table_ids(path, table, id_col)
    gold: list[str] = []
    for item_id, (where, cells) in zip(ids, table.rows, strict=True):
        value = (cells[label_col] or "").strip()
        if not value:
            raise row_error(path, table, where, f"empty gold label in column {header[label_col]!r}",
                         item_id)
        if looks_encoded(value):
            raise row_error(path, table, where, f"the gold label {value[:40]!r} is a JSON object "
                         "with a 'label' key, which reviewer reserves for predictions", item_id)
        gold.append(value)
    classes = class_order(gold)
    items: list[Item] = []
    media_paths: list[str] = []
    for item_id, label, (_, cells) in zip(ids, gold, table.rows, strict=True):
        meta: list[tuple[str, str]] = []
        if text_col is not None and cells[text_col] is not None:
            meta.append(("text", cells[text_col] or ""))
        # A column called "text" that is not the item text keeps its data under another key.
        meta += [(_meta_key(header, c, text_col), v) for c in meta_cols
                 if (v := cells[c]) is not None]
        media = None
        if media_col is not None and (m := cells[media_col]):
            media = absolute_media(path.parent, m)
            media_paths.append(media)
        items.append(Item(item_id, label, media, tuple(meta)))
    predictions = {name: _answers(path, table, ids, name, cols, classes)
                   for name, cols in systems.items()}
    if (warning := missing_media_warning(path, media_paths)) is not None:
        warnings.append(warning)
    return Loaded(items=items, predictions=predictions, warnings=warnings, sources=[path],
                  media_column=None if media_col is None else header[media_col])


def _reference_systems(path: Path, header: Sequence[str], options: ReadOptions,
                       taken: set[int]) -> dict[str, SystemColumns]:
    systems: dict[str, SystemColumns] = {}
    for name, column in options.pred_cols.items():
        # A --pred-col the reference lacks may name a column of that system's own file.
        if (index := find_column(header, column)) is not None:
            systems[name] = SystemColumns(answer=index)
    named = {c for s in systems.values() for c in s.columns()}
    per_class: dict[str, int] = {}
    for c, title in enumerate(header):
        if c in taken or c in named:
            continue
        lower = title.lower()
        if lower.startswith(PROB_PREFIX) and len(title) > len(PROB_PREFIX):
            per_class[title[len(PROB_PREFIX):]] = c
            continue
        found = _after_prefix(title, PROBS_PREFIXES)
        if found is not None:
            _claim(path, systems.setdefault(found, SystemColumns()), "probs", c, found, header)
            continue
        found = _after_prefix(title, PRED_PREFIXES)
        if found is not None:
            _claim(path, systems.setdefault(found, SystemColumns()), "answer", c, found, header)
    if per_class:
        owner = next(iter(systems)) if len(systems) == 1 else DEFAULT_SYSTEM
        systems.setdefault(owner, SystemColumns()).per_class = per_class
    return systems


def _claim(path: Path, cols: SystemColumns, role: str, column: int, system: str,
           header: Sequence[str]) -> None:
    current = getattr(cols, role)
    if current is not None:
        raise InputError(path, f"system {system!r} would come from two columns, "
                         f"{header[current]!r} and {header[column]!r}; rename one or choose "
                         "with --pred-col")
    setattr(cols, role, column)


# -- prediction files ----------------------------------------------------------------------
def _predictions(path: Path, table: Table, options: ReadOptions) -> Loaded:
    header = table.header
    system = options.system or DEFAULT_SYSTEM
    # The references' --id-col, where this table has it; else found by name.
    id_col = find_column(header, options.id_col) if options.id_col else None
    if id_col is None:
        id_col = unique_column(path, header, None, ID_NAMES, "id", "--id-col")
    if id_col is None:
        raise InputError(path, "a prediction table needs an id column (named id, or chosen "
                         "with --id-col) to match the references; columns: " + listing(header))
    cols = _prediction_columns(path, header, options, system, id_col)
    ids = table_ids(path, table, id_col)
    if options.references is not None:
        classes = class_order(r.strip() for r in options.references.values())
    else:
        classes = None
    return Loaded(predictions={system: _answers(path, table, ids, system, cols, classes)},
                  sources=[path])


def _prediction_columns(path: Path, header: Sequence[str], options: ReadOptions, system: str,
                        id_col: int) -> SystemColumns:
    if system in options.pred_cols:
        return SystemColumns(answer=require_column(path, header, options.pred_cols[system],
                                             "--pred-col"))
    cols = SystemColumns()
    answers: list[int] = []
    for c, title in enumerate(header):
        lower = title.lower()
        if c == id_col:
            continue
        if lower.startswith(PROB_PREFIX) and len(title) > len(PROB_PREFIX):
            cols.per_class[title[len(PROB_PREFIX):]] = c
        elif lower in PROBS_NAMES or _after_prefix(title, PROBS_PREFIXES) == system:
            _claim(path, cols, "probs", c, system, header)
        elif lower in ANSWER_NAMES or _after_prefix(title, PRED_PREFIXES) == system:
            answers.append(c)
    if len(answers) > 1:
        raise InputError(path, "cannot tell which column holds system "
                         f"{system!r}'s class (candidates: "
                         + listing([header[c] for c in answers])
                         + f"); choose it with --pred-col {system}=COLUMN")
    if answers:
        cols.answer = answers[0]
    if not cols.columns():
        others = [c for c in range(len(header)) if c != id_col]
        if len(others) != 1:
            raise InputError(path, f"no column holds system {system!r}'s answers; name one "
                             + ", ".join(ANSWER_NAMES) + ", give prob_<class> columns or a "
                             "probs column, or choose one with --pred-col "
                             f"{system}=COLUMN; columns: " + listing(header))
        cols.answer = others[0]
    return cols


# -- answers -------------------------------------------------------------------------------
def _answers(path: Path, table: Table, ids: list[str], system: str, cols: SystemColumns,
             classes: list[str] | None) -> dict[str, str]:
    """Item id -> stored prediction text of one system; rows without an answer are left out."""
    known = set(classes) if classes is not None else None
    out: dict[str, str] = {}
    for item_id, (where, cells) in zip(ids, table.rows, strict=True):
        def fail(message: str, where: int = where, item_id: str = item_id) -> InputError:
            return row_error(path, table, where, f"system {system!r}: {message}", item_id)

        label = ""
        probs: dict[str, float] | None = None
        # The column the probabilities came from (None: the prob_<class> columns).
        probs_col: int | None = cols.answer
        if cols.answer is not None:
            value = (cells[cols.answer] or "").strip()
            if looks_encoded(value):  # reviewer's own encoding, as its exports write it
                stored = decode_prediction(value)
                label, probs = stored.label, dict(stored.probs) if stored.probs else None
            elif value[:1] in ("[", "{") and (known is None or value not in known):
                probs = _json_probs(value, classes, fail)  # a gold class ("[CLS]") stays one
            else:
                label = value
        if cols.probs is not None and (value := (cells[cols.probs] or "").strip()):
            probs, probs_col = _json_probs(value, classes, fail), cols.probs
        if cols.per_class and (by_column := _column_probs(cells, cols.per_class, fail)):
            probs, probs_col = by_column, None
        if probs is not None:
            named = {cls: table.header[cols.per_class[cls] if probs_col is None else probs_col]
                     for cls in probs}
            probs = _check_probs(probs, fail, named)
        if known is not None:
            unknown = sorted((set(probs or ()) | ({label} if label else set())) - known)
            if unknown:
                raise fail(f"class {unknown[0]!r} is not a gold label of any item "
                           f"(gold labels: {_sample(classes or [])})")
        if probs is not None and not label:
            label = _argmax(probs)
        if label:
            out[item_id] = encode_prediction(label, probs)
    return out


def _json_probs(value: str, classes: list[str] | None, fail: Fail) -> dict[str, float]:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):  # nested too deeply
        raise fail(f"cannot read {value[:40]!r} as JSON probabilities") from None
    if isinstance(parsed, dict):
        return {str(k): _number(v, str(k), fail) for k, v in parsed.items()}
    if isinstance(parsed, list):
        if classes is None:
            raise fail("a JSON list of probabilities needs the gold classes to name its "
                       "entries; give a JSON object {class: probability} instead")
        if len(parsed) != len(classes):
            raise fail(f"a list of {len(parsed)} probabilities, but the gold labels have "
                       f"{len(classes)} classes ({_sample(classes)}); give a JSON object "
                       "{class: probability} instead")
        return {c: _number(v, c, fail) for c, v in zip(classes, parsed, strict=True)}
    raise fail(f"probabilities must be a JSON list or object, not {value[:40]!r}")


def _column_probs(cells: Sequence[Cell], per_class: dict[str, int],
                  fail: Fail) -> dict[str, float] | None:
    values = {cls: (cells[c] or "").strip() for cls, c in per_class.items()}
    if not any(values.values()):
        return None
    empty = [cls for cls, v in values.items() if not v]
    if empty:
        raise fail(f"no probability for class {empty[0]!r}")
    return {cls: _number(v, cls, fail) for cls, v in values.items()}


def _number(value: Any, cls: str, fail: Fail) -> float:
    if isinstance(value, bool):
        raise fail(f"the probability of class {cls!r} is not a number: {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise fail(f"the probability of class {cls!r} is not a number: {value!r}") from None
    return number


def _check_probs(probs: dict[str, float], fail: Fail,
                 column: dict[str, str]) -> dict[str, float]:
    """``probs`` clipped to [0, 1]; beyond :data:`PROB_TOLERANCE` outside it, or a sum off 1
    by more than :data:`SUM_TOLERANCE`, fails naming the column."""
    for cls, p in probs.items():
        if not math.isfinite(p) or not -PROB_TOLERANCE <= p <= 1 + PROB_TOLERANCE:
            raise fail(f"column {column[cls]!r}: the probability of class {cls!r} is {p}, "
                       f"outside [0, 1] (by more than {PROB_TOLERANCE:g})")
    probs = {cls: min(max(p, 0.0), 1.0) for cls, p in probs.items()}
    total = math.fsum(probs.values())
    if abs(total - 1) > SUM_TOLERANCE:
        raise fail(f"the class probabilities sum to {total:.4g}, not 1 (±{SUM_TOLERANCE:g})")
    return probs


def _argmax(probs: dict[str, float]) -> str:
    """The most probable class; a tie goes to the first in class order."""
    best = max(probs.values())
    return next(c for c in class_order(probs) if probs[c] == best)


# -- column names -------------------------------------------------------------------------
def _after_prefix(title: str, prefixes: Sequence[str]) -> str | None:
    lower = title.lower()
    for prefix in prefixes:
        if lower.startswith(prefix) and len(title) > len(prefix):
            return title[len(prefix):]
    return None


def _meta_key(header: Sequence[str], index: int, text_col: int | None) -> str:
    name = meta_key(header, index)
    return f"{name}_column" if name == "text" and text_col is not None else name


def _sample(names: Collection[str], shown: int = 8) -> str:
    listed = list(names)
    text = ", ".join(listed[:shown])
    return text + (f" and {len(listed) - shown} more" if len(listed) > shown else "")
