"""Event candidates and their features, shared by the coder, the trainer and the evaluator.

A *candidate* is a token that may head an event mention: a verb, or a noun / adjective listed in
the trigger lexicon (``data/triggers.tsv``).  Each candidate gets a bag of string features (its
lemma, the lexicon's type for it, its particles / objects / prepositions, the verb governing it,
modals, negation, nearby words and the sentence's words) that the classifier scores.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from newswire.coding import senses

DATA = Path(__file__).resolve().parents[1] / "data"
_POS = {"V": ("VERB",), "N": ("NOUN", "PROPN"), "A": ("ADJ", "VERB"), "*": ()}
_MODALS = {"will", "would", "must", "should", "may", "might", "could", "can", "shall"}
_CHILD_DEPS = {
    "prt", "prep", "dobj", "attr", "acomp", "xcomp", "ccomp", "neg", "agent", "dative",
    "compound", "amod", "advmod", "nsubj", "nsubjpass", "pobj",
}


@dataclass(frozen=True)
class LexRow:
    lemma: str
    pos: str
    with_: str
    type: str
    mode: str


def _data(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@functools.cache
def lexicon() -> dict[str, tuple[LexRow, ...]]:
    out: dict[str, list[LexRow]] = {}
    for cols in _data("triggers.tsv"):
        cols = (cols + [""] * 5)[:5]
        row = LexRow(cols[0].lower(), cols[1] or "*", cols[2].lower(), cols[3], cols[4])
        out.setdefault(row.lemma, []).append(row)
    # rows with a required companion word first: the more specific pattern wins
    return {k: tuple(sorted(v, key=lambda r: r.with_ == "")) for k, v in out.items()}


@functools.cache
def word_classes() -> dict[str, str]:
    """nonevent.tsv: lemma -> disaster | accident | sport | crime | override | cue."""
    return {cols[0].lower(): cols[1] for cols in _data("nonevent.tsv") if len(cols) >= 2}


@functools.cache
def verb_nonevent() -> frozenset[str]:
    """nonevent.tsv lemmas that also count as verbs ("drown", "derail")."""
    return frozenset(c[0].lower() for c in _data("nonevent.tsv") if len(c) >= 3 and c[2] == "V")


@functools.cache
def singular_nonevent() -> frozenset[str]:
    """nonevent.tsv lemmas that count only in the singular: a "striker" scores goals, police
    fire on "strikers"."""
    return frozenset(c[0].lower() for c in _data("nonevent.tsv") if len(c) >= 3 and c[2] == "1")


@functools.cache
def mode_cues() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for cols in _data("event_modes.tsv"):
        out.setdefault(cols[0], []).append((cols[1].lower(), cols[2]))
    return out


@functools.cache
def context_cues() -> dict[str, str]:
    return {cols[0].lower(): cols[1] for cols in _data("event_contexts.tsv") if len(cols) >= 2}


def lemma(tok: Token) -> str:
    low = tok.lemma_.lower()
    if low == tok.lower_ and tok.tag_ in ("VBP", "VB"):
        # the tagger calls some irregular pasts present ("retook"), and the lemmatizer then
        # keeps them as they are: its own table of irregular forms knows better
        return _irregular_verbs().get(low, low)
    return low


def irregular_past(tok: Token) -> bool:
    """An irregular past the tagger read as a present ("retook" VBP) and the lemmatizer
    kept as it is."""
    low = tok.lower_
    return tok.lemma_.lower() == low and low in _irregular_verbs() and not low.endswith("ing")


@functools.cache
def _irregular_verbs() -> dict[str, str]:
    from newswire import nlp

    lookups = nlp.load().get_pipe("lemmatizer").lookups
    table = lookups.get_table("lemma_exc")["verb"]
    # a form that is a verb of its own ("found", "lay") is not only a past
    bases = set(lookups.get_table("lemma_index")["verb"])
    return {form: lemmas[0] for form, lemmas in table.items()
            if lemmas and lemmas[0] != form and form not in bases}


def is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children)


def related_lemmas(tok: Token) -> set[str]:
    """Words a lexicon pattern may require: children, objects of child prepositions, the head."""
    rel = set()
    for c in tok.children:
        if c.dep_ == "mark":
            continue  # "a bus for the workers sent home": a clause's "for", not "call for"
        rel.add(lemma(c))
        if c.dep_ in ("advcl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "for"
                                                for m in c.children):
            rel.add("for")  # "called for the army to step aside": the parser hangs "for" lower
        if c.dep_ in ("prep", "agent", "dobj"):
            rel.update(lemma(g) for g in c.children if g.dep_ in ("pobj", "prep", "compound"))
    if tok.head.i != tok.i:
        rel.add(lemma(tok.head))
    return rel


def lex_match(tok: Token) -> LexRow | None:
    rows = lexicon().get(lemma(tok))
    if not rows:
        return None
    rel: set[str] | None = None
    for row in rows:
        allowed = _POS[row.pos]
        if allowed and tok.pos_ not in allowed:
            continue
        if row.with_.startswith("@"):
            if senses.in_sense(tok, row.with_[1:]):
                return row
            continue
        if row.with_ == "neg":
            if is_negated(tok):
                return row
            continue
        if row.with_:
            if rel is None:
                rel = related_lemmas(tok)
            if row.with_ in rel:
                return row
            continue
        return row
    return None


@functools.cache
def actor_nouns() -> frozenset[str]:
    """actor_nouns.txt: head lemmas of common nouns that name people or groups."""
    return frozenset(c[0].strip().lower() for c in _data("actor_nouns.txt") if c[0].strip())


@functools.cache
def regional_peoples() -> frozenset[str]:
    """regional_peoples.txt: words and phrases that name people of several countries."""
    return frozenset(c[0].strip().lower() for c in _data("regional_peoples.txt") if c[0].strip())


@functools.cache
def place_nouns() -> frozenset[str]:
    """place_nouns.txt: head lemmas of places and sites, which are never actors."""
    return frozenset(c[0].strip().lower() for c in _data("place_nouns.txt") if c[0].strip())


@functools.cache
def _boilerplate() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for cols in _data("event_boilerplate.tsv"):
        if len(cols) >= 2:
            out.setdefault(cols[0].lower(), set()).add(cols[1].strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


def is_boilerplate(tok: Token) -> bool:
    """Reporting formulae ("requests for comment", "declined to comment") are no events."""
    companions = _boilerplate().get(lemma(tok))
    if not companions:
        return False
    near = {lemma(tok.head)}
    stack = list(tok.children)
    while stack:  # the trigger's own phrase, not clauses inside it ("committed to ending abuses")
        t = stack.pop()
        if t.dep_ in _OWN_CLAUSE_STOP:
            continue
        near.add(lemma(t))
        stack.extend(t.children)
    return bool(companions & near)


_OWN_CLAUSE_STOP = {"ccomp", "pcomp", "advcl", "relcl", "acl", "conj", "parataxis"}


_NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "LAW", "EVENT"}


def in_name(tok: Token) -> bool:
    """A word of a name, a date or an actor's title ("Rapid Support Forces", "next March", "riot
    police") names no event."""
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    if tok.ent_type_ in _NAME_ENTS:
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if tok.ent_iob_ == "I" or (nxt is not None and nxt.ent_iob_ == "I"):
            return True  # a multi-token entity
        if tok.pos_ == "PROPN" and tok.text[:1].isupper():
            return True  # "Amnesty called for ...": an organisation, not an amnesty
    if tok.dep_ != "compound":
        return False
    # an untagged name: a proper noun compounded into another proper noun; or a kind of actor
    # named after an activity: "riot police", "aid workers", "protest leaders"
    return (tok.pos_ == "PROPN" and tok.head.pos_ == "PROPN") or lemma(tok.head) in actor_nouns()


def is_cue(tok: Token) -> bool:
    return word_classes().get(lemma(tok)) == "cue"


def candidates(sent: Span) -> list[tuple[Token, LexRow | None]]:
    """Tokens of the sentence that may head an event: lexicon triggers and other verbs."""
    out = []
    for tok in sent:
        if tok.is_punct or tok.is_space or is_cue(tok):
            continue
        row = lex_match(tok)
        if row is not None or tok.pos_ == "VERB":
            out.append((tok, row))
    return out


def sentence_features(sent: Span, lex: list[LexRow | None]) -> list[str]:
    feats = [f"sT:{r.type}" for r in {r for r in lex if r is not None}]
    for tok in sent:
        if tok.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and not tok.is_stop:
            feats.append(f"s:{lemma(tok)}")
    return sorted(set(feats))


_INTENT_HEADS = {
    "plan", "prepare", "prepared", "ready", "willing", "offer", "intend", "go", "decide",
    "promise", "pledge", "vow", "threaten", "swear", "agree", "expect", "seek",
}
_OBLIGE = {"must", "ought"}  # not "should": "talks should be held" is an expectation


def modality_classes(tok: Token) -> list[str]:
    """How the clause presents the action: intended/future, obligatory, negated, conditional.

    PLOVER codes a promise to act as AGREE, a conditional hostile intent as THREATEN and an
    obligation put on someone as REQUEST, so the classifier sees these together with the type.
    """
    out = set()
    for c in tok.children:
        cl = lemma(c)
        if c.dep_ in ("aux", "auxpass"):
            if cl in ("will", "would", "shall"):
                out.add("fut")
            elif cl in _OBLIGE:
                out.add("must")
            elif cl in ("may", "might", "could"):
                out.add("maybe")
        elif c.dep_ == "neg":
            out.add("neg")
        elif c.dep_ == "advcl" and any(lemma(m) in ("unless", "if") for m in c.children
                                       if m.dep_ == "mark"):
            out.add("cond")
    head = tok.head
    if tok.dep_ in ("dobj", "attr", "acomp") and tok.pos_ != "VERB" and head.i != tok.i:
        out.update(modality_classes(head))  # "must reach an agreement", "must be ready to"
    if tok.dep_ == "xcomp" and head.i != tok.i:
        hl = lemma(head)
        if hl in _INTENT_HEADS:
            out.add("fut")
        if hl in ("fail", "refuse", "decline"):
            out.add("refuse")
        if hl in ("have", "need") and any(lemma(a) == "to" for a in tok.children):
            out.add("must")
        for c in head.children:
            if c.dep_ == "aux" and lemma(c) in ("will", "would", "shall"):
                out.add("fut")
            elif c.dep_ == "aux" and lemma(c) in _OBLIGE:
                out.add("must")
            elif c.dep_ == "neg" and hl in _INTENT_HEADS:
                out.add("neg")  # "do not intend to hand over the town" is a refusal
    return sorted(out)


def in_condition(tok: Token) -> bool:
    """Inside an "if" / "unless" clause: a hypothetical, not a reported event."""
    cur = tok
    for _ in range(6):
        if cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and lemma(c) in ("if", "unless") for c in cur.children
        ):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def candidate_features(tok: Token, row: LexRow | None, sent_feats: list[str]) -> list[str]:
    lem = lemma(tok)
    f = [f"l:{lem}", f"p:{tok.pos_}", f"d:{tok.dep_}", f"tag:{tok.tag_}"]
    mcs = modality_classes(tok)
    f += [f"mc:{m}" for m in mcs]
    if in_condition(tok):
        f.append("in_cond")
    if row is not None:
        f += [f"T:{row.type}", f"TM:{row.type}:{row.mode}", f"lx:{lem}:{row.with_}"]
        f += [f"Tmc:{row.type}:{m}" for m in mcs]
    else:
        f.append("T:-")
    if tok.dep_ == "ROOT":
        f.append("root")
    for c in tok.children:
        if c.dep_ not in _CHILD_DEPS:
            if c.dep_ in ("aux", "auxpass") and lemma(c) in _MODALS:
                f.append(f"m:{lemma(c)}")
            elif c.dep_ == "auxpass":
                f.append("passive")
            continue
        cl = lemma(c)
        if c.dep_ == "neg":
            f.append("neg")
            continue
        if c.dep_ in ("nsubj", "nsubjpass"):
            f.append(f"subj:{c.ent_type_ or c.pos_}")
            f.append(f"sl:{cl}")
            continue
        f.append(f"c:{c.dep_}:{cl}")
        f.append(f"lc:{lem}:{cl}")
        if c.dep_ in ("prep", "agent"):
            for g in c.children:
                if g.dep_ == "pobj":
                    f.append(f"pp:{cl}:{lemma(g)}")
        if c.dep_ in ("xcomp", "ccomp"):
            crow = lex_match(c)
            f.append(f"cT:{crow.type if crow else '-'}")
            if any(a.dep_ == "aux" and lemma(a) in _MODALS for a in c.children):
                f.append("c:modal")
    head = tok.head
    if head.i != tok.i:
        hl = lemma(head)
        f += [f"h:{hl}", f"hd:{tok.dep_}:{hl}"]
        if is_cue(head):
            f.append("h:cue")
        else:
            hrow = lex_match(head)
            f.append(f"hT:{hrow.type if hrow else '-'}")
    doc = tok.doc
    for j in (tok.i - 2, tok.i - 1, tok.i + 1, tok.i + 2):
        if 0 <= j < len(doc) and not doc[j].is_punct:
            f.append(f"w:{lemma(doc[j])}")
    return f + sent_feats


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 30:
        tok = tok.head
        d += 1
    return d


def doc_candidates(doc: Doc | Span) -> list[tuple[Token, LexRow | None, list[str]]]:
    """Every candidate of every sentence with its feature list."""
    out = []
    for sent, cands in senses.one_sense([(s, candidates(s)) for s in doc.sents]):
        if not cands:
            continue
        sf = sentence_features(sent, [r for _, r in cands])
        depths = [_depth(tok) for tok, _ in cands]
        top = min((d for d, (_, r) in zip(depths, cands, strict=True) if r), default=-1)
        for (tok, row), d in zip(cands, depths, strict=True):
            extra = [f"depth:{min(d, 4)}"]
            if row is not None and d == top:
                extra.append(f"top:{row.type}")  # the lexicon trigger closest to the root
            out.append((tok, row, candidate_features(tok, row, sf) + extra))
    return out
