"""The typed scores (reviewer.core.score_types) describe what every kind's demo scores to.

The scores are built from each kind's summary and only cast to its type, so this test is
what keeps the types true: every key the scores hold is declared, every required key is
there, and every value has the declared type.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

import pytest

from reviewer.core.items import KINDS
from reviewer.core.score_types import (
    GecScores,
    Scores,
    SystemScores,
    category_counts,
    gec_categories,
    gec_scores,
)
from reviewer.demo import ensure_demo
from reviewer.store.project import Project
from reviewer.store.scores import score_project

pytestmark = pytest.mark.slow


def _problems(value: Any, hint: Any, where: str, skip: frozenset[str] = frozenset()
              ) -> list[str]:
    """Where ``value`` does not have the type ``hint`` (empty when it does); a TypedDict's
    keys in ``skip`` are left to the caller."""
    if typing.is_typeddict(hint):
        if not isinstance(value, Mapping):
            return [f"{where}: {type(value).__name__}, not a {hint.__name__}"]
        fields = {k: v for k, v in typing.get_type_hints(hint).items() if k not in skip}
        value = {k: v for k, v in value.items() if k not in skip}
        out = [f"{where}.{k}: not declared in {hint.__name__}" for k in value if k not in fields]
        out += [f"{where}.{k}: missing" for k in hint.__required_keys__
                if k not in value and k not in skip]
        for key, item in value.items():
            if key in fields:
                out += _problems(item, fields[key], f"{where}.{key}")
        return out
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if any(not _problems(value, arg, where) for arg in args):
            return []
        return [f"{where}: {value!r} is none of {hint}"]
    if origin is typing.Literal:
        return [] if value in args else [f"{where}: {value!r} not in {args}"]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not a dict"]
        return [p for k, v in value.items() for p in _problems(v, args[1], f"{where}[{k!r}]")]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for k, v in enumerate(value) for p in _problems(v, args[0], f"{where}[{k}]")]
    if hint is type(None):
        return [] if value is None else [f"{where}: {value!r} is not None"]
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not a float"]
    return [] if isinstance(value, hint) and not (hint is int and isinstance(value, bool)) \
        else [f"{where}: {value!r} is not {hint}"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scores]:
    root = tmp_path_factory.mktemp("demos")
    out = {}
    for kind in KINDS:
        with Project(ensure_demo(root / f"{kind}.db", kind)) as project:
            out[kind] = score_project(project)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_the_scores_of_every_demo_have_the_declared_shape(
        reports: dict[str, Scores], kind: str) -> None:
    report = reports[kind]
    assert report["kind"] == kind and report["systems"]
    if kind != "gec":
        assert _problems(report, Scores, "report") == []
        return
    # gec keeps its TP/FP/FN beside the headline metrics: read through gec_scores().
    assert _problems({**report, "systems": []}, Scores, "report") == []
    for k, system in enumerate(report["systems"]):
        assert "metrics" in system
        assert _problems(system, SystemScores, f"systems[{k}]", frozenset({"metrics"})) == []
        assert _problems(gec_scores(system), GecScores, f"systems[{k}].metrics") == []
        assert all(len(v) == 3 for v in gec_categories(system).values())


def test_category_counts_are_counts_except_for_gec(reports: dict[str, Scores]) -> None:
    for kind, report in reports.items():
        for system in report["systems"]:
            values = list(category_counts(system).values())
            if kind == "gec":
                assert all(isinstance(v, list) for v in values)
            else:
                assert all(isinstance(v, int) for v in values)


def test_the_check_catches_a_wrong_shape() -> None:
    assert _problems({"value": 0.5, "low": None}, Scores, "r")  # missing, undeclared
    bad: dict[str, Any] = {"project": "p", "kind": "sonar", "set": "original", "normalize": "none",
                           "items": 1, "confidence": 0.95, "primary_metric": "cer",
                           "systems": []}
    assert _problems(bad, Scores, "r") == ["r.kind: 'sonar' not in " + repr(KINDS)]

