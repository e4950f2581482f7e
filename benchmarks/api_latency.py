"""API latency: the events endpoint over a synthetic store of 100k events (target p50 ≤ 50 ms).

    python benchmarks/api_latency.py [--events 100000] [--requests 200] [--keep DB]

The store is generated with SQL straight into DuckDB (seconds), then served by the real app
in a uvicorn thread and queried over HTTP with a mix of filters and pages.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from newswire.serve.devserver import ServerThread
from newswire.store.writer import connect

TYPES = ["ASSAULT", "PROTEST", "COERCE", "AID", "AGREE", "CONSULT", "ACCUSE", "REQUEST",
         "THREATEN", "SUPPORT", "MOBILIZE", "SANCTION", "RETREAT", "COOPERATE"]
CODES = ["SOM", "KEN", "NGA", "SDN", "NER", "IGO", "ETH", "UKR", "RUS", "USA", "FRA", "", ""]
PLACES = [("Mogadishu", "SOM", 2.04, 45.34, "city"), ("Nairobi", "KEN", -1.28, 36.82, "city"),
          ("Lagos", "NGA", 6.45, 3.39, "admin1"), ("Niger", "NER", 13.5, 2.1, "country"),
          ("El Fasher", "SDN", 13.63, 25.35, "city"), ("Kyiv", "UKR", 50.45, 30.52, "city")]


def build(path: Path, n_events: int) -> None:
    n_articles = max(1, n_events // 5)
    con = connect(path)  # creates the real schema
    con.execute("CREATE TEMP TABLE tys AS SELECT unnest(?::VARCHAR[]) AS t, "
                "generate_subscripts(?::VARCHAR[], 1) AS k", [TYPES, TYPES])
    con.execute("CREATE TEMP TABLE cds AS SELECT unnest(?::VARCHAR[]) AS c, "
                "generate_subscripts(?::VARCHAR[], 1) AS k", [CODES, CODES])
    con.execute("CREATE TEMP TABLE pls (name VARCHAR, country VARCHAR, lat DOUBLE, "
                "lon DOUBLE, prec VARCHAR, k INTEGER)")
    for k, p in enumerate(PLACES, 1):
        con.execute("INSERT INTO pls VALUES (?, ?, ?, ?, ?, ?)", [*p, k])
    con.execute(
        """INSERT INTO articles (id, source, title, published, outlet, language, text,
                                 processed_at, version, run_id)
           SELECT printf('a%07d', i), 'synthetic', 'Story ' || i,
                  DATE '2025-01-01' + (i % 400)::INTEGER,
                  'outlet' || (i % 40), 'en',
                  'Officials said fighting continued near the town. ' || repeat('x', 400),
                  now()::TIMESTAMP, 'bench', 1
           FROM range(?) r(i)""", [n_articles])
    con.execute(
        """INSERT INTO sentences SELECT printf('a%07d', i), 0, 0, 49 FROM range(?) r(i)""",
        [n_articles])
    con.execute(
        f"""INSERT INTO events (article_id, idx, id, type, mode, contexts, place_name,
               place_country, place_lat, place_lon, place_precision, date_start, date_end,
               date_granularity, negated, future, hypothetical, historical, confidence,
               trigger, quad_class)
           SELECT printf('a%07d', i % {n_articles}), i // {n_articles},
                  printf('a%07d-E%d', i % {n_articles}, i // {n_articles} + 1),
                  tys.t, '', [], pls.name, pls.country, pls.lat, pls.lon, pls.prec,
                  CASE WHEN i % 7 = 0 THEN NULL
                       ELSE DATE '2025-01-01' + (i * 13 % 400)::INTEGER END,
                  NULL, 'day', false, false, false, false, (i % 100) / 100.0, 'said',
                  1 + i % 4
           FROM range(?) r(i)
           JOIN tys ON tys.k = 1 + (i * 7919) % {len(TYPES)}
           JOIN pls ON pls.k = 1 + (i * 104729) % {len(PLACES)}""", [n_events])
    for role, mult in (("actor", 31), ("recipient", 17)):
        con.execute(
            f"""INSERT INTO event_actors (article_id, event_idx, event_id, role, position,
                   text, code, sector, span_sentence, span_start, span_end, span_text)
               SELECT e.article_id, e.idx, e.id, '{role}', 0, 'Group ' || cds.c, cds.c, 'GOV',
                      0, 0, 9, 'Officials'
               FROM (SELECT *, row_number() OVER () AS i FROM events) e
               JOIN cds ON cds.k = 1 + (e.i * {mult}) % {len(CODES)}""")
    con.execute(
        """INSERT INTO event_spans SELECT article_id, idx, id, 0, 0, 0, 49,
                  'Officials said fighting continued near the town.'
           FROM events""")
    con.close()


QUERIES = [
    {},
    {"type": "PROTEST"},
    {"actor": "KEN"},
    {"country": "NGA", "date_from": "2025-03-01", "date_to": "2025-06-30"},
    {"type": "ASSAULT,COERCE", "actor": "SOM", "page": 3},
    {"page": 500, "page_size": 100},
    {"min_sources": 1, "date_from": "2025-12-01"},
]


def measure(url: str, n: int) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for q in QUERIES:  # warm-up: first-time plans and caches
            client.get("/api/events", params=q).raise_for_status()
        for i in range(n):
            q = QUERIES[i % len(QUERIES)]
            t0 = time.perf_counter()
            r = client.get("/api/events", params=q)
            times.append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
    for k, q in enumerate(QUERIES):
        mine = times[k::len(QUERIES)]
        print(f"  p50 {statistics.median(mine):6.1f} ms  {q or '(no filter)'}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=210)
    ap.add_argument("--keep", type=Path, help="write the synthetic store here and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "bench.duckdb"
        db.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(db, args.events)
        print(f"built {args.events} synthetic events in {time.perf_counter() - t0:.1f} s")
        with ServerThread(db) as url:
            total = httpx.get(f"{url}/api/events").json()["total"]
            times = measure(url, args.requests)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"events endpoint over {total} events, {len(times)} requests: "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
          f"({'meets' if p50 <= 50 else 'MISSES'} the 50 ms target)")


if __name__ == "__main__":
    main()
