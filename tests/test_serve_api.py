"""The HTTP API over a real store built by `newswire run` on the bundled examples."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from newswire.serve import create_app  # noqa: E402
from newswire.serve.app import MAX_PAGE_SIZE  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
INJECTION = "'; DROP TABLE events; --"
# An article written for these tests: markup and SQL inside the very sentence an event cites.
HOSTILE = (
    "Police arrest protesters outside parliament in Nairobi\n\n"
    "NAIROBI — Police arrested 14 protesters who carried a banner reading "
    f"{SCRIPT} outside parliament in Nairobi on Tuesday, witnesses said.\n\n"
    f"Another placard read {INJECTION} in red paint, according to photographs shared "
    "by the organisers.\n\n"
    '"We will not be silenced," said protest organiser Wanjiru Kamau.\n'
)


def build_store(folder: Path) -> Path:
    """The examples plus the hostile article, through the real `run` command."""
    inputs = folder / "inputs"
    shutil.copytree(EXAMPLES, inputs)
    (inputs / "99_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = folder / "serve.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "newswire", "run", str(inputs), "--db", str(db),
         "--published", "2026-11-20", "--top", "0"],
        capture_output=True, text=True, timeout=600,
    )
    assert db.exists(), proc.stderr
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def sql(db):
    con = duckdb.connect(str(db), read_only=True)
    yield lambda query, *params: con.execute(query, list(params)).fetchall()
    con.close()


@pytest.fixture(scope="module")
def client(db, sql):
    sql("SELECT 1")  # the read-only app and this read-only connection coexist
    with TestClient(create_app(db)) as c:
        yield c


def all_events(client, **params) -> list[dict]:
    out, page = [], 1
    while True:
        body = client.get("/api/events", params={**params, "page": page, "page_size": 7}).json()
        out += body["items"]
        if page * 7 >= body["total"]:
            return out
        page += 1


def test_meta_counts_match_the_store(client, sql):
    meta = client.get("/api/meta").json()
    assert meta["counts"]["articles"] == sql("SELECT count(*) FROM articles")[0][0] == 6
    assert meta["counts"]["events"] == sql("SELECT count(*) FROM events")[0][0] > 10
    assert meta["types"] == [r[0] for r in sql("SELECT DISTINCT type FROM events ORDER BY 1")]


def test_events_paginate_without_gaps_or_repeats(client, sql):
    total = sql("SELECT count(*) FROM events")[0][0]
    items = all_events(client)
    assert len(items) == total
    assert len({e["id"] for e in items}) == total
    days = [e["day"] for e in items]
    assert days == sorted(days, reverse=True)


def test_page_size_is_capped_and_parameters_validated(client):
    assert client.get("/api/events", params={"page_size": MAX_PAGE_SIZE}).status_code == 200
    assert client.get("/api/events", params={"page_size": MAX_PAGE_SIZE + 1}).status_code == 422
    assert client.get("/api/events", params={"page": 0}).status_code == 422
    assert client.get("/api/events", params={"date_from": "yesterday"}).status_code == 422
    assert client.get("/api/events", params={"country": "Kenya!"}).status_code == 422


def test_filters_select_what_they_say(client, sql):
    (type_, n), *_ = sql("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")
    got = all_events(client, type=type_)
    assert len(got) == n and {e["type"] for e in got} == {type_}

    country, n = sql(
        "SELECT place_country, count(*) FROM events WHERE place_country <> '' "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
    )[0]
    got = all_events(client, country=country.lower())
    assert len(got) == n and {e["place_country"] for e in got} == {country}

    code = sql("SELECT code FROM event_actors WHERE code <> '' GROUP BY 1 ORDER BY count(*) DESC")
    got = all_events(client, actor=code[0][0])
    assert got and all(
        code[0][0] in {a["code"] for a in e["actors"] + e["recipients"]} for e in got
    )

    got = all_events(client, date_from="2026-11-18", date_to="2026-11-20")
    assert got and all("2026-11-18" <= e["day"] <= "2026-11-20" for e in got)
    rest = all_events(client, date_to="2026-11-17")
    everything = client.get("/api/events").json()["total"]
    assert len(got) < everything and not {e["id"] for e in got} & {e["id"] for e in rest}


def test_min_sources_keeps_events_reported_often_enough(client):
    everything = all_events(client)
    assert client.get("/api/events", params={"min_sources": 1}).json()["total"] == len(
        everything)
    assert all(e["sources"] >= 1 for e in everything)
    for n in (2, 3):
        got = all_events(client, min_sources=n)
        assert all(e["sources"] >= n for e in got)
        assert len(got) == sum(e["sources"] >= n for e in everything)


def test_event_detail_has_its_evidence_in_the_article_text(client):
    for ev in all_events(client):
        detail = client.get(f"/api/events/{ev['id']}").json()
        text = detail["article"]["text"]
        assert detail["evidence"], ev["id"]
        for span in detail["evidence"]:
            assert text[span["start"]:span["end"]] == span["text"]
        assert all(q["article_id"] == ev["article_id"] for q in detail["quotes"])
    assert client.get("/api/events/no-such-event").status_code == 404


def test_hostile_article_is_returned_verbatim_and_harmless(client, sql):
    before = sql("SELECT count(*) FROM events")[0][0]
    arts = client.get("/api/articles").json()["items"]
    hostile = next(a for a in arts if a["title"].startswith("Police arrest protesters"))
    text = client.get(f"/api/articles/{hostile['id']}").json()["text"]
    assert SCRIPT in text and INJECTION in text
    for params in ({"actor": INJECTION}, {"article": INJECTION}, {"actor": SCRIPT}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 200 and r.json()["total"] == 0
    r = client.get("/api/quotes", params={"speaker": INJECTION})
    assert r.status_code == 200 and r.json()["total"] == 0
    assert sql("SELECT count(*) FROM events")[0][0] == before


def test_aggregates_agree_with_the_event_list(client, sql):
    for params in ({}, {"type": "PROTEST"}, {"country": "NGA"}):
        total = client.get("/api/events", params=params).json()["total"]
        series = client.get("/api/timeseries", params=params).json()
        assert sum(b["n"] for b in series["buckets"]) + series["undated"] == total
        geo = client.get("/api/places", params=params).json()
        located = [e for e in all_events(client, **params) if e["place_lat"] is not None]
        assert sum(f["properties"]["n"] for f in geo["features"]) == len(located)
    dyads = client.get("/api/dyads").json()
    keys = {n["key"] for n in dyads["nodes"]}
    assert dyads["edges"] and all(e["source"] in keys and e["target"] in keys
                                  for e in dyads["edges"])
    assert {e["quad_class"] for e in dyads["edges"]} <= {1, 2, 3, 4, None}
    daily = client.get("/api/timeseries", params={"interval": "day"}).json()
    assert daily["interval"] == "day"


def test_quotes_by_speaker_and_source_class(client, sql):
    speaker, n = sql(
        "SELECT speaker, count(*) FROM quotes WHERE speaker <> '' GROUP BY 1 ORDER BY 2 DESC, 1"
    )[0]
    got = client.get("/api/quotes", params={"speaker": speaker.upper()}).json()
    assert got["total"] >= n and all(speaker.lower() in q["speaker"].lower()
                                     for q in got["items"])
    named = client.get("/api/quotes", params={"source_class": "named"}).json()
    assert named["total"] == sql("SELECT count(*) FROM quotes WHERE source_class = 'named'")[0][0]


def test_read_only_and_safe_headers(client):
    schema = client.get("/openapi.json").json()
    methods = {m for ops in schema["paths"].values() for m in ops}
    assert methods == {"get"}
    assert client.post("/api/events").status_code == 405
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers[
        "content-security-policy"]
    assert "<script type=\"module\" src=\"/static/app.js\">" in page.text
    assert client.get("/static/world.json").json()["d"].startswith("M")


def test_serve_command_serves_the_store_on_localhost(db, tmp_path):
    import httpx

    from newswire.serve.devserver import free_port

    missing = subprocess.run(
        [sys.executable, "-m", "newswire", "serve", "--db", str(tmp_path / "none.duckdb")],
        capture_output=True, text=True, timeout=60,
    )
    assert missing.returncode == 1 and "no database" in missing.stderr
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswire", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                meta = httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=5).json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert meta["counts"]["articles"] == 6
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_while_a_run_writes_says_so_in_one_line(db, tmp_path):
    # this test holds the write lock, as a running `newswire run` would
    held = tmp_path / "held.duckdb"
    shutil.copyfile(db, held)
    writer = duckdb.connect(str(held))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newswire", "serve", "--db", str(held), "--port", "0"],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        writer.close()
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "in use by another process" in proc.stderr and str(held) in proc.stderr


def test_property_based_run_finds_no_server_error(db):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    from newswire.serve.devserver import ServerThread

    with ServerThread(db) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [op.ok() for op in schema.get_all_operations()]
        assert len(operations) >= 9
        for op in operations:

            @settings(max_examples=40, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy())
            def check(case):
                case.call_and_validate(base_url=url, checks=[not_a_server_error])

            check()


SYNDICATED = (
    "GOMA — M23 rebels seized the town of Rutshuru in eastern Congo on Monday after heavy "
    "fighting with government troops, local officials said.\n\n"
    "At least 15 civilians were killed in the clashes, according to a hospital director in "
    "the town.\n"
)


def test_fused_events_give_sources_and_siblings(tmp_path):
    """One wire story under two headlines: each event has the other report as its sibling."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Rebels seize Congo town of Rutshuru\n\n" + SYNDICATED)
    (inputs / "b.txt").write_text("Congo: M23 takes Rutshuru after heavy fighting\n\n" + SYNDICATED)
    db = tmp_path / "fused.duckdb"
    subprocess.run(
        [sys.executable, "-m", "newswire", "run", str(inputs), "--db", str(db),
         "--published", "2026-11-17", "--top", "0"], capture_output=True, timeout=600,
    )
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    tables = {r[0] for r in rows}
    con.close()
    if "fused_events" not in tables:
        pytest.skip("this store has no fused events (the corpus step is not installed)")
    with TestClient(create_app(db)) as c:
        assert c.get("/api/meta").json()["fused"] is True
        evs = c.get("/api/events").json()["items"]
        assert len(evs) >= 2 and len({e["article_id"] for e in evs}) == 2
        assert c.get("/api/events", params={"min_sources": 2}).json()["total"] == len(evs)
        for ev in evs:
            detail = c.get(f"/api/events/{ev['id']}").json()
            assert detail["sources"] == 2 and detail["fused_id"]
            assert [s["type"] for s in detail["siblings"]] == [ev["type"]]
            assert detail["siblings"][0]["article_id"] != ev["article_id"]
            assert detail["siblings"][0]["fused_id"] == detail["fused_id"]
        # one row per real event: the earliest report of each fused event
        one = c.get("/api/events", params={"distinct": "true"}).json()
        assert one["total"] * 2 == len(evs)
        assert sorted(e["fused_id"] for e in one["items"]) == sorted({e["fused_id"] for e in evs})
        series = c.get("/api/timeseries", params={"distinct": "true"}).json()
        assert sum(b["n"] for b in series["buckets"]) + series["undated"] == one["total"]


def test_run_adds_to_the_store_while_it_is_served(tmp_path):
    # the server reads its own copy: a run can write the store meanwhile, and the server
    # picks the new articles up once the run has finished
    httpx = pytest.importorskip("httpx")
    from newswire.serve.devserver import ServerThread

    first, second = sorted(EXAMPLES.glob("*.txt"))[:2]
    db = tmp_path / "live.duckdb"

    def run(src: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "newswire", "run", str(src), "--db", str(db),
             "--published", "2026-11-20", "--top", "0"],
            capture_output=True, text=True, timeout=600,
        )

    assert run(first).returncode == 0
    with ServerThread(db, reload_s=0.2) as url:
        before = httpx.get(f"{url}/api/meta", timeout=10).json()
        assert before["counts"]["articles"] == 1 and before["as_of"]
        added = run(second)
        assert added.returncode == 0, added.stderr
        deadline = time.monotonic() + 30
        while (meta := httpx.get(f"{url}/api/meta", timeout=10).json())["counts"][
                "articles"] == 1:
            assert time.monotonic() < deadline, "the server never saw the new article"
            time.sleep(0.2)
        assert meta["counts"]["articles"] == 2
        events = httpx.get(f"{url}/api/events", params={"page_size": 200}, timeout=10).json()
        assert {e["article_id"] for e in events["items"]} >= {
            r[0] for r in duckdb.connect(str(db), read_only=True)
            .execute("SELECT DISTINCT article_id FROM events").fetchall()}
