"""The report's words come from the kind: which way each metric is better (rank 1 is the
best, not "the lowest rate"), what a category count counts, and a legend key that shows
(issue 16, finding 4)."""

from __future__ import annotations

import re

import pytest

from reviewer.core.kinds import SPECS, spec
from reviewer.demo import ensure_demo
from reviewer.report import write_report
from reviewer.store.project import Project

KINDS = ("text", "asr", "gec", "kern", "choice", "label")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each demo's report page."""
    out = {}
    for kind in KINDS:
        folder = tmp_path_factory.mktemp(kind)
        with Project(ensure_demo(folder / f"{kind}.db", kind)) as project:
            write_report(project, folder / "report.html")
        out[kind] = (folder / "report.html").read_text(encoding="utf-8")
    return out


def section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}">')
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("kind", KINDS)
def test_each_metric_says_which_way_is_better(pages: dict[str, str], kind: str) -> None:
    scores = section(pages[kind], "scores")
    assert "lowest rate" not in scores
    for metric in spec(kind).metrics:
        better, rank = ("lower", "lowest") if metric.lower_is_better else ("higher", "highest")
        assert f"{metric.name}: {better} is better, so rank 1 is the {rank} value" in scores


@pytest.mark.parametrize("kind", KINDS)
def test_rank_1_is_the_best_system(pages: dict[str, str], kind: str) -> None:
    primary = spec(kind).primary
    scores = section(pages[kind], "scores")
    table = scores[scores.index(f"<h3>{primary.name}</h3>"):]
    table = table[:table.index("</table>")]
    values = {}
    for row in re.findall(r"<tr><th>(.*?)</th><td class=\"num\">([\d.]+)%(.*?)</tr>", table):
        name, value, rest = row
        values[name] = (float(value), re.search(r"(\d+) → (\d+)</td>", rest))
    best = (min if primary.lower_is_better else max)(values, key=lambda n: values[n][0])
    found = values[best][1]
    assert found is not None and found.group(1) == "1", (kind, best)


@pytest.mark.parametrize("kind", KINDS)
def test_the_chart_names_what_its_counts_count(pages: dict[str, str], kind: str) -> None:
    note = section(pages[kind], "categories")
    unit = spec(kind).category_unit
    assert f'<p class="note">{unit[0].upper()}{unit[1:]} per category' in note
    if kind != "text":
        assert "Character edits" not in note


def test_every_kind_names_its_category_unit() -> None:
    units = {kind: found.category_unit for kind, found in SPECS.items() if kind in KINDS}
    assert all(unit and unit != "errors" for unit in units.values()), units
    assert units["text"] == "character edits" and units["asr"] == "word edits"
    assert units["choice"] == "wrong answers" and units["label"] == "wrong labels"


@pytest.mark.parametrize("kind", KINDS)
def test_the_legend_key_swatches_are_drawn_in_both_themes(pages: dict[str, str],
                                                          kind: str) -> None:
    page = pages[kind]
    style = page[page.index("<style>"):page.index("</style>")]
    key = section(page, "categories")
    key = key[key.index('<div class="key">'):]
    key = key[:key.index("</div>")]
    swatches = re.findall(r'<span class="bar ([\w-]+)( cleaned)?"></span>', key)
    assert len(swatches) == 2
    for cls, _cleaned in swatches:
        # A rule that gives the swatch a colour, not only the bar's shape.
        assert re.search(r"\." + re.escape(cls) + r"\{background-color:", style), (kind, cls)
