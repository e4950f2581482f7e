"""Spark inputs: WARC / JSONL / Parquet from any Hadoop-compatible path → Articles or Failures.

WARC files go through ``sc.binaryFiles`` and then the project's own WARC reader
(so truncation and corrupt-record handling is exactly the local one); tables go
through ``spark.read.json`` / ``spark.read.parquet`` and the local field mapping
(``tabular.article_from_record``).  Nothing here raises for a bad record: it
becomes a :class:`~newswire.pipeline.Failure` that travels with the articles.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from newswire.errors import InputError
from newswire.model import Article
from newswire.pipeline import Failure

WARC = "warc"
JSONL = "jsonl"
PARQUET = "parquet"
KINDS = (WARC, JSONL, PARQUET)

# Longest suffix first: "x.warc.gz" is a WARC, not "gz".
_SUFFIXES = (
    (".warc.gz", WARC), (".warc", WARC),
    (".jsonl.gz", JSONL), (".ndjson.gz", JSONL), (".jsonl", JSONL), (".ndjson", JSONL),
    (".json.gz", JSONL), (".json", JSONL),
    (".parquet", PARQUET),
)

# Every field name tabular.article_from_record looks at; read as strings so that
# a JSON number or date keeps its literal text, as the local reader sees it.
TABLE_FIELDS = (
    "text", "title", "headline", "url", "link", "published", "date", "publish_date", "pubdate",
    "outlet", "source", "publisher", "site", "author", "byline", "language", "lang",
)
_CORRUPT = "_corrupt_record"
_FILE = "_nw_file"


def kind_of(path: str) -> str | None:
    """The input kind from a file name, or None when no reader handles it."""
    low = path.lower()
    for suffix, kind in _SUFFIXES:
        if low.endswith(suffix):
            return kind
    return None


def local_name(uri: str) -> str:
    """A ``file:`` URI as the plain path the local runner would print (other schemes kept)."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if uri.startswith("file:"):
        return uri[len("file:"):]
    return uri


def expand(spark, inputs: Iterable[str], kind: str | None = None) -> dict[str, list[str]]:
    """Input files grouped by kind; directories are listed recursively via Hadoop's FileSystem.

    Hidden files and names starting with ``_`` (Spark's ``_SUCCESS``) are skipped,
    as the local runner skips hidden files.  ``kind`` forces the kind of every file.
    """
    sc = spark.sparkContext
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    found: dict[str, list[str]] = {k: [] for k in KINDS}
    for item in inputs:
        hpath = jvm.org.apache.hadoop.fs.Path(item)
        fs = hpath.getFileSystem(conf)
        statuses = fs.globStatus(hpath)
        if not statuses:
            raise FileNotFoundError(f"{item}: no such file or directory")
        for status in statuses:
            if status.isDirectory():
                files = fs.listFiles(status.getPath(), True)
                names = []
                while files.hasNext():
                    names.append(files.next().getPath().toString())
                names.sort()
            else:
                names = [status.getPath().toString()]
            for name in names:
                base = name.rsplit("/", 1)[-1]
                if base.startswith((".", "_")):
                    continue
                k = kind or kind_of(base)
                if k is not None:
                    found[k].append(name)
    return found


def _finish(item: Article | InputError, published: date | None) -> Article | Failure:
    """What ``ingest.iter_inputs`` does to each item, for the Spark readers."""
    from newswire.ingest.base import outlet_from_url

    if isinstance(item, InputError):
        return Failure(item.source, item.reason)
    if item.published is None:
        item.published = published
    if not item.outlet:
        item.outlet = outlet_from_url(item.url)
    return item


def warc_items(
    uri: str, data: bytes, published: date | None, tmpdir: str | None = None
) -> Iterator[Article | Failure]:
    """Articles and failures of one WARC file's bytes, read by the local WARC reader.

    The reader needs a seekable file (it checks records against the file size),
    so the bytes are spilled to a temporary file on the executor's local disk.
    """
    from newswire.ingest import read_path

    name = local_name(uri)
    suffix = ".warc.gz" if name.lower().endswith(".gz") else ".warc"
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=tmpdir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        for item in read_path(Path(tmp), name):
            yield _finish(item, published)
    finally:
        os.unlink(tmp)


def row_items(rows: Iterable[Any], published: date | None) -> Iterator[Article | Failure]:
    """Articles and failures from rows of a JSONL/Parquet DataFrame (see :func:`read_tables`)."""
    from newswire.ingest.tabular import article_from_record

    for row in rows:
        rec = row.asDict()
        source = local_name(rec.pop(_FILE, "") or "")
        bad = rec.pop(_CORRUPT, None)
        if bad is not None:
            shown = " ".join(bad.split())[:60]
            yield Failure(source, f"invalid JSON record: {shown!r}")
            continue
        rec = {str(k).lower(): v for k, v in rec.items()}
        try:
            art = article_from_record(rec, source)
        except InputError as err:
            yield Failure(err.source, err.reason)
            continue
        except Exception as exc:  # an odd value in some column: this row only
            yield Failure(source, f"unreadable record ({type(exc).__name__}: {exc})"[:300])
            continue
        yield _finish(art, published)


def _table_frame(spark, kind: str, paths: list[str]):
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    if kind == JSONL:
        schema = StructType(
            [StructField(n, StringType()) for n in TABLE_FIELDS]
            + [StructField(_CORRUPT, StringType())]
        )
        df = (spark.read.schema(schema)
              .option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", _CORRUPT)
              .json(paths))
    else:
        df = spark.read.parquet(*paths)
        wanted = {c.lower(): c for c in df.columns}
        df = df.select(*[F.col(wanted[n]).alias(n) for n in TABLE_FIELDS if n in wanted])
        if "text" not in wanted:
            # every row of such a table fails with the local reader's reason
            df = df.withColumn("text", F.lit(None).cast("string"))
    return df.withColumn(_FILE, F.input_file_name())


def read_articles(spark, inputs: Iterable[str], published: date | None = None,
                  kind: str | None = None):
    """An RDD of Article | Failure over every input (files, directories, globs)."""
    sc = spark.sparkContext
    files = expand(spark, inputs, kind)
    if not any(files.values()):
        raise FileNotFoundError("no WARC, JSONL or Parquet files in the inputs")
    parts = []
    if files[WARC]:
        raw = sc.binaryFiles(",".join(files[WARC]), minPartitions=len(files[WARC]))
        parts.append(raw.flatMap(lambda kv: warc_items(kv[0], kv[1], published)))
    for k in (JSONL, PARQUET):
        if files[k]:
            df = _table_frame(spark, k, files[k])
            parts.append(df.rdd.mapPartitions(lambda rows: row_items(rows, published)))
    return parts[0] if len(parts) == 1 else sc.union(parts)
