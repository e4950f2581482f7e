"""Read-only queries behind the HTTP API: shared filters → one bound WHERE clause.

Every filter value travels as a bound parameter; the only text formatted into SQL is
fixed fragments chosen here (column names, the fused-events join when that table exists).
An event's *day* is its resolved date, or its article's publication date when unresolved,
so that every event has a place on the timeline and the same day in every view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from newswire.store.where import Where

DAY = "coalesce(e.date_start, a.published)"
# An actor is identified by its code and sector when coded ("SOM/MIL"), else by its text:
# the same key names a network node and an `actor` filter value.
ACTOR_KEY = (
    "CASE WHEN coalesce(x.code, '') <> '' "
    "THEN x.code || CASE WHEN coalesce(x.sector, '') <> '' THEN '/' || x.sector ELSE '' END "
    "ELSE lower(trim(x.text)) END"
)


@dataclass(frozen=True)
class Fusion:
    """How raw events link to fused ones (the corpus step's tables), when they exist."""

    link_table: str
    link_event: str
    link_fused: str
    sources_col: str

    def join(self) -> str:
        return (
            f"LEFT JOIN (SELECT l.{self.link_event} AS event_id, l.{self.link_fused} AS fused_id,"
            f" f.{self.sources_col} AS num_sources FROM {self.link_table} l"
            f" JOIN fused_events f ON f.id = l.{self.link_fused}) fu ON fu.event_id = e.id"
        )


_EVENT_COLS = """
    e.article_id, e.idx, e.id, e.type, e.mode, e.contexts,
    e.date_start, e.date_end, e.date_granularity, e.date_text,
    e.place_name, e.place_country, e.place_admin1, e.place_lat, e.place_lon,
    e.place_precision, e.dead_low, e.dead_high, e.injured_low, e.injured_high,
    e.arrested_low, e.arrested_high, e.negated, e.future, e.hypothetical, e.historical,
    e.confidence, e.trigger, e.quad_class, e.intensity,
    a.title AS article_title, a.outlet AS article_outlet, a.published AS article_published,
    a.url AS article_url
"""

# The store is attached read-only to an in-memory database that holds the index tables;
# every cursor resolves unqualified names through this path (store first).
SEARCH_PATH = "SET search_path = 'store.main,memory.main'"


def open_store(db: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the store at ``db`` attached read-only as ``store``."""
    path = Path(db)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path} (run `newswire run` first)")
    con = duckdb.connect(":memory:")
    literal = str(path).replace("'", "''")  # ATTACH takes no bound parameter
    con.execute(f"ATTACH '{literal}' AS store (READ_ONLY)")
    con.execute(SEARCH_PATH)
    return con


def build_index(con: duckdb.DuckDBPyConnection, fusion: Fusion | None) -> None:
    """In-memory index tables that every filter and aggregate reads.

    The store is attached read-only and DuckDB's file lock keeps writers out while the app
    holds it, so a snapshot taken at start-up stays exact. One row per event with its day,
    sources and place, numbered in display order (``ord``), and one row per actor keyed by
    that number: filters become single-table scans and integer joins, which keeps the
    events endpoint far under 50 ms at 100k events.
    """
    sources = sources_expr(fusion)
    fused = "fu.fused_id" if fusion else "NULL::VARCHAR"
    # absent from stores written before actors carried it (the copy is read-only)
    inferred = ("x.code_inferred" if "code_inferred" in _columns(con).get("event_actors", ())
                else "false")
    join = fusion.join() if fusion else ""
    con.execute(
        f"""CREATE OR REPLACE TABLE memory.main.ev AS
            WITH sp AS (
                SELECT y.article_id, y.event_idx,
                  list(struct_pack(sentence := y.span_sentence, "start" := y.span_start,
                                   "end" := y.span_end, text := y.span_text)
                       ORDER BY y.position) AS evidence
                FROM event_spans y GROUP BY y.article_id, y.event_idx
            )
            , raw AS (
              SELECT row_number() OVER (ORDER BY {DAY} DESC NULLS LAST, e.article_id, e.idx)
                       AS ord,
                     {_EVENT_COLS}, upper(e.place_country) AS country, {DAY} AS day,
                     {sources}::BIGINT AS sources, {fused} AS fused_id,
                     coalesce(sp.evidence, []) AS evidence
              FROM events e JOIN articles a ON a.id = e.article_id {join}
              LEFT JOIN sp ON sp.article_id = e.article_id AND sp.event_idx = e.idx
            )
            -- "first_report": the earliest report of its fused event (or an unfused event), so
            -- that one row per real event can be asked for
            SELECT *, row_number() OVER (PARTITION BY coalesce(fused_id, id)
                                         ORDER BY ord DESC) = 1 AS first_report
            FROM raw ORDER BY ord"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE memory.main.ev_actor AS
            SELECT v.ord, x.role, x.position, x.text, x.code, x.sector,
                   {inferred} AS inferred, {ACTOR_KEY} AS "key"
            FROM event_actors x JOIN ev v ON v.article_id = x.article_id AND v.idx = x.event_idx
            ORDER BY v.ord"""
    )
    # each event under every code and key of its actors, sorted by them: the actor filter
    # reads a few blocks of this table instead of a list per event
    con.execute(
        """CREATE OR REPLACE TABLE memory.main.ev_key AS
           SELECT DISTINCT ord, k FROM (
               SELECT ord, code AS k FROM ev_actor WHERE code <> ''
               UNION ALL SELECT ord, "key" FROM ev_actor)
           ORDER BY k, ord"""
    )


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table, col in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_catalog = 'store'"
    ).fetchall():
        out.setdefault(table, set()).add(col)
    return out


def detect_fusion(con: duckdb.DuckDBPyConnection) -> Fusion | None:
    """Find the fused-event tables if the corpus step wrote them; raw events otherwise."""
    cols = _columns(con)
    fused = cols.get("fused_events", set())
    sources = next((c for c in ("num_sources", "sources", "n_sources") if c in fused), None)
    if "id" not in fused or sources is None:
        return None
    for table, have in sorted(cols.items()):
        if table == "fused_events" or "event_id" not in have:
            continue
        link = next((c for c in ("fused_id", "fused_event_id") if c in have), None)
        if link:
            return Fusion(table, "event_id", link, sources)
    return None


@dataclass
class Filters:
    types: list[str] = field(default_factory=list)
    actor: str | None = None
    country: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_sources: int | None = None
    article: str | None = None
    distinct: bool = False  # one row per fused event: its earliest report

    def where(self, fusion: Fusion | None = None) -> tuple[str, list[Any]]:
        """A condition over ``v`` (the ``ev`` index table) and its bound parameters."""
        return (
            Where()
            .add("list_contains(?::VARCHAR[], v.type)", self.types)
            .add("v.ord IN (SELECT ord FROM ev_key WHERE k IN (?, lower(?)))",
                 self.actor, self.actor)
            .add("v.country = upper(?)", self.country)
            .add("v.day >= ?", self.date_from)
            .add("v.day <= ?", self.date_to)
            .add("v.sources >= ?", self.min_sources)
            .add("v.article_id = ?", self.article)
            .add("v.first_report = ?", self.distinct)
            .pair()
        )


def sources_expr(fusion: Fusion | None) -> str:
    # a raw event is one report: one source, until fusion says how many outlets carried it
    return "coalesce(fu.num_sources, 1)" if fusion else "1"


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


_ACTOR = ('struct_pack(text := x.text, code := x.code, sector := x.sector, '
          'inferred := x.inferred, "key" := x."key")')


def _with_children(cur, sel_sql: str, params: list[Any]) -> list[dict]:
    """Rows of ``ev`` chosen by ``sel_sql`` (in ``ord`` order) with actors and recipients."""
    rows = _dicts(cur.execute(sel_sql, params))
    if not rows:
        return rows
    found: dict[int, dict[str, list]] = {}
    for ord_, role, actor in cur.execute(
        f"""SELECT x.ord, x.role, {_ACTOR} FROM ev_actor x
            WHERE x.ord IN (SELECT unnest(?::BIGINT[])) ORDER BY x.ord, x.role, x.position""",
        [[r["ord"] for r in rows]],
    ).fetchall():
        found.setdefault(ord_, {}).setdefault(role, []).append(actor)
    for r in rows:
        got = found.get(r.pop("ord"), {})
        r.pop("country", None)
        r["actors"] = got.get("actor", [])
        r["recipients"] = got.get("recipient", [])
    return rows


def events(cur, f: Filters, page: int, size: int) -> dict[str, Any]:
    where, params = f.where()
    total = cur.execute(f"SELECT count(*) FROM ev v WHERE {where}", params).fetchall()[0][0]
    # the page's numbers first, over narrow columns; then only those rows in full
    sel = f"""SELECT v.* FROM ev v WHERE v.ord IN (
                  SELECT v.ord FROM ev v WHERE {where} ORDER BY v.ord LIMIT ? OFFSET ?)
              ORDER BY v.ord"""
    items = _with_children(cur, sel, params + [size, (page - 1) * size])
    return {"total": total, "page": page, "page_size": size, "items": items}


def event(cur, event_id: str) -> dict[str, Any] | None:
    one = "SELECT v.* FROM ev v WHERE v.id = ? LIMIT 1"
    rows = _with_children(cur, one, [event_id])
    if not rows:
        return None
    ev = rows[0]
    ev["article"] = article(cur, ev["article_id"])
    ev["quotes"] = quotes(cur, None, None, ev["article_id"], 1, 1000)["items"]
    ev["siblings"] = []
    if ev["fused_id"] is not None:  # the same event as other articles reported it
        ev["siblings"] = _with_children(
            cur,
            "SELECT v.* FROM ev v WHERE v.fused_id = ? AND v.id <> ?"
            " ORDER BY v.ord LIMIT 200",
            [ev["fused_id"], event_id],
        )
    return ev


def article(cur, article_id: str) -> dict[str, Any] | None:
    rows = _dicts(
        cur.execute(
            """SELECT id, title, url, outlet, author, published, byline, language, source, text,
                      (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events
               FROM articles a WHERE id = ?""",
            [article_id],
        )
    )
    return rows[0] if rows else None


def articles(cur, page: int, size: int) -> dict[str, Any]:
    total = cur.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    items = _dicts(
        cur.execute(
            """SELECT a.id, a.title, a.url, a.outlet, a.published,
                      count(e.id) AS n_events
               FROM articles a LEFT JOIN events e ON e.article_id = a.id
               GROUP BY ALL ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?""",
            [size, (page - 1) * size],
        )
    )
    return {"total": total, "page": page, "page_size": size, "items": items}


def quotes(cur, speaker: str | None, source_class: str | None, article_id: str | None,
           page: int, size: int) -> dict[str, Any]:
    cond, params = ["TRUE"], []
    if speaker:
        cond.append("q.speaker ILIKE ? ESCAPE '\\'")
        params.append("%" + _like(speaker) + "%")
    if source_class:
        cond.append("q.source_class = ?")
        params.append(source_class)
    if article_id:
        cond.append("q.article_id = ?")
        params.append(article_id)
    where = " AND ".join(cond)
    total = cur.execute(f"SELECT count(*) FROM quotes q WHERE {where}", params).fetchall()[0][0]
    items = _dicts(
        cur.execute(
            f"""SELECT q.article_id, q.idx, q.text, q.kind, q.speaker, q.speaker_role,
                       q.source_class, q.cue, q.cue_class, q.span_sentence, q.span_start,
                       q.span_end, q.speaker_start, q.speaker_end, a.title AS article_title
                FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where}
                ORDER BY q.article_id, q.idx LIMIT ? OFFSET ?""",
            params + [size, (page - 1) * size],
        )
    )
    return {"total": total, "page": page, "page_size": size, "items": items}


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def actors(cur, f: Filters, limit: int) -> list[dict[str, Any]]:
    where, params = f.where()
    return _dicts(
        cur.execute(
            f"""SELECT x."key", mode(x.text) AS label, max(x.code) AS code,
                       max(x.sector) AS sector, count(DISTINCT x.ord) AS n_events,
                       count(*) FILTER (WHERE x.role = 'actor') AS as_actor,
                       count(*) FILTER (WHERE x.role = 'recipient') AS as_recipient
                FROM ev v JOIN ev_actor x ON x.ord = v.ord
                WHERE {where} AND trim(x.text) <> ''
                GROUP BY 1 ORDER BY n_events DESC, 1 LIMIT ?""",
            params + [limit],
        )
    )


def dyads(cur, f: Filters, limit: int) -> dict[str, Any]:
    """Actor → recipient pairs per quad class, and the actors they connect."""
    where, params = f.where()
    rows = _dicts(
        cur.execute(
            f"""SELECT x."key" AS source, y."key" AS target, v.quad_class,
                       count(DISTINCT v.ord) AS n,
                       mode(x.text) AS source_label, mode(y.text) AS target_label
                FROM ev v
                JOIN ev_actor x ON x.ord = v.ord AND x.role = 'actor'
                JOIN ev_actor y ON y.ord = v.ord AND y.role = 'recipient'
                WHERE {where} AND trim(x.text) <> '' AND trim(y.text) <> ''
                GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3 LIMIT ?""",
            params + [limit],
        )
    )
    nodes: dict[str, dict[str, Any]] = {}
    for r in rows:
        for end in ("source", "target"):
            node = nodes.setdefault(r[end], {"key": r[end], "label": r[f"{end}_label"], "n": 0})
            node["n"] += r["n"]
    edges = [{k: r[k] for k in ("source", "target", "quad_class", "n")} for r in rows]
    return {"nodes": sorted(nodes.values(), key=lambda n: (-n["n"], n["key"])), "edges": edges}


def timeseries(cur, f: Filters, interval: str) -> dict[str, Any]:
    where, params = f.where()
    if interval == "auto":
        lo, hi = cur.execute(
            f"SELECT min(v.day), max(v.day) FROM ev v WHERE {where}", params
        ).fetchall()[0]
        span = (hi - lo).days if lo and hi else 0
        interval = "day" if span <= 62 else "week" if span <= 366 else "month"
    if interval not in ("day", "week", "month"):
        raise ValueError(f"unknown interval {interval!r}")
    rows = _dicts(
        cur.execute(
            f"""SELECT date_trunc('{interval}', v.day)::DATE AS t, v.type, count(*) AS n
                FROM ev v WHERE {where} AND v.day IS NOT NULL
                GROUP BY 1, 2 ORDER BY 1, 2""",
            params,
        )
    )
    undated = cur.execute(
        f"SELECT count(*) FROM ev v WHERE {where} AND v.day IS NULL", params
    ).fetchall()[0][0]
    return {"interval": interval, "buckets": rows, "undated": undated}


def places(cur, f: Filters) -> dict[str, Any]:
    """Event places as a GeoJSON FeatureCollection, one feature per distinct place."""
    where, params = f.where()
    rows = _dicts(
        cur.execute(
            f"""SELECT v.place_name AS name, v.place_country AS country,
                       v.place_precision AS precision, v.place_lat AS lat, v.place_lon AS lon,
                       count(*) AS n, list(DISTINCT v.type ORDER BY v.type) AS types,
                       list(v.id ORDER BY v.ord)[1:20] AS event_ids
                FROM ev v
                WHERE {where} AND v.place_lat IS NOT NULL AND v.place_lon IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5 ORDER BY n DESC, name""",
            params,
        )
    )
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.pop("lon"), r.pop("lat")]},
            "properties": r,
        }
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": feats}


def meta(cur, fusion: Fusion | None) -> dict[str, Any]:
    counts = {
        t: cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("articles", "events", "quotes")
    }
    types = [r[0] for r in cur.execute("SELECT DISTINCT type FROM ev ORDER BY 1").fetchall()]
    classes = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT source_class FROM quotes WHERE source_class <> '' ORDER BY 1"
        ).fetchall()
    ]
    lo, hi = cur.execute("SELECT min(day), max(day) FROM ev").fetchall()[0]
    return {"counts": counts, "types": types, "source_classes": classes,
            "first_day": lo, "last_day": hi, "fused": fusion is not None}
