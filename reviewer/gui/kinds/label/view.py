"""The view of a ``label`` item: its text, the gold class, each system's class and probabilities.

The image is in the window's media dock. Choosing the right class is the reference-error
decision: the class becomes the corrected reference (the cleaned label). Keys (window-wide,
while a label project is open): Alt+<digit> picks a class: the digit itself when the
classes are the digits, else Alt+1 … Alt+9 and Alt+0 by position for up to ten classes;
Ctrl+L puts the cursor in the searchable class list (type, then Enter). Picking the gold
class again keeps the original label.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.label_codec import decode_prediction
from reviewer.core.progress import Progress
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.label.probability_bars import ProbabilityBars
from reviewer.gui.media_view import decode_image
from reviewer.gui.rich_text import escape, literal
from reviewer.gui.scrolling import fill_with_scrolling
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import run_task
from reviewer.gui.theme import swatch_colour, text_colour
from reviewer.store.label_answers import label_classes

MAX_KEYED = 10  # classes beyond this are picked from the searchable list only
BUTTON_COLUMNS = 5
SEARCH_KEY = "Ctrl+L"
THUMBNAIL = 224  # the item image's side in the view, in pixels


def class_keys(classes: list[str]) -> dict[str, str]:
    """The digit of each class's Alt+<digit> key (none with more than ten classes)."""
    if classes and all(len(c) == 1 and c.isdigit() for c in classes):
        return {c: c for c in classes}
    if len(classes) > MAX_KEYED:
        return {}
    return {c: str((k + 1) % 10) for k, c in enumerate(classes)}


def _chip(text: str, swatch: str) -> str:
    """``text`` as rich text on a palette swatch."""
    return (f"<span style='background:{swatch_colour(swatch).name()};"
            f"color:{text_colour().name()}'>&nbsp;{escape(text)}&nbsp;</span>")


def _decode(request: int, path: str, _progress: Progress) -> tuple[int, QImage | None, str]:
    image, message, _size = decode_image(path)
    return request, image, message


class ItemImage(QLabel):
    """The item's image, decoded off the main thread, scaled to fit a square.

    Small images (8×8 digits, 32×32 icons) are enlarged without smoothing, so that their
    pixels stay sharp.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(THUMBNAIL, THUMBNAIL)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages name media paths
        self._requests = itertools.count(1)
        self._current = 0

    def show_path(self, path: str | None) -> None:
        self._current = next(self._requests)
        self.clear()
        self.setVisible(path is not None)
        if path is not None:
            run_task(_decode, self._current, path, on_done=self._on_decoded,
                     on_error=lambda error: self.setText(str(error)))

    def _on_decoded(self, result: Any) -> None:
        request, image, message = result
        if request != self._current:
            return  # another item is shown by now
        if image is None:
            self.setText(message)
            return
        side = THUMBNAIL - 8
        smooth = image.width() > side or image.height() > side
        mode = (Qt.TransformationMode.SmoothTransformation if smooth
                else Qt.TransformationMode.FastTransformation)
        self.setPixmap(QPixmap.fromImage(image).scaled(
            side, side, Qt.AspectRatioMode.KeepAspectRatio, mode))


class SystemCard(QFrame):
    """One system's answer on the current item and, when given, its probability bars."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = name
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.bars)

    def show_answer(self, text: str | None, gold: str, classes: list[str],
                    corrected: str | None) -> None:
        answer = decode_prediction(text)
        target = corrected or gold
        name = f"<b>{escape(self.name)}</b>: "
        if not answer.label:
            self.title.setText(name + _chip("no prediction", "pale_grey"))
        else:
            right = answer.label == target
            p = answer.prob(answer.label)
            chance = "" if p is None else f" &nbsp;p {p:.2f}"
            verdict = "right" if right else "wrong"
            self.title.setText(name + _chip(answer.label, "mint" if right else "orange")
                               + f" {verdict}{chance}")
        if answer.probs is None:
            self.bars.hide()
            return
        self.bars.set_probabilities(answer.probs, classes, gold, answer.label, corrected)
        self.bars.show()


class LabelItemView(ItemView):
    """The current label item, and the choice of its right class."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._image_for: str | None = None
        self.classes = label_classes(session.project)
        self.keys = class_keys(self.classes)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_font = self.text.font()
        text_font.setPointSizeF(text_font.pointSizeF() * 1.2)
        self.text.setFont(text_font)
        self.image = ItemImage()

        self.cards = [SystemCard(name) for name in session.systems]
        grid = QGridLayout()
        columns = 2 if len(self.cards) <= 4 else 3
        for k, card in enumerate(self.cards):
            grid.addWidget(card, k // columns, k % columns)

        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(False)
        button_grid = QGridLayout()
        for k, cls in enumerate(self.classes if self.keys else []):
            button = QPushButton(f"{cls}   Alt+{self.keys[cls]}")
            button.setCheckable(True)
            button.setProperty("cls", cls)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(literal(f"The right label is {cls} (Alt+{self.keys[cls]})"))
            self.buttons.addButton(button)
            button_grid.addWidget(button, k // BUTTON_COLUMNS, k % BUTTON_COLUMNS)
        self.buttons.buttonClicked.connect(lambda b: self.pick(str(b.property("cls"))))
        self.search = QComboBox()
        self.search.setEditable(True)
        self.search_edit = QLineEdit()
        self.search.setLineEdit(self.search_edit)
        self.search.addItems(self.classes)
        self.search.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.search.setCurrentIndex(-1)
        self.search_edit.setPlaceholderText(f"Type a class ({SEARCH_KEY}), then Enter")
        completer = QCompleter(self.classes, self.search)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.setCompleter(completer)
        self.search_edit.returnPressed.connect(self._pick_typed)
        self.search.activated.connect(lambda k: self.pick(self.search.itemText(k)))
        self.keep = QPushButton("Keep the gold label")
        self.keep.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.keep.setToolTip("Drop the corrected label")
        self.keep.clicked.connect(self.keep_gold)
        search_row = QHBoxLayout()
        search_row.addWidget(QLabel("Right label:"))
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.keep)

        content = QWidget()
        layout = QVBoxLayout(content)
        about = QVBoxLayout()
        about.addWidget(self.heading)
        about.addWidget(self.text)
        about.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.image)
        top.addLayout(about, 1)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.prompt)
        layout.addLayout(button_grid)
        layout.addLayout(search_row)
        layout.addStretch(1)
        fill_with_scrolling(self, content)

        self.shortcuts: list[QShortcut] = []
        for cls, key in self.keys.items():
            shortcut = QShortcut(QKeySequence(f"Alt+{key}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda c=cls: self.pick(c))
            self.shortcuts.append(shortcut)
        find = QShortcut(QKeySequence(SEARCH_KEY), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_search)
        self.shortcuts.append(find)
        self.setToolTip(literal(self.help_text()))

        self.follow_session()

    def help_text(self) -> str:
        keys = ", ".join(f"Alt+{k}: {c}" for c, k in self.keys.items())
        return ("Pick the right label (a reference error): "
                + (keys + "; " if keys else "") + f"{SEARCH_KEY}: search the classes")

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.item_id is None:
            return
        project = self.session.project
        item = project.item(self.item_id)
        label = self.session.decision(self.item_id)
        gold = item.reference.strip()
        corrected = label.corrected_reference
        heading = f"{escape(self.item_id)} &nbsp; gold label " + _chip(gold, "mint")
        if corrected is not None:
            heading = (f"{escape(self.item_id)} &nbsp; gold label <s>{escape(gold)}"
                       "</s> → " + _chip(corrected, "light_blue") + " (corrected)")
        self.heading.setText(heading)
        text = dict(item.meta).get("text", "")
        self.text.setText(text)
        self.text.setVisible(bool(text))
        if self.item_id != self._image_for:
            self._image_for = self.item_id
            self.image.show_path(item.media)
        for card in self.cards:
            card.show_answer(project.prediction(card.name, self.item_id), gold, self.classes,
                             corrected)
        current = corrected if corrected is not None else gold
        for button in self.buttons.buttons():
            button.setChecked(button.property("cls") == current)
        asking = label.verdict == "reference_error" and corrected is None
        self.prompt.setText(
            "<b>Reference error: which label is right?</b> Press its key or pick it below."
            if asking else "The right label, if the gold label is wrong:")
        self.keep.setEnabled(corrected is not None)

    # -- deciding ------------------------------------------------------------------------
    def pick(self, cls: str) -> None:
        """Record ``cls`` as the right label of the current item (the gold class: keep it)."""
        cls = cls.strip()
        if self.item_id is None or not cls:
            return
        if cls == self.session.project.item(self.item_id).reference.strip():
            self.keep_gold()
            return
        self.session.decide(self.item_id, verdict="reference_error", corrected_reference=cls)

    def keep_gold(self) -> None:
        """Drop the corrected label (and a reference-error verdict without one)."""
        if self.item_id is None:
            return
        label = self.session.decision(self.item_id)
        changes: dict[str, object] = {"corrected_reference": None}
        if label.verdict == "reference_error":
            changes["verdict"] = None
        if label.corrected_reference is not None or "verdict" in changes:
            self.session.decide(self.item_id, **changes)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _pick_typed(self) -> None:
        typed = self.search.currentText().strip()
        match = next((c for c in self.classes if c == typed), None) or next(
            (c for c in self.classes if c.lower() == typed.lower()), None)
        if match is None:
            self.prompt.setText(f"<b>{escape(typed)}</b> is not a class of this "
                                "benchmark; pick one from the list.")
            return
        self.pick(match)
        self.search.setCurrentIndex(-1)
        self.search.clearEditText()
        self.window().setFocus(Qt.FocusReason.OtherFocusReason)


def make_view(session: ReviewSession) -> ItemView:
    """The label kind's view of the current item."""
    return LabelItemView(session)


def docks(session: ReviewSession, items: ItemListWidget) -> list[tuple[str, str, QWidget]]:
    """The confusion matrix (View menu); clicking a cell filters the item list."""
    from reviewer.gui.kinds.label.confusion_view import ConfusionView

    return [("Confusion Matrix", "confusion", ConfusionView(session, items))]
