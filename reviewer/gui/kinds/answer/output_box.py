"""One model's raw output with the extracted answer highlighted, marked right or wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from reviewer.core.kinds import spec
from reviewer.gui.kinds.answer.model_answers import ModelAnswer, output_segments
from reviewer.gui.rich_text import escape
from reviewer.gui.theme import category_colour, swatch_colour, text_colour


def chip(text: str, background: str) -> str:
    """``text`` as rich text on a ``#RRGGBB`` background."""
    return (f"<span style='background:{background}; color:{text_colour().name()}'>"
            f"&nbsp;{escape(text)}&nbsp;</span>")


def answer_colour(answer: ModelAnswer) -> str:
    """The highlight of a model's answer: its category's colour, mint when plainly right."""
    if answer.category:
        return category_colour(spec("answer").category(answer.category)).name()
    return swatch_colour("mint").name()


def heading(answer: ModelAnswer) -> str:
    """``1 modelA  ✓ right · Equal except format · 'answer-line'`` as rich text."""
    parts = [f"<b>{answer.number}&nbsp;&nbsp;{escape(answer.system)}</b>"]
    if not answer.has_prediction:
        return parts[0] + " — no prediction"
    parts.append("✓ right" if answer.right else "✗ wrong")
    if answer.category:
        parts.append(chip(spec("answer").category(answer.category).name, answer_colour(answer)))
    parts.append(f"answer {chip(_short(answer.answer), answer_colour(answer))} ({answer.rule})"
                 if answer.answer is not None else "no answer extracted")
    return " · ".join(parts)


def _short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters (a last line taken as the answer may be long)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def harness_line(answer: ModelAnswer) -> str:
    """What the evaluation harness extracted, where the log says and it differs ('' else)."""
    if answer.harness_answer is None or not answer.disagrees:
        return ""
    verdict = "" if answer.harness_right is None else (
        " (right)" if answer.harness_right else " (wrong)")
    ours = "nothing" if answer.answer is None else repr(answer.answer)
    return (f"The harness extracted {answer.harness_answer!r}{verdict}; reviewer extracted "
            f"{ours} ({'right' if answer.right else 'wrong'}).")


def output_html(answer: ModelAnswer) -> str:
    """The raw output as rich text, the extracted answer on its colour, spaces kept."""
    out = []
    for role, text in output_segments(answer.output, answer.span):
        if role == "answer":
            out.append(f"<span style='background:{answer_colour(answer)}; "
                       f"color:{text_colour().name()}'><b>{escape(text)}</b></span>")
        elif role == "gap":
            out.append(f"<i>[… {text} characters left out …]</i>")
        else:
            out.append(escape(text))
    return f"<div style='white-space:pre-wrap'>{''.join(out) or '<i>(empty output)</i>'}</div>"


class OutputBox(QFrame):
    """A model's heading, the harness's answer where it differs, and its raw output."""

    def __init__(self, answer: ModelAnswer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer = answer
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(heading(answer))
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.harness = QLabel(harness_line(answer))
        self.harness.setTextFormat(Qt.TextFormat.PlainText)
        self.harness.setWordWrap(True)
        self.output = QLabel(output_html(answer) if answer.has_prediction else "")
        self.output.setTextFormat(Qt.TextFormat.RichText)
        self.output.setWordWrap(True)
        self.output.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.harness)
        layout.addWidget(self.output)
        # Only once in the layout: a label shown before it has a parent is a window.
        self.harness.setVisible(bool(self.harness.text()))
        self.output.setVisible(answer.has_prediction)
