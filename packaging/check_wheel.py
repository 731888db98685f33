"""Check that reviewer's wheel works on its own, away from the source tree.

Usage, from the repository root (needs the ``build`` package: ``pip install build``)::

    python packaging/check_wheel.py                  # build from this source tree
    python packaging/check_wheel.py --source DIR     # build from another checkout
    python packaging/check_wheel.py --wheel FILE     # check a wheel built elsewhere
    python packaging/check_wheel.py --keep           # keep the temporary folder

Steps, all in a temporary folder:

1. ``python -m build`` makes the sdist and, from it, the wheel (so the sdist must
   carry everything too); both must hold the demo as ``reviewer/_resources``;
2. a fresh venv, without the source tree on its path, installs the wheel (its
   dependencies come from the package index as for any user);
3. from a working folder outside the repository, with Qt offscreen and private
   ``XDG_*`` folders: ``reviewer --version``, ``reviewer demo --help`` and
   ``reviewer demo --print --project DIR/demo.db`` exit 0, the last printing scores;
4. ``reviewer.resources.resources_dir()`` and the demo's image paths are inside the
   venv's ``site-packages``, not in the source tree.

Exit status 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_SPEC = "reviewer/_resources/demo/text/demo.json"


class Failed(Exception):
    """A step did not pass."""


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 1800) -> str:
    """Run ``cmd``; its stdout, or :class:`Failed` unless it exits 0."""
    start = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise Failed(f"`{' '.join(cmd)}` did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise Failed(f"`{' '.join(cmd)}` exited {done.returncode}\n"
                     f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}")
    shown = " ".join([Path(cmd[0]).name, *(c.splitlines()[0] for c in cmd[1:])])
    print(f"  `{shown[:150]}`: exit 0 in {time.monotonic() - start:.1f} s")
    return done.stdout


def build(source: Path, out: Path) -> Path:
    """Build the sdist and the wheel from it into ``out``; the wheel's path."""
    run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=source)
    wheels = sorted(out.glob("reviewer-*.whl"))
    sdists = sorted(out.glob("reviewer-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise Failed(f"expected one wheel and one sdist in {out}, found "
                     f"{[p.name for p in out.iterdir()]}")
    with tarfile.open(sdists[0]) as tar:
        names = tar.getnames()
    if not any(n.endswith(DEMO_SPEC) for n in names):
        raise Failed(f"{sdists[0].name} does not hold {DEMO_SPEC}")
    print(f"  {sdists[0].name}: {len(names)} entries, the demo included")
    return wheels[0]


def check_wheel_contents(wheel: Path) -> None:
    """The wheel holds the package and the whole demo under ``reviewer/_resources``."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    demo = [n for n in names if n.startswith("reviewer/_resources/demo/text/")]
    if DEMO_SPEC not in names or not any(n.endswith(".png") for n in demo):
        raise Failed(f"{wheel.name} lacks the demo under reviewer/_resources "
                     f"({len(demo)} demo files)")
    stray = sorted({n.split("/")[0] for n in names} - {"reviewer"}
                   - {n.split("/")[0] for n in names if ".dist-info/" in n})
    if stray:
        raise Failed(f"{wheel.name} installs more than the reviewer package: {stray}")
    print(f"  {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB, {len(names)} files, "
          f"{len(demo)} of them the demo")


def venv_paths(venv: Path) -> tuple[Path, Path]:
    """The venv's python and reviewer executables."""
    scripts = venv / ("Scripts" if sys.platform == "win32" else "bin")
    suffix = ".exe" if sys.platform == "win32" else ""
    return scripts / f"python{suffix}", scripts / f"reviewer{suffix}"


def install(wheel: Path, work: Path) -> tuple[Path, Path]:
    """A fresh venv in ``work/venv`` with the wheel installed; its python and reviewer."""
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=work)
    python, reviewer = venv_paths(venv)
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(wheel)], cwd=work)
    return python, reviewer


def clean_env(work: Path) -> dict[str, str]:
    """An environment without the source tree or an active venv, with private folders."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "NO_COLOR": "1",
                "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")})
    return env


def check_commands(python: Path, reviewer: Path, work: Path) -> None:
    """The console script runs from outside the repository and finds the demo."""
    env = clean_env(work)
    cwd = work / "elsewhere"
    cwd.mkdir()
    version = run([str(reviewer), "--version"], cwd, env).strip()
    expected = re.search(r'__version__\s*=\s*"([^"]+)"',
                         (ROOT / "reviewer" / "__init__.py").read_text(encoding="utf-8"))
    if not expected or version != f"reviewer {expected.group(1)}":
        raise Failed(f"--version printed {version!r}")
    if "--project" not in run([str(reviewer), "demo", "--help"], cwd, env):
        raise Failed("`reviewer demo --help` does not describe --project")
    out = run([str(reviewer), "demo", "--print", "--project", str(work / "demo.db")], cwd, env)
    if "tesseract-lstm" not in out or not re.search(r"\d+\.\d+% \[", out):
        raise Failed(f"`reviewer demo --print` printed no scores:\n{out[-2000:]}")

    probe = (
        "import json, sysconfig, reviewer, reviewer.resources as r\n"
        "print(json.dumps({'site': sysconfig.get_paths()['purelib'],"
        " 'package': reviewer.__file__, 'resources': str(r.resources_dir())}))\n"
    )
    where = json.loads(run([str(python), "-c", probe], cwd, env))
    site = Path(where["site"]).resolve()
    for key in ("package", "resources"):
        path = Path(where[key]).resolve()
        if not path.is_relative_to(site):
            raise Failed(f"{key} loads from {path}, outside the venv's {site}")
        if path.is_relative_to(ROOT):
            raise Failed(f"{key} loads from the source tree: {path}")
    print(f"  resources_dir(): {where['resources']}")
    shown = run([str(reviewer), "show", str(work / "demo.db"), "line_0001"], cwd, env)
    media = re.search(r"media: (.+)", shown)
    if not media or not Path(media.group(1).strip()).resolve().is_relative_to(site):
        raise Failed(f"the demo's images are not the installed copy:\n{shown}")


def main(argv: list[str] | None = None) -> int:
    """Build (or take) the wheel, install it in a fresh venv, run it; 0 when all passed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the source tree to build (default: this repository)")
    parser.add_argument("--wheel", type=Path, help="check this wheel instead of building one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="reviewer-wheel-"))
    status = 0
    try:
        print("- build" if not args.wheel else f"- wheel {args.wheel}")
        wheel = args.wheel.resolve() if args.wheel else build(args.source.resolve(),
                                                              work / "dist")
        check_wheel_contents(wheel)
        print("- install in a fresh venv")
        python, reviewer = install(wheel, work)
        print("- run from outside the repository")
        check_commands(python, reviewer, work)
        print("check_wheel: every step passed")
    except Failed as exc:
        print(f"check_wheel: FAILED: {exc}")
        status = 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
