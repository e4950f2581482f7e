"""When an event happened and what it cost: the date and the casualty figures of one
trigger, chosen among the article's dates and counts by where they hang in the parse."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from newswire.coding import features as F
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
    gather on Wednesday to discuss a ceasefire"), else a date of the sentence no other
    verb claims, else the date of the report it is told in ("said on Sunday that troops
    were shelling the town": by Sunday, closer than the publication date)."""
    same = [k for k in owners if rec.dates[k].span.sentence == sent_no]  # type: ignore[union-attr]
    mine = {tok.i} | ({tok.head.i} if tok.pos_ in ("NOUN", "PROPN") else set())
    # "At a meeting last week the minister rejected ...": the setting's date is the act's
    mine |= {g.i for c in tok.children if c.dep_ == "prep" for g in c.children
             if g.dep_ == "pobj"}
    above = {a.i for a in tok.ancestors}
    told = {~i for i in above}
    pool = [k for k in same if owners[k] in mine] or [k for k in same if owners[k] in above] \
        or [k for k in same if owners[k] is None] or [k for k in same if owners[k] in told]
    if not pool:
        return None
    k = min(pool, key=lambda k: abs(rec.dates[k].span.start - tok.idx))  # type: ignore[union-attr]
    return rec.dates[k]


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
        if key in wide or (cs is not None and all(t.i in own for t in cs)):
            out[key] = c
    return out
