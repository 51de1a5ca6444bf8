"""Small real files for tests that upload attachments: they open as what they claim
(gongkai.intake.files checks that), unlike a few magic bytes."""

from __future__ import annotations

import io
import struct
import zlib

__all__ = ["docx_bytes", "jpeg_bytes", "pdf_bytes", "png_bytes"]


def pdf_bytes(pages: int = 1, note: str = "") -> bytes:
    """A PDF of ``pages`` empty A4 pages, with a correct cross-reference table."""
    kids = " ".join(f"{3 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    if note:
        out.write(f"% {note}\n".encode())
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_bytes(payload: bytes = b"") -> bytes:
    """A 1×1 PNG carrying ``payload`` in a text chunk (so copies can differ)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"tEXt", b"id\x00" + payload)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(size: tuple[int, int] = (16, 16)) -> bytes:
    """A grey JPEG of ``size`` pixels."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", size, 128).save(out, format="JPEG")
    return out.getvalue()


def docx_bytes(text: str = "授权委托书") -> bytes:
    """A Word document with one paragraph (python-docx)."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
