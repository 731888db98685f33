"""Smoke test of the application PyInstaller built (``make package`` runs it).

Usage, from the repository root::

    python packaging/smoke_test.py                # the build in dist/reviewer/
    python packaging/smoke_test.py --app DIR      # another one-folder build
    python packaging/smoke_test.py --keep         # keep the temporary folder, print it

It runs the built executable, never the source tree, from a temporary working folder,
with Qt offscreen (``QT_QPA_PLATFORM=offscreen``) and with ``XDG_DATA_HOME``,
``XDG_CONFIG_HOME`` and ``HOME`` in that folder, so the user's own settings and
projects are neither read nor touched. Checks, in order:

1. ``reviewer --version`` prints this source tree's version;
2. ``reviewer demo --help`` works;
3. ``reviewer demo --print --project DIR/demo.db`` imports the bundled demo and prints
   its scores, and the demo's images are the bundle's copy (``reviewer/_resources``);
4. every other kind's demo (asr, gec, kern, choice, label, answer) imports and scores with
   ``demo --kind K --print`` and ``score --format json`` (scipy for the intervals of choice
   and label, musicdiff and verovio for kern, QtMultimedia for the asr player are bundled;
   every kern pair gets its OMR-NED from musicdiff);
5. an export to Parquet reads back (pandas and pyarrow work in the bundle);
6. a 21,000-pair import scores in worker processes (``freeze_support`` works);
7. ``reviewer gui DIR/demo.db`` opens the demo in the window and exits 0 by itself:
   ``REVIEWER_QUIT_AFTER_MS`` makes the window close after that many milliseconds;
   the project's last item, which the window stores on closing, proves it was open;
8. on Linux with the freedesktop tools (``update-mime-database``, ``gio``): with
   ``packaging/reviewer-mime.xml`` and ``packaging/io.github.reviewer.desktop``
   installed in the temporary data folder, the demo project is recognised as
   ``application/x-reviewer-project`` (another SQLite file is not), reviewer is its
   default application, and ``gio open demo.db``, as a file manager does, opens it
   in the built application. Skipped, with a message, when the tools are missing.

Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
MIME_TYPE = "application/x-reviewer-project"
DESKTOP_ID = "io.github.reviewer.desktop"
QUIT_AFTER_MS = "1500"
GUI_TIMEOUT_S = 90


class Failed(Exception):
    """A check did not pass."""


def executable(app: Path) -> Path:
    """The reviewer executable inside a one-folder build, for this platform."""
    exe = app / ("reviewer.exe" if sys.platform == "win32" else "reviewer")
    if not exe.is_file():
        raise Failed(f"{exe}: no built application here (run `make package` first)")
    return exe


def source_version() -> str:
    """``__version__`` of the source tree, read without importing reviewer."""
    text = (ROOT / "reviewer" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise Failed("reviewer/__init__.py has no __version__")
    return match.group(1)


class Runner:
    """Runs the built executable in a sandboxed environment and checks its exit status."""

    def __init__(self, exe: Path, work: Path) -> None:
        self.exe = exe
        self.work = work
        self.env = dict(os.environ)
        for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "REVIEWER_ANNOTATOR"):
            self.env.pop(var, None)
        self.env.update({
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "HOME": str(work / "home"),
            "NO_COLOR": "1",
        })
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME"):
            Path(self.env[var]).mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, timeout: float = 120, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
        """Run ``reviewer ARGS`` in the work folder; :class:`Failed` unless it exits 0."""
        shown = " ".join(["reviewer", *args]).replace(str(self.work), "$TMP")
        start = time.monotonic()
        try:
            done = subprocess.run(
                [str(self.exe), *args], cwd=self.work, env={**self.env, **(env or {})},
                capture_output=True, text=True, encoding="utf-8", errors="replace",
                timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise Failed(f"`{shown}` did not finish within {timeout:.0f} s") from exc
        took = time.monotonic() - start
        if done.returncode != 0:
            raise Failed(f"`{shown}` exited {done.returncode} after {took:.1f} s\n"
                         f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}")
        if "Traceback (most recent call last)" in done.stderr:
            raise Failed(f"`{shown}` printed a traceback:\n{done.stderr[-3000:]}")
        print(f"  `{shown}`: exit 0 in {took:.1f} s")
        return done


def project_meta(path: Path) -> dict[str, str]:
    """The ``meta`` table of a reviewer project."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()


def check_version(r: Runner) -> None:
    """``--version`` prints the source tree's version."""
    out = r.run("--version").stdout.strip()
    if out != f"reviewer {source_version()}":
        raise Failed(f"--version printed {out!r}, expected 'reviewer {source_version()}'")


def check_demo_help(r: Runner) -> None:
    """``demo --help`` works."""
    if "--project" not in r.run("demo", "--help").stdout:
        raise Failed("`reviewer demo --help` does not describe --project")


def check_demo_print(r: Runner) -> None:
    """The bundled demo imports and prints scores; its images come from the bundle."""
    out = r.run("demo", "--print", "--project", str(r.work / "demo.db")).stdout
    for expected in ("tesseract-lstm", "CER", "WER", "worst items"):
        if expected not in out:
            raise Failed(f"`reviewer demo --print` did not print {expected!r}:\n{out[-2000:]}")
    if not re.search(r"\d+\.\d+% \[", out):
        raise Failed(f"`reviewer demo --print` printed no score with an interval:\n{out}")
    shown = r.run("show", str(r.work / "demo.db"), "line_0001").stdout
    media = re.search(r"media: (.+)", shown)
    bundle = r.exe.parent.resolve()
    if not media or not Path(media.group(1).strip()).resolve().is_relative_to(bundle):
        raise Failed(f"the demo's images are not the bundle's copy under {bundle}:\n{shown}")
    if not Path(media.group(1).strip()).is_file():
        raise Failed(f"the demo image {media.group(1)} is missing from the bundle")


# Every bundled kind but text (check_demo_print covers that one).
OTHER_KINDS = ("asr", "gec", "kern", "choice", "label", "answer")


def check_every_kind(r: Runner) -> None:
    """Each kind's demo imports, prints and scores in the bundle, intervals included."""
    for kind in OTHER_KINDS:
        project = r.work / f"demo-{kind}.db"
        r.run("demo", "--kind", kind, "--print", "--project", str(project), timeout=600)
        report = json.loads(r.run("score", str(project), "--format", "json").stdout)
        metric = report.get("primary_metric")
        systems = report.get("systems") or []
        if report.get("kind") != kind or not systems:
            raise Failed(f"the {kind} demo scored as {report.get('kind')!r} with "
                         f"{len(systems)} systems")
        for system in systems:
            status = system.get("omr_ned_status")
            if status is not None and (status.get("failed") or not status.get("computed")):
                raise Failed(f"the {kind} demo's {system.get('name')} has no OMR-NED from "
                             f"musicdiff in the bundle: {status}")
            value = (system.get("metrics") or {}).get(metric)
            if not isinstance(value, dict) or value.get("low") is None:
                raise Failed(f"the {kind} demo's {system.get('name')} has no {metric} with "
                             f"an interval: {str(system)[:500]}")


def check_parquet(r: Runner) -> None:
    """An export to Parquet imports back with the same items."""
    r.run("export", str(r.work / "demo.db"), str(r.work / "demo.parquet"))
    out = r.run("import", str(r.work / "again.db"), str(r.work / "demo.parquet"),
                "--kind", "text").stdout
    if "200 items" not in out:
        raise Failed(f"the Parquet export did not import back with 200 items:\n{out}")


def check_workers(r: Runner) -> None:
    """A large import, scored in spawned worker processes, finishes and stores every item."""
    rows = (json.dumps({"id": f"l{i:05d}", "reference": f"line {i} of the smoke test",
                        "prediction": f"line {i} of the smoke tast"}) for i in range(21_000))
    source = r.work / "large.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = r.run("import", str(r.work / "large.db"), str(source), "--kind", "text",
                timeout=300).stdout
    if "21000 items" not in out.replace(",", ""):
        raise Failed(f"the 21,000-item import reported something else:\n{out}")


def check_gui(r: Runner) -> None:
    """The window opens the demo and leaves by itself with status 0."""
    project = r.work / "demo.db"
    r.run("gui", str(project), "--annotator", "smoke", timeout=GUI_TIMEOUT_S,
          env={"REVIEWER_QUIT_AFTER_MS": QUIT_AFTER_MS})
    if "last_item:smoke" not in project_meta(project):
        raise Failed("the window exited 0 but never showed an item of the demo "
                     "(no last_item:smoke in the project)")


def check_desktop_integration(r: Runner) -> None:
    """MIME type, default application and `gio open` in a private XDG data folder."""
    tools = ("update-mime-database", "update-desktop-database", "gio")
    missing = [t for t in tools if shutil.which(t) is None]
    if not sys.platform.startswith("linux"):
        print("  skipped: freedesktop integration is for Linux")
        return
    if missing:
        print(f"  skipped: {', '.join(missing)} not installed "
              "(Debian: shared-mime-info, desktop-file-utils, libglib2.0-bin)")
        return
    data = Path(r.env["XDG_DATA_HOME"])
    (data / "mime" / "packages").mkdir(parents=True, exist_ok=True)
    (data / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy(PACKAGING / "reviewer-mime.xml", data / "mime" / "packages")
    shutil.copy(PACKAGING / DESKTOP_ID, data / "applications")
    env = {**r.env, "PATH": f"{r.exe.parent}{os.pathsep}{r.env.get('PATH', '')}",
           "REVIEWER_QUIT_AFTER_MS": QUIT_AFTER_MS}

    def tool(*cmd: str) -> str:
        done = subprocess.run(cmd, env=env, cwd=r.work, capture_output=True, text=True,
                              timeout=60)
        if done.returncode != 0:
            raise Failed(f"`{' '.join(cmd)}` exited {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    tool("update-mime-database", str(data / "mime"))
    tool("update-desktop-database", str(data / "applications"))

    def content_type(path: Path) -> str:
        out = tool("gio", "info", "--attributes=standard::content-type", str(path))
        return out.rsplit(":", 1)[-1].strip()

    other = r.work / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    found = {p.name: content_type(p) for p in (r.work / "demo.db", other)}
    if found != {"demo.db": MIME_TYPE, "other.db": "application/vnd.sqlite3"}:
        raise Failed(f"content types: {found}")
    print(f"  content types: {found}")
    default = tool("gio", "mime", MIME_TYPE)
    if DESKTOP_ID not in default.splitlines()[0]:
        raise Failed(f"{DESKTOP_ID} is not the default application of {MIME_TYPE}:\n{default}")
    print(f"  default application of {MIME_TYPE}: {DESKTOP_ID}")

    # Open it as a file manager would. The desktop entry passes no --annotator, so the
    # window would ask for a name: give the project one, as a user's first answer would.
    opened = r.work / "opened.db"
    shutil.copy(r.work / "demo.db", opened)
    with sqlite3.connect(opened) as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('annotator', 'fm')")
    conn.close()
    start = time.monotonic()
    tool("gio", "open", str(opened))
    wait_for(lambda: "last_item:fm" in project_meta(opened), GUI_TIMEOUT_S,
             "`gio open opened.db` did not open the project in the built application")
    print(f"  `gio open opened.db`: opened in the window in {time.monotonic() - start:.1f} s")


def wait_for(condition: Callable[[], bool], timeout: float, message: str) -> None:
    """Poll ``condition`` until it holds; :class:`Failed` with ``message`` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except sqlite3.Error:
            pass  # the application may hold a write lock for a moment
        time.sleep(0.5)
    raise Failed(message)


CHECKS: list[tuple[str, Callable[[Runner], None]]] = [
    ("--version", check_version),
    ("demo --help", check_demo_help),
    ("demo --print (bundled demo, bundled images)", check_demo_print),
    ("every kind's demo prints and scores", check_every_kind),
    ("Parquet export and import", check_parquet),
    ("import scored in worker processes", check_workers),
    ("window opens the demo and exits 0", check_gui),
    ("freedesktop MIME type and file-manager opening", check_desktop_integration),
]


def main(argv: list[str] | None = None) -> int:
    """Run every check; 0 when all passed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "reviewer",
                        help="the one-folder build (default: dist/reviewer)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    try:
        exe = executable(args.app.resolve())
    except Failed as exc:
        print(f"smoke test: {exc}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="reviewer-smoke-"))
    runner = Runner(exe, work)
    failures = 0
    print(f"smoke test of {exe}")
    for name, check in CHECKS:
        print(f"- {name}")
        try:
            check(runner)
        except Failed as exc:
            failures += 1
            print(f"  FAILED: {exc}")
        else:
            print("  ok")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"smoke test: {len(CHECKS) - failures} of {len(CHECKS)} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
