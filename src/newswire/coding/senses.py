"""Context senses of trigger words, named in triggers.tsv's "with" column as @sense and
defined in data/trigger_senses.tsv: a noun "strike" or "blockade" read as a military act
(@military), a movement verb read as an armed offensive (@armed); and one sense per
article, so that bare uses follow the sense the article gives the word elsewhere.
"""

from __future__ import annotations

import functools

from spacy.tokens import Span, Token

from newswire.coding import features as F


@functools.cache
def _senses() -> dict[str, dict[str, frozenset[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    for sense, role, word in (c[:3] for c in F._data("trigger_senses.tsv") if len(c) >= 3):
        out.setdefault(sense, {}).setdefault(role, set()).add(word.strip().lower())
    return {s: {r: frozenset(w) for r, w in roles.items()} for s, roles in out.items()}


_TARGET_ENTS = frozenset({"GPE", "LOC", "FAC", "NORP", "ORG"})


def _labour_modifier(tok: Token, cues: dict[str, frozenset[str]]) -> bool:
    return any(F.lemma(c) in cues.get("labour_modifier", ()) for c in tok.children)


def against_sense(tok: Token, sense: str) -> bool:
    """A labour reading of the noun: "a general strike", "workers went on strike"."""
    cues = _senses().get(sense, {})
    return _labour_modifier(tok, cues) or any(
        F.lemma(t) in cues.get("labour", ()) for t in tok.sent)


def in_sense(tok: Token, sense: str) -> bool:
    """A context test of trigger_senses.tsv: does the sentence read ``tok`` in ``sense``?"""
    cues = _senses().get(sense, {})
    if "subject" in cues:
        verb = tok.head if tok.dep_ == "xcomp" else tok
        return any(c.dep_ == "nsubj" and F.lemma(c) in cues["subject"] for c in verb.children)
    if _labour_modifier(tok, cues):
        return False  # "a general strike"
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod") and (
            F.lemma(c) in cues.get("modifier", ()) or c.ent_type_ in ("NORP", "GPE")
        ):
            return True  # "western strikes", "Israeli strikes", "US strikes"
        if c.dep_ == "prep" and c.lower_ in ("on", "against", "at"):
            for obj in (g for g in c.children if g.dep_ == "pobj"):
                if F.lemma(obj) in cues.get("target", ()) or c.lower_ != "at" and (
                    obj.ent_type_ in _TARGET_ENTS or F.lemma(obj) in F.place_nouns()
                ):  # "strikes on the airbase", "a strike against Syria"; "at the port" is
                    return True  # where dockers strike too
    # "launched a strike" is said of walkouts too: not when workers are in the sentence
    return tok.dep_ in ("dobj", "nsubjpass") and F.lemma(tok.head) in cues.get("verb", ()) \
        and not against_sense(tok, sense)


def one_sense(sents: list[tuple[Span, list]]) -> list[tuple[Span, list]]:
    """One sense per article: once a word reads in a context sense somewhere ("US strikes on
    Syria"), its bare uses elsewhere ("critics said the strikes came too late") read so too, unless
    the article also uses it the other way ("a general strike", "workers went on strike")."""
    sensed = {r.lemma: r for _, cands in sents for _, r in cands
              if r is not None and r.with_.startswith("@")}
    if not sensed:
        return sents
    bare = {t.i: (t, r) for _, cands in sents for t, r in cands
            if r is not None and r.lemma in sensed and r.with_ == ""}
    vetoed = {r.lemma for t, r in bare.values() if against_sense(t, sensed[r.lemma].with_[1:])}
    return [(sent, [(t, sensed[r.lemma] if t.i in bare and r.lemma not in vetoed
                     and r.pos == sensed[r.lemma].pos else r) for t, r in cands])
            for sent, cands in sents]
