"""The data model: every record type newswire produces, in one place.

Plain dataclasses so that records pickle across worker processes and turn into
dicts (``to_dict``) for storage and export without a serialisation layer.
Every extracted item carries at least one :class:`Span` pointing into the
*cleaned* article text (``ArticleRecord.text``): ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def content_id(text: str) -> str:
    """Stable article id: a hash of the whitespace-normalised NFC text.

    The same story text read from a .txt file, a feed or a WARC gets the same
    id, which is what makes re-runs idempotent.
    """
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One input article as read from its source, before cleaning."""

    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    language: str = "en"
    source: str = ""  # where it came from: path, path#line, path#record
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(((self.title or "") + "\n" + self.text).strip())


@dataclass
class Span:
    """Evidence: a character span of the cleaned text, and its sentence."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str


@dataclass
class Section:
    """A structural unit of the cleaned text: headline, standfirst, body paragraph."""

    kind: str  # headline | standfirst | body
    start: int
    end: int


@dataclass
class Mention:
    """A named-entity mention (spaCy label)."""

    text: str
    label: str
    span: Span


@dataclass
class Actor:
    text: str
    code: str = ""  # ISO3 country code, or PLOVER non-state code (IGO, NGO, UNO, ...); "" = unknown
    sector: str = ""  # GOV, MIL, REB, COP, CVL, REL, ...
    span: Span | None = None
    # the code was taken from where the event happens, not from the actor's own words
    # ("President Laurent Gbagbo" at an event in Abidjan → CIV): a guess to be shown as one
    code_inferred: bool = False


@dataclass
class Place:
    name: str
    country: str = ""  # ISO3
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: str = ""  # country | admin1 | city | point | region
    span: Span | None = None
    geonameid: int | None = None


@dataclass
class DateRef:
    text: str
    start: date | None = None  # None = unresolved
    end: date | None = None
    granularity: str = ""  # day | week | month | part-of-month | year | decade | ...
    kind: str = "date"  # date | duration | set
    value: str = ""  # TIMEX3-style normalised value, e.g. 2021-10-08, 2021-08, P20Y
    span: Span | None = None


@dataclass
class Count:
    type: str  # KILL, WOUND, ARREST, KIDNAP, EVACUATE, DISPLACE, PROTEST, LEAVE, MONEY, ...
    low: float | None
    high: float | None
    qualifier: str = ""  # at least | more than | up to | about | ...
    object: str = ""  # the counted noun phrase
    number_text: str = ""
    currency: str = ""
    span: Span | None = None


@dataclass
class Quote:
    text: str
    kind: str  # direct | indirect | mixed
    speaker: str = ""  # resolved to the fullest mention in the article
    speaker_role: str = ""
    source_class: str = ""  # named | anonymous | unnamed-group | organisation | unknown
    cue: str = ""
    # what the cue reports: speech | position | belief | intention | evidence | stance
    # | impression | noun | phrase ("according to"); consumers that want only speech can
    # filter on it
    cue_class: str = ""
    span: Span | None = None  # the content
    speaker_span: Span | None = None  # the speaker as written in this sentence
    cue_span: Span | None = None
    extra_spans: list[Span] = field(default_factory=list)  # further parts of a split quote


@dataclass
class Event:
    id: str
    type: str  # PLOVER event type
    mode: str = ""
    contexts: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    place: Place | None = None
    date: DateRef | None = None
    dead: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    historical: bool = False
    confidence: float = 0.0
    trigger: str = ""
    spans: list[Span] = field(default_factory=list)  # evidence: trigger sentence(s)
    quad_class: int | None = None  # CAMEO quad class 1..4
    intensity: float | None = None  # PLOVER/Goldstein-style score
    acled_event_type: str = ""
    acled_sub_event_type: str = ""


@dataclass
class ArticleRecord:
    """Everything `process(article)` extracts from one article."""

    article: Article
    text: str  # the cleaned text every span points into
    title: str | None = None
    byline: str | None = None
    sections: list[Section] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id


def to_dict(obj: Any) -> Any:
    """Dataclass → JSON-ready dict (dates as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
