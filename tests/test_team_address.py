"""Server addresses and project names for team work (no server needed)."""

from __future__ import annotations

import pytest

from reviewer.store.team import TeamError
from reviewer.store.team.address import default_name, parse_project_url, parse_server


def test_a_project_url_names_the_database_and_the_project() -> None:
    server, name = parse_project_url("postgresql://alice@db.example:5433/benchmarks/mmlu-redux")
    assert name == "mmlu-redux"
    assert server.url == "postgresql://alice@db.example:5433/benchmarks"
    assert server.display(name) == "alice@db.example:5433/benchmarks/mmlu-redux"
    assert server.without_user().url == "postgresql://db.example:5433/benchmarks"
    assert server.with_user("bob").display() == "bob@db.example:5433/benchmarks"


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://alice:hunter2@db/benchmarks", "holds a password"),
    ("mysql://db/benchmarks", "not a PostgreSQL address"),
    ("postgresql://db/", "name one database"),
])
def test_a_bad_server_address_is_refused_without_showing_a_password(url: str,
                                                                     message: str) -> None:
    with pytest.raises(TeamError, match=message) as refused:
        parse_server(url)
    assert "hunter2" not in str(refused.value)


def test_a_project_url_needs_a_project_with_a_usable_name() -> None:
    with pytest.raises(TeamError, match="name the database and the shared project"):
        parse_project_url("postgresql://db/benchmarks")
    with pytest.raises(TeamError, match="lower-case letters"):
        parse_project_url("postgresql://db/benchmarks/Bad;Name")


@pytest.mark.parametrize(("stem", "name"), [
    ("MMLU-Redux v2", "mmlu-redux_v2"), ("bench", "bench"), ("2024 set", "p_2024_set")])
def test_a_default_name_is_made_from_the_file_name(stem: str, name: str) -> None:
    assert default_name(stem) == name
