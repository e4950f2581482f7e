"""When an event happened and what it cost: the date and the casualty figures of one
trigger, chosen among the article's dates and counts by where they hang in the parse."""

from __future__ import annotations

import functools
from datetime import date

from spacy.tokens import Doc, Token

from newswire.coding import features as F
from newswire.extract.modality import governing_verb, unreal
from newswire.extract.timex import tables
from newswire.model import ArticleRecord, Count, DateRef

_SUBJ = {"nsubj", "csubj"}


def owners(doc: Doc, rec: ArticleRecord, cand_ids: set[int]) -> dict[int, int | None]:
    """For each dated DateRef (by index): the candidate token its phrase hangs from, if any
    (``~i``, negative: the speech verb ``i``'s, which dates the report, not an event)."""
    out: dict[int, int | None] = {}
    for k, d in enumerate(rec.dates):
        if d.span is None or d.start is None or d.kind != "date":
            continue
        cs = doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        cur = cs.root if cs is not None else None
        owner = None
        for _ in range(8):
            if cur is None or cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.i in cand_ids:
                owner = cur.i
                break
            if F.is_cue(cur):
                owner = ~cur.i  # "..., the commander said on Tuesday": the report's date
                break
        out[k] = owner
    return out


def event_date(rec: ArticleRecord, tok: Token, sent_no: int, owners: dict[int, int | None]):
    """The date of the trigger's own clause, else of a verb it is embedded under ("will
    gather on Wednesday to discuss a ceasefire"), else the nearest date of the sentence no
    other verb claims or that a clause of the same occasion holds ("fired on them as they
    tried to flee on Wednesday"), else the date of the report it is told in ("said on
    Sunday that troops were shelling the town": by Sunday, closer than the publication date)."""
    same = [k for k in owners if rec.dates[k].span.sentence == sent_no]  # type: ignore[union-attr]
    mine = {tok.i} | ({tok.head.i} if tok.pos_ in ("NOUN", "PROPN") else set())
    # "At a meeting last week the minister rejected ...": the setting's date is the act's
    mine |= {g.i for c in tok.children if c.dep_ == "prep" for g in c.children
             if g.dep_ == "pobj"}
    above = {a.i for a in tok.ancestors}
    told = {~i for i in above}
    pool = [k for k in same if owners[k] in mine] or [k for k in same if owners[k] in above] \
        or [k for k in same if owners[k] is None
            or (_same_occasion(tok, owners[k], _root(tok.doc, rec.dates[k]))
                and not _ahead(rec, rec.dates[k]))] \
        or [k for k in same if owners[k] in told]
    if not pool:
        return None
    k = min(pool, key=lambda k: abs(rec.dates[k].span.start - tok.idx))  # type: ignore[union-attr]
    return rec.dates[k]


def _same_occasion(tok: Token, owner: int | None, date_root: Token | None) -> bool:
    """The owner verb and the trigger are one occasion: linked only through infinitival
    or participial complements and as/when-clauses ("as they tried to flee", "kept walking
    out …, surrendering"), never through a clause set at another time ("after …", "having
    …"), and the date places the owner's act itself, not a noun under it."""
    if owner is None or owner < 0 or date_root is None:
        return False
    head = date_root.head
    if date_root.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if head.pos_ not in ("VERB", "AUX") or date_root.dep_ not in ("pobj", "npadvmod", "advmod"):
        return False
    up_tok = _occasion_chain(tok)
    return any(a in up_tok for a in _occasion_chain(head))


def _occasion_chain(tok: Token) -> list[int]:
    """The token and the verbs above it while each link keeps to the same occasion."""
    chain = [tok.i]
    while tok.head.i != tok.i and _occasion_link(tok):
        tok = tok.head
        chain.append(tok.i)
    return chain


def _occasion_link(tok: Token) -> bool:
    head = tok.head
    if tok.dep_ == "xcomp":
        # "tried to flee", not "asked them to meet" / "called on them to act" / "promised to
        # end it by 2030": another's act, or one still ahead
        return head.lemma_ not in _intent_verbs() and not any(
            c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and head.i < c.i < tok.i)
            for c in head.children)
    if tok.dep_ != "advcl":
        return False
    marks = [c.lower_ for c in tok.children if c.dep_ == "mark"]
    if marks:  # "while" is as often a contrast as a time in news
        return all(m in tables()["occasion_marks"] for m in marks)
    return tok.tag_ in ("VBG", "VBN") and not any(c.lower_ == "having" for c in tok.children)


@functools.cache
def _intent_verbs() -> frozenset[str]:
    return frozenset(tables()["intent_verbs"])


def _ahead(rec: ArticleRecord, d: DateRef) -> bool:
    """A date still to come belongs to a complement's own act ("ruled out attending a
    conference later this month"), not to the occasion of a verb told as done."""
    pub = rec.article.published
    return isinstance(pub, date) and d.end is not None and d.end > pub


def _root(doc: Doc, d: DateRef) -> Token | None:
    cs = doc.char_span(d.span.start, d.span.end, alignment_mode="expand")  # type: ignore[union-attr]
    return cs.root if cs is not None else None


def publication(rec: ArticleRecord) -> DateRef | None:
    pub = rec.article.published
    if not isinstance(pub, date):
        return None
    return DateRef(text="", start=pub, end=pub, granularity="day", value=pub.isoformat())


def backdrop(tok: Token) -> bool:
    """A noun after "since / after / before / following": an earlier event named as background,
    so the publication date is not its date."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if tok.dep_ == "pobj":
        return tok.head.lower_ in _BACKDROP_MARKS
    # "since the fighting began": the subject of a temporal clause
    return tok.dep_ in _SUBJ and tok.head.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _BACKDROP_MARKS for c in tok.head.children)


_BACKDROP_MARKS = {"since", "after", "before", "following", "until"}


# what an attack or a crackdown takes from anywhere in its sentence; other figures only from
# its own clause ("hundreds were arrested and 21 killed": the arrests are not the killing's)
_SENTENCE_WIDE = {"ASSAULT": {"dead", "injured"}, "COERCE": {"arrested"}}


def _own_clause(tok: Token) -> set[int]:
    """The trigger's clause without the verbs coordinated with it ("arrested and ... killed")."""
    clause = tok if tok.pos_ == "VERB" or tok.head.i == tok.i else tok.head
    skip = {t.i for c in clause.children if c.dep_ == "conj" and _verbal(c) for t in c.subtree}
    return {t.i for t in clause.subtree} - skip


def _verbal(tok: Token) -> bool:
    # "detained and at least nine killed" is parsed as the number coordinated, the verb on it
    return tok.pos_ in ("VERB", "AUX") or any(c.pos_ == "VERB" for c in tok.children)


def counts(rec: ArticleRecord, tok: Token, sent_no: int, etype: str) -> dict[str, Count]:
    out: dict[str, Count] = {}
    own = _own_clause(tok)
    wide = _SENTENCE_WIDE.get(etype, set())
    for c in rec.counts:
        if c.span is None or c.span.sentence != sent_no:
            continue
        key = {"KILL": "dead", "WOUND": "injured", "ARREST": "arrested"}.get(c.type)
        if not key or key in out:
            continue
        cs = tok.doc.char_span(c.span.start, c.span.end, alignment_mode="expand")
        if cs is not None and _other_reality(cs, tok):
            continue  # "warned that thousands could be killed": nobody has been
        if key in wide or (cs is not None and all(t.i in own for t in cs)):
            out[key] = c
    return out


def _other_reality(span, trigger: Token) -> bool:
    """The figure's verb is a possibility where the event is a fact, or the reverse: "killed
    12 and could kill many more" gives the 12 to the killing, not to the prospect."""
    verb, own = governing_verb(span.root), governing_verb(trigger)
    if verb.i == own.i or verb.pos_ not in ("VERB", "AUX"):
        return False
    return unreal(verb) != unreal(own)
