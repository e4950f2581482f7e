"""Reading the store back: articles, items with their evidence sentence, events as records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb

ITEM_TABLES = ("mentions", "places", "dates", "counts", "quotes")

# The evidence sentence of a row, sliced out of the cleaned text (DuckDB's
# substring counts code points, as Python slicing does).
_SENTENCE = "substring(a.text, s.start + 1, s.\"end\" - s.start)"


class NotFound(LookupError):
    pass


def _dicts(rel: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]


def resolve_article(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """The article id that ``ref`` names: the full id or an unambiguous prefix."""
    ref = ref.strip()
    if not ref:
        raise NotFound("empty article id")
    rows = con.execute(
        "SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 3", [ref]
    ).fetchall()
    if not rows:
        raise NotFound(f"no article with id {ref!r} in the database")
    ids = [r[0] for r in rows]
    if ref in ids:
        return ref
    if len(ids) > 1:
        raise NotFound(f"article id prefix {ref!r} is ambiguous ({', '.join(ids)}, ...)")
    return ids[0]


def latest_article(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute(
        "SELECT id FROM articles ORDER BY processed_at DESC, rowid DESC LIMIT 1"
    ).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise NotFound("the database holds no articles yet")
    return row[0]


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any]:
    rows = _dicts(con.execute("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:
        raise NotFound(f"no article with id {article_id!r}")
    return rows[0]


def items(con: duckdb.DuckDBPyConnection, table: str, article_id: str) -> list[dict[str, Any]]:
    """Rows of an item table for one article, each with its ``sentence_text``."""
    if table not in ITEM_TABLES:
        raise ValueError(f"not an item table: {table}")
    return _dicts(
        con.execute(
            f"""SELECT t.*, {_SENTENCE} AS sentence_text
                FROM {table} t JOIN articles a ON a.id = t.article_id
                LEFT JOIN sentences s ON s.article_id = t.article_id AND s.idx = t.span_sentence
                WHERE t.article_id = ? ORDER BY t.idx""",
            [article_id],
        )
    )


def table_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def _actor_struct(con: duckdb.DuckDBPyConnection) -> str:
    # stores written before actors carried ``code_inferred`` may be opened read-only, where
    # the column cannot be added: their codes were never inferred from the place
    cols = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'event_actors'"
    ).fetchall()}
    inferred = "x.code_inferred" if "code_inferred" in cols else "false"
    return (f"struct_pack(actorText := x.text, code := x.code, sector := x.sector, "
            f"codeInferred := {inferred}, sentence := x.span_sentence, "
            f'"start" := x.span_start, "end" := x.span_end, text := x.span_text)')


def event_rows(
    con: duckdb.DuckDBPyConnection,
    where: str = "TRUE",
    params: list[Any] | None = None,
    order: str = "e.article_id, e.idx",
    limit: int | None = None,
    batch_rows: int = 2048,
) -> Iterator[dict[str, Any]]:
    """Event rows joined with their actors, evidence spans, sentence and article.

    ``where`` is an SQL condition over ``e`` (events) and ``a`` (articles).
    Streams in Arrow batches so an export of a large store stays in bounded memory.
    """
    lim = f"LIMIT {int(limit)}" if limit is not None else ""
    actor = _actor_struct(con)
    sql = f"""
    WITH sel AS (
        SELECT e.*, a.url AS article_url, a.outlet AS article_outlet,
               a.published AS article_published, a.title AS article_title
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {where}
    ),
    act AS (
        SELECT x.article_id, x.event_idx,
          list({actor} ORDER BY x.position)
            FILTER (WHERE x.role = 'actor') AS actor_list,
          list({actor} ORDER BY x.position)
            FILTER (WHERE x.role = 'recipient') AS recipient_list
        FROM event_actors x
        WHERE x.article_id IN (SELECT article_id FROM sel)
        GROUP BY x.article_id, x.event_idx
    ),
    ev AS (
        SELECT y.article_id, y.event_idx,
          list(struct_pack(sentence := y.span_sentence, "start" := y.span_start,
                           "end" := y.span_end, text := y.span_text) ORDER BY y.position)
            AS evidence_list,
          arg_min(y.span_sentence, y.position) AS evidence_sentence
        FROM event_spans y
        WHERE y.article_id IN (SELECT article_id FROM sel)
        GROUP BY y.article_id, y.event_idx
    )
    SELECT e.*, act.actor_list, act.recipient_list, ev.evidence_list,
           {_SENTENCE} AS event_text
    FROM sel e
    JOIN articles a ON a.id = e.article_id
    LEFT JOIN act ON act.article_id = e.article_id AND act.event_idx = e.idx
    LEFT JOIN ev ON ev.article_id = e.article_id AND ev.event_idx = e.idx
    LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = ev.evidence_sentence
    ORDER BY {order}
    {lim}
    """
    reader = con.sql(sql, params=params or None).to_arrow_reader(batch_rows)
    for batch in reader:
        yield from batch.to_pylist()
