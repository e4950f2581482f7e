"""Corpus queries for analysts: fused (or raw) events with filters, and aggregate stats."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from newswire.store.export import event_records
from newswire.store.where import Where

COUNT_KINDS = ("dead", "injured", "arrested")


@dataclass
class Filters:
    type: str | None = None
    actor: str | None = None  # code among actors or recipients
    country: str | None = None  # ISO3 of the event place
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None  # substring of the place name, case-insensitive
    min_sources: int = 1
    limit: int | None = None


def has_corpus(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'fused_events'"
    ).fetchall()
    return bool(rows[0][0])


def _upper(v: str | None) -> str | None:
    return v.upper() if v else None


def _fused_where(f: Filters) -> tuple[str, list[Any]]:
    actor = _upper(f.actor)
    return (
        Where()
        .add("f.num_sources >= ?", f.min_sources or 1)
        .add("f.type = ?", _upper(f.type))
        .add("(list_contains(f.actor_codes, ?) OR list_contains(f.recipient_codes, ?))",
             actor, actor)
        .add("f.place_country = ?", _upper(f.country))
        .add("f.place_name ILIKE ?", f.place and f"%{f.place}%")
        .add("coalesce(f.date_end, f.date_start) >= ?", f.date_from)
        .add("f.date_start <= ?", f.date_to)
        .pair()
    )


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _num(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def fused_record(row: dict[str, Any]) -> dict[str, Any]:
    """A fused-event row (with its member lists) as a PLOVER-layout record."""
    loc = None
    if row.get("place_name"):
        loc = {k: row.get(f"place_{k}") for k in ("name", "country", "admin1", "lat", "lon",
                                                   "precision")}
    rec: dict[str, Any] = {
        "id": row["id"],
        "date": _iso(row["date_start"]),
        "date_end": _iso(row["date_end"]),
        "date_granularity": row["date_granularity"] or None,
        "event": row["type"],
        "mode": row["mode"] or "",
        "actor": [{"code": c} for c in row["actor_codes"] or []],
        "recipient": [{"code": c} for c in row["recipient_codes"] or []],
        "event_loc": loc,
    }
    for kind in COUNT_KINDS:
        rec[kind] = _num(row[f"{kind}_latest"])
        rec[f"{kind}_range"] = (
            [_num(row[f"{kind}_min"]), _num(row[f"{kind}_max"])]
            if row[f"{kind}_min"] is not None else None
        )
        rec[f"{kind}_most_cited"] = _num(row[f"{kind}_most_cited"])
        rec[f"{kind}_reports"] = int(row[f"{kind}_reports"] or 0)
    rec.update(
        {
            "negated": row["negated"],
            "future": row["future"],
            "hypothetical": row["hypothetical"],
            "historical": row["historical"],
            "confidence": row["confidence"],
            "quad_class": row["quad_class"],
            "intensity": row["intensity"],
            "acled_event_type": row["acled_event_type"] or "",
            "acled_sub_event_type": row["acled_sub_event_type"] or "",
            "trigger": row["trigger"] or "",
            "num_mentions": row["num_mentions"],
            "num_articles": row["num_articles"],
            "num_sources": row["num_sources"],
            "num_story_clusters": row["num_clusters"],
            "first_seen": _iso(row["first_seen"]),
            "last_seen": _iso(row["last_seen"]),
            "event_ids": list(row["event_ids"] or []),
            "article_ids": list(row["article_ids"] or []),
            "sources": list(row["sources"] or []),
            "reports": [
                {k: _num(_iso(v)) for k, v in r.items()} for r in row["reports"] or []
            ],
        }
    )
    return rec


_FUSED_SQL = """
WITH sel AS (SELECT f.* FROM fused_events f WHERE {where}
             ORDER BY f.num_sources DESC, f.num_mentions DESC, f.date_start, f.id {limit}),
ev AS (
    SELECT y.article_id, y.event_idx,
           arg_min(struct_pack(sentence := y.span_sentence, "start" := y.span_start,
                               "end" := y.span_end, text := y.span_text), y.position) AS span
    FROM event_spans y
    WHERE y.article_id IN (SELECT m.article_id FROM fused_event_members m
                           WHERE m.fused_id IN (SELECT id FROM sel))
    GROUP BY y.article_id, y.event_idx
),
mem AS (
    SELECT m.fused_id,
           list(m.event_id ORDER BY m.event_id) AS event_ids,
           list(DISTINCT m.article_id ORDER BY m.article_id) AS article_ids,
           list(DISTINCT coalesce(m.outlet, m.source_key) ORDER BY coalesce(m.outlet, m.source_key))
               AS sources,
           list(struct_pack(event_id := m.event_id, article_id := m.article_id,
                            outlet := m.outlet, published := m.published,
                            dead := coalesce(m.dead_low, m.dead_high),
                            injured := coalesce(m.injured_low, m.injured_high),
                            arrested := coalesce(m.arrested_low, m.arrested_high),
                            sentence := ev.span.sentence, "start" := ev.span."start",
                            "end" := ev.span."end", text := ev.span.text)
                ORDER BY m.published, m.event_id) AS reports
    FROM fused_event_members m
    LEFT JOIN ev ON ev.article_id = m.article_id AND ev.event_idx = m.event_idx
    WHERE m.fused_id IN (SELECT id FROM sel)
    GROUP BY m.fused_id
)
SELECT sel.*, mem.event_ids, mem.article_ids, mem.sources, mem.reports
FROM sel LEFT JOIN mem ON mem.fused_id = sel.id
ORDER BY sel.num_sources DESC, sel.num_mentions DESC, sel.date_start, sel.id
"""


def fused_events(con: duckdb.DuckDBPyConnection, f: Filters) -> Iterator[dict[str, Any]]:
    """Fused events matching the filters, most widely reported first, with their reports."""
    where, params = _fused_where(f)
    limit = f"LIMIT {int(f.limit)}" if f.limit is not None else ""
    rel = con.execute(_FUSED_SQL.format(where=where, limit=limit), params)
    cols = [d[0] for d in rel.description]
    for row in rel.fetchall():
        yield fused_record(dict(zip(cols, row, strict=True)))


def raw_events(con: duckdb.DuckDBPyConnection, f: Filters) -> Iterator[dict[str, Any]]:
    """Per-article events (PLOVER records from the store export) matching the filters."""
    day = "coalesce(e.date_start, a.published)"
    where, params = (
        Where()
        .add("e.type = ?", _upper(f.type))
        .add("EXISTS (SELECT 1 FROM event_actors x WHERE x.article_id = e.article_id"
             " AND x.event_idx = e.idx AND x.code = ?)", _upper(f.actor))
        .add("e.place_country = ?", _upper(f.country))
        .add("e.place_name ILIKE ?", f.place and f"%{f.place}%")
        .add(f"coalesce(e.date_end, {day}) >= ?", f.date_from)
        .add(f"{day} <= ?", f.date_to)
        .pair()
    )
    yield from event_records(
        con, where=where, params=params,
        order=f"{day} NULLS LAST, e.article_id, e.idx", limit=f.limit,
    )


def stats(
    con: duckdb.DuckDBPyConnection, raw: bool = False, period: str = "day", top: int = 10
) -> dict[str, Any]:
    """Totals, events per type per day/week, and the most frequent actor→recipient dyads."""
    if period not in ("day", "week"):
        raise ValueError("period is day or week")
    one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    totals = {
        "articles": one("SELECT count(*) FROM articles"),
        "events": one("SELECT count(*) FROM events"),
    }
    fused = not raw and has_corpus(con)
    if has_corpus(con):
        totals["fused_events"] = one("SELECT count(*) FROM fused_events")
        totals["story_clusters"] = one("SELECT count(DISTINCT cluster_id) FROM article_clusters")
        totals["multi_article_clusters"] = one(
            "SELECT count(*) FROM (SELECT cluster_id FROM article_clusters GROUP BY 1"
            " HAVING count(*) > 1)"
        )
    if fused:
        src, day = "fused_events f", "f.date_start"
        dyads_sql = """
            SELECT a.code AS actor, r.code AS recipient, count(*) AS n
            FROM fused_events f, unnest(f.actor_codes) AS a(code), unnest(f.recipient_codes)
                 AS r(code)
            WHERE a.code <> r.code GROUP BY 1, 2"""
    else:
        src, day = "events f JOIN articles a ON a.id = f.article_id", \
            "coalesce(f.date_start, a.published)"
        dyads_sql = """
            SELECT DISTINCT x.article_id, x.event_idx, x.code AS actor, y.code AS recipient
            FROM event_actors x JOIN event_actors y
              ON x.article_id = y.article_id AND x.event_idx = y.event_idx
            WHERE x.role = 'actor' AND y.role = 'recipient' AND x.code <> '' AND y.code <> ''
              AND x.code <> y.code"""
        dyads_sql = f"SELECT actor, recipient, count(*) AS n FROM ({dyads_sql}) GROUP BY 1, 2"
    bucket = day if period == "day" else f"date_trunc('week', {day})::DATE"
    per = con.execute(
        f"""SELECT {bucket} AS period, f.type, count(*) AS n FROM {src}
            WHERE {day} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"""
    ).fetchall()
    dyads = con.execute(
        f"SELECT * FROM ({dyads_sql}) ORDER BY n DESC, actor, recipient LIMIT {int(top)}"
    ).fetchall()
    return {
        "fused": fused,
        "period": period,
        "totals": totals,
        "per_period": [{"period": p.isoformat(), "type": t, "events": n} for p, t, n in per],
        "dyads": [{"actor": a, "recipient": r, "events": n} for a, r, n in dyads],
    }
