"""Places: every GPE/LOC/FAC mention resolved against the offline gazetteer.

Each mention becomes a :class:`Place` with ISO3 country, admin-1, coordinates and
precision.  Ambiguous names are settled by the gazetteer's ranking (country >
capital > admin-1 > city by population), by cue words ("Washington state",
"the city of Mosul"), by a containing place ("Seattle, Washington") and by the
countries the rest of the article mentions.  "eastern Afghanistan" becomes a
region-precision place of Afghanistan spanning both words.  Names the gazetteer
does not know (villages, districts) are still places: emitted with the name only.
The small NER model often tags villages PERSON or ORG, or misses them: proper names
in a slot only places fill ("the town of X", "X village", "in X") are places too,
and names the gazetteer knows are places in a slot places often fill.

``event_place(doc, rec, trigger, fallback=True)`` (the event's place, by syntax and a
small fitted scorer; ``fallback=False`` abstains when unsure) is implemented in
:mod:`newswire.geo.attach` and re-exported here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newswire.coding.actors import code_actor
from newswire.extract.spans import make_span
from newswire.geo.attach import (  # noqa: F401  (public here: the event coder's entry)
    PLACE_LABELS,
    event_place,
    event_places,
    main_place,
)
from newswire.geo.cues import cues
from newswire.geo.gazetteer import (
    SMALL_CAPITAL,
    Candidate,
    Entry,
    country,
    lookup,
    part,
    prominent,
    trusted_only,
)
from newswire.geo.names import (
    NOT_NAME_ENTS,
    a_surname,
    half_of_a_name,
    head_of,
    name_run,
    not_a_place,
    not_a_place_name,
    operation_names,
    org_hyphened,
    starts_org_name,
    widen,
)
from newswire.geo.slots import place_slot
from newswire.geo.together import (
    conjoined,  # noqa: F401  (public here for the eval)
    listed_after_plural,
)
from newswire.model import ArticleRecord, Place

# Hints from cue words: which gazetteer kinds they select.
HINT_KINDS = {"admin1": {"admin1", "region"}, "city": {"capital", "city"}}
# An article's countries override the ranking unless the top candidate is far
# more prominent (Paris, France in an article about Texas is still Paris, France).
CONTEXT_POPULATION_RATIO = 20


@dataclass
class _Mention:
    ent: SpacySpan
    start: int  # char span of the place (modifier included)
    end: int
    name: str  # the name as looked up
    cands: tuple[Candidate, ...]
    hint: str = ""
    modifier: str = ""  # "eastern" in "eastern Afghanistan"
    container: _Mention | None = None  # "Washington" for "Seattle" in "Seattle, Washington"


def _lookup_with_cues(text: str) -> tuple[str, tuple[Candidate, ...], str, str]:
    """(name, candidates, hint, modifier) for an entity's text."""
    c = cues()
    cands = lookup(text)
    if cands:
        return text, cands, "", ""
    words = text.split()
    if len(words) > 1 and words[-1].lower() in c["admin1_words"] | c["city_words"]:
        hint = "admin1" if words[-1].lower() in c["admin1_words"] else "city"
        name = " ".join(words[:-1])
        return name, lookup(name), hint, ""
    if len(words) > 1 and words[0].lower() in c["directions"]:
        name = " ".join(words[1:])
        return name, lookup(name), "", words[0]
    return text, (), "", ""


def _mention(doc: Doc, ent: SpacySpan) -> _Mention:
    c = cues()
    start, end = widen(doc, ent.start, ent.end)
    if (start, end) != (ent.start, ent.end):
        wide = SpacySpan(doc, start, end, label=ent.label_)
        # widen only where that does not lose a name the gazetteer knows ("Iraq War")
        if not lookup(ent.text.strip()) or _lookup_with_cues(wide.text)[1]:
            ent = wide
    text = ent.text.strip()
    name, cands, hint, modifier = _lookup_with_cues(text)
    start, end = ent.start_char, ent.end_char
    kinds = c["admin1_words"] | c["city_words"]
    if not hint and ent.end < len(doc) and doc[ent.end].lower_ in kinds \
            and doc[ent.end].text[:1].isupper():
        # "Quneitra Governorate", "Bala Morghab District": a capitalised kind word the
        # NER left out is part of the name
        kind = doc[ent.end]
        hint = "admin1" if kind.lower_ in c["admin1_words"] else "city"
        end = kind.idx + len(kind.text)
    if not hint:
        nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
        prev2 = doc[max(ent.start - 2, 0) : ent.start].text.lower().split()
        if nxt in c["admin1_words"] or (prev2[-1:] == ["of"] and prev2[0] in c["admin1_words"]):
            hint = "admin1"
        elif nxt in c["city_words"] or (prev2[-1:] == ["of"] and prev2[0] in c["city_words"]):
            hint = "city"
    if not modifier and ent.start > 0 and doc[ent.start - 1].lower_ in c["directions"]:
        modifier = doc[ent.start - 1].text
        start = doc[ent.start - 1].idx
        whole = lookup(f"{modifier} {name}")
        # "eastern Ghouta" is a region's name, not a part of Ghouta; "east London" is
        # a part of London, not East London, South Africa
        if whole and (not cands or whole[0].entry is cands[0].entry):
            return _Mention(ent, start, end, f"{modifier} {name}", whole, hint)
        # "north-eastern Syria": the tokenizer splits the compound at its hyphen
        first, dash = doc[max(ent.start - 3, 0)], doc[max(ent.start - 2, 0)]
        whole = f"{first.text}-{modifier}"
        if ent.start >= 3 and dash.text == "-" and not first.whitespace_ \
                and not dash.whitespace_ and whole.lower() in c["directions"]:
            modifier, start = whole, first.idx
    return _Mention(ent, start, end, name, cands, hint, modifier)


def _inside(inner: Entry, outer: Entry) -> bool:
    if not outer.country or inner.country != outer.country or inner is outer:
        return False
    if outer.kind == "country":
        return inner.kind != "country"
    if outer.kind == "admin1":
        return inner.kind in ("city", "capital") and inner.admin1 in ("", outer.name)
    return False


def _two_countries(m: _Mention) -> bool:
    return sum(c.entry.kind == "country" for c in m.cands) > 1


def _peoples(doc: Doc) -> list[str]:
    """Countries of the peoples the text names ("Azerbaijani", "Iraqi Kurds")."""
    out = []
    for ent in doc.ents:
        # the NER tags a lone demonym a person as often as a people
        if ent.label_ == "NORP" or (len(ent) == 1 and ent.label_ == "PERSON"):
            code = code_actor(ent.text)[0]
            if country(code) is not None:
                out.append(code)
    return out


def _context(mentions: list[_Mention]) -> Counter:
    """Countries the article names without ambiguity: the context for the rest."""
    context: Counter = Counter()
    for m in mentions:
        if m.cands and (
            len({c.entry.country for c in m.cands}) == 1
            or (m.cands[0].entry.kind == "country" and not _two_countries(m))
        ):
            context[m.cands[0].entry.country] += 1
    context.pop("", None)
    return context


def _not_a_place(m: _Mention) -> bool:
    """A name in place position that names something else: an operation ("the Olive
    Branch operation" after "Operation Olive Branch"), or, unknown to the gazetteer,
    an organisation, a people or a person (see :func:`not_a_place_name`)."""
    if m.ent.text.lower() in operation_names(m.ent.doc):
        return True
    if half_of_a_name(m.ent, known=bool(m.cands)):
        return True
    return not m.cands and not m.modifier and not_a_place_name(m.ent)


def _a_person(m: _Mention) -> bool:
    """A bare name of someone the article names in full ("Bolton declared" after "John
    Bolton"), unless a prominent place or after "in"/"at"."""
    doc = m.ent.doc
    if not a_surname(doc, m.ent.start, m.ent.end) or m.modifier:
        return False
    if m.cands and prominent(m.cands[0].entry):
        return False
    return not (m.ent.start > 0 and doc[m.ent.start - 1].lower_ in cues()["open_preps"])


def _choose(m: _Mention, context: Counter) -> Entry | None:
    pool = list(m.cands)
    if not pool:
        return None
    if m.hint:
        pool = [c for c in pool if c.entry.kind in HINT_KINDS[m.hint]] or pool
    if m.container is not None and m.container.cands:
        inner = [c for c in pool if any(_inside(c.entry, o.entry) for o in m.container.cands)]
        pool = inner or pool
    best = pool[0].entry
    if best.kind == "country":
        # one name, two countries ("Congo"): the one the article's other places lie in
        alt = next((c.entry for c in pool[1:] if c.entry.kind == "country"
                    and c.entry.country in context), None)
        return alt if alt is not None and best.country not in context else best
    if not context:
        return best
    if best.country in context:
        return best
    for cand in pool[1:]:
        alt = cand.entry
        if alt.country not in context or alt.kind == "country":
            continue
        if best.kind == "capital" and best.population >= SMALL_CAPITAL:
            break
        if alt.population and best.population > CONTEXT_POPULATION_RATIO * alt.population:
            break
        return alt
    return best


def _choose_container(outer: _Mention, inner: _Mention, context: Counter) -> Entry | None:
    """The container in "Seattle, Washington": the candidate that holds the inner place."""
    for cand in outer.cands:
        if any(_inside(i.entry, cand.entry) for i in inner.cands):
            return cand.entry
    return _choose(outer, context)


def _split_comma(doc: Doc, ent: SpacySpan) -> list[SpacySpan]:
    # spaCy sometimes tags "Seattle, Washington" as one entity
    parts, start = [], ent.start
    for tok in ent:
        if tok.text == ",":
            if tok.i > start:
                parts.append(doc[start : tok.i])
            start = tok.i + 1
    if start < ent.end:
        parts.append(doc[start : ent.end])
    return parts


def _place(rec: ArticleRecord, m: _Mention, entry: Entry | None) -> Place:
    span = make_span(rec, m.start, m.end)
    if entry is None:
        # unknown to the gazetteer (a village, a district): still a place mention
        return Place(name=m.name, precision="", span=span)
    precision = entry.precision
    name = entry.name
    lat, lon = entry.lat, entry.lon
    if m.modifier and entry.kind in ("country", "admin1", "region"):
        precision, name = "region", f"{m.modifier} {entry.name}"
        # "north-eastern Syria" is not at Damascus
        lat, lon = part(entry, m.modifier) or (lat, lon)
    return Place(
        name=name, country=entry.country, admin1=entry.admin1 if entry.kind != "country" else "",
        lat=lat, lon=lon, precision=precision, span=span, geonameid=entry.geonameid,
    )


def _token_ids(m: _Mention) -> range:
    """The mention's tokens, with a kind word it took past its entity ("Governorate")."""
    end = m.ent.end
    while end < len(m.ent.doc) and m.ent.doc[end].idx < m.end:
        end += 1
    return range(m.ent.start, end)


def _extra_mentions(doc: Doc, found: list[_Mention], context: Counter) -> list[_Mention]:
    """Place names the NER missed or mislabelled (villages tagged PERSON, "Mosul"
    tagged ORG): proper names in a slot only places fill, or known to the gazetteer
    and in a slot places often fill."""
    covered = {i for m in found for i in _token_ids(m)}
    place_roots = {m.ent.root.i for m in found}
    listed = {i for group in listed_after_plural(doc) for i in group}
    out: list[_Mention] = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i in covered or tok.ent_type_ in PLACE_LABELS:
            continue
        if tok.ent_type_ in NOT_NAME_ENTS:
            continue
        run = name_run(doc, tok)
        if (head_of(run).i != tok.i or not tok.text[:1].isupper() or not_a_place(run.text)
                or starts_org_name(doc, run) or any(t.i in covered for t in run)):
            continue
        slot = "strong" if tok.i in listed else place_slot(tok, place_roots)
        # a name the NER calls a person is a place only where the syntax says so
        # ("killed in Musa Qala"), never on a gazetteer hit alone ("than Obama")
        if not slot or (slot != "strong" and tok.ent_type_ == "PERSON"):
            continue
        if org_hyphened(doc, run.start, run.end):
            continue
        m = _mention(doc, run)
        if _not_a_place(m):
            continue
        kept = trusted_only(m.cands, context)
        # in a merely locative slot only the gazetteer's own names count ("Jan" is
        # some town's alternate name, and a month)
        if slot == "strong" or (kept and not kept[0].alias):
            out.append(m)
            covered.update(t.i for t in run)
            place_roots.add(tok.i)
    return out


def _dateline(doc: Doc, found: list[_Mention]) -> list[_Mention]:
    """"MOGADISHU, Somalia (Newswire) —": the capitals the NER does not read as a name."""
    covered = {i for m in found for i in _token_ids(m)}
    out = []
    for sent in doc.sents:
        first = sent[0]
        if first.i > 0 and "\n" not in doc[first.i - 1].text + doc[first.i - 1].whitespace_:
            continue
        end = first.i
        while end < sent.end and doc[end].is_upper and (doc[end].is_alpha or doc[end].text == "-"):
            end += 1
        if end == first.i or end >= sent.end or doc[end].text not in _DATELINE_ENDS:
            continue
        run = doc[first.i : end]
        if len(run.text) < 3 or any(t.i in covered for t in run):
            continue
        m = _mention(doc, run)
        if m.cands and not m.cands[0].alias:
            out.append(m)
    return out


_DATELINE_ENDS = frozenset({",", "\u2014", "\u2013", "-", "--", "(", ":"})


def extract(doc: Doc, rec: ArticleRecord) -> list[Place]:
    """Every place mention of the document, resolved, in text order."""
    mentions: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS or not any(t.text[:1].isupper() for t in ent):
            continue  # "the south coast": no name, nothing to resolve
        if not_a_place(ent.text) or starts_org_name(doc, ent) \
                or org_hyphened(doc, ent.start, ent.end):
            continue  # "Islamic State", "U.N." tagged GPE, the "UK" of "UNA-UK"
        parts = _split_comma(doc, ent) if "," in ent.text else [ent]
        if len(parts) == 2:
            inner, outer = _mention(doc, parts[0]), _mention(doc, parts[1])
            inner.end = outer.end  # one place for the whole entity
            inner.container = outer
            mentions.append(inner)
            continue
        m = _mention(doc, ent)
        if _not_a_place(m):
            continue
        if ent.label_ == "FAC" or ent[0].lower_ == "the":
            # a building or "the ..." phrase: not a city's translated alternate name
            # ("the White House" is one of Casablanca's)
            m.cands = tuple(c for c in m.cands if not c.alias)
        if not m.modifier and m.cands and ent.label_ != "FAC" and mentions:
            prev = mentions[-1]
            between = rec.text[prev.end : m.start]
            if between.strip() == "," and prev.ent.label_ != "FAC":
                m.container = None
                prev.container = m  # "Seattle, Washington": the second holds the first
        mentions.append(m)

    mentions.extend(_dateline(doc, mentions))
    mentions = [m for m in mentions if not _a_person(m)]
    # the countries of names only an alternate name resolves do not vouch for themselves
    context = _context([m for m in mentions if not (m.cands and m.cands[0].alias)])
    mentions.extend(m for m in _extra_mentions(doc, mentions, context)
                    if not _a_person(m))
    # "the Azerbaijani republic of Nakhichevan": a people named vouches for its country
    vouched = context + Counter(_peoples(doc))
    for m in mentions:
        if m.cands and m.cands[0].alias:
            m.cands = trusted_only(m.cands, vouched, alias=True)
    mentions.sort(key=lambda m: m.start)
    context = _context(mentions)

    places = []
    outers = {id(m.container) for m in mentions if m.container is not None}
    chosen: dict[int, Entry | None] = {}
    for m in mentions:
        if m.container is not None and id(m.container) not in chosen:
            chosen[id(m.container)] = _choose_container(m.container, m, context)
    for m in mentions:
        entry = chosen.get(id(m)) if id(m) in outers else _choose(m, context)
        places.append(_place(rec, m, entry))
    return places
