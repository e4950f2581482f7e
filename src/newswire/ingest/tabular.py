"""One article per JSONL line or CSV row; a bad record is an error naming ``file:line``."""

from __future__ import annotations

import csv
import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from newswire import limits as limitsmod
from newswire.errors import InputError
from newswire.ingest.base import MAX_BYTES, outlet_from_url, parse_date
from newswire.model import Article

# Field names accepted for each Article attribute, first match wins.
_TITLE = ("title", "headline")
_URL = ("url", "link")
_DATE = ("published", "date", "publish_date", "pubdate")
_OUTLET = ("outlet", "source", "publisher", "site")
_AUTHOR = ("author", "byline")


def _first(rec: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = rec.get(name)
        if value not in (None, ""):
            return str(value).strip() or None
    return None


def article_from_record(rec: dict, source: str) -> Article:
    """An Article from a dict of fields (keys lower-cased); raises InputError when unusable."""
    text = rec.get("text")
    if text is None:
        raise InputError(source, "no 'text' field")
    if not isinstance(text, str):
        raise InputError(source, f"'text' is a {type(text).__name__}, not a string")
    if not text.strip():
        raise InputError(source, "empty 'text' field")
    raw_date = next((rec[n] for n in _DATE if rec.get(n) not in (None, "")), None)
    try:
        published = parse_date(raw_date)
    except ValueError as exc:
        raise InputError(source, f"bad published date: {exc}") from None
    url = _first(rec, _URL)
    return Article(
        text=text,
        title=_first(rec, _TITLE),
        url=url,
        published=published,
        outlet=_first(rec, _OUTLET) or outlet_from_url(url),
        author=_first(rec, _AUTHOR),
        language=_first(rec, ("language", "lang")) or "en",
        source=source,
    )


def iter_jsonl_lines(lines: Iterable[tuple[int, str]], name: str) -> Iterator[Article | InputError]:
    """Articles from numbered JSON lines; each bad line yields an InputError ``name:line``."""
    for lineno, line in lines:
        if not line.strip():
            continue
        source = f"{name}:{lineno}"
        if line == "\x00":
            yield InputError(source, "not UTF-8 text")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(source, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rec, dict):
            yield InputError(source, f"expected a JSON object, got {type(rec).__name__}")
            continue
        try:
            yield article_from_record({str(k).lower(): v for k, v in rec.items()}, source)
        except InputError as err:
            yield err


_RATIO_FLOOR = 16 << 20  # small inputs may compress well (repeated boilerplate)


def _compressed_size(fh) -> int:
    """Size on disk of a gzip stream's file, or 0 for an uncompressed one."""
    raw = getattr(fh, "fileobj", None)  # gzip.GzipFile wraps the real file
    if raw is None:
        return 0
    try:
        return os.fstat(raw.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0


def _numbered_lines(fh: BinaryIO, name: str, strict: bool) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line, decoded one line at a time.

    Decoding per line gives exact line numbers in errors and lets a JSONL file
    with one badly encoded record keep its other records: with ``strict=False``
    such a line comes through as a lone NUL (real NULs raise above), which
    ``iter_jsonl_lines`` reports as that line's error.
    """
    limits = limitsmod.current()
    budget, ratio = limits.max_decompressed_bytes, limits.max_compression_ratio
    blank_limit, blanks = limits.max_blank_lines, 0
    packed = _compressed_size(fh)
    total = 0  # bytes read (after decompression): a .gz bomb stops here
    lineno = 0
    while True:
        try:
            raw = fh.readline(MAX_BYTES + 1)
        except (EOFError, OSError, zlib.error) as exc:  # a cut or damaged .gz
            raise InputError(f"{name}:{lineno + 1}",
                             f"truncated or corrupt compressed data ({exc})"[:200]) from exc
        if not raw:
            return
        lineno += 1
        total += len(raw)
        if packed and total > _RATIO_FLOOR and total > ratio * packed:
            raise InputError(f"{name}:{lineno}", f"input inflates over {ratio}:1 ({packed:,} "
                                                 f"compressed bytes; limit "
                                                 f"max_compression_ratio={ratio})")
        blanks = blanks + 1 if not raw.strip() else 0
        if blanks > blank_limit:
            raise InputError(f"{name}:{lineno}", f"over {blank_limit:,} blank lines in a row "
                                                 f"(limit max_blank_lines={blank_limit:,})")
        if total > budget:
            raise InputError(f"{name}:{lineno}", f"input inflates to over {budget:,} bytes "
                                                 f"(limit max_decompressed_bytes={budget:,})")
        if len(raw) > MAX_BYTES:
            raise InputError(f"{name}:{lineno}", "line too long (no line breaks?)")
        if b"\x00" in raw:
            raise InputError(f"{name}:{lineno}", "binary data (NUL bytes), not text")
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError:
            if strict:
                raise InputError(f"{name}:{lineno}", "not UTF-8 text") from None
            yield lineno, "\x00"  # iter_jsonl_lines reports it as this line's error


def _open_binary(path: Path, source: str) -> BinaryIO:
    try:
        if path.name.lower().endswith(".gz"):  # corpora often ship as .jsonl.gz / .csv.gz
            return gzip.open(path, "rb")  # type: ignore[return-value]
        return open(path, "rb")  # noqa: SIM115 - closed by the caller's with-block
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc


def read_jsonl(path: Path, source: str) -> Iterator[Article | InputError]:
    with _open_binary(path, source) as fh:
        n = 0
        for item in iter_jsonl_lines(_numbered_lines(fh, source, strict=False), source):
            n += 1
            yield item
    if n == 0:
        raise InputError(source, "empty file")


def read_csv(path: Path, source: str) -> Iterator[Article | InputError]:
    # Article texts routinely exceed the csv module's 128 kB default field limit.
    csv.field_size_limit(min(sys.maxsize, MAX_BYTES))
    with _open_binary(path, source) as fh:
        lines = _numbered_lines(fh, source, strict=True)
        reader = csv.reader(line for _, line in lines)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(source, "empty file") from None
        except csv.Error as exc:
            raise InputError(f"{source}:1", f"bad CSV header: {exc}") from None
        columns = [h.strip().lower() for h in header]
        if "text" not in columns:
            shown = ", ".join(c for c in columns if c)[:120]
            raise InputError(source, f"no 'text' column (columns: {shown or 'none'})")
        start = reader.line_num + 1
        n = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield InputError(f"{source}:{start}", f"bad CSV row: {exc}")
                break  # the parser cannot resynchronise after a broken quote
            here, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            n += 1
            if len(row) != len(columns):
                yield InputError(f"{source}:{here}",
                                 f"{len(row)} fields where the header has {len(columns)}")
                continue
            try:
                yield article_from_record(dict(zip(columns, row, strict=True)), f"{source}:{here}")
            except InputError as err:
                yield err
        if n == 0:
            raise InputError(source, "no rows after the header")
