"""Quotes and attribution: who said (or believes, or plans) what, with spans for all three parts.

For every cue (a reporting verb from ``data/quote_cues.tsv`` or "according to") the
source is its subject and the content its clausal complement, an adjacent quotation,
or the main clause it is appended to ("..., X said").  Direct quotes split by their
attribution (“A,” said X. “B.”) become one Quote with the later parts in ``extra_spans``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Token

from newswire.extract.attribution import (
    describe,
    is_passive,
    names_someone,
    noun_phrase,
    past_dateline,
    set_off,
    source_words,
    subject_of,
)
from newswire.extract.quote_content import (
    CLOSE,
    Ctx,
    according_to,
    char_range,
    content_of,
    enclosing,
    is_short,
    to_sentence_end,
    trim,
    widen,
    with_subject,
)
from newswire.extract.spans import make_span
from newswire.model import ArticleRecord, Quote

CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
NESTED = ("xcomp", "ccomp", "csubj")
MAX_COLON_NAME = 4
QUOTE_CHARS = " '\"“”‘’\n"
QUOTE_MARK_TOKENS = {'"', "“", "”", "''"}
# “...” ― Name, at the end of a line
DASH_BYLINE = re.compile(r"[^\S\n]*(?P<dash>[―—–]|--)[^\S\n]*(?P<name>[A-Z][\w.'’-]*"
                         r"(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})[^\S\n]*$", re.M)
MAX_CARRIER = 10
THAT_MARKS = ("that", "whether", "if")
MAX_GOVERNOR_GAP = 5
PASSIVE_SUBJECT_CLASSES = ("belief", "intention", "evidence", "speech")


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
        # "called for Obama to resign": the parser makes "for" the mark of the clause
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
    return _make(ctx, quotes, noun.lemma_.lower(), [noun], source,
                 [char_range(doc, *content)], "indirect", "noun")


def extract(doc: Doc, rec: ArticleRecord) -> list[Quote]:
    table = cue_table()
    ctx = Ctx(doc, rec)
    ctx.cue_words = cue_words()
    quotes: list[Quote] = []
    for tok in doc:
        if tok.lower_ == "according":
            acc = according_to(ctx, tok)
            if acc is not None and acc[2]:
                cue_toks, source, ranges = acc
                q = enclosing(ctx.marks, ranges[0][0], ranges[-1][1])
                ranges, kind = ([q], "direct") if q else (ranges, "indirect")
                quotes.append(_make(ctx, quotes, "according to", cue_toks, source, ranges, kind))
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
        quotes.append(_make(ctx, quotes, cue.name, cue_toks, subject, ranges, kind, cue.klass))
    quotes.extend(_colon_lines(ctx, quotes))
    quotes.extend(_dash_bylines(ctx, quotes))
    quotes.sort(key=lambda q: q.cue_span.start if q.cue_span else 0)
    _join_continuations(ctx, quotes)
    return quotes


def _with_governor(verb: Token, cue_toks: list[Token]) -> list[Token]:
    """"declined to define", "is trying to encourage": PolNeAR's cue runs from the verb
    that governs a to-infinitive cue."""
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head  # "responded by saying", "wavered in answering"
    elif verb.dep_ != "xcomp" and not (verb.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return cue_toks  # an infinitive of purpose counts too: "went out of his way to criticize"
    if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.i < verb.i:
        head = head.head  # "are more likely to say", "should be able to expect"
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


def _colon_lines(ctx: Ctx, quotes: list[Quote]) -> list[Quote]:
    """"Dr. Jane Roe: We will appeal." / "Q: ..." — a name and a colon open the sentence."""
    doc, text, out = ctx.doc, ctx.text, []
    for start, end in ctx.sent_bounds:
        while start < end and doc[start].text in QUOTE_MARK_TOKENS:
            start += 1  # a transcript pasted as one quotation per turn: "WALLACE: ...
        colon = next((t for t in doc[start:min(end, start + MAX_COLON_NAME + 1)]
                      if t.text == ":"), None)
        if colon is None or colon.i == start:
            continue
        line_start = text.rfind("\n", 0, doc[start].idx) + 1
        if not text[line_start:doc[start].idx].strip(QUOTE_CHARS):
            # a speaker label opening a line holds the floor to the end of the paragraph
            line_end = text.find("\n", colon.idx)
            line_end = len(text) if line_end < 0 else line_end
            end = next((t.i for t in doc[colon.i:] if t.idx >= line_end), len(doc))
        if end - colon.i < 4:
            continue
        name = doc[start:colon.i]
        if name.text.lower() in source_words().label:
            continue  # "Breaking: ...", "UPDATE: ...": a heading, not a speaker
        single = len(name) == 1 and name[0].text in ("Q", "A")
        if not single and not (
                name[-1].ent_type_ in ("PERSON", "ORG") and all(t.ent_type_ for t in name)) \
                and not all(_name_like(t) for t in name):
            continue
        s, e = trim(doc, colon.i + 1, end)
        if e - s < 3:
            continue
        cs, ce = char_range(doc, s, e)
        q = enclosing(ctx.marks, cs, ce)
        if q and q[0] < doc[start].idx:
            q = (cs, q[1])  # the quotation opens before the label: the words are the turn
        ranges, kind = ([q], "direct") if q else ([(cs, ce)], "indirect")
        out.append(_make(ctx, quotes + out, ":", [colon], name[-1], ranges, kind, "speech",
                         source_range=(start, colon.i)))
    return out


def _dash_bylines(ctx: Ctx, quotes: list[Quote]) -> list[Quote]:
    """“We deserve better.” ― Ana Ruiz: a quotation signed with a dash and a name that ends
    the line (vox pops, reader responses, epigraphs)."""
    doc, text, out = ctx.doc, ctx.text, []
    for m in DASH_BYLINE.finditer(text):
        body_start = text.rfind("\n", 0, m.start()) + 1
        body = text[body_start:m.start()]
        lead = len(body) - len(body.lstrip())
        if not body.strip() or body.strip()[0] not in "\"“”'‘" \
                or body.rstrip()[-1] not in "\"“”'’":
            continue
        name = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
        dash = doc.char_span(m.start("dash"), m.end("dash"), alignment_mode="expand")
        if name is None or dash is None or not all(_name_like(t) for t in name):
            continue
        ranges = [(body_start + lead, body_start + len(body.rstrip()))]
        ctx.used.update(q for q in ctx.marks if ranges[0][0] <= q[0] < ranges[0][1])
        q = _make(ctx, quotes + out, "―", list(dash), name[-1], ranges, "direct", "speech",
                  source_range=(name.start, name.end))
        if q.source_class == "organisation" and not any(
                t.lemma_.lower() in source_words().org for t in name):
            q.source_class = "named"  # a signature is a person's, whatever NER guessed
        out.append(q)
    return out


def _name_like(tok: Token) -> bool:
    """A word of a headline or transcript speaker label ("Sen. Ben Carson:", "TAPPER:")."""
    return tok.pos_ in ("PROPN", "NOUN") and (tok.is_title or tok.is_upper) or tok.text == "."


def _make(ctx: Ctx, quotes: list[Quote], cue: str, cue_toks: list[Token],
          subject: Token | None, ranges: list[tuple[int, int]], kind: str,
          cue_class: str = "phrase", source_range: tuple[int, int] | None = None) -> Quote:
    rec = ctx.rec
    span = make_span(rec, *ranges[0])
    quote = Quote(text=span.text, kind=kind, cue=cue, span=span, cue_class=cue_class)
    quote.cue_span = make_span(rec, cue_toks[0].idx, cue_toks[-1].idx + len(cue_toks[-1].text))
    quote.extra_spans = [make_span(rec, a, b) for a, b in ranges[1:]]
    if subject is not None:
        # a headline "Name: ..." parses as one clause: the name alone is the source
        s, e = source_range or noun_phrase(subject)
        if s < cue_toks[0].i < e and cue_toks[-1].dep_ == "acl":
            # "Democrats urging him to ...": the source ends at the cue
            e = trim(subject.doc, s, min(e, cue_toks[0].left_edge.i))[1]
        quote.speaker_span = make_span(rec, *char_range(subject.doc, s, e))
        s, e = ctx.sent(subject)
        who = describe(subject, rec, quotes, ctx.text[ctx.doc[s].idx:ctx.doc[e - 1].idx + 1])
        quote.speaker, quote.speaker_role, quote.source_class = (
            who.speaker, who.role, who.source_class)
        if source_range and ":" in quote.speaker:
            quote.speaker = quote.speaker_span.text  # "Kasich: Party ...": NER ran on
        if not quote.speaker_role and quote.speaker:  # "said Shaheen": the role given before
            quote.speaker_role = next((q.speaker_role for q in reversed(quotes)
                                       if q.speaker == quote.speaker and q.speaker_role), "")
    else:
        quote.source_class = "unknown"
    return quote


def _bare(gap: str, marks: str) -> str:
    """What is left of ``gap`` without whitespace (non-breaking spaces too) and ``marks``."""
    return "".join(c for c in gap if not c.isspace() and c not in marks)


def _join_continuations(ctx: Ctx, quotes: list[Quote]) -> None:
    """“A,” said X. “B.” — B, left without a cue, continues X's quote A."""
    text, rec, marks, used = ctx.text, ctx.rec, ctx.marks, ctx.used
    # a direct quote, or reported speech that ends in a quotation, can run on
    direct = sorted((q for q in quotes if q.span and (q.kind == "direct" or (
        q.kind == "mixed" and q.span.text[-1:] in (CLOSE, '"', "'")))),
                    key=lambda q: q.span.start)
    for a, b in marks:
        if (a, b) in used:
            continue
        prev = [q for q in direct if q.span.end <= a]
        if not prev:
            continue
        q = prev[-1]
        last = max([q.span.end, *(s.end for s in q.extra_spans),
                    q.cue_span.end if q.cue_span else 0,
                    q.speaker_span.end if q.speaker_span else 0])
        if last > a:
            continue
        # the next part starts the sentence right after the one that holds the attribution
        sent_end = ctx.sent_end_char(last)
        if sent_end > a and not text[a:sent_end].strip(QUOTE_CHARS):
            sent_end = a  # the splitter left the opening mark on the attribution sentence
        gap = text[last:a]
        if "\n" in gap:
            # wire style: an unattributed quotation opening the next paragraph goes on
            # with the same speaker, also after "X told the Herald in an interview."
            if gap.count("\n") > 2 or (_bare(gap, ".!?") and (
                    sent_end > a or text[sent_end:a].strip())):
                continue
        elif (sent_end <= a and text[sent_end:a].strip()) or (
                sent_end > a and _bare(gap, ".,;:")):
            continue
        q.extra_spans.append(make_span(rec, a, b))
        used.add((a, b))
    # “A.” “B,” she said. — A, left without a cue, opens her quote
    for a, b in reversed(marks):
        if (a, b) in used or is_short(text, (a, b)):
            continue
        nxt = next((q for q in direct if q.span.start >= b), None)
        if nxt is None or text[b:nxt.span.start].strip() or "\n" in text[b:nxt.span.start]:
            continue
        nxt.extra_spans.insert(0, nxt.span)
        nxt.span = make_span(rec, a, b)
        nxt.text = nxt.span.text
        used.add((a, b))
