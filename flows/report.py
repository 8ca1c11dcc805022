"""What the commands print: aligned tables for people, one-line errors on stderr."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.show import PersonDetail

STATUS_STYLE = {"warm": "green", "due": "yellow", "slipping": "dark_orange", "dormant": "red"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _short(path: str) -> str:
    """A file's name with its archive, e.g. ``Basic_..._11-16-2026.zip!messages.csv``."""
    if "!" in path:
        archive, member = path.split("!", 1)
        return f"{Path(archive).name}!{member}"
    return Path(path).name


def print_ingest(out: Console, err: Console, result: dict, quiet_when_nothing_new: bool = False) -> bool:
    """Per file: format, records read, new, already known, rejected with reasons. Returns
    True when a file failed."""
    files = result.get("files") or []
    loaded = [f for f in files if f["status"] in ("loaded", "already ingested")]
    failed = [f for f in files if f["status"] == "failed"]
    skipped = [f for f in files if f["status"] == "skipped"]
    nothing_new = all(f["status"] == "already ingested" for f in loaded)
    if loaded and not (quiet_when_nothing_new and nothing_new):
        table = Table(title="Ingested", title_justify="left")
        for column, justify in (("file", "left"), ("format", "left"), ("read", "right"), ("new", "right"),
                                ("known", "right"), ("rejected", "right"), ("notes", "left")):
            table.add_column(column, justify=justify)
        for f in loaded:
            notes = "already ingested (same content)" if f["status"] == "already ingested" else _notes(f)
            table.add_row(escape(_short(f["source"])), f["format"] or "", str(f["records_read"]), str(f["new"]),
                          str(f["known"]), str(f["rejected"]), escape(notes))
        out.print(table)
    elif loaded:
        out.print(f"Inbox: {len(loaded)} file(s), nothing new.")
    unknown_owner = [f for f in loaded if f.get("reasons", {}).get("owner unknown")]
    if unknown_owner:  # once for the whole run, however many invitations said it
        out.print(f"{_count(len(unknown_owner), 'invitation file')} did not say which attendee is you, so everyone "
                  "in them was loaded; to leave yourself out, set [owner] emails = [\"you@example.com\"] in "
                  "kith.toml (see `kith config`).", highlight=False)
    if skipped:
        out.print(f"Skipped {len(skipped)} file(s) that are not contact exports: "
                  + ", ".join(escape(_short(f["source"])) for f in skipped[:8]) + (" ..." if len(skipped) > 8 else ""))
    for f in failed:
        err.print(f"kith: {escape(f['source'])}: {escape(f['error'] or 'failed')}", highlight=False, soft_wrap=True)
    if "people" in result and not (quiet_when_nothing_new and nothing_new):
        out.print(f"{result['people']} people known.")
    return bool(failed)


def _notes(f: dict) -> str:
    """Why records were rejected, then what was left out on purpose (mail: lists, bulk ...)."""
    notes = [f"{n} {reason}" for reason, n in sorted(f["reasons"].items(), key=lambda x: -x[1])]
    left_out = dict(f.get("left_out") or {})
    strangers = left_out.pop("strangers", 0)  # addresses, not messages
    if left_out:
        notes.append("left out: " + ", ".join(
            f"{n:,} {reason}" + (f" ({strangers:,} address{'es' if strangers != 1 else ''})"
                                 if reason == "from strangers" and strangers else "")
            for reason, n in sorted(left_out.items(), key=lambda x: -x[1])))
    return "; ".join(notes)


def print_list(out: Console, result: dict, db: Path, seconds: float) -> None:
    rows = result.get("list") or []
    statuses = result.get("statuses") or {}
    summary = ", ".join(f"{statuses[s]} {s}" for s in ("warm", "due", "slipping", "dormant") if s in statuses)
    table = Table(title=f"Reconnect list {result['week']} ({summary})", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("person", no_wrap=True)
    table.add_column("why now", ratio=1)
    for row in rows:
        person = escape(row["display_name"])
        if row.get("company"):
            person += f"\n[dim]{escape(row['company'])}[/dim]"
        table.add_row(str(row["rank"]), person, escape(row["reason"]))
    if rows:
        out.print(table)
    else:
        out.print(f"Nobody is overdue in {result['week']}.")
    files = ", ".join(result.get("outputs") or [])
    out.print(f"Written to {escape(files)}  (database {escape(str(db))}, {seconds:.1f} s)", highlight=False,
              soft_wrap=True)


def print_matches(out: Console, query: str, matches: list[dict]) -> None:
    table = Table(title=f"{len(matches)} people match {query!r}: pick one by id", title_justify="left")
    for column in ("id", "name", "company", "title"):
        table.add_column(column)
    for m in matches:
        table.add_row(str(m["person_id"]), escape(m["display_name"] or ""), escape(m["company"] or ""),
                      escape(m["title"] or ""))
    out.print(table)


def print_person(out: Console, detail: PersonDetail) -> None:
    p, s = detail.person, detail.score
    out.print(f"[bold]{escape(p['display_name'])}[/bold]  (person {p['person_id']})")
    facts = [x for x in (
        " at ".join(x for x in (p.get("title"), p.get("company")) if x),
        p.get("linkedin_url"), ", ".join(p.get("emails") or []), ", ".join(p.get("phones") or []),
        f"birthday {_birthday(p.get('birthday'))}" if p.get("birthday") else None,
        f"connected {p['connected_on']}" if p.get("connected_on") else None) if x]
    if facts:
        out.print(escape(" · ".join(facts)), highlight=False)
    out.print()
    if s:
        style = STATUS_STYLE.get(s["status"], "white")
        out.print(f"Score as of {s['as_of']}: [{style}]{s['status']}[/{style}], priority {s['priority']:.3f}")
        if detail.moment:
            out.print(f"  [bold]This week:[/bold] {escape(detail.moment)}", highlight=False)
        out.print(f"  {escape(s['reason'])}", highlight=False)
        gap = f"{s['expected_gap_days']:.0f} days" if s["expected_gap_days"] is not None else "-"
        overdue = f"{s['overdue_ratio']:.1f}×" if s["overdue_ratio"] is not None else "-"
        out.print(f"  strength {s['strength']:.3f} · usual gap {gap} · overdue {overdue} · "
                  f"{_count(s['contact_days'], 'contact day')}, {s['contact_days_last_year']} in the last year", highlight=False)
    else:
        out.print("Not scored yet: run `kith weekly`.")
    out.print()
    sources = Table(title=f"Source records ({len(detail.sources)})", title_justify="left")
    for column in ("id", "kind", "file", "record", "name", "details", "linked because"):
        sources.add_column(column)
    for r in detail.sources:
        where = f"{r['record_key']}" + (f" (line {r['line_no']})" if r.get("line_no") else "")
        sources.add_row(str(r["record_id"]), r["source_kind"], escape(_short(r["source_file"])), escape(where), escape(r["name"] or ""),
                        escape(_record_details(r)), r["link_reason"])
    out.print(sources)
    shown = len(detail.interactions)
    title = f"Interactions ({detail.interaction_count}" + (f", newest {shown} shown)" if shown < detail.interaction_count else ")")
    inter = Table(title=title, title_justify="left")
    for column, justify in (("when", "left"), ("kind", "left"), ("direction", "left"), ("weight", "right"),
                            ("people", "right"), ("summary", "left")):
        inter.add_column(column, justify=justify)
    for i in detail.interactions:
        inter.add_row(i["occurred_at"].strftime("%Y-%m-%d %H:%M"), i["kind"], i["direction"] or "",
                      f"{i['weight']:.2f}", str(i["n_participants"]), escape(_interaction_summary(i)))
    out.print(inter)
    print_near_misses(out, p["person_id"], detail.near_misses)


def print_near_misses(out: Console, person_id: int, misses: list[dict]) -> None:
    """'Maybe also #757 Edward Thompson, Lee-Smith: same name; not linked because …' and the
    line that joins them, for each person kith compared with this one and kept apart."""
    if not misses:
        return
    out.print()
    out.print("[bold]Maybe also[/bold] (compared and not linked; if one is the same person, run the line under it)")
    for m in misses:
        who = m["display_name"] + (f", {m['company']}" if m.get("company") else "")
        verdict = "kept for review" if m["decision"] == "review" else "kept apart"
        out.print(f"  #{m['person_id']} {escape(who)}: {verdict}, score {_score(m['score'])}: {escape(m['reason'])}",
                  highlight=False)
        out.print(f"      kith merge {person_id} {m['person_id']}", highlight=False, style="dim")


def _birthday(value: str) -> str:
    """'1985-03-14' as is; '--03-14' (no year) as '03-14'."""
    return value[2:] if value.startswith("--") else value


def _record_details(r: dict) -> str:
    """What one source record says about the person, a fact per line."""
    lines = [" / ".join(x for x in (r.get("company"), r.get("title")) if x),
             ", ".join(r.get("emails") or []), ", ".join(r.get("phones") or []),
             f"birthday {_birthday(r['birthday'])}" if r.get("birthday") else ""]
    return "\n".join(x for x in lines if x)


def _interaction_summary(i: dict) -> str:
    if i["kind"] == "meeting":
        minutes = i.get("duration_minutes")
        length = "all day" if minutes is None else f"{minutes:.0f} min"
        return f"{i.get('title') or '(no title)'} ({length})"
    return i["summary"] or ""


# ---------------------------------------------------------------- merge, split, review

def _person_line(con, person_id: int) -> str:
    row = con.execute("select display_name, source_records from people where person_id = ?", [person_id]).fetchone()
    if row is None:
        return f"person {person_id} (you)"
    return f"[bold]{escape(row[0])}[/bold] (person {person_id}), {_count(row[1], 'source record')}"


def _replaced(change) -> str:
    if not change.replaced:
        return ""
    kinds = sorted({f"{source} ({kind})" for kind, source, _ in change.replaced})
    return f"This replaces {_count(len(change.replaced), 'earlier decision')}: {', '.join(kinds)}."


def print_merged(out: Console, err: Console, con, records: list[int], undo_records: list[int], change) -> bool:
    """The merged person, and the split that undoes it. ``records``: every record of both
    people before the merge. Returns False (and says so) when resolution kept some apart."""
    rows = con.execute("""select person_id, count(*) from store.person_map where list_contains(?, record_id)
                          group by person_id order by count(*) desc, person_id""", [records]).fetchall()
    merged = con.execute("select person_id from store.person_map where record_id = ?", [min(records)]).fetchone()[0]
    if len(rows) > 1:
        others = ", ".join(f"{pid} ({_count(n, 'record')})" for pid, n in rows if pid != merged)
        err.print(f"kith: your decision is stored, but resolution still keeps some of their records apart: "
                  f"person {merged} and {others}; see `kith show {merged}`", highlight=False, soft_wrap=True)
        if not any(pid == merged and n > 1 for pid, n in rows):
            return False
    out.print(f"Merged: {_person_line(con, merged)}.", highlight=False)
    if _replaced(change):
        out.print(_replaced(change), highlight=False)
    out.print(f"Undo with: kith split {merged} {' '.join(map(str, undo_records))}", highlight=False, soft_wrap=True)
    return len(rows) == 1


def print_split(out: Console, con, former: list[int], split_off: list[int], change) -> None:
    """Every person the former person's records now belong to, split-off records first."""
    rows = con.execute(
        """select person_id, list(record_id order by record_id) from store.person_map
           where list_contains(?, record_id) group by person_id order by min(record_id)""", [former]).fetchall()
    off = set(split_off)
    rows.sort(key=lambda r: not (set(r[1]) & off))
    out.print(f"Split into {len(rows)} people:" if len(rows) != 1 else "Split:", highlight=False)
    for person_id, records in rows:
        out.print(f"  {_person_line(con, person_id)}  (records {', '.join(map(str, records))})", highlight=False)
    if _replaced(change):
        out.print(_replaced(change), highlight=False)
    if len(rows) > 1:
        ids = [r[0] for r in rows]
        out.print(f"Undo with: kith merge {ids[0]} {ids[1]}", highlight=False)


def _record_cell(r: dict) -> dict[str, str]:
    return {
        "record": f"{r['record_id']} ({r['source_kind']})",
        "person": "" if r.get("person_id") is None else str(r["person_id"]),
        "name": r.get("name") or "",
        "emails": ", ".join(r.get("emails") or []),
        "phones": ", ".join(r.get("phones") or []),
        "company / title": " / ".join(x for x in (r.get("company"), r.get("title")) if x),
        "linkedin": r.get("linkedin_url") or "",
        "source": f"{_short(r['source_file'])}:{r['record_key']}",
        "history": _history(r),
    }


def _history(r: dict) -> str:
    """What hangs on a record's person: '23 interactions, last 2026-10-01; birthday this week'."""
    n = r.get("interactions") or 0
    said = f"{_count(n, 'interaction')}, last {r['last_on']}" if n and r.get("last_on") else "no history"
    return said + (f"; {r['moment']} this week" if r.get("moment") else "")


def _score(score) -> str:
    return "-" if score is None else f"{score:.1f}"


def print_review_pair(out: Console, pair: dict, n: int, total: int) -> None:
    out.print()
    out.print(f"[bold]Pair {n} of {total}[/bold] · score {_score(pair['score'])} · {escape(pair['reason'])}",
              highlight=False)
    out.print(f"At stake: {escape(_stake(pair))}", highlight=False)
    table = Table(show_header=False)
    table.add_column(style="dim")
    table.add_column()
    table.add_column()
    a, b = _record_cell(pair["a"]), _record_cell(pair["b"])
    for field in a:
        if a[field] or b[field]:
            table.add_row(field, escape(a[field]), escape(b[field]))
    out.print(table)


def _stake(pair: dict) -> str:
    """In words: whose history the answer moves. 'the history of #12 (23 interactions)'."""
    a, b = pair["a"], pair["b"]
    if a.get("person_id") is not None and a.get("person_id") == b.get("person_id"):
        return f"both are person {a['person_id']} already (through other records): {_history(a)}"
    sides = [f"#{r['record_id']} {_history(r)}" for r in (a, b)]
    return " · ".join(sides)


def print_review_queue(out: Console, queue: list[dict], as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps([{"score": p["score"], "reason": p["reason"], "stake": p.get("stake"),
                           "records": [{k: p[x].get(k) for k in ("record_id", "person_id", "source_kind", "source_file",
                                                                 "record_key", "name", "emails", "phones", "company",
                                                                 "title", "linkedin_url", "interactions", "moment")}
                                       for x in ("a", "b")]}
                          for p in queue], ensure_ascii=False, indent=1, default=str))
        return
    if not queue:
        out.print("Nothing to review: kith is sure about every pair it compared.")
        return
    table = Table(title=f"{_count(len(queue), 'pair')} to review (`kith review` asks about each)", title_justify="left")
    for column, justify in (("#", "right"), ("score", "right"), ("record", "left"), ("other record", "left"),
                            ("why unsure", "left")):
        table.add_column(column, justify=justify)
    for n, p in enumerate(queue, 1):
        cells = []
        for x in ("a", "b"):
            r = p[x]
            cells.append(f"{escape(r.get('name') or '')} [dim]#{r['record_id']} {escape(_short(r['source_file']))}:"
                         f"{escape(r['record_key'])}\n{escape(_history(r))}[/dim]")
        table.add_row(str(n), _score(p["score"]), *cells, escape(p["reason"]))
    out.print(table)


# ---------------------------------------------------------------- the user's actions

def print_standing(out: Console, con, person_id: int, score: dict | None = None) -> None:
    """Under `kith show`: the person's layer and what the user told kith about them (ignored,
    snoozed, a layer of theirs), with how to change it. Quiet on a database built before
    kith had layers. ``score`` is the person's row of relationship_scores when the caller
    has it already (scoring everyone once more costs `kith show` ~60 ms)."""
    import duckdb

    from flows.actions import layer_label

    try:
        if score is None:
            row = con.execute("select layer, layer_source from relationship_scores where person_id = ?",
                              [person_id]).fetchone()
        else:
            row = (score.get("layer"), score.get("layer_source"))
        acted = con.execute("select ignored, snoozed_until, tier from models.int_person_actions where person_id = ?",
                            [person_id]).fetchone()
        as_of = con.execute("select max(as_of) from store.run_context").fetchone()[0]
    except duckdb.Error:
        return
    lines = []
    if row and row[0] is not None:
        source = "set by you: `kith tier " + str(person_id) + " auto` to undo" if row[1] == "you" else "by strength"
        lines.append(f"In {layer_label(row[0])}, {source}.")
    if acted and acted[0]:
        lines.append(f"Ignored: never on the list (`kith ignore {person_id} --undo` to undo).")
    if acted and acted[1] and (as_of is None or acted[1] > as_of):
        lines.append(f"Snoozed: not on the list until {acted[1]} (`kith snooze {person_id} --undo` to undo).")
    for line in lines:
        out.print(escape(line), highlight=False)
