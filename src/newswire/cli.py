"""The ``newswire`` command: run, show, export, eval."""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from newswire import __version__
from newswire.errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Political event data (PLOVER) with provenance, from your own news articles, offline.",
)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NEWSWIRE_DB", help="DuckDB file (created by `run`)."),
]
DEFAULT_DB = Path("newswire.duckdb")


def _stderr() -> Console:
    # soft_wrap: an error line stays one line whatever the terminal width
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _stdout() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # piped or captured: 80 columns would fold every evidence sentence
        console = Console(highlight=False, width=140)
    return console


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; the caller raises the returned Exit."""
    _stderr().print(f"error: {message}", markup=False)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newswire {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Political event data (PLOVER) with provenance, from your own news articles, offline."""


def _parse_published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _open(db: Path, read_only: bool):
    import duckdb

    from newswire import store

    try:
        return store.connect(db, read_only=read_only)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except (duckdb.Error, RuntimeError) as exc:
        msg = _one_line(exc)
        held = re.search(r"Conflicting lock is held in (.*?) \(PID (\d+)\)", msg)
        if held:
            # DuckDB: one writer or several readers per file, never both
            raise fail(f"{db}: in use by another process (PID {held.group(2)}, {held.group(1)}),"
                       " e.g. `newswire serve` or another run; stop it or use another --db"
                       ) from None
        raise fail(f"{db}: cannot open the database: {msg}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


# ---------------------------------------------------------------- run


def _is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C that reached DuckDB mid-query: it surfaces as DuckDB's InterruptException, or
    as the error of a clean-up statement run in the transaction that the interrupt aborted."""
    import duckdb

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:  # the whole chain: clean-up errors can stack on top of the interrupt
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        if isinstance(e, duckdb.InterruptException | KeyboardInterrupt):
            return True
        # some DuckDB code paths report the interrupted query as a bare RuntimeError
        if isinstance(e, RuntimeError) and str(e).startswith("Query interrupted"):
            return True
        # Ctrl-C while DuckDB calls back into Python (reading a registered batch's schema)
        # comes back as DuckDB's own error, with the KeyboardInterrupt only in its text
        if isinstance(e, duckdb.Error) and "KeyboardInterrupt" in str(e):
            return True
        seen.add(id(e))
        todo += [e.__context__, e.__cause__]
    return False


class _Feeder:
    """Articles from the inputs that still need processing, reporting the rest as it goes."""

    def __init__(self, con, inputs, published, force, batch_size, report):
        self.con, self.inputs, self.published = con, inputs, published
        self.force, self.batch_size, self.report = force, batch_size, report
        self.stats: Counter[str] = Counter()
        self.failures: list[Any] = []
        self.seen: set[str] = set()
        self.since: date | None = None  # --since: older articles are skipped

    def _fresh(self, buf: list) -> list:
        from newswire.store import known_ids

        if self.force or not buf:
            return buf
        known = known_ids(self.con, [a.id for a in buf])
        self.stats["skipped"] += sum(a.id in known for a in buf)
        return [a for a in buf if a.id not in known]

    def __iter__(self) -> Iterator:
        from newswire.ingest import iter_inputs

        buf: list = []
        for item in iter_inputs(list(self.inputs), self.published):
            if isinstance(item, InputError):
                self.stats["failed"] += 1
                self.failures.append(item)
                self.report(item.source, item.reason)
                continue
            self.stats["read"] += 1
            if self.since and item.published and item.published < self.since:
                self.stats["skipped"] += 1
                continue
            if item.id in self.seen:  # the same story twice in this run's inputs
                self.stats["skipped"] += 1
                continue
            self.seen.add(item.id)
            buf.append(item)
            if len(buf) >= self.batch_size:
                yield from self._fresh(buf)
                buf = []
        yield from self._fresh(buf)


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="INPUT", help="Files, directories (recursive) or - for stdin."),
    ],
    db: DbOption = DEFAULT_DB,
    published: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="Publication date for inputs that carry none."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Worker processes.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Re-process articles already stored.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, metavar="N", help="Articles per database transaction.")
    ] = 64,
    top: Annotated[int, typer.Option(min=0, metavar="N", help="Events listed at the end.")] = 15,
    since: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="Skip articles published before this date."),
    ] = None,
    cluster_threshold: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="Story-cluster similarity (MinHash Jaccard).")
    ] = 0.3,
    max_chars: Annotated[
        int | None,
        typer.Option(min=1000, metavar="N",
                     help="Longer article texts are truncated at a paragraph boundary "
                          "[env NEWSWIRE_MAX_CHARS; default 200000]."),
    ] = None,
    max_file_bytes: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help="Largest input file or WARC page "
                     "[env NEWSWIRE_MAX_FILE_BYTES; default 20 MiB]."),
    ] = None,
    time_budget: Annotated[
        float | None,
        typer.Option(min=0.001, metavar="SECONDS", help="Extraction time allowed per article "
                     "[env NEWSWIRE_TIME_BUDGET_S; default 60]."),
    ] = None,
) -> None:
    """Read articles, extract events, quotes, counts, dates and places, and store them."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from newswire import limits, pipeline, store
    from newswire.store.views import events_table, summary_table

    # Through the environment, so that worker processes see the same limits.
    limits.set_env(max_chars=max_chars, max_file_bytes=max_file_bytes,
                   time_budget_s=time_budget)
    try:
        limits.current()
    except ValueError as exc:
        raise fail(str(exc), code=2) from None
    pub = _parse_published(published)
    err, out = _stderr(), _stdout()
    con = _open(db, read_only=False)
    run_id = store.start_run(con, inputs)

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )

    def report(source: str, reason: str, level: str = "error") -> None:
        progress.console.print(f"{level}: {source}: {reason}", markup=False, soft_wrap=True)

    feeder = _Feeder(con, inputs, pub, force, batch_size, report)
    feeder.since = _parse_published(since)
    stats = feeder.stats
    pending: list = []

    def flush() -> None:
        res = store.write_records(con, pending, run_id=run_id, replace=force)
        stats["stored"] += res.stored
        stats["skipped"] += res.skipped
        if res.stored:
            for rec in pending:
                for name in ("events", "quotes", "counts", "places", "dates"):
                    stats[name] += len(getattr(rec, name))
        pending.clear()
        store.write_failures(con, feeder.failures, run_id=run_id)
        feeder.failures.clear()

    def describe() -> str:
        return (f"processed {stats['processed']} · stored {stats['stored']} · "
                f"skipped {stats['skipped']} · failed {stats['failed']}")

    status = "done"
    try:
        with progress:
            task = progress.add_task(describe(), total=None)
            pipe_batch = max(1, min(16, batch_size))
            for item in pipeline.run(feeder, workers=workers, batch_size=pipe_batch):
                stats["processed"] += 1
                if isinstance(item, pipeline.Failure):
                    # A non-English article is left out on purpose: recorded with
                    # its reason, counted apart, and not an error for the exit code.
                    skipped = item.kind == "skipped"
                    stats["non_english" if skipped else "failed"] += 1
                    feeder.failures.append(item)
                    report(item.source, item.reason, "note" if skipped else "error")
                else:
                    for warning in item.warnings:
                        stats["truncated"] += warning.startswith("text truncated")
                        report(item.article.source or item.id, warning, "warning")
                    pending.append(item)
                if len(pending) >= batch_size:
                    flush()
                progress.update(task, description=describe())
            flush()
    except KeyboardInterrupt:
        status = "interrupted"
    except Exception as exc:  # an unexpected bug: keep what is stored, say what happened
        status = "interrupted" if _is_interrupt(exc) else "error"
        if status == "error":
            err.print(f"error: run stopped: {_one_line(exc)!s} ({type(exc).__name__})",
                      markup=False)
    if status != "done":
        try:
            flush()  # the records already processed are complete: keep them
        except (Exception, KeyboardInterrupt):
            pass
        if status == "interrupted":
            err.print(f"interrupted: {stats['stored']} articles stored", markup=False)
    store.finish_run(con, run_id, dict(stats), status)
    if status != "interrupted":
        from newswire.cli_corpus import refresh_corpus

        status = refresh_corpus(con, cluster_threshold, err, status)

    out.print(summary_table(stats))
    for key, label in (("non_english", "skipped (not English)"),
                       ("truncated", "truncated (max_chars)")):
        if stats[key]:
            out.print(f"{label}: {stats[key]}")
    if top and stats["stored"]:
        from newswire.store.export import event_records

        records = list(
            event_records(
                con,
                where="a.run_id = ?",
                params=[run_id],
                order="e.confidence DESC NULLS LAST, e.article_id, e.idx",
                limit=top,
            )
        )
        if records:
            out.print(events_table(records, title=f"Events of this run (top {len(records)})"))
    con.close()
    if status == "interrupted":
        raise typer.Exit(130)
    if status == "error" or stats["failed"]:
        raise typer.Exit(1)


# ---------------------------------------------------------------- show


@app.command()
def show(
    article_id: Annotated[
        str | None, typer.Argument(help="Article id (a unique prefix is enough).")
    ] = None,
    latest: Annotated[bool, typer.Option("--latest", help="The last article stored.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one article's events, quotes, counts, dates and places with their evidence."""
    import duckdb

    from newswire.store import queries
    from newswire.store.views import show_article

    if not article_id and not latest:
        raise fail("give an ARTICLE_ID or --latest", code=2)
    con = _open(db, read_only=True)
    try:
        aid = queries.latest_article(con) if latest else queries.resolve_article(con, article_id)
        show_article(con, aid, _stdout())
    except queries.NotFound as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:  # a DuckDB file that newswire did not write
        raise fail(f"{db}: not a newswire database: {_one_line(exc)}") from None
    finally:
        con.close()


# ---------------------------------------------------------------- export


class Format(enum.StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class ExportTable(enum.StrEnum):
    events = "events"
    quotes = "quotes"
    counts = "counts"
    places = "places"
    dates = "dates"
    mentions = "mentions"
    articles = "articles"


@app.command()
def export(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")
    ] = None,
    table: Annotated[
        ExportTable, typer.Option(help="What to export; events are PLOVER records.")
    ] = ExportTable.events,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export events (PLOVER layout with provenance) or another table."""
    import duckdb

    from newswire.store import export as exp

    if format is Format.parquet and out is None:
        raise fail("parquet needs --out PATH", code=2)
    con = _open(db, read_only=True)
    try:
        n = exp.export(con, format.value, out, table=table.value)
    except OSError as exc:
        raise fail(f"{out}: {exc.strerror or exc}") from None
    except duckdb.Error as exc:
        raise fail(f"{db}: not a newswire database: {_one_line(exc)}") from None
    finally:
        con.close()
    if out is not None:
        _stderr().print(f"{n} rows ({table.value}) written to {out}", markup=False)


# ---------------------------------------------------------------- eval


class EvalKind(enum.StrEnum):
    events = "events"
    quotes = "quotes"
    dates = "dates"
    places = "places"


@app.command("eval")
def eval_(
    kind: Annotated[EvalKind, typer.Argument(help="What to evaluate.")],
    path: Annotated[Path, typer.Argument(help="Gold data (file or directory).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    limit: Annotated[
        int | None, typer.Option(min=1, metavar="N", help="Evaluate the first N items.")
    ] = None,
) -> None:
    """Score the extractors against gold data."""
    if not path.exists():
        raise fail(f"{path}: no such file or directory")
    try:
        mod = importlib.import_module(f"newswire.eval.{kind.value}")
    except ImportError as exc:
        raise fail(f"evaluation of {kind.value} is not available: {exc}") from None
    params = inspect.signature(mod.evaluate).parameters
    kwargs = {"limit": limit} if "limit" in params else {}
    try:
        result = mod.evaluate(path, **kwargs)
    except (InputError, OSError, ValueError) as exc:  # unreadable or empty gold data
        raise fail(f"{path}: cannot evaluate {kind.value}: {exc}") from None
    if as_json:
        sys.stdout.write(json.dumps(result, default=str, ensure_ascii=False) + "\n")
        return
    console = _stdout()
    shown = mod.render(result, console)
    if shown is not None:
        console.print(shown)


# The command modules import `app` from here, so they are imported last; importing them
# registers their commands.
from newswire import (  # noqa: E402
    cli_corpus,  # noqa: F401  (`events`, `stats`)
    cli_serve,  # noqa: F401  (`serve`)
    cli_spark,  # noqa: F401  (`spark`, `load`)
)
