"""Uses of a trigger word that report no event of their own, and sentences that hold none.

A candidate the classifier likes is still dropped when it is the content of an event already
coded ("urged them to *withdraw*"), a description of an actor ("militias backed by the
coalition"), a running toll ("330,000 have been killed since 2011"), a warning that threatens
nobody, an obligation the speaker puts on itself, or when its sentence is about a disaster,
an accident, sport or private crime.
"""

from __future__ import annotations

from spacy.tokens import Token

from newswire.coding import features as F
from newswire.extract import event_actors as A

HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "PROTEST", "MOBILIZE"})
_CONTENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep"}
_SUBJ = {"nsubj", "csubj"}

# Which event types a non-political frame rules out: aid to flood victims is still AID, but a
# storm "destroying" a town is no ASSAULT and a team "beating" another is nothing at all.
_BLOCKED = {
    "disaster": {"ASSAULT", "RETREAT", "COERCE", "MOBILIZE"},
    "accident": {"ASSAULT", "RETREAT", "COERCE", "MOBILIZE"},
    "crime": {"ASSAULT", "COERCE"},
    "sport": {"*"},
}


def nonpolitical(sent) -> set[str]:
    """Event types this sentence cannot hold: it is about weather, disasters, accidents, sport or
    private crime, and no armed or political agent appears in it."""
    wc = F.word_classes()
    blocked: set[str] = set()
    for tok in sent:
        lem = F.lemma(tok)
        cls = wc.get(lem)
        if cls is None or cls == "cue":
            continue
        if cls == "override":
            return set()
        if cls == "kin":
            if not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
                continue  # "the two neighbours" are countries; "his neighbour" is a person
            cls = "crime"
        row = F.lex_match(tok)
        if row is not None and row.with_:
            continue  # "opened fire" is shooting, not a blaze
        if tok.tag_ == "NNS" and lem in F.singular_nonevent():
            continue
        if tok.pos_ == "PROPN" and cls != "disaster":
            continue  # "Arab League", "Cup" in a name: only storms are named
        if tok.pos_ not in ("NOUN", "PROPN") and not (
            tok.pos_ == "VERB" and lem in F.verb_nonevent()
        ):
            continue
        blocked |= _BLOCKED.get(cls, set())
    return blocked


def governed_by_event(tok: Token, accepted: set[int]) -> bool:
    """True when the candidate is the content of an accepted event's verb or noun."""
    if tok.dep_ in _SUBJ and tok.head.i in accepted and _agent_noun(tok):
        return True  # "a militia suicide bomber killed ...": the bomber is the killing's agent
    cur, steps = tok, 0
    while cur.head.i != cur.i and steps < 3 and cur.dep_ in _CONTENT_DEPS:
        cur = cur.head
        steps += 1
        if cur.i in accepted or F.lemma(cur) in _WARNINGS:
            return True  # "warned against an offensive": what is warned of has not happened
    return False


def _agent_noun(tok: Token) -> bool:
    # "bomber", "protester", "mediator", "militant": people, not events
    return F.lemma(tok).endswith(("er", "or", "ist", "ant", "ian"))


def self_obligation(tok: Token, row: F.LexRow | None) -> bool:
    """"We must deliver it" binds the speaker, not another actor: no REQUEST, and no event.
    An obligation is a demand when it is put on a named actor, or the action is in the lexicon
    or aimed at an actor."""
    if "must" not in F.modality_classes(tok):
        return False
    subj = A.clause_subject(tok)
    if subj is not None and subj.pos_ == "PRON" and subj.lower_ in ("we", "i", "us"):
        return True
    if row is not None or (subj is not None and subj.pos_ != "PRON" and A.actor_like(subj)):
        return False  # "the US must allocate more money": a demand on a named actor
    return not any(A.actor_like(r) for r in A.recipients(tok))


_WARNINGS = frozenset({"warn", "caution", "warning"})
_WILL = frozenset({"will", "would", "'ll", "\u2019ll", "shall", "wo"})


def mere_warning(tok: Token, etype: str) -> bool:
    """ "warned that 400 civilians need evacuation", "warned that an assault would be a
    catastrophe": a warning is a threat only when it is put to someone ("warned Ankara
    that ...") or says what an actor will do ("warned that the police would break up any
    rally", "warned it would respond")."""
    if etype != "THREATEN" or F.lemma(tok) not in _WARNINGS:
        return False
    if any(A.actor_like(r) for r in A.recipients(tok)):
        return False
    for clause in (c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "acl")):
        kids = list(clause.children)
        subj = next((g for g in kids if g.dep_ in ("nsubj", "nsubjpass")), None)
        willed = any(g.dep_ == "aux" and g.lower_ in _WILL for g in kids) or any(
            g.dep_ == "advcl" and any(m.lower_ == "if" for m in g.children) for g in kids)
        if willed and (subj is None or subj.pos_ == "PRON" or A.actor_like(subj)):
            return False
    return True


def not_eventive(tok: Token) -> bool:
    """Uses of a trigger word that report no event of their own."""
    if tok.dep_ == "amod" and tok.tag_ in ("VBN", "JJ"):
        return True  # "US-backed fighters", "alleged Isis members": a description
    if _describes_actor(tok):
        return True
    if tok.tag_ in ("VBN", "JJ") and tok.dep_ not in ("ROOT", "acomp", "amod") \
            and any(c.dep_ == "det" for c in tok.children):
        return True  # "ambulances carried the wounded", "the detained": people, not an act
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and tok.head.lower_ == "for" \
            and F.lemma(tok.head.head) in F.place_nouns():
        return True  # "a depot for raids into the valley": what a place is for
    if tok.pos_ in ("NOUN", "PROPN") and (
        tok.dep_ in ("attr", "appos") or (tok.dep_ == "pobj" and tok.head.lower_ == "as")
    ):
        return True  # "the militia is seen as the gravest threat": a description, not a threat made
    for c in tok.children:
        if c.dep_ in _SUBJ and c.pos_ == "NOUN" and not _agent_noun(c) \
                and F.lex_match(c) is not None:
            return True  # "the talks are under way": the noun is the event
        if c.dep_ == "xcomp" and F.is_cue(c):
            return True  # "not allowed to speak", "declined to comment"
    if _asked(tok):
        return True
    return F.in_condition(tok)  # "... unless the president agrees": the condition, not an event


def _asked(tok: Token) -> bool:
    """ "Who is fighting whom?", "Do you have a story to tell us?": a question
    reports nothing.  The verb that reports a question ("he asked: 'Why?'") is still an act."""
    for mark in (t for t in tok.sent if t.text == "?"):
        asked = mark.head
        if asked.i == tok.i and F.is_cue(tok):
            continue
        # "..., posing the question: who pays now?" -- the statement before the colon
        # stands, however the parser hangs it from the question
        told = any(t.text == ":" for t in tok.doc[tok.i + 1 : asked.i])
        if (asked.i == tok.i or asked.is_ancestor(tok)) and _interrogative(asked) and not told:
            return True
    return False


_WH = frozenset({"WDT", "WP", "WP$", "WRB"})


def _interrogative(verb: Token) -> bool:
    """A clause asked, not told: a wh-word before its verb, an auxiliary (or "be") before its
    subject, or a bare verb opening it.  A stray "?" after an indirect question leaves a
    report standing."""
    if any(t.tag_ in _WH for t in verb.doc[verb.left_edge.i : verb.i]):
        return True
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subj is None:
        # "Remember the fighters who defended Kobane?": a question put as an order
        return verb.tag_ == "VB" and verb.i == verb.sent.start
    if verb.lemma_ == "be" and subj.i > verb.i:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.i < subj.i for c in verb.children)


def _describes_actor(tok: Token) -> bool:
    """ "militias backed by the coalition", "insurgents fighting the president", "the group
    that rescues people": a participle or a present-tense relative clause on an actor says
    what the actor is, not what it did.  One with a date of its own ("troops sent to the
    border on Monday") or an auxiliary ("rebels who have seized the town") is an event."""
    head = tok.head
    if tok.dep_ == "advcl" and tok.tag_ == "VBN" and tok.i < head.i \
            and not any(c.dep_ in ("mark", "nsubj", "nsubjpass", "aux", "auxpass")
                        for c in tok.children):
        # "Backed by hired gunships, the militia holds the hills": the fronted
        # participle describes the subject
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj is not None and A.actor_like(subj)
    if head.i == tok.i or head.pos_ not in ("NOUN", "PROPN") or not A.actor_like(head):
        return False
    if tok.sent.root.pos_ not in ("VERB", "AUX"):
        return False  # a misparse that hung the main verb on the subject ("Doctors ... donated")
    participle = tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG")
    if not participle and not (tok.dep_ == "relcl" and tok.tag_ in ("VBZ", "VBP")):
        return False
    return not any(c.dep_ in ("aux", "auxpass") or c.ent_type_ in ("DATE", "TIME")
                   or any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
                   for c in tok.children)


_PERFECT = frozenset({"has", "have", "had", "'s", "'ve", "\u2019s", "\u2019ve"})
_SPANS = frozenset({"year", "month", "decade"})


def running_tally(tok: Token, etype: str) -> bool:
    """ "more than 90,000 have been killed there since 2012", "nine peacekeepers have been
    shot dead in all", "has long accused": a perfect that sums up a period is a toll or a standing
    position, not an event of the day; the figure stays in the counts.  Only violence is
    summed up this way: "guerrillas have been demobilised since the accord" reports a
    process that is news."""
    kids = list(tok.children)
    if not any(c.dep_ == "aux" and c.lower_ in _PERFECT for c in kids):
        return False
    if any(c.dep_ == "advmod" and c.lower_ in ("long", "always") for c in kids):
        return True
    if etype not in HOSTILE:
        return False
    for c in kids:
        low = c.lower_
        if low == "since" and c.dep_ in ("prep", "mark"):
            return True
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children):
            return True
        if c.dep_ == "advmod" and low == "far" and any(g.lower_ == "so" for g in c.children):
            return True
        if c.dep_ == "prep" and low in ("in", "to", "over", "during"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is None:
                continue
            if (low, obj.lower_) in (("in", "total"), ("to", "date")):
                return True
            if F.lemma(obj) in _SPANS and any(g.lower_ in ("past", "last") or g.dep_ == "nummod"
                                              for g in obj.children) and _toll(tok):
                return True  # "over the past seven years", "in three months"
    return False


def _toll(tok: Token) -> bool:
    """ "have been killed", "has killed 300 people": what the period sums up is a toll; "have
    swept through the south in the last month" sums up a campaign, which is news."""
    return any(c.dep_ == "auxpass" for c in tok.children) or any(
        c.dep_ == "dobj" and any(g.dep_ == "nummod" or g.like_num for g in c.children)
        for c in tok.children)
