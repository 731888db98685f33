"""asr's part of ``reviewer score``'s table (:class:`~reviewer.cli.kind_printers.KindPrinter`)."""

from __future__ import annotations

from reviewer.cli.terminal import fmt_rate
from reviewer.core.score_types import Scores

SPEAKERS_SHOWN = 20  # the score table lists this many speakers; JSON has them all


def score_lines(scores: Scores) -> list[str]:
    """The asr part of ``reviewer score``'s table: word S/D/I/H and per-speaker WER."""
    lines = ["", f"Word errors after normalisation {scores['normalize']}:"]
    width = max([len("system"), *(len(s["name"]) for s in scores["systems"])]) + 2
    for system in scores["systems"]:
        w = system["metrics"]["wer"]
        lines.append(f"{system['name']:<{width}}S {w['substitutions']:,}  D {w['deletions']:,}"
                     f"  I {w['insertions']:,}  H {w['hits']:,}")
    lines += entity_lines(scores)
    for system in scores["systems"]:
        speakers = system.get("speakers") or {}
        if not speakers:
            continue
        worst = sorted(speakers.items(), key=lambda kv: -(kv[1]["value"] or 0.0))
        lines += ["", f"WER by speaker, {system['name']} ({len(speakers):,} speakers"
                  + (f"; the {SPEAKERS_SHOWN} highest shown, all in --format json"
                     if len(speakers) > SPEAKERS_SHOWN else "") + "):"]
        name_width = max(len(s) for s, _ in worst[:SPEAKERS_SHOWN]) + 2
        for name, m in worst[:SPEAKERS_SHOWN]:
            lines.append(f"  {name:<{name_width}}{fmt_rate(m['value'])} "
                         f"[{fmt_rate(m['low'])}, {fmt_rate(m['high'])}] "
                         f"{m['errors']}/{m['units']}  ({m['items']} utterances)")
    return lines


def entity_lines(scores: Scores) -> list[str]:
    """NLP references: each system's WER as fstalign counts it, and its WER per entity
    class (classes as rows, systems as columns)."""
    systems = [s for s in scores["systems"] if "fstalign" in s]
    if not systems:
        return []
    width = max(len(s["name"]) for s in systems) + 2
    lines = ["", "WER as fstalign counts it (normalisations, synonyms; NLP references):"]
    for system in systems:
        f = system["fstalign"]
        note = (f"  ({f['items_corrected']} corrected items left out)"
                if f.get("items_corrected") else "")
        lines.append(f"{system['name']:<{width}}{fmt_rate(f['value'])}  {f['errors']:,}/"
                     f"{f['units']:,}  S {f['substitutions']:,}  D {f['deletions']:,}  "
                     f"I {f['insertions']:,}{note}")
    classes = sorted({c for s in systems for c in s.get("entities", {})})
    if not classes:
        return lines
    column = max(9, *(len(s["name"]) + 2 for s in systems))
    name_width = max(len(c) for c in classes) + 2
    lines += ["", "WER by entity class:",
              " " * (name_width + 2) + "".join(f"{s['name']:>{column}}" for s in systems)]
    for name in classes:
        cells = []
        for system in systems:
            rate = system.get("entities", {}).get(name)
            cells.append(f"{fmt_rate(rate['value']) if rate else '-':>{column}}")
        lines.append(f"  {name:<{name_width}}" + "".join(cells))
    return lines
