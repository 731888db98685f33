"""Short-answer tables (``--kind answer``): CSV, TSV, JSONL or Parquet, one row per question.

A reference table has an id column (``--id-col``, else id/question_id/qid/idx; rows are
numbered without one), the question (``--text-col``, else question/problem/prompt/query/
input/text), the gold answer(s) (``--label-col`` or ``--ref-col``, else answer/answers/
gold/gold_answer/final_answer/target/label/reference/ground_truth; a cell may hold one
answer, a list of aliases or a dataset hub's struct, see :mod:`.answer_cells`), and
optionally a passage (context/passage/paragraph/document) and a gold rationale
(rationale/solution/explanation/reasoning; else the text before GSM8K's ``####``).

Model outputs: ``--pred-col NAME=COLUMN``, and every column named ``pred_<model>``,
``prediction_<model>``, ``output_<model>``, ``response_<model>`` or ``completion_<model>``.
The answer an evaluation harness extracted from a model's output, where the table keeps it,
is the column ``<output column>_extracted``, ``extracted_<model>`` or ``harness_<model>``.
Every other column is item metadata.

A prediction file (``--pred NAME=file``) has an id column and the output (``--pred-col
NAME=COLUMN``, else output/response/completion/generation/prediction/pred/model_output, else
the only other column), and optionally the harness's answer (extracted/extracted_answer/
harness_answer/filtered).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reviewer.core.answers.encoding import (
    AnswerPrediction,
    decode_answer_prediction,
    encode_answer_prediction,
    encode_gold,
    looks_encoded,
)
from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.answer_cells import AnswerCellError, parse_gold
from reviewer.formats.column_lookup import find_column, first_free_column, listing, require_column
from reviewer.formats.columns import EXPORT_COLUMNS, export_columns, meta_key
from reviewer.formats.registry import Loaded, ReadOptions, register_kind_table
from reviewer.formats.tableparse import Cell, Table, row_error, table_ids

ID_NAMES = ("id", "question_id", "qid", "idx")
QUESTION_NAMES = ("question", "problem", "prompt", "query", "input", "text")
GOLD_NAMES = ("answer", "answers", "gold", "gold_answer", "final_answer", "target", "label",
              "reference", "ground_truth")
CONTEXT_NAMES = ("context", "passage", "paragraph", "document")
RATIONALE_NAMES = ("rationale", "solution", "explanation", "reasoning")
OUTPUT_PREFIXES = ("pred_", "prediction_", "output_", "response_", "completion_")
OUTPUT_NAMES = ("output", "response", "completion", "generation", "prediction", "pred",
                "model_output")
HARNESS_NAMES = ("extracted", "extracted_answer", "harness_answer", "filtered")
HARNESS_SUFFIX = "_extracted"
HARNESS_PREFIXES = ("extracted_", "harness_")


@register_kind_table("answer")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items and model outputs (reference role) or one model's outputs (prediction role)."""
    if options.role == "prediction":
        return _predictions(path, table, options)
    header = table.header
    taken: set[int] = set()
    id_col = _pick(header, options.id_col, ID_NAMES, "--id-col", path, taken)
    question = _pick(header, options.text_col, QUESTION_NAMES, "--text-col", path, taken)
    if question is None:
        raise InputError(path, "no question column; name it question or choose it with "
                         f"--text-col; columns: {listing(header)}")
    gold_col = _pick(header, options.label_col or options.ref_col, GOLD_NAMES,
                     "--label-col" if options.label_col else "--ref-col", path, taken)
    if gold_col is None:
        raise InputError(path, "no gold answer column; name it answer or choose it with "
                         f"--label-col; columns: {listing(header)}")
    context = _pick(header, None, CONTEXT_NAMES, "", path, taken)
    rationale = _pick(header, None, RATIONALE_NAMES, "", path, taken)
    systems = _output_columns(path, header, options, taken)
    meta_cols = [i for i in range(len(header)) if i not in taken | export_columns(header)]
    warnings: list[str] = []
    if id_col is None:
        warnings.append(f"{path}: no id column; items are numbered row_1 to "
                        f"row_{len(table.rows)}")
    ids = table_ids(path, table, id_col)
    items = []
    for item_id, (where, cells) in zip(ids, table.rows, strict=True):
        try:
            gold = parse_gold(cells[gold_col] or "")
        except AnswerCellError as exc:
            raise row_error(path, table, where, f"column {header[gold_col]!r}: {exc}",
                            item_id) from None
        meta: list[tuple[str, str]] = [("question", cells[question] or "")]
        if context is not None and cells[context]:
            meta.append(("context", cells[context] or ""))
        why = (cells[rationale] or "") if rationale is not None else gold.rationale
        if why:
            meta.append(("rationale", why))
        meta += [(meta_key(header, i), c) for i in meta_cols if (c := cells[i]) is not None]
        items.append(Item(item_id, encode_gold(gold.aliases), None, tuple(meta)))
    predictions = {system: _outputs(ids, table.rows, output, harness)
                   for system, (output, harness) in systems.items()}
    return Loaded(items=items, predictions=predictions, warnings=warnings, sources=[path])


def _pick(header: Sequence[str], override: str | None, names: Sequence[str], flag: str,
          path: Path, taken: set[int]) -> int | None:
    """The chosen column, else the first free column called one of ``names``; marked taken."""
    found = (require_column(path, header, override, flag) if override
             else first_free_column(header, names, taken))
    if found is not None:
        taken.add(found)
    return found


def _output_columns(path: Path, header: Sequence[str], options: ReadOptions,
                    taken: set[int]) -> dict[str, tuple[int, int | None]]:
    """Model -> (output column, harness-answer column or None); the columns are taken."""
    found: dict[str, int] = {}
    for system, name in options.pred_cols.items():
        found[system] = require_column(path, header, name, "--pred-col")
    taken.update(found.values())
    for i, name in enumerate(header):
        lower = name.lower()
        if i in taken or lower in EXPORT_COLUMNS or lower.endswith(HARNESS_SUFFIX):
            continue
        prefix = next((p for p in OUTPUT_PREFIXES
                       if lower.startswith(p) and len(name) > len(p)), None)
        if prefix is None:
            continue
        system = name[len(prefix):]
        if system in found:
            raise InputError(path, f"model {system!r} would come from two columns, "
                             f"{header[found[system]]!r} and {name!r}; rename one or choose "
                             "with --pred-col")
        found[system] = i
        taken.add(i)
    out: dict[str, tuple[int, int | None]] = {}
    for system, index in found.items():
        names = [header[index] + HARNESS_SUFFIX, *(p + system for p in HARNESS_PREFIXES)]
        harness = next((c for n in names
                        if (c := find_column(header, n)) is not None and c not in taken), None)
        if harness is not None:
            taken.add(harness)
        out[system] = (index, harness)
    return out


def _outputs(ids: Sequence[str], rows: Sequence[tuple[int, list[Cell]]], output: int,
             harness: int | None) -> dict[str, str]:
    """Item id -> stored prediction; a missing output (a JSON null) is no prediction."""
    out: dict[str, str] = {}
    for item_id, (_, cells) in zip(ids, rows, strict=True):
        raw = cells[output]
        if raw is None:
            continue
        # A table reviewer exported holds the stored encoding itself.
        given = decode_answer_prediction(raw) if looks_encoded(raw) else AnswerPrediction(raw)
        extracted = cells[harness] if harness is not None else given.harness_answer
        out[item_id] = encode_answer_prediction(given.output, extracted)
    return out


def _predictions(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """One model's outputs from a table of ids and outputs."""
    header = table.header
    system = options.system or "model"
    id_col = find_column(header, options.id_col) if options.id_col else None
    if id_col is None:
        id_col = first_free_column(header, ID_NAMES)
    if id_col is None:
        raise InputError(path, "a prediction table needs an id column (named id, or chosen "
                         f"with --id-col) to match the references; columns: {listing(header)}")
    taken = {id_col}
    output: int | None
    if system in options.pred_cols:
        output = require_column(path, header, options.pred_cols[system], "--pred-col")
    else:
        output = first_free_column(header, OUTPUT_NAMES, taken)
        others = [i for i in range(len(header)) if i != id_col]
        if output is None and len(others) == 1:
            output = others[0]
        if output is None:
            raise InputError(path, f"cannot tell which column holds model {system!r}'s "
                             "outputs; name it output or choose it with --pred-col "
                             f"{system}=COLUMN; columns: {listing(header)}")
    taken.add(output)
    harness = first_free_column(header, [header[output] + HARNESS_SUFFIX, *HARNESS_NAMES],
                                taken)
    ids = table_ids(path, table, id_col)
    return Loaded(predictions={system: _outputs(ids, table.rows, output, harness)},
                  sources=[path])
