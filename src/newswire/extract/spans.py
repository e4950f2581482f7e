"""Building evidence spans that point into the cleaned text."""

from __future__ import annotations

from bisect import bisect_right

from newswire.model import ArticleRecord, Span


def make_span(rec: ArticleRecord, start: int, end: int) -> Span:
    """A Span for ``rec.text[start:end]``, trimmed of surrounding whitespace."""
    text = rec.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(rec.id, sentence_index(rec, start), start, end, text[start:end])


def sentence_index(rec: ArticleRecord, char: int) -> int:
    starts = _starts(rec)
    return max(0, bisect_right(starts, char) - 1)


def _starts(rec: ArticleRecord) -> list[int]:
    # cached on the record: extractors call this for every item they emit
    cache = rec.__dict__.get("_sent_starts")
    if cache is None or len(cache) != len(rec.sentences):
        cache = [s for s, _ in rec.sentences]
        rec.__dict__["_sent_starts"] = cache
    return cache


def token_span(rec: ArticleRecord, tokens) -> Span:
    """Span covering a spaCy Span/Token sequence."""
    first, last = tokens[0], tokens[-1]
    return make_span(rec, first.idx, last.idx + len(last.text))
