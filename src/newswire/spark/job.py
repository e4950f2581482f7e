"""The newswire pipeline as a Spark job: read → dedupe by id → process → Parquet tables.

Each partition is processed in chunks with :func:`newswire.pipeline.process_batch`
(spaCy is loaded once per Python worker, which Spark reuses across tasks).  The
records of a chunk are written to an in-memory DuckDB store with the local
writer and read back with the local exporters, so the Spark output has exactly
the rows, columns and PLOVER layout of ``newswire run`` + ``newswire export``.

Output layout under ``OUT``::

    events/pub_date=YYYY-MM-DD/*.parquet     PLOVER records (``export --format parquet``)
    tables/<table>/pub_date=.../*.parquet    every DuckDB table (articles, quotes, counts, …)
    errors/*.parquet                         source, reason, article_id of failed inputs
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newswire.model import Article
from newswire.pipeline import Failure, chunks

PART_COL = "pub_date"  # partition column: the article's publication date
NO_DATE = "unknown"
EVENTS = "events"
ERRORS = "errors"
TABLES_DIR = "tables"


@dataclass
class JobResult:
    out: str
    rows: dict[str, int] = field(default_factory=dict)  # output name → rows written
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.rows.get(f"{TABLES_DIR}/articles", 0)

    @property
    def errors(self) -> int:
        return self.rows.get(ERRORS, 0)


def outputs() -> list[str]:
    """Output names, relative to the output directory."""
    from newswire.store import schema

    return [EVENTS, ERRORS] + [f"{TABLES_DIR}/{t}" for t in schema.tables()]


@functools.cache
def _arrow_schemas() -> dict[str, Any]:
    import pyarrow as pa

    from newswire.store import schema
    from newswire.store.export import FLAT_EVENT_SCHEMA

    out = {f"{TABLES_DIR}/{n}": t.arrow_schema for n, t in schema.tables().items()}
    out[EVENTS] = FLAT_EVENT_SCHEMA
    out[ERRORS] = pa.schema([("source", pa.string()), ("reason", pa.string()),
                             ("article_id", pa.string())])
    return out


def spark_schema(name: str):
    """The Spark schema of an output: the local Arrow schema (+ the partition column)."""
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import StringType, StructField

    sch = from_arrow_schema(_arrow_schemas()[name], prefer_timestamp_ntz=True)
    if name != ERRORS:
        sch = sch.add(StructField(PART_COL, StringType(), False))
    return sch


def _pub(published: date | None) -> str:
    return published.isoformat() if published else NO_DATE


class _Converter:
    """Records → rows of every output, through an in-memory store (one per partition)."""

    def __init__(self) -> None:
        from newswire import store

        self.con = store.connect(":memory:")
        self.names = _arrow_schemas()

    def rows(self, records: list) -> list[tuple[str, list[tuple]]]:
        """Every output's rows for these records (all at once: a failure leaves none)."""
        return list(self._rows(records))

    def _rows(self, records: list) -> Iterator[tuple[str, list[tuple]]]:
        import pyarrow as pa

        from newswire import store
        from newswire.store import schema
        from newswire.store.export import event_records, flat

        pub = {r.id: _pub(r.article.published) for r in records}
        store.write_records(self.con, records)
        try:
            for name, table in schema.tables().items():
                cols = ", ".join(schema.q(c) for c in table.names)
                key = "id" if name == "articles" else "article_id"
                got = self.con.sql(f"SELECT {cols}, {schema.q(key)} FROM {name}").fetchall()
                if got:
                    yield f"{TABLES_DIR}/{name}", [(*r[:-1], pub[r[-1]]) for r in got]
            events = [flat(r) for r in event_records(self.con)]
            if events:
                # through Arrow with the export schema, as the local Parquet export does
                # (a death toll of 3 becomes 3.0 there too)
                rows = pa.Table.from_pylist(events, schema=self.names[EVENTS]).to_pylist()
                names = self.names[EVENTS].names
                yield EVENTS, [(*(e[n] for n in names), pub[e["article_id"]]) for e in rows]
        finally:
            for name in schema.tables():
                self.con.execute(f"DELETE FROM {name}")


def process_partition(items: Iterable[Article | Failure], batch_size: int = 32
                      ) -> Iterator[tuple[str, list[tuple]]]:
    """(output name, rows) for a partition of articles and failures; never raises per item."""
    from newswire import pipeline

    conv: _Converter | None = None
    for chunk in chunks(items, batch_size):
        errors = [(f.source, f.reason, f.article_id) for f in chunk if isinstance(f, Failure)]
        arts = [a for a in chunk if isinstance(a, Article)]
        records = []
        for res in pipeline.process_batch(arts) if arts else []:
            if isinstance(res, Failure):
                errors.append((res.source, res.reason, res.article_id))
            else:
                records.append(res)
        if records:
            conv = conv or _Converter()
            try:
                yield from conv.rows(records)
            except Exception:  # one record the store rejects must not fail the task
                for rec in records:
                    try:
                        yield from conv.rows([rec])
                    except Exception as exc:
                        errors.append((rec.article.source or rec.id,
                                       f"cannot store the record: {exc!r}"[:300], rec.id))
        if errors:
            yield ERRORS, errors


def _pick(a: Article | Failure, b: Article | Failure) -> Article | Failure:
    # The same story from two inputs: keep one, deterministically (the local runner
    # keeps the first it reads; here input order is not defined).
    return a if (a.source or "") <= (b.source or "") else b


def _keyed(item: Article | Failure) -> tuple[Any, Article | Failure]:
    if isinstance(item, Article):
        return item.id, item
    return ("\0failure", item.source, item.reason), item


def session(master: str | None = "local[2]", app_name: str = "newswire",
            conf: dict | None = None):
    """A SparkSession set up for newswire (UTC, executors on this Python).

    ``master=None`` leaves the master to ``spark-submit`` (a cluster run).
    """
    import os
    import sys

    from pyspark.sql import SparkSession

    if master and master.startswith("local"):
        # local executors must run the interpreter that has newswire and spaCy installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    builder = (builder
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.python.worker.reuse", "true"))
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_job(
    spark,
    inputs: list[str],
    out: str,
    published: date | None = None,
    kind: str | None = None,
    partitions: int | None = None,
    batch_size: int = 32,
    clusters: bool = False,
    cluster_threshold: float | None = None,
) -> JobResult:
    """Process every input and write the Parquet outputs under ``out`` (overwritten)."""
    import time

    from pyspark import StorageLevel

    from newswire.spark import io

    t0 = time.perf_counter()
    sc = spark.sparkContext
    n = partitions or max(2, sc.defaultParallelism * 4)
    items = io.read_articles(spark, inputs, published, kind)
    # One shuffle dedupes by article id and spreads a few big WARC files over all cores.
    unique = items.map(_keyed).reduceByKey(_pick, numPartitions=n).values()
    tagged = unique.mapPartitions(lambda part: process_partition(part, batch_size))
    tagged.persist(StorageLevel.MEMORY_AND_DISK)
    result = JobResult(out=out)
    def write(name: str) -> None:
        rows = tagged.filter(lambda t: t[0] == name).flatMap(lambda t: t[1])
        df = spark.createDataFrame(rows, spark_schema(name), verifySchema=False)
        writer = df.write.mode("overwrite")
        if name != ERRORS:
            writer = writer.partitionBy(PART_COL)
        writer.parquet(f"{out.rstrip('/')}/{name}")

    try:
        # The first output computes (and caches) everything; the others only read the
        # cache, and are submitted together: each is a small job, mostly scheduling.
        names = outputs()
        write(names[0])
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, names[1:]))
        counts = tagged.map(lambda t: (t[0], len(t[1]))).reduceByKey(lambda a, b: a + b)
        result.rows = {name: 0 for name in outputs()} | counts.collectAsMap()
        if clusters and result.articles:
            from newswire.spark import clusters as cl

            result.rows["clusters"] = cl.write_clusters(spark, out, cluster_threshold)
    finally:
        tagged.unpersist()
    result.seconds = time.perf_counter() - t0
    return result
