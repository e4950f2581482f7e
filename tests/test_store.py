"""The DuckDB store and the exports: real spaCy records, a real DuckDB file."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date

import duckdb
import pytest
from conftest import run_text

from newswire import store
from newswire.extract.spans import make_span
from newswire.model import Actor, ArticleRecord, Count, DateRef, Event, Place, Span
from newswire.store import export, queries, schema

BOMB = (
    "KIRKUK, Iraq — A car bomb exploded near a crowded market in Kirkuk on Tuesday, killing at "
    "least 12 people and wounding dozens more, police said.\n\n"
    "“The blast shattered every window on the street,” said Ahmed Karim, a shopkeeper who was "
    "hurt in the attack.\n\n"
    "Security forces arrested three suspects later in the day, a police spokesman said."
)
PROTEST = (
    "SÃO PAULO — Thousands of teachers marched through São Paulo on Saturday to demand higher "
    "pay, and police detained 14 protesters near the state assembly.\n\n"
    "The union’s president, Márcia Gonçalves, said the strike would go on “until the governor "
    "listens.”\n\n"
    "State officials said the arrests followed clashes in which two officers were injured."
)


def _span(rec: ArticleRecord, needle: str) -> Span:
    start = rec.text.index(needle)
    return make_span(rec, start, start + len(needle))


def _sentence_span(rec: ArticleRecord, needle: str) -> Span:
    at = rec.text.index(needle)
    start, end = next((s, e) for s, e in rec.sentences if s <= at < e)
    return make_span(rec, start, end)


def _event(rec: ArticleRecord, n: int, etype: str, trigger: str, actor: str, recipient: str,
           place: str, when: str, day: date, killed: str | None, conf: float) -> Event:
    dead = None
    if killed:
        dead = Count("KILL", 12, 12, "at least", "people", "12", span=_span(rec, killed))
    return Event(
        id=f"{rec.id}-{n}",
        type=etype,
        mode="",
        contexts=["terrorism"] if etype == "ASSAULT" else ["economic"],
        actors=[Actor(actor, "", "MIL", _span(rec, actor))],
        recipients=[Actor(recipient, "", "CVL", _span(rec, recipient))],
        place=Place(place, "XXX", "", 1.5, -2.25, "city", _span(rec, place)),
        date=DateRef(when, day, day, "day", value=day.isoformat(), span=_span(rec, when)),
        dead=dead,
        confidence=conf,
        trigger=trigger,
        spans=[_sentence_span(rec, trigger), _span(rec, trigger)],
        quad_class=4,
        negated=n == 1,
    )


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    bomb = run_text(BOMB, date(2024, 3, 6), "Car bomb kills 12 at market in Kirkuk")
    protest = run_text(PROTEST, date(2024, 5, 19), "Teachers march in São Paulo")
    bomb.events = [
        _event(bomb, 0, "ASSAULT", "exploded", "car bomb", "people", "Kirkuk", "Tuesday",
               date(2024, 3, 5), "at least 12", 0.9),
        _event(bomb, 1, "COERCE", "arrested", "Security forces", "suspects", "Kirkuk",
               "Tuesday", date(2024, 3, 5), None, 0.6),
    ]
    protest.events = [
        _event(protest, 0, "PROTEST", "marched", "teachers", "São Paulo", "São Paulo",
               "Saturday", date(2024, 5, 18), None, 0.8),
    ]
    return [bomb, protest]


def _expected_counts(recs: list[ArticleRecord]) -> dict[str, int]:
    return {
        "articles": len(recs),
        "sentences": sum(len(r.sentences) for r in recs),
        "sections": sum(len(r.sections) for r in recs),
        "mentions": sum(len(r.mentions) for r in recs),
        "places": sum(len(r.places) for r in recs),
        "dates": sum(len(r.dates) for r in recs),
        "counts": sum(len(r.counts) for r in recs),
        "quotes": sum(len(r.quotes) for r in recs),
        "quote_spans": sum(len(q.extra_spans) for r in recs for q in r.quotes),
        "events": sum(len(r.events) for r in recs),
        "event_actors": sum(len(e.actors) + len(e.recipients) for r in recs for e in r.events),
        "event_spans": sum(len(e.spans) for r in recs for e in r.events),
    }


def _counts(con) -> dict[str, int]:
    return queries.table_counts(con, list(schema.tables()))


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "t.duckdb")
    yield c
    c.close()


def test_write_fills_every_table(con, records):
    res = store.write_records(con, records, run_id=1)
    assert (res.stored, res.skipped) == (2, 0)
    counts = _counts(con)
    assert counts == _expected_counts(records)
    assert counts["events"] == 3 and counts["sentences"] > 6
    assert store.known_ids(con, [r.id for r in records] + ["nope"]) == {r.id for r in records}
    row = con.execute(
        "SELECT title, published, raw_length, run_id FROM articles WHERE id = ?", [records[1].id]
    ).fetchall()[0]
    assert row == ("Teachers march in São Paulo", date(2024, 5, 19), len(PROTEST), 1)


def test_second_write_is_a_noop(con, records):
    store.write_records(con, records)
    before = _counts(con)
    res = store.write_records(con, records)
    assert (res.stored, res.skipped) == (0, 2)
    assert _counts(con) == before
    # the same article twice in one batch is stored once
    con2 = duckdb.connect()
    schema.ensure(con2)
    res = store.write_records(con2, [records[0], records[0]])
    assert (res.stored, res.skipped) == (1, 1)
    assert _counts(con2)["articles"] == 1


def test_replace_refreshes_rows_without_duplicates(con, records):
    store.write_records(con, records)
    changed = copy.deepcopy(records[0])
    changed.events[0].confidence = 0.42
    changed.events = changed.events[:1]
    store.write_records(con, [changed], replace=True)
    expected = _expected_counts([changed, records[1]])
    assert _counts(con) == expected
    conf = con.execute(
        "SELECT confidence FROM events WHERE article_id = ?", [changed.id]
    ).fetchall()
    assert conf == [(0.42,)]


def test_failed_batch_leaves_the_store_as_it_was(con, records):
    store.write_records(con, records)
    before = _counts(con)
    broken = copy.deepcopy(records[0])
    broken.mentions[0].label = 7  # not a string: the Arrow conversion fails mid-transaction
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises, nothing may change
        store.write_records(con, [broken, records[1]], replace=True)
    assert _counts(con) == before
    # the connection is usable afterwards
    assert store.known_ids(con, [records[0].id]) == {records[0].id}


def test_failures_are_recorded_once(con):
    from newswire.errors import InputError

    errs = [InputError("a.txt", "empty file"), InputError("b.bin", "binary file")]
    assert store.write_failures(con, errs, run_id=1) == 2
    assert store.write_failures(con, errs + [InputError("a.txt", "other")], run_id=2) == 1
    rows = con.execute("SELECT source, reason FROM failures ORDER BY ALL").fetchall()
    assert rows == [("a.txt", "empty file"), ("a.txt", "other"), ("b.bin", "binary file")]


def test_runs_are_numbered(con):
    first = store.start_run(con, ["x.txt"])
    second = store.start_run(con, ["y.txt"])
    store.finish_run(con, second, {"stored": 3})
    assert second == first + 1
    row = con.execute("SELECT status, counts, inputs FROM runs WHERE id = ?", [second]).fetchall()
    assert row[0][0] == "done" and json.loads(row[0][1]) == {"stored": 3}
    assert row[0][2] == ["y.txt"]


def test_schema_gains_missing_columns_and_refuses_newer(tmp_path):
    path = tmp_path / "old.duckdb"
    store.connect(path).close()
    raw = duckdb.connect(str(path))
    raw.execute('ALTER TABLE quotes DROP COLUMN "speaker_role"')
    raw.close()
    con = store.connect(path)
    cols = {r[0] for r in con.execute("DESCRIBE quotes").fetchall()}
    assert "speaker_role" in cols
    con.execute("INSERT INTO schema_version VALUES (?, now())", [schema.SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        store.connect(path)


def test_read_only_open_never_creates_a_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        store.connect(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_item_rows_carry_their_sentence(con, records):
    store.write_records(con, records)
    for rec in records:
        for table in queries.ITEM_TABLES:
            for row in queries.items(con, table, rec.id):
                start, end = rec.sentences[row["span_sentence"]]
                assert row["sentence_text"] == rec.text[start:end]
                assert rec.text[row["span_start"]:row["span_end"]] == row["span_text"]
    assert queries.resolve_article(con, records[1].id[:6]) == records[1].id
    with pytest.raises(queries.NotFound):
        queries.resolve_article(con, "zzzz")


def _check_record(rec: dict, texts: dict[str, str]) -> None:
    text = texts[rec["article_id"]]
    assert rec["evidence"], rec
    for span in rec["evidence"]:
        assert text[span["start"]:span["end"]] == span["text"]
    first = rec["evidence"][0]
    assert first["text"] in rec["event_text"] and rec["event_text"] in text
    for actor in rec["actor"] + rec["recipient"]:
        assert text[actor["start"]:actor["end"]] == actor["actorText"]


def _texts(con) -> dict[str, str]:
    return dict(con.execute("SELECT id, text FROM articles").fetchall())


def test_export_jsonl_is_plover_layout_with_provenance(con, records):
    store.write_records(con, records)
    buf = io.StringIO()
    assert export.export(con, "jsonl", stdout=buf) == 3
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    texts = _texts(con)
    for rec in recs:
        _check_record(rec, texts)
    by_type = {r["event"]: r for r in recs}
    assault = by_type["ASSAULT"]
    assert assault["date"] == "2024-03-05" and assault["dead"] == 12
    assert assault["dead_qualifier"] == "at least"
    assert assault["event_loc"]["name"] == "Kirkuk" and assault["event_loc"]["lon"] == -2.25
    assert assault["actor"][0]["actorText"] == "car bomb"
    assert assault["published"] == "2024-03-06" and assault["context"] == ["terrorism"]
    assert by_type["COERCE"]["negated"] is True and by_type["COERCE"]["dead"] is None
    assert by_type["PROTEST"]["event_text"].startswith("SÃO PAULO — Thousands")


def test_export_csv_and_parquet_round_trip(con, records, tmp_path):
    store.write_records(con, records)
    texts = _texts(con)
    out_csv, out_pq = tmp_path / "ev.csv", tmp_path / "ev.parquet"
    assert export.export(con, "csv", out_csv) == 3
    with open(out_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    for row in rows:
        rec = {k: row[k] for k in ("article_id", "event_text")}
        rec["evidence"] = json.loads(row["evidence"])
        rec["actor"], rec["recipient"] = json.loads(row["actor"]), json.loads(row["recipient"])
        _check_record(rec, texts)
    assert {r["event_loc_name"] for r in rows} == {"Kirkuk", "São Paulo"}

    assert export.export(con, "parquet", out_pq) == 3
    got = duckdb.connect().execute(
        f"SELECT * FROM read_parquet('{out_pq}') ORDER BY confidence DESC"
    )
    cols = [d[0] for d in got.description]
    prows = [dict(zip(cols, r, strict=True)) for r in got.fetchall()]
    assert [r["event"] for r in prows] == ["ASSAULT", "PROTEST", "COERCE"]
    for r in prows:
        _check_record(r, texts)
    assert prows[0]["dead"] == 12.0 and prows[0]["event_loc_country"] == "XXX"


def test_event_records_of_a_run_by_confidence(con, records):
    store.write_records(con, records[:1], run_id=1)
    store.write_records(con, records[1:], run_id=2)
    top = list(export.event_records(con, where="a.run_id = ?", params=[1],
                                    order="e.confidence DESC", limit=1))
    assert [(r["event"], r["confidence"]) for r in top] == [("ASSAULT", 0.9)]
    assert [r["event"] for r in export.event_records(con, where="a.run_id = ?", params=[2])] == [
        "PROTEST"
    ]


def test_export_other_tables(con, records, tmp_path):
    store.write_records(con, records)
    buf = io.StringIO()
    n = export.export(con, "jsonl", table="mentions", stdout=buf)
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert n == len(rows) == sum(len(r.mentions) for r in records) > 0
    texts = _texts(con)
    for row in rows:
        assert texts[row["article_id"]][row["span_start"]:row["span_end"]] == row["span_text"]
    out = tmp_path / "articles.parquet"
    assert export.export(con, "parquet", out, table="articles") == 2
    titles = duckdb.connect().execute(f"SELECT title FROM '{out}' ORDER BY title").fetchall()
    assert titles == [("Car bomb kills 12 at market in Kirkuk",), ("Teachers march in São Paulo",)]


def test_inferred_actor_codes_are_marked_and_older_stores_still_export(records, tmp_path):
    recs = copy.deepcopy(records)
    guessed = recs[1].events[0].actors[0]
    guessed.code, guessed.code_inferred = "BRA", True  # as if taken from the event's place
    path = tmp_path / "s.duckdb"
    con = store.connect(path)
    store.write_records(con, recs)
    con.close()

    def exported() -> dict[str, dict]:
        ro = store.connect(path, read_only=True)
        buf = io.StringIO()
        export.export(ro, "jsonl", stdout=buf)
        ro.close()
        return {r["event"]: r for r in map(json.loads, buf.getvalue().splitlines())}

    got = exported()
    assert got["PROTEST"]["actor"][0]["code"] == "BRA"
    assert got["PROTEST"]["actor"][0]["codeInferred"] is True
    assert got["ASSAULT"]["actor"][0]["codeInferred"] is False
    # a store written before the flag existed, opened read-only where no column can be added
    raw = duckdb.connect(str(path))
    raw.execute("ALTER TABLE event_actors DROP COLUMN code_inferred")
    raw.close()
    assert {r["actor"][0]["codeInferred"] for r in exported().values()} == {False}
