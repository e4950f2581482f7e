"""SIGKILL at random points of `newswire run`, re-run each time: the tables end up exactly
those of an uninterrupted run (test_resume's reference run and table snapshot).

The killed runs commit every article (--batch-size 1; the reference run commits in pairs:
the tables must not depend on it).  One database is killed repeatedly: each re-run resumes
from what the previous one committed and is itself killed at the next random point (while
loading, mid-batch, right after a commit), so one test covers several kill points for the
price of a few process starts.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from test_resume import CITIES, newswire, reference, snapshot, stored_count  # noqa: F401

KILLS = 5


def _kill_at(src: Path, db: Path, scratch: Path, target: int, extra: float) -> tuple[bool, int]:
    """Start a run, SIGKILL it once ``target`` articles are committed plus ``extra`` seconds.

    Returns (killed, committed before the kill); a run that finishes first is not killed.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswire", "run", str(src), "--db", str(db),
         "--batch-size", "1", "--top", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while stored_count(db, scratch) < target and proc.poll() is None:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)
        time.sleep(extra)
        if proc.poll() is not None:
            return False, stored_count(db, scratch)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return True, stored_count(db, scratch)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("seed", [11])
def test_random_sigkills_then_rerun_equal_uninterrupted_run(tmp_path, reference, seed):  # noqa: F811
    src, want = reference
    rng = random.Random(seed)
    db = tmp_path / "killed.duckdb"
    scratch = tmp_path / "peek.duckdb"
    kills, before = 0, 0
    points = []
    for _ in range(KILLS + 3):  # a few spare starts in case a run finishes before its kill
        if kills >= KILLS:
            break
        # the next kill point: while loading (target = what is stored), or after 1-2 more
        # commits, then a random delay that lands anywhere in a batch
        target = before + rng.choice([0, 1, 2])
        extra = rng.choice([0.0, rng.uniform(0.0, 0.4)])
        killed, after = _kill_at(src, db, scratch, min(target, len(CITIES) - 2), extra)
        points.append((target, round(extra, 2), killed, after))
        if not killed:
            break
        kills += 1
        assert after >= before, points  # nothing committed is ever lost
        con = duckdb.connect(str(db))  # opens (replaying the WAL) after every kill
        ids = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        con.close()
        assert ids[0] == ids[1] == after, points
        before = after
    assert kills >= KILLS, points
    assert before > 0, points  # some kills came after commits, not only during start-up
    print("kill points (target, delay s, killed, committed):", points)
    res = newswire("run", str(src), "--db", str(db), "--batch-size", "2", "--top", "0")
    assert res.returncode == 0, res.stderr
    got = snapshot(db)
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], (table, points)
