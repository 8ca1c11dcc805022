"""Mail through ingest: one call for a mixed folder, correspondents resolved with every other
record, re-imports that add only what is new, the reply you owe on the list, and no input
that makes the reader raise anything but kith's own error."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

from flows import mail_read
from flows.db import connect
from flows.ingest import ingest_sources
from flows.mail_read import read_mbox_messages
from flows.people import resolve_people
from flows.scoring import set_as_of, store_weekly_list
from flows.sources import Source, discover
from tests.test_mail import message
from tests.test_sources_e2e import NOW, mixed_folder
from transforms import mail
from transforms.records import ExportError, Owner, ParseContext

ALEX = "alex.rivera@northwind.example"  # the owner of fixtures/mixed
PRIYA = "priya@blueharbor.example"  # in every file of fixtures/mixed


def alex_sent(to: str, subject: str, when: str, msg_id: str, reply_to: str | None = None) -> str:
    extra = "X-Gmail-Labels: Sent,Opened"
    if reply_to:
        extra += f"\nIn-Reply-To: <{reply_to}>\nReferences: <{reply_to}>"
    return message(f"Alex Rivera <{ALEX}>", to, subject, when, extra=extra, msg_id=msg_id)


def to_alex(sender: str, subject: str, when: str, msg_id: str, reply_to: str | None = None, extra: str = "") -> str:
    lines = [f"Delivered-To: {ALEX}", "X-Gmail-Labels: Inbox,Opened"]
    if reply_to:
        lines += [f"In-Reply-To: <{reply_to}>", f"References: <{reply_to}>"]
    return message(sender, f"Alex Rivera <{ALEX}>", subject, when, extra="\n".join(lines + [extra]), msg_id=msg_id)


MAILBOX = [
    alex_sent(f"Priya Raman <{PRIYA}>", "Roadmap review", "Mon, 3 Feb 2025 09:00:00 +0000", "r1@n"),
    to_alex(f"Priya Raman <{PRIYA}>", "Re: Roadmap review", "Mon, 3 Feb 2025 15:00:00 +0000", "r2@b", "r1@n"),
    alex_sent("Sam Okafor <sam@okafor.example>", "Intro", "Tue, 25 Feb 2025 09:00:00 +0000", "s1@n"),
    to_alex("Sam Okafor <sam@okafor.example>", "Re: Intro", "Wed, 26 Feb 2025 09:00:00 +0000", "s2@o", "s1@n"),
    alex_sent("Sam Okafor <sam@okafor.example>", "Re: Intro", "Wed, 26 Feb 2025 11:00:00 +0000", "s3@n", "s2@o"),
    to_alex(f"Priya Raman <{PRIYA}>", "Intro to the Lisbon team", "Tue, 11 Mar 2025 08:30:00 +0000", "r3@b"),
    to_alex("Data Weekly <news@weekly.example>", "Issue 12", "Wed, 12 Mar 2025 06:00:00 +0000", "n1@w",
            extra="List-Unsubscribe: <https://weekly.example/u>\nList-Id: <weekly.example>"),
    to_alex("Jordan <jordan@hire.example>", "A role for you", "Thu, 13 Mar 2025 06:00:00 +0000", "j1@h"),
]


def test_a_mixed_folder_with_a_mailbox_and_eml_files_loads_in_one_call(tmp_path):
    folder = mixed_folder(tmp_path)
    (folder / "Mail.mbox").mkdir()  # Apple Mail's export: a folder holding a file named mbox
    (folder / "Mail.mbox" / "mbox").write_text("".join(MAILBOX[:5]), encoding="utf-8")
    (folder / "saved").mkdir()
    for k, text in enumerate(MAILBOX[5:]):
        body = text.split("\n", 1)[1]  # an .eml has no separator line
        (folder / "saved" / f"message-{k}.eml").write_text(body.replace("\n", "\r\n"), encoding="utf-8")
    con = connect(tmp_path / "kith.duckdb")
    reports = ingest_sources(con, discover([folder]), options=ParseContext(now=NOW))
    by_format = {r.format for r in reports if r.status == "loaded"}
    assert {"mbox", "eml", "ics", "google_csv", "linkedin_connections"} <= by_format, \
        [(r.source, r.status, r.error) for r in reports]
    mbox = next(r for r in reports if r.format == "mbox")
    assert (mbox.records_read, mbox.new, mbox.rejected) == (5, 5, 0)
    emls = [r for r in reports if r.format == "eml"]
    left_out = Counter()
    for r in emls:
        left_out.update(r.left_out)
    assert left_out == {"automatic": 1, "from strangers": 1, "strangers": 1}  # the newsletter, the recruiter
    assert sum(r.new for r in emls) == 1  # Priya's, who is no stranger: Alex wrote to her in the mailbox
    resolve_people(con)
    set_as_of(con, NOW.date())
    [(priya, kinds)] = con.execute(
        """select person_id, list(distinct source_kind order by source_kind) from person_sources
           where person_id = (select person_id from people where list_contains(emails, ?)) group by all""",
        [PRIYA]).fetchall()
    assert "email" in kinds and "linkedin_connections" in kinds and "ics" in kinds  # one person, every source
    people = {e for (e,) in con.execute("select unnest(emails) from people").fetchall()}
    assert "news@weekly.example" not in people and "jordan@hire.example" not in people
    assert "sam@okafor.example" in people
    rows = store_weekly_list(con, NOW.date(), 5)
    assert rows[0]["person_id"] == priya
    assert rows[0]["reason"].startswith("Wrote to you on Tuesday ('Intro to the Lisbon team') and is waiting")
    from flows.show import person_detail

    assert person_detail(con, priya).moment.startswith("Wrote to you on Tuesday")  # kith show says it too


def test_reimporting_a_grown_mailbox_adds_only_the_new_messages(tmp_path):
    path = tmp_path / "All mail.mbox"
    path.write_text("".join(MAILBOX[:3]), encoding="utf-8")
    con = connect(tmp_path / "kith.duckdb")
    [first] = ingest_sources(con, discover([path]))
    assert (first.records_read, first.new, first.known) == (3, 3, 0)
    [again] = ingest_sources(con, discover([path]))
    assert again.status == "already ingested"
    path.write_text("".join(MAILBOX), encoding="utf-8")  # a later Takeout: the same mail and more
    [grown] = ingest_sources(con, discover([path]))
    assert (grown.records_read, grown.new, grown.known) == (8, 3, 3)
    assert grown.left_out == {"automatic": 1, "from strangers": 1, "strangers": 1}  # news@: a newsletter
    assert con.execute("select count(*) from store.interaction_records").fetchone()[0] == 6


def test_reply_owed_only_while_they_wrote_last_two_to_thirty_days_ago(tmp_path):
    path = tmp_path / "mail.mbox"
    path.write_text("".join(MAILBOX[:6]), encoding="utf-8")
    con = connect(tmp_path / "kith.duckdb")
    ingest_sources(con, discover([path]), options=ParseContext(owner=Owner(emails={ALEX})))
    resolve_people(con)

    def owed(on: date) -> set[str]:
        set_as_of(con, on)
        return {text for (text,) in con.execute(
            "select moment_text from models.int_moments where moment = 'reply owed'").fetchall()}

    assert owed(date(2025, 3, 12)) == set()  # one day old: not yet
    assert owed(date(2025, 3, 13)) == {"Wrote to you on Tuesday ('Intro to the Lisbon team') and is waiting "
                                       "for your reply."}
    assert owed(date(2025, 4, 15)) == set()  # over a month: the moment has passed
    answer = alex_sent(f"Priya Raman <{PRIYA}>", "Something else", "Wed, 12 Mar 2025 10:00:00 +0000", "r4@n")
    path.write_text("".join(MAILBOX[:6]) + answer, encoding="utf-8")
    ingest_sources(con, discover([path]), options=ParseContext(owner=Owner(emails={ALEX})))
    resolve_people(con)
    assert owed(date(2025, 3, 13)) == set()  # she wrote to Priya since, in another thread


def test_a_large_mailbox_read_by_two_processes_gives_what_one_reads(tmp_path, monkeypatch):
    path = tmp_path / "big.mbox"
    text = "".join(MAILBOX) * 40
    path.write_bytes(text.encode())
    whole = mail.read_mbox(Source(path).chunks(1 << 10))
    monkeypatch.setattr(mail_read, "PARALLEL_FROM_BYTES", 1)
    halves = read_mbox_messages(Source(path))
    assert [(m.ordinal, m.line_no, m.message_id, m.sent_at) for m in halves.messages] == \
        [(m.ordinal, m.line_no, m.message_id, m.sent_at) for m in whole.messages]
    assert (halves.read, halves.set_aside) == (whole.read, whole.set_aside) == (320, {"automatic": 40})


def test_a_file_that_is_not_mail_is_refused_with_one_line(tmp_path):
    junk = tmp_path / "junk.mbox"
    junk.write_bytes(b"From here on\x00\x01\x02 binary")
    con = connect(tmp_path / "kith.duckdb")
    [report] = ingest_sources(con, discover([junk]))
    assert report.status == "failed" and "\n" not in report.error


# ---------------------------------------------------------------------------- property tests

_PIECES = st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"From 1653361048457583436@xxx Thu Dec 19 15:06:07 +0000 2019\r\n", b"From - \n", b"\n\n",
                     b"From: =?utf-8?q?=ZZ?= <a@b.example>\n", b"To: undisclosed-recipients:;\n",
                     b"Date: Thu, 99 Foo 2019 99:99:99 +9999\n", b"X-Gmail-Labels: =?UTF-8?B?!!!?=\n",
                     b"Subject: \xff\xfe\x00\n", b" folded\n", b">From x\n", b"Cc: \"unterminated <x@y\n",
                     b"X-Mozilla-Status: zzzz\n", b"Message-ID: <>\n", b"\r\n\r\n"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=12), st.integers(1, 64))
def test_no_bytes_make_the_mail_reader_raise_anything_but_export_error(pieces, chunk):
    data = b"From a@b Thu Dec 19 15:06:07 2019\nFrom: a@b.example\n" + b"".join(pieces)
    for parse in (lambda: mail.parse_mbox([data[i:i + chunk] for i in range(0, len(data), chunk)]),
                  lambda: mail.parse_eml(b"".join(pieces))):
        try:
            result = parse()
        except ExportError:
            continue
        assert result.records_read >= 0


def test_the_ingest_summary_says_what_was_left_out_and_the_missing_owner_once():
    import io

    from rich.console import Console

    from flows.report import print_ingest

    buffer = io.StringIO()
    out = Console(file=buffer, width=200)
    files = [{"source": "/x/All mail.mbox", "status": "loaded", "format": "mbox", "records_read": 10, "new": 6,
              "known": 0, "rejected": 1, "reasons": {"no date": 1},
              "left_out": {"automatic": 2, "from strangers": 1, "strangers": 1}}]
    files += [{"source": f"/x/invite{k}.ics", "status": "loaded", "format": "ics", "records_read": 1, "new": 1,
               "known": 0, "rejected": 0, "reasons": {"owner unknown": 1}} for k in range(2)]
    print_ingest(out, out, {"files": files})
    text = buffer.getvalue()
    assert "1 no date; left out: 2 automatic, 1 from strangers (1 address)" in text
    assert text.count("did not say which attendee is you") == 1 and "2 invitation files" in text


def test_a_takeout_zip_is_read_as_a_stream(tmp_path):
    import zipfile

    archive = tmp_path / "takeout-20250315T101010Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Takeout/Mail/All mail Including Spam and Trash.mbox", "".join(MAILBOX).replace("\n", "\r\n"))
        z.writestr("Takeout/archive_browser.html", "<html>Takeout</html>")
    con = connect(tmp_path / "kith.duckdb")
    reports = {r.format: r for r in ingest_sources(con, discover([archive]))}
    assert (reports["mbox"].records_read, reports["mbox"].new) == (8, 6)
    assert reports["mbox"].left_out == {"automatic": 1, "from strangers": 1, "strangers": 1}
