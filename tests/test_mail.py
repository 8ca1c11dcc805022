"""Mailboxes: finding messages in an mbox, reading their headers, and who becomes a person.

Every mailbox here is a few literal messages reduced to one quirk of real files
(mail-formats.md); the whole path through ingest is in test_mail_ingest.py."""

from __future__ import annotations

from datetime import datetime

import pytest

from transforms import mail
from transforms.mail_headers import addresses, decode_words, parse_date, read_fields, text_of
from transforms.mail_split import MAX_HEADER_BLOCK, MboxRange, is_mbox, is_message, split_mbox
from transforms.records import ExportError, Owner, ParseContext

ME = "mara@northwind.example"


def message(sender: str, to: str, subject: str = "Hello", date: str = "Thu, 19 Dec 2019 07:06:07 -0800",
            extra: str = "", separator: str = "From 1653361048457583436@xxx Thu Dec 19 15:06:07 +0000 2019",
            body: str = "Hi,\n\nthanks\n", msg_id: str | None = None, eol: str = "\n") -> str:
    lines = [separator] if separator else []
    lines += [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    if date:
        lines.append(f"Date: {date}")
    if msg_id:
        lines.append(f"Message-ID: <{msg_id}>")
    lines += [line for line in extra.split("\n") if line]
    text = "\n".join(lines) + "\n\n" + body + "\n"
    return text.replace("\n", eol)


def chunks(data: bytes, size: int = 7):
    """A stream cut into tiny pieces: every boundary case of the splitter gets hit."""
    return [data[i:i + size] for i in range(0, len(data), size)]


def split(data: bytes, size: int = 7):
    return list(split_mbox(chunks(data, size)))


# --------------------------------------------------------------------------- splitting


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_separators_after_a_blank_line_and_before_headers_only(eol):
    """An unescaped 'From ' line in a body is not a message; a '>From ' line never is."""
    body = "Hi,\n\nFrom the desk of Ana: see below.\nregards\n\n>From the archive\nbye\n"
    data = (message("Ana <ana@x.example>", ME, body=body, eol=eol)
            + message("Bo <bo@x.example>", ME, separator="From - Sun Apr 07 22:47:11 2013", eol=eol)
            + message("Cy <cy@x.example>", ME, separator="From cy@x.example Sat Jan  3 01:05:34 1996",
                      eol=eol)).encode()
    raws = split(data)
    assert [mail.read_message(r).sender.email for r in raws] == ["ana@x.example", "bo@x.example", "cy@x.example"]
    assert [r.line_no for r in raws] == [1, 15, 25]
    assert raws[1].separator == b"From - Sun Apr 07 22:47:11 2013"


def test_a_utf8_bom_and_blank_lines_before_the_first_separator():
    data = b"\xef\xbb\xbf\n" + message("Ana <ana@x.example>", ME).encode()
    assert is_mbox(data) and [r.line_no for r in split(data)] == [2]


def test_a_message_with_headers_only_ends_at_the_next_separator():
    first = "From a@x Thu Dec 19 15:06:07 2019\nFrom: Ana <ana@x.example>\nTo: mara@northwind.example\n"
    data = (first + message("Bo <bo@x.example>", ME)).encode()
    raws = split(data)
    assert len(raws) == 2 and b"Bo" not in raws[0].headers and raws[1].line_no == 4


def test_a_truncated_mailbox_keeps_what_came_before():
    data = message("Ana <ana@x.example>", ME).encode() + b"From 1@xxx Thu Dec 19 15:06:07 +0000 2019\nFrom: Bo"
    raws = split(data)
    assert raws[0].headers and raws[1].headers is not None  # the last message: headers cut short, still read
    assert mail.read_message(raws[1]).problem.startswith("no sender")
    cut = message("Ana <ana@x.example>", ME).encode() + b"From 1@xxx Thu Dec 19 15:06"
    assert len(split(cut)) == 1  # a last line with no header after it is body text, not a message


def test_a_header_block_without_end_is_one_rejected_message_and_the_rest_loads():
    huge = "From 1@xxx Thu Dec 19 15:06:07 +0000 2019\nX-Junk: " + "a" * (MAX_HEADER_BLOCK + 10) + "\n"
    data = (message("Ana <ana@x.example>", ME) + huge + "\n" + message("Bo <bo@x.example>", ME)).encode()
    raws = list(split_mbox(chunks(data, 1 << 16)))
    assert [r.problem is None for r in raws] == [True, False, True]
    assert "header block" in raws[1].problem


def test_a_file_cut_in_two_ranges_gives_the_same_messages_and_lines():
    """Two processes read a big mailbox by halves: together they see exactly what one sees."""
    data = "".join(message(f"P{i} <p{i}@x.example>", ME, body="x\n" * (i % 5)) for i in range(40)).encode()
    whole = split(data, 1 << 12)
    for middle in (1, 57, len(data) // 2, len(data) - 3):
        head = MboxRange(chunks(data, 1 << 12), 0, middle, middle - 2)
        first = list(head)
        lines = head.lines
        base = middle - 2
        second = list(MboxRange(chunks(data[base:], 1 << 12), base, len(data) + 1, len(data) + 1)) if base > 0 else []
        if base <= 0:
            first, second = whole, []
        got = [(r.headers, r.line_no) for r in first] + [(r.headers, r.line_no + lines) for r in second]
        assert got == [(r.headers, r.line_no) for r in whole], middle


def test_what_is_mail_and_what_is_not():
    assert is_mbox(message("Ana <ana@x.example>", ME).encode())
    eml = message("Ana <ana@x.example>", ME, separator="").encode()
    assert is_message(eml) and not is_mbox(eml)
    assert not is_message(b"Name,Email\nAna,ana@x.example\n")
    assert not is_message(b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n")
    assert not is_mbox(b"From here on, a text file.\nNothing else.\n")


# --------------------------------------------------------------------------- headers


def test_fields_are_unfolded_case_blind_and_a_stray_line_is_skipped():
    block = (b">From - Sun Apr 07 22:47:11 2013\r\nmessage-id: <a@b>\r\nSubject: a very long\r\n subject line\r\n"
             b"Received: from x\r\n\tby y\r\nTO: ana@x.example\r\nCc: bo@x.example\r\ncc: cy@x.example\r\n")
    fields = read_fields(block)
    assert text_of(fields["subject"]) == "a very long subject line"
    assert fields["message-id"] == "<a@b>" and "received" not in fields
    assert [a.email for a in addresses(fields["cc"])] == ["bo@x.example", "cy@x.example"]


@pytest.mark.parametrize("raw, expected", [
    ("=?UTF-8?B?Sm9zw6kgRmVycmVpcmE=?=", "José Ferreira"),
    ("=?utf-8?q?caf=C3=A9?= =?utf-8?q?_cr=C3=A8me?=", "café crème"),  # adjacent words join
    ("=?iso-8859-1?q?=93quoted=94?=", "“quoted”"),  # labelled Latin-1, really Windows-1252
    ("=?x-unknown?q?abc?=", "abc"),
    ("=?utf-8?q?broken=ZZ?=", "broken=ZZ"),
])
def test_encoded_words_are_read_as_mail_clients_read_them(raw, expected):
    assert decode_words(raw) == expected


def test_raw_eight_bit_headers_are_utf8_else_windows_1252():
    assert text_of("Jörg".encode("utf-8").decode("latin-1")) == "Jörg"
    assert text_of("Jörg".encode("cp1252").decode("latin-1")) == "Jörg"


@pytest.mark.parametrize("raw, expected", [
    ('"Doe, Jane" <Jane@X.example>, bob@y.example', [("jane@x.example", "Doe, Jane"), ("bob@y.example", None)]),
    ("Doe, Jane <jane@x.example>", [("jane@x.example", "Doe, Jane")]),  # unquoted: one person, not 'Doe'
    ("undisclosed-recipients:;", []),
    ("Team: a@x.example, b@x.example;, solo@y.example", [("a@x.example", None), ("b@x.example", None),
                                                          ("solo@y.example", None)]),
    ("alice@x.example (Alice Example)", [("alice@x.example", "Alice Example")]),
    ("'Bob' <bob@x.example>", [("bob@x.example", "Bob")]),
    ("=?utf-8?q?M=C3=BCller=2C_Hans?= <h@x.de>", [("h@x.de", "Müller, Hans")]),
    ("alice@x.example <alice@x.example>", [("alice@x.example", None)]),
    ("not an address", []),
])
def test_address_lists(raw, expected):
    assert [(a.email, a.name) for a in addresses(raw)] == expected


@pytest.mark.parametrize("raw, expected", [
    ("Thu, 19 Dec 2019 07:06:07 -0800", datetime(2019, 12, 19, 15, 6, 7)),
    ("Thu, 19 Dec 2019 07:06:07 -0800 (PST)", datetime(2019, 12, 19, 15, 6, 7)),
    ("19 Dec 19 07:06 EST", datetime(2019, 12, 19, 12, 6)),
    ("Tue,  1 Jul 2003 10:52:37 GMT", datetime(2003, 7, 1, 10, 52, 37)),
    ("Tue, 1 Jul 2003 10:52:37 -0000", datetime(2003, 7, 1, 10, 52, 37)),  # zone unknown: read as UTC
    ("1 Jul 99 10:52:37 +0000", datetime(1999, 7, 1, 10, 52, 37)),
    ("2003-07-01T10:52:37Z", datetime(2003, 7, 1, 10, 52, 37)),
    ("yesterday", None),
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected


def test_a_message_without_date_takes_the_time_gmail_received_it():
    raw = split(message("Ana <ana@x.example>", ME, date="").encode())[0]
    assert mail.read_message(raw).sent_at.replace(microsecond=0) == datetime(2019, 12, 19, 15, 6, 7)
    raw = split(message("Ana <ana@x.example>", ME, date="", separator="From ana@x.example").encode())[0]
    assert mail.read_message(raw).problem == "no date: the message has no Date header"


def test_gmail_labels_are_decoded_before_they_are_split():
    raw = split(message("Ana <ana@x.example>", ME, extra=(
        'X-Gmail-Labels: =?UTF-8?Q?Inbox,"Culture,_associations",Category_Personal?=')).encode())[0]
    assert mail.read_message(raw).labels == {"inbox", "culture, associations", "category personal"}


# --------------------------------------------------------------------------- who is a person


def mailbox(*messages: str, owner: set[str] | None = None, known: set[str] | None = None):
    mails = mail.read_mbox([("".join(messages)).encode()])
    context = ParseContext(owner=Owner(emails=set(known or ())))
    return mail.build(mails, mail.MBOX, context, owner)


def sent(to: str, subject: str = "Hello", date: str = "Mon, 2 Nov 2026 09:00:00 +0000", **kw) -> str:
    return message(f"Mara Lindqvist <{ME}>", to, subject, date, extra="X-Gmail-Labels: Sent,Opened", **kw)


def received(sender: str, subject: str = "Re: Hello", date: str = "Tue, 3 Nov 2026 09:00:00 +0000",
             extra: str = "", **kw) -> str:
    return message(sender, f"Mara <{ME}>", subject, date,
                   extra="X-Gmail-Labels: Inbox\nDelivered-To: " + ME + ("\n" + extra if extra else ""), **kw)


def test_only_people_the_owner_wrote_to_become_people_and_each_message_is_an_interaction():
    result = mailbox(
        sent("Ana Souza <ana@x.example>", msg_id="1@n"),
        received("Ana Souza <ana@x.example>", extra="In-Reply-To: <1@n>\nReferences: <1@n>", msg_id="2@x"),
        received("Recruiter <rec@hire.example>", "A role for you"),
        received("Rec Two <rec@hire.example>", "Still interested?"),
    )
    assert result.owner.emails == {ME} and result.owner.names == {"Mara Lindqvist"}
    assert result.people["record_key"].to_list() == ["ana@x.example"]
    assert result.people["source_kind"].to_list() == ["email"]
    assert result.people["full_name"].to_list() == ["Ana Souza"]
    rows = result.interactions.select("counterpart_key", "direction", "conversation_id", "kind").rows()
    assert rows == [("ana@x.example", "sent", "1@n", "email"), ("ana@x.example", "received", "1@n", "email")]
    assert result.left_out == {"from strangers": 2, "strangers": 1}


def test_lists_bulk_automatic_spam_and_no_reply_senders_are_left_out_and_counted():
    ana = "Ana <ana@x.example>"
    result = mailbox(
        sent(ana),
        received(ana, extra="List-Id: <guild.lists.example>"),  # addressed to the owner by name: kept
        message(ana, "guild@lists.example", "Talk idea", "Mon, 2 Nov 2026 10:00:00 +0000",
                extra="List-Id: <guild.lists.example>"),
        received("News <news@letter.example>", extra="List-Unsubscribe: <https://u>\n"
                 "List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        received("Tool <no-reply@tools.example>"),
        received(ana, "Automatic reply: Hello", extra="Auto-Submitted: auto-replied"),
        received("Prize <win@spam.example>").replace("X-Gmail-Labels: Inbox", "X-Gmail-Labels: Spam"),
        received("Bulk <hi@bulk.example>", extra="Precedence: bulk"),
    )
    assert result.left_out == {"automatic": 4, "lists": 1, "spam/trash": 1}
    assert result.interactions.height == 2


def test_a_broadcast_makes_nobody_a_tie_and_recipients_count_like_attendees():
    many = ", ".join(f"p{i}@x.example" for i in range(30))
    few = "ana@x.example, bo@x.example, cy@x.example"
    result = mailbox(sent(many, "Happy new year"), sent(few, "Lunch?"),
                     received("Ana <ana@x.example>", extra="Cc: bo@x.example, cy@x.example"))
    assert sorted(result.people["record_key"].to_list()) == ["ana@x.example", "bo@x.example", "cy@x.example"]
    rows = result.interactions.select("counterpart_key", "direction", "n_participants").rows()
    assert ("bo@x.example", None, 4) in rows and ("ana@x.example", "received", 4) in rows
    assert ("bo@x.example", "sent", 4) in rows


def test_the_owner_from_config_from_sent_mail_or_from_every_message():
    msgs = [message("Ana <ana@x.example>", "me@own.example", date="Mon, 2 Nov 2026 09:00:00 +0000"),
            message("Me <me@own.example>", "ana@x.example", date="Mon, 2 Nov 2026 10:00:00 +0000"),
            message("Bo <bo@x.example>", "me@own.example", date="Mon, 2 Nov 2026 11:00:00 +0000")]
    assert mailbox(*msgs).owner.emails == {"me@own.example"}  # the one address on every message
    assert mailbox(*msgs, known={"ana@x.example"}).owner.emails == {"ana@x.example"}
    with pytest.raises(ExportError, match=r"kith.toml"):
        mailbox(msgs[0], message("Cy <cy@x.example>", "dee@x.example"))  # nobody on both, no Sent mail


def test_rejects_name_the_message_line_and_the_rest_loads():
    result = mailbox(sent("Ana <ana@x.example>"),
                     message("", ME, separator="From 1@xxx Thu Dec 19 15:06:07 +0000 2019"),
                     received("Ana <ana@x.example>"))
    assert result.rejects.select("record_key", "line_no").rows() == [("2", 12)]
    assert result.rejects["reason"][0].startswith("no sender")
    assert result.interactions.height == 2


def test_a_person_is_named_as_they_sign_else_as_the_owner_wrote_them():
    result = mailbox(sent("Dr. Ana <ana@x.example>"), sent("Bo Ek <bo@x.example>"),
                     received("=?UTF-8?Q?Ana_Souza?= <ana@x.example>"),
                     received("ana@x.example <ana@x.example>"))
    names = dict(result.people.select("record_key", "full_name").rows())
    assert names == {"ana@x.example": "Ana Souza", "bo@x.example": "Bo Ek"}


def test_a_bcc_copy_is_contact_but_waits_for_no_reply_and_deleted_mail_is_left_out():
    ana, bo = "Ana <ana@x.example>", "Bo <bo@x.example>"
    result = mailbox(sent(ana), sent(bo),
                     received(ana).replace(f"To: Mara <{ME}>", "To: Bo <bo@x.example>"),  # Ana to Bo, Bcc Mara
                     received(bo, extra="X-Mozilla-Status: 0009"))  # Thunderbird: deleted, not compacted
    rows = result.interactions.filter(result.interactions["counterpart_key"] == "ana@x.example")
    assert rows.select("direction").to_series().to_list() == ["sent", None]
    assert result.left_out == {"deleted": 1}


def test_a_chat_without_date_or_recipients_is_left_out_not_rejected():
    chat = message("Ana <ana@x.example>", "", "Chat with Ana", "", separator="From ana@x.example",
                   extra="X-Gmail-Labels: Chat")
    result = mailbox(sent("Ana <ana@x.example>"), chat)
    assert result.rejects.height == 0 and result.left_out == {"chats": 1}


def test_a_non_ascii_from_line_in_a_body_is_body_text():
    """Python's mailbox.mbox raises UnicodeDecodeError on such a line; kith reads on."""
    body = "Hi,\n\nFrom the desk of Linnéa Åberg: the numbers.\nregards\n"
    data = (message("Ana <ana@x.example>", ME, body=body) + message("Bo <bo@x.example>", ME)).encode("utf-8")
    assert [mail.read_message(r).sender.email for r in split(data)] == ["ana@x.example", "bo@x.example"]
