"""Helpers every ingest reader shares: size cap, byte decoding, dates, outlets."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

from newswire import limits as limitsmod
from newswire.errors import InputError

# A news article is a few kB; a 20 MB text file is almost certainly not one
# (a dump, a log, a mis-named binary).  Files read whole are capped; streamed
# formats (JSONL, CSV, WARC) cap each record instead.
MAX_BYTES = 20 * 1024 * 1024

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0 control characters other than tab, newline, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def file_limit() -> int:
    """``max_file_bytes``: an explicit setting (env / CLI) wins, else ``MAX_BYTES``."""
    configured = limitsmod.current().max_file_bytes
    return configured if configured != limitsmod.Limits.max_file_bytes else MAX_BYTES


def read_bytes(path: Path, source: str, limit: int | None = None) -> bytes:
    """The file's bytes, or an InputError for a file that is missing, empty or too large."""
    limit = limit or file_limit()
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(source, f"file too large ({size:,} bytes; "
                                     f"limit max_file_bytes={limit:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes that must be UTF-8 text.

    Decision (documented in the README): input text must be UTF-8 (a BOM, UTF-8
    or UTF-16, is honoured).  Anything else is an InputError — a file with NUL
    bytes is reported as binary, other undecodable bytes as "not UTF-8 text"
    with the encoding it most resembles, so the user can re-encode it.  We do
    not guess cp1252 silently: a wrong guess corrupts names and quotes without
    any visible error, and the fix (``iconv -f cp1252 -t utf-8``) is one command.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return _check_text(data.decode("utf-16"), source)
        except UnicodeDecodeError as exc:
            raise InputError(source, "not UTF-8 text (broken UTF-16)") from exc
    if b"\x00" in data[:65536]:
        raise InputError(source, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = data[:65536]
        if len(_CONTROL.findall(head.decode("latin-1"))) > max(8, len(head) // 100):
            raise InputError(source, "binary file (control characters), not text") from exc
        bad = data[exc.start]
        raise InputError(source, f"not UTF-8 text (byte 0x{bad:02X} at offset {exc.start}"
                                 f"{_guess_encoding(data)})") from exc
    return _check_text(text, source)


def _check_text(text: str, source: str) -> str:
    if not text.strip():
        raise InputError(source, "empty file")
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise InputError(source, "binary file (control characters), not text")
    return text


def _guess_encoding(data: bytes) -> str:
    """A hint for the error message only; never used to decode."""
    head = data[:65536]
    try:
        # Mostly-ASCII text with a few accented letters: almost always Windows
        # Latin-1, which charset_normalizer misnames on short samples.
        if sum(b < 128 for b in head) >= 0.9 * len(head):
            head.decode("cp1252")
            return "; probably cp1252 (Windows Latin-1) — re-encode it as UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
    except Exception:  # the hint is optional; the error stands without it
        return ""
    if best is None:
        return "; looks binary"
    return f"; probably {best.encoding} — re-encode it as UTF-8"


def decode_lenient(data: bytes, declared: str | None = None) -> str:
    """Decode web content (HTML, feeds, WARC payloads): declared charset, UTF-8, cp1252.

    Web pages routinely declare legacy charsets, so unlike plain text files we
    follow the declaration and fall back rather than reject.
    """
    for enc in (declared, "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")


# Elements that never hold others (void) or that the parser closes implicitly
# when a sibling opens: neither adds a nesting level.
_FLAT_TAGS = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd tr td th option".split()
)
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")


def html_depth(data: bytes, stop: int) -> int:
    """The deepest element nesting in an HTML page, counted up to ``stop``.

    A tag scan, not a parse: it only has to tell a real page (depth 10-40) from
    a hostile one (thousands), before lxml meets it.
    """
    depth = deepest = 0
    for m in _TAG.finditer(data):
        name = m.group(2).lower()
        if name in _FLAT_TAGS or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 kB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> date | None:
    """A publication date from a record field; raises ValueError when it is unreadable.

    ISO dates (the common case) are read directly; other spellings go to
    dateparser (cached: a corpus repeats the same few dates).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    parsed = _dateparser(text)
    if parsed is None:
        raise ValueError(f"unreadable date {text[:40]!r}")
    return parsed


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str) -> date | None:
    import dateparser

    dt = dateparser.parse(
        text,
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]},
    )
    return dt.date() if dt else None


def outlet_from_url(url: str | None) -> str | None:
    """The site name from a URL: its host without a leading www."""
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
