"""`newswire run` over a hostile corpus: nothing crashes, nothing is lost, nothing is doubled.

The corpus comes from scripts/make_hostile_corpus.py (empty, binary, huge, gzip bombs, broken
encodings, right-to-left text, HTML nested 10,000 deep, truncated WARCs, broken feeds,
duplicates, non-English, control characters), written small into tmp_path; the limits are
lowered through the environment so that "huge" and "bomb" stay cheap to write.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from newswire.errors import InputError
from newswire.ingest import READERS, read_path
from newswire.ingest.html import article_from_html
from newswire.model import Article
from newswire.pipeline import OverBudget, process, process_batch

ROOT = Path(__file__).resolve().parents[1]
LIMITS = {
    "NEWSWIRE_MAX_FILE_BYTES": str(600_000),
    "NEWSWIRE_MAX_DECOMPRESSED_BYTES": str(4_000_000),
}


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def newswire(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def _suffix(path: Path) -> str:
    s = [x.lower() for x in path.suffixes]
    return "".join(s[-2:]) if s[-1:] == [".gz"] else path.suffix.lower()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = tmp / "in"
    kinds = _generator().write(corpus, scale=1, seed=7, bomb_mb=12, huge_mb=1)
    db = tmp / "h.duckdb"
    gone = str(corpus / "vanished.txt")  # an input that disappeared before it was read
    res = newswire("run", str(corpus), gone, "--db", str(db), "--top", "0",
                   "--max-chars", "8000", env=LIMITS)
    return corpus, kinds, db, gone, res


def _lines(stderr: str, level: str) -> list[tuple[str, str]]:
    out = []
    for line in stderr.splitlines():
        if line.startswith(level + ": "):
            source, _, reason = line[len(level) + 2:].partition(": ")
            out.append((source, reason))
    return out


def test_run_reports_every_failure_and_never_crashes(hostile):
    corpus, kinds, db, gone, res = hostile
    assert res.returncode == 1, res.stderr  # some inputs failed, the run finished
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    assert "run stopped" not in res.stderr
    errors = _lines(res.stderr, "error")
    notes = _lines(res.stderr, "note")
    assert all(reason.strip() for _, reason in errors + notes)
    con = duckdb.connect(str(db), read_only=True)
    counts = json.loads(con.execute("SELECT counts FROM runs").fetchall()[0][0])
    n_failures = con.execute("SELECT count(*) FROM failures").fetchall()[0][0]
    n_articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    # pipeline failures (and skips) carry the article id; reader errors have none
    n_processing = con.execute(
        "SELECT count(*) FROM failures WHERE article_id <> ''").fetchall()[0][0]
    con.close()
    # the summary counts add up
    assert counts["failed"] == len(errors)
    assert counts.get("non_english", 0) == len(notes) >= 2
    assert counts["read"] == counts["processed"] + counts["skipped"]
    assert counts["processed"] == counts["stored"] + n_processing
    assert counts["stored"] == n_articles
    assert n_failures == len(set(errors + notes))
    assert (gone, "no such file or directory") in errors
    # each limit is named in its error
    reasons = " ".join(r for _, r in errors)
    for limit in ("max_file_bytes", "max_decompressed_bytes", "max_html_depth"):
        assert limit in reasons, limit
    assert any("max_chars" in w for _, w in _lines(res.stderr, "warning"))
    assert {r for _, r in notes} >= {"skipped: non-English (detected ar)"}
    assert kinds["nonenglish"] == len(notes)


def test_every_input_is_stored_or_reported(hostile):
    corpus, _, db, _, res = hostile
    con = duckdb.connect(str(db), read_only=True)
    stored = {r[0] for r in con.execute("SELECT source FROM articles").fetchall()}
    ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    failed = {r[0] for r in con.execute("SELECT source FROM failures").fetchall()}
    con.close()

    def file_of(source: str) -> str:
        base = source.split("#")[0]
        return base.rsplit(":", 1)[0] if base.rsplit(":", 1)[-1].isdigit() else base

    named = {file_of(s) for s in stored | failed}
    unaccounted = []
    for path in sorted(corpus.iterdir()):
        if _suffix(path) not in READERS:
            continue  # directory walks skip unknown file types by design
        if str(path) in named:
            continue
        # only a file whose every article is a duplicate of a stored one may go unnamed
        items = list(read_path(path, str(path)))
        if not items or not all(isinstance(a, Article) and a.id in ids for a in items):
            unaccounted.append(path.name)
    assert unaccounted == []


def test_database_is_consistent(hostile):
    _, _, db, _, _ = hostile
    con = duckdb.connect(str(db))  # read-write: replays any WAL, as a restart would
    try:
        con.execute("CHECKPOINT")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        n_art, n_ids = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert n_art == n_ids > 0
        for t in tables:
            cols = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t]
            ).fetchall()}
            if "article_id" not in cols or t == "failures":
                continue
            orphans = con.execute(
                f"SELECT count(*) FROM {t} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchall()[0][0]
            assert orphans == 0, t
            if "idx" in cols:
                dupes = con.execute(
                    f"SELECT count(*) FROM (SELECT article_id, idx FROM {t} "
                    "GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
                assert dupes == 0, t
    finally:
        con.close()


def test_summary_counts_by_reason(hostile):
    """The reasons fall into the expected families (printed for the closing note)."""
    _, _, db, _, _ = hostile
    con = duckdb.connect(str(db), read_only=True)
    reasons = [r[0] for r in con.execute("SELECT reason FROM failures").fetchall()]
    con.close()
    families = Counter(r.split("(")[0].split(":")[0].strip() for r in reasons)
    print(dict(sorted(families.items())))
    for fam in ("empty file", "file too large", "HTML nested too deep", "skipped",
                "truncated archive", "not UTF-8 text"):
        assert families[fam] >= 1, (fam, families)


def test_read_only_database_path_is_one_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Police said 3 people died in Goma on Monday.\n")
    res = newswire("run", str(tmp_path / "a.txt"), "--db", "/proc/newswire-test.duckdb")
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: /proc/newswire-test.duckdb"), lines
    assert "Traceback" not in res.stderr


# ---------------------------------------------------------------- each limit on its own

WIRE = ("GOMA, Congo — Rebels shelled a displacement camp outside Goma on Monday, killing "
        "11 civilians, the provincial governor said.\n\nThe army said it had sent "
        "reinforcements to the area.")


def test_time_budget_is_a_failure_naming_the_limit(monkeypatch):
    monkeypatch.setenv("NEWSWIRE_TIME_BUDGET_S", "0.000001")
    with pytest.raises(OverBudget, match="time_budget_s"):
        process(Article(text=WIRE, source="slow.txt"))
    [out] = process_batch([Article(text=WIRE, source="slow.txt")])
    assert out.kind == "failed" and "limit time_budget_s=1e-06" in out.reason
    monkeypatch.setenv("NEWSWIRE_TIME_BUDGET_S", "60")
    assert process(Article(text=WIRE)).events  # the same article within the budget


@pytest.mark.parametrize("text, lang", [
    ("Die Regierung hat am Montag in Berlin neue Gesetze beschlossen, die auch für "
     "Flüchtlinge gelten sollen. Das teilte ein Sprecher mit.", "de"),
    ("Las fuerzas de seguridad detuvieron el martes a cinco personas en Quito, según "
     "un comunicado de la policía.", "es"),
])
def test_non_english_is_skipped_with_its_language(text, lang):
    [out] = process_batch([Article(text=text, source="x.txt")])
    assert out.kind == "skipped" and out.reason == f"skipped: non-English (detected {lang})"


@pytest.mark.parametrize("text", [
    "Xi Jinping Meets Lula da Silva",  # a headline only
    "Abdel Fattah el-Sisi, Recep Tayyip Erdoğan, Juan Carlos de la Fuente and Ursula von "
    "der Leyen met in Brussels.",
    WIRE,
])
def test_english_is_processed(text):
    [out] = process_batch([Article(text=text)])
    assert not hasattr(out, "kind"), out


def test_deep_html_is_rejected_naming_the_limit():
    page = "<html><body>" + "<div>" * 5000 + "<p>Police said 4 died.</p>" + "</div>" * 5000
    with pytest.raises(InputError, match="max_html_depth"):
        article_from_html(page, "deep.html")
    # an ordinary page with many unclosed <p> and <li> (implicitly closed) is fine
    flat = "<html><body><article>" + "<p>Police said 4 people died in Goma. " * 400 + \
        "<ul>" + "<li>item" * 300 + "</ul></article></body></html>"
    assert article_from_html(flat, "flat.html").text


def test_oversized_warc_page_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    gen = _generator()
    small = gen.html_page("Goma shelling", WIRE)
    big = gen.html_page("Huge page", "Police said. " * 20_000)
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(gen.gz(gen.warc_record("https://example.org/big", big, 1))
                     + gen.gz(gen.warc_record("https://example.org/ok", small, 2)))
    monkeypatch.setenv("NEWSWIRE_MAX_FILE_BYTES", "100000")
    items = list(read_path(path))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.reason for e in errors] == [
        "page too large (over 100,000 bytes; limit max_file_bytes=100,000)"]
    assert [i.url for i in items if isinstance(i, Article)] == ["https://example.org/ok"]


@pytest.mark.parametrize("chunk, limit", [
    (b"ab", "limit max_decompressed_bytes=1,048,576"),
    (b"\n", "limit max_blank_lines=100,000"),  # a bomb of newlines stops early and fast
])
def test_gzip_bomb_stops_at_a_named_limit(tmp_path, monkeypatch, chunk, limit):
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(_generator().gzip_bomb(8 << 20, chunk))
    assert path.stat().st_size < 100_000
    monkeypatch.setenv("NEWSWIRE_MAX_DECOMPRESSED_BYTES", str(1 << 20))
    [err] = list(read_path(path))
    assert isinstance(err, InputError) and limit in err.reason, err


def test_compression_ratio_limit(tmp_path, monkeypatch):
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(_generator().gzip_bomb(40 << 20, b"a" * 1023 + b"\n"))
    monkeypatch.setenv("NEWSWIRE_MAX_COMPRESSION_RATIO", "50")
    errors = [i for i in read_path(path) if isinstance(i, InputError)]
    assert "limit max_compression_ratio=50" in errors[-1].reason
