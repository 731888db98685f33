"""GEC in the terminal: errant_compare-style score tables, and ``reviewer show`` of a sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.cli.terminal import paint, safe
from reviewer.core.categories import category
from reviewer.core.gec import M2Edit, annotators, apply, judge, parse_block, prf
from reviewer.core.kinds.gec import edit_category
from reviewer.core.score_types import (
    GecScores,
    Scores,
    SystemScores,
    gec_categories,
    gec_scores,
)
from reviewer.store.decisions import get_decision

if TYPE_CHECKING:
    from reviewer.store.project import Project

def _scores(tp: int, fp: int, fn: int) -> str:
    p, r, f = prf(tp, fp, fn)
    return f"{tp:>6}{fp:>6}{fn:>6}  {p:>7.4f}{r:>8.4f}{f:>8.4f}"


def _table(title: str, counts: dict[str, list[int]]) -> list[str]:
    width = max([len(title), *(len(k) for k in counts)]) + 2
    header = f"{title:<{width}}{'TP':>6}{'FP':>6}{'FN':>6}  {'P':>7}{'R':>8}{'F0.5':>8}"
    return [header, *(f"{k:<{width}}{_scores(*v)}" for k, v in counts.items())]


def _modes(system: SystemScores) -> dict[str, GecScores]:
    """errant_compare's three scoring modes of one system, by display name."""
    detection = system["detection"]
    return {"span-based correction": gec_scores(system),
            "span-based detection": detection["span"],
            "token-based detection": detection["token"]}


def score_lines(scores: Scores) -> list[str]:
    """Per system: the three modes' totals, then the counts per operation and per ERRANT type.

    These tables replace the generic errors-by-category table (``category_table=False``).
    """
    lines: list[str] = []
    for system in scores["systems"]:
        modes = _modes(system)
        lines += ["", f"{system['name']}:"]
        lines += _table("mode", {k: [m["tp"], m["fp"], m["fn"]] for k, m in modes.items()})
        lines += ["", *_table("operation", system["operations"])]
        lines += ["", *_table("ERRANT type", gec_categories(system))]
    return lines


def item_lines(project: Project, item_id: str, systems: list[str], colour: bool) -> list[str]:
    """The source, each gold annotator's correction and each system's, edits labelled.

    Edits are ``[correction]{TYPE}`` (``[-tokens]`` for a deletion); a system's carry TP or
    FP against the gold annotator kept for the sentence, and its missed gold edits follow
    as FN.
    """
    item = project.item(item_id)
    label = get_decision(project, item_id)
    current = label.corrected_reference
    source, gold = parse_block(item.reference if current is None else current)
    tokens = (source or dict(item.meta).get("source", "")).split()
    head = safe(item.id) + (f"  [{safe(label.verdict)}]" if label.verdict else "")
    lines = [head + ("  (corrected gold)" if current is not None else ""),
             f"  source   {safe(' '.join(tokens))}"]
    for who in annotators(gold):
        mine = [e for e in gold if e.annotator == who]
        lines.append(f"  gold {safe(who):<3} " + _sentence(tokens, mine, {}, colour))
    for system in systems:
        hyp = project.prediction(system, item_id)
        edits = parse_block(hyp or "")[1]
        judged = judge(gold, edits)
        c = judged.counts
        lines.append(f" {safe(system)}: against annotator {safe(c.ref)}: TP {c.tp}, FP {c.fp}, "
                     f"FN {c.fn}"
                     + ("" if hyp is not None else "  (no prediction)"))
        lines.append("           " + _sentence(tokens, edits, dict(judged.marks), colour))
        if judged.missed:
            lines.append("   missed  " + "  ".join(
                _chip(f"{' '.join(tokens[e.start:e.end]) or '∅'} → {e.correction or '∅'}",
                      e, "FN", tokens, colour) for e in judged.missed))
    return lines


def _sentence(tokens: list[str], edits: list[M2Edit], marks: dict[M2Edit, str],
              colour: bool) -> str:
    out = []
    for text, edit in apply(tokens, edits):
        if edit is None:
            out.append(safe(text))
            continue
        shown = text or "-" + " ".join(tokens[edit.start:edit.end]) or "∅"
        out.append(_chip(shown, edit, marks.get(edit, ""), tokens, colour))
    return " ".join(out)


def _chip(text: str, edit: M2Edit, mark: str, tokens: list[str], colour: bool) -> str:
    tag = "{" + safe(edit.type) + (f" {mark}" if mark else "") + "}"
    swatch = category("gec", edit_category(edit, tokens)).swatch
    return paint(f"[{safe(text)}]", swatch, colour) + tag
