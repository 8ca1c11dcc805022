"""Finding the messages of a mailbox in a stream of bytes, and the header block of each.

Bodies are never read into Python: the splitter looks for the next separator with
``bytes.find``, which runs in C, and drops what it has passed, so memory stays at a few
chunks whatever the file's size (a Takeout mbox is often tens of GB). A plain file is read
mapped in memory instead of in chunks (flows/mail_read.py), by the same code. Only header
blocks (separator to the first empty line) are handed on.

A ``From `` line is a separator only where mail clients agree one is (mail-formats.md §1):
at the start of the file, or after an empty line, and followed by header lines; a line in
Gmail Takeout's or the classic asctime form needs only a header line after it. So an
unescaped ``From the desk of ...`` in a body, or a quoted mbox, does not cut a message in
two. CRLF, LF and mixed files are all read; a UTF-8 BOM before the first separator is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

MAX_SEPARATOR_LINE = 1000  # longer is not a separator line (RFC 5322 caps lines at 998)
MAX_HEADER_BLOCK = 1 << 20  # a header block over 1 MB is not mail headers (the message is rejected)
_LOOKAHEAD = 8192  # bytes after a candidate separator that are enough to check it
_FORGET_EVERY = 64 << 20  # a mapped file gives back the pages it passed, this many bytes at a time

_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")  # a field name and its colon (RFC 5322 §2.2)
# Takeout: "From 1653361048457583436@xxx Thu Dec 19 15:06:07 +0000 2019";
# asctime: "From god@heaven.af.mil Sat Jan  3 01:05:34 1996", "From - Sun Apr 07 22:47:11 2013"
_STRICT_SEPARATOR = re.compile(
    rb"From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d\d:\d\d(?::\d\d)?(?: [+-]\d{4})? \d{4}[ \t]*\r?\Z")


@dataclass(slots=True)
class RawMessage:
    """One message as found: where it starts and its header block (bytes, line ends as written)."""

    ordinal: int  # 1-based among the file's messages
    line_no: int  # physical line of the separator (or of the first header in an .eml)
    separator: bytes  # the ``From `` line without its line end; b"" for an .eml
    headers: bytes | None  # None when the message is broken (``problem`` says why)
    problem: str | None = None


class _Stream:
    """A window on a stream of chunks, addressed by absolute offsets in the stream.

    ``buf`` holds the bytes from offset ``base``; ``release`` says everything before an
    offset is no longer needed, and the next ``more`` drops it (one copy per chunk, not per
    message). Lines are counted as the window moves, so every separator knows its line."""

    def __init__(self, chunks: Iterable[bytes], base: int = 0, mark: int | None = None, whole=None,
                 forget=None):
        self._chunks = iter(chunks)
        self.buf = b"" if whole is None else whole  # ``whole``: the file mapped in memory, no copies
        self.base = base if whole is None else 0  # offset of buf[0] in the file
        self.eof = whole is not None
        self._forget = forget  # called with an offset: the mapped pages before it are not needed again
        self._forgotten = 0
        self._floor = base  # bytes before this offset may be dropped
        self._lines = 0  # newlines between base and offset _counted
        self._counted = base
        self._mark = mark  # an offset whose line count the caller wants (the end of a range)
        self.lines_at_mark: int | None = None

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def more(self) -> bool:
        for chunk in self._chunks:
            if chunk:
                cut = self._floor - self.base
                if cut > 0:
                    self._count_to(self._floor)
                    self.buf = self.buf[cut:] + chunk
                    self.base = self._floor
                else:
                    self.buf += chunk
                return True
        self.eof = True
        return False

    def ensure(self, end: int) -> None:
        """Read until the window reaches offset ``end`` or the stream ends."""
        while self.end < end and not self.eof:
            self.more()

    def release(self, offset: int) -> None:
        if offset > self._floor:
            self._floor = offset
            if self._forget is not None and offset - self._forgotten > _FORGET_EVERY:
                self._count_to(offset)
                self._forget(offset)
                self._forgotten = offset

    def _count(self, start: int, end: int) -> int:
        if self._forget is None:
            return self.buf.count(b"\n", start - self.base, end - self.base)
        return self.buf[start - self.base:end - self.base].count(b"\n")  # a mapped file has no count()

    def _count_to(self, offset: int) -> None:
        if offset > self._counted:
            mark = self._mark
            if mark is not None and self._counted < mark <= offset:
                self.lines_at_mark = self._lines + self._count(self._counted, mark)
            self._lines += self._count(self._counted, offset)
            self._counted = offset

    def lines_before(self, offset: int) -> int:
        """Newlines between ``base`` and ``offset`` (``offset`` at or after what was counted)."""
        self.ensure(offset)
        self._count_to(min(offset, self.end))
        return self.lines_at_mark if offset == self._mark and self.lines_at_mark is not None else self._lines

    def line_at(self, offset: int) -> int:
        """1-based line number at ``offset`` (at or after everything asked before)."""
        self._count_to(offset)
        return self._lines + 1

    def find(self, pattern: bytes, start: int, end: int | None = None) -> int:
        stop = len(self.buf) if end is None else max(min(end - self.base, len(self.buf)), 0)
        i = self.buf.find(pattern, start - self.base, stop)
        return i + self.base if i >= 0 else -1

    def slice(self, start: int, end: int) -> bytes:
        return self.buf[start - self.base:end - self.base]

    def byte(self, offset: int) -> int:
        i = offset - self.base
        return self.buf[i] if 0 <= i < len(self.buf) else -1

    def match(self, pattern: re.Pattern, start: int, end: int | None = None) -> re.Match | None:
        stop = len(self.buf) if end is None else end - self.base
        return pattern.match(self.buf, start - self.base, stop)


def is_mbox(head: bytes) -> bool:
    """Does the file start like an mbox: a ``From `` line, then header lines?"""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    text = text.lstrip(b"\r\n")
    if not text.startswith(b"From "):
        return False
    end = text.find(b"\n")
    return 0 < end <= MAX_SEPARATOR_LINE and bool(_HEADER_LINE.match(text, end + 1))


def is_message(head: bytes) -> bool:
    """Does the file start like one RFC 5322 message (an .eml): header lines naming a
    sender and a date or a message id, before the first empty line?"""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    block = _header_block(text.lstrip(b"\r\n"), 0)
    if block is None or not _HEADER_LINE.match(block):
        return False
    names = set()
    for line in block.split(b"\n"):
        if not line.strip() or line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False  # a line that is neither a field nor a continuation: not a header block
        names.add(match.group().rstrip(b": \t").lower())
    return b"from" in names and bool(names & {b"date", b"message-id", b"received", b"subject", b"to"})


def _header_block(buf: bytes, start: int, end: int | None = None) -> bytes | None:
    """The header block starting at ``start``: up to the first empty line (CRLF or LF),
    or None when no empty line comes before ``end``."""
    stop = len(buf) if end is None else end
    lf = buf.find(b"\n\n", start, stop)
    crlf = buf.find(b"\n\r\n", start, stop)
    if lf < 0 and crlf < 0:
        return None
    cut = lf if crlf < 0 or (0 <= lf < crlf) else crlf
    return buf[start:cut + 1]


def split_message(data: bytes) -> RawMessage:
    """The header block of a single message (an .eml file's bytes)."""
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    skipped = len(text) - len(text.lstrip(b"\r\n"))
    line = text.count(b"\n", 0, skipped) + 1
    text = text[skipped:]
    block = _header_block(text, 0, MAX_HEADER_BLOCK)
    if block is None:
        if len(text) > MAX_HEADER_BLOCK:
            return RawMessage(1, line, b"", None, "broken message: no end of the header block in its first MB")
        block = text  # headers only, no body
    return RawMessage(1, line, b"", block)


def split_mbox(chunks: Iterable[bytes]) -> Iterator[RawMessage]:
    """Every message of an mbox, in file order, as its header block.

    A message whose header block has no end within MAX_HEADER_BLOCK is yielded with a
    ``problem`` (and the search goes on at the next separator); so is a separator followed
    by nothing at the end of a truncated file."""
    s = _Stream(chunks)
    s.ensure(_LOOKAHEAD)
    yield from _from_file_start(s, None)


class MboxRange:
    """The messages whose separator line starts in [base + 2, end) of a file read from
    offset ``base`` (two bytes early, to see whether a blank line comes before; 0 for the
    first range), numbered from 1, with line numbers counted from ``base``; once they have
    all been read, ``lines`` holds the newlines in [base, mark). A file read by several
    processes is cut this way.

    ``whole`` is the file itself mapped in memory (then ``chunks`` is empty; ``forget(offset)``
    lets the caller give back the pages before ``offset``). Messages are yielded one by one:
    a caller that keeps only what it reads of each holds no header block for long."""

    def __init__(self, chunks: Iterable[bytes], base: int, end: int, mark: int, whole=None, forget=None):
        self._stream = _Stream(chunks, base, mark=mark, whole=whole, forget=forget)
        self._base, self._end, self._mark = base, end, mark
        self.lines: int | None = None

    def __iter__(self) -> Iterator[RawMessage]:
        s = self._stream
        s.ensure(self._base + _LOOKAHEAD)
        if self._base == 0:
            yield from _from_file_start(s, self._end)
        else:
            first = _next_separator(s, self._base + 1)
            if first is not None and first < self._end:
                yield from _messages(s, first, self._end)
        self.lines = s.lines_before(self._mark)


def _from_file_start(s: _Stream, end: int | None) -> Iterator[RawMessage]:
    """The messages from the first separator, after a BOM and blank lines; none when the
    file does not start with one."""
    start = 3 if s.slice(0, 3) == b"\xef\xbb\xbf" else 0
    while start < s.end and s.byte(start) in (10, 13):
        start += 1
    if s.slice(start, start + 5) == b"From ":
        yield from _messages(s, start, end)


def _messages(s: _Stream, start: int | None, end: int | None) -> Iterator[RawMessage]:
    """The messages from the separator at ``start`` on, up to a separator at ``end``."""
    ordinal = 0
    while start is not None and (end is None or start < end):
        ordinal += 1
        s.release(start)
        line_no = s.line_at(start)
        s.ensure(start + MAX_SEPARATOR_LINE + 2)
        eol = s.find(b"\n", start, start + MAX_SEPARATOR_LINE + 1)
        if eol < 0:  # the file ends inside the separator line, or it is no separator line
            separator = s.slice(start, start + MAX_SEPARATOR_LINE).rstrip(b"\r")
            yield RawMessage(ordinal, line_no, separator, None, "truncated: the mailbox ends in a separator line"
                             if s.eof and s.end - start <= MAX_SEPARATOR_LINE else "broken separator line")
            start = _next_separator(s, start + 1)
            continue
        separator = s.slice(start, eol).rstrip(b"\r")
        crlf = s.byte(eol - 1) == 13
        block, resume = _read_headers(s, eol + 1, crlf)
        if block is None:
            yield RawMessage(ordinal, line_no, separator, None, _problem(s, eol + 1))
            resume = eol + 1
        else:
            yield RawMessage(ordinal, line_no, separator, block)
        s.release(resume)
        start = _next_separator(s, resume)


def _problem(s: _Stream, at: int) -> str:
    if s.eof and s.end - at < MAX_HEADER_BLOCK:
        return "truncated: the mailbox ends inside this message's headers"
    return "broken message: no end of the header block in its first MB"


def _block_end(s: _Stream, start: int, end: int, crlf: bool) -> int:
    """Offset of the empty line ending a header block, or -1: the file's own line end is
    looked for first (the other one only before it), so a CRLF file is not scanned for LF LF."""
    first, other = (b"\n\r\n", b"\n\n") if crlf else (b"\n\n", b"\n\r\n")
    cut = s.find(first, start, end)
    alt = s.find(other, start, cut if cut >= 0 else end)
    return alt if alt >= 0 else cut


def _read_headers(s: _Stream, start: int, crlf: bool) -> tuple[bytes | None, int]:
    """The header block at ``start`` and where to look for the next separator. A block that
    runs into the next separator (a message with headers only) ends there."""
    window = 64 << 10
    while True:
        s.ensure(start + window)
        end = min(s.end, start + window)
        cut = _block_end(s, start, end, crlf)
        stop = cut + 1 if cut >= 0 else end
        nxt = s.find(b"\nFrom ", start, stop)
        while nxt >= 0 and not _is_separator(s, nxt):
            nxt = s.find(b"\nFrom ", nxt + 1, stop)
        if nxt >= 0:
            return s.slice(start, nxt + 1), nxt
        if cut >= 0:
            return s.slice(start, cut + 1), cut + 1
        if s.eof and end >= s.end:
            # a message with headers and no body at the end of the file
            tail = s.slice(start, s.end)
            return (tail, s.end) if tail.strip() and _HEADER_LINE.match(tail) else (None, s.end)
        if window >= MAX_HEADER_BLOCK:
            return None, start
        window *= 4


def _next_separator(s: _Stream, i: int) -> int | None:
    """Offset of the next separator line at or after i, or None at the end."""
    while True:
        idx = s.find(b"\nFrom ", i)
        if idx < 0:
            if s.eof:
                return None
            i = max(s.end - 8, i)  # a separator may straddle two chunks
            s.release(i - 2)
            s.more()
            continue
        if _is_separator(s, idx):
            return idx + 1
        i = idx + 1


def _is_separator(s: _Stream, idx: int) -> bool:
    """Is the line after the newline at ``idx`` a message separator? (See the module doc.)"""
    s.ensure(idx + _LOOKAHEAD)
    eol = s.find(b"\n", idx + 1, idx + 2 + MAX_SEPARATOR_LINE)
    if eol < 0 or not s.match(_HEADER_LINE, eol + 1):
        return False
    if s.match(_STRICT_SEPARATOR, idx + 1, eol):
        return True
    before, before2 = s.byte(idx - 1), s.byte(idx - 2)
    after_blank = before == 10 or (before == 13 and before2 == 10) or before < 0
    if not after_blank:
        return False
    second = s.find(b"\n", eol + 1, eol + 2 + MAX_SEPARATOR_LINE)
    return second >= 0 and (s.byte(second + 1) in (32, 9) or bool(s.match(_HEADER_LINE, second + 1)))
