"""The event's place: which of a sentence's places the event verb happened in.

Chosen by syntax: a place in a locative phrase on the trigger (or its target, or a
verb joined to it) wins over one attached elsewhere; the inner, more specific place
wins over the one that only locates it ("the town of X in Y province"); subjects and
objects that are actors by metonymy ("Russia attacked", "signed with Washington")
are not places of the event.  That ranking's attachment class, with the gazetteer
precision, tree and word distance, dependency labels, preposition, NER type and the
event's own tense and dates, feeds a small scorer (:mod:`newswire.geo.scorer`, fitted
on half the labelled event-location sentences) whose probability picks the place and
says when no place of the sentence is the event's.  Besides the article's places the
candidates include the sentence's weak ones (:mod:`newswire.geo.candidates`: names the
NER mislabelled, "captured Manbij"); participants are never chosen.  The pipeline's
fallback is the best attached article place, then the article's main place;
``fallback=False`` abstains instead.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newswire.geo import scorer
from newswire.geo.context import NP_DEPS as _NP_DEPS
from newswire.geo.context import PLACE_LABELS, nesting_features, owner_features
from newswire.geo.cues import cues
from newswire.geo.together import finer_before, np_head, place_tokens, sentence_places
from newswire.model import ArticleRecord, Place

# Among equally attached places the most specific is where it happened ("a town in
# Iraq"); names unknown to the gazetteer are mostly villages and districts.
_SPECIFICITY = {"": 0, "point": 0, "city": 0, "admin1": 1, "region": 2, "country": 3}

# Labels that make a place the actor of the verb, not where it happened: "Russia
# attacked" — metonymy for a government.  (An object or passive subject that is a
# place is the target, and so the place: "shelled the town", "the town was shelled".)
_ACTOR_DEPS = frozenset({"nsubj", "iobj", "agent", "attr", "dative"})


def _attachment(tok, trigger) -> tuple[int, int, int]:
    """(how, penalty, distance) for a place's root token relative to the trigger.

    how (lower is better): 0 = in a locative PP on the trigger or a verb joined to it;
    1 = in a locative PP deeper in the trigger's subtree, or the trigger's object
    ("shelled the Hamra district"); 2 = in a locative PP elsewhere in the
    sentence; 3 = neither (possessor of a non-place, apposition); 4 = a participant
    ("signed with Washington"); 5 = the subject of another verb, or in a relative
    clause about a participant ("Shaheen, who is based in Doha, ...").
    penalty: 1 for a place that only qualifies a place noun ("the West Bank city of
    Nablus", "Baghdad's district of Saiydiah": the gold convention and the reader
    want the inner, more specific place).
    """
    c = cues()
    t, hops, penalty, owner, possessor = tok, 0, 0, False, False
    while True:
        if t.dep_ in _NP_DEPS and t.head.i != t.i:
            head = t.head
            if head.lower_ in c["site_nouns"] or head.ent_type_ in PLACE_LABELS:
                # "Indonesia's Ambon city", "the West Bank city of Nablus": the outer name
                # only locates the inner one ("Ambon city" itself is fine)
                penalty += t.dep_ == "poss" or (
                    head.lower_ in c["name_of_nouns"] and _has_of(head)
                    and not _named_inside(head))
            elif head.pos_ in ("NOUN", "PROPN"):
                owner = True  # "US convoy", "Israeli embassy": whose, not where
                possessor = possessor or (t.dep_ == "poss" and t.i == tok.i)
            t, hops = head, hops + 1
        elif t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.i != t.head.i:
            noun = t.head.head  # "the city of Mosul", "the province of Idlib"
            if (noun.lower_ not in c["name_of_nouns"] and _has_name(noun)) or _named_inside(noun):
                penalty += 1  # "the Zahra neighbourhood of Jiddah": Jiddah only holds it
            t, hops = noun, hops + 2
        else:
            break
    how = 3
    in_pp = t.dep_ in ("pobj", "pcomp")
    if in_pp and t.head.lower_ in c["source_preps"] and t.head.head.i == trigger.i:
        how, dist = 0, hops  # "withdrew from Afghanistan": only on the verb itself
    elif in_pp and t.head.lower_ in c["participant_preps"] and t.head.head.i == trigger.i:
        how, dist = 4, hops  # "signed with Washington", "fought against Russia": who
    elif in_pp and t.head.lower_ in c["locative_preps"]:
        anchor = t.head.head
        if anchor.i == trigger.i:
            how, dist = 0, hops
        elif trigger.lemma_ in c["speech_verbs"] and _via(anchor, trigger, "ccomp"):
            how, dist = 5, _tree_distance(anchor, trigger) + hops  # said what, not where
        elif _same_clause(anchor, trigger) or trigger.is_ancestor(anchor):
            how, dist = 1, _tree_distance(anchor, trigger) + hops
        elif anchor.dep_ == "relcl" and not anchor.is_ancestor(trigger):
            # "Shaheen, who is based in Doha, said the deal signed ...": describes a
            # participant, not where this event happened
            how, dist = 5, _tree_distance(anchor, trigger) + hops
        else:
            how, dist = 2, _tree_distance(anchor, trigger) + hops
    elif t.dep_ in ("dobj", "nsubjpass") and t.head.i == trigger.i:
        how, dist = 0, hops  # the target is a place: "shelled the town of X", "X was seized"
    else:
        dist = _tree_distance(tok, trigger)
        if t.dep_ == "nsubj":
            how = 5  # the subject of another verb ("Iraq said"): who, not where
    if owner and not (how == 0 and possessor):
        # "US convoy" names whose, not where -- except the owner of the target itself:
        # "Yugoslavia's refineries were destroyed"
        how = max(how, 3)
    return how, penalty, dist


def _via(anchor, trigger, dep: str) -> bool:
    """Whether ``anchor`` hangs below the trigger through a child labelled ``dep``."""
    t = anchor
    while t.head.i != t.i and t.head.i != trigger.i:
        t = t.head
    return t.head.i == trigger.i and t.i != trigger.i and t.dep_ == dep


def _has_of(noun) -> bool:
    return any(ch.dep_ == "prep" and ch.lower_ == "of" for ch in noun.children)


def _named_inside(noun) -> bool:
    """Whether a named settlement lies in its of-phrase ("Shawa village of Damboa
    district"), unlike "the West Bank city of Nablus", whose of-phrase names the city."""
    if noun.lower_ not in cues()["name_of_nouns"] or not _has_name(noun):
        return False
    if any(ch.dep_ == "det" for ch in noun.children):
        return False
    admin = cues()["admin1_words"] | {"area"}
    return any(ch.dep_ == "prep" and ch.lower_ == "of"
               and any(t.lower_ in admin for t in ch.subtree) for ch in noun.children)


def _has_name(noun) -> bool:
    return any(ch.dep_ in ("compound", "amod", "nmod") and ch.pos_ == "PROPN"
               for ch in noun.children)


def _same_clause(anchor, trigger) -> bool:
    # "shot and killed in a camp", "was found murdered at her home": the PP sits on a
    # verb joined to the trigger
    for a, b in ((anchor, trigger), (trigger, anchor)):
        if b.head.i == a.i and b.dep_ in ("conj", "xcomp", "ccomp", "advcl", "oprd", "acomp"):
            return True
    return anchor.head.i == trigger.head.i and anchor.dep_ == trigger.dep_ == "conj"


def _tree_distance(a, b) -> int:
    up_a = [a, *a.ancestors]
    depth = {t.i: d for d, t in enumerate(up_a)}
    for d, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return depth[t.i] + d
    return 99


def _rank(doc: Doc, rec: ArticleRecord, trigger,
          weak: bool = True) -> list[tuple[tuple, Place, SpacySpan, bool]]:
    """The sentence's places as (key, place, tokens, weak), best attached first; weak
    candidates (names that are not article places) only with ``weak``."""
    sent = trigger.sent
    scored = []
    for place, is_weak in sentence_places(doc, rec, sent):
        if is_weak and not weak:
            continue
        toks = place_tokens(doc, place)
        if toks is None:
            continue
        how, penalty, dist = _attachment(toks.root, trigger)
        if _is_argument(toks, trigger):
            how = 4  # the actor or target itself, by metonymy
        elif how == 3 and place.precision == "country":
            how = 5  # a country outside any place phrase: "the Iraq war", "U.S. troops"
        elif how == 0 and not place.precision and toks.root.dep_ == "nsubjpass":
            how = 3  # "Granda was captured": an unknown name as the patient is a person
        spec = _SPECIFICITY.get(place.precision, 0)
        key = (how, spec, penalty, dist, abs(toks.root.i - trigger.i))
        scored.append((key, place, toks, is_weak))
    scored.sort(key=lambda s: (s[3], s[0]))
    return scored


def _is_argument(toks: SpacySpan, trigger) -> bool:
    root = toks.root
    return root.head.i == trigger.i and root.dep_ in _ACTOR_DEPS


_ADDRESSEE_PREPS = frozenset({"on", "to", "against", "upon"})


def _addressee(doc: Doc, place: Place, trigger) -> bool:
    """The place is the object the trigger is aimed at: "blamed the US", "called on Iran"."""
    toks = place_tokens(doc, place)
    if toks is None:
        return False
    root = toks.root
    if root.dep_ in ("dobj", "dative") and root.head.i == trigger.i:
        return True
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in _ADDRESSEE_PREPS and prep.head.i == trigger.i


def event_places(doc: Doc, rec: ArticleRecord, trigger) -> list[Place]:
    """The sentence's places ordered by how closely syntax ties them to the trigger."""
    return [place for _, place, _, _ in _rank(doc, rec, trigger, weak=False)]


def main_place(rec: ArticleRecord, doc: Doc | None = None) -> Place | None:
    """The article's main place: the dateline's, else the most-mentioned country's.

    With the parse at hand only places in a place phrase ("in Afghanistan") are
    counted: an article about talks in Doha names "US" far more often, as an actor.
    """
    if not rec.places:
        return None
    for p in rec.places[:3]:
        if p.span is not None and p.span.sentence <= 3 and _is_dateline(rec.text, p):
            return p
    counted = [p for p in rec.places if p.country]
    if doc is not None:
        located = [p for p in counted if _in_place_phrase(doc, p)]
        counted = located or counted
    counts = Counter(p.country for p in counted)
    if not counts:
        return None
    top = counts.most_common(1)[0][0]
    for p in counted:
        if p.country == top and p.precision == "country":
            return p
    return next(p for p in counted if p.country == top)


def _is_dateline(text: str, place: Place) -> bool:
    # "MOGADISHU, Somalia (Newswire) —", "KABUL —": a paragraph opening in capitals
    start = place.span.start
    at_line_start = start == 0 or text[start - 1] == "\n"
    return at_line_start and place.span.text.isupper() and len(place.span.text) > 2


def _in_place_phrase(doc: Doc, place: Place) -> bool:
    toks = place_tokens(doc, place)
    if toks is None:
        return False
    t = toks.root
    while t.dep_ in _NP_DEPS and t.head.i != t.i:
        t = t.head
    preps = cues()["locative_preps"]
    return t.dep_ == "pobj" and t.head.lower_ in preps


class Candidate(NamedTuple):
    feats: dict  # the trees' features
    place: Place
    weak: bool
    link: scorer.Link  # where it sits among its rivals, for the second stage
    words: dict  # the word model's features


def _candidate_features(doc: Doc, rec: ArticleRecord, trigger) -> list[Candidate]:
    """The sentence's candidate places with their features, in the syntactic ranking's
    order (the order is itself a feature)."""
    # a participant ("signed with Washington", "Russia attacked") is who, not where:
    # about 1 in 70 such candidates is the labelled place, too few to learn from
    ranked = [r for r in _rank(doc, rec, trigger) if r[0][0] != 4]
    if not ranked:
        return []
    best = min(k[0] for k, _, _, w in ranked)
    strong = sum(not w for *_, w in ranked)
    event = scorer.trigger_features(trigger)
    out = []
    heads = [np_head(toks.root) for _, _, toks, _ in ranked]
    nested = nesting_features([toks for _, _, toks, _ in ranked], heads)
    for idx, (key, place, toks, weak) in enumerate(ranked):
        head = heads[idx]
        feats = scorer.features(key, place, toks, head, trigger, weak,
                                n=strong, best=best, idx=idx)
        feats.update(event)
        feats.update(owner_features(toks.root))
        feats.update(nested[idx])
        # the gold and the reader want the most specific place: is there a finer one
        # (same country, or unknown to the gazetteer) or a coarser one in the sentence?
        spec = key[1]
        for k, p, _, _w in ranked:
            if p is place or (p.country and place.country and p.country != place.country):
                continue
            if k[1] < spec and k[0] <= 3:
                feats["finer"] = 1
            elif k[1] > spec and k[0] <= 3:
                feats["coarser"] = 1
        link = scorer.Link(toks.start, toks.end, head.i, frozenset(a.i for a in head.ancestors),
                           place.country or "")
        out.append(Candidate(feats, place, weak, link, scorer.words(toks, head, trigger)))
    return out


def scored_places(doc: Doc, rec: ArticleRecord, trigger) -> list[tuple[float, Place]]:
    """The sentence's places with the probability that each is where the event happened,
    best first (ties keep the syntactic ranking's order)."""
    cands = _candidate_features(doc, rec, trigger)
    probs = scorer.scores([c.feats for c in cands], [c.link for c in cands],
                          [c.words for c in cands])
    out = [(p, c.place) for p, c in zip(probs, cands, strict=True)]
    out.sort(key=lambda s: -s[0])
    return out


def event_place(doc: Doc, rec: ArticleRecord, trigger, fallback: bool = True,
                addressed: bool = False) -> Place | None:
    """Where the event whose verb is ``trigger`` happened.

    The sentence's place the scorer finds likeliest wins when its probability passes
    the model's threshold (a place in a locative phrase on the trigger or its
    arguments scores highest).  Otherwise, with ``fallback`` (the pipeline: an event
    should have a place), the best syntactically attached place of the sentence, then
    the article's main place, if the article names places outside this sentence;
    without it (``newswire eval places``, scoring against sentences many of whose
    events have no labelled place), None.  Returns an object from ``rec.places``, or a
    weak candidate of the sentence (a name the extractor did not take as a place).

    ``addressed``: the event is said to someone (a demand, an accusation, a threat): the
    country it is aimed at ("called on the US", "blamed Washington") is whom, not where,
    and only a place phrase on the verb or its clause, not a mention elsewhere in the
    sentence, says where it was said.
    """
    scored = scored_places(doc, rec, trigger)
    if addressed:
        scored = [s for s in scored if not _addressee(doc, s[1], trigger)]
    if scored and scored[0][0] > scorer.threshold():
        return finer_before(rec, scored[0][1]) or scored[0][1]
    if not fallback:
        return None
    ranked = _rank(doc, rec, trigger, weak=False)
    if addressed:
        ranked = [r for r in ranked if r[0][0] <= 1 and not _addressee(doc, r[1], trigger)]
    if ranked and ranked[0][0][0] < 4:
        return ranked[0][1]
    sent = trigger.sent
    elsewhere = [p for p in rec.places
                 if p.span is not None and not sent.start_char <= p.span.start < sent.end_char]
    if not elsewhere:
        return None
    # once per article, not per event: the cache sits on the record (like spans')
    key = (len(rec.places), id(doc))
    cached = rec.__dict__.get("_main_place")
    if cached is None or cached[0] != key:
        cached = (key, main_place(rec, doc))
        rec.__dict__["_main_place"] = cached
    return cached[1]
