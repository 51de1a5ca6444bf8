"""Hostile reports, made on the spot: a 2,000-page PDF, a .docx that is a ZIP bomb, a PDF whose
compressed content stream unpacks to hundreds of megabytes, and HTML nested 200,000 deep."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

MB = 1024 * 1024


def many_pages_pdf(path: Path, pages: int = 2000) -> Path:
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()
    return path


def docx_bomb(path: Path, megabytes: int = 300) -> Path:
    """A .docx whose document.xml unpacks to ``megabytes`` of zeros (about 1,000 : 1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * MB
            for _ in range(megabytes):
                part.write(chunk)
    return path


def nested_html(path: Path, depth: int = 200_000) -> Path:
    body = "<div>" * depth + "一、总体情况" + "</div>" * depth
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


def compressed_stream_pdf(path: Path, megabytes: int = 300) -> Path:
    """A one-page PDF whose FlateDecode content stream unpacks to ``megabytes`` of text
    operators (a few hundred KB on disk)."""
    operators = b"BT /F1 12 Tf 10 10 Td (1234567890) Tj ET\n"
    block = operators * (MB // len(operators))
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    path.write_bytes(out.getvalue())
    return path


def all_crafted(directory: Path) -> list[Path]:
    """The four hostile reports in ``directory``."""
    return [
        many_pages_pdf(directory / "两千页.pdf"),
        docx_bomb(directory / "压缩炸弹.docx"),
        nested_html(directory / "深层嵌套.html"),
        compressed_stream_pdf(directory / "压缩流.pdf"),
    ]
