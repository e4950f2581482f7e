"""The ``serve`` command: the HTTP API and dashboard over a store, read-only, on localhost."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newswire.cli import DEFAULT_DB, DbOption, _open, app, fail


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Address to bind; the default keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    reload_every: Annotated[
        float, typer.Option(min=0, metavar="SECONDS",
                            help="How often to look for new data in the store (0: never).")
    ] = 10.0,
) -> None:
    """Serve the JSON API (OpenAPI at /docs) and the dashboard at / over a store, read-only.

    The server reads a private copy of the store, so `newswire run` can add to the store
    meanwhile; the copy is renewed when the store has changed and no run is writing it.
    """
    try:
        import uvicorn

        from newswire.serve import create_app
    except ImportError as exc:
        raise fail(f"serve needs the 'serve' extra (pip install 'newswire[serve]'): {exc}") \
            from None
    # a store a run is writing cannot be copied yet: say so in one line here rather than
    # inside uvicorn's start-up error report
    _open(Path(db), read_only=True).close()
    typer.echo(f"newswire: serving {db} at http://{host}:{port}/ (read-only; Ctrl-C stops)",
               err=True)
    uvicorn.run(create_app(db, reload_s=reload_every), host=host, port=port,
                log_level="warning")
