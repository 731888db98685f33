"""The kern item view: the reference and each prediction engraved, edits coloured.

The alignment view below shows the kern text with the token edits. Here, verovio (in a
child process) engraves the reference and each prediction one above the other; the notes
of musicdiff's edits are coloured by category (token edits while OMR-NED is pending) and
listed below. Clicking a coloured note or a listed edit selects it in every view. OMR-NED
fills in in the background (worker processes), with progress and cancel.

Keys: ] and [ choose the next and previous musicdiff edit; O computes the missing OMR-NED
values, or cancels the computation (the global keys are untouched).
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.align import Alignment
from reviewer.core.categories import Category
from reviewer.core.errors import ReviewerError
from reviewer.core.kern.engrave import Engraver, Engraving, colour, elements_at
from reviewer.core.kern.links import EditLinks, link
from reviewer.core.kern.omr_categories import omr_category
from reviewer.core.kern.omr_ned import OmrResult
from reviewer.core.kern.syntax import check
from reviewer.core.kern.tokens import counted_tokens
from reviewer.core.palette import colour as swatch_hex
from reviewer.core.progress import Progress
from reviewer.gui.cluster_setting import work_place
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.kern.edit_list import KernEditList, SyntaxRow
from reviewer.gui.kinds.kern.score_canvas import ScoreCanvas
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.gui.theme import current_theme
from reviewer.store.omr_ned import FillOutcome, fill_file, pending_pairs, result_for

log = logging.getLogger("reviewer.gui")
HELP = ("Click a coloured note or a listed edit to select it in every view · ] / [ next / "
        "previous musicdiff edit · O computes the missing OMR-NED values (or cancels)")
REFERENCE = ""  # the panel key of the reference; systems use their names
ENGRAVING_CACHE = 48
SCALE = 30  # verovio scale (percent): small enough for a score and its predictions
Location = tuple[int, int]


def make_view(session: ReviewSession) -> ItemView:
    """The kern view of ``session``'s current item."""
    return KernView(session)


def engrave_all(engraver: Engraver, jobs: list[tuple[str, str]], width: int,
                progress: Progress) -> dict[str, Engraving]:
    """Background task: each ``(panel key, kern)`` engraved in turn (one child process)."""
    out: dict[str, Engraving] = {}
    for key, kern in jobs:
        if progress.cancelled():
            break
        out[key] = engraver.engrave(kern, width, SCALE)
    return out


@dataclass
class SystemState:
    """What the view knows of one system on the current item."""

    alignment: Alignment | None = None
    result: OmrResult | None = None
    links: EditLinks = field(default_factory=EditLinks)
    syntax: list[SyntaxRow] = field(default_factory=list)
    note: str = ""  # why there is no alignment


class KernView(ItemView):
    """Engraved reference and predictions of the current kern item."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setToolTip(HELP)
        self.engraver = Engraver()
        self.reference = ""
        self.states: dict[str, SystemState] = {}
        self.engravings: dict[str, Engraving] = {}
        self._cache: OrderedDict[tuple[str, int], Engraving] = OrderedDict()
        self.focus: str | None = session.systems[0] if session.systems else None
        self.selected_op: tuple[str, int] | None = None
        self._targets: dict[str, dict[str, tuple[str, int | None, int | None]]] = {}
        self._element_ids: dict[str, dict[Location, list[str]]] = {}
        self._engraving: TaskProgress | None = None
        self._next_jobs: tuple[str, list[tuple[str, str]], int] | None = None
        self.fill_progress: TaskProgress | None = None
        self._build()
        session.editSelected.connect(self._on_edit_selected)
        session.categoryVisibilityChanged.connect(self._paint_panels)
        # Work still running when the view goes: told to stop (by the list, not by self).
        running = self._running = set[TaskProgress]()
        engraver = self.engraver
        self.destroyed.connect(lambda *_: _stop(running, engraver))
        self.follow_session()
        self.start_fill()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.omr_status = QLabel()
        self.omr_status.setTextFormat(Qt.TextFormat.PlainText)  # failures name files
        self.omr_bar = QProgressBar()
        self.omr_bar.setRange(0, 1000)
        self.omr_bar.setMaximumWidth(180)
        self.omr_bar.hide()
        self.omr_button = QPushButton("Compute OMR-NED")
        self.omr_button.setToolTip("Compute the missing OMR-NED values with musicdiff (O)")
        self.omr_button.clicked.connect(self.toggle_fill)
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 2)
        top.addWidget(self.omr_status, 1)
        top.addWidget(self.omr_bar)
        top.addWidget(self.omr_button)

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setContentsMargins(4, 4, 4, 4)
        self.titles: dict[str, QLabel] = {}
        self.canvases: dict[str, ScoreCanvas] = {}
        for key in [REFERENCE, *self.session.systems]:
            title = QLabel()
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setWordWrap(True)
            canvas = ScoreCanvas()
            canvas.elementClicked.connect(lambda element, k=key: self._element_clicked(k, element))
            self.titles[key], self.canvases[key] = title, canvas
            self.pages_layout.addWidget(title)
            self.pages_layout.addWidget(canvas)
        self.pages_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.pages)
        self.edit_list = KernEditList()
        self.edit_list.rowChosen.connect(self._row_chosen)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.scroll_area)
        splitter.addWidget(self.edit_list)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        self.edit_list.setMinimumHeight(60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.add_window_keys((
            (("]",), "Next musicdiff edit", lambda: self.edit_list.step(1)),
            (("[",), "Previous musicdiff edit", lambda: self.edit_list.step(-1)),
            (("O",), "Compute or cancel OMR-NED", self.toggle_fill)))

    # -- the current item ----------------------------------------------------------------
    def show_item(self, item_id: str, force: bool = False) -> None:
        """Load ``item_id``: alignments, OMR-NED results, engravings (in the background)."""
        if item_id == self.item_id and not force:
            return
        self.item_id = item_id
        self.selected_op = None
        self.reference = self.session.current_reference(item_id)
        self._load_states()
        self._update_titles()
        self._fill_list()
        jobs = [(REFERENCE, self.reference)]
        jobs += [(s, self.session.project.prediction(s, item_id) or "") for s in self.states]
        self.engravings = {}
        width = max(300, self.scroll_area.viewport().width() - 12)
        pending = []
        for key, kern in jobs:
            cached = self._cache.get((_digest(kern), width))
            if cached is not None:
                self.engravings[key] = cached
            else:
                pending.append((key, kern))
        self._paint_panels()
        if pending:
            self._engrave(item_id, pending, width)

    def refresh(self) -> None:
        """Load the current item again (its reference or all decisions changed)."""
        if self.item_id:
            self.show_item(self.item_id, force=True)

    def _load_states(self) -> None:
        assert self.item_id is not None
        project = self.session.project
        self.states = {}
        for system in self.session.systems:
            state = SystemState()
            try:
                state.alignment = self.session.alignment(system, self.item_id)
            except ReviewerError as exc:
                state.note = str(exc)
            state.result = result_for(project, system, self.item_id, self.reference)
            hyp = project.prediction(system, self.item_id) or ""
            state.syntax = [SyntaxRow(p.line, str(p)) for p in check(hyp)] if hyp.strip() else []
            if state.alignment is not None:
                ops = state.result.ops if state.result is not None else ()
                state.links = link(state.alignment.ref, state.alignment.hyp,
                                   state.alignment.edits, ops)
            self.states[system] = state

    def _update_titles(self) -> None:
        focus = f" — marked: differences from {self.focus}" if self.focus else ""
        self.titles[REFERENCE].setText(f"Reference{focus}")
        for system, state in self.states.items():
            self.titles[system].setText(f"{system} — {_omr_text(state)}")

    def _fill_list(self) -> None:
        rows = [(s, st.result.ops if st.result is not None else (), st.syntax)
                for s, st in self.states.items()]
        self.edit_list.show_edits(rows, current_theme())

    # -- engraving -------------------------------------------------------------------------
    def _engrave(self, item_id: str, jobs: list[tuple[str, str]], width: int) -> None:
        if self._engraving is not None:  # one child process: the newest request waits
            self._next_jobs = (item_id, jobs, width)
            return
        texts = dict(jobs)

        def done(result: dict[str, Engraving]) -> None:
            self._engraving = None
            for key, engraving in result.items():
                self._cache[(_digest(texts[key]), width)] = engraving
                while len(self._cache) > ENGRAVING_CACHE:
                    self._cache.popitem(last=False)
                if item_id == self.item_id:
                    self.engravings[key] = engraving
            if item_id == self.item_id:
                self._paint_panels()
            self._run_next()

        def failed(exc: BaseException) -> None:
            self._engraving = None
            log.warning("engraving failed: %s", exc)
            self._run_next()

        self._engraving = run_task(engrave_all, self.engraver, jobs, width, on_done=done,
                                   on_error=failed)

    def _run_next(self) -> None:
        if self._next_jobs is not None:
            item_id, jobs, width = self._next_jobs
            self._next_jobs = None
            if item_id == self.item_id:
                self._engrave(item_id, jobs, width)

    def engraving_busy(self) -> bool:
        """Whether an engraving is being made (for tests and screenshots)."""
        return self._engraving is not None or self._next_jobs is not None

    def _paint_panels(self) -> None:
        """Draw each engraving with its marks (or its message) and the selection."""
        self._targets, self._element_ids = {}, {}
        for key, canvas in self.canvases.items():
            visible = key == REFERENCE or key in self.states
            canvas.setVisible(visible)
            self.titles[key].setVisible(visible)
            engraving = self.engravings.get(key)
            if not visible:
                continue
            if engraving is None:
                canvas.set_svg(None, "Engraving…")
                continue
            if engraving.svg is None:
                whose = "The reference" if key == REFERENCE else "This prediction"
                canvas.set_svg(None, f"{whose} cannot be engraved: {self._reason(key, engraving)}")
                continue
            marks = self._marks(key)
            text = self.reference if key == REFERENCE else (
                self.session.project.prediction(key, self.item_id or "") or "")
            tokens = {(t.line, t.field): t.text for t in counted_tokens(text)}
            located = elements_at(engraving.svg, {loc: tokens.get(loc, "") for loc in marks})
            by_location: dict[Location, list[str]] = {}
            for element_id, loc in located.items():
                by_location.setdefault(loc, []).append(element_id)
            self._element_ids[key] = by_location
            dark = {e: swatch_hex(marks[loc][0].swatch, "dark") for e, loc in located.items()}
            canvas.set_svg(colour(engraving.svg, dark))
            canvas.set_marks({e: QColor(swatch_hex(marks[loc][0].swatch, "light"))
                              for e, loc in located.items()})
            self._targets[key] = {e: marks[loc][1] for e, loc in located.items()}
        self._show_selection()

    def _reason(self, key: str, engraving: Engraving) -> str:
        text = self.reference if key == REFERENCE else (
            self.session.project.prediction(key, self.item_id or "") or "")
        first = next((p for p in check(text) if p.severity == "error"), None)
        return engraving.error + (f"; {first}" if first is not None else "")

    def _marks(self, key: str) -> dict[Location, tuple[Category, tuple[str, int | None,
                                                                          int | None]]]:
        """Kern location -> (category, (system, op index, token edit index)) of a panel."""
        system = self.focus if key == REFERENCE else key
        state = self.states.get(system or "")
        out: dict[Location, tuple[Category, tuple[str, int | None, int | None]]] = {}
        if state is None or system is None:
            return out
        if state.result is not None and not state.result.error:
            for n, op in enumerate(state.result.ops):
                for loc in (op.gt if key == REFERENCE else op.pred):
                    out.setdefault(loc, (omr_category(op.category),
                                         (system, n, state.links.op_edit[n])))
            return out
        if state.alignment is None:
            return out
        token_cats = {c.id: c for c in self.session.categories}
        locations = state.links.ref_locations if key == REFERENCE else state.links.hyp_locations
        for k, edit in enumerate(state.alignment.edits):
            cat = token_cats.get(edit.category)
            if cat is None or edit.category in self.session.hidden_categories:
                continue
            for loc in locations.get(k, ()):
                out.setdefault(loc, (cat, (system, None, k)))
        return out

    # -- selection -----------------------------------------------------------------------
    def _element_clicked(self, key: str, element_id: str) -> None:
        system, op, edit = self._targets.get(key, {}).get(element_id, ("", None, None))
        if not system:
            return
        self.selected_op = (system, op) if op is not None else None
        if edit is not None:
            self.session.select_edit(system, edit)
        else:
            self._show_selection()

    def _row_chosen(self, system: str, index: int) -> None:
        state = self.states.get(system)
        if state is None:
            return
        if index < 0:
            line = state.syntax[-1 - index].line
            edit = next((k for k, locs in state.links.hyp_locations.items()
                         if any(loc[0] == line for loc in locs)), None)
            self.selected_op = None
        else:
            edit = state.links.op_edit[index] if index < len(state.links.op_edit) else None
            self.selected_op = (system, index)
        if edit is not None:
            self.session.select_edit(system, edit)
        else:
            self._show_selection()

    def _on_edit_selected(self, system: str, index: int) -> None:
        if index >= 0 and system != self.focus and system in self.states:
            self.focus = system
            self._update_titles()
            self._paint_panels()
        if self.selected_op is not None:
            state = self.states.get(self.selected_op[0])
            linked = state.links.op_edit[self.selected_op[1]] if state else None
            if (system, index) != (self.selected_op[0], linked):
                self.selected_op = None
        self._show_selection()

    def _selected_locations(self) -> tuple[str | None, set[Location], set[Location], list]:
        """(system, reference locations, prediction locations, list keys) now selected."""
        ref: set[Location] = set()
        hyp: set[Location] = set()
        keys: list[tuple[str, int]] = []
        chosen = self.session.selected_edit
        system = chosen[0] if chosen else (self.selected_op[0] if self.selected_op else None)
        state = self.states.get(system or "")
        if state is None or system is None:
            return None, ref, hyp, keys
        ops: list[int] = []
        if chosen is not None:
            ref |= set(state.links.ref_locations.get(chosen[1], ()))
            hyp |= set(state.links.hyp_locations.get(chosen[1], ()))
            ops += list(state.links.edit_ops.get(chosen[1], ()))
        if self.selected_op is not None and self.selected_op[0] == system:
            ops.append(self.selected_op[1])
        if state.result is not None:
            for n in ops:
                if n < len(state.result.ops):
                    ref |= set(state.result.ops[n].gt)
                    hyp |= set(state.result.ops[n].pred)
                    keys.append((system, n))
        return system, ref, hyp, keys

    def _show_selection(self) -> None:
        system, ref, hyp, keys = self._selected_locations()
        for key, canvas in self.canvases.items():
            locations = ref if key == REFERENCE else (hyp if key == system else set())
            by_location = self._element_ids.get(key, {})
            canvas.set_selected({e for loc in locations for e in by_location.get(loc, [])})
        self.edit_list.select_keys(keys)

    # -- OMR-NED in the background -------------------------------------------------------
    def start_fill(self) -> None:
        """Compute the project's missing OMR-NED values in worker processes (or on the Dask
        cluster chosen in File ▸ Dask Cluster…)."""
        if self.fill_progress is not None:
            return
        progress = TaskProgress()
        progress.progressed.connect(self._on_fill_progress)
        progress.statusChanged.connect(self._on_fill_status)
        self.fill_progress = run_task(partial(fill_file, workers=work_place()), self.session.path,
                                      on_done=self._fill_done,
                                      on_error=self._fill_failed, progress=progress)
        self._running.add(progress)
        self.omr_bar.setValue(0)
        self.omr_bar.show()
        self.omr_button.setText("Cancel")
        self.omr_status.setText("OMR-NED: looking for missing values…")

    def toggle_fill(self) -> None:
        """Start computing the missing OMR-NED values, or cancel the computation."""
        if self.fill_progress is not None:
            self.fill_progress.cancel()
            self.omr_status.setText("OMR-NED: cancelling…")
        else:
            self.start_fill()

    def _on_fill_progress(self, value: float) -> None:
        self.omr_bar.setValue(round(1000 * value))
        if self.item_id is not None and any(
                s.result is None and s.alignment is not None for s in self.states.values()):
            before = {s: st.result for s, st in self.states.items()}
            self._load_states()
            if any(before[s] is None and st.result is not None for s, st in self.states.items()):
                self._update_titles()
                self._fill_list()
                self._paint_panels()

    def _on_fill_status(self, text: str) -> None:
        self.omr_status.setText(text)

    def _fill_done(self, outcome: FillOutcome) -> None:
        if not outcome.rows:
            self._fill_finished("OMR-NED: every pair is computed")
            return
        self.session.scoresChanged.emit()
        self._fill_finished(f"OMR-NED: {outcome.computed:,} pairs computed in "
                            f"{outcome.seconds:.1f} s, {outcome.cached:,} from the cache, "
                            f"{outcome.failed:,} without a result")

    def _fill_failed(self, exc: BaseException) -> None:
        self._fill_finished(f"OMR-NED: {exc or 'cancelled'}")
        self._update_status()

    def _fill_finished(self, message: str) -> None:
        if self.fill_progress is not None:
            self._running.discard(self.fill_progress)
        self.fill_progress = None
        self.omr_bar.hide()
        self.omr_button.setText("Compute OMR-NED")
        if self.item_id is not None:
            self.show_item(self.item_id, force=True)
        self.omr_status.setText(message)

    def _update_status(self) -> None:
        """Say how many pairs still lack OMR-NED (after a cancelled or failed fill)."""
        try:
            pending = len(pending_pairs(self.session.project))
        except ReviewerError:
            return
        if pending:
            self.omr_status.setText(f"{self.omr_status.text()}; {pending:,} pairs not computed "
                                    "(press O)")

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self.item_id:
            self.show_item(item_id, force=True)
            if self.fill_progress is None and any(
                    s.result is None for s in self.states.values()):
                self.start_fill()


def _stop(running: set[TaskProgress], engraver: Engraver) -> None:
    """Cancel the background work of a view that is gone, and end its engraving child."""
    for progress in running:
        progress.cancel()
    engraver.close()


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _omr_text(state: SystemState) -> str:
    """A system's scores on the item, for its panel's title."""
    parts = []
    if state.alignment is not None:
        units = state.alignment.ref_units
        ser = f"{100 * state.alignment.errors / units:.1f}%" if units else "—"
        parts.append(f"SER {ser} ({state.alignment.errors}/{units} tokens)")
    result = state.result
    if result is None:
        parts.append("OMR-NED pending")
    elif result.error:
        parts.append(f"OMR-NED unavailable: {result.error}")
    else:
        value = result.value or 0.0
        parts.append(f"OMR-NED {100 * value:.2f}% ({result.ed}/{result.symbols} symbols)")
        if result.syntax_fixed:
            parts.append(f"{result.syntax_fixed} syntax repairs")
    if state.note:
        parts.append(state.note)
    return " · ".join(parts)
