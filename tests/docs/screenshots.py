"""Screenshots for the guide: written into resources/docs/images only when the picture really changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.help.pages import guide_folder

IMAGES = guide_folder() / "images"
# A picture is rewritten when more than this share of it changed (seen at 1/8 scale): a new layout, a renamed
# button or another colour does; the day's date, a clock time or a pixel of anti-aliasing do not, so the
# committed pictures do not churn with every run.
CHANGED_SHARE = 0.004
CHANNEL_STEP = 48  # of 255: a smaller difference in a downscaled pixel is not a change


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def grab(widget: QWidget, region: QRect | None = None) -> QImage:
    settle()
    pixmap = widget.grab(region) if region is not None else widget.grab()
    return pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)


def changed_share(old: QImage, new: QImage) -> float:
    """The share of the picture (at 1/8 scale) that differs visibly; 1.0 when the sizes differ."""
    if old.size() != new.size():
        return 1.0
    width, height = max(1, new.width() // 8), max(1, new.height() // 8)

    def small(image: QImage) -> bytes:
        scaled = image.convertToFormat(QImage.Format.Format_RGB32).scaled(
            width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        bits, stride = bytes(scaled.constBits()), scaled.bytesPerLine()
        return b"".join(bits[y * stride: y * stride + width * 4] for y in range(height))

    before, after = small(old), small(new)
    differing = sum(
        1 for i in range(0, len(after), 4)
        if max(abs(before[i + c] - after[i + c]) for c in range(3)) > CHANNEL_STEP
    )
    return differing / (width * height)


def save_screenshot(widget: QWidget, name: str, region: QRect | None = None) -> QImage:
    """Grab `widget` (or a `region` of it) and keep it as images/`name` unless the picture there shows the same."""
    image = grab(widget, region)
    assert not image.isNull() and image.width() > 200 and image.height() > 100, name
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 3, f"{name} is blank"
    path: Path = IMAGES / name
    if path.exists():
        kept = QImage(str(path))
        if not kept.isNull() and changed_share(kept, image) <= CHANGED_SHARE:
            return image
    IMAGES.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path), "PNG"), path
    return image
