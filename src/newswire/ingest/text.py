"""Plain-text articles (.txt and stdin): the first line is the headline when it looks like one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newswire.clean import looks_like_headline
from newswire.errors import InputError
from newswire.ingest.base import decode_text, read_bytes
from newswire.model import Article

_FIRST_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")


def split_headline(text: str) -> tuple[str | None, str]:
    """(headline, rest) when the first line is a headline followed by a blank line."""
    stripped = text.lstrip("\ufeff \t\r\n")
    m = _FIRST_BREAK.search(stripped)
    if not m:
        return None, text
    first = stripped[: m.start()]
    rest = stripped[m.end():]
    if "\n" in first.strip() or not rest.strip() or not looks_like_headline(first.strip()):
        return None, text
    return " ".join(first.split()), rest


def article_from_text(text: str, source: str) -> Article:
    # Keeping the headline out of the text (and in ``title``) gives the same
    # content id as the same story read from a JSONL record with a title field.
    title, body = split_headline(text)
    if not body.strip():
        raise InputError(source, "empty file")
    return Article(text=body, title=title, source=source)


def read(path: Path, source: str) -> Iterator[Article | InputError]:
    yield article_from_text(decode_text(read_bytes(path, source), source), source)
