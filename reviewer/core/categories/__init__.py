"""Error-category catalogues (DESIGN §4): the :class:`Category` type here, one catalogue
module per task kind, each carried by its kind's spec (:mod:`reviewer.core.kinds`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


# The accessors import the kinds' registry when called: every kind's spec is built from a
# catalogue module of this package, so the package cannot import the registry first.
def catalogue(kind: str) -> tuple[Category, ...]:
    """The categories of task kind ``kind``, in display order (its spec's catalogue)."""
    from reviewer.core.kinds import spec

    return spec(kind).catalogue


def categoriser(kind: str) -> Categoriser:
    """The function that names the category of an edit ``(ref_text, hyp_text)``."""
    from reviewer.core.kinds import spec

    return spec(kind).categorise


def category(kind: str, category_id: str) -> Category:
    """The category ``category_id`` of ``kind``."""
    from reviewer.core.kinds import spec

    return spec(kind).category(category_id)
