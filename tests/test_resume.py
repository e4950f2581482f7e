"""Incremental and resumable runs: `newswire run` as a real subprocess, killed with SIGKILL.

Every run here is the real command over real files into a real DuckDB file; "the same
tables" means every table, rows sorted, with only the bookkeeping of runs and timestamps
left out.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

# Invented wire-style stories, one event each, different places and dates.
CITIES = [
    ("Kirkuk", "Iraq", "a car bomb exploded near a checkpoint", "killing 4 soldiers"),
    ("Mombasa", "Kenya", "police fired tear gas at striking dock workers", "injuring 9 people"),
    ("Cusco", "Peru", "farmers blocked the main highway to the airport", "stranding 300 tourists"),
    ("Mandalay", "Myanmar", "troops raided a monastery", "detaining 17 monks"),
    ("Goma", "Congo", "rebels shelled a displacement camp", "killing 11 civilians"),
    ("Tbilisi", "Georgia", "thousands rallied outside parliament", "demanding new elections"),
    ("Quetta", "Pakistan", "gunmen attacked a bus", "killing 6 passengers"),
    ("Sfax", "Tunisia", "coast guards intercepted two migrant boats", "rescuing 83 people"),
    ("Maiduguri", "Nigeria", "a suicide bomber struck a mosque", "killing 14 worshippers"),
    ("Arequipa", "Peru", "miners clashed with police at a roadblock", "injuring 21 officers"),
    ("Herat", "Afghanistan", "authorities arrested a local journalist", "seizing his equipment"),
    ("Valparaiso", "Chile", "students occupied a university building", "halting classes"),
    ("Jenin", "West Bank", "soldiers demolished two houses", "displacing 12 residents"),
    ("Bamako", "Mali", "the junta suspended two political parties", "citing public order"),
]
DAY0 = date(2024, 6, 3)


def story(i: int) -> dict:
    city, country, what, result = CITIES[i]
    pub = DAY0 + timedelta(days=i)
    return {
        "title": f"{city}: {what.split(' ', 2)[-1].capitalize()}",
        "text": (
            f"{city.upper()}, {country} — In {city} on Monday, {what}, {result}, "
            f"officials said.\n\n"
            f"A spokesman for the regional governor condemned the incident and promised an "
            f"investigation, while residents described scenes of panic in the streets.\n\n"
            f"\"We have never seen anything like this in {city},\" said a shopkeeper who asked "
            f"not to be named.\n\n"
            f"The authorities in {country} have faced growing criticism over security in the "
            f"region in recent months."
        ),
        "outlet": ("Wire Agency", "Capital Times", "The Coast Herald")[i % 3],
        "published": pub.isoformat(),
    }


def write_inputs(folder: Path, indices) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in indices:
        (folder / f"{i:02d}.jsonl").write_text(json.dumps(story(i)) + "\n", encoding="utf-8")


def newswire(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args], capture_output=True, text=True,
        timeout=timeout, env={**os.environ, "COLUMNS": "200"},
    )


# Bookkeeping that legitimately differs between runs.
SKIP_TABLES = {"runs", "schema_version", "fusion_state"}  # run bookkeeping
SKIP_COLUMNS = {"processed_at", "run_id", "at"}


def snapshot(db: Path) -> dict[str, list]:
    """Every table's rows (minus run bookkeeping), sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        for t in sorted(set(tables) - SKIP_TABLES):
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [t]).fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c not in SKIP_COLUMNS)
            rows = con.execute(f"SELECT {keep} FROM {t}").fetchall()
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def stored_count(db: Path, scratch: Path) -> int:
    """Articles committed so far by a running writer, without touching its files.

    DuckDB locks a file that a process writes, so the test reads a copy of the database
    and its WAL; opening the copy replays the WAL as a restart would.
    """
    if not db.exists():
        return 0
    try:
        shutil.copyfile(db, scratch)
        wal = Path(str(db) + ".wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(scratch) + ".wal"))
        con = duckdb.connect(str(scratch))
        try:
            return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        finally:
            con.close()
    except (duckdb.Error, OSError):
        return 0
    finally:
        for p in (scratch, Path(str(scratch) + ".wal")):
            p.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The inputs and the tables of an uninterrupted run over them."""
    tmp = tmp_path_factory.mktemp("ref")
    src = tmp / "in"
    write_inputs(src, range(len(CITIES)))
    full = tmp / "full.duckdb"
    res = newswire("run", str(src), "--db", str(full), "--batch-size", "2", "--top", "0")
    assert res.returncode == 0, res.stderr
    want = snapshot(full)
    assert len(want["articles"]) == len(CITIES)
    return src, want


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_interrupted_then_rerun_equals_uninterrupted_run(tmp_path, reference, sig):
    src, want = reference
    killed = tmp_path / "killed.duckdb"
    log = tmp_path / "stderr.txt"
    with open(log, "w") as errfh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newswire", "run", str(src), "--db", str(killed),
             "--batch-size", "2", "--top", "0"],
            stdout=subprocess.DEVNULL, stderr=errfh,
        )
    try:
        deadline = time.monotonic() + 240
        while stored_count(killed, tmp_path / "peek.duckdb") < 2:
            assert proc.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline, "no batch was committed in time"
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        # the killed writer left its WAL behind; reopening recovers the committed batches
        assert Path(str(killed) + ".wal").exists()
    else:
        # Ctrl-C: what was processed is stored, then exit
        assert proc.returncode == 130, log.read_text()
    con = duckdb.connect(str(killed))
    n_after = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    status = con.execute("SELECT status FROM runs").fetchall()
    con.close()
    assert 2 <= n_after < len(CITIES), n_after
    assert status == [("running" if sig == signal.SIGKILL else "interrupted",)]

    res = newswire("run", str(src), "--db", str(killed), "--batch-size", "2", "--top", "0")
    assert res.returncode == 0, res.stderr
    got = snapshot(killed)
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], table
    con = duckdb.connect(str(killed), read_only=True)
    counts = json.loads(con.execute("SELECT counts FROM runs WHERE id = 2").fetchall()[0][0])
    con.close()
    assert counts["stored"] == len(CITIES) - n_after  # nothing done twice


def test_growing_folder_and_since(tmp_path):
    src = tmp_path / "feed"
    write_inputs(src, range(6))
    grown = tmp_path / "grown.duckdb"
    assert newswire("run", str(src), "--db", str(grown), "--top", "0").returncode == 0
    write_inputs(src, range(6, 10))
    res = newswire("run", str(src), "--db", str(grown), "--top", "0")
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(grown), read_only=True)
    second = json.loads(con.execute("SELECT counts FROM runs WHERE id = 2").fetchall()[0][0])
    con.close()
    assert (second["stored"], second["skipped"]) == (4, 6)

    once = tmp_path / "once.duckdb"
    assert newswire("run", str(src), "--db", str(once), "--top", "0").returncode == 0
    assert snapshot(grown) == snapshot(once)

    # a third run over an unchanged folder stores nothing and changes nothing
    before = snapshot(grown)
    assert newswire("run", str(src), "--db", str(grown), "--top", "0").returncode == 0
    assert snapshot(grown) == before

    since = tmp_path / "since.duckdb"
    cut = DAY0 + timedelta(days=7)
    res = newswire("run", str(src), "--db", str(since), "--top", "0", "--since", cut.isoformat())
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(since), read_only=True)
    pubs = [r[0] for r in con.execute("SELECT published FROM articles").fetchall()]
    con.close()
    assert sorted(pubs) == [DAY0 + timedelta(days=i) for i in range(7, 10)]


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday"])
def test_since_rejects_bad_dates(tmp_path, bad):
    write_inputs(tmp_path / "in", [0])
    res = newswire("run", str(tmp_path / "in"), "--db", str(tmp_path / "x.duckdb"),
                   "--since", bad)
    assert res.returncode == 2 and "YYYY-MM-DD" in res.stderr


@pytest.mark.parametrize(
    "exc, interrupt",
    [
        # Ctrl-C while DuckDB read a registered Arrow batch: DuckDB keeps only the text
        (duckdb.InvalidInputException(
            "reading the schema of the object registered as 'tmp_view' failed: KeyboardInterrupt: "
        ), True),
        (duckdb.InterruptException("INTERRUPT Error: Interrupted!"), True),
        (duckdb.InvalidInputException("reading the schema of 'v' failed: bad column"), False),
        (ValueError("KeyboardInterrupt in a message that is not DuckDB's"), False),
    ],
)
def test_ctrl_c_seen_through_duckdb_errors(exc, interrupt):
    from newswire.cli import _is_interrupt

    assert _is_interrupt(exc) is interrupt
