"""``process(article) -> ArticleRecord`` and the batch runner around it.

``process`` is a pure function of one article plus the loaded models; the
runner feeds it from one process or from N worker processes (each loading
spaCy once) and yields records in input order.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newswire import clean as cleaning
from newswire import langid
from newswire import limits as limitsmod
from newswire import nlp as nlpmod
from newswire.errors import InputError
from newswire.extract import counts, dates, events, mentions, places, quotes
from newswire.model import Article, ArticleRecord

# Extractors in dependency order: events read what the others produced.
EXTRACTORS = (
    ("mentions", mentions.extract),
    ("places", places.extract),
    ("dates", dates.extract),
    ("counts", counts.extract),
    ("quotes", quotes.extract),
    ("events", events.extract),
)


@dataclass
class Failure:
    """An article that could not be processed, with the reason."""

    source: str
    reason: str
    article_id: str = ""
    kind: str = "failed"  # or "skipped": deliberately not processed (non-English)


class Skipped(InputError):
    """An article deliberately left out (not English); reported and counted, not an error."""


class OverBudget(InputError):
    """An article whose extraction ran past ``time_budget_s``."""


def _prepare(article: Article) -> ArticleRecord:
    rec = cleaning.clean(article)
    source = article.source or article.id
    if not rec.text.strip():
        raise InputError(source, "no text left after cleaning")
    lang = langid.detect(rec.text)
    if lang != "en":
        raise Skipped(source, f"skipped: non-English (detected {lang})")
    return rec


def annotate(rec: ArticleRecord, doc, started: float | None = None) -> ArticleRecord:
    """Run every extractor over a parsed document and fill the record.

    The time budget is checked between extractors (a running extractor is not
    interrupted): an article past it raises :class:`OverBudget`, naming the limit.
    """
    budget = limitsmod.current().time_budget_s
    started = time.monotonic() if started is None else started
    rec.sentences = [(s.start_char, s.end_char) for s in doc.sents]
    for name, fn in EXTRACTORS:
        setattr(rec, name, fn(doc, rec))
        elapsed = time.monotonic() - started
        if elapsed > budget:
            raise OverBudget(rec.article.source or rec.id,
                             f"over the time budget: {elapsed:.1f} s by the end of {name!r} "
                             f"(limit time_budget_s={budget:g})")
    return rec


def process(article: Article) -> ArticleRecord:
    """Clean, parse and extract one article (parse time counts against the budget)."""
    rec = _prepare(article)
    started = time.monotonic()
    return annotate(rec, nlpmod.load()(rec.text), started)


def _failure(exc: InputError, article_id: str) -> Failure:
    return Failure(exc.source, exc.reason, article_id,
                   "skipped" if isinstance(exc, Skipped) else "failed")


def process_batch(articles: list[Article]) -> list[ArticleRecord | Failure]:
    """Process several articles with one ``nlp.pipe`` call (faster than one by one)."""
    out: list[ArticleRecord | Failure | None] = [None] * len(articles)
    ready: list[tuple[int, ArticleRecord]] = []
    for i, art in enumerate(articles):
        try:
            ready.append((i, _prepare(art)))
        except InputError as exc:
            out[i] = _failure(exc, art.id)
    nlp = nlpmod.load()
    # Parsing is batched, so only extraction time is budgeted here; the length
    # limit (max_chars) is what bounds parse time.
    docs = nlp.pipe((rec.text for _, rec in ready), batch_size=32)
    for (i, rec), doc in zip(ready, docs, strict=True):
        try:
            out[i] = annotate(rec, doc)
        except InputError as exc:
            out[i] = _failure(exc, rec.id)
        except Exception as exc:  # one bad article must not stop a run
            out[i] = Failure(rec.article.source or rec.id, f"extraction failed: {exc!r}", rec.id)
    return out  # type: ignore[return-value]


POOL_BATCH = 8


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of at most ``size`` items, lazily."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _init_worker() -> None:
    nlpmod.load()


def warm_up() -> None:
    """Load the model and every lazily loaded table (gazetteer, lexicons, classifier).

    Called in the parent before forking workers: they then share those pages
    copy-on-write instead of each loading its own copy.
    """
    process_batch([Article(text="Officials met in Paris on Monday.", source="warm-up")])


def run(
    articles: Iterable[Article], workers: int = 1, batch_size: int = 16
) -> Iterator[ArticleRecord | Failure]:
    """Yield a record (or a Failure) per article, in input order.

    With ``workers > 1`` each worker process loads spaCy once and runs the whole
    of ``process`` (parse and extraction) on batches of at most ``POOL_BATCH``
    articles: small enough that no worker idles long at the end of a run while the
    other finishes a big batch. At most ``4 * workers`` batches are in flight, so
    memory stays bounded however long the input is.
    """
    if workers <= 1:
        for chunk in chunks(articles, batch_size):
            yield from process_batch(chunk)
        return
    batches = chunks(articles, min(batch_size, POOL_BATCH))
    ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
    if ctx.get_start_method() == "fork":
        warm_up()
        # Objects loaded so far live as long as the process: out of the collector's
        # reach, their pages are not written by its passes and stay shared with workers.
        gc.freeze()
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        pending = []
        for chunk in batches:
            pending.append(pool.apply_async(process_batch, (chunk,)))
            if len(pending) >= 4 * workers:
                yield from pending.pop(0).get()
        for res in pending:
            yield from res.get()
