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
