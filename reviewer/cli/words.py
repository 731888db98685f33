"""``reviewer words``: an asr system's per-word error table and confusion pairs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import fmt_rate, json_text, safe_data
from reviewer.core.errors import ProjectError
from reviewer.core.word_errors import WordErrors, word_errors
from reviewer.store.project import Project
from reviewer.store.scores import system_rows


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "words", help="asr: per-word error table and substitution confusion pairs",
        description="For each reference word: how often it occurs, how often it was "
        "substituted (and by what) or deleted, and its individual error rate; then the "
        "most frequent substitution pairs and inserted words. Words are compared after the "
        "project's normalisation preset.",
        epilog="examples:\n  reviewer words calls.db --system whisper --top 30\n"
        "  reviewer words calls.db --speaker spk07 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    add_output_format(p)
    p.add_argument("--system", action="append",
                   help="only this system; repeatable (default: every system)")
    p.add_argument("--top", type=int, default=30, metavar="N",
                   help="rows of each list (default 30)")
    p.add_argument("--speaker", help="only the utterances of this speaker")
    p.add_argument("--set", dest="set_name", choices=("original", "cleaned"),
                   default="original", help="original references, or the cleaned set")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise ProjectError("--top takes a positive number")
    with open_project(Path(args.project)) as project:
        data = words_json(project, args.system, args.speaker, args.set_name, args.top)
    if args.format == "json":
        print(json_text(data, indent=2))
    else:
        print("\n".join(words_lines(data)))
    return 0


def tables(project: Project, systems: list[str] | None, speaker: str | None,
           set_name: str = "original") -> dict[str, WordErrors]:
    """Each chosen system's per-word table (only ``speaker``'s items when given)."""
    if project.kind != "asr":
        raise ProjectError(f"{project.path}: `reviewer words` is for asr projects, not "
                           f"{project.kind}")
    rows = system_rows(project, "cleaned" if set_name == "cleaned" else "original")
    for name in systems or []:
        if name not in rows:
            raise ProjectError(f"{project.path}: no system {name!r}; systems: "
                               f"{', '.join(rows)}")
    if speaker is not None:
        known = {r.meta.get("speaker") for items in rows.values() for r in items}
        if speaker not in known:
            shown = ", ".join(sorted(k for k in known if k)[:10]) or "none"
            raise ProjectError(f"{project.path}: no items of speaker {speaker!r}; speakers: "
                               f"{shown}")
    out = {}
    for name in systems or list(rows):
        pairs = [(r.reference, r.prediction or "") for r in rows[name]
                 if speaker is None or r.meta.get("speaker") == speaker]
        out[name] = word_errors(pairs, project.normalize)
    return out


def words_json(project: Project, systems: list[str] | None, speaker: str | None,
               set_name: str, top: int) -> dict[str, Any]:
    """The stable JSON of ``reviewer words --format json``."""
    found = tables(project, systems, speaker, set_name)
    return {"project": project.name, "normalize": project.normalize, "set": set_name,
            "speaker": speaker, "top": top,
            "systems": [{"name": name, **table.as_dict(top)} for name, table in found.items()]}


def words_lines(data: dict[str, Any]) -> list[str]:
    """The words data as aligned text lines (words and names in it made :func:`safe`)."""
    data = safe_data(data)
    lines: list[str] = []
    for system in data["systems"]:
        t = system["totals"]
        who = f", speaker {data['speaker']}" if data["speaker"] else ""
        lines += [f"{system['name']}  ({data['project']}, normalisation {data['normalize']}, "
                  f"{data['set']} set{who}, {t['pairs']:,} utterances)",
                  f"{t['ref_words']:,} reference words: {t['substitutions']:,} substituted, "
                  f"{t['deletions']:,} deleted; {t['insertions']:,} words inserted", ""]
        words = system["words"]
        width = max([len("word"), *(len(w["word"]) for w in words)]) + 2
        lines.append(f"{'word':<{width}}{'count':>8}{'subst':>8}{'del':>8}{'rate':>9}"
                     "   substituted by")
        for w in words:
            by = ", ".join(f"{h} ({n})" for h, n in w["substituted_by"])
            lines.append(f"{w['word']:<{width}}{w['count']:>8,}{w['substituted']:>8,}"
                         f"{w['deleted']:>8,}{fmt_rate(w['rate']):>9}   {by}")
        if not words:
            lines.append("(no reference word was substituted or deleted)")
        if system["confusions"]:
            lines += ["", "Confusion pairs (reference -> prediction):"]
            lines += [f"  {c['reference']} -> {c['prediction']}  {c['count']:,}"
                      for c in system["confusions"]]
        if system["insertions"]:
            lines += ["", "Inserted words: " + ", ".join(
                f"{i['word']} ({i['count']:,})" for i in system["insertions"])]
        lines.append("")
    return lines[:-1]
