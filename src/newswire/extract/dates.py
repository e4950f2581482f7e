"""Temporal expressions → :class:`DateRef` intervals relative to the publication date.

Candidates are spaCy DATE entities, TIME entities that name a day ("Friday night"),
and a few words the NER never tags but that are temporal references ("now",
"recently", "the past", "the future").  Each is normalised by
:func:`newswire.extract.timenorm.normalise`; ages ("46-year-old") are dropped.
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from newswire.coding import features as F
from newswire.extract.spans import make_span
from newswire.extract.timenorm import normalise
from newswire.extract.timex import Timex, day, quantity, tables, unit_interval
from newswire.model import ArticleRecord, DateRef

# leading words that belong to the sentence, not to the date ("on Friday", "since 2014")
_LEAD = re.compile(r"^(?:(?:on|in|since|by|until|till|during|from|at(?! least)|of|through|"
                   r"throughout|as (?:soon|early) as|"
                   r"as of|starting|beginning|for|within|before|after|between)\s+)+",
                   re.IGNORECASE)
_TRAIL = re.compile(r"(?:'s|\u2019s|[,;:.]+)$")
_DAYWORDS = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                       r"yesterday|today|tonight|tomorrow)\b", re.IGNORECASE)
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "\u2019ll", "would", "'d"}
# possibility looks ahead ("could come on Thursday") unless perfect ("could have come")
# or a negated "could", which in news is mostly past ("could not be reached on Monday")
_MODALS = {"may", "might", "could", "can", "ca", "should", "must"}
# "as soon as Thursday": the earliest a thing can happen, so not yet
_EARLIEST = re.compile(r"\bas (?:soon|early) as\s*$", re.IGNORECASE)
_SAME = re.compile(r"^(?:on |in |during |at )?(?:the )?(?:very )?same (\w+)$", re.IGNORECASE)
_TITLE_WORDS = {"Today", "Tonight", "Tomorrow", "Yesterday"}
# a quarter named outright ("the third quarter"), not one derived from another
_STATED_QUARTER = re.compile(r"\b(?:first|second|third|fourth|[1-4](?:st|nd|rd|th)|q[1-4])\b",
                             re.IGNORECASE)
# "the year ended Sept. 30", "Monday to Friday": two expressions in one entity
_SPLIT = re.compile(r"\s+(?:ended|ending|to|through|and|until|till)\s+", re.IGNORECASE)
_FUTURE_LEMMAS = {"plan", "schedule", "expect", "due", "set", "intend", "aim", "hope"}


@functools.cache
def _ref_tokens() -> frozenset[str]:
    return frozenset(tables()["ref_tokens"])


def extract(doc: Doc, rec: ArticleRecord) -> list[DateRef]:
    pub = rec.article.published
    out: list[DateRef] = []
    anchor = ""  # the last quarter mentioned: "a year earlier" is relative to it
    last = None  # the last date resolved: "the same day" is that one
    last_sent = -1
    for start, end in _candidates(doc, rec.text):
        text = rec.text[start:end]
        prev = doc.char_span(start, end, alignment_mode="expand")
        prev_word = doc[prev.start - 1].text if prev is not None and prev.start > 0 else ""
        when = tense(prev) if prev is not None and pub is not None else ""
        if when == "" and _EARLIEST.search(rec.text[max(0, start - 20):start]):
            when = "future"
        sent = make_span(rec, start, end).sentence
        if prev is not None and _idiom(prev, prev_word):
            if prev_word.lower() != "throughout" or last is None or last_sent != sent:
                continue
            tmx = last if last.granularity == "day" else None  # "on Friday … throughout the day"
        elif (shift := _chained(text)) is not None and last is not None \
                and sent - last_sent <= 1:
            tmx = _after(last, shift)
        elif (same := _SAME.match(text)) and tables()["same_units"].get(same.group(1).lower()):
            tmx = _same(tables()["same_units"][same.group(1).lower()], last)
        else:
            tmx = normalise(text, pub, when, anchor, prev_word)
        if tmx is None:
            if pub is None or not re.search(r"[^\W\d_]", text):
                continue  # "333 6846": digits alone that are no date are a phone number
            tmx = normalise(text, None)  # unresolvable: keep the expression, no interval
            if tmx is None:
                continue
        if tmx.kind == "age":
            continue
        if tmx.kind == "date" and tmx.start is not None:
            last, last_sent = tmx, sent
        if tmx.granularity == "quarter" and _STATED_QUARTER.search(text):
            anchor = tmx.value
        out.append(DateRef(text=text, start=tmx.start, end=tmx.end, granularity=tmx.granularity,
                           kind=tmx.kind, value=tmx.value, span=make_span(rec, start, end)))
    return out


def _same(unit: str, last: Timex | None) -> Timex | None:
    """ "The same day" is the day last talked about, not the publication date; with none
    before it, unresolved."""
    if last is None or last.start is None:
        return None
    if unit == "D" and last.granularity != "day":
        return None  # "in March … on the same day": which day is not said
    return unit_interval(unit, last.start, 0)


_CHAINED = re.compile(r"^(?:the |an? |one |(\w+) )?days? (later|after|earlier|before)$",
                      re.IGNORECASE)


def _chained(text: str) -> int | None:
    """Days from the date told just before: "a day later" +1, "the day before" -1, "three
    days later" +3; None when the phrase does not count from another date."""
    low = re.sub(r"\s+", " ", text.lower().strip())
    if low.removeprefix("the ") in tables()["chained_days"]:
        return tables()["chained_days"][low.removeprefix("the ")]
    m = _CHAINED.match(low)
    if not m:
        return None
    n = quantity(m.group(1)) if m.group(1) else 1
    if n is None or n != int(n) or not 0 < n < 32:
        return None
    return int(n) * (1 if m.group(2) in ("later", "after") else -1)


def _after(last: Timex, shift: int) -> Timex | None:
    """ "A day later" counts from the day before it; "a week ago … a day later" from the day
    a week back; a coarser date ("in March … the next day") leaves the day unknown."""
    base = last.point or (last.start if last.granularity == "day" else None)
    return day(base + timedelta(days=shift)) if base else None


def _idiom(span: Span, prev_word: str) -> bool:
    """ "the day of judgment", "throughout the day": a day that is no date (the caller keeps
    "throughout the day" when a day was named just before in the sentence)."""
    if span.text.lower() not in ("the day", "that day", "this day"):
        return False
    if prev_word.lower() == "throughout":
        return True
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ != "of":
        return False
    obj = next((c for c in doc[span.end].children if c.dep_ == "pobj"), None)
    return obj is not None and obj.ent_type_ not in ("DATE", "TIME") and not obj.like_num


def _candidates(doc: Doc, text: str) -> list[tuple[int, int]]:
    """(start_char, end_char) of each temporal expression, in text order."""
    found: list[tuple[int, int]] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and _DAYWORDS.search(ent.text)):
            taken.update(range(ent.start, ent.end))
            first = ent.start
            while first < ent.end and _not_date(doc[first]):
                first += 1  # "Theresa May yesterday": the name is no month
            if first == ent.end:
                continue
            end = ent.end
            if end < len(doc) and doc[end].lower_ in ("before", "after", "earlier", "later") \
                    and doc[end].dep_ == "advmod" and doc[end].head.i == end - 1:
                end += 1  # "the day before," is one expression, the NER stops at "day"
            for span in _split(doc[first:end], text):
                found.append(span)
    for tok in doc:
        if tok.i in taken:
            continue
        span = _ref_span(tok)
        if span:
            found.append(span)
    found.sort()
    return found


def _not_date(tok: Token) -> bool:
    """A programme title ("Radio 4's Today programme") or a person called May."""
    if tok.text in _TITLE_WORDS:  # capitalised mid-sentence: a name, as in "USA Today"
        before = tok.doc[tok.i - 1] if tok.i > 0 else None
        return before is not None and not tok.is_sent_start and (
            before.pos_ in ("PROPN", "PART", "NUM") or before.tag_ == "POS" or (
                before.lower_ == "the" and tok.dep_ == "compound"))  # "the Today programme"
    if tok.lower_ not in _name_months() or not tok.is_title:
        return False
    doc = tok.doc
    if tok.i + 1 < len(doc) and doc[tok.i + 1].like_num:
        return False  # "May 3", "May 2019"
    before = doc[tok.i - 1] if tok.i > 0 else None
    if before is not None and before.pos_ == "PROPN" and before.is_title and \
            before.lower_ not in tables()["months"] and before.lower_ not in tables()["weekdays"]:
        return True  # "Theresa May", "Mrs May"
    if before is not None and before.pos_ == "VERB":
        return True  # "to meet May tomorrow": a month after a verb takes a preposition
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX") and \
        tok.head.lemma_ not in tables()["month_subject_verbs"]  # "May is expected to …"


@functools.cache
def _name_months() -> frozenset[str]:
    return frozenset(tables()["name_months"])


def _split(ent: Span, text: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    pos = ent.start_char
    for m in _SPLIT.finditer(ent.text):
        pieces.append((pos, ent.start_char + m.start()))
        pos = ent.start_char + m.end()
    pieces.append((pos, ent.end_char))
    if len(pieces) > 1 and any(not _DATEISH.search(text[s:e]) for s, e in pieces):
        pieces = [(ent.start_char, ent.end_char)]  # "the end of the day and night": keep whole
    return [span for s, e in pieces if (span := _trim(text, s, e))]


_DATEISH = re.compile(r"\d|day|week|month|year|quarter|century|decade|spring|summer|fall|autumn|"
                      r"winter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|now|today|"
                      r"tomorrow|tonight|period|half|time", re.IGNORECASE)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    lead = _LEAD.match(text[start:end])
    start += lead.end() if lead else 0
    trail = _TRAIL.search(text[start:end])
    end -= len(trail.group(0)) if trail else 0
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _ref_span(tok: Token) -> tuple[int, int] | None:
    low = tok.lower_
    if low in _ref_tokens() and tok.pos_ == "ADV":
        return tok.idx, tok.idx + len(tok.text)
    if low in ("past", "future") and tok.pos_ in ("NOUN", "ADJ") and tok.i > 0:
        prev = tok.doc[tok.i - 1]
        if prev.lower_ == "the" and (low == "future" or tok.head.lower_ in ("in", "over")):
            return prev.idx, tok.idx + len(tok.text)
        if prev.lower_ == "near" and low == "future" and tok.i > 1:
            return tok.doc[tok.i - 2].idx, tok.idx + len(tok.text)
    if low == "recent" and tok.i + 1 < len(tok.doc):
        nxt = tok.doc[tok.i + 1]
        if nxt.lower_ in ("years", "months", "weeks", "days"):
            return tok.idx, nxt.idx + len(nxt.text)
    return None


def tense(span: Span) -> str:
    """ "future", "past", "settled" or "" (unclear) for the clause governing a date expression.

    Future: "will meet on Monday", "is to resume Tuesday", "set to resume Monday",
    "is expected in December", "meet Monday" (the news present for schedules).
    Past: simple past and perfect; "settled" when the date itself is past beyond doubt
    ("since February", "fought there in February", "February's offensive was …").
    Copulas and reporting verbs in the present ("is payable Jan. 2", "says") leave it open.
    """
    verb = _verb(span.root)
    if verb is None:
        return ""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX or "going" in words:
        return "future"
    if words & _MODALS and "have" not in words and not (
            "could" in words and any(c.dep_ == "neg" for c in verb.children)) \
            and not _on_a_noun(span):
        return "future"
    if _since(span, verb):
        return "settled"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_LEMMAS:
        return "future"
    if "to" in words:  # an infinitive looks ahead of the verb it hangs on
        head = _verb(verb.head) if verb.head is not verb else None
        return "past" if head is not None and _past(head) else "future"
    if _past(verb):
        return "settled" if _on_the_verb(span, verb) else "past"
    if verb.tag_ in ("VBZ", "VBP") or (auxes and auxes[0].tag_ in ("VBZ", "VBP")):
        if _of_a_noun(span) and verb.lemma_ not in _FUTURE_LEMMAS:
            return ""  # "the rhetoric of Wednesday marks …": the present is about a past day
        return "" if verb.lemma_ in ("say", "be", "tell", "report", "have") else "future"
    return "past" if verb.tag_ == "VBN" else ""


def _since(span: Span, verb: Token) -> bool:
    """ "since February", "since sending troops in February", "since they came in February"."""
    root = span.root
    return root.head.lower_ == "since" or (verb.dep_ == "pcomp" and verb.head.lower_ == "since") \
        or any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)


def _on_the_verb(span: Span, verb: Token) -> bool:
    """The date places the past verb's own act, not a noun's ("a cutback in supply in
    September" may still be ahead), a deadline ("until November") or a plan."""
    root = span.root
    if verb.lemma_ in _FUTURE_LEMMAS:
        return False
    if root.dep_ == "poss":  # "February's offensive" told in the past has happened
        return True
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in tables()["past_preps"]:
        head = head.head
    return head is verb and root.dep_ in ("pobj", "npadvmod")


def _on_a_noun(span: Span) -> bool:
    """ "the attack on the port on Saturday must not go unpunished": the date dates the
    noun's event; the verb's "must" judges it and says nothing of when."""
    root = span.root
    return root.dep_ == "pobj" and root.head.head.pos_ in ("NOUN", "PROPN")


def _of_a_noun(span: Span) -> bool:
    """ "Wednesday's speech", "the events of Monday": the date names a thing, not when the
    sentence's verb happens."""
    root = span.root
    return root.dep_ == "poss" or (_on_a_noun(span) and root.head.lower_ == "of")


def _verb(tok: Token) -> Token | None:
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _past(verb: Token) -> bool:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in auxes):
        return False
    return verb.tag_ == "VBD" or any(
        c.tag_ == "VBD" or c.lower_ in ("has", "have", "had", "'ve") for c in auxes) or (
        # the tagger reads some irregular pasts as presents ("retook" VBP, lemma "retook")
        verb.tag_ == "VBP" and not auxes and F.irregular_past(verb))
