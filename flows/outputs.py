"""Writing the weekly list for people (Markdown) and for programs (CSV), privately.

CSV cells that a spreadsheet would run as a formula (starting with = + - @ or a control
character) are prefixed with a quote, as OWASP recommends; files are 0600 in a 0700 folder.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from flows.db import ensure_private_dir

CSV_COLUMNS = ["week", "as_of", "rank", "person_id", "display_name", "company", "title", "linkedin_url",
               "emails", "days_since", "expected_gap_days", "overdue_ratio", "strength", "priority", "reason"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by the user only (atomic: temp file, then rename)."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)
    path.chmod(0o600)
    return path


def list_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = []
        for column in CSV_COLUMNS:
            value = row.get(column)
            if isinstance(value, list):
                value = "; ".join(value)
            values.append(csv_safe("" if value is None else value))
        writer.writerow(values)
    return buffer.getvalue()


def _md_cell(value: object) -> str:
    text = "" if value is None else str(value)
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("[", "\\["), ("]", "\\]"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    return text.replace("\n", " ")


def list_markdown(rows: list[dict], week: str, as_of: object) -> str:
    lines = [f"# Reconnect list, {week}", "", f"As of {as_of}. {len(rows)} people worth a message this week.", ""]
    if not rows:
        lines.append("Nobody is overdue this week.")
        return "\n".join(lines) + "\n"
    lines += ["| # | Person | Company | Why now |", "|---:|---|---|---|"]
    for row in rows:
        name = _md_cell(row["display_name"])
        if row.get("linkedin_url"):
            name = f"[{name}]({_md_cell(row['linkedin_url'])})"
        lines.append(f"| {row['rank']} | {name} | {_md_cell(row.get('company'))} | {_md_cell(row['reason'])} |")
    return "\n".join(lines) + "\n"


def write_list_files(out_dir: Path, rows: list[dict], week: str, as_of: object) -> list[Path]:
    """``<out>/<week>.md`` and ``<out>/<week>.csv``."""
    return [
        write_private(out_dir / f"{week}.md", list_markdown(rows, week, as_of)),
        write_private(out_dir / f"{week}.csv", list_csv(rows)),
    ]
