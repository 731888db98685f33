"""The answer view: question, gold, the models' distinct answers and raw outputs, and its
keys (Shift+digit takes a model's answer as the gold, M A P I the platinum reasons, G types
the gold), driven by keys as a reviewer would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from reviewer.core.answers.encoding import decode_gold, encode_gold
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.answer.gold_text import gold_lines, gold_reference
from reviewer.gui.kinds.answer.model_answers import output_segments
from reviewer.gui.kinds.answer.view import AnswerView
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, open_window

# q1's gold is wrong (6 × 7 is 42): two models say so, one slips.
QUIZ = [
    '{"id": "q1", "question": "What is 6 times 7?", "answer": "41", '
    '"output_m1": "6 * 7 = 42.\\n#### 42", "output_m2": "I think it is 42. The answer is 42.", '
    '"output_m3": "So \\\\boxed{40}"}',
    '{"id": "q2", "question": "Capital of France?", "answer": ["Paris", "Paris, France"], '
    '"output_m1": "Paris", "output_m2": "The answer is paris.", '
    '"output_m3": "I\'m sorry, I cannot answer that."}',
    '{"id": "q3", "question": "How many legs has a spider?", "answer": "8", '
    '"context": "Spiders are arachnids.", '
    '"output_m1": "Spiders have 8 legs, so the answer is 8.", "output_m1_extracted": "[invalid]", '
    '"output_m2": "8", "output_m3": "#### 6"}',
]


@pytest.fixture
def quiz_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    table = tmp_path / "quiz.jsonl"
    table.write_text("\n".join(QUIZ) + "\n", encoding="utf-8")
    db = tmp_path / "quiz.db"
    with Project(db, create=True) as project:
        import_benchmark(project, load_benchmark(table, [], ReadOptions(kind="answer")))
    win = open_window(qtbot, db)
    yield win
    close_window(win)


def view_of(win: MainWindow) -> AnswerView:
    assert isinstance(win.kind_view, AnswerView)
    return win.kind_view


def session_of(win: MainWindow) -> ReviewSession:
    assert win.session is not None
    return win.session


def key(qtbot: QtBot, win: MainWindow, k: Qt.Key, shift: bool = False) -> None:
    """Press ``k`` on the item list, as a reviewer does, and wait for the decision."""
    with qtbot.waitSignal(session_of(win).decisionChanged, timeout=5000):
        qtbot.keyClick(win.items.table, k, Qt.KeyboardModifier.ShiftModifier if shift
                       else Qt.KeyboardModifier.NoModifier)


def test_shows_question_gold_distinct_answers_and_outputs(quiz_window: MainWindow) -> None:
    view = view_of(quiz_window)
    assert not quiz_window.diff.isVisible()
    quiz_window.items.select_id("q1")
    assert view.question.text() == "What is 6 times 7?"
    assert "41" in view.gold.text()
    rows = [r for r in view.answer_rows if r.isVisible()]
    # 42 by two models first, then 40; nobody gives the gold.
    assert [r.answer for r in rows] == ["42", "40"]
    assert [(r.bar.votes, r.bar.total) for r in rows] == [(2, 3), (1, 3)]
    assert rows[0].models.text() == "1 m1, 2 m2" and "gold" not in rows[0].marks.text()
    assert [box.answer.system for box in view.outputs] == ["m1", "m2", "m3"]
    # The extracted span is highlighted in the raw output, and the box says wrong.
    assert "<b>42</b></span>" in view.outputs[0].output.text()
    assert "✗ wrong" in view.outputs[0].heading.text()
    assert "(boxed)" in view.outputs[2].heading.text()
    quiz_window.grab()  # paints the vote bars


def test_right_answers_group_under_the_gold_and_refusals_are_noted(
        quiz_window: MainWindow) -> None:
    view = view_of(quiz_window)
    quiz_window.items.select_id("q2")
    rows = [r for r in view.answer_rows if r.isVisible()]
    assert len(rows) == 1 and "✓ gold" in rows[0].marks.text()
    assert (rows[0].bar.votes, rows[0].bar.total) == (2, 2)
    assert "Paris, France" in view.gold.text()
    assert "No answer or refusal" in view.outputs[2].heading.text()


def test_harness_answer_shown_where_it_differs_and_context_shown(
        quiz_window: MainWindow) -> None:
    view = view_of(quiz_window)
    quiz_window.items.select_id("q3")
    harness = view.outputs[0].harness
    assert not harness.isHidden()
    assert "'[invalid]'" in harness.text() and "reviewer extracted '8' (right)" in harness.text()
    assert view.outputs[1].harness.isHidden()
    assert view.context.body.text() == "Spiders are arachnids."
    assert not view.context.body.isHidden()  # a short passage is shown unfolded


def test_shift_digit_takes_a_models_answer_as_the_gold(quiz_window: MainWindow,
                                                       qtbot: QtBot) -> None:
    session = session_of(quiz_window)
    view = view_of(quiz_window)
    quiz_window.items.select_id("q1")
    key(qtbot, quiz_window, Qt.Key.Key_2, shift=True)
    decision = session.decision("q1")
    assert decision.corrected_reference == encode_gold(["42"]) == '["42"]'
    assert (decision.verdict, decision.error_type) == ("reference_error", "mislabeled")
    # The view follows: the models' 42 is now the (corrected) gold, 41 struck out.
    rows = [r for r in view.answer_rows if r.isVisible()]
    assert rows[0].answer == "42" and "corrected gold" in rows[0].marks.text()
    assert "<s>41</s>" in view.gold.text()
    assert "✓ right" in view.outputs[0].heading.text()
    # The panel shows the gold as text, not JSON.
    assert quiz_window.panel.reference.toPlainText() == "42"
    key(qtbot, quiz_window, Qt.Key.Key_3, shift=True)
    assert session.decision("q1").corrected_reference == '["40"]'


def test_taking_an_answer_right_against_the_gold_keeps_the_gold(quiz_window: MainWindow,
                                                                 qtbot: QtBot) -> None:
    session = session_of(quiz_window)
    quiz_window.items.select_id("q2")
    key(qtbot, quiz_window, Qt.Key.Key_M)
    assert session.decision("q2").verdict == "reference_error"
    key(qtbot, quiz_window, Qt.Key.Key_2, shift=True)  # m2 said "paris": the gold is right
    decision = session.decision("q2")
    assert (decision.verdict, decision.error_type, decision.corrected_reference) == (
        None, None, None)


def test_shift_digit_of_a_model_without_an_answer_says_so(quiz_window: MainWindow,
                                                          qtbot: QtBot) -> None:
    session = session_of(quiz_window)
    view = view_of(quiz_window)
    quiz_window.items.select_id("q2")
    before = session.decision("q2")
    qtbot.keyClick(quiz_window.items.table, Qt.Key.Key_3, Qt.KeyboardModifier.ShiftModifier)
    assert "m3 gave no answer" in view.hint.text()
    assert session.decision("q2") == before


def test_platinum_reason_keys(quiz_window: MainWindow, qtbot: QtBot) -> None:
    session = session_of(quiz_window)
    view = view_of(quiz_window)
    quiz_window.items.select_id("q1")
    key(qtbot, quiz_window, Qt.Key.Key_1, shift=True)
    assert session.decision("q1").corrected_reference == '["42"]'
    key(qtbot, quiz_window, Qt.Key.Key_A)  # ambiguous: removed, the correction dropped
    decision = session.decision("q1")
    assert (decision.verdict, decision.error_type, decision.corrected_reference) == (
        "reference_error", "ambiguous", None)
    assert view.reason_buttons["ambiguous"].isChecked()
    assert "Ambiguous or ill-posed" in view.decision.text()
    for k, reason in ((Qt.Key.Key_P, "poorly_worded"), (Qt.Key.Key_I, "invalid_question"),
                      (Qt.Key.Key_M, "mislabeled")):
        key(qtbot, quiz_window, k)
        assert session.decision("q1").error_type == reason
    key(qtbot, quiz_window, Qt.Key.Key_M)  # the same key again clears it
    assert session.decision("q1").verdict is None
    assert session.decision("q1").error_type is None


def test_g_types_the_corrected_gold_one_answer_per_line(quiz_window: MainWindow,
                                                        qtbot: QtBot) -> None:
    session = session_of(quiz_window)
    quiz_window.items.select_id("q1")
    qtbot.keyClick(quiz_window.items.table, Qt.Key.Key_G)
    box = QApplication.focusWidget()
    assert isinstance(box, QPlainTextEdit) and box is quiz_window.panel.reference
    assert box.textCursor().selectedText() == "41"
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClicks(box, "42")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClicks(box, "forty-two")
    decision = session.decision("q1")
    assert decision.corrected_reference == '["42","forty-two"]'
    assert decision.verdict == "reference_error"
    assert "42" in view_of(quiz_window).gold.text()


def test_gold_text_round_trip() -> None:
    assert gold_lines('["Paris","Paris, France"]') == "Paris\nParis, France"
    assert gold_reference("Paris\n\n Paris, France \n", '["x"]') == '["Paris","Paris, France"]'
    original = '["Paris", "Paris, France"]'  # the same answers, stored otherwise: kept as is
    assert gold_reference("Paris\nParis, France", original) == original
    assert decode_gold(gold_reference("42", "[]")) == ("42",)
    with pytest.raises(ValueError, match="invalid question"):
        gold_reference(" \n", '["41"]')


def test_a_long_output_keeps_its_start_and_the_part_ending_at_the_answer() -> None:
    output = "a" * 9000 + "ANSWER" + "b" * 9000
    pieces = output_segments(output, (9000, 9006), limit=4000)
    assert ("answer", "ANSWER") in pieces
    assert pieces[0] == ("text", "a" * 600)
    assert [p for p in pieces if p[0] == "gap"] == [("gap", "6,700"), ("gap", "7,306")]
    shown = sum(len(t) for role, t in pieces if role != "gap")
    assert shown == 4000
    assert output_segments("short 12", (6, 8)) == [("text", "short "), ("answer", "12")]


def test_shift_digit_as_a_us_keyboard_reports_it_takes_the_answer(quiz_window: MainWindow,
                                                                  qtbot: QtBot) -> None:
    """On X11 Shift+2 arrives as '@' with Shift held: it picks model 2 all the same."""
    session = session_of(quiz_window)
    quiz_window.items.select_id("q1")
    key(qtbot, quiz_window, Qt.Key.Key_At, shift=True)
    assert session.decision("q1").corrected_reference == '["42"]'
