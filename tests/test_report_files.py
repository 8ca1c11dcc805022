"""The weekly list as an HTML page and as calendar reminders: escaped, private, charts right,
reminders that parse back and are byte-for-byte repeatable."""

from __future__ import annotations

import stat
import statistics
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from icalendar import Calendar

from flows.html_report import network_health, render_report, write_report
from flows.reminders import render_reminders, write_reminders
from flows.scoring import iso_week, store_weekly_list
from tests.test_scoring import AS_OF, History

WEEK = iso_week(AS_OF)


def row(rank, person_id, name, **extra):
    base = {"week": WEEK, "as_of": AS_OF, "rank": rank, "person_id": person_id, "display_name": name,
            "reason": f"Last message 120 days ago; {name} & co.", "days_since": 120, "expected_gap_days": 30.0,
            "overdue_ratio": 4.0, "strength": 1.2, "priority": 1.9, "company": "Acme", "title": "CTO",
            "linkedin_url": f"https://www.linkedin.com/in/p{person_id}", "emails": [f"p{person_id}@acme.io"]}
    return {**base, **extra}


ROWS = [
    row(1, 11, "Ann Lee"),
    row(2, 12, "Bo O'Brien, Jr.; \"Bobby\"", company="Smith & Sons", emails=None, linkedin_url=None),
    row(3, 13, "<script>alert(1)</script>", linkedin_url="javascript:alert(1)", reason="<img src=x onerror=alert(1)>",
        emails=["javascript:alert(1)//@x.io", "ok@x.io"], company="<b>Evil</b>"),
]
HEALTH = {"as_of": AS_OF, "people": 15,
          "status_counts": {"warm": 7, "due": 3, "slipping": 2, "dormant": 1, "no history": 2},
          "layers": [{"label": "closest 5", "from_rank": 1, "to_rank": 5, "people": 5, "with_history": 5,
                      "median_days_since": 12.0},
                     {"label": "next 10", "from_rank": 6, "to_rank": 15, "people": 10, "with_history": 8,
                      "median_days_since": 95.5},
                     {"label": "next 35", "from_rank": 16, "to_rank": 50, "people": 0, "with_history": 0,
                      "median_days_since": None}],
          "weeks": [{"week": "2026-W47", "as_of": AS_OF, "listed": 3, "warm": 10, "due": 2, "slipping": 5,
                     "dormant": 1},
                    {"week": "2026-W46", "as_of": AS_OF - timedelta(days=7), "listed": 5, "warm": 8, "due": 3,
                     "slipping": 6, "dormant": 1}]}


class Page(HTMLParser):
    """Tags with their attributes, text per tag stack, chart bars and table rows."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.stack = [], [], []
        self.bars: dict[str, dict[str, tuple[str, str]]] = {}
        self.rows, self._row, self._svg, self._bar, self._in_value = [], None, None, None, False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("meta", "rect", "br", "img", "input", "link"):
            return
        self.stack.append(tag)
        if tag == "svg":
            self._svg = attrs.get("id")
            self.bars[self._svg] = {}
        elif tag == "g" and "bar" in (attrs.get("class") or ""):
            self._bar = attrs["data-key"]
            self.bars[self._svg][self._bar] = (attrs["data-value"], "")
        elif tag == "text" and attrs.get("class") == "value":
            self._in_value = True
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "text":
            self._in_value = False
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        self.texts.append(data)
        if self._in_value and self._bar is not None:
            value, text = self.bars[self._svg][self._bar]
            self.bars[self._svg][self._bar] = (value, text + data)
        if self._row is not None and self.stack and self.stack[-1] in ("td", "th"):
            self._row.append(data)

    @property
    def text(self):
        return "".join(self.texts)

    def hrefs(self):
        return [a["href"] for tag, a in self.tags if "href" in a]


# --- HTML -------------------------------------------------------------------------------------

def test_html_lists_every_name_escaped_and_is_self_contained():
    text = render_report(ROWS, WEEK, AS_OF, HEALTH)
    page = Page(text)
    for r in ROWS:
        assert r["display_name"] in page.text  # as the reader sees it
    assert "Bo O&#x27;Brien, Jr.; &quot;Bobby&quot;" in text and "Smith &amp; Sons" in text
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)
    assert f"Reconnect list, {WEEK}" in text.split("<title>")[1]
    assert "prefers-color-scheme: dark" in text
    for tag, attrs in page.tags:  # nothing fetched, nothing run
        assert tag not in ("script", "link", "img", "iframe", "object")
        assert not any(k.startswith("on") for k in attrs)
        assert "src" not in attrs
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text.replace("https://www.linkedin.com/in/p11", "").replace(
        "https://www.linkedin.com/in/p12", "")


def test_html_script_name_and_javascript_url_stay_text():
    text = render_report(ROWS, WEEK, AS_OF, HEALTH)
    page = Page(text)
    assert "<script" not in text.lower() and "<img" not in text.lower() and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not any(h.strip().lower().startswith("javascript:") for h in page.hrefs())
    assert "javascript:alert(1)" in page.text  # shown, not linked
    assert page.hrefs().count("https://www.linkedin.com/in/p11") == 1
    assert "mailto:p11@acme.io" in page.hrefs()
    # the first email of row 3 is not an address: shown as text, never a link
    assert not any("x.io" in h for h in page.hrefs())
    assert all(h.startswith(("https://", "mailto:")) for h in page.hrefs())


def test_html_charts_and_weeks_show_the_numbers():
    html_text = render_report(ROWS, WEEK, AS_OF, HEALTH)
    page = Page(html_text)
    assert page.bars["status-chart"] == {"warm": ("7", "7"), "due": ("3", "3"), "slipping": ("2", "2"),
                                         "dormant": ("1", "1")}
    assert page.bars["layer-chart"] == {"closest 5": ("12", "12 days"), "next 10": ("95.5", "96 days")}
    assert ["2026-W47", "16 Nov 2026", "3", "10", "2", "5", "1"] in [[c.strip() for c in r] for r in page.rows]
    assert ["2026-W46", "9 Nov 2026", "5", "8", "3", "6", "1"] in page.rows
    # and the change since the week before, beside each count
    assert "10 <small>(+2)</small>" in html_text and "2 <small>(−1)</small>" in html_text
    assert "2 more have no contact on record yet" in page.text


def test_html_empty_list_says_nobody_is_overdue(tmp_path):
    page = Page(render_report([], WEEK, AS_OF, HEALTH))
    assert "Nobody is overdue this week." in page.text
    assert not any(a.get("class") == "card" for _, a in page.tags)
    assert "Nobody is overdue this week." in Page(render_report([], WEEK, AS_OF, None)).text


def test_html_file_is_private(tmp_path):
    path = write_report(tmp_path / "out", ROWS, WEEK, AS_OF, HEALTH)
    assert path.name == f"{WEEK}.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    assert path.read_text(encoding="utf-8") == render_report(ROWS, WEEK, AS_OF, HEALTH)
    assert not list((tmp_path / "out").glob(".*tmp"))


# --- network health from a real database ---------------------------------------------------------

@pytest.fixture
def scored(con):
    history = History(con)
    end = AS_OF
    # 20 people with a monthly rhythm, last contact 5..195 days ago; stronger when more recent
    for i in range(20):
        slug = f"p{i:02d}"
        history.person(slug, f"Person {i:02d}", f"Co{i}", "Engineer", date(2020, 1, 1))
        history.every(slug, 30, date(2024, 1, 1), end - timedelta(days=5 + 10 * i))
    history.person("far", "Far Away", "Old Co", None, date(2016, 1, 1))  # connected only, long ago
    history.every("far", 10, date(2022, 1, 1), date(2023, 1, 1))  # dormant: 10-day rhythm, silent years
    history.person("nobody", "No History")  # no interaction at all
    history.score()
    return con


def test_network_health_counts_layers_and_weeks(scored):
    con = scored
    store_weekly_list(con, AS_OF, 4)
    con.execute("""insert into reconnect_lists (week, as_of, rank, person_id, display_name, reason, created_at)
                   values ('2026-W40', date '2026-09-28', 1, 1, 'X', 'r', now()),
                          ('2026-W40', date '2026-09-28', 2, 2, 'Y', 'r', now())""")
    health = network_health(con)

    truth = dict(con.execute("select status, count(*) from relationship_scores group by status").fetchall())
    assert health["status_counts"] == {s: truth.get(s, 0) for s in ["warm", "due", "slipping", "dormant", "no history"]}
    assert health["status_counts"]["no history"] == 1 and health["status_counts"]["dormant"] >= 1
    assert health["status_counts"]["warm"] >= 1 and health["status_counts"]["slipping"] >= 1
    assert health["people"] == 22 and health["as_of"] == AS_OF

    by_strength = [d for d, in con.execute(
        "select days_since from relationship_scores where status <> 'no history' "
        "order by strength desc nulls last, person_id").fetchall()]
    layers = {l["label"]: l for l in health["layers"]}
    assert [l["label"] for l in health["layers"]] == ["closest 5", "next 10", "next 35", "next 100", "everyone else"]
    assert [layers[k]["people"] for k in layers] == [5, 10, 6, 0, 0]  # people with no history are left out
    assert layers["closest 5"]["median_days_since"] == statistics.median(by_strength[:5])
    assert layers["next 10"]["median_days_since"] == statistics.median(by_strength[5:15])
    assert layers["next 35"]["median_days_since"] == statistics.median(by_strength[15:])
    assert layers["next 35"]["with_history"] == 6 and layers["next 100"]["median_days_since"] is None
    assert layers["closest 5"]["median_days_since"] < layers["next 35"]["median_days_since"]

    listed = len(con.execute("select * from reconnect_lists where week = ?", [WEEK]).fetchall())
    counts = {s: health["status_counts"][s] for s in ("warm", "due", "slipping", "dormant")}
    assert health["weeks"] == [{"week": WEEK, "as_of": AS_OF, "listed": listed, **counts},  # kept with the list
                               {"week": "2026-W40", "as_of": date(2026, 9, 28), "listed": 2,
                                "warm": None, "due": None, "slipping": None, "dormant": None}]

    page = Page(render_report([], WEEK, AS_OF, health))
    assert {k: int(v) for k, (v, _) in page.bars["status-chart"].items()} == {
        s: health["status_counts"][s] for s in ["warm", "due", "slipping", "dormant"]}
    assert set(page.bars["layer-chart"]) == {"closest 5", "next 10", "next 35"}  # empty layers are left out


# --- reminders ------------------------------------------------------------------------------

def test_ics_one_event_per_person_with_uid_summary_date_and_alarm():
    data = render_reminders(ROWS, WEEK, AS_OF)
    assert "\r\n" in data and "\n" not in data.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in data.split("\r\n"))
    cal = Calendar.from_ical(data)
    assert str(cal["prodid"]) == "-//kith//weekly list//EN" and str(cal["version"]) == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == len(ROWS)
    for event, r in zip(events, ROWS):
        assert str(event["uid"]) == f"{WEEK}-person-{r['person_id']}@kith.local"
        assert str(event["summary"]) == f"Reconnect: {r['display_name']}"
        assert event.decoded("dtstart") == AS_OF + timedelta(days=1)
        assert event.decoded("dtend") == AS_OF + timedelta(days=2)
        assert event.decoded("dtstamp") == datetime(2026, 11, 16, 0, 0, tzinfo=event.decoded("dtstamp").tzinfo)
        assert event.decoded("dtstamp").utcoffset() == timedelta(0)
        assert str(event["transp"]) == "TRANSPARENT"
        assert str(event["description"]).startswith(r["reason"])
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == timedelta(hours=9)
    assert "LinkedIn: https://www.linkedin.com/in/p11" in str(events[0]["description"])
    assert "Email: p11@acme.io" in str(events[0]["description"])
    # escaped on the wire, intact when read back
    assert "SUMMARY:Reconnect: Bo O'Brien\\, Jr.\\; \"Bobby\"" in data
    # a javascript: URL or a non-address never becomes a link in the calendar either
    assert "javascript" not in str(events[2]["description"]) and "url" not in events[2]
    assert "Email: ok@x.io" in str(events[2]["description"])


def test_ics_is_deterministic_and_private(tmp_path):
    assert render_reminders(ROWS, WEEK, AS_OF) == render_reminders([dict(r) for r in ROWS], WEEK, AS_OF)
    first = write_reminders(tmp_path / "a", ROWS, WEEK, AS_OF).read_bytes()
    path = write_reminders(tmp_path / "b", ROWS, WEEK, AS_OF)
    assert path.read_bytes() == first and path.name == f"{WEEK}.ics"
    assert b"\r\n" in first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_ics_empty_list_still_parses():
    cal = Calendar.from_ical(render_reminders([], WEEK, AS_OF))
    assert cal.walk("VEVENT") == [] and str(cal["prodid"]) == "-//kith//weekly list//EN"


@pytest.mark.parametrize("url, ok", [
    ("https://www.linkedin.com/in/x", True), ("http://example.com/a?b=1&c=2", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("https:alert(1)", False), ("data:text/html,<script>", False),
    ("//evil.example/x", False), ("https://a.example/\x00x", False), ("", False), (None, False), (42, False),
])
def test_only_http_urls_become_links(url, ok):
    from flows.html_report import safe_http_url

    assert (safe_http_url(url) is not None) is ok


@pytest.mark.parametrize("email, ok", [
    ("ann@acme.io", True), ("o'neil+tag@x.io", True), ("javascript:alert(1)//@x.io", False),
    ("a@b.io?subject=x", False), ("<a@b.io>", False), ("a b@c.io", False), ("no-at-sign", False), ("@x.io", False),
])
def test_only_addresses_become_mailto_links(email, ok):
    from flows.html_report import mailto

    assert (mailto(email) is not None) is ok
    if ok:
        assert mailto(email).startswith("mailto:") and "'" not in render_report(
            [row(1, 1, "A", emails=[email])], WEEK, AS_OF).split('href="mailto:')[1].split('"')[0]
