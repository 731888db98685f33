"""``reviewer suspects --help`` lists every kind's ranking methods, from the kinds' specs."""

from __future__ import annotations

import pytest

from reviewer.cli import main
from reviewer.core.kinds import available_kinds, spec


def test_help_lists_each_kinds_methods(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["suspects", "--help"])
    text = capsys.readouterr().out
    listing = text.split("ranking methods by kind", 1)[1]
    lines = {line.split()[0]: line for line in listing.splitlines()[1:]
             if line.startswith("  ") and not line.startswith("   ")}
    for kind in available_kinds():
        found = spec(kind)
        assert found.suspicion is not None, f"{kind} has no suspicion ranking"
        named = [m for m in found.suspicion_methods] or ["default"]
        assert kind in lines, f"{kind} is not listed"
        assert all(m in lines[kind] for m in named), (kind, lines[kind])
    assert "gec" in lines and "asr" in lines


def test_every_kind_ranks_with_its_default_method() -> None:
    for kind in available_kinds():
        assert spec(kind).suspicion is not None, kind
