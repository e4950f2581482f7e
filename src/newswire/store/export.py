"""Exports: events as PLOVER-layout records (JSONL, CSV, Parquet), other tables as rows."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newswire.store import queries

FORMATS = ("jsonl", "csv", "parquet")
TABLES = ("events", "quotes", "counts", "places", "dates", "mentions", "articles")

_ACTOR = pa.struct(
    [("actorText", pa.string()), ("code", pa.string()), ("sector", pa.string()),
     ("codeInferred", pa.bool_()),
     ("sentence", pa.int64()), ("start", pa.int64()), ("end", pa.int64()),
     ("text", pa.string())]
)
_SPAN = pa.struct(
    [("sentence", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]
)
_S, _F, _B, _I = pa.string(), pa.float64(), pa.bool_(), pa.int64()

# The flat layout of an event record (CSV columns and the Parquet schema).
FLAT_EVENT_SCHEMA = pa.schema(
    [
        ("id", _S), ("date", _S), ("date_end", _S), ("date_granularity", _S), ("date_text", _S),
        ("event", _S), ("mode", _S), ("context", pa.list_(_S)),
        ("actor", pa.list_(_ACTOR)), ("recipient", pa.list_(_ACTOR)),
        ("event_loc_name", _S), ("event_loc_country", _S), ("event_loc_admin1", _S),
        ("event_loc_lat", _F), ("event_loc_lon", _F), ("event_loc_precision", _S),
        ("event_loc_geonameid", _I),
        ("dead", _F), ("dead_max", _F), ("dead_qualifier", _S),
        ("injured", _F), ("injured_max", _F), ("injured_qualifier", _S),
        ("arrested", _F), ("arrested_max", _F), ("arrested_qualifier", _S),
        ("event_text", _S), ("trigger", _S), ("article_id", _S), ("evidence", pa.list_(_SPAN)),
        ("confidence", _F), ("negated", _B), ("future", _B), ("hypothetical", _B),
        ("historical", _B), ("quad_class", _I), ("intensity", _F),
        ("acled_event_type", _S), ("acled_sub_event_type", _S),
        ("published", _S), ("url", _S), ("outlet", _S), ("title", _S),
    ]
)


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def _num(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def plover(row: dict[str, Any]) -> dict[str, Any]:
    """An event row from :func:`queries.event_rows` as a PLOVER-layout record."""
    loc = None
    if row.get("place_name"):
        loc = {
            "name": row["place_name"],
            "country": row.get("place_country") or "",
            "admin1": row.get("place_admin1") or "",
            "lat": row.get("place_lat"),
            "lon": row.get("place_lon"),
            "precision": row.get("place_precision") or "",
            "geonameid": row.get("place_geonameid"),
        }
    rec: dict[str, Any] = {
        "id": row["id"],
        "date": _iso(row.get("date_start")),
        "date_end": _iso(row.get("date_end")),
        "date_granularity": row.get("date_granularity") or None,
        "date_text": row.get("date_text") or None,
        "event": row["type"],
        "mode": row.get("mode") or "",
        "context": list(row.get("contexts") or []),
        "actor": list(row.get("actor_list") or []),
        "recipient": list(row.get("recipient_list") or []),
        "event_loc": loc,
    }
    for kind in ("dead", "injured", "arrested"):
        present = row.get(f"{kind}_type") is not None
        rec[kind] = _num(row.get(f"{kind}_low")) if present else None
        rec[f"{kind}_max"] = _num(row.get(f"{kind}_high")) if present else None
        rec[f"{kind}_qualifier"] = (row.get(f"{kind}_qualifier") or "") if present else None
    rec.update(
        {
            "event_text": (row.get("event_text") or "").strip() or None,
            "trigger": row.get("trigger") or "",
            "article_id": row["article_id"],
            "evidence": list(row.get("evidence_list") or []),
            "confidence": row.get("confidence"),
            "negated": bool(row.get("negated")),
            "future": bool(row.get("future")),
            "hypothetical": bool(row.get("hypothetical")),
            "historical": bool(row.get("historical")),
            "quad_class": row.get("quad_class"),
            "intensity": row.get("intensity"),
            "acled_event_type": row.get("acled_event_type") or "",
            "acled_sub_event_type": row.get("acled_sub_event_type") or "",
            "published": _iso(row.get("article_published")),
            "url": row.get("article_url"),
            "outlet": row.get("article_outlet"),
            "title": row.get("article_title"),
        }
    )
    return rec


def flat(record: dict[str, Any]) -> dict[str, Any]:
    """One level of nesting flattened: ``event_loc`` → ``event_loc_name``, …; lists kept."""
    out: dict[str, Any] = {}
    for key, val in record.items():
        if key == "event_loc":
            for sub in ("name", "country", "admin1", "lat", "lon", "precision", "geonameid"):
                out[f"event_loc_{sub}"] = val.get(sub) if val else None
        else:
            out[key] = val
    return out


def event_records(con: duckdb.DuckDBPyConnection, **kw: Any) -> Iterator[dict[str, Any]]:
    for row in queries.event_rows(con, **kw):
        yield plover(row)


def _table_rows(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], Iterator[dict]]:
    order = "processed_at, id" if table == "articles" else "article_id, idx"
    rel = con.sql(f"SELECT * FROM {table} ORDER BY {order}")
    cols = list(rel.columns)

    def rows() -> Iterator[dict]:
        for batch in rel.to_arrow_reader(2048):
            yield from batch.to_pylist()

    return cols, rows()


def _csv_value(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False, default=_iso)
    if v is None:
        return ""
    return _iso(v)


def _write_jsonl(rows: Iterable[dict], fh: TextIO) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False, default=_iso) + "\n")
        n += 1
    return n


def _write_csv(cols: list[str], rows: Iterable[dict], fh: TextIO) -> int:
    writer = csv.writer(fh)
    writer.writerow(cols)
    n = 0
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in cols])
        n += 1
    return n


def _write_parquet(schema: pa.Schema, rows: Iterable[dict], out: Path) -> int:
    n = 0
    chunk: list[dict] = []
    with pq.ParquetWriter(str(out), schema) as writer:
        for row in rows:
            chunk.append(row)
            n += 1
            if len(chunk) >= 4096:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk.clear()
        writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return n


def export(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    out: Path | None = None,
    table: str = "events",
    stdout: TextIO | None = None,
) -> int:
    """Write a table (events as PLOVER records) to ``out`` or stdout; returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    if fmt == "parquet" and out is None:
        raise ValueError("parquet needs --out PATH (it cannot go to stdout)")
    if table != "events":
        if fmt == "parquet":
            return _parquet_table(con, table, out)  # type: ignore[arg-type]
        cols, records = _table_rows(con, table)
    else:
        cols = FLAT_EVENT_SCHEMA.names
        records = event_records(con)
        if fmt == "parquet":
            return _write_parquet(FLAT_EVENT_SCHEMA, (flat(r) for r in records), out)  # type: ignore[arg-type]
        if fmt == "csv":
            records = (flat(r) for r in records)
    if out is None:
        fh = stdout or sys.stdout
        return _write_jsonl(records, fh) if fmt == "jsonl" else _write_csv(cols, records, fh)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        return _write_jsonl(records, fh) if fmt == "jsonl" else _write_csv(cols, records, fh)


def _parquet_table(con: duckdb.DuckDBPyConnection, table: str, out: Path) -> int:
    # DuckDB writes its own tables to Parquet directly, types included.
    order = "processed_at, id" if table == "articles" else "article_id, idx"
    path = str(out).replace("'", "''")
    con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{path}' (FORMAT parquet)")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
