"""Renders resources/icons/infusion-charge.svg to the PNG, ICO (Windows) and ICNS (macOS) icons the bundles use.

Run after editing the SVG: `QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py`.
The generated files are committed, so a build needs neither this script nor an image tool.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "infusion-charge.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS chunk types holding PNG data, by pixel size (ic11-ic14 are the @2x variants Finder also reads).
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
              (b"ic10", 1024))


def png_bytes(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, payload = b"", b""
    for size, png in images.items():
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns(images: dict[bytes, bytes]) -> bytes:
    chunks = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images.items())
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    cache = {size: png_bytes(renderer, size) for size in {*ICO_SIZES, *(s for _, s in ICNS_TYPES)}}
    (ICONS / "infusion-charge.png").write_bytes(cache[256])
    (ICONS / "infusion-charge-512.png").write_bytes(cache[512])
    (ICONS / "infusion-charge.ico").write_bytes(ico({size: cache[size] for size in ICO_SIZES}))
    (ICONS / "infusion-charge.icns").write_bytes(icns({kind: cache[size] for kind, size in ICNS_TYPES}))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
