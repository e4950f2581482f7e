"""Attributions made by a prepositional phrase instead of a verb: "according to X, ...",
"in a county poll, most voters ...", "in his view, ...".  The phrase's object is the
source and the rest of its sentence the content.

Each finder returns (cue tokens, source token, content char ranges, source token range):
the range, when given, is the source phrase ("Ruiz's view") and the token the one who
holds it ("Ruiz"), so the speaker resolves to a person while the span keeps the phrase.
"""

from __future__ import annotations

from spacy.tokens import Token

from newswire.extract.attribution import noun_phrase, source_words
from newswire.extract.quote_content import Ctx, char_range, trim

Found = tuple[list[Token], Token, list[tuple[int, int]], tuple[int, int] | None]
_SURVEYS = frozenset({"poll", "survey"})


def according_to(ctx: Ctx, tok: Token) -> Found | None:
    """"according to X, ...": X is both the source token and the phrase (no range)."""
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    return [tok, nxt], pobj, _rest(ctx, tok.left_edge.i, max(pobj.right_edge.i, nxt.i) + 1), None


def in_finding(ctx: Ctx, tok: Token) -> Found | None:
    """"in a poll out on Friday, ...", "in the mayor's words, ...": a view or a figure held
    by a poll or by someone.  A cue verb in the rest ("in a survey, most said ...")
    makes a second, nested attribution."""
    if tok.dep_ != "prep":
        return None
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    findings = source_words().finding
    if pobj is None or (pobj.lower_ not in findings and pobj.lemma_.lower() not in findings):
        return None
    holder = pobj
    if pobj.lemma_.lower() in _SURVEYS:
        # one poll is a source; "trails in the polls" is the race's standing
        if pobj.tag_ != "NN":
            return None
    else:
        # a view needs a holder: "in his view", "in the eyes of voters", not "in other
        # words" or "in mind"
        holder = next((c for c in pobj.children if c.dep_ == "poss"), None) or next(
            (g for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"
             for g in c.children if g.dep_ == "pobj"), None)
        if holder is None:
            return None
    return [tok], holder, _rest(ctx, tok.i, tok.right_edge.i + 1), noun_phrase(pobj)


def _rest(ctx: Ctx, lo: int, hi: int) -> list[tuple[int, int]]:
    """The sentence on either side of the phrase's tokens ``lo:hi``."""
    doc = ctx.doc
    sent_start, sent_end = ctx.sent(doc[lo])
    ranges = []
    for s, e in ((sent_start, lo), (hi, sent_end)):
        s, e = trim(doc, s, e)
        if e - s >= 2:
            ranges.append(char_range(doc, s, e))
    return ranges
