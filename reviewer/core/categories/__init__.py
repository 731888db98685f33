"""Error-category catalogues, one module per task kind (DESIGN §4)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reviewer.core.items import KINDS
from reviewer.core.palette import PALETTE


@dataclass(frozen=True, slots=True)
class Category:
    """One error category: stable id, display name, one-line definition, palette swatch."""

    id: str
    name: str
    definition: str
    swatch: str

    def __post_init__(self) -> None:
        if self.swatch not in PALETTE:
            raise ValueError(f"category {self.id!r} names unknown swatch {self.swatch!r}")


Categoriser = Callable[[str, str], str]


def catalogue(kind: str) -> tuple[Category, ...]:
    """The categories of task kind ``kind``, in display order."""
    return _module(kind).CATALOGUE


def categoriser(kind: str) -> Categoriser:
    """The function that names the category of an edit ``(ref_text, hyp_text)``."""
    return _module(kind).categorise


def category(kind: str, category_id: str) -> Category:
    """The category ``category_id`` of ``kind``."""
    for cat in catalogue(kind):
        if cat.id == category_id:
            return cat
    raise KeyError(f"{kind} has no category {category_id!r}")


def _module(kind: str) -> Any:
    name = f"reviewer.core.categories.{kind}"
    if kind not in KINDS or importlib.util.find_spec(name) is None:
        raise ValueError(f"no category catalogue for task kind {kind!r}")
    return importlib.import_module(name)
