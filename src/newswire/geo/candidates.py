"""Weak place candidates: proper names in the event's sentence that the place extractor
did not take (the small NER tags many villages PRODUCT, PERSON or ORG, or nothing:
"captured Manbij", "Grozny's streets").  They are not article places -- most such
names are people and groups -- but the event-place scorer may still choose one when
the syntax says "where" strongly enough; a name the gazetteer knows is resolved.

Built once per sentence and kept on the record (``rec.__dict__``, like the main-place
cache), so several events of one sentence share them.
"""

from __future__ import annotations

from spacy.symbols import PROPN
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newswire.extract.spans import make_span
from newswire.geo.gazetteer import lookup, trusted_only
from newswire.geo.names import (
    NOT_NAME_ENTS,
    a_surname,
    head_of,
    name_run,
    not_a_place,
    org_hyphened,
    starts_org_name,
    widen,
)
from newswire.model import ArticleRecord, Place

# Dependency slots a place name can fill; a name elsewhere (a verb's modifier, a
# title before a person's name) is not offered.
_SLOTS = frozenset({"pobj", "dobj", "nsubjpass", "poss", "compound", "conj", "appos",
                    "npadvmod", "nmod", "attr", "nsubj", "pcomp", "oprd"})
_SKIP_ENTS = NOT_NAME_ENTS | {"NORP", "LANGUAGE", "LAW"}
_CACHE = "_weak_places"


def weak_places(doc: Doc, rec: ArticleRecord, sent: SpacySpan) -> list[Place]:
    """The sentence's proper names in a nominal slot that are not already places."""
    cache = rec.__dict__.get(_CACHE)
    if cache is None or cache[0] != id(doc):
        cache = (id(doc), {})
        rec.__dict__[_CACHE] = cache
    found = cache[1].get(sent.start)
    if found is None:
        found = cache[1][sent.start] = _find(doc, rec, sent)
    return found


def _find(doc: Doc, rec: ArticleRecord, sent: SpacySpan) -> list[Place]:
    lo, hi = sent.start_char, sent.end_char
    taken = [(p.span.start, p.span.end) for p in rec.places
             if p.span is not None and lo <= p.span.start < hi]
    out: list[Place] = []
    seen: set[int] = set()
    context = {p.country for p in rec.places if p.country}
    for tok in sent:
        if tok.pos != PROPN:  # the integer attribute: most tokens stop here, cheaply
            continue
        if (tok.i in seen or tok.ent_type_ in _SKIP_ENTS
                or tok.dep_ not in _SLOTS or not tok.text[:1].isupper()):
            continue
        run = name_run(doc, tok)
        if head_of(run).i != tok.i:
            continue  # the name's head token offers it
        start, end = widen(doc, run.start, run.end)
        if start >= sent.start and end <= sent.end:
            run = doc[start:end]
        seen.update(range(run.start, run.end))
        start, end = run.start_char, run.end_char
        if any(a < end and start < b for a, b in taken):
            continue
        if not_a_place(run.text) or starts_org_name(doc, run) \
                or org_hyphened(doc, run.start, run.end):
            continue
        if a_surname(doc, run.start, run.end):
            continue  # "Bolton declared" after "John Bolton": the man, not the town
        place = _resolved(rec, run, start, end, context)
        if place.precision or tok.ent_type_ != "PERSON":
            # a name the NER calls a person is a place only if the gazetteer knows it
            # (and trusts it, see _resolved): "praised Omar Haddad" must not place the
            # praise on him
            out.append(place)
    return out


def _resolved(rec: ArticleRecord, run: SpacySpan, start: int, end: int,
              context: set[str]) -> Place:
    span = make_span(rec, start, end)
    # a stray surname is not some small foreign town of that name
    cands = trusted_only(lookup(run.text), context)
    if not cands or cands[0].alias:
        return Place(name=run.text, span=span)
    e = cands[0].entry
    return Place(name=e.name, country=e.country, admin1=e.admin1 if e.kind != "country" else "",
                 lat=e.lat, lon=e.lon, precision=e.precision, span=span,
                 geonameid=e.geonameid)
