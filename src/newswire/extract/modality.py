"""Modality and time frame of an event: negated, future/planned, hypothetical, historical.

PLOVER carries these as contexts; newswire keeps them as flags on the Event.  They are read off
the dependency parse around the event trigger (cue words in ``modality_cues.json``) and, for
the time frame, off the event's resolved date compared with the publication date.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from spacy.tokens import Token

_CUES_FILE = Path(__file__).resolve().parent / "modality_cues.json"
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}


# auxiliaries that make a clause a possibility or a prospect, not a report of what happened
UNREAL_AUX = frozenset({"could", "may", "might", "would", "will", "'ll", "\u2019ll", "can",
                        "ca", "wo", "shall", "should"})


def governing_verb(tok: Token) -> Token:
    """The verb a token hangs from (itself when it is one; the root when none is)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def unreal(verb: Token) -> bool:
    """Whether the verb carries a modal or future auxiliary ("could be killed")."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in UNREAL_AUX for c in verb.children)


@functools.cache
def _cues() -> dict[str, Any]:
    with open(_CUES_FILE, encoding="utf-8") as fh:
        raw = json.load(fh)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("_"):
            continue
        words = value["words"] if isinstance(value, dict) else value
        out[key] = frozenset(words) if isinstance(words, list) else words
    return out


def _chain(trigger: Token) -> list[Token]:
    """The trigger and the tokens whose auxiliaries and negation it shares."""
    chain = [trigger]
    tok = trigger
    # a noun trigger takes the modality of its verb: "will hold talks", "no talks were held";
    # not one its own participle reports done: "the raids carried out on Friday may signal
    # ..." judges raids that took place
    done = any(c.dep_ == "acl" and c.tag_ == "VBN" for c in tok.children)
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") \
            and not done:
        tok = tok.head
        chain.append(tok)
    elif tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ("to", "in", "into") \
            and tok.head.head.lemma_.lower() in _cues()["outcome_verbs"]:
        tok = tok.head.head  # "could lead to clashes": what it leads to is as (un)real
        chain.append(tok)
    for _ in range(8):  # bounded climb; parses are shallow
        # a conjunct with its own auxiliaries or negation has its own tense and polarity:
        # "don't want aid and have warned Washington" -- the warning is neither negated nor future
        if tok.dep_ == "conj" and not any(
            c.dep_ in _SUBJECTS | {"aux", "auxpass", "neg"} for c in tok.children
        ):
            if any(c.dep_ == "cc" and c.lower_ in ("but", "yet") for c in tok.head.children):
                break
            tok = tok.head
        elif tok.dep_ == "xcomp":
            tok = tok.head
        else:
            break
        chain.append(tok)
    return chain


_NOBODY = {"nobody", "none", "nothing", "neither"}


def _negated_here(tok: Token) -> bool:
    if tok.dep_ == "pobj" and tok.head.lower_ == "without":  # "ended without agreement"
        return True
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
            return True
        if c.dep_ == "advmod" and (
            c.lower_ == "never" or any(g.dep_ == "neg" for g in c.children)  # "no longer"
        ):
            return True
        # "no talks were held", "nobody was hurt"
        if c.dep_ in _SUBJECTS | {"dobj"} and (
            c.lower_ in _NOBODY or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        ):
            return True
    return False


def _conditional(tok: Token, cues: dict[str, Any]) -> bool:
    """Is `tok` an if-clause, or does it govern one?"""
    marks = cues["conditional_marks"]
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children):
            return True
    return False


def _explicit_past_year(chain: list[Token], pub: date) -> bool:
    """An attached "in 2014" / "during the 1990s" that ends well before publication."""
    for tok in chain:
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during", "on", "at"):
                continue
            for t in prep.subtree:
                m = _YEAR.match(t.text)
                if m:
                    year = int(m.group(1)) + (9 if t.text.endswith("s") else 0)
                    if date(year, 12, 31) < pub - timedelta(days=_cues()["historical_days"]):
                        return True
    return False


def _date_bounds(event_date: Any) -> tuple[date | None, date | None]:
    if event_date is None:
        return None, None
    if isinstance(event_date, date):
        return event_date, event_date
    start = getattr(event_date, "start", None)
    end = getattr(event_date, "end", None) or start
    return start, end


def _ongoing(chain: list[Token], event_date: Any) -> bool:
    """Present perfect ("have stepped up attacks") or a "since ..." date: the event runs up to
    the publication date, however long ago it started."""
    for tok in chain:
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") and tok.tag_ == "VBN":
                return True
    span = getattr(event_date, "span", None)
    if span is not None:
        doc = chain[0].doc
        before = doc.char_span(span.start, span.end, alignment_mode="expand")
        if before is not None and before.start > 0:
            prev = doc[before.start - 1]
            if before[0].lower_ == "since" or prev.lower_ in ("since", "from"):
                return True
    return False


# acts a purpose clause usually performs rather than aims at: "gathered to protest",
# "met to discuss", "called a news conference to accuse"
_DONE_BY_PURPOSE = frozenset({"PROTEST", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE",
                              "SUPPORT", "CONSULT"})


def _purpose(tok: Token, cues: dict[str, Any]) -> bool:
    """ "sent troops to attack", "an offensive to capture the airport", "in order to
    protect": a to-infinitive that says what an act was for, not that it was done."""
    if tok.dep_ not in ("advcl", "acl", "relcl"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    if any(c.dep_ == "advmod" and c.lower_ == "only" for c in tok.children):
        return False  # "retreated, only to return a week later"
    head = tok.head  # "the first to recognise", "the first country to recognise"
    return not ({head.lower_} | {c.lower_ for c in head.children if c.dep_ == "amod"}) \
        & cues["purpose_exempt_heads"]


# what may come before the verb of an order: "Please leave", "Do not return", "Now go"
_ORDER_LEAD = frozenset({"please", "do", "not", "n't", "never", "now", "just", "immediately"})
_OPENERS = frozenset({":", "'", '"', "\u201c", "\u2018", "\u2014", "-", "--"})


def _imperative(verb: Token) -> bool:
    """ "Leave now or be killed", "Surrender," the leaflets said: an order says what is to be
    done, not what was.  A base form with no subject or tense auxiliary that opens its
    sentence or a quotation."""
    if verb.dep_ not in ("ROOT", "ccomp", "conj", "parataxis", "xcomp", "advcl"):
        return False
    if verb.dep_ == "conj":
        if not _imperative(verb.head):
            return False  # "did not attack or shell the camp"
    else:
        first = min((t for t in verb.subtree if not t.is_punct), key=lambda t: t.i, default=verb)
        if first.i > verb.sent.start and verb.doc[first.i - 1].text not in _OPENERS:
            return False  # "helped rebuild", "told them to leave"
    kids = list(verb.children)
    if any(c.dep_ in _SUBJECTS for c in kids):
        return False
    aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VB":
        if any(c.lower_ not in ("do", "don't") for c in aux if c.dep_ == "aux"):
            return False
    elif not (verb.tag_ == "VBN" and aux and all(c.tag_ == "VB" for c in aux)):
        return False  # "be killed" orders a fate, "will be killed" foretells one
    before = [c for c in kids if c.i < verb.i and not c.is_punct]
    # "Drop your rifles, please surrender": an order may follow another
    return all(c.lower_ in _ORDER_LEAD or c.dep_ in ("aux", "auxpass", "neg", "advmod", "intj")
               or (c.dep_ in ("advcl", "parataxis") and c.tag_ == "VB"
                   and not any(g.dep_ in _SUBJECTS for g in c.children))
               for c in before)


def _owning_noun(tok: Token) -> Token | None:
    """The noun an event noun completes: "risk" in "the risk of a clash", "plans" in "plans
    for an assault"."""
    prep = tok.head
    if tok.dep_ == "pobj" and prep.lower_ in ("of", "for") and prep.head.i != prep.i \
            and prep.head.pos_ == "NOUN":
        return prep.head
    return None


def _framing(trigger: Token, chain: list[Token], cues: dict[str, Any], purpose: bool
             ) -> list[str]:
    """Cues from how the sentence frames the event rather than from its verb's tense: an
    order, a purpose, or a noun that foresees, plans or denies it."""
    out = []
    if any(_imperative(t) for t in chain):
        out.append("future:imperative")
    aim = next((t for t in chain if _purpose(t, cues)), None) if purpose else None
    if aim is not None:
        out.append(f"future:purpose:{aim.text}")
    owner = _owning_noun(trigger)
    if owner is not None:
        lemma = owner.lemma_.lower()
        if lemma in cues["hypothetical_nouns"]:
            out.append(f"hypothetical:{lemma}-of")
        elif lemma in cues["future_nouns"]:
            out.append(f"future:{lemma}-for")
        elif lemma in cues["evidence_nouns"] and any(
            c.dep_ == "det" and c.lower_ == "no" for c in owner.children
        ):
            out.append(f"negation:no-{lemma}-of")
    return out


def _to_complement(verb: Token) -> bool:
    """ "is to meet", "are due to resume": "be" looks ahead only through a to-infinitive;
    "the fighting is ongoing" is the present.  So does "aim": "the strikes were aimed at a
    depot" happened."""
    return any(c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
               for c in verb.children)


def analyse(
    trigger: Token, pub_date: date | None = None, event_date: Any = None, event_type: str = ""
) -> dict:
    """Flags plus the cue words that set them (``cues``), for provenance and debugging."""
    cues = _cues()
    found: list[str] = []
    negated = future = hypothetical = historical = False
    chain = _chain(trigger)
    # "did not accept the offer" is how a REJECT is said; the event itself is not negated
    own_negation_is_the_event = event_type.upper() == "REJECT"

    for tok in chain:
        if _negated_here(tok) and not own_negation_is_the_event:
            negated = True
            found.append(f"negation:{tok.text}")
        for c in tok.children:
            if c.dep_ not in ("aux", "auxpass"):
                continue
            word = c.lower_
            if word in cues["future_aux"]:
                future = True
                found.append(f"future:{word}")
            elif word in cues["hypothetical_aux"]:
                hypothetical = True
                found.append(f"hypothetical:{word}")
            elif word in cues["conditional_aux"]:
                # "would ... if" is a condition; a bare "would" is reported intention
                if any(_conditional(t, cues) for t in chain):
                    hypothetical = True
                    found.append("hypothetical:would-if")
                else:
                    future = True
                    found.append("future:would")
        if _conditional(tok, cues) and tok.dep_ == "advcl":
            hypothetical = True
            found.append(f"hypothetical:if-clause:{tok.text}")
    for below, gov in zip(chain, chain[1:], strict=False):
        lemma = gov.lemma_.lower()
        # what a verb governs, not a verb joined to it: "avoided the food, rejected the dances"
        if lemma in cues["negating_governors"] and below.dep_ in ("xcomp", "dobj", "nsubjpass"):
            negated = True
            found.append(f"negation:{lemma}")
        if lemma in cues["future_governors"] and (lemma != "go" or gov.tag_ == "VBG") \
                and (lemma not in ("be", "aim") or _to_complement(gov)):
            future = True
            found.append(f"future:{lemma}")
        if lemma in cues["hypothetical_governors"]:
            hypothetical = True
            found.append(f"hypothetical:{lemma}")
    start, end = _date_bounds(event_date)
    # a purpose that a date puts in the past was carried out: "emerged from their hideouts
    # last July to massacre 200 people"
    dated_past = getattr(event_date, "span", None) is not None and end is not None \
        and pub_date is not None and end < pub_date
    framed = _framing(trigger, chain, cues, purpose=event_type.upper() not in _DONE_BY_PURPOSE
                      and not dated_past)
    found.extend(framed)
    for cue in framed:
        negated |= cue.startswith("negation")
        future |= cue.startswith("future")
        hypothetical |= cue.startswith("hypothetical")
    for c in trigger.children:
        if c.dep_ in ("amod", "nmod", "compound") and c.lower_ in cues["future_modifiers"]:
            future = True
            found.append(f"future:{c.lower_}")
        if c.dep_ in ("amod", "nmod", "compound") and c.lower_ in cues["hypothetical_modifiers"]:
            hypothetical = True
            found.append(f"hypothetical:{c.lower_}")

    # a clause under a negated non-factive verb is not asserted ("did not imply that ...")
    top = chain[-1]
    hops = 0
    while top.dep_ in ("ccomp", "xcomp") and hops < 4 and not negated:
        gov = top.head
        lemma = gov.lemma_.lower()
        if lemma in cues["negating_complement_verbs"]:
            negated = True
            found.append(f"negation:{lemma}-that")
            break
        if lemma not in cues["negation_passes_through"]:
            break
        gov_chain = _chain(gov)
        if any(_negated_here(t) for t in gov_chain):
            negated = True
            found.append(f"negation:not-{lemma}")
            break
        top = gov_chain[-1]
        hops += 1

    if pub_date is not None:
        if start is not None and start > pub_date:
            future = True
            found.append("future:date")
        horizon = pub_date - timedelta(days=cues["historical_days"])
        ongoing = _ongoing(chain, event_date)
        if end is not None and end < horizon and not ongoing:
            historical = True
            found.append("historical:date")
        elif end is None and not ongoing and _explicit_past_year(chain, pub_date):
            historical = True
            found.append("historical:year")
    for tok in chain:
        for c in tok.children:
            if c.dep_ == "advmod" and c.lower_ in cues["historical_adverbs"]:
                nxt = c.nbor(1) if c.i + 1 < len(c.doc) else None
                if c.lower_ == "once" and nxt is not None and nxt.lower_ == "again":
                    continue
                historical = True
                found.append(f"historical:{c.lower_}")
    if future:
        historical = False
    return {
        "negated": negated,
        "future": future,
        "hypothetical": hypothetical,
        "historical": historical,
        "cues": found,
    }


def flags(
    trigger: Token, pub_date: date | None = None, event_date: Any = None, event_type: str = ""
) -> dict:
    """{negated, future, hypothetical, historical} for the event whose trigger token is given.

    ``event_date`` is the event's resolved date: a DateRef (``start``/``end``, optionally a
    ``span`` into the same text), a date, or None.  ``event_type`` (optional): for a REJECT, a
    negation on the trigger itself ("do not want aid") is the rejection, not a negated event.
    """
    out = analyse(trigger, pub_date, event_date, event_type)
    out.pop("cues")
    return out
