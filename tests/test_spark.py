"""The Spark job (local[2]) against the local runner on the same WARC + JSONL inputs."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import duckdb  # noqa: E402

from newswire.cli import app  # noqa: E402

PAGES = [
    (
        "https://wire.example.net/world/2023/05/ceasefire-talks",
        "Rebels and army agree to talks in Juba",
        "2023-05-14",
        [
            "JUBA, South Sudan — Rebel commanders and army officers met in Juba on Saturday and "
            "agreed to open ceasefire talks next week, the mediator said.",
            "\u201cBoth sides have promised to stop shelling the villages,\u201d said Amina Deng, "
            "the African Union envoy, after the meeting.",
            "Fighting near Malakal killed at least 12 civilians on Thursday, according to "
            "local officials, and about 300 families fled across the river.",
        ],
    ),
    (
        "https://wire.example.net/world/2023/05/protest-arrests",
        "Police arrest dozens after protest in Nairobi",
        "2023-05-15",
        [
            "NAIROBI — Kenyan police arrested 43 protesters in Nairobi on Monday after a march "
            "against fuel prices turned violent, a police spokesman said.",
            "Officers fired tear gas at demonstrators who threw stones near parliament.",
            "The opposition leader Raila Odinga condemned the arrests and called for a "
            "second day of protests on Wednesday.",
        ],
    ),
]

JSONL_ROWS = [
    {
        "title": "Minister visits Kyiv to discuss aid",
        "published": "2023-05-16",
        "url": "https://papers.example.com/minister-kyiv",
        "text": (
            "KYIV — The German foreign minister visited Kyiv on Tuesday and promised new "
            "air-defence systems to Ukraine, officials said.\n\n"
            "Russian missiles struck the city of Odesa overnight, killing three people, the "
            "regional governor said."
        ),
    },
    {
        "title": "Troops deployed to northern border",
        "published": "2023-05-17",
        "text": (
            "Nigeria deployed 500 troops to its northern border with Niger on Wednesday after "
            "gunmen attacked a village and kidnapped 20 farmers, the army said."
        ),
    },
]
# A syndicated rewrite of the first JSONL story: one story cluster with it.
JSONL_ROWS.append({
    "title": "German minister in Kyiv promises air defences",
    "published": "2023-05-16",
    "text": JSONL_ROWS[0]["text"] + "\n\nThe visit was not announced in advance for security "
                                   "reasons.",
})


def html_page(title: str, published: str, paras: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{published}T07:30:00Z">'
        f"</head><body><nav>Home | World | Sport</nav><article><h1>{title}</h1>\n{body}"
        f"</article><footer>Copyright Example Wire</footer></body></html>"
    )


def write_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, title, published, paras in PAGES:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = io.BytesIO(html_page(title, published, paras).encode("utf-8"))
            writer.write_record(writer.create_warc_record(
                url, "response", payload=payload, http_headers=headers))
        # A corrupt record after the good ones: a gzip member that holds no WARC header.
        fh.write(gzip.compress(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>"))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("spark_in")
    warc = root / "crawl.warc.gz"
    write_warc(warc)
    jsonl = root / "wire.jsonl"
    lines = [json.dumps(r) for r in JSONL_ROWS] + ["{not json at all"]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(warc), str(jsonl)]


@pytest.fixture(scope="module")
def spark():
    from newswire.spark import session

    s = session("local[2]", "newswire-test")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def spark_out(spark, inputs, tmp_path_factory) -> tuple[Path, object]:
    from newswire.spark import run_job

    out = tmp_path_factory.mktemp("spark_out")
    result = run_job(spark, inputs, str(out), partitions=3, batch_size=2, clusters=True)
    return out, result


@pytest.fixture(scope="module")
def local_db(inputs, tmp_path_factory) -> tuple[Path, Path]:
    """The same inputs through `newswire run` and `newswire export --format parquet`."""
    root = tmp_path_factory.mktemp("local")
    db = root / "local.duckdb"
    res = CliRunner().invoke(app, ["run", *inputs, "--db", str(db), "--top", "0"])
    assert res.exit_code == 1, res.output  # 1: some inputs failed (the corrupt ones)
    events = root / "events.parquet"
    res = CliRunner().invoke(app, ["export", "--format", "parquet", "--out", str(events),
                                   "--db", str(db)])
    assert res.exit_code == 0, res.output
    return db, events


def _sorted(rows: list[dict], key: tuple[str, ...], drop: tuple[str, ...] = ()) -> list[dict]:
    rows = [{k: v for k, v in r.items() if k not in drop} for r in rows]
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))


def _spark_rows(out: Path, name: str) -> list[dict]:
    files = sorted((out / name).rglob("*.parquet"))
    rows: list[dict] = []
    for f in files:
        rows += pq.read_table(f).to_pylist()  # no hive partition column: only the data
    return rows


def test_process_partition_rows_without_spark():
    from newswire.model import Article
    from newswire.pipeline import Failure
    from newswire.spark.job import ERRORS, process_partition

    arts = [Article(text=r["text"], title=r["title"], source=f"mem:{i}",
                    published=date.fromisoformat(r["published"]))
            for i, r in enumerate(JSONL_ROWS[:2])]
    blank = Article(text="   \n  ", source="mem:blank")
    items = [arts[0], Failure("mem:broken", "unreadable"), blank, arts[1]]
    got: dict[str, list[tuple]] = {}
    for name, rows in process_partition(items, batch_size=3):
        got.setdefault(name, []).extend(rows)
    assert sorted(e[0] for e in got[ERRORS]) == ["mem:blank", "mem:broken"]
    arts_rows = got["tables/articles"]
    assert sorted(r[-1] for r in arts_rows) == ["2023-05-16", "2023-05-17"]  # pub_date last
    assert {r[0] for r in arts_rows} == {a.id for a in arts}
    # every event row is one PLOVER record plus the partition column
    from newswire.store.export import FLAT_EVENT_SCHEMA

    assert got["events"] and all(len(r) == len(FLAT_EVENT_SCHEMA) + 1 for r in got["events"])


def test_events_equal_local_export(spark_out, local_db):
    out, result = spark_out
    _, events = local_db
    local = pq.read_table(events).to_pylist()
    remote = _spark_rows(out, "events")
    assert len(local) >= 3, "the fixture articles should yield events"
    key = ("article_id", "id")
    assert _sorted(remote, key) == _sorted(local, key)
    assert result.rows["events"] == len(local)
    # the output carries the export schema, plus the partition column
    sch = pq.read_schema(next((out / "events").rglob("*.parquet")))
    assert sch.names == pq.read_schema(events).names


@pytest.mark.parametrize("table,key", [
    ("articles", ("id",)),
    ("quotes", ("article_id", "idx")),
    ("counts", ("article_id", "idx")),
    ("event_spans", ("article_id", "event_idx", "position")),
    ("sentences", ("article_id", "idx")),
])
def test_tables_equal_local_store(spark_out, local_db, table, key):
    out, _ = spark_out
    db, _ = local_db
    con = duckdb.connect(str(db), read_only=True)
    local = con.sql(f"SELECT * FROM {table}").to_arrow_table().to_pylist()
    con.close()
    remote = _spark_rows(out, f"tables/{table}")
    # run bookkeeping differs by design; JSONL sources lose their line number in Spark
    drop = ("processed_at", "run_id", "source")
    assert local, f"the fixture articles should fill {table}"
    assert _sorted(remote, key, drop) == _sorted(local, key, drop)


def test_warc_sources_and_partitions(spark_out):
    out, _ = spark_out
    arts = _spark_rows(out, "tables/articles")
    warc_sources = sorted(a["source"] for a in arts if ".warc.gz#" in a["source"])
    assert len(warc_sources) == len(PAGES)
    assert all(s.startswith("/") for s in warc_sources)  # the plain path, as `run` prints it
    parts = {p.name for p in (out / "tables" / "articles").iterdir() if p.is_dir()}
    assert {f"pub_date={d}" for _, _, d, _ in PAGES} <= parts
    assert "pub_date=2023-05-17" in parts  # the JSONL row's own date


def test_corrupt_records_land_in_errors(spark_out, inputs, local_db):
    out, result = spark_out
    errors = _spark_rows(out, "errors")
    warc, jsonl = inputs
    warc_errs = [e for e in errors if e["source"].startswith(f"{warc}#")]
    assert len(warc_errs) == 1
    assert "corrupt" in warc_errs[0]["reason"] or "truncated" in warc_errs[0]["reason"]
    json_errs = [e for e in errors if e["source"] == jsonl]
    assert len(json_errs) == 1 and "invalid JSON" in json_errs[0]["reason"]
    assert result.errors == len(errors) == 2
    # the local run reports the same WARC damage at the same offset
    db, _ = local_db
    con = duckdb.connect(str(db), read_only=True)
    local = con.sql("SELECT source, reason FROM failures").fetchall()
    con.close()
    assert (warc_errs[0]["source"], warc_errs[0]["reason"]) in local


def test_clusters_equal_local(spark_out, local_db):
    out, result = spark_out
    db, _ = local_db
    con = duckdb.connect(str(db), read_only=True)
    local = sorted(con.sql("SELECT article_id, cluster_id FROM article_clusters").fetchall())
    con.close()
    remote = sorted((r["article_id"], r["cluster_id"]) for r in _spark_rows(out, "clusters"))
    assert remote == local
    assert result.rows["clusters"] == len(local) == len(PAGES) + len(JSONL_ROWS)
    sizes: dict[str, int] = {}
    for _, c in remote:
        sizes[c] = sizes.get(c, 0) + 1
    assert sorted(sizes.values()) == [1, 1, 1, 2]  # the rewrite joined its original


def test_duplicates_once_and_published_fills_missing_dates(spark, inputs, tmp_path):
    from newswire.spark import run_job

    # the JSONL file twice (a copy under another name): each story once in the output
    copy = tmp_path / "copy.jsonl"
    copy.write_text(Path(inputs[1]).read_text(encoding="utf-8"), encoding="utf-8")
    undated = tmp_path / "undated.jsonl"
    undated.write_text(json.dumps({"text": "Gunmen attacked a police station in Kano "
                                           "on Friday, killing two officers."}) + "\n")
    out = tmp_path / "out"
    result = run_job(spark, [inputs[1], str(copy), str(undated)], str(out),
                     published=date(2022, 1, 3), partitions=2)
    arts = _spark_rows(out, "tables/articles")
    assert len(arts) == result.articles == len(JSONL_ROWS) + 1
    assert len({a["id"] for a in arts}) == len(arts)
    assert result.errors == 2  # the bad line of each file, each named by its file
    parts = sorted(p.name for p in (out / "tables" / "articles").iterdir() if p.is_dir())
    # the rows' own dates win; --published only fills the undated one
    assert parts == ["pub_date=2022-01-03", "pub_date=2023-05-16", "pub_date=2023-05-17"]


def test_load_into_store_idempotent(spark_out, local_db, tmp_path):
    out, _ = spark_out
    db = tmp_path / "loaded.duckdb"
    runner = CliRunner()
    first = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert again.exit_code == 0, again.output
    local_path, _ = local_db
    loaded = duckdb.connect(str(db), read_only=True)
    local = duckdb.connect(str(local_path), read_only=True)
    try:
        for table in ("articles", "events", "event_actors", "quotes", "counts", "places",
                      "article_clusters"):
            n = loaded.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            assert n == local.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0], table
        assert loaded.sql("SELECT count(*) FROM failures").fetchall()[0][0] == 2
        # the loaded store answers `export` exactly as the local one does
        exp = tmp_path / "ev.parquet"
        res = runner.invoke(app, ["export", "-f", "parquet", "-o", str(exp), "--db", str(db)])
        assert res.exit_code == 0, res.output
    finally:
        loaded.close()
        local.close()
    _, local_events = local_db
    key = ("article_id", "id")
    assert _sorted(pq.read_table(exp).to_pylist(), key) == _sorted(
        pq.read_table(local_events).to_pylist(), key)


def test_load_names_a_directory_without_output(tmp_path):
    (tmp_path / "stuff").mkdir()
    res = CliRunner().invoke(app, ["load", str(tmp_path / "stuff"), "--db",
                                   str(tmp_path / "x.duckdb")])
    assert res.exit_code == 1
    assert "no Spark output here" in res.output
    res = CliRunner().invoke(app, ["load", str(tmp_path / "absent"), "--db",
                                   str(tmp_path / "x.duckdb")])
    assert res.exit_code == 1 and "no such directory" in res.output


def test_cli_spark_command(spark, inputs, tmp_path):
    missing = tmp_path / "nothing-here.jsonl"
    res = CliRunner().invoke(app, ["spark", str(missing), "--out", str(tmp_path / "o1")])
    assert res.exit_code == 1
    assert f"{missing}: no such file or directory" in res.output
    # last in this module: the command stops the (shared) session when it is done
    out = tmp_path / "o2"
    res = CliRunner().invoke(app, ["spark", inputs[1], "--out", str(out), "--master", "local[2]"])
    assert res.exit_code == 0, res.output
    assert f"{len(JSONL_ROWS)} articles" in res.output
    assert len(_spark_rows(out, "tables/articles")) == len(JSONL_ROWS)
