"""A tiny raster canvas (numpy RGB) and a PNG writer (zlib), for report plots without matplotlib.

Enough for a reliability diagram: filled rectangles, lines, and tick labels drawn with a 3x5 pixel
font of the characters ``0-9 .``. The PNG is 8-bit RGB, one IDAT chunk, filter 0 on every row.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

Color = tuple[int, int, int]

# 3x5 glyphs, rows top to bottom, "1" = ink.
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "001", "001", "001"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
    ".": ("000", "000", "000", "000", "010"), " ": ("000",) * 5,
}


class Canvas:
    def __init__(self, width: int, height: int, background: Color = (255, 255, 255)):
        self.px = np.empty((height, width, 3), np.uint8)
        self.px[:] = background

    @property
    def height(self) -> int:
        return self.px.shape[0]

    @property
    def width(self) -> int:
        return self.px.shape[1]

    def rect(self, x0: float, y0: float, x1: float, y1: float, color: Color) -> None:
        """Fill pixels [x0, x1) x [y0, y1) (clipped; corners in any order)."""
        xa, xb = sorted((int(round(x0)), int(round(x1))))
        ya, yb = sorted((int(round(y0)), int(round(y1))))
        xa, ya = max(xa, 0), max(ya, 0)
        xb, yb = min(xb, self.width), min(yb, self.height)
        if xa < xb and ya < yb:
            self.px[ya:yb, xa:xb] = color

    def line(self, x0: float, y0: float, x1: float, y1: float, color: Color, width: int = 1) -> None:
        n = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        h = width // 2
        for t in np.linspace(0.0, 1.0, n + 1):
            x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            self.rect(x - h, y - h, x - h + width, y - h + width, color)

    def text(self, x: int, y: int, s: str, color: Color = (0, 0, 0), scale: int = 2) -> None:
        """Top-left at (x, y); unknown characters are left blank."""
        for i, ch in enumerate(s):
            for r, row in enumerate(GLYPHS.get(ch, GLYPHS[" "])):
                for c, bit in enumerate(row):
                    if bit == "1":
                        gx = x + (i * 4 + c) * scale
                        self.rect(gx, y + r * scale, gx + scale, y + (r + 1) * scale, color)

    def png(self) -> bytes:
        return encode_png(self.px)

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_bytes(self.png())
        return p


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 array as PNG bytes."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, c = rgb.shape
    if c != 3:
        raise ValueError("encode_png expects an (H, W, 3) RGB array")
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, w * 3)], axis=1).tobytes()
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit, truecolour, deflate, no filter, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def decode_png(data: bytes) -> np.ndarray:
    """Read back what ``encode_png`` writes (checks signature and CRCs; filter 0 only)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"PNG chunk {kind!r}: bad CRC")
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * 3)
    if rows[:, 0].any():
        raise ValueError("decode_png reads filter type 0 only")
    return rows[:, 1:].reshape(h, w, 3)
