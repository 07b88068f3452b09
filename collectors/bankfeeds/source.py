"""Reading feed files: bytes to text with a byte-order mark removed and line endings unified."""

from __future__ import annotations

from pathlib import Path


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
