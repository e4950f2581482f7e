"""RSS and Atom feed files: one article per entry (feedparser)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from newswire.errors import InputError
from newswire.ingest.base import outlet_from_url, read_bytes
from newswire.ingest.html import check_depth, html_to_text
from newswire.model import Article


def _entry_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _entry_html(entry) -> str:
    # Full content beats the summary, which many feeds truncate to a teaser.
    for item in entry.get("content") or ():
        if (item.get("value") or "").strip():
            return item["value"]
    return entry.get("summary") or entry.get("description") or ""


def _entry_text(entry, where: str) -> str | InputError:
    html = _entry_html(entry)
    try:
        check_depth(html, where)
    except InputError as err:
        return err
    return html_to_text(html)


def read(path: Path, source: str) -> Iterator[Article | InputError]:
    import feedparser

    data = read_bytes(path, source)
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "binary file (contains NUL bytes), not a feed")
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    texts = [_entry_text(entry, f"{source}#entry{i}") for i, entry in enumerate(entries, 1)]
    # feedparser recovers what it can from broken XML; a broken feed from which
    # no entry with text could be recovered is one error for the file.
    if parsed.get("bozo") and not any(isinstance(t, str) and t.strip() for t in texts):
        exc = parsed.get("bozo_exception")
        detail = getattr(exc, "getMessage", lambda: str(exc))()
        raise InputError(source, f"malformed feed: {detail}"[:200])
    if not entries:
        raise InputError(source, "no entries in the feed")
    for i, (entry, text) in enumerate(zip(entries, texts, strict=True), 1):
        where = f"{source}#entry{i}"
        if isinstance(text, InputError):
            yield text
            continue
        if not text.strip():
            yield InputError(where, "feed entry has no text")
            continue
        url = entry.get("link") or None
        yield Article(
            text=text,
            title=(entry.get("title") or "").strip() or None,
            url=url,
            published=_entry_date(entry),
            outlet=outlet_from_url(url) or (parsed.feed.get("title") or None),
            author=entry.get("author") or None,
            language=(entry.get("language") or parsed.feed.get("language") or "en")[:2].lower(),
            source=where,
        )
