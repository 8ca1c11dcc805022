"""Reading mailboxes from disk: the I/O around transforms.mail (which never sees a file).

An mbox is read in chunks, and one of several GB is read by two processes at once, each
from its own half of the file (a message belongs to the half its separator line starts in),
because reading headers is CPU-bound Python and the machine has more than one core.
"""

from __future__ import annotations

import mmap
import os
import pickle
import subprocess
import sys
from pathlib import Path

from flows.sources import Source
from transforms import mail
from transforms.mail_split import MboxRange
from transforms.records import ExportError, ParseContext, ParseResult

PARALLEL_FROM_BYTES = 256 << 20  # below this, starting a second process costs more than it saves
CHUNK = 8 << 20


def read_messages(source: Source, fmt: str) -> mail.Mailbox:
    """The headers of every message of a mailbox file (``mail.MBOX``) or of one message
    (``mail.EML``)."""
    if fmt == mail.EML:
        with source.open() as handle:
            return mail.read_eml(handle.read())
    return read_mbox_messages(source)


def read_mbox_messages(source: Source) -> mail.Mailbox:
    """Every message's headers; a large plain file is read by two processes."""
    if source.member is not None:  # inside an archive: read as a stream
        return mail.read_mbox(source.chunks(CHUNK))
    workers = min(os.cpu_count() or 1, 2)
    if workers < 2 or source.size < PARALLEL_FROM_BYTES:
        return _read_range(str(source.path), 0, source.size + 1, source.size + 1)[0]
    size = source.size
    middle = size // 2
    # the second half in a child process of its own (python -m, so nothing of the parent's
    # state, threads or __main__ is inherited), its messages sent back pickled on stdout
    child = subprocess.Popen([sys.executable, "-m", "flows.mail_read", str(source.path), str(middle - 2),
                              str(size + 1)], stdout=subprocess.PIPE)
    try:
        first_half, lines_in_first = _read_range(str(source.path), 0, middle, middle - 2)
        second_half, _ = pickle.load(child.stdout)
    finally:
        child.stdout.close()
        if child.wait() != 0:
            raise ExportError(f"{source.display}: reading the second half of the mailbox failed")
    for m in second_half.messages:
        m.ordinal += first_half.read
        m.line_no += lines_in_first
    first_half.extend(second_half)
    return first_half


def _read_range(path: str, base: int, end: int, mark: int) -> tuple[mail.Mailbox, int]:
    """The messages whose separator starts before ``end``, reading from ``base`` (see
    split_mbox_range), and the newlines in [base, mark) (so the caller can number the next
    range's lines). The file is mapped, not copied, and the pages already read are given back
    as the reader moves on, so memory stays flat whatever the file's size."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return mail.Mailbox(), 0
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as whole:
            page = mmap.PAGESIZE

            def forget(offset: int) -> None:
                if hasattr(whole, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
                    whole.madvise(mmap.MADV_DONTNEED, 0, offset - offset % page)

            messages = MboxRange((), base, end, mark, whole=whole, forget=forget)
            box = mail.Mailbox()
            for raw in messages:
                box.add(mail.read_message(raw))
            return box, messages.lines


def read_path(path: Path, context: ParseContext | None = None) -> ParseResult:
    """Detect and read one mail file (for benchmarks and scripts)."""
    from transforms.detect import detect_mail

    source = Source(Path(path), explicit=True)
    fmt = detect_mail(source.head())
    if fmt is None:
        raise ExportError(f"{path}: not an mbox mailbox or an .eml message")
    return mail.build(read_messages(source, fmt.name), fmt.name, context or ParseContext())


if __name__ == "__main__":  # the second reader of a large mailbox (read_mbox_messages)
    _path, _base, _end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pickle.dump(_read_range(_path, _base, _end, _end), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
