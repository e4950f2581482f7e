"""GKG-style counts: how many were killed, wounded, arrested, evacuated …, and money.

A quantity (a CARDINAL/MONEY entity, or a vague word such as "dozens" the NER
may miss) is tied through the dependency parse to the noun it counts (nummod,
"dozens *of* citizens") and to the word that says what happened to them: the
noun itself ("protesters", "deaths"), a participle on it ("46 people killed"),
or the governing verb ("killed at least 46", "dozens were injured", "the death
toll rose to 46").  Quantities with no such trigger are not counts and are
dropped; so are dates, ages, percentages, times and ordinals (not CARDINALs).
Trigger words, vague ranges, qualifiers and currencies are data files.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

from spacy.tokens import Doc, Span, Token

from newswire.extract.modality import governing_verb, unreal
from newswire.extract.numbers import parse_number
from newswire.extract.spans import make_span
from newswire.model import ArticleRecord, Count

_RANGE = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s*(?:\bto\b|\band\b|\bor\b|-|\u2013)\s*(.+)$")
_NOMINAL = ("NOUN", "PROPN", "PRON", "NUM", "ADJ")


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("newswire") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@functools.cache
def triggers() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(lemma, pos) → [(type, context word, role)]; pos is verb | noun | adj; role says
    whether an active verb's object ("killed 46") or subject ("46 fled") is counted."""
    out: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for r in _rows("count_triggers.tsv"):
        out.setdefault((r["word"], r["pos"]), []).append(
            (r["type"], r["context"] or "", r["role"] or ""))
    return out


# nouns naming the people counted yield to what the verb did to them:
# "police arrested 120 protesters" is an ARREST count
_PEOPLE_TYPES = ("PROTEST", "DISPLACE", "KIDNAP", "EVACUATE", "ARREST")
_PEOPLE_NOUNS = ("protester", "demonstrator", "marcher", "protestor", "refugee", "hostage",
                 "captive", "evacuee", "detainee")
_RANGE_WORDS = ("to", "-", "\u2013", "and", "or")


@functools.cache
def not_counted() -> frozenset[str]:
    """Nouns after a number that make it a frequency, a ratio or the means of harm
    ("dozens of airstrikes"), not a head count."""
    return frozenset(r["word"] for r in _rows("count_nonobjects.tsv"))


@functools.cache
def vague() -> dict[str, tuple[float, float | None]]:
    return {r["phrase"]: (float(r["low"]), float(r["high"]) if r["high"] else None)
            for r in _rows("vague_quantities.tsv")}


@functools.cache
def qualifiers() -> dict[str, str]:
    return {r["phrase"]: r["qualifier"] for r in _rows("count_qualifiers.tsv")}


@functools.cache
def currencies() -> dict[str, str]:
    return {r["token"]: r["iso"] for r in _rows("currencies.tsv")}


@functools.cache
def _vague_by_first() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for phrase in sorted(vague(), key=len, reverse=True):
        words = phrase.split()
        out.setdefault(words[0], []).append(words)
    return out


def extract(doc: Doc, rec: ArticleRecord) -> list[Count]:
    out: list[Count] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "DATE" and _numeric_range(ent):
            ent = doc[ent.start:ent.end]  # "between 20 and 30 people", mis-tagged DATE
            count = _count(doc, rec, ent, money=False)
            if count:
                out.append(count)
            covered.update(range(ent.start, ent.end))
            continue
        if ent.label_ == "CARDINAL" and _range_start(ent):
            covered.update(range(ent.start, ent.end))
            continue  # "10" of "10 to 15": read with the "15"
        if ent.label_ in ("CARDINAL", "MONEY", "QUANTITY"):
            covered.update(range(ent.start, ent.end))
            if ent.label_ == "QUANTITY":
                continue  # "5 km", "200 tonnes": measures, not counts of people or money
            count = _count(doc, rec, ent, money=ent.label_ == "MONEY")
            if count:
                out.append(count)
    blocked = {t.i for e in doc.ents if e.label_ != "CARDINAL" for t in e}
    i = 0
    while i < len(doc):  # vague quantities the NER leaves untagged ("several", "a handful")
        tok = doc[i]
        if i in covered or i in blocked:
            i += 1
            continue
        for words in _vague_by_first().get(tok.lower_, []):
            if [t.lower_ for t in doc[i:i + len(words)]] == words:
                count = _count(doc, rec, doc[i:i + len(words)], money=False)
                if count:
                    out.append(count)
                i += len(words) - 1
                break
        i += 1
    out.sort(key=lambda c: c.span.start if c.span else 0)
    return out


def _numeric_range(ent: Span) -> bool:
    return all(t.like_num or t.lower_ in ("between", "and", "to", "-") for t in ent) and \
        ent.root.dep_ in ("nummod", "nsubj", "nsubjpass", "dobj") and \
        not any(t.like_num and len(t.text) == 4 and t.text.isdigit() for t in ent)


def _range_start(ent: Span) -> bool:
    root = ent.root
    return root.dep_ == "quantmod" and root.head.like_num and root.head.i >= ent.end and \
        ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in _RANGE_WORDS


def _widen(doc: Doc, q: Span, money: bool) -> Span:
    """Pull in "10 to" before "15", "£" before "40" and "m" after it."""
    start, end = q.start, q.end
    if start >= 2 and doc[start - 1].lower_ in _RANGE_WORDS and doc[start - 2].like_num:
        start -= 2
        if start >= 1 and doc[start - 1].lower_ in ("between", "from"):
            start -= 1
    if money or (start >= 1 and doc[start - 1].text.lower() in currencies()
                 and not doc[start - 1].is_alpha):
        if start >= 1 and doc[start - 1].text.lower() in currencies() and \
                not doc[start - 1].is_alpha:
            start -= 1
        if end < len(doc) and doc[end].lower_ in ("m", "bn", "mn", "k", "tn", "million",
                                                 "billion", "trillion"):
            end += 1
    return doc[start:end]


def _count(doc: Doc, rec: ArticleRecord, q: Span, money: bool) -> Count | None:
    q = _widen(doc, q, money)
    if not money and q[0].text.lower() in currencies() and not q[0].is_alpha:
        money = True
    qual, q = _qualifier(doc, q)
    if not len(q):
        return None
    text = q.text
    low, high = _value(text, money)
    if low is None:
        return None
    noun = _counted_noun(q)
    if noun is not None and noun.lemma_.lower() in not_counted():
        return None  # "uprooted four times over" says how often, not how many
    head = noun if noun is not None else q.root
    if not money and noun is not None and noun.lower_ in currencies() and noun.is_alpha:
        money = True  # "5 billion euros"
    if money:
        ctype, currency = "MONEY", _currency(q)
    else:
        ctype, currency = _type(q, head), ""
    if not ctype or (not money and _prospect(head)):
        return None
    if money and noun is not None and noun.lower_ in currencies():
        if noun.i >= q.end and noun.i - q.end < 3:
            q = doc[q.start:noun.i + 1]  # "5 billion euros" is one amount
            text = q.text
        noun = None
    obj_start, obj_end = _object(q, noun) if noun is not None else (None, None)
    obj = doc[obj_start:obj_end + 1].text if obj_start is not None else ""
    start = qual.start_char if qual is not None else q.start_char
    end = doc[obj_end].idx + len(doc[obj_end]) if obj_end is not None else q.end_char
    if qual is not None and qual.start > q.start:
        end = max(end, qual.end_char)  # trailing "or so"
    return Count(type=ctype, low=low, high=high,
                 qualifier=qualifiers()[qual.text.lower()] if qual is not None else "",
                 object=obj, number_text=text, currency=currency,
                 span=make_span(rec, start, end))


def _prospect(head: Token) -> bool:
    """ "as many as 80,000 could die in a siege": a possibility, not a toll; "up to 30 may
    have been killed" is an uncertain toll and stays."""
    verb = governing_verb(head)
    return unreal(verb) and not any(c.dep_ == "aux" and c.lower_ == "have"
                                    for c in verb.children)


def _qualifier(doc: Doc, q: Span) -> tuple[Span | None, Span]:
    """Split "at least" off the quantity (inside the entity or just before it)."""
    quals = qualifiers()
    for n in (3, 2, 1):
        if len(q) > n and " ".join(t.lower_ for t in q[:n]) in quals:
            return q[:n], doc[q.start + n:q.end]
    for n in (3, 2, 1):
        if q.start - n >= 0:
            cand = doc[q.start - n:q.start]
            if cand.text.lower() in quals:
                return cand, q
    if q.end + 2 <= len(doc) and doc[q.end:q.end + 2].text.lower() == "or so":
        return doc[q.end:q.end + 2], q
    return None, q


def _value(text: str, money: bool) -> tuple[float | None, float | None]:
    t = text.lower().replace("\u2019", "'")
    if money:
        t = re.sub(r"[^\d.,a-z\s-]", " ", t)
        t = " ".join(w for w in t.split() if w not in currencies() and w not in ("us", "a"))
        t = re.sub(r"(\d)(m|bn|k|mn|tn)$", r"\1 \2", t)
    t = t.strip()
    if t in vague():
        return vague()[t]
    n = parse_number(t)
    if n is None and money:
        m = re.match(r"^([\d.,]+)\s*(m|bn|k|mn|tn|b)$", t)
        n = parse_number(m.group(1) + m.group(2)) if m else None
    if n is not None:
        return n, n
    m = _RANGE.match(t)
    if m:
        lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
        if lo is not None and hi is not None and lo <= hi:
            return lo, hi
    return None, None


def _currency(q: Span) -> str:
    cur = currencies()
    text = q.text.lower()
    for sym in sorted((k for k in cur if not k.isalpha()), key=len, reverse=True):
        if sym in text:
            return cur[sym]
    for tok in list(q) + [q.doc[q.end]] if q.end < len(q.doc) else list(q):
        if tok.lower_ in cur:
            return cur[tok.lower_]
    return ""


def _counted_noun(q: Span) -> Token | None:
    root = q.root
    for tok in q:  # "dozens of citizens", "tens of thousands of people"
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= q.end:
                pobj = [c for c in child.children if c.dep_ == "pobj"]
                if pobj and pobj[0].pos_ in ("NOUN", "PROPN") and not any(
                        g.dep_ == "nummod" for g in pobj[0].children):  # "one of three girls"
                    return pobj[0]
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod") and \
            root.head.pos_ in ("NOUN", "PROPN") and root.head.i >= q.end:
        noun = root.head
        while noun.dep_ == "compound" and noun.head.i > noun.i and \
                noun.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head  # "46 minority Shia minorities": the head is the last noun
        return noun
    return None


def _object(q: Span, noun: Token) -> tuple[int, int]:
    """Token range of the counted noun phrase, determiners and the number left out."""
    start = q.end if noun.i >= q.end and noun.i - q.end < 8 else noun.left_edge.i
    if noun.head.lower_ == "of" and noun.head.i < noun.i:
        start = max(start, noun.head.i + 1)
    while start < noun.i and q.doc[start].dep_ in ("det", "prep", "punct"):
        start += 1
    end = noun.i
    tok = noun
    while True:  # "other foreigners and Afghans": conjuncts that carry no number of their own
        conj = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        if not conj or any(g.dep_ == "nummod" or g.like_num for g in conj[0].children):
            break
        tok = conj[0]
        end = tok.i
    return start, end


def _lookup(tok: Token, pos: str, dep: str = "") -> str:
    for ctype, context, role in triggers().get((tok.lemma_.lower(), pos), []):
        if dep == "nsubj" and role == "obj" and any(c.dep_ == "dobj" for c in tok.children):
            continue  # "46 militants killed 12 soldiers": the 46 did the killing
        if dep == "dobj" and role == "subj":
            continue  # "that leaves 2.5 million people": the object did not leave
        if not context:
            return ctype
        near = {c.lower_ for c in tok.subtree} | {c.lemma_.lower() for c in tok.subtree}
        if context in near or (context + "s") in near:
            return ctype
    return ""


def _type(q: Span, head: Token) -> str:
    # the counted noun itself: "46 deaths", "thousands of protesters"
    ctype = _lookup(head, "noun") or _lookup(head, "adj")
    if ctype and head.lemma_.lower() in _PEOPLE_NOUNS:
        done = _governing(head)
        return done if done in _PEOPLE_TYPES or done in ("KILL", "WOUND") else ctype
    if ctype:
        return ctype
    # a word right after the number: "46 dead", "12 wounded"
    nxt = q.doc[q.end] if q.end < len(q.doc) else None
    if nxt is not None and (nxt.head.i == head.i or head.head.i == nxt.i or nxt.head == q.root):
        ctype = _lookup(nxt, "adj") or _lookup(nxt, "verb")
        if ctype:
            return ctype
    # a participle or relative clause on the noun: "46 people killed", "who were injured"
    for child in head.children:
        if child.dep_ == "relcl" and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("who", "that", "which")
                for c in child.children):
            continue  # "three children, two of whom died": not all three
        if child.dep_ in ("acl", "relcl", "amod") and child.i > head.i:
            ctype = _lookup(child, "verb") or _lookup(child, "adj")
            if ctype:
                return ctype
    return _placed(head) or _governing(head)


_PLACE_PREPS = ("in", "into", "at", "inside", "to")


def _placed(tok: Token) -> str:
    """Where the counted are kept says what happened to them: "900 children at a camp for
    the displaced", "were locked up in jails".  A shared phrase ("300 men and 900 children
    at the camp") is read off any conjunct."""
    group = [tok, *(c for c in tok.children if c.dep_ == "conj")]
    if tok.dep_ == "conj":
        group.append(tok.head)
    for member in group:
        for prep in member.children:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
                continue
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and (ctype := _lookup(pobj, "place")):
                    return ctype
    return ""


def _governing(head: Token) -> str:
    tok = head
    for _ in range(5):
        if tok.dep_ == "conj":  # "105 citizens and 95 holders have departed"
            tok = tok.head
            continue
        dep, up = tok.dep_, tok.head
        if up is tok:
            break
        if dep in ("pobj", "prep", "appos", "npadvmod", "nummod"):
            tok = up
            if tok.pos_ in ("VERB", "AUX"):  # "the toll rose to 46", "left on flights"
                return _verb_type(tok, dep)
            if tok.pos_ in ("NOUN", "PROPN"):
                # "the deaths of 46 people", "the evacuation of 105 citizens"
                ctype = _lookup(tok, "noun")
                if ctype:
                    return ctype
            continue
        if up.pos_ in ("VERB", "AUX", "ADJ"):
            return _verb_type(up, dep)
        break
    if tok.pos_ in ("VERB", "AUX") and tok is not head:
        return _verb_type(tok, "")
    return ""


def _verb_type(verb: Token, dep: str) -> str:
    if verb.lemma_ in ("rise", "climb", "reach", "jump", "hit", "stand", "increase", "exceed"):
        for c in verb.children:  # "the death toll rose to 46"
            if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_ == "toll":
                injury = any(g.lemma_ in ("injury", "wounded", "injured") for g in c.children)
                return "WOUND" if injury else "KILL"
    chain = [verb]
    for c in verb.children:  # "are still trying to get away"
        if c.dep_ == "xcomp":
            chain.append(c)
            chain.extend(g for g in c.children if g.dep_ == "xcomp")
    for v in chain:
        ctype = _lookup(v, "verb", dep if v is verb else "") or _lookup(v, "adj")
        if ctype:
            return ctype
    return _placed(verb)
