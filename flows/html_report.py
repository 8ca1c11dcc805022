"""The weekly list as one self-contained HTML page: the people, then the health of the network.

No JavaScript, no external fonts or stylesheets, charts are inline SVG: the file opens offline,
prints, and follows the reader's light or dark setting. Everything that came from an export
(names, companies, reasons, URLs) is HTML-escaped, attributes included; a link is only made
from an http(s) URL or an email address, anything else is shown as text.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import duckdb

from flows.outputs import write_private

STATUSES = ["warm", "due", "slipping", "dormant"]
# Dunbar-style layers over people ranked by strength: cumulative sizes 5, 15, 50, 150, then the rest.
LAYERS = [("closest 5", 5), ("next 10", 15), ("next 35", 50), ("next 100", 150), ("everyone else", None)]
PAST_WEEKS_SHOWN = 12


# --- data -----------------------------------------------------------------------------------

def network_health(con: duckdb.DuckDBPyConnection) -> dict:
    """What the page's charts show, from read-only queries on the public views.

    ``status_counts``: people per status now (warm, due, slipping, dormant, no history).
    ``layers``: people with any history, ranked by strength (ties by person_id), cut into
    Dunbar-style layers, each with its size and the median days since the last interaction
    (people with no history are counted in ``status_counts`` only). ``weeks``: each kept week's list, newest first, with how many were listed.
    Status history is not stored, so there is no status trend: only today's counts.
    """
    counts = dict(con.execute("select status, count(*) from relationship_scores group by status").fetchall())
    status_counts = {s: int(counts.get(s, 0)) for s in [*STATUSES, "no history"]}
    as_of = con.execute("select max(as_of) from relationship_scores").fetchone()[0]

    bounds = []
    lower = 0
    for label, upper in LAYERS:
        bounds.append((label, lower, upper))
        lower = upper if upper is not None else lower
    layer_case = " ".join(
        f"when r <= {upper} then {i}" for i, (_, _, upper) in enumerate(bounds) if upper is not None)
    layer_rows = con.execute(
        f"""with ranked as (
                select days_since, row_number() over (order by strength desc nulls last, person_id) as r
                from relationship_scores where status <> 'no history')
            select case {layer_case} else {len(bounds) - 1} end as layer,
                   count(*) as people, count(days_since) as with_history,
                   median(days_since) as median_days
            from ranked group by layer order by layer""").fetchall()
    by_layer = {row[0]: row[1:] for row in layer_rows}
    layers = []
    for i, (label, low, upper) in enumerate(bounds):
        people, with_history, median_days = by_layer.get(i, (0, 0, None))
        layers.append({"label": label, "from_rank": low + 1, "to_rank": upper, "people": int(people),
                       "with_history": int(with_history),
                       "median_days_since": None if median_days is None else float(median_days)})

    weeks = [{"week": w, "as_of": a, "listed": int(n), "warm": warm, "due": due, "slipping": slipping,
              "dormant": dormant}
             for w, a, n, warm, due, slipping, dormant in con.execute(
                 """select l.week, max(l.as_of), count(*), any_value(h.warm), any_value(h.due),
                           any_value(h.slipping), any_value(h.dormant)
                    from reconnect_lists l left join store.weekly_health h using (week)
                    group by l.week order by l.week desc""").fetchall()]
    return {"as_of": as_of, "people": sum(status_counts.values()), "status_counts": status_counts,
            "layers": layers, "weeks": weeks, "also_birthdays": other_birthdays(con)}


def other_birthdays(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Birthdays in the coming week of people not on this week's list (mostly people you
    have no relationship with: a card in an address book is no reason to write, but you may
    want to know). Name and day, soonest first."""
    rows = con.execute(
        """select p.display_name,
                  regexp_replace(m.moment_text, '^Their birthday is (on )?(.*)\\.$', '\\2') as day
           from models.int_moments as m
           join people as p using (person_id)
           cross join store.run_context as c
           where m.moment = 'birthday'
             and m.person_id not in (select person_id from reconnect_lists where week = strftime(c.as_of, '%G-W%V'))
           order by case when day = 'today' then 0 when day = 'tomorrow' then 1 else 2 end, day, p.display_name""",
    ).fetchall()
    return [{"name": name, "day": day} for name, day in rows]


# --- escaping and links ---------------------------------------------------------------------

def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _clean(text: str) -> bool:
    """No whitespace or control characters anywhere (browsers drop some, which hides schemes)."""
    return bool(text) and not any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def safe_http_url(url: object) -> str | None:
    """``url`` if it is a plain http(s) URL with a host, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not _clean(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def mailto(email: object) -> str | None:
    """A ``mailto:`` URL for something shaped like one address, else None."""
    if not isinstance(email, str):
        return None
    email = email.strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or not _clean(email) or any(c in email for c in "<>\"\\,;:?&="):
        return None
    return "mailto:" + quote(email, safe="@.+-_'~!$*")


def _first_email(row: dict) -> str | None:
    emails = row.get("emails") or []
    if isinstance(emails, str):
        emails = [emails]
    return next((e for e in emails if e), None)


def _link(href: str | None, text: object, cls: str) -> str:
    if href is None:
        return f'<span class="{cls}">{esc(text)}</span>'
    external = ' rel="noopener noreferrer"' if not href.startswith("mailto:") else ""
    return f'<a class="{cls}" href="{esc(href)}"{external}>{esc(text)}</a>'


# --- formatting -----------------------------------------------------------------------------

def _days(n: float | None) -> str:
    if n is None:
        return "no contact"
    n = round(n)
    return f"{n} day" + ("" if n == 1 else "s")


def _date(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return "" if value is None else str(value)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


# --- charts (inline SVG, colours from CSS so dark mode applies) ------------------------------

def _bar_chart(items: list[tuple[str, float | None, str, str, str]], title: str, chart_id: str) -> str:
    """Horizontal bars. items: (label, value or None, value text, css class, data-key)."""
    label_w, bar_w, value_w, row_h = 120, 300, 90, 28
    width, height = label_w + bar_w + value_w, row_h * len(items) + 8
    top = max((v for _, v, _, _, _ in items if v), default=0) or 1
    parts = [f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{esc(title)}</title>']
    for i, (label, value, value_text, cls, key) in enumerate(items):
        y = 4 + i * row_h
        length = 0 if not value else max(2.0, bar_w * value / top)
        parts.append(
            f'<g class="bar" data-key="{esc(key)}" data-value="{esc("" if value is None else _fmt(value))}">'
            f'<text class="label" x="{label_w - 8}" y="{y + 18}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="{cls}" x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" rx="3"/>'
            f'<text class="value" x="{label_w + length + 6:.1f}" y="{y + 18}">{esc(value_text)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def status_chart(health: dict) -> str:
    counts = health["status_counts"]
    return _bar_chart([(s, counts.get(s, 0), str(counts.get(s, 0)), f"s-{s}", s) for s in STATUSES],
                      "People by status now", "status-chart")


def layer_chart(health: dict) -> str:
    items = []
    for layer in health["layers"]:
        if not layer["people"]:
            continue
        median = layer["median_days_since"]
        items.append((layer["label"], median, "no contact" if median is None else _days(median), "layer",
                      layer["label"]))
    return _bar_chart(items, "Median days since last contact, by closeness", "layer-chart")


# --- the page -------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light dark; --bg: #fbfaf7; --fg: #1f2328; --muted: #5f6670; --card: #ffffff;
  --line: #e3e0d8; --accent: #2f6f5e; --warm: #3a9d6b; --due: #d4a72c; --slipping: #e07b39;
  --dormant: #c4473a; --layer: #5b7db1; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181c; --fg: #e6e4df; --muted: #a3a9b2; --card: #1f2228; --line: #33373e;
    --accent: #7cc4ad; --warm: #4fbf86; --due: #e5bd4b; --slipping: #f09457; --dormant: #e06a5c;
    --layer: #7f9fd3; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2.5rem 0 .75rem; }
.lede, .muted, figcaption, footer { color: var(--muted); }
.lede { margin: 0 0 1.5rem; }
ol.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: .9rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.1rem;
  display: grid; grid-template-columns: 2.2rem 1fr; column-gap: .8rem; break-inside: avoid; }
.rank { font-size: 1.3rem; font-weight: 700; color: var(--accent); font-variant-numeric: tabular-nums; }
.name { font-size: 1.1rem; font-weight: 650; margin: 0; }
.role { color: var(--muted); margin: 0 0 .4rem; }
.reason { margin: 0 0 .5rem; }
.facts { display: inline-block; font-size: .85rem; margin: 0 0 .6rem; padding: .05rem .6rem; border-radius: 999px;
  border: 2px solid var(--line); font-variant-numeric: tabular-nums; }
.t-warm { border-color: var(--warm); } .t-due { border-color: var(--due); }
.t-slipping { border-color: var(--slipping); } .t-dormant { border-color: var(--dormant); }
.links { display: flex; flex-wrap: wrap; gap: .4rem 1rem; font-size: .95rem; }
a { color: var(--accent); }
.nolink { color: var(--muted); overflow-wrap: anywhere; }
.also { color: var(--muted); margin: 1rem 0 0; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 12px; padding: 1.2rem; }
figure { margin: 0 0 1.5rem; }
.chart { max-width: 34rem; display: block; font-size: 13px; }
.chart text { fill: var(--fg); font-family: inherit; }
.chart .value { font-variant-numeric: tabular-nums; }
.s-warm { fill: var(--warm); } .s-due { fill: var(--due); } .s-slipping { fill: var(--slipping); }
.s-dormant { fill: var(--dormant); } .layer { fill: var(--layer); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem 1.2rem .3rem 0; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; }
footer { margin-top: 3rem; font-size: .85rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --card: #fff; --line: #bbb; --accent: #000; }
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  .card, figure, table { break-inside: avoid; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 9pt; color: #444; overflow-wrap: anywhere; }
}
"""


def _card(row: dict) -> str:
    role = " at ".join(esc(v) for v in (row.get("title"), row.get("company")) if v)
    facts, tone = [], "warm"
    if row.get("days_since") is not None:
        facts.append(f"{_days(row['days_since'])} since last contact")
        ratio = row.get("overdue_ratio")
        if ratio is not None and float(ratio) >= 1:
            ratio = float(ratio)
            facts.append(f"{ratio:.1f}× your usual gap")
            tone = "due" if ratio < 1.5 else "slipping" if ratio < 8 else "dormant"
    links = []
    if row.get("linkedin_url"):
        url = safe_http_url(row["linkedin_url"])
        links.append(_link(url, "LinkedIn profile" if url else row["linkedin_url"], "link" if url else "nolink"))
    email = _first_email(row)
    if email:
        links.append(_link(mailto(email), email, "link" if mailto(email) else "nolink"))
    return "".join([
        f'<li class="card" data-person="{esc(row.get("person_id"))}">',
        f'<div class="rank" aria-label="rank">{esc(row.get("rank"))}</div><div>',
        f'<p class="name">{esc(row.get("display_name"))}</p>',
        f'<p class="role">{role}</p>' if role else "",
        f'<p class="facts t-{tone}">{esc(" · ".join(facts))}</p>' if facts else "",
        f'<p class="reason">{esc(row.get("reason"))}</p>',
        f'<div class="links">{"".join(links)}</div>' if links else "",
        "</div></li>",
    ])


def _health_section(health: dict) -> str:
    counts = health["status_counts"]
    no_history = counts.get("no history", 0)
    parts = [
        '<section id="health"><h2>Your network this week</h2>',
        f'<p class="muted">{esc(health.get("people", 0))} people, scored as of {esc(_date(health.get("as_of")))}. '
        "Warm: in touch within your usual rhythm; due: up to 1.5× it; slipping: up to 8×; dormant: beyond."
        + (f" {esc(no_history)} more have no contact on record yet." if no_history else "") + "</p>",
        f"<figure>{status_chart(health)}<figcaption>People by status now.</figcaption></figure>",
    ]
    if any(layer["people"] for layer in health["layers"]):
        sizes = ", ".join(f"{esc(l['label'])}: {esc(l['people'])}" for l in health["layers"] if l["people"])
        parts.append(f"<figure>{layer_chart(health)}<figcaption>Median days since the last contact, with people "
                     f"ranked by strength into circles of 5, 10, 35 and 100 ({sizes} people).</figcaption></figure>")
    weeks = health["weeks"][:PAST_WEEKS_SHOWN]
    if weeks:
        parts.append('<h2>Week by week</h2><table id="weeks"><thead><tr><th>Week</th><th>As of</th>'
                     '<th class="num">Listed</th><th class="num">Warm</th><th class="num">Due</th>'
                     '<th class="num">Slipping</th><th class="num">Dormant</th></tr></thead><tbody>')
        for i, w in enumerate(weeks):
            before = weeks[i + 1] if i + 1 < len(weeks) else None
            cells = "".join(f'<td class="num">{_count_with_change(w.get(k), before.get(k) if before else None)}</td>'
                            for k in ("warm", "due", "slipping", "dormant"))
            parts.append(f'<tr><td>{esc(w["week"])}</td><td>{esc(_date(w["as_of"]))}</td>'
                         f'<td class="num">{esc(w["listed"])}</td>{cells}</tr>')
        parts.append("</tbody></table>")
        parts.append('<p class="muted">How many relationships were in each state the week each list was made, '
                     "and the change from the week before.</p>")
    parts.append("</section>")
    return "".join(parts)


def _count_with_change(now: int | None, before: int | None) -> str:
    """'12 (+3)': a count and its change since the previous week, escaped; '–' when unknown."""
    if now is None:
        return "–"
    if before is None or before == now:
        return esc(now)
    return f"{esc(now)} <small>({'+' if now > before else '−'}{esc(abs(now - before))})</small>"


ALSO_SHOWN = 8


def _also_this_week(birthdays: list[dict]) -> str:
    """One short line, not list entries: "Also this week: birthdays of Ana Ruiz (today), ..."."""
    if not birthdays:
        return ""
    shown = ", ".join(f"{esc(b['name'])} ({esc(b['day'])})" for b in birthdays[:ALSO_SHOWN])
    more = len(birthdays) - ALSO_SHOWN
    rest = f" and {more} more" if more > 0 else ""
    return f'<p class="also">Also this week: {"a birthday" if len(birthdays) == 1 else "birthdays"} of {shown}{rest}.</p>'


def render_report(rows: list[dict], week: str, as_of: object, health: dict | None = None) -> str:
    """The whole page as one string (deterministic: same inputs, same text)."""
    count = len(rows)
    lede = (f"As of {esc(_date(as_of))}. {count} {'person' if count == 1 else 'people'} worth a message this week."
            if rows else f"As of {esc(_date(as_of))}.")
    body = (f'<ol class="cards">{"".join(_card(r) for r in rows)}</ol>' if rows
            else '<p class="empty">Nobody is overdue this week. Everyone you keep in touch with is within their '
                 "usual rhythm, or was on a recent list.</p>")
    return "\n".join([
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>Reconnect list, {esc(week)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<header><h1>Reconnect list, {esc(week)}</h1><p class=\"lede\">{lede}</p></header>",
        f'<section id="list">{body}</section>',
        _also_this_week(health.get("also_birthdays") or []) if health else "",
        _health_section(health) if health else "",
        "<footer>Made by kith from your own exports, on your own machine. This file is private to you.</footer>",
        "</main></body></html>",
        "",
    ])


def write_report(out_dir: Path, rows: list[dict], week: str, as_of: object, health: dict | None = None) -> Path:
    """``<out>/<week>.html``, 0600, written atomically."""
    return write_private(Path(out_dir) / f"{week}.html", render_report(rows, week, as_of, health))
