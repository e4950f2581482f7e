"""WARC archives (.warc, .warc.gz): HTML response records → trafilatura.

warcio stops silently at a truncated gzip member or a short final record, so
completeness is checked here: every record's block must be read to its declared
Content-Length, and the records must account for the whole file.  A damaged
archive yields the articles read before the damage, then one InputError naming
the byte offset where reading stopped.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from newswire import limits as limitsmod
from newswire.errors import InputError
from newswire.ingest.base import decode_lenient, file_limit, html_charset
from newswire.ingest.html import article_from_html
from newswire.model import Article

# Damage to the archive itself (as opposed to one unreadable page in it).
_ARCHIVE_ERRORS = (EOFError, OSError, zlib.error)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


class _RecordTooLarge(Exception):
    """One page over the size limit: reported, and the archive read on."""


def _payload_article(record, where: str) -> Article | None:
    """The article in an HTML response/resource record, or None for anything else."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        return None
    if record.rec_type == "response" and not (headers.get_statuscode() or "").startswith("2"):
        return None
    ctype = (headers.get_header("Content-Type") or "").lower()
    if not ctype.startswith(_HTML_TYPES):
        return None
    cap = file_limit()
    data = record.content_stream().read(cap + 1)
    if len(data) > cap:
        raise _RecordTooLarge(f"page too large (over {cap:,} bytes; limit max_file_bytes={cap:,})")
    if not data.strip():
        return None
    m = _CHARSET.search(ctype)
    html = decode_lenient(data, (m.group(1) if m else None) or html_charset(data))
    url = record.rec_headers.get_header("WARC-Target-URI")
    return article_from_html(html, where, url=url)


def _printable(msg: str, limit: int = 160) -> str:
    # warcio quotes the bytes it choked on; keep the error to one readable line.
    return "".join(c if c.isprintable() else "?" for c in msg[:limit])


def _short(record) -> bool:
    """A record cut off by the end of the file (warcio returns what it could read)."""
    if record.format == "warc" and record.length is None:
        return True  # the header block itself was cut before Content-Length
    return getattr(record.raw_stream, "limit", 0) > 0


def _gzip_tail_cut(fh, start: int, end: int) -> bool:
    """Whether the gzip member holding the last record lacks its trailer.

    warcio stops quietly when the CRC/size trailer is missing; the record's
    content may be whole, but the archive was cut, and the user should know.
    """
    fh.seek(start)
    head = fh.read(2)
    if head != b"\x1f\x8b":
        return False  # not gzip
    fh.seek(start)
    dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
    remaining = end - start
    while remaining > 0:
        chunk = fh.read(min(remaining, 1 << 16))
        if not chunk:
            break
        remaining -= len(chunk)
        try:
            dec.decompress(chunk)
        except zlib.error:  # found by fuzzing: a damaged member, not only a cut one
            return True
    return not dec.eof


def read(path: Path, source: str) -> Iterator[Article | InputError]:
    from warcio.archiveiterator import ArchiveIterator

    try:
        size = path.stat().st_size
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc
    if size == 0:
        fh.close()
        raise InputError(source, "empty file")
    end = 0  # byte offset just past the last complete record
    n_records = n_articles = 0
    budget = limitsmod.current().max_decompressed_bytes
    inflated = 0  # record bytes read so far: gzip members can be bombs
    with fh:
        it = ArchiveIterator(fh)
        try:
            for record in it:
                # Checked before the record is read through: skipping a bomb
                # record would mean inflating all of it.
                inflated += record.length or 0
                if inflated > budget:
                    raise InputError(f"{source}#{end}",
                                     f"archive inflates to over {budget:,} bytes "
                                     f"(limit max_decompressed_bytes={budget:,})")
                art = None
                try:
                    art = _payload_article(record, f"{source}#{end}")
                except _ARCHIVE_ERRORS:
                    raise
                except _RecordTooLarge as exc:
                    yield InputError(f"{source}#{end}", str(exc))
                except Exception as exc:  # one bad page must not hide the rest of the archive
                    yield InputError(f"{source}#{end}",
                                     f"unreadable record ({type(exc).__name__}: {exc})"[:200])
                # Asking for the offset makes warcio read the record to its end.
                offset = it.get_record_offset()
                if _short(record):
                    raise InputError(f"{source}#{offset}",
                                     "truncated archive: record ends before its declared length")
                end = offset + it.get_record_length()
                n_records += 1
                if art is not None:
                    art.source = f"{source}#{offset}"
                    n_articles += 1
                    yield art
        except InputError:
            raise
        except (*_ARCHIVE_ERRORS, ValueError, AttributeError, KeyError) as exc:
            # warcio has no single error type: a damaged header surfaces as any of these.
            raise InputError(f"{source}#{end}",
                             _printable(f"corrupt or truncated archive ({type(exc).__name__}: "
                                        f"{exc})")) from exc
        except Exception as exc:  # ArchiveLoadFailed and friends
            raise InputError(f"{source}#{end}", _printable(f"corrupt archive: {exc}")) from exc
        if n_records and _gzip_tail_cut(fh, offset, end):
            raise InputError(f"{source}#{offset}",
                             "truncated archive: the last gzip member is cut short or damaged")
        if end < size:
            fh.seek(end)
            rest = fh.read(65)
            if len(rest) > 64 or rest.strip(b"\r\n"):
                raise InputError(f"{source}#{end}",
                                 "truncated or corrupt archive: unreadable data after the "
                                 f"last complete record ({size - end} bytes)")
    if n_records == 0:
        raise InputError(source, "not a WARC archive (no records)")
    if n_articles == 0:
        raise InputError(source, f"no HTML article in the archive ({n_records} records)")
