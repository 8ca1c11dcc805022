"""Decode export bytes to text the way the exporting apps actually wrote them.

LinkedIn writes UTF-8 without a BOM; Google's legacy CSV is UTF-16LE with a BOM; Excel
re-saves can be cp1252. Binary junk is refused here, before any parser sees it.
"""

from __future__ import annotations

import codecs

from transforms.records import ExportError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> str:
    """Text of an export file: BOM first, then UTF-16 without BOM, UTF-8, and cp1252 last."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strip_bom(_strict(data[len(bom):], encoding.replace("-sig", "")))
    utf16 = _sniff_utf16(data)
    if utf16:
        return _strict(data, utf16)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise ExportError(f"binary data, not a text export (a NUL byte at offset {offset})",
                          line_no=data.count(b"\n", 0, offset) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise ExportError("binary data, not a text export (mostly control characters)", line_no=1)
    return text


def _strict(data: bytes, encoding: str) -> str:
    """Text in the encoding the file declares (a BOM) or plainly shows (UTF-16's NULs)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        newline = "\n".encode(encoding)
        line = data[: exc.start].count(newline) + 1
        raise ExportError(f"not valid {encoding.upper()} text ({exc.reason} at byte {exc.start}), "
                          "though the file starts like it", line_no=line) from None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM (old macOS Address Book): every other byte of ASCII text is NUL."""
    head = data[:400]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    replaced = sample.count("\ufffd")
    return (control + replaced) > 0.05 * len(sample)
