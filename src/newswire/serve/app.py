"""The FastAPI app: read-only JSON endpoints over a newswire DuckDB store, and the dashboard."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from newswire import __version__
from newswire.serve import queries as q
from newswire.serve.snapshot import Snapshots

STATIC = Path(__file__).parent / "static"
MAX_PAGE_SIZE = 200  # one page of events stays a few hundred kB of JSON
MAX_PAGE = 100_000  # deeper pages are an export's job, not the API's

# The dashboard loads nothing from elsewhere, and no inline script can run even if some
# article text slipped past the escaping.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

Code = Annotated[str | None, Query(max_length=100, description="Actor code or actor key.")]


def filters(
    type: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z_]+(,[A-Za-z_]+)*$", max_length=400,
              description="PLOVER event type(s), comma-separated."),
    ] = None,
    actor: Code = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 code of the event place.")
    ] = None,
    date_from: Annotated[date | None, Query(description="First day (inclusive).")] = None,
    date_to: Annotated[date | None, Query(description="Last day (inclusive).")] = None,
    min_sources: Annotated[
        int | None, Query(ge=1, le=10_000, description="Minimum number of sources.")
    ] = None,
    article: Annotated[str | None, Query(max_length=64, description="Article id.")] = None,
    distinct: Annotated[
        bool, Query(description="One row per real event: of the reports fused into one "
                                "event, only the earliest counts.")
    ] = False,
) -> q.Filters:
    types = [t.upper() for t in type.split(",")] if type else []
    return q.Filters(types, actor or None, country, date_from, date_to, min_sources,
                     article or None, distinct)


FiltersDep = Annotated[q.Filters, Depends(filters)]


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # datetime included
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class FastJSON(JSONResponse):
    """Rows straight to JSON: FastAPI's generic encoder costs more than the query itself."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=_plain, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    # one DuckDB cursor per request: a connection is not safe across worker threads
    cur = request.app.state.con.cursor()
    cur.execute(q.SEARCH_PATH)
    try:
        yield cur
    finally:
        cur.close()


Cur = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


def _found(row: dict | None, what: str) -> FastJSON:
    if row is None:
        raise HTTPException(404, f"no such {what}")
    return FastJSON(row)


class SecurityHeaders:
    """Pure ASGI middleware (Starlette's BaseHTTPMiddleware costs a task per request)."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


RETIRE_S = 60.0  # an old copy stays open this long for requests still reading it


def create_app(db: str | Path, reload_s: float = 10.0) -> FastAPI:
    """The app over a private copy of the store at ``db`` (``serve.snapshot``), renewed when
    the store has changed, checked every ``reload_s`` seconds (0: never)."""
    state: dict[str, Any] = {"retired": []}

    def load(snaps: Snapshots) -> tuple[duckdb.DuckDBPyConnection, Any, Path]:
        copy = snaps.take()
        con = q.open_store(copy)
        fusion = q.detect_fusion(con)
        q.build_index(con, fusion)
        return con, fusion, copy

    def swap(app: FastAPI, loaded: tuple[duckdb.DuckDBPyConnection, Any, Path]) -> None:
        con, fusion, copy = loaded
        if "copy" in state:
            state["retired"].append((time.monotonic() + RETIRE_S, app.state.con, state["copy"]))
        app.state.con, state["fusion"], state["copy"] = con, fusion, copy
        state["as_of"] = state["snaps"].taken_at

    def retire(everything: bool = False) -> None:
        keep = []
        for item in state["retired"]:
            if everything or item[0] <= time.monotonic():
                item[1].close()
                Snapshots.discard(item[2])
            else:
                keep.append(item)
        state["retired"] = keep

    async def watch(app: FastAPI) -> None:
        while True:
            await asyncio.sleep(reload_s)
            retire()
            if not state["snaps"].changed():
                continue
            try:
                loaded = await asyncio.to_thread(load, state["snaps"])
            except duckdb.Error:
                continue  # a run is writing the store: serve the last copy, try again later
            swap(app, loaded)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state["snaps"] = Snapshots(db)
        try:
            loaded = load(state["snaps"])
        except duckdb.IOException as exc:
            state["snaps"].close()
            raise RuntimeError(f"{db}: cannot read the store while a run writes it; start "
                               f"the server when the run has finished ({exc})") from None
        swap(app, loaded)
        task = asyncio.create_task(watch(app)) if reload_s > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
            app.state.con.close()
            retire(everything=True)
            state["snaps"].close()

    app = FastAPI(
        title="newswire",
        version=__version__,
        description="PLOVER events with provenance: every item points to its sentence.",
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)

    @app.get("/api/meta", tags=["meta"])
    def meta(cur: Cur) -> FastJSON:
        """Table counts, event types, quote source classes, first/last day; `as_of`: when
        the copy of the store being served was taken (UTC)."""
        return FastJSON({**q.meta(cur, state["fusion"]), "as_of": state["as_of"]})

    @app.get("/api/events", tags=["events"])
    def events(cur: Cur, f: FiltersDep, page: Page = 1, page_size: PageSize = 50) -> FastJSON:
        """Events matching the filters, newest first, one page at a time."""
        return FastJSON(q.events(cur, f, page, page_size))

    @app.get("/api/events/{event_id}", tags=["events"], responses={404: {}})
    def event(cur: Cur, event_id: Annotated[str, PathParam(max_length=100)]) -> FastJSON:
        """One event with its evidence spans, its article's text and quotes, fused siblings."""
        return _found(q.event(cur, event_id), "event")

    @app.get("/api/articles", tags=["articles"])
    def articles(cur: Cur, page: Page = 1, page_size: PageSize = 50) -> FastJSON:
        """Stored articles (without text), newest first."""
        return FastJSON(q.articles(cur, page, page_size))

    @app.get("/api/articles/{article_id}", tags=["articles"], responses={404: {}})
    def article(cur: Cur, article_id: Annotated[str, PathParam(max_length=64)]) -> FastJSON:
        """One article with its cleaned text, which every span points into."""
        return _found(q.article(cur, article_id), "article")

    @app.get("/api/quotes", tags=["quotes"])
    def quotes(
        cur: Cur,
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        source_class: Annotated[str | None, Query(max_length=40)] = None,
        article: Annotated[str | None, Query(max_length=64)] = None,
        page: Page = 1,
        page_size: PageSize = 50,
    ) -> FastJSON:
        """Quotes by speaker (substring, any case) and by source class."""
        return FastJSON(q.quotes(cur, speaker, source_class, article, page, page_size))

    @app.get("/api/actors", tags=["actors"])
    def actors(cur: Cur, f: FiltersDep, limit: PageSize = 100) -> FastJSON:
        """Actors of the matching events, most active first."""
        return FastJSON(q.actors(cur, f, limit))

    @app.get("/api/dyads", tags=["actors"])
    def dyads(cur: Cur, f: FiltersDep, limit: PageSize = 150) -> FastJSON:
        """Actor → recipient pairs with their CAMEO quad class, and the nodes they join."""
        return FastJSON(q.dyads(cur, f, limit))

    @app.get("/api/timeseries", tags=["events"])
    def timeseries(
        cur: Cur, f: FiltersDep, interval: Literal["auto", "day", "week", "month"] = "auto"
    ) -> FastJSON:
        """Event counts per type per day, week or month (auto: by the span covered)."""
        return FastJSON(q.timeseries(cur, f, interval))

    @app.get("/api/places", tags=["places"])
    def places(cur: Cur, f: FiltersDep) -> FastJSON:
        """Event places as GeoJSON points with counts and precision."""
        return FastJSON(q.places(cur, f))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
