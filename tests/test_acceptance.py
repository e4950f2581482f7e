"""End-to-end acceptance: `newswire run` then `newswire export`, on our examples and on the seed.

These go through the real command line, the real spaCy pipeline and a real DuckDB file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES, needs_shared

TABLES = ("events", "quotes", "counts", "dates", "places", "mentions")


def newswire(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newswire", *args], capture_output=True,
                          text=True, timeout=600)


def build(db: Path, *inputs: str, published: str) -> None:
    proc = newswire("run", *inputs, "--db", str(db), "--published", published)
    assert proc.returncode == 0, proc.stderr


def export(db: Path, table: str = "events") -> list[dict]:
    proc = newswire("export", "--format", "jsonl", "--db", str(db), "--table", table)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def span_columns(row: dict) -> list[tuple[str, int, int, str]]:
    """(article, start, end, text) for every span-shaped column group of an exported row."""
    out = []
    for key in row:
        if key.endswith("_start") and row[key] is not None:
            prefix = key[: -len("_start")]
            out.append((row["article_id"], row[key], row[prefix + "_end"], row[prefix + "_text"]))
    return out


def check_spans(db: Path) -> int:
    """Every span of every exported record points at its text in the cleaned article."""
    con = duckdb.connect(str(db), read_only=True)
    texts = dict(con.execute("select id, text from articles").fetchall())
    con.close()
    checked = 0
    for ev in export(db):
        text = texts[ev["article_id"]]
        for sp in ev["evidence"] + ev["actor"] + ev["recipient"]:
            got = text[sp["start"]:sp["end"]]
            assert got == sp["text"], (ev["id"], sp)
            checked += 1
    for table in TABLES[1:]:
        for row in export(db, table):
            for aid, start, end, want in span_columns(row):
                assert texts[aid][start:end] == want, (table, row)
                checked += 1
    return checked


def by_type(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["event"] == kind and not e["negated"]]


def codes(actors: list[dict]) -> set[str]:
    return {a["code"] for a in actors}


# --- our own examples: no ../shared needed ------------------------------------------------


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "examples.duckdb"
    build(db, str(EXAMPLES), published="2026-11-20")
    return db


def test_examples_bombing(examples_db):
    events = export(examples_db)
    attacks = [e for e in by_type(events, "ASSAULT") if e["dead"] is not None]
    assert attacks, "the market bombing must be coded as an ASSAULT with a death toll"
    attack = attacks[0]
    assert attack["dead"] == 12 and attack["dead_qualifier"] == "at least"
    assert attack["event_loc"]["country"] == "SOM"
    assert attack["date"] == "2026-11-18"  # "on Wednesday", published Friday 2026-11-20


def test_examples_protest_and_arrests(examples_db):
    events = export(examples_db)
    assert any(e["event_loc"] and e["event_loc"]["country"] == "NGA"
               for e in by_type(events, "PROTEST"))
    counts = export(examples_db, "counts")
    arrests = [c for c in counts if c["type"] == "ARREST"]
    assert any(c["low"] == 40 and c["qualifier"] == "at least" for c in arrests)


def test_examples_aid_and_withdrawal(examples_db):
    events = export(examples_db)
    assert any("IGO" in codes(e["actor"]) or "UNO" in codes(e["actor"])
               for e in by_type(events, "AID"))
    retreats = by_type(events, "RETREAT")
    assert any("FRA" in codes(e["actor"]) for e in retreats)


def test_examples_quotes(examples_db):
    quotes = export(examples_db, "quotes")
    speakers = {q["speaker"]: q for q in quotes}
    assert speakers["Abdifatah Hassan"]["kind"] == "direct"
    assert speakers["Abdifatah Hassan"]["source_class"] == "named"
    assert any(q["source_class"] == "anonymous" for q in quotes)
    assert any(q["source_class"] == "organisation" for q in quotes)


def test_examples_spans_point_at_text(examples_db):
    assert check_spans(examples_db) > 100


def test_rerun_changes_nothing(examples_db):
    con = duckdb.connect(str(examples_db), read_only=True)
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables").fetchall()]
    skip = {"runs"}  # one row per run by design
    before = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    con.close()
    build(examples_db, str(EXAMPLES), published="2026-11-20")
    con = duckdb.connect(str(examples_db), read_only=True)
    after = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    con.close()
    assert {t: n for t, n in before.items() if t not in skip} == {
        t: n for t, n in after.items() if t not in skip}


# --- the seed article (skipped without ../shared) ------------------------------------------


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    seed = needs_shared("seed", "000_b2749c64b7648e29.txt")
    db = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    build(db, str(seed), published="2021-10-09")
    return db


def test_seed_consult_in_doha(seed_db):
    consults = by_type(export(seed_db), "CONSULT")
    doha = [e for e in consults if e["event_loc"] and e["event_loc"]["name"] == "Doha"]
    assert doha, consults
    ev = doha[0]
    assert ev["event_loc"]["country"] == "QAT"
    assert abs(ev["event_loc"]["lat"] - 25.29) < 0.1 and abs(ev["event_loc"]["lon"] - 51.53) < 0.1
    assert ev["date"] == "2021-10-09"
    sides = codes(ev["actor"]) | codes(ev["recipient"])
    assert {"USA", "AFG"} <= sides


def test_seed_suicide_attack(seed_db):
    attacks = [e for e in by_type(export(seed_db), "ASSAULT") if e["dead"] is not None]
    assert attacks
    ev = attacks[0]
    assert ev["dead"] >= 46 and ev["dead_qualifier"] == "at least"
    assert ev["date"] == "2021-10-08"


def test_seed_retreat_late_august(seed_db):
    retreats = by_type(export(seed_db), "RETREAT")
    assert any(e["date"] == "2021-08-21" and e["date_end"] == "2021-08-31"
               and "USA" in codes(e["actor"]) for e in retreats), retreats


def test_seed_quotes_and_counts(seed_db):
    quotes = export(seed_db, "quotes")
    direct = [q for q in quotes if q["kind"] == "direct"]
    assert direct and all(q["speaker"] == "Suhail Shaheen" for q in direct)
    assert any(q["source_class"] == "anonymous" for q in quotes)
    price = [q for q in quotes if q["speaker"] == "Ned Price"]
    assert price and "105" in price[0]["text"] and "95" in price[0]["text"]
    counts = export(seed_db, "counts")
    assert {105, 95} <= {c["low"] for c in counts if c["type"] == "EVACUATE"}


def test_seed_cleaned_text_has_no_artefacts(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    text, title, byline = con.execute("select text, title, byline from articles").fetchone()
    con.close()
    assert "Leave a Comment" not in text
    assert " recording." not in text
    assert ". ." not in text
    assert "Knickmeyer" not in text and "Knickmeyer" in byline
    assert title == "US and Taliban hold first talks since Afghanistan withdrawal"


def test_seed_spans_point_at_text(seed_db):
    assert check_spans(seed_db) > 100
