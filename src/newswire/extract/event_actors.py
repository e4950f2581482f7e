"""Who acts and who is acted on in an event mention.

The agent is the trigger's subject ("by X" in passives, a subject inherited from a governing verb,
a possessive or named modifier of an eventive noun, or the subject of the light verb that carries
it: "France completes troop withdrawal").  Recipients are objects and "with / against / on ..."
objects.  Only actor-like phrases are kept: people, groups, organisations and states
(``data/actor_nouns.txt``, named entities, or what the actor coder gives a code or sector);
things, places and abstractions ("tear gas", "the main road", "a market in Mogadishu") are not
actors, though an actor inside them is ("the withdrawal of Chadian troops").
"""

from __future__ import annotations

from spacy.tokens import Token

from newswire.coding import features as F
from newswire.coding.actors import code_actor, code_actor_spans
from newswire.extract.spans import make_span
from newswire.model import Actor, ArticleRecord

_NOT_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_RECIPIENT_PREPS = {"with", "against", "on", "to", "at", "from", "upon", "toward", "towards"}
_SUBJ = {"nsubj", "csubj"}
# a trigger below these inherits the subject above: "Peru is willing to send", "is
# committed to opening"
_CLIMB = {"xcomp", "conj", "dobj", "pobj", "prep", "advcl", "acl", "acomp", "pcomp"}
_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
# verbs that only carry an eventive noun: "complete a withdrawal", "hold talks", "carry out attacks"
_LIGHT_VERBS = {"complete", "hold", "launch", "carry", "conduct", "announce", "begin", "sign",
                "start", "stage", "mount", "resume", "continue", "finish", "order", "wage",
                "undertake", "make", "step", "open", "reach", "finalize", "finalise"}
_TIME_PREPS = frozenset({"before", "after", "since", "until", "following", "ahead", "amid"})
_CROWDS = {"thousand", "hundred", "dozen", "score", "million", "ten"}
_TARGET_PREPS = {"of", "from", "by", "to", "against", "on", "for", "with", "toward", "towards"}


def subject(tok: Token) -> Token | None:
    """The agent: nsubj, "by X" in passives, or the subject inherited from a governing verb.

    An eventive noun's agent is its "by" phrase, its actor-like possessive or named modifier
    ("the army's withdrawal", "Israeli strikes"), else the subject of the light verb it is the
    object of ("France completes troop withdrawal"), else a generic modifier ("troop
    withdrawal").
    """
    if tok.pos_ in ("NOUN", "PROPN"):
        by = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"
              for g in c.children if g.dep_ == "pobj" and actor_like(g)]
        if by:
            return by[0]  # "an ambush by Islamist militants"
        mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod")]
        named = [c for c in mods if c.dep_ == "poss" and actor_like(c)]
        if named or (named := [t for t in [_named_modifier(tok)] if t is not None]):
            return named[0]
        generic = [c for c in mods if c.dep_ != "amod" and actor_like(c)]
        light = tok.dep_ == "dobj" and F.lemma(tok.head) in _LIGHT_VERBS
        governed = tok.dep_ == "dobj" and clause_subject(tok.head) is not None
        if not governed and F.word_classes().get(F.lemma(tok)) == "mover":
            # "once the pullout of the last gunmen ended": they pulled out; but "the army
            # hastened the pullout of its units" is the subject's act
            movers = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj" and actor_like(g)
                      and not any(p.dep_ == "poss" and p.pos_ == "PRON" for p in g.children)]
            if movers:
                return movers[0]
        if generic and not light:
            return generic[0]
        return clause_subject(tok) or (generic[0] if generic else None)
    return clause_subject(tok) or _agent_of_means(tok)


def _agent_of_means(tok: Token) -> Token | None:
    """ "villagers were killed in raids and mortar fire by the junta's troops": with no
    subject of its own, a passive takes the agent of the attack it says was the means."""
    if not any(c.dep_ == "auxpass" for c in tok.children):
        return None
    means = [n for p in tok.children if p.dep_ == "prep" and p.lower_ in ("in", "by")
             for n in p.children if n.dep_ == "pobj"]
    # "dozens of airstrikes": the attack is the of-phrase of a quantity
    means += [g for n in means for c in n.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
    means += [m for n in means for m in n.conjuncts] + list(tok.conjuncts)
    for part in means:
        if F.lex_match(part) is None:
            continue
        for c in part.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                agent = next((g for g in c.children if g.dep_ == "pobj"), None)
                if agent is not None and actor_like(agent):
                    return agent
    return None


# verbs whose object does what their to-clause says: "forced the rebels to surrender",
# "helped the militia retake the town"
_OBJECT_CONTROL = frozenset({"force", "compel", "oblige", "make", "help", "allow", "let",
                             "enable", "pressure", "push", "drive", "lead", "prompt"})


def clause_subject(tok: Token) -> Token | None:
    cur = tok
    for _ in range(4):
        if cur is tok and cur.dep_ == "xcomp" and F.lemma(cur.head) in _OBJECT_CONTROL:
            obj = next((c for c in cur.head.children if c.dep_ == "dobj"), None)
            if obj is not None and obj.i < cur.i:
                # "force them to surrender": whoever "them" is, not the forcing side
                return None if obj.pos_ == "PRON" else obj
        for c in cur.children:
            if c.dep_ in _SUBJ:
                if cur is not tok and F.word_classes().get(F.lemma(cur)) == "patient":
                    return None  # "soldiers died in an ambush": victims, not the ambushers
                return c
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if cur.dep_ == "pobj" and cur.head.lower_ in _TIME_PREPS:
            break  # "families hid before the shelling": when, not who did it
        if cur.dep_ in _CLIMB and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return None


def demander(tok: Token) -> Token | None:
    """Who puts an obligation on the subject of the trigger's clause: the subject of the
    verb that reports it ("Russia said that Sudan must return the aircraft" → Russia)."""
    cur = tok
    while cur.dep_ in ("conj", "xcomp", "acomp", "attr", "dobj") and cur.head.i != cur.i:
        cur = cur.head  # "must pay or lose the licence", "must be willing to talk"
    if cur.dep_ != "ccomp" or cur.head.i == cur.i:
        return None
    return resolve_pronoun(clause_subject(cur.head), cur.head)


def resolve_pronoun(subj: Token | None, tok: Token) -> Token | None:
    """"The Taliban said they ...": a pronoun subject of reported speech is the speaker; a
    relative pronoun is the noun its clause describes."""
    if subj is None or subj.pos_ != "PRON":
        return subj
    if subj.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
        return tok.head  # "students who blocked the road": the students
    if subj.tag_ == "PRP$" and subj.head == tok:
        owner = clause_subject(tok)  # "Egypt renewed its demand": Egypt's demand
        if owner is not None and owner.pos_ != "PRON":
            return owner
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        via = cur.dep_
        cur = cur.head
        if via in ("ccomp", "conj", "xcomp") and F.is_cue(cur):
            # "X condemned the attack and said it would ...": a conjoined cue shares X
            speaker = cur.head if cur.dep_ == "conj" and not any(
                c.dep_ in _SUBJ for c in cur.children) else cur
            for c in speaker.children:
                if c.dep_ in _SUBJ and c.pos_ in ("NOUN", "PROPN"):
                    return c
    if tok.dep_ == "advcl" and subj.head.i == tok.i:
        # "the government demanded the withdrawal after it seized power": the subject of
        # a time or reason clause is, far more often than not, the main clause's
        main = next((c for c in tok.head.children if c.dep_ in _SUBJ and c.i < tok.i), None)
        if main is not None and main.pos_ in ("NOUN", "PROPN") and _agrees(subj, main):
            return main
    return subj


def _agrees(pron: Token, noun: Token) -> bool:
    """Whether a personal pronoun can stand for ``noun``: "it" for a singular thing or
    body, "he"/"she" for a named person, "they" for plural or collective actors."""
    low = pron.lower_
    if low == "it":
        return noun.tag_ in ("NN", "NNP") and noun.ent_type_ != "PERSON"
    if low in ("he", "she"):
        return noun.ent_type_ == "PERSON"
    if low == "they":
        return noun.tag_ in ("NNS", "NNPS") or noun.ent_type_ in ("ORG", "NORP")
    return False


def recipients(tok: Token) -> list[Token]:
    out = []
    for c in tok.children:
        if c.ent_type_ in _NOT_ACTOR_ENTS:
            continue
        if c.dep_ in ("dobj", "nsubjpass", "dative") and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.append(c)
        elif c.lower_ in _RECIPIENT_PREPS and (c.dep_ == "prep" or c.dep_ == "dative"):
            # the parser labels the "to" of "provided arms to X" dative, like a bare dative
            out.extend(g for g in c.children
                       if g.dep_ == "pobj" and g.ent_type_ not in _NOT_ACTOR_ENTS)
    return out[:2]


_DEEP_PREPS = _RECIPIENT_PREPS | {"for", "into", "between"}
_DEEP_VIA = {"xcomp", "dobj", "conj"}


def deep_recipients(tok: Token, depth: int = 3) -> list[Token]:
    """Recipients below the trigger's own objects, nearest first: "offered to hand over the
    suspects to Britain", "promised to continue military aid to Mozambique", "agreed to
    provide aid for Romania and Poland"."""
    frontier = [tok]
    for _ in range(depth):
        found, below = [], []
        for t in frontier:
            for c in t.children:
                if c.dep_ == "ccomp" or (c.dep_ == "acl" and any(
                        g.dep_ == "mark" and g.lower_ == "that" for g in c.children)):
                    # "demanded that the rebels disarm ...", "its demand that they disarm":
                    # who is to act is who is asked
                    found[:0] = [g for g in c.children if g.dep_ == "nsubj" and g.pos_ != "PRON"]
                    below.append(c)
                elif c.dep_ in ("prep", "dative") and c.lower_ in _DEEP_PREPS:
                    # further from the trigger, only names and actor nouns: "called for a
                    # general strike" is no recipient, though "sanctions against X" has one
                    for g in c.children:
                        if g.dep_ != "pobj":
                            continue
                        if _named_or_actor_noun(g):
                            found.append(g)
                        elif g.pos_ == "NOUN":
                            below.append(g)
                elif c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("unless", "if",
                                                                                "for")
                                               for g in c.children):
                    # "vowed to walk out unless the board gave way": the condition is put
                    # to the board; "called for the army to step aside": the army is asked
                    found.extend(g for g in c.children if g.dep_ == "nsubj" and g.pos_ != "PRON")
                elif c.dep_ == "dobj" and t is not tok and _named_or_actor_noun(c):
                    # "warned it would expel the observers", "willing to send arms to help
                    # defend Saudi Arabia"
                    found.append(c)
                elif c.dep_ in _DEEP_VIA and c.pos_ in ("VERB", "NOUN", "AUX"):
                    below.append(c)
        if found:
            return found[:2]
        frontier = below
    return []


def _named_or_actor_noun(tok: Token) -> bool:
    return tok.ent_type_ in _ACTOR_ENTS or _noun_lemma(tok.text) in F.actor_nouns()


def _noun_lemma(word: str) -> str:
    w = word.lower()
    for suffix, repl in (("men", "man"), ("ies", "y"), ("s", "")):
        if w.endswith(suffix) and w[: -len(suffix)] + repl in F.actor_nouns():
            return w[: -len(suffix)] + repl
    return w


def actor_like(tok: Token) -> bool:
    """People, groups, organisations and states can act; things, places and abstractions
    ("tear gas", "the main road", "food aid", "the withdrawal") cannot."""
    if tok.pos_ == "PRON":
        return tok.lower_ not in ("it", "this", "that", "which", "what")
    if tok.ent_type_ in _ACTOR_ENTS:
        return True
    lem = F.lemma(tok)
    if lem in _CROWDS:  # "thousands (of people) protested"
        ofs = [g for c in tok.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return actor_like(ofs[0]) if ofs else True
    if tok.ent_type_ in _NOT_ACTOR_ENTS:
        return False
    if lem in F.actor_nouns() or _noun_lemma(tok.text) in F.actor_nouns():
        return True
    if lem in F.place_nouns():
        return False  # the Sudanese city: a place, not an actor
    # the head with its own modifiers, not its prepositional phrases ("a market in Mogadishu");
    # a role gives a sector ("security forces"); a named modifier alone makes no actor of a
    # thing ("US counter-terrorism aid", "UN convoy"): `target` takes the name itself
    left = [t.text for c in tok.lefts if c.dep_ in ("compound", "amod", "poss", "nmod")
            for t in c.subtree]
    code, sector = code_actor(" ".join([*left, tok.text]))
    return bool(sector) or (tok.pos_ == "PROPN" and bool(code))


def _named_modifier(tok: Token) -> Token | None:
    """The name in a noun's modifiers: "US counter-terrorism aid", "North Korea's demand"."""
    for c in tok.lefts:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            named = [t for t in c.subtree if t.ent_type_ in _ACTOR_ENTS
                     and t.pos_ in ("PROPN", "NOUN", "ADJ")]
            if named:
                return named[-1]
    return None


def target(tok: Token, depth: int = 2) -> Token | None:
    """The actor a non-actor object points at: "the withdrawal of Chadian troops", "calls by
    Belarus's rulers", "an Indian proposal"; None for things and places ("tear gas", "a market
    in Mogadishu")."""
    if actor_like(tok):
        return tok
    if depth == 0 or F.lemma(tok) in F.place_nouns():
        return None
    named = _named_modifier(tok)
    if named is not None:
        return named
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
            for g in c.children:
                if g.dep_ == "pobj" and (found := target(g, depth - 1)) is not None:
                    return found
    return None


def _item_like(text: str, code: str, sector: str, head: Token) -> bool:
    """One member of a split actor phrase ("African" of "African and European leaders")."""
    if code or sector or head.text in text.split():
        return True  # the head itself passed _actor_like
    return headed_by_people(text)


def headed_by_people(text: str) -> bool:
    """Whether a phrase ends in a people noun ("residents of Aleppo" does not, "the
    residents" does)."""
    words = text.split()
    return bool(words) and _noun_lemma(words[-1]) in F.actor_nouns()


def actors(rec: ArticleRecord, head: Token | None, owner: bool = False) -> list[Actor]:
    """The actors a phrase names; with ``owner``, "its fighters" takes the code of the
    actor "its" stands for."""
    if head is None or head.pos_ == "PRON" or not actor_like(head):
        return []
    sent = head.sent
    out = []
    for text, code, sector in code_actor_spans(head):
        if not _item_like(text, code, sector, head):
            continue
        pos = sent.text.find(text) if text else -1
        if pos >= 0:
            span = make_span(rec, sent.start_char + pos, sent.start_char + pos + len(text))
        else:
            span = make_span(rec, head.idx, head.idx + len(head.text))
        if not code and owner:
            code = _owner_code(head)
        out.append(Actor(text or head.text, code, sector, span))
    return out


_OWNERS = frozenset({"its", "their"})


def _owner_code(head: Token) -> str:
    """ "its fighters", "their troops": the code of the nearest named actor before them in
    this sentence or the one before, which is what "its" most often stands for."""
    if not any(c.dep_ == "poss" and c.lower_ in _OWNERS for c in head.children):
        return ""
    doc, sent = head.doc, head.sent
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for tok in reversed(doc[start : head.i]):
        if tok.ent_type_ in _ACTOR_ENTS and tok.ent_iob_ == "B":
            ent = next((e for e in doc.ents if e.start == tok.i), None)
            code = code_actor(ent.text)[0] if ent is not None else ""
        elif tok.pos_ in ("PROPN", "NOUN") and not tok.ent_type_ and tok.text[:1].isupper():
            code = code_actor(tok.text)[0]  # a name the NER missed ("Isis")
        else:
            continue
        if code:
            return code
    return ""
