"""List files: safe for spreadsheets, escaped for Markdown, private on disk."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date

from flows.outputs import csv_safe, list_csv, list_markdown, write_list_files

ROW = {"week": "2026-W47", "as_of": date(2026, 11, 16), "rank": 1, "person_id": 7,
       "display_name": "=HYPERLINK(\"http://evil\")", "company": "+Acme | <b>", "title": "-CTO",
       "linkedin_url": "https://www.linkedin.com/in/x", "emails": ["@a@b.io", "c@d.io"], "days_since": 120,
       "expected_gap_days": 30.0, "overdue_ratio": 4.0, "strength": 1.2, "priority": 1.9,
       "reason": "Last message 120 days ago."}


def test_csv_cells_cannot_run_as_formulas():
    rows = list(csv.DictReader(io.StringIO(list_csv([ROW]))))
    assert rows[0]["display_name"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["company"] == "'+Acme | <b>"
    assert rows[0]["title"] == "'-CTO"
    assert rows[0]["emails"] == "'@a@b.io; c@d.io"
    assert rows[0]["days_since"] == "120"  # numbers are left alone
    assert csv_safe(-3) == -3 and csv_safe("plain") == "plain"


def test_markdown_escapes_table_breakers_and_html():
    text = list_markdown([ROW], "2026-W47", date(2026, 11, 16))
    line = [l for l in text.splitlines() if l.startswith("| 1 ")][0]
    assert "\\|" in line and "&lt;b&gt;" in line and "<b>" not in line
    assert line.count(" | ") == 3  # four cells, no extra columns from the pipe in the company


def test_files_are_private(tmp_path):
    paths = write_list_files(tmp_path / "out", [ROW], "2026-W47", date(2026, 11, 16))
    assert [p.name for p in paths] == ["2026-W47.md", "2026-W47.csv"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
