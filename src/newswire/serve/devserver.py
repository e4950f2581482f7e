"""Run the app in a background thread on a free localhost port (tests and benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from newswire.serve.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """``with ServerThread(db) as url:`` — a real uvicorn server until the block ends."""

    def __init__(self, db: str | Path, port: int | None = None, reload_s: float = 10.0):
        self.port = port or free_port()
        config = uvicorn.Config(create_app(db, reload_s), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
