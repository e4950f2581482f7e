"""Who said it, on the parse: the source token of a cue verb (its subject, a passive's
agent, a name the parser hung elsewhere), the phrase it heads, and the source-word
tables.  Who that source *is* (name, role, class) is :mod:`newswire.extract.speakers`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Token

from newswire.extract.quote_content import SET_OFF

SUBJECTS = ("nsubj", "csubj")
INHERIT_SUBJECT = ("conj", "xcomp", "advcl", "relcl", "pcomp", "prep", "acomp")
MAX_DATELINE = 8
PERSONAL_PRONOUNS = {"he", "she", "they", "we", "i", "you"}


@dataclass(frozen=True)
class SourceWords:
    person: frozenset[str]
    org: frozenset[str]
    anonymity: tuple[str, ...]
    medium: frozenset[str]
    label: frozenset[str]
    finding: frozenset[str]
    quantity: frozenset[str]


@functools.cache
def source_words() -> SourceWords:
    person: set[str] = set()
    org: set[str] = set()
    anon: list[str] = []
    medium: set[str] = set()
    label: set[str] = set()
    finding: set[str] = set()
    quantity: set[str] = set()
    text = resources.files("newswire.data").joinpath("quote_sources.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")[:2]
        {"person": person.add, "org": org.add, "anonymity": anon.append,
         "medium": medium.add, "label": label.add, "finding": finding.add,
         "quantity": quantity.add}[kind](word.lower())
    return SourceWords(frozenset(person), frozenset(org), tuple(anon), frozenset(medium),
                       frozenset(label), frozenset(finding), frozenset(quantity))


def subject_of(verb: Token, stance: bool = False) -> Token | None:
    """The source token of a cue verb: its subject, the agent of a passive, or the subject
    of the verb it hangs on ("smiled and said", "quick to point out")."""
    if not stance and (any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl")
            and not any(c.dep_ in ("nsubj", "aux") for c in verb.children))):
        # passive: "was asked", "Asked about it, ..." — the source is the "by" agent, if any
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
    tok = verb
    for _ in range(5):
        sub = own_subject(tok, passive_ok=tok is not verb)
        if sub is not None:
            return sub
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head  # "officials who said"
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "a wave of Republicans urging him", "emails showing that"
        if tok.dep_ not in INHERIT_SUBJECT or tok.head == tok:
            break
        tok = tok.head  # "smiled and said", "continued by saying", "left, saying"
    return _fronted_name(verb)


def _fronted_name(verb: Token) -> Token | None:
    """"Speaking to the Courier, Hugo Feld, father of Anna, said": the parser hangs the
    name on the fronted phrase's object (as its appositive or conjunct), leaving the
    verb without a subject; the name set off by commas right before the verb is it."""
    for left in verb.lefts:
        if left.dep_ not in ("prep", "advcl"):
            continue
        for t in left.subtree:
            if t.dep_ in ("appos", "conj") and t.head.dep_ == "pobj" and t.i > 0 \
                    and t.left_edge.nbor(-1).text == "," \
                    and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN") \
                    and verb.doc[t.right_edge.i + 1:verb.i].text.strip() == ",":
                return t
    return None


def past_dateline(sent_start: int, subject: Token, verb: Token) -> Token:
    """"WASHINGTON (AP) — Trump pledged": the dateline is not the source, what follows is."""
    start = sent_start
    if subject.i - start > MAX_DATELINE:
        return subject
    dash = next((t for t in verb.doc[subject.i + 1:min(verb.i, start + MAX_DATELINE + 2)]
                 if t.text in ("—", "–", "--", "-") and t.nbor(-1).text == ")"), None)
    if dash is None:
        return subject
    # the head of the phrase between the dash and the verb
    inside = [t for t in verb.doc[dash.i + 1:verb.i] if not (dash.i < t.head.i < verb.i)]
    return next((t for t in inside if t.pos_ in ("PROPN", "NOUN", "PRON")), subject)


def own_subject(verb: Token, passive_ok: bool = False) -> Token | None:
    found = None
    # "Trump was heard telling ...": the passive subject of the verb the cue hangs on
    deps = (*SUBJECTS, "nsubjpass") if passive_ok else SUBJECTS
    for child in verb.children:
        if child.dep_ in deps:
            found = child
            break
        if child.dep_ in ("aux", "auxpass"):  # the parser sometimes hangs it there
            found = next((g for g in child.children if g.dep_ in SUBJECTS), None)
            if found is not None:
                break
    if found is not None and found.i < verb.i and found.right_edge.i - found.left_edge.i > 5 \
            and (found.pos_ in ("VERB", "AUX") or found.left_edge.is_quote):
        # "“The more people know him, the better,” said Briggs": the parser took the
        # fronted quotation for the subject; the name after the verb is the speaker
        after = next((c for c in verb.rights if c.pos_ == "PROPN"
                      and c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "appos")), None)
        if after is not None:
            return after
    return found


def is_passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children) and not any(
        c.dep_ == "agent" for c in verb.children)


def names_someone(sub: Token | None) -> bool:
    """A subject that is a person, a group or an organisation (or a pronoun for one)."""
    return sub is not None and (sub.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                                or sub.lower_ in PERSONAL_PRONOUNS | {"who"}
                                or sub.lemma_.lower() in source_words().person
                                or sub.lemma_.lower() in source_words().org)


def set_off(verb: Token) -> bool:
    """"..., the Times reported.": a cue after a comma or quote mark, with its own subject,
    attributes what comes before it, even when the parser hangs it on an earlier cue."""
    sub = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    start = sub.left_edge.i if sub is not None else verb.i
    return sub is not None and start > 0 and verb.doc[start - 1].text in SET_OFF


def noun_phrase(tok: Token) -> tuple[int, int]:
    """Token range [start, end) of the phrase headed by ``tok``, without trailing punctuation."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    doc = tok.doc
    # a focusing adverb ("even Republicans") is not part of a PolNeAR source
    while start < tok.i and doc[start].dep_ == "advmod" and doc[start].head == tok:
        start += 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start, end
