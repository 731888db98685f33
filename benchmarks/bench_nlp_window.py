"""What showing an Earnings call with fstalign's path costs in the window (next-item budget:
p95 < 50 ms), against aligning it again.

Imports the longest Earnings-21 calls (NLP references with their normalisation and
wer_tag sidecars) with every published system output, then, per call:

- ``kept``: the paths kept at import read and drawn as alignments, every system
  (:func:`reviewer.store.shown_alignment.lattice_of`), what the window does per item;
- ``drawn``: the same plus writing them into the alignment view's document
  (:func:`reviewer.gui.diff_render.render`, inline, offscreen);
- ``preset``: the same with the stored (preset) alignments, what any asr item costs;
- ``again``: aligning every system once more as fstalign does (what keeping the path saves).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_nlp_window.py /tmp/sd [--calls 3]

Prints best-of-3 medians and p95 over the calls (repeated), with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.core.align import Alignment
from reviewer.core.items import Benchmark
from reviewer.core.lattice_wer import align
from reviewer.formats.load import load_benchmark
from reviewer.formats.nlp import find_sidecars, parse_nlp
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.shown_alignment import lattice_of


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="an extracted speech-datasets checkout")
    parser.add_argument("--calls", type=int, default=3, help="the longest N calls")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    e21 = args.root / "earnings21"
    refs = e21 / "transcripts" / "nlp_references"
    longest = sorted(refs.glob("*.nlp"), key=lambda p: -p.stat().st_size)[:args.calls]
    systems = sorted(p for p in (e21 / "output").iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "refs").mkdir()
        preds = []
        for system in systems:
            have = [c for c in longest if (system / c.name).is_file()]
            if not have:
                continue
            (tmp / system.name).mkdir()
            for call in have:
                os.symlink(system / call.name, tmp / system.name / call.name)
            preds.append((system.name, tmp / system.name))
        for call in longest:
            os.symlink(call, tmp / "refs" / call.name)
        options = ReadOptions(kind="asr", normalizations=e21 / "transcripts" / "normalizations",
                              wer_tags=e21 / "transcripts" / "wer_tags")
        start = time.perf_counter()
        bench = load_benchmark(tmp / "refs", preds, options)
        counted = time.perf_counter() - start
        db = tmp / "calls.db"
        with Project(db, create=True) as project:
            import_benchmark(project, bench)
        words = {c.stem: len(parse_nlp(c, [])) for c in longest}
        print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
        print(f"{len(longest)} calls ({', '.join(f'{k}: {v:,} rows' for k, v in words.items())})"
              f", {len(preds)} systems; reading + fstalign counting at import: {counted:.1f} s")
        ids = [c.stem for c in longest]
        kept, drawn = _window_times(db, ids, args.repeat, lattice_of)
        stored, stored_drawn = _window_times(
            db, ids, args.repeat, lambda p, s, i: p.alignment(s, i))
        again = _again(tmp / "refs", bench, options, [c.stem for c in longest])
    for label, values in (("kept (all systems)", kept), ("kept + drawn", drawn),
                          ("preset (stored)", stored), ("preset + drawn", stored_drawn),
                          ("aligned again", again)):
        print(f"{label:<20} median {1000 * statistics.median(values):8.1f} ms   "
              f"p95 {1000 * _p95(values):8.1f} ms   ({len(values)} shows)")
    return 0


def _window_times(db: Path, ids: list[str], repeat: int,
                  shown_by: Callable[[Project, str, str], Alignment | None]
                  ) -> tuple[list[float], list[float]]:
    from PySide6.QtGui import QColor, QFont, QTextDocument
    from PySide6.QtWidgets import QApplication

    from reviewer.core.categories import catalogue
    from reviewer.gui.diff_render import Styles, SystemDiff, render

    app = QApplication.instance() or QApplication([])
    styles = Styles(catalogue("asr"), "light", QFont(), QFont("monospace"), QColor("grey"))
    kept: list[float] = []
    drawn: list[float] = []
    with Project(db) as project:
        systems = project.systems()
        for _ in range(repeat):
            for item_id in ids:
                start = time.perf_counter()
                shown = [SystemDiff(s, shown_by(project, s, item_id)) for s in systems]
                kept.append(time.perf_counter() - start)
                doc = QTextDocument()
                first = next(d.alignment for d in shown if d.alignment is not None)
                render(doc, "Reference", first.ref, shown, "inline", 100, styles, set(), None)
                drawn.append(time.perf_counter() - start)
    del app
    return kept, drawn


def _again(refs: Path, bench: Benchmark, options: ReadOptions, ids: list[str]) -> list[float]:
    found = find_sidecars(refs, options, [])
    out = []
    predictions = bench.predictions
    for item_id in ids:
        rows = [r.ref_token() for r in parse_nlp(refs / f"{item_id}.nlp", [])]
        norms, _ = found.of(item_id)
        start = time.perf_counter()
        for texts in predictions.values():
            align(rows, texts.get(item_id, "").split(), norms, found.synonyms)
        out.append(time.perf_counter() - start)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
