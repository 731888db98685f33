"""The audio player and the asr item view: waveform, timed words, Space, no audio output."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.asr.audio_player import NO_OUTPUT, AudioPlayer, read_waveform
from reviewer.gui.kinds.asr.view import AsrView, timed_words
from reviewer.gui.media_view import MediaView
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

try:  # QtMultimedia loads only where libpulse0 is installed
    from PySide6.QtMultimedia import QMediaDevices, QMediaPlayer
except ImportError as exc:
    MULTIMEDIA_MISSING: str | None = (
        f"QtMultimedia cannot load ({exc}): install libpulse0 (apt-get install libpulse0)")
else:
    MULTIMEDIA_MISSING = None
needs_multimedia = pytest.mark.skipif(MULTIMEDIA_MISSING is not None,
                                      reason=MULTIMEDIA_MISSING or "")

RATE = 16_000


def write_wav(path: Path, seconds: float, width: int = 2, channels: int = 1) -> None:
    """A 440 Hz tone whose loudness rises over time (so peaks differ along the file)."""
    t = np.arange(int(seconds * RATE)) / RATE
    signal = np.sin(2 * np.pi * 440 * t) * np.linspace(0.1, 0.9, t.size)
    if width == 1:
        data = np.round(signal * 127 + 128).astype(np.uint8)
    elif width == 3:
        ints = np.round(signal * (2**23 - 1)).astype(np.int32)
        data = np.stack([(ints >> s) & 0xFF for s in (0, 8, 16)], axis=1).astype(np.uint8)
    else:
        data = np.round(signal * 32767).astype("<i2")
    frames = np.repeat(data.reshape(t.size, -1), channels, axis=0).tobytes() if channels > 1 \
        else data.tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(RATE)
        wav.writeframes(frames)


class FakePlayer:
    """Stands in for a QMediaPlayer where the machine has no audio output."""

    def __init__(self) -> None:
        self.state = QMediaPlayer.PlaybackState.StoppedState
        self.calls: list[tuple[str, Any]] = []

    def setPosition(self, ms: int) -> None:
        self.calls.append(("position", ms))

    def play(self) -> None:
        self.state = QMediaPlayer.PlaybackState.PlayingState
        self.calls.append(("play", None))

    def pause(self) -> None:
        self.state = QMediaPlayer.PlaybackState.PausedState
        self.calls.append(("pause", None))

    def stop(self) -> None:
        self.state = QMediaPlayer.PlaybackState.StoppedState

    def setSource(self, url: Any) -> None:
        self.calls.append(("source", url.toLocalFile()))

    def playbackState(self) -> QMediaPlayer.PlaybackState:
        return self.state


@pytest.fixture
def asr_session(tmp_path: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    """Two utterances with audio; system ``sys`` comes from a ctm with word times."""
    audio = tmp_path / "audio"
    audio.mkdir()
    write_wav(audio / "ann-01.wav", 2.0)
    write_wav(audio / "ann-02.wav", 1.0)
    (tmp_path / "ref.trn").write_text("The cat sat on the mat. (ann-01)\nHello there (ann-02)\n"
                                      "No audio here (bob-01)\nor here (bob-02)\n")
    (tmp_path / "hyp.ctm").write_text(
        "ann-01 1 0.10 0.20 the\nann-01 1 0.35 0.25 cap\nann-01 1 0.65 0.20 sat\n"
        "ann-01 1 0.90 0.20 on\nann-01 1 1.15 0.10 a\nann-01 1 1.30 0.40 mat\n"
        "ann-02 1 0.10 0.30 hello\nann-02 1 0.50 0.30 there\n")
    bench = load_benchmark(tmp_path / "ref.trn", [("sys", tmp_path / "hyp.ctm")],
                           ReadOptions(kind="asr", audio=audio))
    path = tmp_path / "asr.db"
    with Project(path, create=True) as project:
        import_benchmark(project, bench, normalize="basic")
    session = ReviewSession(path, "tester")
    yield session
    QThreadPool.globalInstance().waitForDone(30_000)
    session.close()


def shown_view(qtbot: QtBot, session: ReviewSession, item: str = "ann-01") -> AsrView:
    view = AsrView(session)
    qtbot.addWidget(view)
    view.resize(900, 320)
    view.show()
    with qtbot.waitSignal(view.player.loaded, timeout=10_000):
        session.set_current_item(item)
    return view


# -- the waveform reader ---------------------------------------------------------------------
@pytest.mark.parametrize(("width", "channels"), [(1, 1), (2, 1), (3, 2), (2, 2)])
def test_read_waveform(tmp_path: Path, width: int, channels: int) -> None:
    path = tmp_path / "tone.wav"
    write_wav(path, 1.0, width, channels)
    full = read_waveform(str(path), columns=100)
    assert full.peaks.shape == (100, 2) and (full.start, full.end) == (0.0, 1.0)
    assert np.abs(full.peaks).max() == pytest.approx(1.0)
    assert full.peaks[-1, 1] > 3 * full.peaks[0, 1]  # louder at the end
    part = read_waveform(str(path), 0.25, 0.5, columns=10)
    assert (part.start, part.end) == (0.25, 0.5) and part.peaks.shape == (10, 2)


def test_read_waveform_in_blocks_equals_at_once(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.gui.kinds.asr import audio_player as audio_view

    path = tmp_path / "tone.wav"
    write_wav(path, 1.3, 2, 2)
    whole = read_waveform(str(path), 0.1, None, columns=70)
    monkeypatch.setattr(audio_view, "BLOCK_FRAMES", 500)
    blocks = read_waveform(str(path), 0.1, None, columns=70)
    assert np.array_equal(whole.peaks, blocks.peaks) and len(blocks.peaks) == 70


def test_read_waveform_refuses_non_wav(tmp_path: Path) -> None:
    bad = tmp_path / "clip.wav"
    bad.write_bytes(b"ID3 not a wave file")
    with pytest.raises(ValueError, match=r"cannot read clip\.wav as WAV"):
        read_waveform(str(bad))


# -- the player --------------------------------------------------------------------------------
@needs_multimedia
def test_no_audio_output_still_shows_the_waveform(tmp_path: Path, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(lambda: []))
    write_wav(tmp_path / "a.wav", 1.0)
    player = AudioPlayer()
    qtbot.addWidget(player)
    assert player.player is None
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.set_source(str(tmp_path / "a.wav"))
    assert player.status_text() == NO_OUTPUT and not player.play_button.isEnabled()
    assert player.waveform.waveform is not None and player.segment == (0.0, 1.0)
    player.toggle()  # nothing to play with: no crash, the reason stays shown
    player.play_from(0.5)
    assert player.position() == 0.5 and player.time_label.text() == "0:00.5 / 0:01.0"
    player.grab().save(str(tmp_path / "player.png"))


def test_missing_audio_file_is_said(tmp_path: Path, qtbot: QtBot) -> None:
    player = AudioPlayer()
    qtbot.addWidget(player)
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.set_source(str(tmp_path / "gone.wav"))
    assert player.waveform.message.startswith("Audio not found")
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.set_source(None)
    assert player.waveform.message == "No audio for this item"


@needs_multimedia
def test_segment_playback_stops_at_its_end(tmp_path: Path, qtbot: QtBot) -> None:
    write_wav(tmp_path / "long.wav", 2.0)
    player = AudioPlayer()
    qtbot.addWidget(player)
    fake = FakePlayer()
    player.player = fake
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.set_source(str(tmp_path / "long.wav"), 0.5, 1.5)
    assert player.waveform.span == (0.5, 1.5)
    player.play_from(0.0)  # before the segment: starts at its beginning
    assert fake.calls[-2:] == [("position", 500), ("play", None)]
    player._on_player_position(1600)
    assert fake.calls[-1] == ("pause", None) and player.position() == 1.5
    player.toggle()  # at the end: starts again from the beginning
    assert fake.calls[-2:] == [("position", 500), ("play", None)]


# -- the asr view ------------------------------------------------------------------------------
def test_view_shows_preset_speaker_words_and_waveform(asr_session: ReviewSession,
                                                      qtbot: QtBot) -> None:
    view = shown_view(qtbot, asr_session)
    assert "Normalisation: basic" in view.info.text() and "speaker ann" in view.info.text()
    assert [w for w, _, _ in view.words["sys"]] == ["the", "cap", "sat", "on", "a", "mat"]
    assert view.player.waveform.waveform is not None
    assert "w:1:sys" in view.word_list.text()
    view.norm_button.setChecked(True)
    assert view.normalised.toPlainText().splitlines() == [
        "reference: the cat sat on the mat", "sys: the cap sat on a mat"]


@needs_multimedia
def test_word_link_and_waveform_click_play_from_the_word(asr_session: ReviewSession,
                                                         qtbot: QtBot) -> None:
    view = shown_view(qtbot, asr_session)
    fake = FakePlayer()
    view.player.player = fake
    view.word_list.linkActivated.emit("w:5:sys")
    assert view.player.position() == 1.3 and fake.calls[-2:] == [("position", 1300),
                                                                  ("play", None)]
    wave_widget = view.player.waveform
    x = int(wave_widget.x_of(0.45))  # inside "cap" (0.35-0.60)
    qtbot.mouseClick(wave_widget, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    assert view.player.position() == 0.35


def test_selecting_an_edit_plays_from_its_words(asr_session: ReviewSession, qtbot: QtBot) -> None:
    view = shown_view(qtbot, asr_session)
    alignment = asr_session.alignment("sys", "ann-01")
    cats = [(e.ref_text, e.hyp_text) for e in alignment.edits]
    assert cats == [("cat", "cap"), ("the", "a")]
    asr_session.select_edit("sys", 1)
    assert view.player.position() == 1.15  # "a"
    asr_session.select_edit("sys", 0)
    assert view.player.position() == 0.35  # "cap"


@needs_multimedia
def test_space_plays_but_types_in_text_fields(asr_session: ReviewSession, qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    view = AsrView(asr_session)
    note = QLineEdit()
    layout.addWidget(view)
    layout.addWidget(note)
    window.show()
    with qtbot.waitSignal(view.player.loaded, timeout=10_000):
        asr_session.set_current_item("ann-01")
    fake = FakePlayer()
    view.player.player = fake
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.player.play_button.setFocus()
    qtbot.keyClick(view.player.play_button, Qt.Key.Key_Space)
    assert ("play", None) in fake.calls
    fake.calls.clear()
    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_Space)
    assert note.text() == " " and fake.calls == []


def test_item_without_audio_or_times(asr_session: ReviewSession, qtbot: QtBot) -> None:
    view = shown_view(qtbot, asr_session, "bob-01")
    assert view.player.path is None and view.words == {}
    assert view.player.waveform.message == "No audio for this item"
    assert view.word_list.text() == ""


def test_timed_words_ignores_malformed_meta() -> None:
    assert timed_words({"words": [["a", 0, 1.5], ["b", "x", 2], "c", ["d", 2]]}) == [
        ("a", 0.0, 1.5)]
    assert timed_words({"words": "nope"}) == [] and timed_words({}) == []


def test_media_dock_leaves_audio_to_the_player(asr_session: ReviewSession, qtbot: QtBot) -> None:
    media = MediaView(asr_session)
    qtbot.addWidget(media)
    with qtbot.waitSignal(media.loaded, timeout=10_000):
        asr_session.set_current_item("ann-02")
    assert media.status_text() == "Audio item (ann-02.wav): played in the audio player"
    assert not media.has_image()


@needs_multimedia
def test_main_window_shows_the_player_above_the_alignment(
        asr_session: ReviewSession, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.gui.main_window import MainWindow

    window = MainWindow("tester")
    qtbot.addWidget(window)
    assert window.open_project(asr_session.path)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.kind_view
    assert isinstance(view, AsrView) and window.diff.isVisibleTo(window)
    QThreadPool.globalInstance().waitForDone(10_000)
    fake = FakePlayer()
    view.player.player = fake
    view.player.path = view.player.path or "x.wav"
    window.diff.text.setFocus()
    qtbot.keyClick(window.diff.text, Qt.Key.Key_Space)  # Space from the alignment view
    assert ("play", None) in fake.calls
    window.close()
