"""Quotes set by the page's layout rather than by a cue verb: transcript speaker labels
("TAPPER: ...", "Q: ..."), quotations signed with a dash and a name, and unattributed
quotations that continue the previous speaker's quote; with the one constructor every
Quote of :mod:`newswire.extract.quotes` is made by.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Token

from newswire.extract.attribution import noun_phrase, source_words
from newswire.extract.quote_content import Ctx, char_range, trim
from newswire.extract.quote_marks import CLOSE, enclosing, is_short
from newswire.extract.spans import make_span
from newswire.extract.speakers import describe, full_name
from newswire.model import ArticleRecord, Quote

MAX_COLON_NAME = 4
QUOTE_CHARS = " '\"“”‘’\n"
QUOTE_MARK_TOKENS = {'"', "“", "”", "''"}
# “...” ― Name, at the end of a line
DASH_BYLINE = re.compile(r"[^\S\n]*(?P<dash>[―—–]|--)[^\S\n]*(?P<name>[A-Z][\w.'’-]*"
                         r"(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})[^\S\n]*$", re.M)


def colon_lines(ctx: Ctx, quotes: list[Quote]) -> list[Quote]:
    """"Dr. Jane Roe: We will appeal." / "Q: ..." — a name and a colon open the sentence."""
    doc, text, out = ctx.doc, ctx.text, []
    for start, end in ctx.sent_bounds:
        while start < end and doc[start].text in QUOTE_MARK_TOKENS:
            start += 1  # a transcript pasted as one quotation per turn: "HOST: ...
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
        q = make_quote(ctx, quotes + out, ":", [colon], name[-1], ranges, kind, "speech",
                       source_range=(start, colon.i))
        if single:
            _interview_turn(ctx.rec, q, name[0].text)
        out.append(q)
    return out


def _interview_turn(rec: ArticleRecord, quote: Quote, label: str) -> None:
    """"Q:" is the interviewer; "A:" the person interviewed: the person the article names
    most often before the answer (an interview is introduced by name)."""
    if label == "Q":
        quote.speaker, quote.speaker_role, quote.source_class = "interviewer", "interviewer", \
            "unknown"
        return
    before = quote.cue_span.start if quote.cue_span else 0
    names = Counter(full_name(rec, m.text, m.span.start) for m in rec.mentions
                    if m.label == "PERSON" and m.span is not None and m.span.end <= before)
    if names:
        quote.speaker, quote.source_class = names.most_common(1)[0][0], "named"
    else:
        quote.speaker, quote.source_class = "interviewee", "unknown"


def dash_bylines(ctx: Ctx, quotes: list[Quote]) -> list[Quote]:
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
        q = make_quote(ctx, quotes + out, "―", list(dash), name[-1], ranges, "direct",
                       "speech", source_range=(name.start, name.end))
        if q.source_class == "organisation" and not any(
                t.lemma_.lower() in source_words().org for t in name):
            q.source_class = "named"  # a signature is a person's, whatever NER guessed
        out.append(q)
    return out


def _name_like(tok: Token) -> bool:
    """A word of a headline or transcript speaker label ("Sen. Ben Carson:", "TAPPER:")."""
    return tok.pos_ in ("PROPN", "NOUN") and (tok.is_title or tok.is_upper) or tok.text == "."


def make_quote(ctx: Ctx, quotes: list[Quote], cue: str, cue_toks: list[Token],
               subject: Token | None, ranges: list[tuple[int, int]], kind: str,
               cue_class: str = "phrase", source_range: tuple[int, int] | None = None
               ) -> Quote:
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


def _reported_clause(ctx: Ctx, q: Quote) -> bool:
    """"said the port would close", not "gave a warning" or "urged them to stay"."""
    span = ctx.doc.char_span(q.span.start, q.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "ccomp"


def _quote_right_after(direct: list[Quote], text: str, b: int) -> Quote | None:
    """The quote (of ``direct``, sorted) that starts right after character ``b``, with
    nothing but spaces between."""
    nxt = next((q for q in direct if q.span.start >= b), None)
    return nxt if nxt is not None and not text[b:nxt.span.start].strip() else None


def join_continuations(ctx: Ctx, quotes: list[Quote]) -> None:
    """“A,” said X. “B.” — B, left without a cue, continues X's quote A."""
    text, rec, marks, used = ctx.text, ctx.rec, ctx.marks, ctx.used
    # a direct quote, reported speech that ends in a quotation, or a reported clause
    # ("X said A." then “B.” with no cue: B is X's too) can run on
    direct = sorted((q for q in quotes if q.span and (q.kind == "direct" or (
        q.kind == "mixed" and q.span.text[-1:] in (CLOSE, '"', "'")) or (
        q.kind == "indirect" and q.cue_class == "speech" and _reported_clause(ctx, q)))),
                    key=lambda q: q.span.start)
    for a, b in marks:
        if (a, b) in used:
            continue
        prev = [q for q in direct if q.span.end <= a]
        if not prev:
            continue
        q = prev[-1]
        if q.kind == "indirect" and (is_short(text, (a, b))
                                     or _quote_right_after(direct, text, b) is not None):
            # “Titanic” opening the next sentence is a title, not more speech; “A,” “B,”
            # said Y: A opens Y's quote (below)
            continue
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
        if q.kind == "indirect":
            # its own direct quote, so that the reported clause keeps its exact extent
            quotes.append(replace(q, text=text[a:b], kind="direct", span=make_span(rec, a, b),
                                  extra_spans=[]))
            direct.append(quotes[-1])
            direct.sort(key=lambda q: q.span.start)
        else:
            q.extra_spans.append(make_span(rec, a, b))
        used.add((a, b))
    # “A.” “B,” she said. — A, left without a cue, opens her quote
    for a, b in reversed(marks):
        if (a, b) in used or is_short(text, (a, b)):
            continue
        nxt = _quote_right_after(direct, text, b)
        if nxt is None or "\n" in text[b:nxt.span.start]:
            continue
        nxt.extra_spans.insert(0, nxt.span)
        nxt.span = make_span(rec, a, b)
        nxt.text = nxt.span.text
        used.add((a, b))
