"""Within-article event fusion: one Event per real-world event, with every mention's span.

"Should hold talks" in the standfirst and "the talks are taking place in Doha" in the body are one
CONSULT.  Two mentions merge when they have the same type and polarity, compatible actors (some
shared country code, or each side - actors, recipients - uncoded in one of them), compatible dates
(overlapping, or one only has the publication-date fallback; a future mention dated after the other
is a later event), for events on the ground no two different countries or towns named in their
own sentences, and no two different casualty figures.  A mention that brings a
casualty figure the event lacks joins it only from a nearby sentence: "severely injured three
people" 200 sentences after a bombing is another incident.  Two mentions of one sentence that
carry the same figure ("the attack in May killed 22 after a bomber detonated ...") are one
incident whatever else differs.  The merged event keeps the most specific date (day > week >
part-of-month > month > year) and the finest place.
"""

from __future__ import annotations

from newswire.geo.home import ON_THE_GROUND  # two towns = two events
from newswire.model import DateRef, Event

_PRECISION = {"point": 4, "city": 3, "admin1": 2, "region": 1, "country": 1, "": 0}


# finer is better; a stated date of any granularity beats the publication-date fallback
_GRANULARITY = {"day": 7, "week": 6, "part-of-month": 5, "month": 4, "quarter": 3, "season": 3,
                "year": 2, "decade": 1}


def _date_rank(d: DateRef | None) -> int:
    if d is None:
        return -1
    if d.span is None:
        return 0
    return 10 + _GRANULARITY.get(d.granularity, 0)


def _later(fut: Event, ev: Event) -> bool:
    """`fut` is announced for a stated date after `ev`'s (stated or publication) date."""
    if not fut.future or fut.date is None or fut.date.span is None or ev.date is None:
        return False
    start, end = fut.date.start, ev.date.end or ev.date.start
    return start is not None and end is not None and start > end


def _codes(ev: Event, side: str = "") -> set[str]:
    people = getattr(ev, side) if side else ev.actors + ev.recipients
    return {a.code for a in people if a.code}


def _dates_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    if a is None or b is None or a.span is None or b.span is None:
        return True  # no date, or only the publication-date fallback
    if a.start is None or b.start is None:
        return True
    return a.start <= (b.end or b.start) and b.start <= (a.end or a.start)


_COUNTS = ("dead", "injured", "arrested")
NEAR = 2  # sentences: how far a casualty figure may travel to an event that has none
NEAR_MENTION = 3  # sentences: how far apart two mentions may be with nothing else in common


def _figure(ev: Event, key: str) -> tuple[float | None, float | None] | None:
    c = getattr(ev, key)
    return None if c is None else (c.low, c.high)


def _sentences(ev: Event) -> set[int]:
    return {s.sentence for s in ev.spans}


def _same_figure_same_sentence(a: Event, b: Event) -> bool:
    """Both mentions took one count of one sentence: "killed 22 after a bomber detonated"."""
    for key in _COUNTS:
        ca, cb = getattr(a, key), getattr(b, key)
        if ca is not None and cb is not None and ca.span is not None and cb.span is not None \
                and ca.span.start == cb.span.start and _sentences(a) & _sentences(b):
            return True
    return False


def _counts_compatible(ev: Event, mention: Event, lead: int = 0) -> bool:
    """No two different figures for the dead (injured, arrested); a figure the event lacks
    joins it only from a mention near one of its sentences, or one in the headline and
    standfirst (which end at character ``lead``): they sum up the story below."""
    brings = False
    for key in _COUNTS:
        fa, fb = _figure(ev, key), _figure(mention, key)
        if fa is not None and fb is not None and fa != fb:
            return False
        brings = brings or (fa is None and fb is not None)
    if not brings or any(sp.start < lead for sp in [*ev.spans, *mention.spans]):
        return True
    return min(abs(x - y) for x in _sentences(ev) for y in _sentences(mention)) <= NEAR


def _explicit(ev: Event):
    """The event's place when its own sentences name it (not the article's main place)."""
    p = ev.place
    if p is None or p.span is None or p.span.sentence not in _sentences(ev):
        return None
    return p


def _places_compatible(a: Event, b: Event) -> bool:
    pa, pb = _explicit(a), _explicit(b)
    if pa is None or pb is None or a.type not in ON_THE_GROUND:
        return True  # "talks in Baghdad ... on the war in Yemen": a topic is no venue
    if pa.country and pb.country and pa.country != pb.country:
        return False  # "the killing in Sana'a" and "21 killed in Iran"
    if _PRECISION.get(pa.precision, 0) >= 3 \
            and _PRECISION.get(pb.precision, 0) >= 3:
        return (pa.geonameid or pa.name) == (pb.geonameid or pb.name)  # two towns
    return True


def _compatible(a: Event, b: Event, lead: int = 0) -> bool:
    if a.type != b.type or a.negated != b.negated or a.hypothetical != b.hypothetical:
        return False
    if _same_figure_same_sentence(a, b):
        return True  # one incident, whatever dates, flags or victims each verb was given
    if not _counts_compatible(a, b, lead) or not _places_compatible(a, b):
        return False
    if (a.historical and b.future) or (a.future and b.historical):
        return False
    if a.future != b.future and (_later(a, b) or _later(b, a)):
        return False  # "will meet again next March" is not the summit that took place
    if a.historical != b.historical and a.date is not None and b.date is not None:
        return False
    ra = {r.sector for r in a.recipients if r.sector}
    rb = {r.sector for r in b.recipients if r.sector}
    if ra and rb and not ra & rb:
        return False  # attacks on militants and a bombing of civilians are two events
    # a side coded in both mentions must share a code; "the attack on a Kenyan post" (recipient
    # KEN) and "al-Shabaab gunmen attacked a post" (actor SOM) can be one event
    for side in ("actors", "recipients"):
        ca, cb = _codes(a, side), _codes(b, side)
        if ca and cb and not ca & cb and not (_codes(a) & _codes(b)):
            return False
    ca, cb = _codes(a, "actors"), _codes(b, "actors")
    if ca and cb and not ca & cb and _sentences(a) & _sentences(b):
        return False  # "Turkey's demand that Sweden extradite ...": two acts, two agents
    pa, pb = a.place, b.place
    if a.type in ON_THE_GROUND and pa and pb and pa.country and pb.country \
            and pa.country != pb.country:
        if _PRECISION.get(pa.precision, 0) >= 3 and _PRECISION.get(pb.precision, 0) >= 3:
            return False  # two distinct towns in different countries
    return _dates_compatible(a.date, b.date) and _same_story(a, b, lead)


def _same_story(a: Event, b: Event, lead: int) -> bool:
    """Mentions far apart need something in common to be one event: "Trump's withdrawal"
    and, 20 sentences on, "Obama's withdrawal from Iraq" share only their type.  Near
    mentions, the headline and standfirst (which sum up the story), a shared actor, a
    mention that names nobody or a shared named place are enough; a shared day is not (a
    war report tells of many things that happened on Tuesday)."""
    if any(sp.start < lead for sp in [*a.spans, *b.spans]):
        return True
    if min(abs(x - y) for x in _sentences(a) for y in _sentences(b)) <= NEAR_MENTION:
        return True
    if _codes(a, "actors") & _codes(b, "actors") or not (b.actors or b.recipients) \
            or not (a.actors or a.recipients):
        return True  # the same agent, or a bare mention ("the attack") that adds no one
    pa, pb = _explicit(a), _explicit(b)
    return pa is not None and pb is not None and (pa.geonameid or pa.name) == (
        pb.geonameid or pb.name)


def _merge(into: Event, ev: Event) -> None:
    for s in ev.spans:
        if all(s.start != t.start for t in into.spans):
            into.spans.append(s)
    into.confidence = max(into.confidence, ev.confidence)
    rank = _PRECISION.get
    if ev.place and (into.place is None
                     or rank(ev.place.precision, 0) > rank(into.place.precision, 0)):
        into.place = ev.place
    if _date_rank(ev.date) > _date_rank(into.date):
        into.date = ev.date  # "on Wednesday" in the body beats "this year" in the standfirst
    for side in ("actors", "recipients"):
        have = {a.code or a.text for a in getattr(into, side)}
        for a in getattr(ev, side):
            if (a.code or a.text) not in have:
                getattr(into, side).append(a)
                have.add(a.code or a.text)
    for key in ("dead", "injured", "arrested"):
        if getattr(into, key) is None:
            setattr(into, key, getattr(ev, key))
    if not into.mode:
        into.mode = ev.mode
    into.contexts = sorted(set(into.contexts) | set(ev.contexts))
    into.future = into.future and ev.future  # it happened once any mention reports it as fact


def fuse(events: list[Event], lead: int = 0) -> list[Event]:
    """One Event per real-world event of the article: merge compatible mentions, keep spans.
    ``lead``: where the body starts (after the headline and standfirst), in characters."""
    events = sorted(events, key=lambda e: e.spans[0].start)
    out: list[Event] = []
    for ev in events:
        fits = [k for k in out if _compatible(k, ev, lead)]
        if not fits:
            out.append(ev)
            continue
        sent = ev.spans[0].sentence
        # a second verb of the same sentence ("killed ... and injured") joins that sentence's event
        same = [k for k in fits if any(s.sentence == sent for s in k.spans)]
        _merge((same or fits)[0], ev)
    return out
