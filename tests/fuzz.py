"""Damaged files for the upload tests: byte flips, truncation and damaged compressed data,
the three ways a file breaks on its way from a school's computer (issue 11, item 5)."""

from __future__ import annotations

import io
import random
import zipfile

from PIL import Image


def mutations(data: bytes, count: int, seed: int) -> list[bytes]:
    """`count` damaged copies of `data`, the same ones for the same seed."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        buf = bytearray(data)
        kind = n % 3
        if kind == 0:  # flip a few bytes
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] ^= rng.randint(1, 255)
        elif kind == 1:  # truncate
            buf = buf[: rng.randrange(1, len(buf))]
        else:  # damage the compressed data of a member (CRC errors, zlib errors)
            start = rng.randrange(30, max(31, len(buf) // 2))
            for i in range(start, min(len(buf), start + 16)):
                buf[i] = rng.randrange(256)
        out.append(bytes(buf))
    return out


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "текст " * 200 + "</w:document>")
    return out.getvalue()
