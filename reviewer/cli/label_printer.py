"""Label benchmarks in the terminal: per-class scores for ``reviewer score``, items for
``reviewer show``."""

from __future__ import annotations

from reviewer.cli.terminal import fmt_rate, safe
from reviewer.core.label_codec import decode_prediction
from reviewer.core.score_types import ClassScores, Interval, Scores
from reviewer.store.decisions import get_decision
from reviewer.store.project import Project

CONFUSIONS_SHOWN = 5
TOP_PROBS = 3  # classes listed per system in ``reviewer show``
_CELL = 26


def _cell(metric: Interval) -> str:
    return f"{fmt_rate(metric['value'])} [{fmt_rate(metric['low'])}, {fmt_rate(metric['high'])}]"


def score_lines(scores: Scores) -> list[str]:
    """Per system: each class's support, precision, recall and F1 with intervals, and the
    most frequent confusions (gold → predicted)."""
    lines: list[str] = []
    for system in scores["systems"]:
        classes: dict[str, ClassScores] = system.get("per_class", {})
        if not classes:
            continue
        width = max(len("class"), *(len(c) for c in classes)) + 2
        header = (f"{'class':<{width}}{'support':>8}  " + f"{'precision':<{_CELL}}"
                  f"{'recall':<{_CELL}}{'F1':<{_CELL}}").rstrip()
        lines += ["", f"Per class, {system['name']}:", header, "-" * len(header)]
        for name, rates in classes.items():
            lines.append((f"{name:<{width}}{rates['support']:>8}  "
                          + "".join(f"{_cell(m):<{_CELL}}"
                                    for m in (rates["precision"], rates["recall"],
                                              rates["f1"]))).rstrip())
        pairs = system.get("confusions", [])[:CONFUSIONS_SHOWN]
        if pairs:
            lines.append("Most frequent confusions (gold -> predicted): " + ", ".join(
                f"{p['gold']} -> {p['predicted']} ({p['count']})" for p in pairs))
    return lines


def item_lines(project: Project, item_id: str, systems: list[str],
               colour: bool = False) -> list[str]:
    """What ``reviewer show`` prints for a label item: gold class, each system's answer."""
    item = project.item(item_id)
    label = get_decision(project, item_id)
    gold = item.reference.strip()
    head = safe(item.id) + (f"  [{safe(label.verdict)}]" if label.verdict else "")
    lines = [head]
    if item.media:
        lines.append(f"  media: {safe(item.media)}")
    if text := dict(item.meta).get("text"):
        lines.append(f"  text: {safe(text)}")
    if label.note:
        lines.append(f"  note: {safe(label.note)}")
    current = label.corrected_reference
    lines.append(f"  gold: {safe(gold)}" + (f"  (corrected to {safe(current)})" if current else ""))
    target = current or gold
    for system in systems:
        answer = decode_prediction(project.prediction(system, item_id))
        if not answer.label:
            lines.append(f"  {safe(system)}: no prediction")
            continue
        line = (f"  {safe(system)}: {safe(answer.label)}  "
                f"{'right' if answer.label == target else 'wrong'}")
        if answer.probs is not None:
            ranked = sorted(answer.probs.items(), key=lambda cp: -cp[1])[:TOP_PROBS]
            line += f"  p(gold) {answer.prob(target) or 0:.2f}; most probable: " + ", ".join(
                f"{safe(c)} {p:.2f}" for c, p in ranked)
        lines.append(line)
    return lines
