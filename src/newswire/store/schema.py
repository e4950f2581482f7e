"""The DuckDB schema, derived from the dataclasses in ``model.py``.

Every item table is generated from its dataclass so that a field added to the
model shows up as a column without a second list to keep in sync: scalars map
to columns, a nested dataclass (an event's place, date, counts) is flattened
with its field name as prefix, and a Span becomes ``<prefix>sentence``,
``<prefix>start``, ``<prefix>end``, ``<prefix>text``. Lists of spans and of
actors go to child tables (``event_spans``, ``event_actors``, ``quote_spans``).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from newswire import model

SCHEMA_VERSION = 1

SPAN_FIELDS = ("sentence", "start", "end", "text")


@dataclass(frozen=True)
class Column:
    name: str
    sql: str  # DuckDB type
    arrow: Any  # pyarrow DataType
    path: tuple[str, ...] = ()  # attribute path from the item; () = filled by the writer


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @functools.cached_property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.arrow) for c in self.columns])


_SCALARS: dict[type, tuple[str, Any]] = {
    str: ("VARCHAR", pa.string()),
    int: ("BIGINT", pa.int64()),
    float: ("DOUBLE", pa.float64()),
    bool: ("BOOLEAN", pa.bool_()),
    date: ("DATE", pa.date32()),
}
_STR_LIST = ("VARCHAR[]", pa.list_(pa.string()))


def _c(name: str, typ: type, path: tuple[str, ...] = ()) -> Column:
    sql, arrow = _SCALARS[typ]
    return Column(name, sql, arrow, path)


def _strip_optional(tp: Any) -> Any:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _span_prefix(field_name: str) -> str:
    # `span` -> span_start; `speaker_span` -> speaker_start (shorter, as analysts write it)
    if field_name == "span":
        return "span_"
    if field_name.endswith("_span"):
        return field_name[: -len("span")]
    return field_name + "_"


def span_columns(prefix: str, path: tuple[str, ...]) -> list[Column]:
    return [
        _c(prefix + f, str if f == "text" else int, path + (f,)) for f in SPAN_FIELDS
    ]


def flatten(cls: type, prefix: str = "", path: tuple[str, ...] = (), skip=()) -> list[Column]:
    """Columns for a dataclass; list-of-dataclass fields (child tables) are skipped."""
    cols: list[Column] = []
    hints = typing.get_type_hints(cls, vars(model))
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        tp = _strip_optional(hints[f.name])
        fpath = path + (f.name,)
        if tp is model.Span:
            cols += span_columns(prefix + _span_prefix(f.name), fpath)
        elif dataclasses.is_dataclass(tp):
            cols += flatten(tp, prefix + f.name + "_", fpath)
        elif typing.get_origin(tp) is list:
            (arg,) = typing.get_args(tp)
            if arg is str:
                cols.append(Column(prefix + f.name, *_STR_LIST, fpath))
            # lists of spans / actors live in child tables
        elif tp in _SCALARS:
            cols.append(_c(prefix + f.name, tp, fpath))
        else:  # anything exotic a later field may bring: kept, as JSON text
            cols.append(Column(prefix + f.name, "JSON", pa.string(), fpath))
    return cols


def _item_table(name: str, cls: type, skip=()) -> Table:
    key = [_c("article_id", str), _c("idx", int)]
    return Table(name, tuple(key + flatten(cls, skip=skip)))


def _child_span_table(name: str, parent: str) -> Table:
    key = [_c("article_id", str), _c(f"{parent}_idx", int), _c("position", int)]
    if parent == "event":
        key.insert(2, _c("event_id", str))
    return Table(name, tuple(key + span_columns("span_", ())))


@functools.cache
def tables() -> dict[str, Table]:
    """Every data table, in the order they are written."""
    articles = Table(
        "articles",
        (
            _c("id", str),
            _c("source", str),
            _c("url", str),
            _c("title", str),
            _c("published", date),
            _c("outlet", str),
            _c("author", str),
            _c("language", str),
            _c("byline", str),
            _c("text", str),
            _c("raw_length", int),
            Column("warnings", *_STR_LIST),
            Column("processed_at", "TIMESTAMP", pa.timestamp("us")),
            _c("version", str),
            _c("run_id", int),
        ),
        primary_key="id",
    )
    actor_cols = [
        _c("article_id", str),
        _c("event_idx", int),
        _c("event_id", str),
        _c("role", str),  # actor | recipient
        _c("position", int),
    ] + flatten(model.Actor)
    out = [
        articles,
        _item_table("sections", model.Section),
        Table("sentences", (_c("article_id", str), _c("idx", int), _c("start", int),
                            _c("end", int))),
        _item_table("mentions", model.Mention),
        _item_table("places", model.Place),
        _item_table("dates", model.DateRef),
        _item_table("counts", model.Count),
        _item_table("quotes", model.Quote),
        _child_span_table("quote_spans", "quote"),
        _item_table("events", model.Event),
        Table("event_actors", tuple(actor_cols)),
        _child_span_table("event_spans", "event"),
    ]
    for t in out:
        if len(set(t.names)) != len(t.names):  # a model field clashing with a flattened one
            raise RuntimeError(f"duplicate column names in table {t.name}: {t.names}")
    return {t.name: t for t in out}


META_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied TIMESTAMP)",
    """CREATE TABLE IF NOT EXISTS failures (
        source VARCHAR, reason VARCHAR, article_id VARCHAR, "at" TIMESTAMP, run_id BIGINT)""",
    """CREATE TABLE IF NOT EXISTS runs (
        id BIGINT PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, inputs VARCHAR[],
        status VARCHAR, counts JSON, version VARCHAR)""",
)


def q(name: str) -> str:
    """Quote an identifier (`end` is an SQL keyword)."""
    return '"' + name.replace('"', '""') + '"'


def ddl(table: Table) -> str:
    cols = [f"{q(c.name)} {c.sql}" for c in table.columns]
    if table.primary_key:
        cols.append(f"PRIMARY KEY ({q(table.primary_key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n  " + ",\n  ".join(cols) + "\n)"


def ensure(con) -> None:
    """Create missing tables and add columns the model gained since the file was made."""
    for stmt in META_DDL:
        con.execute(stmt)
    found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    if found is not None and found > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {found} is newer than this newswire ({SCHEMA_VERSION})"
        )
    for table in tables().values():
        con.execute(ddl(table))
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [table.name],
            ).fetchall()
        }
        for c in table.columns:
            if c.name not in have:
                con.execute(f"ALTER TABLE {table.name} ADD COLUMN {q(c.name)} {c.sql}")
    if found is None:
        con.execute("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION])
