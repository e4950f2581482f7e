"""Places named together: the places coordinated or listed with a chosen one ("in
Chibok and Biu", "Arbin, Hawsh Nasri and Douma"), and the region set off after a town
that only locates it ("Qaraqosh, in northern Iraq").  Works on the article's places and
the sentence's weak candidates, with the parse where it holds and the punctuation where
it does not.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newswire.geo.candidates import weak_places
from newswire.geo.cues import cues
from newswire.geo.names import per_doc
from newswire.model import ArticleRecord, Place


def place_tokens(doc: Doc, place: Place) -> SpacySpan | None:
    if place.span is None:
        return None
    return doc.char_span(place.span.start, place.span.end, alignment_mode="expand")


def sentence_places(doc: Doc, rec: ArticleRecord, sent) -> list[tuple[Place, bool]]:
    """(place, weak) for the sentence's article places, then its weak candidates."""
    own = [(p, False) for p in rec.places
           if p.span is not None and sent.start_char <= p.span.start < sent.end_char]
    return own + [(p, True) for p in weak_places(doc, rec, sent)]


def np_head(tok):
    """The noun phrase a place name names: "Bayada" -> "settlement" in "the settlement
    of Bayada", "Amariyah" -> "neighbourhood" in "Al-Amariyah neighbourhood"."""
    c = cues()
    t = tok
    for _ in range(4):  # bounded: names nest at most a few levels
        if t.dep_ in ("compound", "amod", "nmod") and t.head.lower_ in c["container_nouns"]:
            t = t.head
        elif (t.dep_ == "pobj" and t.head.lower_ == "of"
              and t.head.head.lower_ in c["name_of_nouns"] | c["container_nouns"]):
            t = t.head.head
        else:
            break
    return t


def conjoined(doc: Doc, rec: ArticleRecord, place: Place) -> list[Place]:
    """Places coordinated with ``place``, itself first: "in Chibok and Biu", "in Kidal
    and the town of Tessalit", "at Wadi Halfa and in Dongola" -- the gold marks
    every place of a coordination, so the event happened in all of them."""
    toks = place_tokens(doc, place)
    if toks is None:
        return [place]
    root = toks.root
    head = np_head(root)
    linked = {t.i for t in root.conjuncts} | {t.i for t in head.conjuncts}
    # "the villages of A, B (twice) and C": listed together, however the parse broke up
    linked |= next((g for g in listed_after_plural(doc) if root.i in g), set())
    prep = head.head if head.dep_ in ("pobj", "pcomp") and head.head.i != head.i else None
    preps = {t.i for t in prep.conjuncts} if prep is not None and prep.dep_ == "prep" else set()
    out = [place]
    pool = [p for p, _ in sentence_places(doc, rec, root.sent)]
    for other in pool:
        ot = place_tokens(doc, other) if other is not place else None
        if ot is None or ot.root.i == root.i:
            continue
        oh = np_head(ot.root)
        if ot.root.i in linked or oh.i in linked or (
            preps and oh.dep_ == "pobj" and oh.head.i in preps
        ):
            out.append(other)
    listed = _listed(rec.text, place, pool)
    out.extend(p for p in listed if all(p is not q for q in out))
    return out


# What may separate two items of one list of places: "Arbin, Hawsh Nasri (twice) and
# Douma" -- the parse of such lists is often broken, their punctuation is not.
_LIST_GAP = re.compile(r"\s*(\([\w ]{1,20}\))?\s*(,|,? and|,? or|&)\s*(the\s+)?$", re.I)


def _listed(text: str, place: Place, pool: list[Place]) -> list[Place]:
    """The places listed with ``place`` ("A, B and C"), when the list is closed by
    "and"/"or"; a country or region after a comma is a container ("Idlib, Syria")."""
    spans = sorted((p for p in pool if p.span is not None), key=lambda p: p.span.start)
    at = next((i for i, p in enumerate(spans) if p is place), None)
    if at is None:
        return []
    lo = hi = at
    joined = False
    while lo > 0:
        gap = _LIST_GAP.fullmatch(text[spans[lo - 1].span.end : spans[lo].span.start])
        if gap is None or _contains(spans[lo - 1], place):
            break
        joined |= gap.group(2) != ","
        lo -= 1
    while hi + 1 < len(spans):
        gap = _LIST_GAP.fullmatch(text[spans[hi].span.end : spans[hi + 1].span.start])
        if gap is None or _contains(spans[hi + 1], place):
            break
        joined |= gap.group(2) != ","
        hi += 1
    if not joined:
        return []
    return [p for p in spans[lo : hi + 1] if p is not place]


_CONTAINER_GAP = re.compile(r"\s*,\s*(?:in|near)?\s*")


def finer_before(rec: ArticleRecord, place: Place) -> Place | None:
    """ "in the Christian community of Qaraqosh, in northern Iraq": a region or country set off
    after a town only says where the town is; the town is the place."""
    if place.span is None or place.precision not in ("country", "region", "admin1"):
        return None
    for other in rec.places:
        if other.span is None or other.span.sentence != place.span.sentence \
                or other.span.end > place.span.start or other.country != place.country \
                or other.precision in ("country", "region", "admin1"):
            continue
        if _CONTAINER_GAP.fullmatch(rec.text[other.span.end : place.span.start]):
            return other
    return None


def _contains(other: Place, place: Place) -> bool:
    return other.precision in ("country", "region") and place.precision not in (
        "country", "region")


# "the villages of A, B (twice) and C": plural place nouns whose of-phrase lists names
_NAME_PARTS = frozenset({"heights", "hills", "mountains", "plains"})
_LIST_WORDS = frozenset({",", "and", "or", "&"})
_LIST_ENDS = frozenset({"(", ".", ";", ":", ")"})


def listed_after_plural(doc: Doc) -> list[set[int]]:
    """The tokens of each list of names after a plural place noun ("the settlements of
    Jobar, Arbin (three times) and Douma"): every one of them names a place, whatever
    the NER says of it, and however the parser broke the list up."""
    return per_doc(doc, "_plural_lists", _lists)


def _lists(doc: Doc) -> list[set[int]]:
    plural = {w for w in cues()["container_nouns"] | cues()["name_of_nouns"]
              if w.endswith("s") and w not in _NAME_PARTS}
    out: list[set[int]] = []
    for tok in doc:
        if tok.lower_ != "of" or tok.i == 0 or doc[tok.i - 1].lower_ not in plural:
            continue
        i, names = tok.i + 1, []
        while i < len(doc):
            if doc[i].lower_ == "the":
                i += 1
            j = i
            while j < len(doc) and (doc[j].pos_ == "PROPN" or (
                    j > i and doc[j].text in "-\u2019'" and not doc[j - 1].whitespace_)):
                j += 1
            if j == i or (j < len(doc) and not (doc[j].lower_ in _LIST_WORDS
                                                or doc[j].text in _LIST_ENDS)):
                break  # not a name, or one that goes on in lower case ("Deir ez-Zor")
            names.append(range(i, j))
            if j < len(doc) and doc[j].text == "(":  # "(twice)", "(five times)"
                close = next((k for k in range(j + 1, min(j + 5, len(doc)))
                              if doc[k].text == ")"), None)
                if close is None:
                    break
                j = close + 1
            k = j
            while k < len(doc) and doc[k].lower_ in _LIST_WORDS:
                k += 1
            if k == j:
                break
            i = k
        if len(names) > 1:
            out.append({t for r in names for t in r})
    return out
