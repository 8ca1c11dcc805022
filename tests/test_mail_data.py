"""The synthetic mailbox generator's own checks: the same seed gives the same bytes, its
separators are exactly its messages, Python's mailbox reads it back (over-counting exactly
the planted unescaped 'From ' lines), its quirks decode to the recorded values, and its .eml
files parse."""

from __future__ import annotations

import hashlib
import mailbox
import re
import sys
from email import policy
from email.header import decode_header
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import mail_data  # noqa: E402

N = 300


@pytest.fixture(scope="module")
def takeout(tmp_path_factory) -> tuple[Path, mail_data.MboxTruth]:
    path = tmp_path_factory.mktemp("mail") / "takeout.mbox"
    return path, mail_data.write_mbox(path, N, seed=3)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_bytes(takeout, tmp_path):
    path, truth = takeout
    again = mail_data.write_mbox(tmp_path / "again.mbox", N, seed=3)
    other = mail_data.write_mbox(tmp_path / "other.mbox", N, seed=4)
    assert digest(tmp_path / "again.mbox") == digest(path)
    assert again.to_json() == truth.to_json().replace(str(path), str(tmp_path / "again.mbox"))
    assert digest(tmp_path / "other.mbox") != digest(path)
    assert truth.bytes_written == path.stat().st_size


def test_truth_adds_up(takeout):
    _, truth = takeout
    assert truth.messages == N == len(truth.kinds)
    assert truth.sent + truth.received == N
    assert truth.sent > 0 and truth.list_mail > 0 and truth.automatic > truth.auto_replies > 0
    assert truth.spam and truth.trash and truth.chat and truth.many_recipients
    assert truth.with_attachment == round(0.1 * N)
    assert truth.owner not in truth.correspondents
    assert not truth.inbound_only & truth.correspondents
    assert truth.inbound_only_people <= truth.inbound_only
    assert all(truth.quirks[name] for name in mail_data.QUIRKS), "every quirk is planted at least once"


def test_separators_are_the_messages(takeout):
    path, truth = takeout
    data = path.read_bytes()
    assert data.startswith(b"From ") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    strict = mail_data.SEPARATOR_RE["takeout"].findall(data)
    assert len(strict) == truth.messages
    # every separator's number is a Gmail ID whose top bits are its own time, to the second
    first = re.match(rb"From (\d+)@xxx", data).group(1)
    assert (int(first) >> 20) // 1000 >= mail_data.START
    # a naive split also cuts at the planted body lines "From the desk of ..."
    naive = data.count(b"\nFrom ") + 1
    # ASCII, as Python's mailbox.mbox decodes every "From " line as ASCII (and raises otherwise)
    assert all(line.isascii() for line in re.findall(rb"\nFrom [^\r\n]*", data))
    assert truth.unescaped_from_lines == len(truth.quirks["unescaped_from"]) > 0
    assert naive == truth.messages + truth.unescaped_from_lines


def test_python_mailbox_over_counts_exactly_the_unescaped_lines(takeout):
    path, truth = takeout
    box = mailbox.mbox(path, create=False)
    try:
        assert len(box) == truth.messages + truth.unescaped_from_lines
        senders = [msg.get("From") for msg in box]
    finally:
        box.close()
    # the extra "messages" are body halves, with no From header
    assert sum(s is None for s in senders) == truth.unescaped_from_lines


@pytest.mark.parametrize("separator", ["thunderbird", "asctime"])
def test_lf_files_with_other_separators(tmp_path, separator):
    path = tmp_path / f"{separator}.mbox"
    truth = mail_data.write_mbox(path, 200, seed=5, crlf=False, separator=separator)
    data = path.read_bytes()
    assert b"\r\n" not in data
    assert len(mail_data.SEPARATOR_RE[separator].findall(data)) == truth.messages == 200
    assert b"X-Gmail-Labels" not in data and truth.spam == truth.trash == truth.chat == 0
    box = mailbox.mbox(path, create=False)
    try:
        assert len(box) == truth.messages + truth.unescaped_from_lines
    finally:
        box.close()


def _blocks(path: Path) -> list[bytes]:
    data = path.read_bytes()
    starts = [m.start() for m in mail_data.SEPARATOR_RE["takeout"].finditer(data)] + [len(data)]
    return [data[a:b] for a, b in zip(starts, starts[1:])]


def _decoded(value: str) -> str:
    """RFC 2047 words decoded as a careful reader should: latin-1 labels read as cp1252."""
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            parts.append(chunk)
        else:
            latin = charset in ("iso-8859-1", "latin1", "us-ascii")
            parts.append(chunk.decode("cp1252" if latin else charset or "ascii"))
    return "".join(parts)


def test_quirks_carry_the_recorded_values(takeout):
    path, truth = takeout
    blocks = _blocks(path)
    parser = BytesHeaderParser(policy=policy.compat32)
    for i, expected in truth.expected.items():
        head = parser.parsebytes(blocks[i].split(b"\n", 1)[1])
        for key, want in expected.items():
            if key == "subject":
                got = _decoded(str(head["Subject"]).replace("\r\n", "").replace("\n", ""))
            elif key == "labels":
                got = _decoded(str(head["X-Gmail-Labels"]))
            else:
                raw = blocks[i].split(b"\r\nFrom: ", 1)[1].split(b" <", 1)[0].replace(b"\r\n", b"")
                got = _decoded(raw.decode("utf-8"))
            assert got.replace("  ", " ") == want, (i, key)
    for i in truth.quirks["no_date"]:
        assert not re.search(rb"\r\nDate: ", blocks[i].split(b"\r\n\r\n", 1)[0])
    for i in truth.quirks["header_case"]:
        assert b"\r\nMessage-Id: " in blocks[i]
    for i in truth.quirks["undisclosed_recipients"]:
        assert b"\r\nTo: undisclosed-recipients:;\r\n" in blocks[i]


def test_eml_folder_parses(tmp_path):
    truth = mail_data.write_eml_folder(tmp_path / "eml", 60, seed=2)
    files = sorted((tmp_path / "eml").glob("*.eml"))
    assert len(files) == truth.messages == 60
    endings = set()
    for f in files:
        data = f.read_bytes()
        assert not data.startswith(b"From ")
        endings.add(b"\r\n" in data)
        msg = BytesParser(policy=policy.default).parsebytes(data)
        assert msg["From"] and msg["Subject"] is not None and msg.get_body() is not None
    assert endings == {True, False}, "a mix of CRLF and LF files"
    assert truth.sent == sum(1 for f in files if b"\nFrom: Mara Lindqvist <" in f.read_bytes())
