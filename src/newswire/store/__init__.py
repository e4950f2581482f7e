"""The DuckDB store: schema, batched idempotent writes, queries and exports."""

from newswire.store.queries import NotFound
from newswire.store.writer import (
    DEFAULT_DB,
    WriteResult,
    connect,
    finish_run,
    known_ids,
    start_run,
    write_failures,
    write_records,
)

__all__ = [
    "DEFAULT_DB",
    "NotFound",
    "WriteResult",
    "connect",
    "finish_run",
    "known_ids",
    "start_run",
    "write_failures",
    "write_records",
]
