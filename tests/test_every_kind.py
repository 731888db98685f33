"""Every task kind plugs into every layer (DESIGN §2): a kind missing a part fails here,
naming the kind and the part."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reviewer.cli.kind_printers import KIND_PRINTERS
from reviewer.core.categories import catalogue, categoriser
from reviewer.core.items import KINDS, check_kind
from reviewer.core.kinds import SPECS, available_kinds, spec
from reviewer.core.palette import PALETTE
from reviewer.gui.kinds import KIND_VIEWS, kind_view
from reviewer.gui.kinds.kind_view import ALIGNMENT_VIEW_ONLY

REPO = Path(__file__).resolve().parents[1]
# Kinds shown in the alignment view alone, on purpose.
ALIGNMENT_ONLY_KINDS = ("text",)
# The docs page of each kind; text, the first kind, is described in the folder's README.
DOCS_PAGES = {kind: f"{kind}.md" for kind in KINDS} | {"text": "README.md"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_its_spec(kind: str) -> None:
    found = spec(kind)
    assert found.name == kind
    assert found.metrics, f"{kind} has no headline metric"
    assert kind in available_kinds()


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_catalogue_drawn_from_the_palette(kind: str) -> None:
    categories = catalogue(kind)
    assert categories, f"{kind} has no error categories"
    assert categories is spec(kind).catalogue
    ids = [c.id for c in categories]
    assert len(ids) == len(set(ids)), f"{kind} lists a category twice"
    unknown = [c.swatch for c in categories if c.swatch not in PALETTE]
    assert not unknown, f"{kind} names swatches the palette lacks: {unknown}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_categoriser_naming_its_own_categories(kind: str) -> None:
    categorise = categoriser(kind)
    assert categorise is spec(kind).categorise
    ids = {c.id for c in catalogue(kind)}
    for ref, hyp in (("cat", "dog"), ("cat", ""), ("", "dog")):
        assert categorise(ref, hyp) in ids, f"{kind} names a category not in its catalogue"


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_view_in_the_window(kind: str) -> None:
    view = KIND_VIEWS.get(check_kind(kind))
    assert view is not None, f"{kind} has no entry in reviewer.gui.kinds.KIND_VIEWS"
    assert kind_view(kind) is view
    if kind in ALIGNMENT_ONLY_KINDS:
        assert view is ALIGNMENT_VIEW_ONLY
    else:
        assert view.make_view is not None, f"{kind} has no view of its own"


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_terminal_printer(kind: str) -> None:
    printer = KIND_PRINTERS.get(check_kind(kind))
    assert printer is not None, f"{kind} has no entry in reviewer.cli.kind_printers"
    assert printer.kind == kind


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_demo(kind: str) -> None:
    demo = REPO / "resources" / "demo" / kind / "demo.json"
    assert demo.is_file(), f"{kind} has no demo at {demo}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_has_a_docs_page(kind: str) -> None:
    page = REPO / "docs" / "kinds" / DOCS_PAGES[kind]
    assert page.is_file(), f"{kind} has no docs page at {page}"


def _smoke_test_kinds() -> set[str]:
    """The kinds the packaged-app smoke test runs the demo of: ``OTHER_KINDS``, and text
    (the demo ``check_demo_print`` imports without naming a kind)."""
    tree = ast.parse((REPO / "packaging" / "smoke_test.py").read_text(encoding="utf-8"))
    kinds: set[str] = set()
    functions: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions.add(node.name)
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "OTHER_KINDS"):
            kinds |= {str(kind) for kind in ast.literal_eval(node.value)}
    if "check_demo_print" in functions:
        kinds.add("text")
    return kinds


@pytest.mark.parametrize("kind", KINDS)
def test_the_packaged_app_smoke_test_runs_the_kind(kind: str) -> None:
    assert kind in _smoke_test_kinds(), f"packaging/smoke_test.py does not run the {kind} demo"


def test_every_registry_holds_the_kinds_and_nothing_else() -> None:
    assert tuple(SPECS) == KINDS
    assert set(KIND_VIEWS) == set(KINDS)
    assert set(KIND_PRINTERS) == set(KINDS)
