"""The chosen verdict stands out, and the statistics chart's labels read, in both themes
(issue 16, finding 8). Measured on the drawn pixels and the chart's colours, with the WCAG
contrast ratio."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCharts import QHorizontalBarSeries
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.session import ReviewSession
from reviewer.gui.stats_view import StatsView
from reviewer.gui.theme import apply_theme


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, computed here independently."""
    def luminance(colour: str) -> float:
        channels = [int(colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def themed() -> Iterator[QApplication]:
    """The application, its style and palette put back after the test."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette, theme = app.style().name(), QPalette(app.palette()), app.property(
        "reviewer_theme")
    yield app
    app.setStyle(style)
    app.setPalette(palette)
    app.setProperty("reviewer_theme", theme)


def face_colour(button: QPushButton) -> str:
    """The button's most frequent pixel colour: its face."""
    image = button.grab().toImage()
    counts = Counter(image.pixelColor(x, y).name()
                     for x in range(2, image.width() - 2) for y in range(2, image.height() - 2))
    return counts.most_common(1)[0][0]


def text_contrast(button: QPushButton, face: str) -> float:
    """The strongest contrast of any drawn pixel with the face: the label's text."""
    image = button.grab().toImage()
    return max(contrast_ratio(image.pixelColor(x, y).name(), face)
               for x in range(image.width()) for y in range(image.height() // 4,
                                                            3 * image.height() // 4))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_chosen_verdict_stands_out(theme: str, themed: QApplication, qtbot: QtBot,
                                       items_session: ReviewSession) -> None:
    apply_theme(themed, theme)
    panel = DecisionPanel(items_session)
    qtbot.addWidget(panel)
    panel.resize(320, 520)
    panel.show()
    qtbot.waitExposed(panel)
    items_session.set_current_item("l2")
    chosen = next(b for b in panel.buttons.buttons()
                  if b.property("verdict") == "reference_error")
    assert isinstance(chosen, QPushButton)
    with qtbot.waitSignal(items_session.decisionChanged, timeout=5000):
        qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    assert chosen.isChecked()
    others = [b for b in panel.buttons.buttons() if b is not chosen]
    assert all(isinstance(b, QPushButton) and not b.isChecked() for b in others)
    chosen_face = face_colour(chosen)
    for other in others:
        assert isinstance(other, QPushButton)
        # The chosen face differs from an unchosen one as much as WCAG asks of a control's
        # state (3:1); the landed buttons differed by about 1.1:1.
        assert contrast_ratio(chosen_face, face_colour(other)) >= 3.0, (theme, other.text())
    assert text_contrast(chosen, chosen_face) >= 4.5
    # The label still says which verdict it is (not the colour alone).
    assert chosen.font().bold() or "font-weight: bold" in chosen.styleSheet()


def test_each_verdict_button_has_a_stable_name(qtbot: QtBot,
                                               items_session: ReviewSession) -> None:
    panel = DecisionPanel(items_session)
    qtbot.addWidget(panel)
    for verdict in VERDICTS:
        button = panel.findChild(QPushButton, f"verdict_{verdict}")
        assert button is not None
        assert button.accessibleName() == VERDICT_NAMES[verdict]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_chart_labels_read_on_the_chart_in_both_themes(
        theme: str, themed: QApplication, qtbot: QtBot, items_session: ReviewSession) -> None:
    other = "light" if theme == "dark" else "dark"
    apply_theme(themed, other)
    view = StatsView(items_session)
    qtbot.addWidget(view)
    view.resize(460, 900)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.report is not None and not view.busy(), timeout=20_000)
    # Switched after the chart was drawn; the chart follows the palette whatever changed
    # it (the View menu, or the desktop's colour scheme).
    apply_theme(themed, theme)
    chart = view.chart
    # What the labels are drawn on: the chart view's most frequent pixel colour.
    image = view.chart_view.grab().toImage()
    background = Counter(image.pixelColor(x, y).name() for x in range(0, image.width(), 3)
                         for y in range(0, image.height(), 3)).most_common(1)[0][0]
    colours = [chart.titleBrush().color(), chart.legend().labelColor()]
    for axis in chart.axes():
        colours += [axis.labelsColor(), axis.titleBrush().color()]
    for series in chart.series():
        assert isinstance(series, QHorizontalBarSeries)
        colours += [bars.labelColor() for bars in series.barSets()]
    for colour in colours:
        assert contrast_ratio(colour.name(), background) >= 4.5, (theme, colour.name())
    QThreadPool.globalInstance().waitForDone(30_000)
