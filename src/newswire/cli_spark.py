"""``newswire spark`` (the pipeline as a Spark job) and ``newswire load`` (its output → DuckDB)."""

from __future__ import annotations

import enum
import glob
from pathlib import Path
from typing import Annotated

import typer

from newswire.cli import _one_line, _open, _parse_published, _stderr, app, fail


class InputKind(enum.StrEnum):
    warc = "warc"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def spark(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="INPUT", help="Files, directories or globs, on any Hadoop "
                                             "filesystem (file:, hdfs:, s3a:, ...)."),
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Output directory (overwritten).")],
    master: Annotated[
        str, typer.Option(help="Spark master; local[N] runs on N cores of this machine.")
    ] = "local[*]",
    published: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="Publication date for inputs that carry none."),
    ] = None,
    kind: Annotated[
        InputKind | None,
        typer.Option("--format", help="Read every input as this format (default: by extension)."),
    ] = None,
    partitions: Annotated[
        int | None, typer.Option(min=1, metavar="N", help="Processing partitions.")
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, metavar="N", help="Articles per spaCy batch.")
    ] = 32,
    clusters: Annotated[
        bool, typer.Option("--clusters/--no-clusters", help="Also write story clusters.")
    ] = False,
    cluster_threshold: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="Story-cluster similarity (MinHash Jaccard).")
    ] = 0.3,
) -> None:
    """Run the pipeline as a Spark job; write partitioned Parquet (events, tables, errors)."""
    try:
        from newswire.spark import run_job, session
    except ImportError as exc:
        raise fail(f"the spark command needs pyspark (pip install pyspark): {exc}") from None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise fail("the spark command needs pyspark (pip install pyspark)") from None
    pub = _parse_published(published)
    for item in inputs:
        # a missing local path is said at once, before a JVM starts
        if "://" not in item and not item.startswith("file:") and not glob.glob(item):
            raise fail(f"{item}: no such file or directory")
    err = _stderr()
    spark_session = session(master)
    try:
        result = run_job(spark_session, list(inputs), out, published=pub,
                         kind=kind.value if kind else None, partitions=partitions,
                         batch_size=batch_size, clusters=clusters,
                         cluster_threshold=cluster_threshold)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # Py4J / Spark errors: one line, not a JVM stack trace
        raise fail(f"spark job failed: {_one_line(exc)[:400]}") from None
    finally:
        spark_session.stop()
    shown = ", ".join(f"{k} {v}" for k, v in result.rows.items()
                      if k in ("events", "errors") or k.endswith(("/articles", "/quotes")))
    err.print(f"{result.articles} articles in {result.seconds:.1f} s → {out} ({shown})",
              markup=False)


def _files(root: Path, name: str) -> list[str]:
    return sorted(glob.glob(str(root / name / "**" / "*.parquet"), recursive=True))


def _scan(files: list[str]) -> str:
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}], hive_partitioning = false)"


def load_dir(con, root: Path) -> dict[str, int]:
    """Insert a Spark output directory into a store; articles already stored are skipped.

    One transaction: either every table of the new articles goes in or none does,
    so a re-run (or a run after an interruption) neither loses nor duplicates rows.
    """
    from newswire.store import finish_run, schema, start_run, write_failures
    from newswire.store.schema import q

    tables = schema.tables()
    art_files = _files(root, "tables/articles")
    if not art_files and not _files(root, "errors"):
        raise FileNotFoundError(f"{root}: no Spark output here (expected tables/articles/)")
    run_id = start_run(con, [str(root)])
    counts: dict[str, int] = {}
    con.begin()
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _nw_new (id VARCHAR)")
        if art_files:
            con.execute(f"""INSERT INTO _nw_new SELECT DISTINCT id FROM {_scan(art_files)}
                            WHERE id NOT IN (SELECT id FROM articles)""")
        for name, table in tables.items():
            files = _files(root, f"tables/{name}")
            if not files:
                counts[name] = 0
                continue
            key = "id" if name == "articles" else "article_id"
            cols = ", ".join(q(c) for c in table.names)
            sel = ", ".join("?::BIGINT AS run_id" if c == "run_id" and name == "articles"
                            else q(c) for c in table.names)
            params = [run_id] if name == "articles" else []
            before = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            con.execute(f"""INSERT INTO {name} ({cols}) SELECT {sel} FROM {_scan(files)}
                            WHERE {q(key)} IN (SELECT id FROM _nw_new)""", params)
            counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] - before
        con.execute("DROP TABLE _nw_new")
        con.commit()
    except BaseException:
        con.rollback()
        finish_run(con, run_id, {}, "error")
        raise
    err_files = _files(root, "errors")
    if err_files:
        rows = con.sql(f"SELECT source, reason, article_id FROM {_scan(err_files)}").fetchall()
        failures = [_Failure(*r) for r in rows]
        counts["failures"] = write_failures(con, failures, run_id=run_id)
    return counts | {"run_id": run_id}


class _Failure:
    def __init__(self, source: str, reason: str, article_id: str | None):
        self.source, self.reason, self.article_id = source, reason, article_id or ""


@app.command()
def load(
    parquet_dir: Annotated[Path, typer.Argument(help="Output directory of `newswire spark`.")],
    db: Annotated[
        Path,
        typer.Option("--db", envvar="NEWSWIRE_DB", help="DuckDB file (created if missing)."),
    ] = Path("newswire.duckdb"),
    cluster_threshold: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="Story-cluster similarity (MinHash Jaccard).")
    ] = 0.3,
) -> None:
    """Load the Parquet output of `newswire spark` into the local store (idempotent)."""
    import duckdb

    from newswire.store import finish_run

    if not parquet_dir.is_dir():
        raise fail(f"{parquet_dir}: no such directory")
    err = _stderr()
    con = _open(db, read_only=False)
    try:
        counts = load_dir(con, parquet_dir)
        run_id = counts.pop("run_id")
        status = "done"
        if counts.get("articles"):
            # stories and fused events over the whole store, exactly as after `newswire run`
            from newswire.cli_corpus import refresh_corpus

            status = refresh_corpus(con, cluster_threshold, err, status)
        finish_run(con, run_id, {"stored": counts.get("articles", 0), **counts}, status)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        raise fail(f"{parquet_dir}: cannot load: {_one_line(exc)}") from None
    finally:
        con.close()
    err.print(f"loaded {counts.get('articles', 0)} new articles, "
                    f"{counts.get('events', 0)} events, {counts.get('failures', 0)} failures "
                    f"into {db}", markup=False)
