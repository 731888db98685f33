"""The format registry: each reader is a plain function found by identifier and priority.

A reader takes a path and :class:`ReadOptions` and returns a :class:`Loaded`. For the
reference side it fills ``items`` (and ``predictions`` when the file also holds system
outputs, for example extra table columns); for a prediction source it fills only
``predictions``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.kern.unreadable import DEFAULT_UNREADABLE, UnreadableChoice
from reviewer.core.lattice_wer import Search

if TYPE_CHECKING:
    from reviewer.formats.tableparse import Table

Role = Literal["reference", "prediction"]


@dataclass(frozen=True)
class ReadOptions:
    """What the user told the import about a source; ``None`` means auto-detect."""

    kind: str = "text"
    role: Role = "reference"
    system: str | None = None  # name of the system a prediction source belongs to
    id_col: str | None = None
    ref_col: str | None = None
    pred_cols: Mapping[str, str] = field(default_factory=dict)  # system -> column
    media_col: str | None = None
    # PAGE-XML/ALTO: one item per TextLine, per TextRegion/TextBlock, or per file
    unit: Literal["line", "region", "page"] = "line"
    known_ids: frozenset[str] | None = None  # reference ids, to match prediction files by stem
    text_col: str | None = None  # label/choice: the column holding the item text or question
    label_col: str | None = None  # label/choice: the column holding the gold label or answer
    audio: Path | None = None  # asr: a Kaldi wav.scp (or audio folder) giving each item's audio
    ref_text: Path | None = None  # gec: corrected text parallel to an original-text reference
    # Prediction role: item id -> reference text, for checks against it (label: the classes)
    references: Mapping[str, str] | None = None
    # text: the normalisation preset; "dinglehopper" reads a page's text as dinglehopper does
    normalize: str | None = None
    # kern: a reference that is not a readable score is imported and marked, or refused
    unreadable: UnreadableChoice = DEFAULT_UNREADABLE
    # asr NLP references: folders of ID.norm.json / ID.wer_tag.json sidecars, synonym rules
    normalizations: Path | None = None
    wer_tags: Path | None = None
    synonyms: Path | None = None
    compound_hyphens: bool = True  # match long-term with long term, as fstalign since 2022
    nlp_search: Search = "exact"  # the least-cost path, or the one fstalign's search picks


@dataclass
class Loaded:
    """What one reader produced from one source."""

    items: list[Item] = field(default_factory=list)
    predictions: dict[str, dict[str, str]] = field(default_factory=dict)  # system -> id -> text
    warnings: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    # system -> item id -> metadata of that prediction (for example ctm word times)
    prediction_meta: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    # Files the reader wrote (images embedded in a Parquet table): removed if the import fails
    extracted: list[Path] = field(default_factory=list)
    # The table column the items' media came from, for messages about them (None: not a table)
    media_column: str | None = None


Reader = Callable[[Path, ReadOptions], Loaded]
# A kind's table reader: the parsed table of a file -> what it holds
TableBuilder = Callable[[Path, "Table", ReadOptions], Loaded]
Detector = Callable[[Path], bool]


@dataclass(frozen=True)
class Format:
    """A registered format: identifier, priority (higher is tried first), detector, reader."""

    name: str
    priority: int
    detect: Detector
    read: Reader
    description: str


_FORMATS: dict[str, Format] = {}
_KIND_TABLES: dict[str, TableBuilder] = {}


def register(
    name: str, *, priority: int, detect: Detector, description: str
) -> Callable[[Reader], Reader]:
    """Register ``read`` under ``name``; used as a decorator on the reader function."""

    def decorate(read: Reader) -> Reader:
        _FORMATS[name] = Format(name, priority, detect, read, description)
        return read

    return decorate


def register_kind_table(kind: str) -> Callable[[TableBuilder], TableBuilder]:
    """Register the reader of task kind ``kind``'s tables, which need more than a reference
    and predictions (options, labels, audio, ...); used as a decorator."""

    def decorate(build: TableBuilder) -> TableBuilder:
        _KIND_TABLES[kind] = build
        return build

    return decorate


def formats() -> list[Format]:
    """Every registered format, highest priority first."""
    _load_builtin()
    return sorted(_FORMATS.values(), key=lambda f: (-f.priority, f.name))


def get(name: str) -> Format:
    """The format registered as ``name``."""
    _load_builtin()
    try:
        return _FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(None, f"unknown format {name!r}; known formats: {known}") from None


def detect(path: Path) -> Format:
    """The highest-priority format whose detector accepts ``path``."""
    if not path.exists():
        raise InputError(path, "no such file or folder")
    for fmt in formats():
        if fmt.detect(path):
            return fmt
    raise InputError(path, "not a format reviewer can read (see `reviewer import --help`)")


def read(path: Path, options: ReadOptions, format_name: str | None = None) -> Loaded:
    """Read ``path`` with the named format, or the detected one."""
    fmt = get(format_name) if format_name else detect(path)
    return fmt.read(path, options)


def kind_table(kind: str) -> TableBuilder | None:
    """The table reader registered for task kind ``kind`` (``None``: plain columns suffice)."""
    _load_builtin()
    return _KIND_TABLES.get(kind)


def _load_builtin() -> None:
    # Importing the reader modules registers them; done when first needed, so that pandas
    # and the kinds' parsers load only then (and the modules may import this one).
    from reviewer.formats import (  # noqa: F401
        answer_table,
        choice_table,
        folders,
        gec_text,
        harness_logs,
        inspect_logs,
        kaldi,
        kern_folders,
        kern_table,
        label_table,
        m2,
        mets_load,
        nist,
        nlp,
        page_folders,
        speech,
        table,
        trn,
        xml_page,
    )
