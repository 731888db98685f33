"""Which table column holds what: auto-detection by name, overridden by :class:`ReadOptions`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.kinds import SPECS
from reviewer.formats.column_lookup import find_column, listing, require_column, unique_column
from reviewer.formats.registry import ReadOptions

ID_NAMES = ("id",)
REF_NAMES = ("reference", "ref", "gt", "ground_truth", "target")
REF_FALLBACK = "text"  # used only when no column in REF_NAMES exists
PRED_NAMES = ("prediction", "pred", "hypothesis", "hyp", "output")
PRED_PREFIXES = ("pred_", "prediction_", "hyp_")
MEDIA_NAMES = ("image", "media", "path", "audio")
# What a kind's exports add after the predictions (answer: platinum, platinum_reason).
MARK_COLUMNS = frozenset(c for s in SPECS.values() if s.export_marks is not None
                         for c in s.export_marks.columns)
# What reviewer's own exports add after the predictions: never a system's answers.
EXPORT_COLUMNS = frozenset({"status", "verdict", "error_type", "note", "annotator", "time",
                            "original_reference", "corrected_reference", *MARK_COLUMNS})
# The last columns of every table reviewer exports: how a reader knows it holds one.
EXPORT_TRAILER = ("status", "verdict", "note", "original_reference")
META_PREFIX = "meta_"


def is_export(header: Sequence[str]) -> bool:
    """Whether ``header`` is that of a table reviewer exported."""
    return tuple(header[-len(EXPORT_TRAILER):]) == EXPORT_TRAILER


def export_columns(header: Sequence[str]) -> frozenset[int]:
    """The columns of ``header`` that are reviewer's own bookkeeping (an export's trailer
    and its kind's marks: metadata of those names is exported as ``meta_<key>``)."""
    if not is_export(header):
        return frozenset()
    marks = (i for i, name in enumerate(header) if name in MARK_COLUMNS)
    return frozenset((*range(len(header) - len(EXPORT_TRAILER), len(header)), *marks))


def meta_column(key: str, taken: Collection[str] = ()) -> str:
    """The column an export writes the metadata ``key`` under.

    The key itself, unless a reader would take that column for something else (an id,
    reference, prediction, media or export column, one of ``taken``) or it starts with
    ``meta_``: then ``meta_<key>``, which :func:`meta_key` reads back as ``key``.
    """
    lower = key.lower()
    if (lower in _ROLE_NAMES or lower in {t.lower() for t in taken}
            or lower.startswith((*PRED_PREFIXES, META_PREFIX))):
        return META_PREFIX + key
    return key


def meta_key(header: Sequence[str], index: int) -> str:
    """The metadata key column ``index`` holds: in an export, without :func:`meta_column`'s
    prefix."""
    name = header[index] or f"column_{index + 1}"
    if is_export(header) and name.startswith(META_PREFIX):
        return name[len(META_PREFIX):]
    return name


@dataclass(frozen=True)
class Columns:
    """Column indices by role; ``preds`` maps a system name to its column."""

    id: int | None
    ref: int | None
    preds: dict[str, int]
    media: int | None
    meta: tuple[int, ...]


def check_header(path: Path, header: Sequence[str]) -> None:
    """A header naming a column twice is refused: the reader could not tell them apart."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(path, f"the column {name!r} appears twice in the header", line=1)
        seen.add(name)


def reference_columns(path: Path, header: Sequence[str], options: ReadOptions) -> Columns:
    """Columns of a reference table: id (optional), reference, predictions, media, the rest."""
    id_col = unique_column(path, header, options.id_col, ID_NAMES, "id", "--id-col")
    ref_col = unique_column(path, header, options.ref_col, REF_NAMES, "reference", "--ref-col")
    if ref_col is None:
        ref_col = unique_column(path, header, None, (REF_FALLBACK,), "reference", "--ref-col")
    if ref_col is None:
        raise InputError(
            path,
            "no reference column; name one " + ", ".join((*REF_NAMES, REF_FALLBACK))
            + " or choose it with --ref-col; columns: " + listing(header),
        )
    media_col = unique_column(path, header, options.media_col, MEDIA_NAMES, "media",
                              "--media-col")
    taken = {i for i in (id_col, ref_col, media_col) if i is not None}
    preds = _prediction_columns(path, header, options, taken)
    used = taken | set(preds.values())
    used |= export_columns(header)  # reviewer's own bookkeeping, not the items' metadata
    meta = tuple(i for i in range(len(header)) if i not in used)
    return Columns(id_col, ref_col, preds, media_col, meta)


def prediction_columns(path: Path, header: Sequence[str], options: ReadOptions) -> Columns:
    """Columns of one system's prediction table: an id column and one prediction column."""
    system = options.system or "pred"
    # The references' --id-col, where this table has it; else found by name.
    id_col = find_column(header, options.id_col) if options.id_col else None
    if id_col is None:
        id_col = unique_column(path, header, None, ID_NAMES, "id", "--id-col")
    if id_col is None:
        raise InputError(
            path,
            "a prediction table needs an id column (named id, or chosen with --id-col) "
            "to match the references; columns: " + listing(header),
        )
    if system in options.pred_cols:
        col = require_column(path, header, options.pred_cols[system], "--pred-col")
    else:
        col = _one_prediction_column(path, header, system, id_col)
    return Columns(id_col, None, {system: col}, None, ())


def _one_prediction_column(path: Path, header: Sequence[str], system: str, id_col: int) -> int:
    candidates = [i for i in range(len(header)) if i != id_col and _prediction_system(header[i])]
    own = [i for i in candidates if _prediction_system(header[i]) == system and
           header[i].lower() not in PRED_NAMES]
    if len(own) == 1:
        return own[0]
    if len(candidates) == 1:
        return candidates[0]
    others = [i for i in range(len(header)) if i != id_col]
    if not candidates and len(others) == 1:
        return others[0]
    names = candidates or others
    raise InputError(
        path,
        f"cannot tell which column holds system {system!r}'s predictions (candidates: "
        + listing([header[i] for i in names])
        + f"); name it prediction or choose it with --pred-col {system}=COLUMN",
    )


def _prediction_columns(
    path: Path, header: Sequence[str], options: ReadOptions, taken: set[int]
) -> dict[str, int]:
    preds: dict[str, int] = {}
    for system, column in options.pred_cols.items():
        preds[system] = require_column(path, header, column, "--pred-col")
    explicit = set(preds.values())
    for i, name in enumerate(header):
        found = _prediction_system(name)
        if found is None or i in taken or i in explicit:
            continue
        system = found
        if system in preds:
            raise InputError(
                path,
                f"system {system!r} would come from two columns, {header[preds[system]]!r} "
                f"and {name!r}; rename one or choose with --pred-col",
            )
        preds[system] = i
    return preds


def _prediction_system(name: str) -> str | None:
    """The system a column named ``name`` holds predictions of, if its name says so."""
    lower = name.lower()
    if lower in PRED_NAMES:
        return name
    for prefix in PRED_PREFIXES:
        if lower.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return None


_ROLE_NAMES = frozenset({*ID_NAMES, *REF_NAMES, *PRED_NAMES, *MEDIA_NAMES, *EXPORT_COLUMNS})
