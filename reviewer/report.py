"""The shareable HTML report: one self-contained file that works offline (DESIGN §6, §9).

Scores with intervals on the original and the cleaned set (each metric ranked in its own
direction), errors per category, the legend, review progress and every included item as
``reviewer show`` prints it (its item facts, :mod:`reviewer.report_items`), image
included. The items travel as JSON inside the page and a small inline script renders one
page of them at a time, so the file stays usable at 100,000 items. Static text is escaped
with :func:`html.escape`; the script builds item nodes with ``textContent`` only. Paths
are written relative to the report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any, Literal

from reviewer import __version__
from reviewer.core.atomic import atomic_path
from reviewer.core.categories import Category, catalogue
from reviewer.core.decisions import VERDICT_NAMES, VERDICTS, Decision
from reviewer.core.errors import Cancelled, ReviewerError
from reviewer.core.item_facts import describe_item
from reviewer.core.kern.missing import DEFAULT_MISSING, missing_wording
from reviewer.core.kind_spec import MetricInfo
from reviewer.core.kinds import spec
from reviewer.core.progress import NullProgress, Progress
from reviewer.core.relative_paths import RelativePaths
from reviewer.core.score_types import Metric, Scores
from reviewer.report_assets import (
    SCRIPT,
    STATUS_SWATCHES,
    items_section,
    legend_section,
    stylesheet,
)
from reviewer.report_items import ReportItems
from reviewer.store.decisions import all_decisions
from reviewer.store.item_data import every_item_data
from reviewer.store.project import Project
from reviewer.store.scores import ScoreSet, score_project

Include = Literal["reviewed", "all"]
# How the score report names each accuracy interval method (others: bootstrap over items).
_INTERVAL_NAMES = {"beta": "Beta(x+1, n−x+1) posterior", "wilson": "Wilson score",
                   "clopper-pearson": "Clopper–Pearson exact"}


def write_report(project: Project, target: str | Path, *, page_size: int = 200,
                 include: Include = "reviewed", images: bool = True,
                 progress: Progress | None = None) -> dict[str, int]:
    """Write the HTML report of ``project`` to ``target`` atomically.

    ``include="reviewed"`` puts in every item with a decision (status other than
    ``unreviewed``), ``"all"`` every item, each as ``reviewer show`` shows it; the page
    shows ``page_size`` at a time. ``images``: embed each item's image as a thumbnail
    (up to :data:`reviewer.core.limits.REPORT_IMAGE_BUDGET` bytes). Paths are written relative
    to ``target``. Returns ``{"items": included, "pages": pages, "bytes": file size,
    "images_left_out": images not embedded for the budget}``. If ``progress`` asks to
    cancel, :class:`Cancelled` is raised; if the file cannot be written, a
    :class:`ReviewerError` naming it. Either way ``target`` is left as it was.
    """
    progress = progress or NullProgress()
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    if include not in ("reviewed", "all"):
        raise ValueError(f"include must be 'reviewed' or 'all', not {include!r}")
    target = Path(target)
    decisions = all_decisions(project)
    cats = catalogue(project.kind)
    reviewed = {i for i, decision in decisions.items() if decision.status != "unreviewed"}
    scores: dict[ScoreSet, Scores] = {}
    sets: tuple[ScoreSet, ...] = ("original", "cleaned")
    for k, set_name in enumerate(sets):
        progress.status(f"Scoring the {set_name} set")
        progress.set(0.2 * k)
        scores[set_name] = score_project(project, set_name)
    config = {"pageSize": page_size, "systems": project.systems(),
              "categories": [{"id": c.id, "name": c.name} for c in cats],
              "verdicts": VERDICT_NAMES}
    page = "".join((
        _head(project, cats), _scores(scores), _charts(scores, cats), legend_section(cats),
        _progress(decisions, project.item_count()), items_section(include == "all", cats),
        f'<script type="application/json" id="report-config">{script_json(config)}</script>\n'))
    items = ReportItems(cats, RelativePaths(target.parent), images=images)
    records = (items.record(describe_item(project.kind, data)) for data in every_item_data(
        project, decisions, None if include == "all" else reviewed))
    total = project.item_count() if include == "all" else len(reviewed)
    progress.status("Writing the items")
    try:
        count = _write(target, page, _counted(records, total, progress))
    except OSError as exc:
        raise ReviewerError(f"{target}: cannot write the report: {exc.strerror or exc}") from exc
    return {"items": count, "pages": math.ceil(count / page_size),
            "bytes": target.stat().st_size, "images_left_out": items.images_left_out}


def _counted(records: Iterator[dict[str, Any]], total: int,
             progress: Progress) -> Iterator[dict[str, Any]]:
    for k, record in enumerate(records):
        if k % 2000 == 0:
            if progress.cancelled():
                raise Cancelled()
            progress.set(0.4 + 0.6 * k / max(total, 1))
        yield record
    progress.set(1.0)


def _write(target: Path, page: str, records: Iterable[dict[str, Any]]) -> int:
    """Write the page, then the item records and the script, atomically; returns the count."""
    count = 0
    # backslashreplace: a lone surrogate cannot be UTF-8; escaped, it stays valid JSON.
    with atomic_path(target) as tmp, \
            tmp.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
        fh.write(page)
        fh.write('<script type="application/json" id="report-items">[')
        for record in records:
            fh.write(("," if count else "") + script_json(record))
            count += 1
        fh.write(f"]</script>\n<script>{SCRIPT}</script>\n</main>\n</body>\n</html>\n")
    return count


def script_json(value: Any) -> str:
    """``value`` as JSON that no input can end early inside a ``<script>`` block.

    Every ``<``, ``>`` and ``&`` becomes a ``\\u`` escape, which covers ``</script>`` and
    also ``<!--``, which would otherwise change how the HTML parser reads the block.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _head(project: Project, cats: tuple[Category, ...]) -> str:
    name = escape(project.name)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{name} — reviewer report</title>\n"
        f"<style>\n{stylesheet({c.id: c.swatch for c in cats})}</style>\n</head>\n<body>\n"
        f'<main>\n<header>\n<h1>{name}</h1>\n<p class="meta">'
        f"{escape(project.kind)} benchmark · {project.item_count():,} items · "
        f"{len(project.systems())} systems · report of {when} · reviewer {escape(__version__)}"
        "</p>\n<nav class=\"toc\"><a href=\"#scores\">Scores</a><a href=\"#categories\">"
        "Errors by category</a><a href=\"#legend\">Legend</a><a href=\"#progress\">Review "
        "progress</a><a href=\"#items\">Items</a></nav>\n</header>\n")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}%"


def _ranks(values: dict[str, float | None],
           lower_is_better: bool = True) -> dict[str, int | None]:
    """Rank 1 for the best value; ties share a rank; undefined values have none."""
    ordered = sorted((v for v in values.values() if v is not None),
                     reverse=not lower_is_better)
    return {k: None if v is None else ordered.index(v) + 1 for k, v in values.items()}


def _scores(scores: dict[ScoreSet, Scores]) -> str:
    orig, clean = scores["original"], scores["cleaned"]
    level = round(100 * orig["confidence"])
    out = [
        '<section id="scores">\n<h2>Scores before and after cleaning</h2>\n<p class="note">'
        f"Each system's scores with {level}% intervals: on the original set "
        f"({orig['items']:,} items, original references) and on the cleaned set "
        f"({clean['items']:,} items: removed items left out, corrected references used). "
        "Change is cleaned minus original, in percentage points.</p>\n"]
    if orig["kind"] == "kern":
        said = missing_wording(orig.get("missing_predictions", DEFAULT_MISSING))
        out.append(f'<p class="note" id="missing-predictions">{said[:1].upper()}{said[1:]} '
                   "(<code>reviewer score --missing skip</code> or <code>empty</code> "
                   "changes it).</p>\n")
    for info in spec(orig["kind"]).metrics:
        out.append(_metric_table(info, orig, clean, level))
    return "".join(out) + "</section>\n"


def _metric_note(info: MetricInfo, systems: Iterable[Metric], level: int) -> str:
    """What a metric's table says: which way is better, how rank 1 is chosen, the interval."""
    methods = {m.get("interval") or "" for m in systems}
    named = [_INTERVAL_NAMES[m] for m in sorted(methods) if m in _INTERVAL_NAMES]
    interval = (f"{' / '.join(named)} interval" if named and "" not in methods
                else "bootstrap intervals over items")
    better, rank = (("lower", "lowest") if info.lower_is_better else ("higher", "highest"))
    return (f'<p class="note">{escape(info.name)}: {better} is better, so rank 1 is the '
            f"{rank} value; {level}% {escape(interval)}.</p>\n")


def _metric_table(info: MetricInfo, orig: Scores, clean: Scores, level: int) -> str:
    metric, lower_is_better = info.id, info.lower_is_better
    empty: Metric = {"value": None, "low": None, "high": None, "errors": 0, "units": 0}
    before = {s["name"]: s["metrics"][metric] for s in orig["systems"]}
    after = {s["name"]: s["metrics"][metric] for s in clean["systems"]}
    after = {name: after.get(name, empty) for name in before}
    rank_b = _ranks({n: m["value"] for n, m in before.items()}, lower_is_better)
    rank_a = _ranks({n: m["value"] for n, m in after.items()}, lower_is_better)
    top = max((v for m in (*before.values(), *after.values())
               for v in (m["value"], m["high"]) if v is not None), default=0.0) or 1.0
    rows = []
    for name, b in before.items():
        a = after[name]
        change = "—"
        if a["value"] is not None and b["value"] is not None:
            points = round(100 * (a["value"] - b["value"]), 2)
            change = f"{points:+.2f} pp".replace("-", "−") if points else "0.00 pp"
        moved = ' class="num moved"' if rank_b[name] != rank_a[name] else ' class="num"'
        rows.append(
            f"<tr><th>{escape(name)}</th>{_rate_cell(b)}{_rate_cell(a)}"
            f'<td class="num">{change}</td><td{moved}>{rank_b[name] or "—"} → '
            f"{rank_a[name] or '—'}</td><td>{_interval_svg(b, a, top)}</td></tr>")
    return (
        f"<h3>{escape(info.name)}</h3>\n{_metric_note(info, before.values(), level)}"
        "<table>\n<thead><tr><th>System</th>"
        f'<th class="num">Original [{level}% interval]</th>'
        f'<th class="num">Cleaned [{level}% interval]</th><th class="num">Change</th>'
        f'<th class="num">Rank before → after</th><th>Intervals<br><span class="ci">'
        f"○ original ● cleaned, 0 to {_pct(top)}</span></th></tr></thead>\n<tbody>" + "".join(rows)
        + "</tbody>\n</table>\n")


def _rate_cell(m: Metric) -> str:
    return (f'<td class="num">{_pct(m["value"])} <span class="ci">[{_pct(m["low"])}, '
            f'{_pct(m["high"])}]</span>{_fraction(m)}</td>')


def _fraction(m: Metric) -> str:
    if "errors" not in m or "units" not in m:
        return ""
    return f'<br><span class="ci">{m["errors"]:,} / {m["units"]:,}</span>'


def _interval_svg(before: Metric, after: Metric, top: float) -> str:
    width, pad = 180, 8

    def x(v: float) -> str:
        return f"{pad + (width - 2 * pad) * v / top:.1f}"

    marks = [f'<line x1="{pad}" y1="26" x2="{width - pad}" y2="26" stroke="currentColor" '
             'stroke-opacity=".25"/>']
    for y, m, filled in ((8, before, False), (19, after, True)):
        if m["value"] is None:
            continue
        low = m["low"] if m["low"] is not None else m["value"]
        high = m["high"] if m["high"] is not None else m["value"]
        marks.append(f'<line x1="{x(low)}" y1="{y}" x2="{x(high)}" y2="{y}" '
                     f'stroke="currentColor" stroke-width="{2.5 if filled else 1.5}"/>')
        fill = "currentColor" if filled else "var(--bg)"
        marks.append(f'<circle cx="{x(m["value"])}" cy="{y}" r="3.5" stroke="currentColor" '
                     f'style="fill:{fill}"/>')
    title = escape(f"original {_pct(before['value'])} [{_pct(before['low'])}, "
                   f"{_pct(before['high'])}]; cleaned {_pct(after['value'])} "
                   f"[{_pct(after['low'])}, {_pct(after['high'])}]")
    return (f'<svg class="iv" width="{width}" height="28" viewBox="0 0 {width} 28" role="img" '
            f'aria-label="{title}"><title>{title}</title>{"".join(marks)}</svg>')


def _charts(scores: dict[ScoreSet, Scores], cats: tuple[Category, ...]) -> str:
    orig, clean = scores["original"], scores["cleaned"]
    errors = spec(orig["kind"]).errors_by_category  # the summaries' categories as counts
    after = {s["name"]: errors(s["categories"]) for s in clean["systems"]}
    known = {c.id for c in cats}
    extra = sorted({k for s in orig["systems"] for k in errors(s["categories"])} - known)
    rows_of = [(c.id, c.name, f"c-{c.id}") for c in cats] + [(k, k, "c-other") for k in extra]
    top = max((n for s in (*orig["systems"], *clean["systems"])
               for n in errors(s["categories"]).values()), default=0) or 1
    figures = []
    for system in orig["systems"]:
        b_counts, a_counts = errors(system["categories"]), after.get(system["name"], {})
        rows = []
        for cid, name, cls in rows_of:
            b, a = b_counts.get(cid, 0), a_counts.get(cid, 0)
            bars = "".join(
                f'<span class="bar {cls}{" cleaned" if k else ""}{"" if n else " zero"}" '
                f'style="width:{100 * n / top:.2f}%"></span>' for k, n in enumerate((b, a)))
            rows.append(f'<div class="bar-row" title="{escape(name)}: {b:,} original, {a:,} '
                        f'cleaned"><span>{escape(name)}</span><span class="bar-track">{bars}'
                        f'</span><span class="bar-num">{b:,} → {a:,}</span></div>')
        figures.append(f"<figure><h3>{escape(system['name'])}</h3>{''.join(rows)}</figure>")
    unit = spec(orig["kind"]).category_unit
    return (
        '<section id="categories">\n<h2>Errors by category</h2>\n<p class="note">'
        f"{escape(unit[:1].upper() + unit[1:])} per category, on the original set (upper bar) "
        "and on the cleaned set (lower, hatched bar); all systems share one scale.</p>\n"
        '<div class="key"><span class="bar key-bar"></span>original'
        '<span class="bar key-bar cleaned"></span>cleaned</div>\n'
        f'<div class="charts">{"".join(figures)}</div>\n</section>\n')


def _progress(decisions: dict[str, Decision], total: int) -> str:
    statuses = dict.fromkeys(STATUS_SWATCHES, 0)
    verdicts = dict.fromkeys(VERDICTS, 0)
    for decision in decisions.values():
        statuses[decision.status] += 1
        if decision.verdict is not None:
            verdicts[decision.verdict] += 1
    statuses["unreviewed"] = total - sum(v for k, v in statuses.items() if k != "unreviewed")
    scale = max(total, 1)
    stack = "".join(f'<span class="s-{k}" style="width:{100 * n / scale:.3f}%" '
                    f'title="{k}: {n:,}"></span>' for k, n in statuses.items() if n)
    status_rows = "".join(
        f'<tr><td><span class="chip s-{k}">&nbsp;</span></td><td>{k}</td>'
        f'<td class="num">{n:,}</td><td class="num">{100 * n / scale:.1f}%</td></tr>'
        for k, n in statuses.items())
    verdict_rows = "".join(f'<tr><td>{escape(VERDICT_NAMES[k])}</td><td class="num">{n:,}</td>'
                           "</tr>" for k, n in verdicts.items())
    return (
        '<section id="progress">\n<h2>Review progress</h2>\n'
        f'<p class="note">{total - statuses["unreviewed"]:,} of {total:,} items reviewed. Kept: '
        "verified as they are; revised: reference corrected; removed: ambiguous, unusable or "
        "a reference error left uncorrected (left out of the cleaned set).</p>\n"
        f'<div class="stack">{stack}</div>\n<div class="charts"><table><thead><tr><th></th>'
        f'<th>Status</th><th class="num">Items</th><th class="num">Share</th></tr></thead>'
        f"<tbody>{status_rows}</tbody></table><table><thead><tr><th>Verdict</th>"
        f'<th class="num">Items</th></tr></thead><tbody>{verdict_rows}</tbody></table></div>\n'
        "</section>\n")
