"""Seeded synthetic OCR-like line pairs, shared by the benchmark scripts."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "the of and to in was that his he it with as had for on at by which be this from "
    "not her but were all they she one are or been their we an have has would there "
    "modern clear learned morning harbour village through between children question "
    "Müller Straße café naïve façade rôle déjà Zürich Ærø ſchön 1848 2026 42 3,14"
).split()
CONFUSIONS = (("m", "rn"), ("d", "cl"), ("w", "vv"), ("l", "1"), ("O", "0"), ("e", "c"),
              ("h", "b"), ("ü", "u"), ("é", "e"), ("ſ", "f"), (",", "."), ("i", "í"))


def reference_line(rng: random.Random) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < rng.randint(30, 80):
        w = rng.choice(WORDS)
        words.append(w.capitalize() if rng.random() < 0.1 else w)
    return " ".join(words) + rng.choice(["", "", ".", ",", ";", "!"])


def ocr_line(ref: str, rng: random.Random, error_rate: float) -> str:
    out = ref
    for _ in range(rng.randint(0, max(1, int(len(ref) * error_rate * 2)))):
        kind = rng.random()
        pos = rng.randrange(len(out)) if out else 0
        if kind < 0.35:
            a, b = rng.choice(CONFUSIONS)
            if a in out:
                out = out.replace(a, b, 1)
        elif kind < 0.5:
            out = out[:pos] + out[pos:pos + 1].swapcase() + out[pos + 1:]
        elif kind < 0.65:
            out = out[:pos] + out[pos + 1:]
        elif kind < 0.8:
            out = out[:pos] + rng.choice("aeilnrst .,'") + out[pos:]
        elif kind < 0.9 and " " in out:
            out = out.replace(" ", "", 1)
        else:
            out = out[:pos] + rng.choice("abcdefghijklmnop") + out[pos + 1:]
    return out


def make_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """``n`` references and two systems' outputs (a cleaner and a noisier one)."""
    rng = random.Random(seed)
    refs = [reference_line(rng) for _ in range(n)]
    good = [ocr_line(r, rng, 0.02) for r in refs]
    bad = [ocr_line(r, rng, 0.06) for r in refs]
    return refs, good, bad


def build_text_project(path: Path, n: int) -> None:
    """A text project at ``path`` of ``n`` synthetic lines and two systems (good, bad)."""
    from reviewer.core.items import Benchmark, Item
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    refs, good, bad = make_pairs(n, seed=1)
    items = [Item(f"line_{k:06d}", r) for k, r in enumerate(refs)]
    ids = [it.id for it in items]
    bench = Benchmark("text", items, {"good": dict(zip(ids, good, strict=True)),
                                      "bad": dict(zip(ids, bad, strict=True))})
    with Project(path, create=True) as project:
        import_benchmark(project, bench)


def replicate_text_project(base: Path, path: Path, n: int) -> None:
    """A text project at ``path`` of ``n`` items made by repeating the items of the project
    at ``base`` (built by :func:`build_text_project`), renamed ``line_NNNNNNNN``.

    Copies rows in SQL, so ten million items take minutes where importing them would take
    an hour; every copy of an item keeps its reference, predictions and alignments.
    """
    import shutil
    import sqlite3

    path.unlink(missing_ok=True)
    shutil.copyfile(base, path)
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS base", [str(base)])
    size = conn.execute("SELECT count(*) FROM base.items").fetchone()[0]
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    for table in ("alignments", "predictions", "labels", "items"):
        conn.execute(f"DELETE FROM main.{table}")
    name = "printf('line_%08d', i.pos + ?)"
    for start in range(0, n, size):
        take = min(size, n - start)
        conn.execute("INSERT INTO main.items SELECT i.pos + ?, " + name + ", i.reference, "
                     "i.media, i.meta FROM base.items i WHERE i.pos < ?", [start, start, take])
        conn.execute("INSERT INTO main.predictions SELECT p.system, " + name + ", p.text, "
                     "p.meta FROM base.predictions p JOIN base.items i ON i.id = p.item_id "
                     "WHERE i.pos < ?", [start, take])
        conn.execute("INSERT INTO main.alignments SELECT a.system, " + name + ", a.variant, "
                     "a.main_errors, a.main_units, a.main_hyp_units, a.main_s, a.main_d, "
                     "a.main_i, a.second_errors, a.second_units, a.second_hyp_units, "
                     "a.second_s, a.second_d, a.second_i, a.categories, a.main_category, "
                     "a.edits, a.extra FROM base.alignments a "
                     "JOIN base.items i ON i.id = a.item_id WHERE i.pos < ?", [start, take])
        conn.commit()
    conn.close()
