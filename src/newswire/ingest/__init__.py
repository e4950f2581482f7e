"""Turn input paths (files, directories, ``-`` for stdin) into Articles.

``iter_inputs`` never raises for a bad input: it yields an :class:`InputError`
naming the input (``path``, ``path:LINE`` or ``path#OFFSET``) and the reason,
then carries on with the next input, so one damaged file never stops a run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from newswire.errors import InputError
from newswire.ingest import feed, html, tabular, text, warc
from newswire.ingest.base import MAX_BYTES, decode_text, outlet_from_url
from newswire.model import Article

__all__ = ["MAX_BYTES", "READERS", "STDIN", "InputError", "iter_inputs", "read_path"]

Reader = Callable[[Path, str], Iterator[Article | InputError]]

# Keyed by the lower-cased suffix; a ".gz" file is keyed by its last two suffixes.
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".xhtml": html.read,
    ".jsonl": tabular.read_jsonl,
    ".ndjson": tabular.read_jsonl,
    ".csv": tabular.read_csv,
    ".jsonl.gz": tabular.read_jsonl,
    ".ndjson.gz": tabular.read_jsonl,
    ".csv.gz": tabular.read_csv,
    ".xml": feed.read,
    ".rss": feed.read,
    ".atom": feed.read,
    ".warc": warc.read,
    ".warc.gz": warc.read,
}

STDIN = "-"
STDIN_NAME = "<stdin>"


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        return "".join(suffixes[-2:])
    return path.suffix.lower()


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(root: Path) -> Iterator[Path]:
    """Files under a directory, recursively, in sorted order, skipping hidden ones.

    Files whose extension no reader handles are skipped without a message: a
    directory of articles usually also holds READMEs, indexes and the like.
    """
    for path in sorted(root.rglob("*")):
        if path.is_file() and not _is_hidden(path, root) and _suffix(path) in READERS:
            yield path


def read_path(path: Path, source: str | None = None) -> Iterator[Article | InputError]:
    """Articles from one file, dispatched on its extension; errors are yielded."""
    source = source or str(path)
    reader = READERS.get(_suffix(path))
    if reader is None:
        known = " ".join(sorted(READERS))
        yield InputError(source, f"unknown file type {_suffix(path) or '(no extension)'!r} "
                                 f"(known: {known})")
        return
    try:
        yield from reader(path, source)
    except InputError as err:
        yield err
    except Exception as exc:  # a reader bug or a library failure must not end the run
        yield InputError(source, f"unreadable ({type(exc).__name__}: {exc})"[:300])


def _read_stdin() -> Iterator[Article | InputError]:
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is not None:
            data = stream.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(STDIN_NAME, f"input too large (> {MAX_BYTES // 2**20} MB)")
            if not data.strip():
                raise InputError(STDIN_NAME, "empty input")
            body = decode_text(data, STDIN_NAME)
        else:  # a text stream (tests, embedding) has no bytes to decode
            body = sys.stdin.read(MAX_BYTES + 1)
            if not body.strip():
                raise InputError(STDIN_NAME, "empty input")
    except InputError as err:
        yield err
        return
    lines = body.splitlines()
    if all(_is_json_object(line) for line in lines if line.strip()):
        yield from tabular.iter_jsonl_lines(enumerate(lines, 1), STDIN_NAME)
    else:
        try:
            yield text.article_from_text(body, STDIN_NAME)
        except InputError as err:
            yield err


def _is_json_object(line: str) -> bool:
    line = line.strip()
    if not (line.startswith("{") and line.endswith("}")):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _expand(inputs: Iterable[str | Path]) -> Iterator[tuple[str, Path | None]]:
    for item in map(str, inputs):
        if item == STDIN:
            yield item, None
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for sub in _walk(path):
                found = True
                yield str(sub), sub
            if not found:
                yield item, path  # reported below as an empty directory
        else:
            yield item, path


def iter_inputs(
    inputs: Iterable[str | Path], published: date | None = None
) -> Iterator[Article | InputError]:
    """Every Article in the inputs, in order; an InputError for each input that fails.

    ``published`` fills the date of articles whose source carries none; a date
    from the source (feed entry, HTML metadata, a JSONL/CSV field) always wins.
    """
    for name, path in _expand(inputs):
        if path is None:
            items: Iterable[Article | InputError] = _read_stdin()
        elif path.is_dir():
            items = [InputError(name, "directory holds no readable input files")]
        elif not path.exists():
            items = [InputError(name, "no such file or directory")]
        else:
            items = read_path(path, name)
        for item in items:
            if isinstance(item, Article):
                if item.published is None:
                    item.published = published
                if not item.outlet:
                    item.outlet = outlet_from_url(item.url)
            yield item
