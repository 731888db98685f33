"""The item list's filter queries answered from a project (a ``FilterQueries``)."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store.annotations import disagreements
from reviewer.store.project import Project
from reviewer.store.summaries import ids_matching_text, ids_with_category


@dataclass(frozen=True, slots=True)
class ProjectItemQueries:
    """Sets of item ids the item list's filters select in ``project``."""

    project: Project

    def ids_matching_text(self, text: str) -> set[str]:
        """See :func:`reviewer.store.summaries.ids_matching_text`."""
        return ids_matching_text(self.project, text)

    def disagreements(self) -> set[str]:
        """See :func:`reviewer.store.annotations.disagreements`."""
        return disagreements(self.project)

    def ids_with_category(self, category_id: str, system: str | None) -> set[str]:
        """See :func:`reviewer.store.summaries.ids_with_category`."""
        return ids_with_category(self.project, category_id, system)
