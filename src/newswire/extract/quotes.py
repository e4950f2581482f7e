"""Quotes and attribution: who said (or believes, or plans) what, with spans for all three parts.

For every cue (a reporting verb from ``data/quote_cues.tsv`` or "according to") the
source is its subject and the content its clausal complement, an adjacent quotation,
or the main clause it is appended to ("..., X said").  Direct quotes split by their
attribution (“A,” said X. “B.”) become one Quote with the later parts in ``extra_spans``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Token

from newswire.extract.attribution import describe, noun_phrase, source_words
from newswire.extract.spans import make_span, sentence_index
from newswire.model import ArticleRecord, Quote

OPEN, CLOSE = "“", "”"
MARKS = re.compile("''|[“”\"\n]")
SUBJECTS = ("nsubj", "csubj")
INHERIT_SUBJECT = ("conj", "xcomp", "advcl", "relcl", "acl")
SET_OFF = {",", CLOSE, '"', "''", "—", "–", "--"}
DEFAULT_ORDER = ("ccomp", "quote", "xcomp", "dobj", "prep", "para")
CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
NESTED = ("xcomp", "ccomp", "csubj")
OBJ_PREPS = {"as", "for", "of", "to", "about"}
MIN_QUOTE_WORDS = 4
MAX_COLON_NAME = 4
MAX_GAP_TOKENS = 12
LEADING_SKIP = {"that", ",", ":", "—", "–", "-", ";"}


class _Ctx:
    """Per-document lookups, computed once: ``Token.sent`` and ``Doc.text`` rebuild each call."""

    def __init__(self, doc: Doc, rec: ArticleRecord) -> None:
        self.doc = doc
        self.rec = rec
        self.text = rec.text
        bounds = [(s.start, s.end) for s in doc.sents]
        self.sent_starts = [a for a, _ in bounds]
        self.sent_bounds = bounds
        self.marks = quote_marks(self.text)
        self.long = [q for q in self.marks if not _short(self.text, q)]
        self.long_starts = [a for a, _ in self.long]
        self.used: set[tuple[int, int]] = set()

    def sent(self, tok: Token) -> tuple[int, int]:
        """Token range of the sentence holding ``tok``."""
        return self.sent_bounds[bisect_right(self.sent_starts, tok.i) - 1]

    def in_quotation(self, char: int) -> bool:
        i = bisect_right(self.long_starts, char) - 1
        return any(self.long[j][0] < char < self.long[j][1] for j in (i, i - 1) if j >= 0)


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


def quote_marks(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included.

    A quotation still open at a line break ends there: wire style leaves the closing
    mark off when a quote runs on into the next paragraph.
    """
    spans: list[tuple[int, int]] = []
    curly: int | None = None
    straight: int | None = None
    double_single: int | None = None
    for m in MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            for start in (curly, straight, double_single):
                if start is not None and i - start > 2:
                    spans.append((start, i))
            curly = straight = double_single = None
        elif ch == OPEN:
            curly = i
        elif ch == CLOSE and curly is not None:
            spans.append((curly, i + 1))
            curly = None
        elif ch == "''":
            if double_single is None:
                double_single = i
            else:
                spans.append((double_single, i + 2))
                double_single = None
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
    for start in (curly, straight, double_single):
        if start is not None and len(text) - start > 2:
            spans.append((start, len(text)))
    return sorted(spans)


def _cue_for(tok: Token, table: dict[str, Cue], sent_start: int = 0
             ) -> tuple[Cue, list[Token]] | None:
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "aux":
        return None
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in ("prt", "prep"):
            cue = table.get(f"{lemma} {child.lower_}")
            if cue is not None:
                return cue, [tok, child]
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


def _subject(verb: Token) -> Token | None:
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ in SUBJECTS:
                return child
            if child.dep_ in ("aux", "auxpass"):  # the parser sometimes hangs it there
                sub = next((g for g in child.children if g.dep_ in SUBJECTS), None)
                if sub is not None:
                    return sub
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head
        if tok.dep_ not in INHERIT_SUBJECT or tok.head == tok:
            return None
        tok = tok.head
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading "that"/punctuation and trailing punctuation."""
    while start < end and (doc[start].lower_ in LEADING_SKIP or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) \
            and doc[end - 1].text not in (CLOSE, '"', "''"):
        end -= 1
    return start, end


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _quote_near(ctx: _Ctx, verb: Token) -> tuple[int, int] | None:
    """The quotation the cue introduces or closes: in its sentence or touching it."""
    text, doc = ctx.text, ctx.doc
    s, e = ctx.sent(verb)
    lo, hi = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    best, dist = None, 10**9
    for q in ctx.long:
        if q[1] < lo - 3 or q[0] > hi + 3 or q in ctx.used or q[0] <= verb.idx < q[1]:
            continue
        inside = q[0] < hi and q[1] > lo
        # a quotation in a neighbouring sentence of the same paragraph
        before = q[1] <= lo and not text[q[1]:lo].strip() and "\n" not in text[q[1]:lo]
        after = (q[0] >= hi and not text[hi:q[0]].strip() and "\n" not in text[hi:q[0]]
                 and text[lo:hi].rstrip()[-1:] in ":,")
        if not (inside or before or after):
            continue
        d = verb.idx - q[1] if q[1] <= verb.idx else q[0] - verb.idx
        if d < dist and _adjacent(doc, verb, q):
            best, dist = q, d
    return best


def _short(text: str, q: tuple[int, int]) -> bool:
    """A scare quote ("so-called “over-the-horizon” attacks"), not a quotation."""
    return len(text[q[0]:q[1]].split()) < MIN_QUOTE_WORDS


def _adjacent(doc: Doc, verb: Token, q: tuple[int, int]) -> bool:
    """Only the source and a few adverbials may stand between a cue and its quotation."""
    lo, hi = (q[1], verb.idx) if q[1] <= verb.idx else (verb.idx + len(verb), q[0])
    between = doc.char_span(lo, hi, alignment_mode="contract")
    if between is None:
        return True
    return len(between) <= MAX_GAP_TOKENS and not any(
        t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass") for t in between)


def _heads(verb: Token, how: str, cue_toks: list[Token]) -> tuple[Token, Token, list[Token]] | None:
    """(first, last, extra cue tokens) of the content phrase found by ``how``."""
    if how in ("ccomp", "xcomp"):
        h = next((c for c in verb.children if c.dep_ == how), None)
        return (h, h, []) if h is not None else None
    if how == "dobj":
        h = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if h is None:
            return None
        # "called him a liar", "blasted the media for being dishonest": the predicate
        # belongs to the content
        pred = [c for c in verb.children if c.i > h.i and (
            c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ in OBJ_PREPS))]
        return (h, pred[-1] if pred else h, [])
    if how == "prep":
        preps = [t for t in cue_toks[1:] if t.dep_ == "prep"] or [
            c for c in verb.children if c.dep_ == "prep" and c.i > verb.i]
        for prep in preps[:1]:
            obj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                # "talked about X": the preposition right after the verb is part of the cue
                extra = [prep] if prep.i == cue_toks[-1].i + 1 else []
                return (obj, obj, extra)
    return None


def _content(ctx: _Ctx, verb: Token, cue: Cue, cue_toks: list[Token]):
    """(char ranges, kind, extra cue tokens) of what the cue attributes, or None."""
    doc, marks = verb.doc, ctx.marks
    for how in cue.content or DEFAULT_ORDER:
        if how in ("ccomp", "xcomp", "dobj", "prep"):
            found = _heads(verb, how, cue_toks)
            if found is None:
                continue
            first, last, extra = found
            s, e = _trim(doc, first.left_edge.i, last.right_edge.i + 1)
            if s >= e:
                continue
            cs, ce = _closing_mark(marks, *_chars(doc, s, e))
            q = _enclosing(marks, cs, ce)
            if q is not None:
                return [q], "direct", extra
            kind = "mixed" if any(cs <= a and b <= ce for a, b in marks) else "indirect"
            return [(cs, ce)], kind, extra
        if how == "quote":
            q = _quote_near(ctx, verb)
            if q is not None:
                return [q], "direct", []
        if how == "para" and verb.dep_ in ("parataxis", "ccomp", "ROOT", "conj"):
            rngs = _main_clause(ctx, verb)
            if rngs:
                q = _enclosing(marks, rngs[0][0], rngs[-1][1])
                return ([q], "direct", []) if q is not None else (rngs, "indirect", [])
    return None


def _closing_mark(marks, cs: int, ce: int) -> tuple[int, int]:
    """Extend a clause to the closing mark of a quotation it opened: 'is in “serious trouble.”'."""
    for a, b in marks:
        if cs <= a < ce < b <= ce + 3:
            return cs, b
    return cs, ce


def _enclosing(marks, cs: int, ce: int) -> tuple[int, int] | None:
    for a, b in marks:
        if a <= cs + 1 and ce - 1 <= b and (b - a) > (ce - cs) // 2:
            return (a, b)
    return None


def _main_clause(ctx: _Ctx, verb: Token) -> list[tuple[int, int]]:
    """"Terrorism will be addressed, said an official" / "Acts of protest, he said, are ...":
    the clause the cue is set off from, in one or two parts."""
    doc = verb.doc
    head = verb.head
    if verb.dep_ == "ROOT" or ctx.sent(head) != ctx.sent(verb):
        return []
    lo, hi = verb.left_edge.i, verb.right_edge.i + 1
    # the cue must be set off from the clause it attributes by a comma, dash or quote mark
    # (the parser may hang those marks on the cue itself)
    inner_lo, inner_hi = lo, hi
    while inner_lo < verb.i and doc[inner_lo].is_punct:
        inner_lo += 1
    while inner_hi > verb.i + 1 and doc[inner_hi - 1].is_punct:
        inner_hi -= 1
    if inner_lo == 0 or doc[inner_lo - 1].text not in SET_OFF:
        return []
    if verb.i < head.i and (inner_hi >= len(doc) or doc[inner_hi].text not in SET_OFF):
        return []
    out = []
    for s, e in ((head.left_edge.i, lo), (hi, head.right_edge.i + 1)):
        s, e = _trim(doc, s, e)
        if e - s >= 2:
            out.append(_chars(doc, s, e))
    return out


def _according(ctx: _Ctx, tok: Token
               ) -> tuple[list[Token], Token, tuple[int, int] | None] | None:
    """"according to X, ...": (cue tokens, source head, content chars)."""
    if tok.lower_ != "according":
        return None
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    doc = tok.doc
    sent_start, sent_end = ctx.sent(tok)
    # the rest of the sentence, less the "according to X" phrase, is the content
    lo, hi = tok.left_edge.i, max(pobj.right_edge.i, nxt.i) + 1
    if lo - sent_start > sent_end - hi:
        s, e = _trim(doc, sent_start, lo)
    else:
        s, e = _trim(doc, hi, sent_end)
    content = _chars(doc, s, e) if e - s >= 2 else None
    return [tok, nxt], pobj, content


def extract(doc: Doc, rec: ArticleRecord) -> list[Quote]:
    table = cue_table()
    ctx = _Ctx(doc, rec)
    quotes: list[Quote] = []
    for tok in doc:
        if tok.lower_ == "according":
            acc = _according(ctx, tok)
            if acc is not None and acc[2] is not None:
                cue_toks, source, content = acc
                q = _enclosing(ctx.marks, *content)
                ranges, kind = ([q], "direct") if q else ([content], "indirect")
                quotes.append(_make(ctx, quotes, "according to", cue_toks, source, ranges, kind))
            continue
        if tok.pos_ == "ADJ":
            found = _stance_cue(tok, table)
        elif tok.pos_ in ("VERB", "AUX"):
            found = _cue_for(tok, table, ctx.sent(tok)[0]) or _stance_cue(tok, table)
        else:
            continue
        # a cue inside a quotation is the quoted speaker's own words, not the article's
        if found is None or ctx.in_quotation(tok.idx):
            continue
        cue, cue_toks = found
        if tok.dep_ in NESTED and _cue_for(tok.head, table) is not None:
            # "declined to discuss", "said he believes": part of the outer cue's content
            continue
        got = _content(ctx, tok, cue, cue_toks)
        if got is None:
            continue
        ranges, kind, extra = got
        cue_toks = sorted(set(cue_toks) | set(extra), key=lambda t: t.i)
        if kind == "direct":
            ctx.used.update(ranges)
        subject = _subject(tok.head if tok.dep_ == "acomp" else tok)
        if subject is not None and subject.dep_ == "expl" or (
                subject is not None and subject.lower_ == "it" and cue.klass == "belief"):
            subject = None  # "It seems certain that ...": no one holds this view
        if subject is None and tok.tag_ == "VB" and tok.dep_ in ("ROOT", "acl"):
            continue  # imperatives and "a chance to say": nobody is reported saying anything
        quotes.append(_make(ctx, quotes, cue.name, cue_toks, subject, ranges, kind, cue.klass))
    quotes.extend(_colon_lines(ctx, quotes))
    quotes.sort(key=lambda q: q.cue_span.start if q.cue_span else 0)
    _join_continuations(ctx, quotes)
    return quotes


def _colon_lines(ctx: _Ctx, quotes: list[Quote]) -> list[Quote]:
    """"Dr. Jane Roe: We will appeal." / "Q: ..." — a name and a colon open the sentence."""
    doc, out = ctx.doc, []
    for start, end in ctx.sent_bounds:
        colon = next((t for t in doc[start:min(end, start + MAX_COLON_NAME + 1)]
                      if t.text == ":"), None)
        if colon is None or colon.i == start or end - colon.i < 4:
            continue
        name = doc[start:colon.i]
        single = len(name) == 1 and name[0].text in ("Q", "A")
        if not single and not (
                name[-1].ent_type_ in ("PERSON", "ORG") and all(t.ent_type_ for t in name)):
            continue
        s, e = _trim(doc, colon.i + 1, end)
        if e - s < 3:
            continue
        cs, ce = _chars(doc, s, e)
        q = _enclosing(ctx.marks, cs, ce)
        ranges, kind = ([q], "direct") if q else ([(cs, ce)], "indirect")
        out.append(_make(ctx, quotes + out, ":", [colon], name[-1], ranges, kind, "speech"))
    return out


def _make(ctx: _Ctx, quotes: list[Quote], cue: str, cue_toks: list[Token],
          subject: Token | None, ranges: list[tuple[int, int]], kind: str,
          cue_class: str = "phrase") -> Quote:
    rec = ctx.rec
    span = make_span(rec, *ranges[0])
    quote = Quote(text=span.text, kind=kind, cue=cue, span=span, cue_class=cue_class)
    quote.cue_span = make_span(rec, cue_toks[0].idx, cue_toks[-1].idx + len(cue_toks[-1].text))
    quote.extra_spans = [make_span(rec, a, b) for a, b in ranges[1:]]
    if subject is not None:
        s, e = noun_phrase(subject)
        quote.speaker_span = make_span(rec, *_chars(subject.doc, s, e))
        s, e = ctx.sent(subject)
        who = describe(subject, rec, quotes, ctx.text[ctx.doc[s].idx:ctx.doc[e - 1].idx + 1])
        quote.speaker, quote.speaker_role, quote.source_class = (
            who.speaker, who.role, who.source_class)
        if not quote.speaker_role and quote.speaker:  # "said Shaheen": the role given before
            quote.speaker_role = next((q.speaker_role for q in reversed(quotes)
                                       if q.speaker == quote.speaker and q.speaker_role), "")
    else:
        quote.source_class = "unknown"
    return quote


def _join_continuations(ctx: _Ctx, quotes: list[Quote]) -> None:
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
        sent_end = rec.sentences[sentence_index(rec, last)][1]
        gap = text[last:a]
        if "\n" in gap or (sent_end < a and text[sent_end:a].strip()) or (
                sent_end >= a and gap.strip(" .,;:")):
            continue
        q.extra_spans.append(make_span(rec, a, b))
        used.add((a, b))
