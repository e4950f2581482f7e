"""The server reads a private copy of the store, so that `newswire run` can write the store.

DuckDB lets one process write a database file or several read it, never both. A server that
kept the store attached would stop every run for as long as it is up. Instead it copies the
file (and its write-ahead log, which may hold committed data not yet checkpointed) while
holding a read lock for the moment of the copy, so that no writer is midway through it,
serves the copy, and takes a new copy when the store has changed and no writer holds it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


class Snapshots:
    """Numbered copies of one store in a private temporary folder."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self.dir = Path(tempfile.mkdtemp(prefix="newswire-serve-"))
        self.count = 0
        self.seen: tuple | None = None
        self.taken_at = ""

    def _stamp(self) -> tuple:
        out = []
        for p in (self.db, _wal(self.db)):
            try:
                st = p.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def changed(self) -> bool:
        return self._stamp() != self.seen

    def take(self) -> Path:
        """A consistent copy of the store; ``duckdb.IOException`` while a writer holds it."""
        stamp = self._stamp()
        lock = duckdb.connect(str(self.db), read_only=True)
        try:
            self.count += 1
            dest = self.dir / f"store-{self.count}.duckdb"
            shutil.copyfile(self.db, dest)
            if _wal(self.db).exists():
                shutil.copyfile(_wal(self.db), _wal(dest))
        finally:
            lock.close()
        self.seen = stamp
        self.taken_at = datetime.now(UTC).isoformat(timespec="seconds")
        return dest

    @staticmethod
    def discard(copy: Path) -> None:
        for p in (copy, _wal(copy)):
            p.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
