"""Rich tables of stored records: the run summary, events, and one article's items."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswire.store import queries
from newswire.store.export import event_records


def _row(table: Table, *cells: str) -> None:
    # Text, not str: article text like "[sic]" or codes like "[AFG/GOV]" are not Rich markup
    table.add_row(*(Text(c) for c in cells))


def _short(text: str | None, n: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _actors(actors: list[dict]) -> str:
    out = []
    for a in actors:
        code = "/".join(x for x in (a.get("code"), a.get("sector")) if x)
        code += "?" if code and a.get("codeInferred") else ""  # taken from the event's place
        out.append(a.get("actorText", "") + (f" [{code}]" if code else ""))
    return ", ".join(out) or "—"


def _count(rec: dict, kind: str) -> str:
    if rec.get(kind) is None:
        return ""
    low, high, qual = rec[kind], rec.get(f"{kind}_max"), rec.get(f"{kind}_qualifier") or ""
    num = f"{low}" if high in (None, low) else f"{low}–{high}"
    return f"{qual} {num}".strip()


def _event_type(rec: dict) -> str:
    flags = [f for f in ("negated", "future", "hypothetical", "historical") if rec.get(f)]
    text = rec["event"] + (f" ({rec['mode']})" if rec.get("mode") else "")
    return text + (f" [{', '.join(flags)}]" if flags else "")


def _when(rec: dict) -> str:
    if not rec.get("date"):
        return rec.get("date_text") or ""
    end = rec.get("date_end")
    return rec["date"] if end in (None, rec["date"]) else f"{rec['date']}..{end}"


def events_table(records: list[dict], title: str, full: bool = False):
    table = Table(title=title, show_lines=full)
    for col in ("type", "actor → recipient", "place", "date", "dead", "conf", "evidence"):
        table.add_column(col, overflow="fold")
    for r in records:
        loc = r.get("event_loc") or {}
        place = loc.get("name", "") + (f" ({loc['country']})" if loc.get("country") else "")
        conf = r.get("confidence")
        _row(
            table,
            _event_type(r),
            f"{_actors(r['actor'])} → {_actors(r['recipient'])}",
            place,
            _when(r),
            _count(r, "dead"),
            "" if conf is None else f"{conf:.2f}",
            (r.get("event_text") or "").strip() if full else _short(r.get("event_text")),
        )
    return table


def summary_table(stats: Counter):
    table = Table(title="Run summary")
    table.add_column("")
    table.add_column("count", justify="right")
    for key, label in (
        ("read", "articles read"),
        ("stored", "stored"),
        ("skipped", "skipped (already stored)"),
        ("failed", "failed"),
        ("events", "events"),
        ("quotes", "quotes"),
        ("counts", "counts"),
        ("places", "places"),
        ("dates", "dates"),
    ):
        _row(table, label, str(stats.get(key, 0)))
    return table


_ITEM_VIEWS = {
    "quotes": (("speaker", "speaker"), ("role", "speaker_role"), ("class", "source_class"),
               ("kind", "kind"), ("cue", "cue"), ("quote", "text")),
    "counts": (("type", "type"), ("low", "low"), ("high", "high"),
               ("qualifier", "qualifier"), ("object", "object"), ("text", "span_text")),
    "dates": (("text", "text"), ("start", "start"), ("end", "end"),
              ("granularity", "granularity"), ("kind", "kind"), ("value", "value")),
    "places": (("name", "name"), ("country", "country"), ("admin1", "admin1"),
               ("lat", "lat"), ("lon", "lon"), ("precision", "precision")),
}


def show_article(con, aid: str, console: Console) -> None:
    art = queries.article(con, aid)
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column(overflow="fold")
    for key in ("id", "title", "source", "url", "published", "outlet", "byline"):
        if art.get(key):
            _row(head, key, str(art[key]))
    console.print(head)
    events = list(event_records(con, where="e.article_id = ?", params=[aid]))
    if events:
        console.print(events_table(events, title=f"Events ({len(events)})", full=True))
    else:
        console.print("Events: none", style="dim")
    for name, cols in _ITEM_VIEWS.items():
        rows = queries.items(con, name, aid)
        if not rows:
            console.print(f"{name.capitalize()}: none", style="dim")
            continue
        table = Table(title=f"{name.capitalize()} ({len(rows)})", show_lines=True)
        for label, _ in cols:
            table.add_column(label, overflow="fold")
        table.add_column("evidence sentence", overflow="fold")
        for row in rows:
            vals = ["" if row.get(k) is None else str(row[k]) for _, k in cols]
            _row(table, *vals, (row.get("sentence_text") or "").strip())
        console.print(table)
