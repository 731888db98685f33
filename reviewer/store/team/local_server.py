"""A PostgreSQL server in a folder, for a local trial and for the tests.

It uses the server programs found on this machine (``initdb``/``pg_ctl`` on the PATH, in
``pg_config --bindir``, under ``/usr/lib/postgresql/*/bin``, or those the ``pgserver``
package ships). The trial server listens on localhost only and trusts local connections
(no passwords): right for trying reviewer's team work on one machine, not for a team.
PostgreSQL refuses to run as root; as root, the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reviewer.store.team.errors import TeamError

MISSING = ("no PostgreSQL server programs found: install the `postgresql` system package "
           "(Debian/Ubuntu) or `pip install pgserver`")
PORT_LINE = re.compile(r"^port = (\d+)\s+# reviewer$", re.M)
DEFAULT_DATABASE = "benchmarks"


@dataclass(frozen=True, slots=True)
class LocalServer:
    """A server's data folder, its port and the programs that run it."""

    data: Path
    port: int
    bin_dir: Path

    def url(self, database: str = DEFAULT_DATABASE, user: str = "postgres") -> str:
        """A libpq URL for ``database`` as ``user``."""
        return f"postgresql://{user}@localhost:{self.port}/{database}"

    def postmaster_pid(self) -> int | None:
        """The running server's process id (``None`` when it does not run)."""
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
        except OSError:
            return None
        return int(first) if first.strip().isdigit() else None


def find_bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are (``None``: nowhere here)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if out and (Path(out) / "pg_ctl").exists():
            return Path(out)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(re.sub(r"\D", "", Path(p).parent.parent.name) or 0))
    if versions:
        return Path(versions[-1]).parent
    # Located, not imported: importing pgserver starts its own machinery.
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        bin_dir = Path(spec.origin).parent / "pginstall" / "bin"
        if (bin_dir / "pg_ctl").exists():
            return bin_dir
    return None


def server_in(data: Path, port: int | None = None) -> LocalServer:
    """The server of folder ``data``, made there (``initdb``) when the folder holds none."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise TeamError(MISSING)
    data = Path(data).absolute()
    conf = data / "postgresql.conf"
    if conf.exists():
        found = PORT_LINE.search(conf.read_text())
        if found is None:
            raise TeamError(f"{data}: a PostgreSQL data folder reviewer did not make")
        return LocalServer(data, int(found.group(1)), bin_dir)
    if data.exists() and any(data.iterdir()):
        raise TeamError(f"{data}: not empty and not a PostgreSQL data folder")
    data.mkdir(parents=True, exist_ok=True)
    _own(data)
    _run(bin_dir / "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
         "--encoding=UTF8", "--no-locale")
    port = port or free_port()
    with conf.open("a") as f:
        f.write(f"\nlisten_addresses = 'localhost'\nunix_socket_directories = '{data}'\n"
                f"port = {port}  # reviewer\n")
    return LocalServer(data, port, bin_dir)


def start(server: LocalServer) -> None:
    """Start the server (waits until it accepts connections); nothing when it runs."""
    if _running(server):
        return
    _run(server.bin_dir / "pg_ctl", "-D", str(server.data), "-l", str(server.data / "log"),
         "-w", "-t", "60", "start")


def stop(server: LocalServer) -> None:
    """Stop the server (fast shutdown); nothing when it does not run."""
    if _running(server):
        _run(server.bin_dir / "pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")


def create_database(server: LocalServer, name: str = DEFAULT_DATABASE) -> None:
    """Create database ``name`` unless it exists."""
    from reviewer.store.team.connection import psycopg

    pg = psycopg()
    with pg.connect(server.url("postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return int(s.getsockname()[1])


def _running(server: LocalServer) -> bool:
    result = subprocess.run(_as_owner(server.bin_dir / "pg_ctl", "-D", str(server.data),
                                      "status"), capture_output=True, text=True)
    return result.returncode == 0


def _run(*command: str | Path) -> None:
    result = subprocess.run(_as_owner(*command), capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise TeamError(f"{Path(command[0]).name} failed: {detail[-1] if detail else ''}")


def _as_owner(*command: str | Path) -> list[str]:
    args = [str(c) for c in command]
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", _service_user(), "--", *args]


def _service_user() -> str:
    try:
        return pwd.getpwnam("postgres").pw_name
    except KeyError:
        raise TeamError("PostgreSQL does not run as root, and there is no `postgres` user "
                        "to run it as: run this as another user") from None


def _own(data: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(_service_user())
        os.chown(data, entry.pw_uid, entry.pw_gid)
        data.chmod(0o700)
