"""The media view decodes images off the main thread and says why when it cannot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt, QThreadPool
from PySide6.QtGui import QImage, QWheelEvent
from pytestqt.qtbot import QtBot

from reviewer.core.items import Item
from reviewer.gui.media_view import MAX_SIDE, MediaView, decode_image
from reviewer.gui.session import ReviewSession


@pytest.fixture
def media_files(tmp_path: Path) -> dict[str, Path]:
    """A real PNG, a corrupt one, a wide one and a path that does not exist."""
    folder = tmp_path / "images"
    folder.mkdir()
    png = folder / "line.png"
    Image.new("RGB", (64, 32), (200, 30, 30)).save(png)
    corrupt = folder / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10)
    wide = folder / "wide.png"
    Image.new("L", (MAX_SIDE + 200, 8), 128).save(wide)
    return {"png": png, "corrupt": corrupt, "wide": wide, "missing": folder / "gone.png"}


@pytest.fixture
def media_session(make_review_session: Callable[..., ReviewSession],
                  media_files: dict[str, Path]) -> ReviewSession:
    items = [Item(name, "text", str(path)) for name, path in media_files.items()]
    items.append(Item("none", "text"))
    return make_review_session(items, {"sys": {i.id: "text" for i in items}}, name="media.db")


def show(qtbot: QtBot, view: MediaView, session: ReviewSession, item: str) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000) as loaded:
        session.set_current_item(item)
    assert loaded.args == [item]


def make_view(qtbot: QtBot, session: ReviewSession) -> MediaView:
    view = MediaView(session)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_png_is_shown_fitted_to_the_width(qtbot: QtBot, media_session: ReviewSession) -> None:
    view = make_view(qtbot, media_session)
    show(qtbot, view, media_session, "png")
    assert view.has_image() and view.status_text() == ""
    pixmap = view._pixmap_item.pixmap()  # type: ignore[union-attr]
    assert (pixmap.width(), pixmap.height()) == (64, 32)
    scale = view.view.transform().m11()
    assert 64 * scale == pytest.approx(view.view.viewport().width(), abs=2)
    # Ctrl+wheel zooms and stops fitting; "Fit width" fits again.
    wheel = QWheelEvent(QPointF(20, 20), QPointF(view.view.mapToGlobal(QPoint(20, 20))),
                        QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.view.wheelEvent(wheel)
    assert not view.fitting
    assert view.view.transform().m11() == pytest.approx(scale * 1.25)
    view.fit_button.click()
    assert view.fitting and view.view.transform().m11() == pytest.approx(scale)


def test_placeholders_say_why_there_is_no_image(qtbot: QtBot, media_session: ReviewSession,
                                                media_files: dict[str, Path]) -> None:
    view = make_view(qtbot, media_session)
    show(qtbot, view, media_session, "none")
    assert view.status_text() == "No image for this item" and not view.has_image()
    show(qtbot, view, media_session, "missing")
    assert view.status_text() == f"Image not found: {media_files['missing']}"
    assert view.placeholder.text() == view.status_text()
    show(qtbot, view, media_session, "corrupt")
    assert view.status_text().startswith(f"Cannot show {media_files['corrupt']}: ")
    assert not view.has_image()


def test_oversized_images_are_refused(qtbot: QtBot, media_session: ReviewSession,
                                      media_files: dict[str, Path],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, media_session)
    # Far over the limit: Pillow itself raises DecompressionBombError.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500)
    show(qtbot, view, media_session, "png")
    assert view.status_text().startswith(f"Cannot show {media_files['png']}: ")
    assert "decompression bomb" in view.status_text()
    # Just over the limit, where Pillow only warns: refused as well.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 64 * 32 - 1)
    with pytest.warns(Image.DecompressionBombWarning):
        image, message, _ = decode_image(str(media_files["png"]))
    assert image is None and "64×32 pixels is more than the 2,047-pixel limit" in message
    assert not view.has_image()


def test_large_images_are_downscaled(qtbot: QtBot, media_session: ReviewSession) -> None:
    view = make_view(qtbot, media_session)
    show(qtbot, view, media_session, "wide")
    pixmap = view._pixmap_item.pixmap()  # type: ignore[union-attr]
    assert pixmap.width() == MAX_SIDE
    assert "shown reduced" in view.info.text()


def test_a_late_result_for_a_previous_item_is_ignored(qtbot: QtBot,
                                                      media_session: ReviewSession) -> None:
    view = make_view(qtbot, media_session)
    with qtbot.waitSignal(view.loaded) as loaded:
        media_session.set_current_item("wide")
        media_session.set_current_item("none")
    assert loaded.args == ["none"]
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)
    assert view.status_text() == "No image for this item" and not view.has_image()


def test_modes_become_rgb_or_grey(tmp_path: Path) -> None:
    cases = {"rgba": Image.new("RGBA", (4, 3), (0, 0, 0, 0)),
             "grey16": Image.new("I;16", (4, 3), 65535),
             "palette": Image.new("P", (4, 3), 3),
             "bilevel": Image.new("1", (4, 3), 1)}
    formats = {}
    for name, image in cases.items():
        path = tmp_path / f"{name}.png"
        image.save(path)
        qimage, message, size = decode_image(str(path))
        assert qimage is not None and message == "" and size == (4, 3)
        formats[name] = qimage.format()
        if name == "rgba":
            assert qimage.pixelColor(0, 0).name() == "#ffffff"  # transparent shows as paper
        if name == "grey16":
            assert qimage.pixelColor(0, 0).name() == "#ffffff"
    assert formats == {"rgba": QImage.Format.Format_RGB888,
                       "grey16": QImage.Format.Format_Grayscale8,
                       "palette": QImage.Format.Format_RGB888,
                       "bilevel": QImage.Format.Format_Grayscale8}


def test_an_image_loads_while_long_background_work_holds_threads(
        qtbot: QtBot, media_session: ReviewSession) -> None:
    """A large project's ranking and statistics each hold a thread of the pool for minutes
    (waiting for their child processes): an item's image still loads meanwhile."""
    import threading

    from reviewer.gui.tasks import run_task

    view = make_view(qtbot, media_session)
    release = threading.Event()
    long_tasks = 3  # ranking, statistics, text index: more than a 2-core machine's threads
    for _ in range(long_tasks):
        run_task(lambda progress: release.wait(30), on_done=lambda _: None,
                 on_error=lambda _: None)
    try:
        show(qtbot, view, media_session, "png")
        assert view.has_image() and not release.is_set()
    finally:
        release.set()
        QThreadPool.globalInstance().waitForDone(10_000)
