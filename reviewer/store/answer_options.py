"""The answer kind's scoring options at import: checked, compared with a project's own,
and kept in its meta table (absent there: the defaults)."""

from __future__ import annotations

from reviewer.core.answers.extract import DEFAULT_PRESET, check_extract
from reviewer.core.answers.matchers import DEFAULT_MATCHER, check_matcher
from reviewer.core.counts import ScoreOptions
from reviewer.core.errors import ProjectError
from reviewer.store.project import Project


def import_choices(project: Project, existing: bool, extract: str | None,
                   matcher: str | None) -> tuple[str, str]:
    """The extraction preset and matcher an import scores with: those asked for (checked),
    else the project's; an existing project scored otherwise is refused, naming the
    ``reviewer score`` option that re-scores it."""
    if extract is not None:
        check_extract(extract)
    if matcher is not None:
        check_matcher(matcher)
    if not existing:
        return (DEFAULT_PRESET if extract is None else extract,
                DEFAULT_MATCHER if matcher is None else matcher)
    if extract is not None and extract != project.extract:
        raise ProjectError(f"{project.path}: scored with extraction preset "
                           f"{project.extract!r}; rescore it with "
                           f"`reviewer score --extract {extract}`")
    if matcher is not None and matcher != project.matcher:
        raise ProjectError(f"{project.path}: scored with matcher "
                           f"{project.matcher or 'default'!r}; rescore it with "
                           f"`reviewer score --matcher {matcher or 'default'}`")
    return project.extract, project.matcher


def keep_choices(project: Project, options: ScoreOptions) -> None:
    """Keep a new project's extraction preset and matcher where they are not the defaults
    (caller's transaction)."""
    if options.extract != DEFAULT_PRESET:
        project.set_meta("extract", options.extract)
    if options.matcher != DEFAULT_MATCHER:
        project.set_meta("matcher", options.matcher)
