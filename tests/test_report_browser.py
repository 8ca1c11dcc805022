"""The HTML report in a real headless browser (Chromium from Debian's packages).

The test writes a report with ``write_report``, has Chromium load it from disk and print the
DOM after it has been parsed and any scripts have run (``--dump-dom``), then checks that the
list is there and that hostile names, companies, reasons and URLs show up as text: no script
element, no event handler, no javascript: link, and the page's title and content untouched.

Chromium comes from Debian's packages (``apt-get install chromium``). CI's ``.ci/run``
installs it and sets ``KITH_REQUIRE_BROWSER=1``, so there a missing browser fails the run; on
a developer's machine without Chromium the test is skipped with that advice, so the README's
test command works on a fresh machine.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flows.html_report import write_report

BROWSERS = ("chromium", "chromium-browser")
WEEK = "2026-W47"
AS_OF = date(2026, 11, 16)

SCRIPT_NAME = "<script>alert(1)</script>"
TITLE_PAYLOAD = "<script>document.title='pwned'</script>Eve"
BODY_PAYLOAD = "</p><script>document.body.innerHTML='PWNED'</script><p>"
IMG_PAYLOAD = "<img src=x onerror=\"document.title='pwned'\">Acme"


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("KITH_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is not installed, and KITH_REQUIRE_BROWSER=1 requires it")
    pytest.skip("Chromium is not installed: `apt-get install chromium` (Debian) to run the browser test")


def _rows() -> list[dict]:
    base = {"days_since": 120, "expected_gap_days": 30.0, "overdue_ratio": 4.0, "strength": 1.0,
            "priority": 1.0, "title": "Engineer", "emails": [], "linkedin_url": None}
    return [
        {**base, "rank": 1, "person_id": 11, "display_name": "Ada Lovelace", "company": "Analytical Engines",
         "reason": "Last message 4 months ago (usually every month, so 4.0× your usual gap).",
         "linkedin_url": "https://www.linkedin.com/in/ada-lovelace", "emails": ["ada@example.com"]},
        {**base, "rank": 2, "person_id": 12, "display_name": SCRIPT_NAME, "company": IMG_PAYLOAD,
         "reason": BODY_PAYLOAD, "linkedin_url": "javascript:document.title='pwned'"},
        {**base, "rank": 3, "person_id": 13, "display_name": TITLE_PAYLOAD, "company": None,
         "reason": "Björn's <b>bold</b> reason & more", "emails": ["x@y.example\" onmouseover=\"alert(1)"]},
    ]


class _Dom(HTMLParser):
    """Tags, attributes, the title, and the text of each element with class ``name``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self.names: list[str] = []
        self._in_title = False
        self._in_name = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._in_title = tag == "title"
        if tag == "p" and "name" in (attrs.get("class") or "").split():
            self._in_name = True
            self.names.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "p":
            self._in_name = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_name:
            self.names[-1] += data


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    try:
        result = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=45,
        )
    except subprocess.TimeoutExpired:
        # an alert() that ran keeps headless Chromium waiting on its dialog
        pytest.fail("Chromium did not finish within 45 s: did a script run (alert) because something was not escaped?")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, f"no DOM printed; stderr: {result.stderr[-2000:]}"
    return result.stdout


def test_report_opens_in_chromium_and_hostile_text_stays_text(tmp_path):
    browser = _browser()
    page = write_report(tmp_path / "out", _rows(), WEEK, AS_OF)
    dom_text = _dump_dom(browser, page, tmp_path / "profile")
    dom = _Dom()
    dom.feed(dom_text)

    # the list is there, in order, every name exactly as given (as text)
    assert dom.names == ["Ada Lovelace", SCRIPT_NAME, TITLE_PAYLOAD]
    cards = [a for t, a in dom.tags if t == "li" and "card" in (a.get("class") or "")]
    assert [c["data-person"] for c in cards] == ["11", "12", "13"]
    # the body was not replaced: the payload is there as text, once
    assert dom_text.count("PWNED") == 1
    assert html.escape(BODY_PAYLOAD, quote=False) in dom_text
    assert "Last message 4 months ago" in dom_text
    assert "Björn's &lt;b&gt;bold&lt;/b&gt; reason &amp; more" in dom_text

    # nothing ran and nothing was injected
    assert dom.title == f"Reconnect list, {WEEK}"
    assert not [t for t, _ in dom.tags if t in ("script", "img", "iframe", "object", "embed", "b")]
    assert not [(t, a) for t, a in dom.tags for k in a if k.startswith("on")]
    hrefs = [a["href"] for t, a in dom.tags if t == "a" and "href" in a]
    assert hrefs == ["https://www.linkedin.com/in/ada-lovelace", "mailto:ada@example.com"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom_text  # shown, escaped
    assert "javascript:document.title='pwned'" in dom_text  # the bad URL is shown as text only
