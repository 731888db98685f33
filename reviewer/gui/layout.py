"""Where the docks go and how wide they are: the default, and the one kept per task kind.

The default leaves the central view (the alignment, or the kind's own view) about
:data:`TARGET_CENTRE_SHARE` of the window and fits a 1366×768 laptop screen. A layout the
reviewer arranged is kept per kind (a gec layout is not a label layout) and restored only
when the central view keeps at least :data:`MIN_CENTRE_SHARE` of the width; otherwise,
and on View ▸ Reset Layout, the default comes back.

The saved arrangement is restored once the new docks have been laid out (an event-loop
turn after they are added): restored before that, Qt hands the docks all the width the
central view has not taken at its minimum, which is how the window used to reopen with an
85-pixel central view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from reviewer.gui import settings

# The central view keeps at least this share of the window's width, or the layout is reset.
MIN_CENTRE_SHARE = 0.35
# The default layout aims at this share.
TARGET_CENTRE_SHARE = 0.42
# The item list and the right-hand docks share the rest in this ratio.
ITEMS_PART = 0.47
# A 1366×768 laptop screen less a desktop panel, window frame included.
LAPTOP = QSize(1366, 740)
# The frame a window manager adds, until the window is shown and its frame is known.
FRAME_GUESS = QSize(6, 32)
# The image above the centre takes this share of the height, the legend below at most this.
MEDIA_HEIGHT_SHARE = 0.18
LEGEND_HEIGHT_SHARE = 0.16
# Room for the splitters between the docks and the centre, and for rounding.
SEPARATORS = 24


@dataclass(frozen=True, slots=True)
class Docks:
    """The window's docks by role: the item list (left), the decision panel and the docks
    tabbed with it (right), the image (top) and the legend (bottom)."""

    items: QDockWidget
    decision: QDockWidget
    tabbed: tuple[QDockWidget, ...]
    media: QDockWidget
    legend: QDockWidget
    shows_media: bool
    side_content: QWidget  # the decision panel: the right-hand docks' width is for it
    bottom_content: QWidget  # the legend: its dock is as high as it needs


def centre_share(window: QMainWindow) -> float:
    """The central view's share of the window's width (0 without one)."""
    centre = window.centralWidget()
    if centre is None or window.width() <= 0:
        return 0.0
    return centre.width() / window.width()


def screen_area(window: QMainWindow) -> QRect:
    """The part of the window's screen that windows may cover."""
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, *LAPTOP.toTuple())


def default_size(window: QMainWindow) -> QSize:
    """The window's first size: a laptop screen's, or less where the screen is smaller."""
    area = screen_area(window)
    return QSize(min(LAPTOP.width(), area.width()) - FRAME_GUESS.width(),
                 min(LAPTOP.height(), area.height()) - FRAME_GUESS.height())


def fit_to_screen(window: QMainWindow) -> None:
    """Shrink and move the window so its frame lies within the screen's available area."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = screen_area(window)
    frame = window.frameGeometry()
    extra = frame.size() - window.size()
    width = min(window.width(), area.width() - extra.width())
    height = min(window.height(), area.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.left()), max(y, area.top()))


def default_widths(window_width: int, items_min: int, side_min: int) -> tuple[int, int]:
    """Widths of the item list and the right-hand docks in a window ``window_width`` wide.

    Between them they leave the centre :data:`TARGET_CENTRE_SHARE` of the window, each at
    least its own minimum width (``items_min``, ``side_min``) as long as the centre keeps
    :data:`MIN_CENTRE_SHARE`; below that the right-hand docks give way first (their
    content scrolls).
    """
    room = round(window_width * (1 - TARGET_CENTRE_SHARE))
    items = max(round(room * ITEMS_PART), items_min)
    side = max(room - round(room * ITEMS_PART), side_min)
    limit = round(window_width * (1 - MIN_CENTRE_SHARE)) - SEPARATORS
    if items + side > limit:
        items = min(items, limit // 2)
        side = limit - items
    return items, side


class DockLayout(QObject):
    """Lays out one project's docks: each in its default place at once; once they are laid
    out, the kind's saved arrangement, or the default sizes when there is none or when the
    saved one squeezes the central view."""

    settled = Signal()  # the layout is final (restored, or the default)

    def __init__(self, window: QMainWindow, kind: str, docks: Docks) -> None:
        super().__init__(window)
        self.window = window
        self.kind = kind
        self.docks = docks
        self.is_settled = False
        self.restored = False  # whether the saved arrangement was kept
        self._waiting_for_show = False
        self._stopped = False
        self._next: Callable[[], None] = self._settle

    # -- the default ---------------------------------------------------------------------
    def arrange_default(self) -> None:
        """Put every dock where it belongs by default, shown or hidden as by default."""
        d, window = self.docks, self.window
        for dock, area in ((d.items, Qt.DockWidgetArea.LeftDockWidgetArea),
                           (d.decision, Qt.DockWidgetArea.RightDockWidgetArea),
                           *((t, Qt.DockWidgetArea.RightDockWidgetArea) for t in d.tabbed),
                           (d.media, Qt.DockWidgetArea.TopDockWidgetArea),
                           (d.legend, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock.setFloating(False)
            if window.dockWidgetArea(dock) != area:
                window.addDockWidget(area, dock)
        for dock in d.tabbed:
            window.tabifyDockWidget(d.decision, dock)
        for dock in (d.items, d.decision, *d.tabbed, d.legend):
            dock.show()
        d.media.setVisible(d.shows_media)
        d.decision.raise_()

    def size_default(self) -> None:
        """Give the docks their default sizes for the window's size now."""
        d, window = self.docks, self.window
        items, side = default_widths(window.width(), d.items.minimumSizeHint().width(),
                                     d.side_content.minimumSizeHint().width())
        window.resizeDocks([d.items, d.decision], [items, side], Qt.Orientation.Horizontal)
        inside = d.legend.widget()
        title = d.legend.height() - inside.height() if inside is not None else 0
        legend = min(d.bottom_content.sizeHint().height() + max(title, 0),
                     round(window.height() * LEGEND_HEIGHT_SHARE))
        media = round(window.height() * MEDIA_HEIGHT_SHARE)
        window.resizeDocks([d.media, d.legend], [media, max(legend, 1)],
                           Qt.Orientation.Vertical)

    # -- restoring -------------------------------------------------------------------------
    def start(self) -> None:
        """Place the docks now; once they are laid out, restore the kind's saved arrangement
        or size the default (sizes given before that are not kept)."""
        self.arrange_default()
        self._later(self._restore)

    def reset(self) -> None:
        """Forget the kind's saved arrangement and lay out the default."""
        settings.forget_layout(self.kind)
        self.is_settled = False
        self.restored = False
        self.arrange_default()
        # Docks just moved are laid out in the next event-loop turn; size them after it.
        self._later(self._finish_default)

    def save(self) -> None:
        """Keep the arrangement for the next project of this kind (once it is final)."""
        if self.is_settled:
            settings.save_layout(self.kind, self.window.saveState())

    def stop(self) -> None:
        """The project closes: no step still planned may touch its docks."""
        self._stopped = True
        if self._waiting_for_show:
            self.window.removeEventFilter(self)
            self._waiting_for_show = False

    def _restore(self) -> None:
        state = settings.saved_layout(self.kind)
        if isinstance(state, QByteArray) and self.window.restoreState(state):
            self.restored = True
            self._later(self._check)
        else:
            self._finish_default()

    def _check(self) -> None:
        if centre_share(self.window) < MIN_CENTRE_SHARE:
            self.restored = False
            self.arrange_default()
            self._later(self._finish_default)
        else:
            self._settle()

    def _finish_default(self) -> None:
        self.size_default()
        self._later(self._settle)

    def _settle(self) -> None:
        self.is_settled = True
        self.settled.emit()

    def _later(self, step: Callable[[], None]) -> None:
        """Run ``step`` after the next layout pass: an event-loop turn once the window is
        shown (a hidden window is not laid out)."""
        if self._stopped:
            return
        if not self.window.isVisible():
            self._next = step
            if not self._waiting_for_show:
                self._waiting_for_show = True
                self.window.installEventFilter(self)
            return
        QTimer.singleShot(0, self, lambda: None if self._stopped else step())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            self._waiting_for_show = False
            self._later(self._next)
        return False
