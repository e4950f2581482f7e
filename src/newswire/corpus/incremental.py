"""Which reports a fusion refresh must look at again: what changed, and its date neighbourhood.

Fusion (``corpus.fusion``) is greedy over a global order, but two reports only ever meet
when their fusion keys are equal and their dates are compatible. So the reports of one
key fall into date-connected neighbourhoods (intervals chained by overlap, widened by
the day slack) that fuse independently of each other, in the same relative order as in
a refresh of everything. A neighbourhood with nothing new or changed keeps its fused
events; the others are fused again. A report counts as changed when it was never fused,
when its article was stored by a run after the last refresh (``--force`` re-processes
an article under the same event ids), when its story cluster changed, or when it shares
a fused event with such a report or with a report since removed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import duckdb

from newswire.corpus import fusion

SLACK = timedelta(days=fusion.DAY_SLACK)  # fusion's widest slack, on both sides: a superset is safe

_CHANGED_SQL = """
WITH changed AS (
    SELECT e.id FROM events e ANTI JOIN fused_event_members m ON m.event_id = e.id
    UNION
    SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id
    WHERE a.run_id IS NULL OR a.run_id > ?
    UNION
    SELECT e.id FROM events e
    JOIN fused_event_members m ON m.event_id = e.id
    LEFT JOIN article_clusters c ON c.article_id = e.article_id
    WHERE m.cluster_id IS DISTINCT FROM coalesce(c.cluster_id, e.article_id)
),
touched AS (
    SELECT DISTINCT m.fused_id FROM fused_event_members m
    WHERE m.event_id IN (SELECT id FROM changed)
       OR m.event_id NOT IN (SELECT id FROM events)
)
SELECT id FROM changed
UNION
SELECT m.event_id FROM fused_event_members m JOIN events e ON e.id = m.event_id
WHERE m.fused_id IN (SELECT fused_id FROM touched)
"""

_INTERVALS_SQL = """
SELECT e.id, e.type, coalesce(e.negated, false), coalesce(e.future, false),
       coalesce(e.hypothetical, false), e.date_start, e.date_end, a.published
FROM events e JOIN articles a ON a.id = e.article_id
"""


def last_run(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest run whose articles the fused tables reflect; None: refresh everything."""
    row = con.execute("SELECT max(run_id), count(*) FROM fusion_state").fetchall()[0]
    return int(row[0] or 0) if row[1] else None


def changed_events(con: duckdb.DuckDBPyConnection, since_run: int) -> set[str]:
    return {r[0] for r in con.execute(_CHANGED_SQL, [since_run]).fetchall()}


def _interval(start: date | None, end: date | None, pub: date | None):
    """The report's dates as fusion reads them, widened by the slack; None when too vague
    to fuse with anything (a neighbourhood of its own)."""
    start, end = fusion._interval({"date_start": start, "date_end": end, "published": pub})
    if fusion._span(start, end) > fusion.MAX_SPAN_DAYS:
        return None
    return start - SLACK, end + SLACK


def neighbourhood(con: duckdb.DuckDBPyConnection, changed: set[str]) -> set[str]:
    """The changed reports and every report date-connected to one of them, key by key."""
    if not changed:
        return set()
    by_key: dict[tuple, list[tuple[date, date, str]]] = defaultdict(list)
    for eid, etype, neg, fut, hyp, start, end, pub in con.execute(_INTERVALS_SQL).fetchall():
        iv = _interval(start, end, pub)
        if iv is not None:
            by_key[(etype, neg, fut, hyp)].append((iv[0], iv[1], eid))
    out = set(changed)
    for items in by_key.values():
        items.sort()
        group: list[str] = []
        hi: date | None = None
        for lo, end, eid in items:
            if hi is not None and lo > hi:
                if out.intersection(group):
                    out.update(group)
                group, hi = [], None
            group.append(eid)
            hi = end if hi is None else max(hi, end)
        if out.intersection(group):
            out.update(group)
    return out
