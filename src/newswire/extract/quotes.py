"""Quotes and attribution: who said (or believes, or plans) what, with spans for all three parts.

For every cue (a reporting verb from ``data/quote_cues.tsv`` or "according to") the
source is its subject and the content its clausal complement, an adjacent quotation,
or the main clause it is appended to ("..., X said").  Direct quotes split by their
attribution (“A,” said X. “B.”) become one Quote with the later parts in ``extra_spans``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Token

from newswire.extract.attribution import (
    is_passive,
    names_someone,
    past_dateline,
    set_off,
    source_words,
    subject_of,
)
from newswire.extract.quote_content import (
    ANSWER_WORDS,
    Ctx,
    char_range,
    content_of,
    to_sentence_end,
    trim,
    widen,
    with_subject,
)
from newswire.extract.quote_layout import (
    colon_lines,
    dash_bylines,
    join_continuations,
    make_quote,
)
from newswire.extract.quote_marks import enclosing
from newswire.extract.quote_phrases import according_to, in_finding
from newswire.model import ArticleRecord, Quote

CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
NESTED = ("xcomp", "ccomp", "csubj")
MAX_CARRIER = 10
THAT_MARKS = ("that", "whether", "if")
MAX_GOVERNOR_GAP = 5
PASSIVE_SUBJECT_CLASSES = ("belief", "intention", "evidence", "speech", "position")
FIRST_PERSON = {"i", "we"}


@dataclass(frozen=True)
class Cue:
    name: str
    klass: str
    content: tuple[str, ...]


@functools.cache
def cue_table() -> dict[str, Cue]:
    table: dict[str, Cue] = {}
    text = resources.files("newswire.data").joinpath("quote_cues.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t") + ["", ""]
        table[parts[0]] = Cue(parts[0], parts[1], tuple(parts[2].split()))
    return table


@functools.cache
def cue_words() -> frozenset[str]:
    return frozenset(cue_table())


def _cue_for(tok: Token, table: dict[str, Cue], sent_start: int = 0
             ) -> tuple[Cue, list[Token]] | None:
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "aux":
        return None
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in ("prt", "prep", "dobj", "oprd", "acomp", "ccomp"):
            # "point out", "call for", "make clear", "make the case", "take aim at"
            cue = table.get(f"{lemma} {child.lower_}")
            if cue is not None:
                return cue, [tok, child]
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.dep_ == "mark" and nxt.head.head == tok:
        # "called for the minister to quit": the parser makes "for" the mark of the clause
        cue = table.get(f"{lemma} {nxt.lower_}")
        if cue is not None:
            return cue, [tok, nxt]
    cue = table.get(lemma)
    if cue is None:
        return None
    tokens = [tok]
    # auxiliaries, negation and adverbs right before the verb belong to the cue
    # ("has said", "did not mention", "has repeatedly said")
    i = tok.i - 1
    while i >= sent_start and tok.doc[i].dep_ in CUE_LEFT and tok.doc[i].head == tok:
        tokens.insert(0, tok.doc[i])
        i -= 1
    # "said in a statement", "wrote on Twitter": the medium is part of the cue
    nxt = tok.i + 1
    if nxt < len(tok.doc) and tok.doc[nxt].dep_ == "prep" and tok.doc[nxt].head == tok:
        obj = next((c for c in tok.doc[nxt].children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() in source_words().medium:
            tokens.extend(tok.doc[nxt:obj.i + 1])
    while tokens[0].dep_ == "advmod":  # the cue starts at the auxiliary or the verb
        tokens.pop(0)
    return cue, tokens


def _that_clause_cue(verb: Token) -> tuple[Cue, list[Token]] | None:
    """"Analysts determined that ...": any verb whose subject names someone and whose
    object is a that/whether clause reports a view, listed or not (PolNeAR train: about
    60% of them are annotated as attributions)."""
    if verb.pos_ != "VERB" or verb.tag_ == "VB":
        return None
    if not any(c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ in THAT_MARKS
                                         for g in c.children) for c in verb.rights):
        return None
    sub = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if not names_someone(sub):
        return None
    return Cue(verb.lemma_.lower(), "belief", ("ccomp",)), [verb]


def _stance_cue(adj: Token, table: dict[str, Cue]) -> tuple[Cue, list[Token]] | None:
    """"were frustrated", "is eager to": an attitude adjective after a copula.

    The parser reads some of them as passive participles ("were frustrated"); then the
    participle heads the clause and the copula is its auxiliary.
    """
    cue = table.get(adj.lower_) or table.get(adj.lemma_.lower())
    if cue is None or cue.klass != "stance":
        return None
    if adj.pos_ == "ADJ" and adj.dep_ == "acomp":
        cop = adj.head
    elif adj.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in adj.children):
        cop = adj
    else:
        return None
    tokens = [t for t in cop.children if t.dep_ in ("aux", "auxpass", "neg") and t.i < adj.i]
    return cue, sorted({*tokens, cop, adj}, key=lambda t: t.i)


def _noun_cue(ctx: Ctx, noun: Token, quotes: list[Quote]) -> Quote | None:
    """"his claim that ...", "the warning by officials that ...": a noun as the cue.

    Only with a that-clause: "her endorsement of X" and the like were wrong more often
    than right on news text (PolNeAR train).
    """
    doc = noun.doc
    source = next((c for c in noun.children if c.dep_ == "poss"), None)
    content = None
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp") and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
            content = trim(doc, child.left_edge.i, child.right_edge.i + 1)
            break
        if child.dep_ == "acl" and child.i == noun.i + 2 and doc[noun.i + 1].lower_ == "to" \
                and doc[noun.i + 1].head.i == child.i:
            # "her promise to cut taxes": an intention with its holder
            content = trim(doc, noun.i + 1, child.right_edge.i + 1)
            break
        if child.dep_ == "prep" and child.lower_ == "by" and source is None:
            source = next((g for g in child.children if g.dep_ == "pobj"), None)
    if content is None or content[0] >= content[1] or source is None:
        return None
    return make_quote(ctx, quotes, noun.lemma_.lower(), [noun], source,
                      [char_range(doc, *content)], "indirect", "noun")


def _only_a_topic(doc: Doc, ranges: list[tuple[int, int]]) -> bool:
    """The content is one noun phrase, not a clause: it names a topic or a target."""
    if len(ranges) != 1:
        return False
    span = doc.char_span(*ranges[0], alignment_mode="expand")
    if span is None or not len(span):
        return False
    if len(span) == 1 and span[0].lower_ in ANSWER_WORDS:
        return False  # "46 percent said yes"
    return span.root.pos_ in ("NOUN", "PROPN", "PRON") and not any(
        t.pos_ in ("VERB", "AUX") for t in span)


def _a_message(verb: Token, doc: Doc, ranges: list[tuple[int, int]]) -> bool:
    """ "declared victory", "denied the reports": the object is what was said.  Not "denying
    them the right" (to deprive someone of something) nor "announced in December"."""
    objects = [c for c in verb.children if c.dep_ in ("dative", "iobj", "dobj")]
    if len(objects) > 1 or any(c.dep_ != "dobj" for c in objects):
        return False  # two objects: someone is given or refused something
    span = doc.char_span(*ranges[0], alignment_mode="expand")
    return span is not None and span.root.ent_type_ not in ("DATE", "TIME")


def extract(doc: Doc, rec: ArticleRecord) -> list[Quote]:
    table = cue_table()
    ctx = Ctx(doc, rec)
    ctx.cue_words = cue_words()
    quotes: list[Quote] = []
    for tok in doc:
        if tok.lower_ in ("according", "in"):
            acc = according_to(ctx, tok) if tok.lower_ == "according" else in_finding(ctx, tok)
            if acc is not None and acc[2] and not ctx.in_quotation(tok.idx):
                cue_toks, source, ranges, phrase = acc
                q = enclosing(ctx.marks, ranges[0][0], ranges[-1][1])
                ranges, kind = ([q], "direct") if q else (ranges, "indirect")
                cue = " ".join(t.lower_ for t in cue_toks)
                quotes.append(make_quote(ctx, quotes, cue, cue_toks, source, ranges, kind,
                                         source_range=phrase))
            continue
        if tok.pos_ == "NOUN":
            if table.get("n:" + tok.lemma_.lower()) is not None and not ctx.in_quotation(tok.idx):
                noun = _noun_cue(ctx, tok, quotes)
                if noun is not None:
                    quotes.append(noun)
            continue
        if tok.pos_ == "ADJ":
            found = _stance_cue(tok, table)
        elif tok.pos_ in ("VERB", "AUX"):
            found = _cue_for(tok, table, ctx.sent(tok)[0]) or _stance_cue(tok, table) \
                or _that_clause_cue(tok)
        else:
            continue
        # a cue inside a quotation is the quoted speaker's own words, not the article's
        if found is None or ctx.in_quotation(tok.idx):
            continue
        cue, cue_toks = found
        if tok.dep_ in NESTED and tok.head.i < tok.i and (
                _cue_for(tok.head, table) or _stance_cue(tok.head, table)) \
                and not ctx.in_quotation(tok.head.idx) and not set_off(tok):
            # "declined to discuss", "said he believes": part of the outer cue's content
            continue
        got = content_of(ctx, tok, cue.content, cue_toks)
        if got is None:
            continue
        ranges, kind, extra = got
        cue_toks = sorted(set(cue_toks) | set(extra), key=lambda t: t.i)
        chain = _chain(ctx, tok, table, cue_toks)
        if chain is not None:
            cue_toks, (ranges, kind, extra) = chain
        cue_toks = widen(tok, cue_toks, ranges)
        if kind != "direct":
            ranges = to_sentence_end(ctx, tok, ranges)
        if cue.klass == "impression" and kind == "indirect":
            ranges = with_subject(tok, cue_toks, ranges)
        elif kind == "indirect" and is_passive(tok) and cue.klass in PASSIVE_SUBJECT_CLASSES:
            ranges = with_subject(tok, cue_toks, ranges, "nsubjpass")
        if kind == "direct":
            ctx.used.update(ranges)
        cue_toks = _with_governor(tok, cue_toks)
        carrier = _carrier(tok)
        if carrier is not None:
            cue_toks = list(doc[carrier.i:cue_toks[-1].i + 1])
        subject = None if cue.klass == "impression" else subject_of(
            carrier or (tok.head if tok.dep_ == "acomp" else tok), stance=cue.klass == "stance")
        if subject is not None:
            subject = past_dateline(ctx.sent(tok)[0], subject, tok)
        if subject is not None and subject.dep_ == "expl" or (
                subject is not None and subject.lower_ == "it" and cue.klass == "belief"):
            subject = None  # "It seems certain that ...": no one holds this view
        if subject is None and tok.tag_ == "VB" and tok.dep_ in ("ROOT", "acl"):
            continue  # imperatives and "a chance to say": nobody is reported saying anything
        if "someone" in cue.content and not names_someone(subject):
            continue  # "see", "share": a cue only when a person or body does it
        klass = cue.klass
        if klass == "speech" and kind == "indirect" and _only_a_topic(doc, ranges) \
                and not ("message" in cue.content and _a_message(tok, doc, ranges)):
            klass = "topic"  # "praised me", "discussed the budget": about what, not what was said
        quotes.append(make_quote(ctx, quotes, cue.name, cue_toks, subject, ranges, kind, klass))
    quotes.extend(colon_lines(ctx, quotes))
    quotes.extend(dash_bylines(ctx, quotes))
    join_continuations(ctx, quotes)
    # by cue; a quotation carried on from reported speech shares its cue and follows it
    quotes.sort(key=lambda q: (q.cue_span.start if q.cue_span else 0,
                               q.span.start if q.span else 0))
    _first_person_inside(quotes)
    return quotes


def _first_person_inside(quotes: list[Quote]) -> None:
    """"A: I think it will ...": an "I" or "we" reporting inside someone's words is them."""
    for q in quotes:
        if q.source_class != "unknown" or q.speaker.lower() not in FIRST_PERSON \
                or q.cue_span is None:
            continue
        outer = next((o for o in quotes if o is not q and o.speaker_span is not None
                      and o.source_class != "unknown" and any(
                          s.start <= q.cue_span.start < s.end for s in [o.span, *o.extra_spans]
                          if s is not None)), None)
        if outer is not None:
            q.speaker, q.speaker_role, q.source_class = (
                outer.speaker, outer.speaker_role, outer.source_class)


def _with_governor(verb: Token, cue_toks: list[Token]) -> list[Token]:
    """"declined to define", "is trying to encourage": PolNeAR's cue runs from the verb
    that governs a to-infinitive cue."""
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head  # "responded by saying", "wavered in answering"
    elif verb.dep_ != "xcomp" and not (verb.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return cue_toks  # an infinitive of purpose counts too: "stood up to defend"
    if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.i < verb.i:
        head = head.head  # "is keen to stress", "seemed eager to deny"
    if head.pos_ not in ("VERB", "AUX") or head.i > verb.i or verb.i - head.i > MAX_GOVERNOR_GAP:
        return cue_toks
    lo = head.i
    while lo > 0 and verb.doc[lo - 1].head == head and verb.doc[lo - 1].dep_ in CUE_LEFT:
        lo -= 1
    return list(verb.doc[lo:cue_toks[-1].i + 1])


def _carrier(verb: Token) -> Token | None:
    """"issued a statement saying ...": the verb that put out the statement heads the cue."""
    if verb.dep_ != "acl" or verb.tag_ != "VBG":
        return None
    noun = verb.head
    if noun.dep_ != "dobj":
        return None
    gov = noun.head
    return gov if gov.pos_ == "VERB" and gov.i < verb.i and verb.i - gov.i <= MAX_CARRIER else None


def _chain(ctx: Ctx, verb: Token, table: dict[str, Cue], cue_toks: list[Token]):
    """"declined to say whether ...", "seems to feel that ...": one cue over the verb chain.

    PolNeAR marks the whole chain as the cue and what the last verb governs as the content.
    """
    inner = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if inner is None:
        return None
    found = _cue_for(inner, table)
    if found is None:
        return None
    got = content_of(ctx, inner, found[0].content, found[1])
    if got is None:
        return None
    toks = [*cue_toks, *found[1], *got[2]]
    lo, hi = min(t.i for t in toks), max(t.i for t in toks)
    return list(verb.doc[lo:hi + 1]), got

