"""Reading feed files: bytes to text with a byte-order mark removed and line endings unified."""

from __future__ import annotations

from pathlib import Path

_UTF8 = frozenset({"utf-8", "utf8", "utf_8"})


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM dropped), else Windows-1252 as Indonesian bank exports use.

    CRLF and CR line endings become ``\\n``.
    """
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf8_lines(data: bytes, encoding: str = "utf-8") -> bytes:
    """Bytes a UTF-8 line reader takes: Windows-1252 text (not valid UTF-8 although ``encoding`` says
    so) re-encoded, and CR-only line endings made ``\\n``. A file that is ASCII with ``\\n`` or
    CRLF line endings, as large exports are, is returned as it is without being decoded.
    """
    if encoding.lower() in _UTF8 and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace").encode("utf-8")
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")
    return data
