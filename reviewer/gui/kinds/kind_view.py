"""What the window needs to know of one task kind's own view: the :class:`KindView` type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.session import ReviewSession

# ``(title, object name, widget)`` of each dock a kind adds beside the decision panel
Docks = Callable[[ReviewSession, ItemListWidget], list[tuple[str, str, QWidget]]]


def _as_is(reference: str) -> str:
    return reference


def _typed(text: str, reference: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class ReferenceText:
    """How the decision panel's corrected-reference box shows a kind's reference.

    ``shown(reference)`` is the text a reviewer edits; ``stored(text, reference)`` turns
    the edited text back into the kind's reference encoding, given the reference it edits
    (``ValueError`` saying what is wrong when the text cannot be one).
    """

    label: str = "Corrected reference"
    shown: Callable[[str], str] = _as_is
    stored: Callable[[str, str], str] = _typed
    hint: str = "The corrected reference"  # the empty box's placeholder


# The reference as it is stored: text, asr, kern, choice, label.
PLAIN_REFERENCE = ReferenceText()


@dataclass(frozen=True, slots=True)
class KindView:
    """A task kind's place in the window.

    ``make_view`` builds the kind's view of the current item (it follows the session
    itself); ``None``: the kind shows the alignment view alone.
    """

    make_view: Callable[[ReviewSession], ItemView] | None = None
    shows_diff: bool = True  # the alignment view is shown below the kind's view
    shows_media: bool = True  # False: the view shows the item's media, the image dock hides
    # Window action id -> keys, where the view needs a window shortcut's key for itself
    shortcut_overrides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    docks: Docks | None = None
    help: str = ""  # the keys and clicks of the view, in one line
    reference_text: ReferenceText = PLAIN_REFERENCE


# The text kind: its items are shown in the alignment view alone.
ALIGNMENT_VIEW_ONLY = KindView()
