"""Domain types: frozen dataclasses shared by every layer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, get_args

Kind = Literal["text", "asr", "gec", "kern", "choice", "label", "answer"]
KINDS: tuple[str, ...] = get_args(Kind)

EditOp = Literal["equal", "substitute", "insert", "delete"]
EDIT_OPS: tuple[str, ...] = get_args(EditOp)


def check_kind(kind: str) -> Kind:
    """Return ``kind`` if it is a known task kind, else raise ``ValueError``."""
    if kind not in KINDS:
        raise ValueError(f"unknown task kind {kind!r}; choose one of {', '.join(KINDS)}")
    return kind  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Item:
    """One benchmark item: its id, reference text, optional media path and metadata."""

    id: str
    reference: str
    media: str | None = None
    meta: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError("an item needs a non-empty string id")


@dataclass(frozen=True, slots=True)
class Prediction:
    """One system's output for one item."""

    system: str
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Edit:
    """One aligned edit.

    Spans are ``(start, end)`` character offsets into the displayed reference and
    prediction strings, so a view highlights from them without re-parsing.
    ``ref_units`` and ``hyp_units`` count alignment units (graphemes or words) on
    each side; an edit's cost is the larger of the two.
    """

    op: EditOp
    ref_span: tuple[int, int]
    hyp_span: tuple[int, int]
    ref_text: str
    hyp_text: str
    category: str
    ref_units: int = 0
    hyp_units: int = 0

    def __post_init__(self) -> None:
        if self.op not in EDIT_OPS:
            raise ValueError(f"unknown edit op {self.op!r}")

    @property
    def cost(self) -> int:
        """Edit operations this edit stands for (0 for ``equal``)."""
        if self.op == "equal":
            return 0
        return max(self.ref_units, self.hyp_units)


@dataclass(slots=True)
class Benchmark:
    """What a set of readers produced: items and each system's predictions, before storing."""

    kind: Kind
    items: list[Item]
    predictions: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str | None = None  # the registry name of the reference's format
    # system -> item id -> what a reader knows of a prediction beyond its text (word times...)
    prediction_meta: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    # Files the readers wrote (embedded images): a failed import removes them again
    extracted: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StreamRow:
    """One item as a streaming reader gives it: the item, where its source holds it (a line,
    or a row of a table without lines) and each system's prediction (``None``: none),
    in the order of :attr:`BenchmarkStream.systems`."""

    item: Item
    where: int
    predictions: tuple[str | None, ...]


@dataclass(slots=True)
class BenchmarkStream:
    """A benchmark read a chunk of items at a time, for sources too large to hold whole.

    ``chunks()`` reads the source again from its beginning each time it is called and
    yields lists of :class:`StreamRow`; reading it adds to ``warnings`` what only the
    whole source tells. ``total`` is the number of items, counted cheaply beforehand (an
    estimate when a cell spans lines). ``by_line``: ``where`` is a line of ``source``, else
    a row number.
    """

    kind: Kind
    source: str
    systems: list[str]
    chunks: Callable[[], Iterator[list[StreamRow]]]
    total: int
    by_line: bool = True
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str | None = None
