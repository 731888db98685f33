"""asr's part of ``reviewer score``'s table (its :class:`~reviewer.cli.kind_reports.KindReport`)."""

from __future__ import annotations

from reviewer.cli.terminal import fmt_rate
from reviewer.core.score_report import ScoreReport

SPEAKERS_SHOWN = 20  # the score table lists this many speakers; JSON has them all


def score_lines(report: ScoreReport) -> list[str]:
    """The asr part of ``reviewer score``'s table: word S/D/I/H and per-speaker WER."""
    lines = ["", f"Word errors after normalisation {report['normalize']}:"]
    width = max([len("system"), *(len(s["name"]) for s in report["systems"])]) + 2
    for system in report["systems"]:
        w = system["metrics"]["wer"]
        lines.append(f"{system['name']:<{width}}S {w['substitutions']:,}  D {w['deletions']:,}"
                     f"  I {w['insertions']:,}  H {w['hits']:,}")
    for system in report["systems"]:
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
