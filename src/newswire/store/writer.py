"""Writing records: one transaction per batch, idempotent by article id.

DuckDB's ``executemany`` goes row by row; a batch is instead turned into one
Arrow table per DuckDB table and inserted with a single ``INSERT ... SELECT``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newswire import __version__
from newswire.model import ArticleRecord, to_dict
from newswire.store import schema
from newswire.store.schema import Table, q

DEFAULT_DB = "newswire.duckdb"


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if any.

    A Ctrl-C can land just after COMMIT or before BEGIN; rolling back then fails with
    "no transaction is active", which would hide the interrupt behind a DuckDB error.
    """
    try:
        con.rollback()
    except duckdb.TransactionException:
        pass


def connect(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a store; read-only opens never create a file."""
    path = str(path)
    if read_only:
        if path != ":memory:" and not Path(path).exists():
            raise FileNotFoundError(f"no database at {path} (run `newswire run` first)")
        return duckdb.connect(path, read_only=True)
    con = duckdb.connect(path)
    schema.ensure(con)
    return con


def known_ids(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> set[str]:
    """Which of these article ids are already stored."""
    ids = list(set(ids))
    if not ids:
        return set()
    rows = con.execute(
        "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    ).fetchall()
    return {r[0] for r in rows}


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


class _Rows:
    """Column buffers for one table, filled item by item."""

    def __init__(self, table: Table):
        self.table = table
        self.cols: dict[str, list] = {c.name: [] for c in table.columns}
        self._json = {c.name for c in table.columns if c.sql == "JSON"}

    def add(self, item: Any, **fixed: Any) -> None:
        for c in self.table.columns:
            if c.name in fixed:
                val = fixed[c.name]
            elif c.path:
                val = _get(item, c.path)
                if c.name in self._json and val is not None:
                    val = json.dumps(to_dict(val))
            else:
                val = None
            self.cols[c.name].append(val)

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()), []))

    def arrow(self) -> pa.Table:
        return pa.table(self.cols, schema=self.table.arrow_schema)


def _fill(rows: dict[str, _Rows], rec: ArticleRecord, run_id: int | None, now: datetime) -> None:
    art = rec.article
    rows["articles"].add(
        None,
        id=rec.id,
        source=art.source,
        url=art.url,
        title=rec.title if rec.title is not None else art.title,
        published=art.published,
        outlet=art.outlet,
        author=art.author,
        language=art.language,
        byline=rec.byline,
        text=rec.text,
        raw_length=len(art.text),
        warnings=list(rec.warnings),
        processed_at=now,
        version=__version__,
        run_id=run_id,
    )
    aid = rec.id
    for i, sec in enumerate(rec.sections):
        rows["sections"].add(sec, article_id=aid, idx=i)
    for i, (start, end) in enumerate(rec.sentences):
        rows["sentences"].add(None, article_id=aid, idx=i, start=start, end=end)
    for name in ("mentions", "places", "dates", "counts"):
        for i, item in enumerate(getattr(rec, name)):
            rows[name].add(item, article_id=aid, idx=i)
    for i, quote in enumerate(rec.quotes):
        rows["quotes"].add(quote, article_id=aid, idx=i)
        for p, span in enumerate(quote.extra_spans):
            rows["quote_spans"].add(span, article_id=aid, quote_idx=i, position=p)
    for i, ev in enumerate(rec.events):
        rows["events"].add(ev, article_id=aid, idx=i)
        for role, actors in (("actor", ev.actors), ("recipient", ev.recipients)):
            for p, actor in enumerate(actors):
                rows["event_actors"].add(
                    actor, article_id=aid, event_idx=i, event_id=ev.id, role=role, position=p
                )
        for p, span in enumerate(ev.spans):
            rows["event_spans"].add(span, article_id=aid, event_idx=i, event_id=ev.id, position=p)


@dataclass
class WriteResult:
    stored: int = 0
    skipped: int = 0  # already in the store (or twice in the batch)


def write_records(
    con: duckdb.DuckDBPyConnection,
    records: Sequence[ArticleRecord],
    run_id: int | None = None,
    replace: bool = False,
) -> WriteResult:
    """Store a batch in one transaction.

    Without ``replace`` an article already stored is skipped; with it, the
    article's old rows in every table are deleted and the new ones inserted in
    the same transaction, so an interrupted run never leaves half an article.
    """
    result = WriteResult()
    unique: dict[str, ArticleRecord] = {}
    for rec in records:
        if rec.id in unique:
            result.skipped += 1
        unique[rec.id] = rec
    if not unique:
        return result
    tables = schema.tables()
    now = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        ids = list(unique)
        if replace:
            for t in tables.values():
                key = "id" if t.name == "articles" else "article_id"
                con.execute(
                    f"DELETE FROM {t.name} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))", [ids]
                )
        else:
            for aid in known_ids(con, ids):
                del unique[aid]
                result.skipped += 1
        rows = {name: _Rows(t) for name, t in tables.items()}
        for rec in unique.values():
            _fill(rows, rec, run_id, now)
        for name, buf in rows.items():
            if not len(buf):
                continue
            view = f"_nw_batch_{name}"
            con.register(view, buf.arrow())
            try:
                cols = ", ".join(q(c) for c in buf.table.names)
                con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {view}")
            finally:
                con.unregister(view)
        con.commit()
    except BaseException:  # KeyboardInterrupt included: nothing half-written stays
        rollback(con)
        raise
    result.stored = len(unique)
    return result


def write_failures(
    con: duckdb.DuckDBPyConnection, failures: Iterable[Any], run_id: int | None = None
) -> int:
    """Record failures (anything with source/reason/article_id); same source+reason only once."""
    rows = {(f.source, f.reason): getattr(f, "article_id", "") or "" for f in failures}
    if not rows:
        return 0
    tbl = pa.table(
        {
            "source": [k[0] for k in rows],
            "reason": [k[1] for k in rows],
            "article_id": list(rows.values()),
        }
    )
    con.register("_nw_failures", tbl)
    try:
        before = con.execute("SELECT count(*) FROM failures").fetchall()[0][0]
        con.execute(
            """INSERT INTO failures
               SELECT n.source, n.reason, n.article_id, now()::TIMESTAMP, ? FROM _nw_failures n
               WHERE NOT EXISTS (SELECT 1 FROM failures f
                                 WHERE f.source = n.source AND f.reason = n.reason)""",
            [run_id],
        )
        return con.execute("SELECT count(*) FROM failures").fetchall()[0][0] - before
    finally:
        con.unregister("_nw_failures")


def start_run(con: duckdb.DuckDBPyConnection, inputs: Sequence[str]) -> int:
    con.begin()
    try:
        run_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchall()[0][0]
        con.execute(
            "INSERT INTO runs VALUES (?, now()::TIMESTAMP, NULL, ?, 'running', NULL, ?)",
            [run_id, list(inputs), __version__],
        )
        con.commit()
    except BaseException:
        rollback(con)
        raise
    return int(run_id)


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: int, counts: dict[str, int], status: str = "done"
) -> None:
    con.execute(
        "UPDATE runs SET finished = now()::TIMESTAMP, status = ?, counts = ? WHERE id = ?",
        [status, json.dumps(counts), run_id],
    )
