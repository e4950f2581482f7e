"""Where a quote's parts are: the content phrase of a cue, its quotation, span trimming.

Helpers of :mod:`newswire.extract.quotes`, working on the parse and on character offsets of
the one text every span points into.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Token

from newswire.extract.quote_marks import CLOSE, closing_mark, enclosing, is_short, quote_marks
from newswire.model import ArticleRecord

SET_OFF = {",", CLOSE, '"', "''", "—", "–", "--"}
DEFAULT_ORDER = ("ccomp", "quote", "xcomp", "dobj", "prep", "para")
OBJ_PREPS = {"as", "for", "of", "to", "about"}
MAX_GAP_TOKENS = 12
# modifiers of the cue verb that PolNeAR counts as part of the cue ("on Monday rejected",
# "said Tuesday in an interview with CNN", "told Reuters"), when they stand next to it
WIDE_LEFT = ("aux", "auxpass", "neg", "advmod", "npadvmod", "prep", "punct")
WIDE_RIGHT = ("npadvmod", "prep", "advmod", "dative", "punct", "agent", "prt")
WORD_TAIL = re.compile(r"[\w-]*\w")
OBJECT_PRONOUNS = {"him", "her", "them", "me", "us", "you"}
AUDIENCE = {"reporter", "journalist", "crowd", "audience", "supporter", "viewer", "listener",
            "interviewer", "host", "voter", "member", "lawmaker", "official", "delegate"}
# a comma, dash or conjunction after a reported clause sets off what follows
STOP_TAIL = {",", ".", ";", "—", "–", "-", "--", "…", "and", "but", "or"}
ANSWER_WORDS = {"yes", "no", "so"}
LEADING_SKIP = {",", ":", "—", "–", "-", ";"}


class Ctx:
    """Per-document lookups, computed once: ``Token.sent`` and ``Doc.text`` rebuild each call."""

    def __init__(self, doc: Doc, rec: ArticleRecord) -> None:
        self.doc = doc
        self.rec = rec
        self.text = rec.text
        bounds = [(s.start, s.end) for s in doc.sents]
        self.sent_starts = [a for a, _ in bounds]
        self.sent_bounds = bounds
        self.sent_chars = [(s.start_char, s.end_char) for s in doc.sents]
        self.sent_char_starts = [a for a, _ in self.sent_chars]
        self.marks = quote_marks(self.text)
        self.long = [q for q in self.marks if not is_short(self.text, q)]
        self.long_starts = [a for a, _ in self.long]
        self.used: set[tuple[int, int]] = set()
        self.cue_words: frozenset[str] = frozenset()  # lemmas that are cues themselves

    def sent(self, tok: Token) -> tuple[int, int]:
        """Token range of the sentence holding ``tok``."""
        return self.sent_bounds[bisect_right(self.sent_starts, tok.i) - 1]

    def sent_end_char(self, char: int) -> int:
        """End offset of the sentence holding character ``char``."""
        i = bisect_right(self.sent_char_starts, char) - 1
        return self.sent_chars[max(i, 0)][1]

    def in_quotation(self, char: int) -> bool:
        i = bisect_right(self.long_starts, char) - 1
        return any(self.long[j][0] < char < self.long[j][1] for j in (i, i - 1) if j >= 0)


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading "that"/punctuation and trailing punctuation."""
    while start < end and (doc[start].lower_ in LEADING_SKIP or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) \
            and doc[end - 1].text not in (CLOSE, '"', "''"):
        end -= 1
    return start, end


def char_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def quote_near(ctx: Ctx, verb: Token, to_whom: bool = False) -> tuple[int, int] | None:
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
        if not inside and verb.dep_ in ("amod", "acl", "compound"):
            continue  # "“...” Then Norland-backed rebels attacked": a modifier reports nothing
        d = verb.idx - q[1] if q[1] <= verb.idx else q[0] - verb.idx
        if d < dist and adjacent(doc, verb, q, to_whom):
            best, dist = q, d
    return best


def addressee(tok: Token) -> bool:
    """An object that names who is spoken to ("told reporters", "told CNN", "urged them")."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.lower_ in OBJECT_PRONOUNS \
        or (tok.pos_ == "NOUN" and tok.lemma_.lower() in AUDIENCE)


def adjacent(doc: Doc, verb: Token, q: tuple[int, int], to_whom: bool = False) -> bool:
    """Only the source and a few adverbials may stand between a cue and its quotation."""
    lo, hi = (q[1], verb.idx) if q[1] <= verb.idx else (verb.idx + len(verb), q[0])
    between = doc.char_span(lo, hi, alignment_mode="contract")
    if between is None:
        return True
    if q[1] <= verb.idx and any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > verb.i
                                and not (to_whom and (addressee(c) or c.dep_ == "dobj"))
                                for c in verb.children):
        # "..., though she also mentioned the floods": the cue has content of its own; what a
        # quotation is told to is the audience ("..., he told the show")
        return False
    if q[1] <= verb.idx and _only_the_speaker(verb, between):
        return True  # “...,” James Roe, the director of the agency, said
    if q[0] >= verb.idx and verb.dep_ == "relcl" and any(
            c.dep_ in ("dobj", "ccomp") for c in verb.children):
        return False  # "said X, who likened it to a crash. “...”": the quote is X's
    return len(between) <= MAX_GAP_TOKENS and not any(
        (t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass")) or t.pos_ == "CCONJ"
        for t in between)


def _only_the_speaker(verb: Token, between) -> bool:
    """Between a quotation and its cue stand only the cue's subject (however long) and
    what modifies the cue itself."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.i > verb.i:
        return False
    lo, hi = subj.left_edge.i, subj.right_edge.i
    return all(lo <= t.i <= hi or t.is_punct or t.is_space or (
        t.head == verb and t.dep_ in ("aux", "advmod", "npadvmod", "neg")) for t in between)


def heads(verb: Token, how: str, cue_toks: list[Token], cue_order: tuple[str, ...] = (),
          cue_words: frozenset[str] = frozenset()) -> tuple[Token, Token, list[Token]] | None:
    """(first, last, extra cue tokens) of the content phrase found by ``how``."""
    if how in ("ccomp", "xcomp", "oprd", "acomp"):
        # "The gamble worked: she said turnout doubled": a clause before a colon or semicolon
        # is the writer's, though the parser hangs it on the cue too
        h = next((c for c in verb.children if c.dep_ == how and not (
            c.i < verb.i and any(t.text in (":", ";") for t in verb.doc[c.right_edge.i:verb.i]))),
            None)
        if h is None:
            return None
        # "said X is ready to A, secure B and improve C": the parser often hangs the later
        # verbs of the content on the cue; one without a subject or clause of its own
        # continues the content
        more = [c for c in verb.children if c.i > h.right_edge.i and c.dep_ == "conj"
                and c.lemma_.lower() not in cue_words]
        obj = next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < h.i), None)
        # "asked the court to pause ...", "pressed the mayor to sign ...": the object
        # opens the content
        first = obj if how == "xcomp" and obj is not None else h
        return (first, more[-1] if more else h, [])
    if how == "dobj":
        # "called both Obi and Duarte “unfit”": the parser may make the object a second
        # predicate
        oprd = [c for c in verb.rights if c.dep_ == "oprd"]
        h = next((c for c in verb.children if c.dep_ == "dobj"), None) or (
            oprd[0] if len(oprd) > 1 else None)
        if h is None:
            return None
        # "called him a liar", "blasted the media for being dishonest": the predicate
        # belongs to the content
        pred = [c for c in verb.children if c.i > h.i and (
            c.dep_ in ("oprd", "ccomp", "xcomp") or c.dep_ == "prep")]
        if not pred and "addressee" in cue_order and addressee(h):
            return None  # "he told Fox News": whom it was said to, not what
        return (h, pred[-1] if pred else h, [])
    if how == "prep":
        mark = next((t for t in cue_toks[1:] if t.dep_ == "mark" and t.head.head == verb), None)
        if mark is not None and mark.i + 1 < mark.head.right_edge.i:
            return (mark.nbor(), mark.head, [])  # "called for X to resign"
        preps = [t for t in cue_toks[1:] if t.dep_ == "prep"] or [
            c for c in verb.children if c.dep_ == "prep" and c.i > verb.i]
        for prep in preps[:1]:
            obj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                # "talked about X": the preposition right after the verb is part of the cue
                extra = [prep] if prep.i == cue_toks[-1].i + 1 else []
                # "called on X to resign": the predicate after the object is content too
                pred = [c for c in verb.children
                        if c.i > obj.i and c.dep_ in ("xcomp", "ccomp", "oprd")]
                return (obj, pred[-1] if pred else obj, extra)
    return None


def content_of(ctx: Ctx, verb: Token, order: tuple[str, ...], cue_toks: list[Token]):
    """(char ranges, kind, extra cue tokens) of what the cue attributes, or None."""
    found = _content_of(ctx, verb, order, cue_toks)
    if found is None and "addressee" in order:
        # "he told reporters.": nothing but the audience; PolNeAR still marks it
        found = _content_of(ctx, verb, tuple(h for h in order if h != "addressee"), cue_toks)
    if found is None and verb.i + 1 < len(verb.doc) and verb.nbor().lower_ in ANSWER_WORDS:
        nxt = verb.nbor()  # "46 percent said yes", "he said no"
        found = [(nxt.idx, nxt.idx + len(nxt.text))], "indirect", []
    if found is None:
        found = _what_it_is_about(verb)
    return found


def _what_it_is_about(verb: Token) -> tuple[list[tuple[int, int]], str, list] | None:
    """With no clause or object to report, "The plan was criticized by X" is about the plan
    (PolNeAR marks the passive subject as the content)."""
    doc = verb.doc
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.i > verb.i or subj.lower_ in ("who", "which", "that"):
        return None
    s, e = trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
    return ([char_range(doc, s, e)], "indirect", []) if s < e else None


def _content_of(ctx: Ctx, verb: Token, order: tuple[str, ...], cue_toks: list[Token]):
    doc, marks = verb.doc, ctx.marks
    for how in order or DEFAULT_ORDER:
        if how in ("ccomp", "xcomp", "oprd", "acomp", "dobj", "prep"):
            found = heads(verb, how, cue_toks, order, ctx.cue_words)
            if found is None:
                continue
            first, last, extra = found
            s, e = trim(doc, first.left_edge.i, last.right_edge.i + 1)
            if s >= e:
                continue
            cs, ce = closing_mark(marks, *whole_words(ctx.text, *char_range(doc, s, e)))
            q = enclosing(marks, cs, ce)
            if q is not None:
                return [q], "direct", extra
            kind = "mixed" if any(cs <= a and b <= ce for a, b in marks) else "indirect"
            return [(cs, ce)], kind, extra
        if how == "quote":
            q = quote_near(ctx, verb, "addressee" in order)
            if q is not None and not _inside_complement(verb, q):
                return [q], "direct", []
        if how == "para" and verb.dep_ in ("parataxis", "ccomp", "ROOT", "conj", "advcl"):
            rngs = main_clause(ctx, verb)
            if rngs:
                q = enclosing(marks, rngs[0][0], rngs[-1][1])
                return ([q], "direct", []) if q is not None else (rngs, "indirect", [])
    return None


def whole_words(text: str, cs: int, ce: int) -> tuple[int, int]:
    """Never end inside a hyphenated word: the parser sometimes stops at "the re" in
    "the re-election of ..."."""
    if text[ce:ce + 1] == "-" and text[ce + 1:ce + 2].isalnum():
        m = WORD_TAIL.match(text, ce)
        ce = m.end() if m else ce
    return cs, ce


def _inside_complement(verb: Token, q: tuple[int, int]) -> bool:
    """"called Clinton's use of email “extremely careless”": the quotation is only part of
    the cue's object phrase, which is the content."""
    comps = [c for c in verb.rights if c.dep_ in ("dobj", "ccomp", "oprd", "xcomp")]
    if not comps:
        return False
    doc = verb.doc
    lo = min(doc[c.left_edge.i].idx for c in comps)
    hi = max(c.right_edge.idx + len(c.right_edge) for c in comps)
    before = doc.char_span(lo, q[0], alignment_mode="contract") if lo < q[0] else None
    return q[1] <= hi + 1 and before is not None and sum(not t.is_punct for t in before) >= 2


def main_clause(ctx: Ctx, verb: Token) -> list[tuple[int, int]]:
    """"Terrorism will be addressed, said an official" / "Acts of protest, he said, are ...":
    the clause the cue is set off from, in one or two parts."""
    doc = verb.doc
    head = verb.head
    if verb.dep_ == "ROOT" or ctx.sent(head) != ctx.sent(verb):
        return []
    lo, hi = verb.left_edge.i, verb.right_edge.i + 1
    sub = next((c for c in verb.lefts if c.dep_ in ("nsubj", "nsubjpass")), None)
    if sub is not None and lo < sub.left_edge.i and doc[sub.left_edge.i - 1].text in SET_OFF:
        # "After the court ruled, Hebert said, most laws ...": the parser hangs the clause
        # before the source on the cue; it belongs to the content
        lo = sub.left_edge.i
    # the cue must be set off from the clause it attributes by a comma, dash or quote mark
    # (the parser may hang those marks on the cue itself)
    inner_lo, inner_hi = lo, hi
    while inner_lo < verb.i and doc[inner_lo].is_punct:
        inner_lo += 1
    while inner_hi > verb.i + 1 and doc[inner_hi - 1].is_punct:
        inner_hi -= 1
    as_clause = verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    if as_clause:  # "As the Times noted, Clinton raised ...": the clause it modifies
        pass
    elif verb.dep_ == "advcl":  # "He left, saying ...": not the content
        return []
    elif inner_lo == 0 or doc[inner_lo - 1].text not in SET_OFF:
        return []
    elif verb.i < head.i and (inner_hi >= len(doc) or doc[inner_hi].text not in SET_OFF):
        return []
    out = []
    for s, e in ((head.left_edge.i, lo), (hi, head.right_edge.i + 1)):
        s, e = trim(doc, s, e)
        if e - s >= 2:
            out.append(char_range(doc, s, e))
    return out


def widen(verb: Token, cue_toks: list[Token], ranges: list[tuple[int, int]]) -> list[Token]:
    """The cue with the verb's adverbials on either side, up to the source and the content."""
    doc = verb.doc

    def free(t: Token) -> bool:
        a, b = doc[t.left_edge.i].idx, t.right_edge.idx + len(t.right_edge)
        return not any(a < e and s < b for s, e in ranges)

    lo, hi = cue_toks[0].i, cue_toks[-1].i
    for child in reversed(list(verb.lefts)):
        if child.right_edge.i != lo - 1 or child.dep_ not in WIDE_LEFT or not free(child):
            break
        lo = child.left_edge.i
    for child in verb.rights:
        if child.i <= hi:
            continue
        if child.left_edge.i != hi + 1 or child.dep_ not in WIDE_RIGHT or not free(child):
            break
        hi = child.right_edge.i
    while lo < verb.i and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ == "cc"):
        lo += 1
    while hi > verb.i and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    if lo == cue_toks[0].i and hi == cue_toks[-1].i:
        return cue_toks
    return list(doc[lo:hi + 1])


def with_subject(verb: Token, cue_toks: list[Token], ranges: list[tuple[int, int]],
                 dep: str = "nsubj") -> list[tuple[int, int]]:
    """"The mayor appeared to have the most to lose": the subject is part of the impression."""
    sub = next((c for c in verb.children if c.dep_ == dep and c.i < cue_toks[0].i), None)
    if sub is None or sub.lower_ in ("it", "this", "that", "there"):
        return ranges
    s, e = trim(verb.doc, sub.left_edge.i, sub.right_edge.i + 1)
    if s >= e or e > cue_toks[0].i:
        return ranges
    return [char_range(verb.doc, s, e), *ranges]


def to_sentence_end(ctx: Ctx, verb: Token, ranges: list[tuple[int, int]]
                    ) -> list[tuple[int, int]]:
    """"said A is hurting B and diverting C": the parser often cuts a reported clause
    short; what follows the cue's content up to the end of the sentence belongs to it."""
    if not ranges or ranges[-1][0] < verb.idx:
        return ranges
    doc = verb.doc
    last = ranges[-1]
    end_tok = doc.char_span(last[1] - 1, last[1], alignment_mode="expand")
    if not end_tok or end_tok[-1].i + 1 >= ctx.sent(verb)[1]:
        return ranges
    nxt = doc[end_tok[-1].i + 1]
    # a comma, dash or conjunction sets off what follows: PolNeAR ends the content there
    # more often than not (PolNeAR train)
    if nxt.lower_ in STOP_TAIL or nxt.i < ctx.sent(verb)[0]:
        return ranges
    s, e = trim(doc, nxt.i, ctx.sent(verb)[1])
    if s >= e:
        return ranges
    end = doc[e - 1].idx + len(doc[e - 1].text)
    return [*ranges[:-1], (last[0], max(end, last[1]))]
