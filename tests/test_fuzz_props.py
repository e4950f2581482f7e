"""Property tests (Hypothesis) over ingest, clean, language detection and `process`.

Arbitrary bytes into every reader: the only exception allowed out is InputError.
Arbitrary Unicode (control characters, huge numbers, odd quotes) into clean and process:
no crash, and every span of every extracted item is exact, `rec.text[s.start:s.end] ==
s.text`.  Also replays the inputs that `make fuzz` found under tests/fuzz_regressions/.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newswire import clean, langid, limits
from newswire.errors import InputError
from newswire.ingest import READERS
from newswire.ingest.base import decode_text
from newswire.model import Article, ArticleRecord, Span
from newswire.pipeline import OverBudget, Skipped, process

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"


def bounded(n: int) -> settings:
    return settings(deadline=None, max_examples=n, suppress_health_check=[HealthCheck.too_slow])

WIRE = [
    "Police fired tear gas at protesters in Kirkuk on Monday, officials said.",
    "Gunmen killed 4 soldiers at a checkpoint near Quetta, the army said on Tuesday.",
    '"We will not negotiate," Interior Minister Ana Ruiz told reporters in Lima.',
    "About 1,200 people were displaced after rebels shelled a camp outside Goma.",
    "The United Nations called for calm after clashes in the capital.",
]
ODD = st.sampled_from([
    "\x00", "\x07", "\x1b", "\u202e", "\u200f", "\u200b", "\ufeff", "\u2028", "\u2029", "\r",
    "\t", "\f", "\v", "“", "”", "„", "«", "»", "‹", "'", '"', "''", "``", "…", ". . .", "—",
    "99999999999999999999999999999", "1e308", "-0", "∞", "½", "٣", "Ⅻ", "\n\n", "\n", " ",
    "U.S.", "(AP) —", "$5bn", "1,000,000,000,000", "3/4", "2021-13-45", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🙂",
])
TEXTS = st.lists(st.one_of(st.sampled_from(WIRE), ODD, st.text(max_size=40)),
                 min_size=1, max_size=12).map(" ".join)
SUFFIXES = sorted(READERS)


def _spans(obj, seen=None):
    """Every Span reachable from an extracted item."""
    if isinstance(obj, Span):
        yield obj
    elif isinstance(obj, list | tuple):
        for x in obj:
            yield from _spans(x)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type | Article):
        for f in dataclasses.fields(obj):
            yield from _spans(getattr(obj, f.name))


def assert_spans_exact(rec: ArticleRecord) -> None:
    for name in ("mentions", "places", "dates", "counts", "quotes", "events"):
        for item in getattr(rec, name):
            for s in _spans(item):
                assert 0 <= s.start <= s.end <= len(rec.text), (name, s)
                assert rec.text[s.start:s.end] == s.text, (name, s)


def _read_all(suffix: str, data: bytes) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        out = []
        try:
            for item in READERS[suffix](path, str(path)):
                assert isinstance(item, Article | InputError)
                out.append(item)
        except InputError as err:
            out.append(err)
        return out


@bounded(60)
@given(suffix=st.sampled_from(SUFFIXES), data=st.one_of(
    st.binary(max_size=3000),
    TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"WARC/1.0\r\n", b"<rss><channel><item>", b"<html><body><div>",
                     b"\x1f\x8b\x08\x00", b'{"text": "', b"title,text\n"]).flatmap(
        lambda head: st.binary(max_size=500).map(lambda tail: head + tail)),
))
def test_readers_raise_only_input_error(suffix, data):
    for item in _read_all(suffix, data):
        if isinstance(item, InputError):
            assert item.reason.strip()
        else:
            assert item.text.strip()


@bounded(200)
@given(st.binary(max_size=2000))
def test_decode_text_returns_text_or_input_error(data):
    try:
        text = decode_text(data, "x")
    except InputError as err:
        assert err.reason
    else:
        assert text.strip()


@bounded(200)
@given(TEXTS, st.one_of(st.none(), st.text(max_size=60)))
def test_clean_keeps_sections_inside_the_text(text, title):
    rec = clean.clean(Article(text=text, title=title))
    assert len(rec.text) <= limits.current().max_chars
    for sec in rec.sections:
        assert 0 <= sec.start <= sec.end <= len(rec.text)
        assert rec.text[sec.start:sec.end].strip() == rec.text[sec.start:sec.end]


@bounded(30)
@given(st.integers(1000, 5000), st.lists(st.sampled_from(WIRE), min_size=5, max_size=60))
def test_truncation_cuts_at_a_paragraph_boundary(limit, paras):
    import os

    old = os.environ.get("NEWSWIRE_MAX_CHARS")
    os.environ["NEWSWIRE_MAX_CHARS"] = str(limit)
    try:
        rec = clean.clean(Article(text="\n\n".join(f"{p} ({i})" for i, p in enumerate(paras))))
    finally:
        if old is None:
            os.environ.pop("NEWSWIRE_MAX_CHARS")
        else:
            os.environ["NEWSWIRE_MAX_CHARS"] = old
    assert len(rec.text) <= limit
    full = sum(len(p) + len(f" ({i})") + 2 for i, p in enumerate(paras)) - 2
    if full > limit:
        assert rec.warnings and "max_chars" in rec.warnings[0]
        # whole paragraphs only: the kept text ends where a paragraph ended
        assert rec.text.endswith(")") and rec.text.split("\n\n")[-1].startswith(tuple(WIRE))
    else:
        assert not rec.warnings


@bounded(200)
@given(st.text(max_size=300))
def test_langid_never_crashes(text):
    assert isinstance(langid.detect(text), str)


NAMES = ["Lula da Silva", "Jean-Luc Mélenchon", "Recep Tayyip Erdoğan", "Nguyễn Phú Trọng",
         "Abdel Fattah el-Sisi", "Juan Carlos de la Fuente", "Xi Jinping", "Olaf Scholz",
         "Emmanuel Macron", "Andrés Manuel López Obrador", "Ursula von der Leyen"]


@bounded(150)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8),
       st.sampled_from(["{n} Meets {m} In Brussels", "{n} and {m} held talks on Monday.",
                        "{n}, {m}", "Talks between {n} and {m} ended without a deal, "
                        "officials said.", "{n} Says {m} Must Go"]))
def test_langid_keeps_short_english_with_many_names(names, template):
    text = template.format(n=", ".join(names), m=names[-1])
    assert langid.detect(text) == "en", text


@bounded(30)
@given(TEXTS)
def test_process_never_crashes_and_spans_are_exact(text):
    try:
        rec = process(Article(text=text, title=None))
    except (Skipped, OverBudget, InputError):
        return
    assert_spans_exact(rec)


def _regressions() -> list[Path]:
    return sorted(p for p in REGRESSIONS.glob("*") if p.is_file() and p.suffix != ".md")


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.name)
def test_fuzz_regressions_replay(path):
    # file names are "<reader suffix>__<hash>.bin", e.g. "warc_gz__1a2b.bin" for .warc.gz
    suffix = "." + path.name.split("__", 1)[0].replace("_", ".")
    for item in _read_all(suffix, path.read_bytes()):
        assert isinstance(item, Article | InputError)
