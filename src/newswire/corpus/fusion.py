"""Event fusion: reports of one real-world event, across articles and outlets, become one event.

Two reports fuse when they have the same PLOVER type and modality (negated / future /
hypothetical), compatible dates (intervals overlap, or lie within a day of each other when
both are day- or week-sized), compatible places (same country where both know it, and
within ``MAX_KM`` where both have coordinates), and compatible actors (actor/recipient
codes overlap; within one story cluster the same place stands in for them; a report
without codes only joins reports of its own story cluster).

Fusion is greedy over a fixed order (finest date first, then date, then event id), each
report joining the best compatible fused event seeded before it; there is no transitive
chaining, since compatibility is checked against the fused event's seed. The result is a
function of the stored events only; after a run, only the date neighbourhoods of new or
changed reports are fused again (``corpus.incremental``), with the same result.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from newswire.store import corpus_schema
from newswire.store.writer import rollback

MAX_KM = 100.0  # two located reports further apart are different events
DAY_SLACK = 1  # day-sized dates may differ by this many days (time zones, "overnight")
FINE_DAYS = 7  # intervals up to a week long use the slack; longer ones must overlap
MAX_SPAN_DAYS = 366  # a date vaguer than a year does not fuse by date at all
COUNT_KINDS = ("dead", "injured", "arrested")
_PRECISION = {"point": 0, "city": 1, "admin1": 2, "region": 3, "country": 4, "": 5}

_EVENTS_SQL = """
WITH codes AS (
    SELECT article_id, event_idx,
           list(DISTINCT code ORDER BY code) FILTER (WHERE role = 'actor' AND code <> '')
               AS actor_codes,
           list(DISTINCT code ORDER BY code) FILTER (WHERE role = 'recipient' AND code <> '')
               AS recipient_codes
    FROM event_actors
    GROUP BY article_id, event_idx
)
SELECT e.id, e.article_id, e.idx, e.type, e.mode, e.negated, e.future, e.hypothetical,
       e.historical,
       e.date_start, e.date_end, e.date_granularity,
       e.place_name, e.place_country, e.place_admin1, e.place_lat, e.place_lon,
       e.place_precision, e.dead_low, e.dead_high, e.injured_low, e.injured_high,
       e.arrested_low, e.arrested_high, e.confidence, e.quad_class, e.intensity,
       e.acled_event_type, e.acled_sub_event_type, e.trigger,
       a.published, a.outlet, coalesce(c.cluster_id, a.id) AS cluster_id,
       x.actor_codes, x.recipient_codes
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN article_clusters c ON c.article_id = e.article_id
LEFT JOIN codes x ON x.article_id = e.article_id AND x.event_idx = e.idx
"""


@dataclass
class FusionStats:
    events: int = 0
    fused: int = 0
    multi: int = 0  # fused events with more than one report
    refused: int = 0  # reports fused in this refresh (all of them on a full one)
    seconds: float = 0.0


@dataclass
class _Group:
    seed: dict[str, Any]
    start: date | None
    end: date | None
    codes: set[str]
    clusters: set[str]
    members: list[dict[str, Any]] = field(default_factory=list)


def _interval(ev: dict[str, Any]) -> tuple[date | None, date | None]:
    if ev["date_start"] is not None:
        return ev["date_start"], ev["date_end"] or ev["date_start"]
    if ev["published"] is not None:  # an undated report is taken to be of its day
        return ev["published"], ev["published"]
    return None, None


def _span(start: date | None, end: date | None) -> int:
    if start is None or end is None:
        return MAX_SPAN_DAYS + 1
    return (end - start).days + 1


def _dates_ok(a0: date, a1: date, b0: date, b1: date) -> bool:
    slack = DAY_SLACK if max(_span(a0, a1), _span(b0, b1)) <= FINE_DAYS else 0
    return a0 <= b1 + timedelta(days=slack) and b0 <= a1 + timedelta(days=slack)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _places_ok(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["place_country"] and b["place_country"] and a["place_country"] != b["place_country"]:
        return False
    located = all(
        x["place_lat"] is not None and _PRECISION.get(x["place_precision"] or "", 5) <= 1
        for x in (a, b)
    )
    if located:
        return _km(a["place_lat"], a["place_lon"], b["place_lat"], b["place_lon"]) <= MAX_KM
    return True


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if not a["place_name"] or not b["place_name"]:
        return False
    if a["place_name"].casefold() == b["place_name"].casefold():
        return True
    if a["place_lat"] is None or b["place_lat"] is None:
        return False
    return _km(a["place_lat"], a["place_lon"], b["place_lat"], b["place_lon"]) <= MAX_KM


def _codes(ev: dict[str, Any]) -> set[str]:
    return set(ev["actor_codes"] or ()) | set(ev["recipient_codes"] or ())


def _score(
    ev: dict[str, Any], codes: set[str], g: _Group, fine: bool
) -> tuple[int, int] | None:
    """How well a report fits a fused event; None when incompatible.

    ``fine``: both dates are day/week-sized, and the day index found the group, so the
    dates are compatible already. The cheap actor test runs before the place test.
    """
    shared = len(codes & g.codes)
    same_story = ev["cluster_id"] in g.clusters
    if codes and g.codes:
        # Rewrites of one story often code the same actors differently (the attacker in
        # one, the victim's country in another): within a story, the same place will do.
        if not shared and not (same_story and _same_place(ev, g.seed)):
            return None
    elif not same_story:
        return None
    if not fine and not _dates_ok(ev["_start"], ev["_end"], g.start, g.end):  # type: ignore[arg-type]
        return None
    if not _places_ok(ev, g.seed):
        return None
    return shared, int(same_story)


def _key(ev: dict[str, Any]) -> tuple:
    return (ev["type"], bool(ev["negated"]), bool(ev["future"]), bool(ev["hypothetical"]))


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def group_events(events: list[dict[str, Any]]) -> list[_Group]:
    """Fuse report rows (dicts as selected by ``_EVENTS_SQL``) into groups."""
    for ev in events:
        ev["_start"], ev["_end"] = _interval(ev)
    order = sorted(
        events,
        key=lambda e: (_span(e["_start"], e["_end"]), e["_start"] or date.max, e["id"]),
    )
    groups: list[_Group] = []
    # Blocking: (key, day) or (key, month) → country → groups. A report only meets
    # groups of its own country and of none (the country check would reject the rest);
    # without it a dense corpus makes every report meet every group of its day.
    by_day: dict[tuple, dict[str, list[int]]] = {}
    coarse: dict[tuple, dict[str, list[int]]] = {}

    def near(index: dict, block: tuple, country: str) -> Iterator[int]:
        slot = index.get(block)
        if not slot:
            return
        if not country:
            for members in slot.values():
                yield from members
            return
        yield from slot.get(country, ())
        yield from slot.get("", ())

    for ev in order:
        key, codes = _key(ev), _codes(ev)
        start, end = ev["_start"], ev["_end"]
        country = ev["place_country"] or ""
        span = _span(start, end)
        best, best_score = None, None
        if span <= MAX_SPAN_DAYS:
            slack = DAY_SLACK if span <= FINE_DAYS else 0
            cand: set[int] = set()
            for month in _months(start - timedelta(days=slack), end + timedelta(days=slack)):
                cand.update(near(coarse, (key, month), country))
            for d in range(-slack, span + slack):
                cand.update(near(by_day, (key, start + timedelta(days=d)), country))
            for gi in sorted(cand):
                g = groups[gi]
                fine = span <= FINE_DAYS and _span(g.start, g.end) <= FINE_DAYS
                score = _score(ev, codes, g, fine)
                if score is not None and (best_score is None or score > best_score):
                    best, best_score = gi, score
        if best is None:
            best = len(groups)
            groups.append(_Group(ev, start, end, set(), set()))
            if span <= FINE_DAYS:
                for d in range(span):
                    slot = by_day.setdefault((key, start + timedelta(days=d)), {})
                    slot.setdefault(country, []).append(best)
            elif span <= MAX_SPAN_DAYS:
                for month in _months(start, end):
                    slot = coarse.setdefault((key, month), {})
                    slot.setdefault(country, []).append(best)
        g = groups[best]
        g.members.append(ev)
        g.codes |= codes
        g.clusters.add(ev["cluster_id"])
    return groups


def _figure(ev: dict[str, Any], kind: str) -> float | None:
    low, high = ev[f"{kind}_low"], ev[f"{kind}_high"]
    return low if low is not None else high


def _counts(members: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    reports = [(m, f) for m in members if (f := _figure(m, kind)) is not None]
    out: dict[str, Any] = {f"{kind}_{s}": None for s in ("min", "max", "latest", "most_cited")}
    out[f"{kind}_reports"] = float(len(reports))
    if not reports:
        return out
    highs = [m[f"{kind}_high"] if m[f"{kind}_high"] is not None else f for m, f in reports]
    out[f"{kind}_min"] = min(f for _, f in reports)
    out[f"{kind}_max"] = max(highs)
    # the latest report wins ties by event id, so the choice does not depend on row order
    latest = max(reports, key=lambda mf: (mf[0]["published"] or date.min, mf[0]["id"]))
    out[f"{kind}_latest"] = latest[1]
    # cited = by how many articles: a figure repeated within one article counts once
    cited = Counter(f for _, f in {(m["article_id"], f): (m, f) for m, f in reports}.values())
    top = max(cited.values())
    tied = {f for f, n in cited.items() if n == top}
    newest = max(
        (mf for mf in reports if mf[1] in tied),
        key=lambda mf: (mf[0]["published"] or date.min, mf[0]["id"]),
    )
    out[f"{kind}_most_cited"] = newest[1]
    return out


def _source(ev: dict[str, Any]) -> str:
    outlet = " ".join((ev["outlet"] or "").split()).casefold()
    return outlet or f"article:{ev['article_id']}"


def fused_row(g: _Group) -> dict[str, Any]:
    members = g.members
    fid = "F-" + min(m["id"] for m in members)
    rep = min(members, key=lambda m: (-(m["confidence"] or 0.0), m["id"]))
    placed = min(
        members,
        key=lambda m: (m["place_name"] is None, _PRECISION.get(m["place_precision"] or "", 5),
                       m["id"]),
    )
    modes = Counter(m["mode"] or "" for m in members)
    published = [m["published"] for m in members if m["published"] is not None]
    row: dict[str, Any] = {
        "id": fid,
        "type": g.seed["type"],
        "mode": max(sorted(modes), key=lambda k: modes[k]),
        "negated": bool(g.seed["negated"]),
        "future": bool(g.seed["future"]),
        "hypothetical": bool(g.seed["hypothetical"]),
        "historical": all(bool(m["historical"]) for m in members),
        "date_start": g.start,
        "date_end": g.end,
        # an undated seed stands for its publication day
        "date_granularity": g.seed["date_granularity"] or ("day" if g.start else ""),
        "actor_codes": sorted({c for m in members for c in m["actor_codes"] or ()}),
        "recipient_codes": sorted({c for m in members for c in m["recipient_codes"] or ()}),
        "num_mentions": len(members),
        "num_articles": len({m["article_id"] for m in members}),
        "num_sources": len({_source(m) for m in members}),
        "num_clusters": len({m["cluster_id"] for m in members}),
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None,
        "confidence": max((m["confidence"] or 0.0) for m in members),
        "representative": rep["id"],
    }
    for col in ("name", "country", "admin1", "lat", "lon", "precision"):
        row[f"place_{col}"] = placed[f"place_{col}"]
    for col in ("quad_class", "intensity", "acled_event_type", "acled_sub_event_type", "trigger"):
        row[col] = rep[col]
    for kind in COUNT_KINDS:
        row.update(_counts(members, kind))
    return row


def member_rows(g: _Group, fid: str) -> list[dict[str, Any]]:
    return [
        {
            "fused_id": fid,
            "event_id": m["id"],
            "article_id": m["article_id"],
            "event_idx": m["idx"],
            "outlet": m["outlet"],
            "source_key": _source(m),
            "published": m["published"],
            "cluster_id": m["cluster_id"],
            **{f"{k}_{s}": m[f"{k}_{s}"] for k in COUNT_KINDS for s in ("low", "high")},
        }
        for m in sorted(g.members, key=lambda m: m["id"])
    ]


def _insert(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, Any]]) -> None:
    schema = corpus_schema.arrow_schema(name)
    tbl = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    con.register("_nw_fused", tbl)
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM _nw_fused")
    finally:
        con.unregister("_nw_fused")


def _by_type(con: duckdb.DuckDBPyConnection, only: bool, chunk: int = 20_000
             ) -> Iterator[list[dict]]:
    """The reports (``only``: those listed in the registered ``_nw_redo``), one type at a
    time (reports of different types never fuse), so that memory holds one type's reports
    rather than the whole store's."""
    where = " WHERE e.id IN (SELECT id FROM _nw_redo)" if only else ""
    rel = con.execute(_EVENTS_SQL + where + " ORDER BY e.type")
    cols = [d[0] for d in rel.description]
    buf: list[dict[str, Any]] = []
    while rows := rel.fetchmany(chunk):
        for r in rows:
            ev = dict(zip(cols, r, strict=True))
            if buf and ev["type"] != buf[-1]["type"]:
                yield buf
                buf = []
            buf.append(ev)
    if buf:
        yield buf


_STALE_SQL = """SELECT DISTINCT fused_id FROM fused_event_members
    WHERE event_id IN (SELECT id FROM _nw_redo) OR event_id NOT IN (SELECT id FROM events)"""


def refresh(con: duckdb.DuckDBPyConnection, full: bool = False) -> FusionStats:
    """Bring ``fused_events`` and ``fused_event_members`` up to date with the stored events.

    Only the date neighbourhoods of what changed since the last refresh are fused again
    (``corpus.incremental``); everything on the first refresh, or with ``full``.
    """
    from newswire.corpus import incremental

    t0 = time.perf_counter()
    corpus_schema.ensure(con)
    stats = FusionStats()
    since = None if full else incremental.last_run(con)
    redo = None
    if since is not None:
        redo = incremental.neighbourhood(con, incremental.changed_events(con, since))
        con.register("_nw_redo", pa.table({"id": sorted(redo)}, schema=pa.schema(
            [("id", pa.string())])))
    try:
        fused: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for events in _by_type(con, only=redo is not None):
            stats.refused += len(events)
            for g in group_events(events):
                row = fused_row(g)
                fused.append(row)
                members += member_rows(g, row["id"])
        con.begin()
        try:
            if redo is None:
                con.execute("DELETE FROM fused_event_members")
                con.execute("DELETE FROM fused_events")
            else:
                stale = [r[0] for r in con.execute(_STALE_SQL).fetchall()]
                for table, col in (("fused_event_members", "fused_id"), ("fused_events", "id")):
                    con.execute(f"DELETE FROM {table} WHERE {col} IN "
                                "(SELECT unnest(?::VARCHAR[]))", [stale])
            _insert(con, "fused_events", fused)
            _insert(con, "fused_event_members", members)
            con.execute("DELETE FROM fusion_state")
            con.execute("INSERT INTO fusion_state SELECT coalesce(max(run_id), 0) FROM articles")
            con.commit()
        except BaseException:
            rollback(con)
            raise
    finally:
        if redo is not None:
            con.unregister("_nw_redo")
    one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    stats.events = one("SELECT count(*) FROM events")
    stats.fused = one("SELECT count(*) FROM fused_events")
    stats.multi = one("SELECT count(*) FROM fused_events WHERE num_mentions > 1")
    stats.seconds = time.perf_counter() - t0
    return stats
