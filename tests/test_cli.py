"""The `newswire` command end to end: real files, real spaCy, a real DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest
from conftest import run_text
from typer.testing import CliRunner

from newswire import __version__, store
from newswire.cli import app
from newswire.extract.spans import make_span
from newswire.model import Actor, Event
from newswire.store import schema

AID = (
    "Aid convoy reaches besieged town\n\n"
    "GENEVA — A convoy of 40 trucks carrying food and medicine reached the besieged town of "
    "Madaya on Wednesday, the International Committee of the Red Cross said.\n\n"
    "“People here have not seen [fresh] vegetables for months,” said Lina Haddad, a Red Cross "
    "spokeswoman, adding that more deliveries were planned next week.\n"
)
SUMMIT = (
    "Leaders meet in Nairobi for border talks\n\n"
    "NAIROBI — The presidents of Kenya and Ethiopia met in Nairobi on Monday to discuss a "
    "dispute over their shared border, officials said.\n\n"
    "Kenyan Foreign Minister Daniel Otieno said the talks had been “frank and constructive,” "
    "and both sides agreed to meet again in Addis Ababa next month.\n"
)

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "aid.txt").write_text(AID, encoding="utf-8")
    (tmp_path / "summit.txt").write_text(SUMMIT, encoding="utf-8")
    return tmp_path


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [*schema.tables(), "failures", "runs"]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in names}
    finally:
        con.close()


def test_version():
    assert invoke("--version").stdout.strip() == f"newswire {__version__}"
    proc = subprocess.run(
        [sys.executable, "-m", "newswire", "--version"], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == f"newswire {__version__}"


def test_run_twice_then_force(inputs, tmp_path):
    db = tmp_path / "nw.duckdb"
    files = [inputs / "aid.txt", inputs / "summit.txt"]
    first = invoke("run", *files, "--db", db, "--published", "2024-02-14")
    assert first.exit_code == 0, first.output
    assert "Run summary" in first.stdout and "articles read" in first.stdout
    counts = _counts(db)
    assert counts["articles"] == 2 and counts["sentences"] >= 6
    assert counts["mentions"] > 0 and counts["places"] > 0 and counts["dates"] > 0
    assert counts["failures"] == 0

    again = invoke("run", *files, "--db", db, "--published", "2024-02-14")
    assert again.exit_code == 0
    assert _counts(db) == {**counts, "runs": counts["runs"] + 1}

    con = duckdb.connect(str(db), read_only=True)
    stamp = con.execute("SELECT max(processed_at) FROM articles").fetchall()[0][0]
    con.close()
    forced = invoke("run", *files, "--db", db, "--published", "2024-02-14", "--force")
    assert forced.exit_code == 0
    assert _counts(db) == {**counts, "runs": counts["runs"] + 2}
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT processed_at, run_id, published FROM articles").fetchall()
    con.close()
    assert all(r[0] > stamp and r[1] == 3 and r[2] == date(2024, 2, 14) for r in rows)


def _bad_inputs(folder):
    """One input of each broken kind the runner must report and survive."""
    from test_ingest import write_warc

    bad = {
        "binary": folder / "broken.txt",
        "empty": folder / "empty.txt",
        "latin1": folder / "latin1.txt",
        "feed": folder / "feed.xml",
        "warc": folder / "cut.warc.gz",
    }
    bad["binary"].write_bytes(b"\x00\x01\x02\x03 not text \x00\xff")
    bad["empty"].write_text("", encoding="utf-8")
    bad["latin1"].write_bytes("Protesters gathered in Bogot\u00e1 on Friday.".encode("latin-1"))
    bad["feed"].write_text("<rss><channel><item><title>broken", encoding="utf-8")
    whole = folder / "whole.warc.gz"
    write_warc(whole, [("https://example.org/a", f"<html><body><p>{SUMMIT}</p></body></html>")],
               gz=True)
    data = whole.read_bytes()
    whole.unlink()
    bad["warc"].write_bytes(data[: len(data) // 2])
    return bad


def test_bad_input_fails_alone(inputs, tmp_path):
    db = tmp_path / "nw.duckdb"
    bad = _bad_inputs(tmp_path)
    res = invoke("run", inputs / "aid.txt", *bad.values(), inputs / "summit.txt", "--db", db)
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(bad)
    for path in bad.values():
        assert any(line.startswith(f"error: {path}") for line in errors), (path, errors)
    counts = _counts(db)
    assert counts["articles"] == 2 and counts["failures"] == len(bad)
    # the failing inputs again: still exit 1, no duplicate failure rows, nothing else changes
    res = invoke("run", inputs / "aid.txt", *bad.values(), "--db", db)
    assert res.exit_code == 1
    assert _counts(db) == {**counts, "runs": counts["runs"] + 1}


def test_usage_errors(inputs, tmp_path):
    db = tmp_path / "nw.duckdb"
    res = invoke("run", inputs / "aid.txt", "--db", db, "--published", "14/02/2024")
    assert res.exit_code == 2
    assert "YYYY-MM-DD" in res.stderr
    assert not db.exists()
    assert invoke("show", "--db", db).exit_code == 2
    assert invoke("export", "--format", "xml", "--db", db).exit_code == 2
    assert invoke("export", "--format", "parquet", "--db", db).exit_code == 2


def test_show(inputs, tmp_path):
    db = tmp_path / "nw.duckdb"
    missing = invoke("show", "--latest", "--db", db)
    assert missing.exit_code == 1 and "no database" in missing.stderr
    assert not db.exists()
    invoke("run", inputs / "aid.txt", "--db", db, "--published", "2024-02-14")
    invoke("run", inputs / "summit.txt", "--db", db, "--published", "2024-02-14")
    latest = invoke("show", "--latest", "--db", db)
    assert latest.exit_code == 0, latest.output
    assert "Leaders meet in Nairobi for border talks" in latest.stdout
    assert "Places (" in latest.stdout and "Nairobi" in latest.stdout
    con = duckdb.connect(str(db), read_only=True)
    aid_id = con.execute("SELECT id FROM articles WHERE source LIKE '%aid.txt'").fetchall()[0][0]
    con.close()
    by_prefix = invoke("show", aid_id[:7], "--db", db)
    assert by_prefix.exit_code == 0
    assert "Aid convoy reaches besieged town" in by_prefix.stdout
    assert "seen [fresh] vegetables" in by_prefix.stdout  # article text is not Rich markup
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    for cmd in (("show", "--latest"), ("export",)):
        res = invoke(*cmd, "--db", other)
        assert res.exit_code == 1 and "not a newswire database" in res.stderr
    unknown = invoke("show", "ffffffffffff", "--db", db)
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: no article with id 'ffffffffffff'")


def _store_with_events(db):
    """Records from the real pipeline, with events written in by hand (the store is under test)."""
    recs = [run_text(t.split("\n\n", 1)[1], date(2024, 2, 14), t.split("\n")[0])
            for t in (AID, SUMMIT)]
    for n, (rec, trigger, who) in enumerate(
        zip(recs, ("reached", "met"), ("convoy", "presidents"), strict=True)
    ):
        at, who_at = rec.text.index(trigger), rec.text.index(who)
        sent = next((s, e) for s, e in rec.sentences if s <= at < e)
        rec.events = [Event(
            id=f"{rec.id}-0", type=("AID", "CONSULT")[n], confidence=0.5 + n / 10,
            actors=[Actor(who, "", "", make_span(rec, who_at, who_at + len(who)))],
            spans=[make_span(rec, *sent), make_span(rec, at, at + len(trigger))],
            trigger=trigger,
        )]
    con = store.connect(db)
    store.write_records(con, recs)
    con.close()
    return recs


def test_export_formats(tmp_path):
    db = tmp_path / "nw.duckdb"
    recs = _store_with_events(db)
    texts = {r.id: r.text for r in recs}

    res = invoke("export", "--format", "jsonl", "--db", db)
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert sorted(r["event"] for r in lines) == ["AID", "CONSULT"]
    for rec in lines:
        for span in rec["evidence"]:
            assert texts[rec["article_id"]][span["start"]:span["end"]] == span["text"]
        assert rec["evidence"][1]["text"] == rec["trigger"]
        assert rec["actor"][0]["actorText"] in rec["event_text"]

    res = invoke("export", "--format", "csv", "--db", db)
    header = res.stdout.splitlines()[0].split(",")
    assert header[:3] == ["id", "date", "date_end"] and "event_loc_name" in header

    out = tmp_path / "events.parquet"
    res = invoke("export", "--format", "parquet", "--out", out, "--db", db)
    assert res.exit_code == 0 and "2 rows (events) written" in res.stderr
    got = duckdb.connect().execute(
        f"SELECT event, trigger, evidence FROM read_parquet('{out}') ORDER BY event"
    ).fetchall()
    assert [(e, t) for e, t, _ in got] == [("AID", "reached"), ("CONSULT", "met")]
    assert got[0][2][1]["text"] == "reached"

    shown = invoke("show", recs[1].id, "--db", db)
    assert shown.exit_code == 0
    assert "CONSULT" in shown.stdout and "presidents" in shown.stdout

    res = invoke("export", "--format", "csv", "--table", "quotes", "--db", db)
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].startswith("article_id,idx,text,kind,speaker")
    assert len(res.stdout.splitlines()) == 1 + sum(len(r.quotes) for r in recs)


def test_eval_missing_path(tmp_path):
    res = invoke("eval", "quotes", tmp_path / "nothing-here")
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {tmp_path / 'nothing-here'}: no such file or directory"


def _check_spans(rows: list[dict], texts: dict[str, str]) -> int:
    """Every `<p>start`/`<p>end`/`<p>text` triple and every evidence span slices the text."""
    checked = 0
    for row in rows:
        text = texts[row["article_id"]]
        spans = [s for key in ("evidence",) for s in row.get(key) or []]
        for key, start in row.items():
            if key.endswith("start") and isinstance(start, int):
                p = key[: -len("start")]
                if isinstance(row.get(p + "end"), int) and isinstance(row.get(p + "text"), str):
                    spans.append({"start": start, "end": row[p + "end"], "text": row[p + "text"]})
        for span in spans:
            assert text[span["start"]:span["end"]] == span["text"], (row, span)
            checked += 1
    return checked


def test_seed_article_spans(tmp_path):
    from conftest import needs_shared

    seed = needs_shared("seed", "000_b2749c64b7648e29.txt")
    db = tmp_path / "nw.duckdb"
    res = invoke("run", seed, "--db", db, "--published", "2021-10-09")
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
    con.close()
    assert len(texts) == 1
    checked = 0
    for table in ("events", "quotes", "counts", "places", "dates", "mentions"):
        out = invoke("export", "--format", "jsonl", "--table", table, "--db", db)
        assert out.exit_code == 0
        checked += _check_spans([json.loads(x) for x in out.stdout.splitlines()], texts)
    assert checked > 20
    shown = invoke("show", "--latest", "--db", db)
    assert shown.exit_code == 0 and "Shaheen" in shown.stdout


def test_run_reads_stdin(tmp_path):
    db = tmp_path / "nw.duckdb"
    res = runner.invoke(app, ["run", "-", "--db", str(db), "--published", "2024-02-14"],
                        input=SUMMIT)
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT title, published FROM articles").fetchall()
    con.close()
    assert rows == [("Leaders meet in Nairobi for border talks", date(2024, 2, 14))]


def test_eval_passes_limit_and_renders(tmp_path):
    pytest.importorskip("newswire.eval.events")
    gold = tmp_path / "gold.jsonl"
    records = [
        ("ASSAULT", "Gunmen attacked a police checkpoint in northern Nigeria on Tuesday."),
        ("CONSULT", "The foreign ministers of Egypt and Jordan met in Cairo on Monday."),
        ("PROTEST", "Hundreds of farmers protested outside parliament in Warsaw on Friday."),
    ]
    gold.write_text("".join(
        json.dumps({"id": f"T{i}", "date": "2024-03-05", "event": e, "text": t}) + "\n"
        for i, (e, t) in enumerate(records)
    ), encoding="utf-8")
    full = invoke("eval", "events", gold, "--json")
    one = invoke("eval", "events", gold, "--json", "--limit", "1")
    assert full.exit_code == one.exit_code == 0
    assert isinstance(json.loads(full.stdout), dict)
    assert json.loads(full.stdout) != json.loads(one.stdout)
    shown = invoke("eval", "events", gold, "--limit", "1")
    assert shown.exit_code == 0 and shown.stdout.strip()


def test_store_held_by_another_process_is_named(tmp_path):
    # DuckDB allows one writer or several readers per file: a reader in another
    # process (this test, standing in for `newswire serve`) blocks a run
    db = tmp_path / "held.duckdb"
    src = tmp_path / "aid.txt"
    src.write_text(AID, encoding="utf-8")
    assert invoke("run", src, "--db", db, "--published", "2026-11-20").exit_code == 0
    reader = duckdb.connect(str(db), read_only=True)
    try:
        n = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
        proc = subprocess.run(
            [sys.executable, "-m", "newswire", "run", str(src), "--db", str(db), "--force"],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        reader.close()
    assert proc.returncode != 0
    assert "in use by another process" in proc.stderr and str(db) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert n == 1
