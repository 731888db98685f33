"""An audio player: play/pause with Space, a waveform with a moving position line, timed words.

The waveform is read from WAV files with :mod:`wave` and numpy, off the main thread.
Playback uses QtMultimedia; where it has no audio output (a headless machine, no
sound server) the waveform is still shown and the player says so instead of playing.
"""

from __future__ import annotations

import logging
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from reviewer.core.errors import InputError
from reviewer.core.limits import (
    MAX_AUDIO_BYTES,
    MAX_AUDIO_CHANNELS,
    MAX_AUDIO_RATE,
    MEDIA_READ_SECONDS,
)
from reviewer.core.progress import Progress
from reviewer.formats.safe_read import Deadline, open_regular, regular_file_problem
from reviewer.gui.tasks import run_task
from reviewer.gui.theme import swatch_colour

log = logging.getLogger("reviewer.gui")

COLUMNS = 1600  # peak pairs read per file; the widget draws them scaled to its width
BLOCK_FRAMES = 1 << 20  # frames read at once while computing peaks
NO_OUTPUT = "no audio output available"
Word = tuple[str, float, float]  # (word, start, end) in seconds of the audio file


@dataclass(frozen=True, slots=True)
class Waveform:
    """Min/max peaks of ``[start, end)`` seconds of an audio file, scaled to [-1, 1]."""

    peaks: Any  # numpy array (columns, 2)
    start: float
    end: float
    sample_rate: int


def read_waveform(path: str, start: float = 0.0, end: float | None = None,
                  columns: int = COLUMNS) -> Waveform:
    """The peaks of a PCM WAV file between ``start`` and ``end`` seconds (all channels mixed).

    The file is read a block at a time, so an hour-long recording needs little memory.
    Only a regular file of at most ``MAX_AUDIO_BYTES`` is read, within
    ``MEDIA_READ_SECONDS``. Raises ``ValueError`` (with the reason) for files :mod:`wave`
    cannot read and for headers no recording has (no channels, a sample rate of 0).
    """
    name = Path(path).name
    try:
        deadline = Deadline(path, MEDIA_READ_SECONDS)
        with open_regular(path, MAX_AUDIO_BYTES) as fh, wave.open(fh, "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            _check_header(rate, width, channels)
            total = wav.getnframes()
            first = min(max(int(start * rate), 0), total)
            last = total if end is None else min(max(int(end * rate), first), total)
            wav.setpos(first)
            peaks = _peaks(wav, last - first, width, channels, columns, deadline)
    except InputError as exc:
        raise ValueError(f"cannot read {name}: {exc.message}") from None
    except (wave.Error, EOFError, OSError, ValueError) as exc:
        raise ValueError(f"cannot read {name} as WAV: {exc}") from None
    scale = max(float(np.abs(peaks).max()), 1e-9) if len(peaks) else 1.0
    return Waveform(peaks / scale, first / rate, last / rate, rate)


def _check_header(rate: int, width: int, channels: int) -> None:
    """Refuse WAV headers no recording has (they would divide by zero further on)."""
    if not 0 < rate <= MAX_AUDIO_RATE:
        raise ValueError(f"a sample rate of {rate:,} per second")
    if not 0 < channels <= MAX_AUDIO_CHANNELS:
        raise ValueError(f"{channels:,} channels")
    if width not in (1, 2, 3, 4):
        raise ValueError(f"{8 * width}-bit samples are not supported")


def _peaks(wav: wave.Wave_read, count: int, width: int, channels: int, columns: int,
           deadline: Deadline | None = None) -> Any:
    """Min and max of each of about ``columns`` equal runs of the next ``count`` frames."""
    if count <= 0:
        return np.zeros((0, 2))
    per = -(-count // max(columns, 1))  # frames per column
    out: list[Any] = []
    batch = max(1, BLOCK_FRAMES // per) * per  # whole columns per read
    left = count
    while left > 0:
        data = wav.readframes(min(batch, left))
        if not data:
            break
        if deadline is not None:
            deadline.check()
        samples = _samples(data, width)
        samples = samples[: samples.size - samples.size % channels].reshape(-1, channels)
        mono = samples.mean(axis=1)
        left -= mono.size
        full = mono.size - mono.size % per
        if full:
            blocks = mono[:full].reshape(-1, per)
            out.append(np.stack([blocks.min(axis=1), blocks.max(axis=1)], axis=1))
        if full < mono.size:  # the end of the file: a shorter last column
            rest = mono[full:]
            out.append(np.array([[rest.min(), rest.max()]]))
    return np.concatenate(out) if out else np.zeros((0, 2))


def _samples(data: bytes, width: int) -> Any:
    if width == 1:
        return np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128.0
    if width == 2:
        return np.frombuffer(data, dtype="<i2").astype(np.float32)
    if width == 3:
        raw = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3)
        values = raw[:, 0].astype(np.int32) | (raw[:, 1].astype(np.int32) << 8) \
            | (raw[:, 2].astype(np.int32) << 16)
        return np.where(values >= 1 << 23, values - (1 << 24), values).astype(np.float32)
    if width == 4:
        return np.frombuffer(data, dtype="<i4").astype(np.float32)
    raise ValueError(f"{8 * width}-bit samples are not supported")


def load_waveform(request: int, path: str, start: float, end: float | None,
                  progress: Progress) -> tuple[int, Waveform | None, str]:
    """Background task: :func:`read_waveform`, tagged with its request, or why it failed."""
    try:
        return request, read_waveform(path, start, end), ""
    except ValueError as exc:
        return request, None, str(exc)


class WaveformWidget(QWidget):
    """Draws the peaks, the timed words and the position; a click asks to seek there."""

    seekRequested = Signal(float)  # seconds of the audio file

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.waveform: Waveform | None = None
        self.span = (0.0, 0.0)  # the seconds shown, left to right
        self.words: list[Word] = []
        self.position = 0.0
        self.message = ""
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def x_of(self, seconds: float) -> float:
        start, end = self.span
        if end <= start:
            return 0.0
        return (seconds - start) / (end - start) * self.width()

    def seconds_at(self, x: float) -> float:
        start, end = self.span
        return start + max(0.0, min(x / max(self.width(), 1), 1.0)) * (end - start)

    def word_at(self, x: float) -> int | None:
        """Index of the timed word drawn under ``x``."""
        t = self.seconds_at(x)
        return next((k for k, (_, s, e) in enumerate(self.words) if s <= t <= e), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.span[1] > self.span[0]:
            x = event.position().x()
            k = self.word_at(x)
            self.seekRequested.emit(self.words[k][1] if k is not None else self.seconds_at(x))
            event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        h = self.height()
        label_h = painter.fontMetrics().height() + 4 if self.words else 0
        wave_h = h - label_h
        self._paint_words(painter, label_h, wave_h)
        if self.waveform is not None and len(self.waveform.peaks):
            self._paint_peaks(painter, wave_h)
        elif self.message:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRectF(0, 0, self.width(), wave_h),
                             Qt.AlignmentFlag.AlignCenter, self.message)
        if self.span[1] > self.span[0]:
            x = self.x_of(self.position)
            painter.setPen(QPen(pal.color(QPalette.ColorRole.WindowText), 2))
            painter.drawLine(QPointF(x, 0), QPointF(x, h))
        painter.end()

    def _paint_peaks(self, painter: QPainter, wave_h: int) -> None:
        assert self.waveform is not None
        peaks = self.waveform.peaks
        x0, x1 = self.x_of(self.waveform.start), self.x_of(self.waveform.end)
        mid, half = wave_h / 2, wave_h / 2 - 2
        painter.setPen(QPen(swatch_colour("light_blue"), 1))
        n = len(peaks)
        columns = max(int(x1 - x0), 1)
        for c in range(columns):
            k = min(int(c * n / columns), n - 1)
            lo, hi = peaks[k]
            x = x0 + c
            painter.drawLine(QPointF(x, mid - hi * half), QPointF(x, mid - lo * half))

    def _paint_words(self, painter: QPainter, label_h: int, wave_h: int) -> None:
        if not self.words:
            return
        band = swatch_colour("pale_grey")
        band.setAlpha(110)
        current = swatch_colour("light_yellow")
        text = self.palette().color(QPalette.ColorRole.Text)
        metrics = painter.fontMetrics()
        for k, (word, s, e) in enumerate(self.words):
            x, x2 = self.x_of(s), self.x_of(e)
            playing = s <= self.position <= e
            colour = current if playing else (band if k % 2 == 0 else QColor(0, 0, 0, 0))
            painter.fillRect(QRectF(x, 0, max(x2 - x, 1.0), wave_h + label_h), colour)
            if metrics.horizontalAdvance(word) <= x2 - x:
                painter.setPen(text)
                painter.drawText(QRectF(x, wave_h, x2 - x, label_h),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                                 word)


class AudioPlayer(QWidget):
    """Plays one audio file (or a segment of it) with a waveform and timed words."""

    loaded = Signal(str)  # the audio path once its waveform (or why there is none) is shown
    positionChanged = Signal(float)  # seconds of the audio file

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: str | None = None
        self.segment: tuple[float, float | None] = (0.0, None)
        self._request = 0
        self._pending_play: float | None = None
        self.play_button = QToolButton()
        self.play_button.setText("▶ Play")
        self.play_button.setToolTip("Play or pause (Space)")
        self.play_button.clicked.connect(self.toggle)
        self.time_label = QLabel()
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.waveform = WaveformWidget()
        self.waveform.seekRequested.connect(self.play_from)
        bar = QHBoxLayout()
        bar.setContentsMargins(2, 2, 2, 2)
        bar.addWidget(self.play_button)
        bar.addWidget(self.time_label)
        bar.addStretch(1)
        bar.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.waveform, 1)
        self.shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.player, self.output_problem = self._make_player()
        self._show_time()

    # -- set-up ----------------------------------------------------------------------------
    def _make_player(self) -> tuple[Any, str]:
        """A QMediaPlayer with an audio output, or ``None`` and why there is none."""
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        except ImportError as exc:  # the Qt build lacks QtMultimedia or its libraries
            log.warning("audio playback unavailable: %s", exc)
            return None, NO_OUTPUT
        if not QMediaDevices.audioOutputs():
            return None, NO_OUTPUT
        player = QMediaPlayer(self)
        output = QAudioOutput(self)
        player.setAudioOutput(output)
        player.positionChanged.connect(self._on_player_position)
        player.playbackStateChanged.connect(lambda _state: self._show_state())
        player.errorOccurred.connect(lambda _e, text: self.status.setText(text))
        player.mediaStatusChanged.connect(self._on_media_status)
        return player, ""

    # -- public API ------------------------------------------------------------------------
    def set_source(self, path: str | None, start: float = 0.0, end: float | None = None) -> None:
        """Load ``path`` (``None``: no audio), playing ``[start, end)`` seconds of it."""
        self._request += 1
        self.stop()
        self.path = path
        self.segment = (start, end)
        self.waveform.waveform = None
        self.waveform.position = start
        self.waveform.span = (start, end if end is not None else start)
        self.waveform.message = "No audio for this item" if path is None else "Loading audio…"
        self.play_button.setEnabled(path is not None and self.player is not None)
        self.status.setText(self.output_problem if path is not None else "")
        # A FIFO or a device would block the player and the waveform reader for ever.
        problem = regular_file_problem(path) if path is not None else None
        if self.player is not None:
            self.player.setSource(QUrl.fromLocalFile(path) if path and not problem else QUrl())
        self._show_time()
        self.waveform.update()
        if path is None:
            self.loaded.emit("")
            return
        if problem is not None:
            self.waveform.message = (f"Audio not found: {path}" if problem == "no such file"
                                     else f"Cannot play {path}: {problem}")
            self.play_button.setEnabled(False)
            self.loaded.emit(path)
            return
        run_task(load_waveform, self._request, path, start, end, on_done=self._on_waveform,
                 on_error=lambda exc: log.error("waveform failed: %s", exc))

    def set_words(self, words: list[Word]) -> None:
        """The timed words drawn on the waveform (clicking one plays from it)."""
        self.waveform.words = list(words)
        self.waveform.update()

    def position(self) -> float:
        """The play position in seconds of the audio file."""
        return self.waveform.position

    def is_playing(self) -> bool:
        if self.player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer

        return bool(self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState)

    def play_from(self, seconds: float) -> None:
        """Move to ``seconds`` (of the file) and play from there, where playback is possible."""
        start, end = self.segment
        seconds = max(seconds, start)
        if end is not None:
            seconds = min(seconds, end)
        self._set_position(seconds)
        if self.player is None or self.path is None:
            return
        self.player.setPosition(int(seconds * 1000))
        self.player.play()

    def toggle(self) -> None:
        """Play or pause."""
        if self.player is None or self.path is None:
            if self.path is not None:
                self.status.setText(self.output_problem)
            return
        if self.is_playing():
            self.player.pause()
            return
        start, end = self.segment
        at = self.position()
        if end is not None and at >= end - 0.01:
            at = start
        self.play_from(at)

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()

    def status_text(self) -> str:
        return self.status.text()

    # -- updates ---------------------------------------------------------------------------
    def _on_waveform(self, result: tuple[int, Waveform | None, str]) -> None:
        request, wave_data, message = result
        if request != self._request:
            return
        if wave_data is not None:
            self.waveform.waveform = wave_data
            if self.segment[1] is None:
                self.segment = (self.segment[0], wave_data.end)
            self.waveform.span = (wave_data.start, wave_data.end)
            self.waveform.message = ""
        else:
            self.waveform.message = message
        self._show_time()
        self.waveform.update()
        self.loaded.emit(self.path or "")

    def _on_media_status(self, status: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.LoadedMedia and self.segment[1] is None:
            end = self.player.duration() / 1000  # files the waveform reader cannot read
            self.segment = (self.segment[0], end)
            self.waveform.span = (self.segment[0], end)
            self._show_time()

    def _on_player_position(self, ms: int) -> None:
        seconds = ms / 1000
        end = self.segment[1]
        if end is not None and seconds >= end and self.is_playing():
            self.player.pause()  # the end of the item's segment
            seconds = end
        self._set_position(seconds)

    def _set_position(self, seconds: float) -> None:
        self.waveform.position = seconds
        self.waveform.update()
        self._show_time()
        self.positionChanged.emit(seconds)

    def _show_state(self) -> None:
        self.play_button.setText("⏸ Pause" if self.is_playing() else "▶ Play")

    def _show_time(self) -> None:
        start, end = self.segment
        length = (end - start) if end is not None else 0.0
        self.time_label.setText(f"{_clock(self.position() - start)} / {_clock(length)}")


def _clock(seconds: float) -> str:
    seconds = max(seconds, 0.0)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"
