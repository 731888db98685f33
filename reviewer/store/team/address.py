"""Server addresses: ``postgresql://[user@]host[:port]/database[/project]``, never a password.

A password never goes into a project file or a message: libpq's own mechanisms
(``~/.pgpass``, service files, ``PGPASSWORD``) supply it when the server asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from reviewer.store.team.errors import TeamError

SCHEMES = ("postgresql", "postgres")
# A project name is a PostgreSQL schema and part of its group roles' names.
NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A database on a server, as a libpq URL without password (``url``)."""

    url: str

    def display(self, project: str | None = None) -> str:
        """The address as shown to people: ``host:port/database`` (plus ``/project``)."""
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{unquote(parts.username)}@" if parts.username else ""
        shown = f"{user}{host}{port}{parts.path}"
        return f"{shown}/{project}" if project else shown

    def without_user(self) -> ServerAddress:
        """The same database, for anyone: libpq then connects as the login name, or as the
        user a service file or ``PGUSER`` names."""
        parts = urlsplit(self.url)
        return ServerAddress(urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])))

    def with_user(self, user: str) -> ServerAddress:
        """The same database, connecting as ``user``."""
        parts = urlsplit(self.url)
        netloc = quote(user, safe="") + "@" + parts.netloc.rpartition("@")[2]
        return ServerAddress(urlunsplit(parts._replace(netloc=netloc)))


def parse_server(text: str) -> ServerAddress:
    """The database URL ``text`` (``postgresql://host/database``) with its password left out.

    Raises :class:`TeamError` for something that is not such a URL, or one holding a
    password (it would end up in the project file).
    """
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES:
        raise TeamError(f"{text!r}: not a PostgreSQL address (postgresql://host/database)")
    if parts.password is not None:
        raise TeamError(f"{_hide(text)}: holds a password; reviewer never stores one: put it "
                        "in ~/.pgpass, a service file or PGPASSWORD instead")
    database = parts.path.strip("/")
    if not database or "/" in database:
        raise TeamError(f"{text!r}: name one database after the server "
                        "(postgresql://host/database)")
    return ServerAddress(urlunsplit(("postgresql", parts.netloc, "/" + database, parts.query,
                                     "")))


def parse_project_url(text: str) -> tuple[ServerAddress, str]:
    """``postgresql://host/database/project`` as the database and the project's name."""
    parts = urlsplit(text)
    path = parts.path.strip("/")
    database, _, name = path.rpartition("/")
    if not database or not name:
        raise TeamError(f"{_hide(text)}: name the database and the shared project "
                        "(postgresql://host/database/project)")
    server = parse_server(urlunsplit(parts._replace(path="/" + database)))
    return server, check_name(name)


def check_name(name: str) -> str:
    """``name`` when it can name a shared project; else a :class:`TeamError` saying why."""
    if not NAME.fullmatch(name):
        raise TeamError(f"{name!r}: a shared project's name is 1 to 40 lower-case letters, "
                        "digits, hyphens and underscores, starting with a letter (it names a "
                        "PostgreSQL schema and roles)")
    return name


def default_name(stem: str) -> str:
    """A project name made from a file name: ``MMLU-Redux v2`` -> ``mmlu-redux_v2``."""
    name = re.sub(r"[^a-z0-9_-]+", "_", stem.lower()).strip("_-")[:40]
    if not name or not name[0].isalpha():
        name = ("p_" + name)[:40]
    return name


def _hide(text: str) -> str:
    parts = urlsplit(text)
    if parts.password is None:
        return repr(text)
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return repr(urlunsplit(parts._replace(netloc=netloc)))
