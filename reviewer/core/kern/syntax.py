"""A structural check of Humdrum **kern text, line by line (no music parser).

Errors are what makes converter21 give up on a score read strictly (a record whose number
of fields differs from the open spines, a record mixing token types, data before the
``**kern`` header): a reference with one cannot be scored. Warnings are tokens a kern
reader skips or repairs (a data token with no note or rest, a missing ``*-`` terminator).
Predictions may have both; they are shown at their line and never stop an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from reviewer.core.kern.tokens import KernToken, records

Severity = Literal["error", "warning"]
# A kern note, rest or chord member: some pitch letters (one letter, repeated) or a rest.
_PITCH_OR_REST = re.compile(r"([a-gA-G])\1*|r")
_RECORD_KINDS = {"*": "interpretation", "=": "barline", "!": "local comment"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One syntax problem at a 1-based line (and field, 0 for the whole record)."""

    line: int
    field: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


def check(text: str) -> list[Problem]:
    """Every structural problem of ``text``, in line order."""
    problems: list[Problem] = []
    spines: list[str] | None = None
    last_line = 0
    for record in records(text):
        first = record[0]
        last_line = first.line
        if first.kind == "comment" and first.field == 0:
            continue
        if spines is None:
            if all(t.kind == "exclusive" for t in record):
                spines = [t.text for t in record]
            else:
                problems.append(Problem(first.line, 0, "error", "a record before the "
                                        "exclusive interpretation header (**kern)"))
                return problems
            continue
        if not spines:
            problems.append(Problem(first.line, 0, "error",
                                    "a record after every spine was terminated (*-)"))
            return problems
        if len(record) != len(spines):
            problems.append(Problem(first.line, 0, "error", f"{_count(len(record), 'field')} "
                                    f"where {_count(len(spines), 'spine')} are open"))
            continue
        mixed = _mixed(record)
        if mixed is not None:
            problems.append(mixed)
            continue
        if first.text.startswith("*"):
            spines = _manipulate(record, spines, problems)
        elif first.kind in ("data", "null") and not first.text.startswith("!"):
            problems.extend(_data_problems(record, spines))
    if spines is None:
        problems.append(Problem(1, 0, "error", "no exclusive interpretation header (**kern)"))
    elif spines:
        problems.append(Problem(max(last_line, 1), 0, "warning",
                                "the score does not end with *- spine terminators"))
    elif "**kern" not in text:
        problems.append(Problem(1, 0, "error", "no **kern spine"))
    return problems


def spine_types(text: str) -> dict[tuple[int, int], str]:
    """(line, field) -> the exclusive interpretation (``**kern``...) of its spine.

    Records whose fields do not match the open spines are left out.
    """
    out: dict[tuple[int, int], str] = {}
    spines: list[str] | None = None
    for record in records(text):
        if record[0].field == 0:
            continue
        if spines is None:
            spines = [t.text for t in record] if record[0].kind == "exclusive" else None
            continue
        if len(record) != len(spines):
            continue
        for t, spine in zip(record, spines, strict=True):
            out[(t.line, t.field)] = spine
        if record[0].text.startswith("*"):
            spines = _manipulate(record, spines, [])
    return out


def errors(text: str) -> list[Problem]:
    """The problems of ``text`` that make it unreadable as a reference."""
    return [p for p in check(text) if p.severity == "error"]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _mixed(record: list[KernToken]) -> Problem | None:
    """A record whose tokens are not all of one record type (interpretation, barline...)."""
    lead = record[0].text[:1]
    expected = _RECORD_KINDS.get(lead, "data")
    for t in record:
        got = _RECORD_KINDS.get(t.text[:1], "data")
        if not t.text:
            return Problem(t.line, t.field, "error", "an empty field (two tabs in a row)")
        if got != expected:
            return Problem(t.line, t.field, "error", f"{t.text!r} in a record of {expected} "
                           "tokens")
    return None


def _manipulate(record: list[KernToken], spines: list[str],
                problems: list[Problem]) -> list[str]:
    """The spines open after an interpretation record (splits, joins, terminators...)."""
    out: list[str] = []
    k = 0
    while k < len(record):
        t = record[k]
        if t.text == "*^":
            out += [spines[k], spines[k]]
        elif t.text == "*v":
            run = k
            while run < len(record) and record[run].text == "*v":
                run += 1
            if run - k < 2:
                problems.append(Problem(t.line, t.field, "error",
                                        "a *v join needs a *v in the next field too"))
            out.append(spines[k])
            k = run
            continue
        elif t.text == "*-":
            pass
        elif t.text == "*+":
            out += [spines[k], "**"]
        elif t.text == "*x" and k + 1 < len(record) and record[k + 1].text == "*x":
            out += [spines[k + 1], spines[k]]
            k += 2
            continue
        elif t.kind == "exclusive":
            out.append(t.text)
        else:
            out.append(spines[k])
        k += 1
    return out


def _data_problems(record: list[KernToken], spines: list[str]) -> list[Problem]:
    """Data tokens of **kern spines that hold no note and no rest."""
    found: list[Problem] = []
    for t, spine in zip(record, spines, strict=True):
        if spine != "**kern" or t.kind != "data":
            continue
        for sub in t.text.split(" "):
            if not sub or _PITCH_OR_REST.search(_strip_signifiers(sub)) is None:
                found.append(Problem(t.line, t.field, "warning",
                                     f"{t.text!r} is not a kern note, rest or chord"))
                break
    return found


def _strip_signifiers(sub: str) -> str:
    """A kern subtoken without the letters that are not pitches (beams, ornaments...)."""
    # Beams (L J K k), ornaments (T t M m W w S), grace (q Q) and editorial marks are letters
    # too, but never in a-g or A-G.
    return re.sub(r"[^a-gA-Gr]", " ", sub)
