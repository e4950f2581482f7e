"""Corpus commands on the ``newswire`` app: ``events`` and ``stats``; the post-run corpus step."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from newswire.cli import (
    DEFAULT_DB,
    DbOption,
    _one_line,
    _open,
    _parse_published,
    _stdout,
    app,
    fail,
)


def refresh_corpus(con, threshold: float, err, status: str) -> str:
    """Re-cluster and re-fuse after a run; a failure here keeps the stored articles."""
    from newswire import corpus

    try:
        res = corpus.refresh(con, threshold)
    except KeyboardInterrupt:
        err.print("interrupted while clustering: run `newswire run` again to finish", markup=False)
        return "interrupted"
    except Exception as exc:  # noqa: BLE001 — the articles are stored; say what failed
        err.print(f"error: story clustering / fusion failed: {_one_line(exc)}", markup=False)
        return "error"
    cl, fu = res.clusters, res.fusion
    err.print(
        f"corpus: {cl.clusters} story clusters ({cl.multi} with several articles), "
        f"{fu.fused} fused events from {fu.events} reports "
        f"({cl.seconds_sign + cl.seconds_cluster + fu.seconds:.2f}s)",
        markup=False,
    )
    return status


def _json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _codes(actors: list[dict]) -> str:
    return ", ".join(a.get("code") or a.get("actorText") or "?" for a in actors or []) or "—"


def _figure(rec: dict[str, Any], kind: str) -> str:
    rng = rec.get(f"{kind}_range")
    if rng and rng[0] != rng[1]:
        return f"{rec[kind]} ({rng[0]}–{rng[1]})"
    return "" if rec.get(kind) is None else str(rec[kind])


def _events_table(title: str, records: list[dict[str, Any]], extra_cols: tuple[str, ...],
                  extra: Callable[[dict[str, Any]], tuple[str, ...]]) -> Table:
    t = Table(title=title)
    for col in ("id", "date", "event", "actors → recipients", "place", "dead", *extra_cols):
        t.add_column(col, overflow="fold")
    for r in records:
        loc = r["event_loc"] or {}
        t.add_row(
            r["id"], r["date"] or "", f"{r['event']} {r['mode']}".strip(),
            f"{_codes(r['actor'])} → {_codes(r['recipient'])}",
            ", ".join(x for x in (loc.get("name"), loc.get("country")) if x),
            _figure(r, "dead"), *extra(r),
        )
    return t


def _fused_table(records: list[dict[str, Any]]) -> Table:
    return _events_table(
        f"Fused events ({len(records)})", records, ("src", "art", "ment", "first/last seen"),
        lambda r: (str(r["num_sources"]), str(r["num_articles"]), str(r["num_mentions"]),
                   f"{r['first_seen'] or ''} / {r['last_seen'] or ''}"),
    )


def _raw_table(records: list[dict[str, Any]]) -> Table:
    return _events_table(
        f"Events ({len(records)}, not fused)", records, ("outlet", "evidence"),
        lambda r: (r.get("outlet") or "", (r.get("event_text") or "")[:160]),
    )


def _date_opt(value: str | None) -> date | None:
    return _parse_published(value)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    actor: Annotated[
        str | None, typer.Option(metavar="CODE", help="Actor or recipient code (ISO3, IGO, ...).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(metavar="ISO3", help="Country of the event place.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="Events on or after.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="Events on or before.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place name contains (any case).")] = None,
    min_sources: Annotated[
        int, typer.Option(min=1, metavar="N", help="Fused events reported by N outlets or more.")
    ] = 1,
    raw: Annotated[bool, typer.Option("--raw", help="Per-article events, not fused.")] = False,
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="At most N events.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List events: fused across articles and outlets (default) or per article (--raw)."""
    import duckdb

    from newswire.corpus import queries

    f = queries.Filters(type_, actor, country, _date_opt(date_from), _date_opt(date_to), place,
                        min_sources, limit)
    con = _open(db, read_only=True)
    try:
        if not raw and not queries.has_corpus(con):
            raise fail(f"{db}: no fused events yet (run `newswire run` again, or use --raw)")
        if raw and min_sources > 1:
            raise fail("--min-sources applies to fused events, not --raw", code=2)
        records = list(queries.raw_events(con, f) if raw else queries.fused_events(con, f))
    except duckdb.Error as exc:
        raise fail(f"{db}: not a newswire database: {_one_line(exc)}") from None
    finally:
        con.close()
    if as_json:
        for rec in records:
            _json_line(rec)
        return
    _stdout().print(_raw_table(records) if raw else _fused_table(records))


@app.command()
def stats(
    db: DbOption = DEFAULT_DB,
    raw: Annotated[bool, typer.Option("--raw", help="Count per-article events.")] = False,
    week: Annotated[bool, typer.Option("--week", help="Per week instead of per day.")] = False,
    top: Annotated[int, typer.Option(min=1, metavar="N", help="Actor dyads listed.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Corpus totals, events per type per day (or week), and the top actor dyads."""
    import duckdb

    from newswire.corpus import queries

    con = _open(db, read_only=True)
    try:
        res = queries.stats(con, raw=raw, period="week" if week else "day", top=top)
    except duckdb.Error as exc:
        raise fail(f"{db}: not a newswire database: {_one_line(exc)}") from None
    finally:
        con.close()
    what = "fused" if res["fused"] else "raw"
    if as_json:
        _json_line({"kind": "totals", **res["totals"]})
        for row in res["per_period"]:
            _json_line({"kind": "per_period", "events_of": what, "period_kind": res["period"],
                        **row})
        for row in res["dyads"]:
            _json_line({"kind": "dyad", "events_of": what, **row})
        return
    out = _stdout()
    totals = Table(title="Corpus")
    totals.add_column("what")
    totals.add_column("count", justify="right")
    for k, v in res["totals"].items():
        totals.add_row(k.replace("_", " "), str(v))
    out.print(totals)
    per = Table(title=f"{what.capitalize()} events per type per {res['period']}")
    types = sorted({r["type"] for r in res["per_period"]})
    per.add_column(res["period"])
    for t in types:
        per.add_column(t, justify="right")
    by_period: dict[str, dict[str, int]] = {}
    for r in res["per_period"]:
        by_period.setdefault(r["period"], {})[r["type"]] = r["events"]
    for p, row in by_period.items():
        per.add_row(p, *(str(row.get(t, "")) for t in types))
    out.print(per)
    dy = Table(title=f"Top actor → recipient dyads ({what} events)")
    for col in ("actor", "recipient", "events"):
        dy.add_column(col, justify="right" if col == "events" else "left")
    for r in res["dyads"]:
        dy.add_row(r["actor"], r["recipient"], str(r["events"]))
    out.print(dy)
