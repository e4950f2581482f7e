"""The event-place scorer: P(a candidate is where the event happened) by boosted
trees over general features of the candidate's
attachment to the trigger (class, tree and word distance, dependency labels,
preposition, NER type, gazetteer precision, rank among the sentence's candidates,
the dependency path to the trigger, the word the place phrase locates) and of the
event (its verb's lemma, tense, a past date, a tally): "killed" is far less often
given a place than "shot" or "stormed".  No source and no sentence is a feature, so
nothing is keyed to a particular sentence.

A word model comes first: a logistic regression over the many sparse words around the
candidate and between it and the verb (:func:`words`; names and numbers masked), too
many for the trees, which take its score as one feature.  Then two stages of trees: the
first scores each candidate alone; the second sees, besides the same features, the
first stage's scores of the candidate and of its rivals -- the best other one, the one
whose phrase holds it ("the Zahra district of Mosul"), another of the same country --
so that a candidate is judged against the others, not alone (0.7 F1 points on
sentences neither stage was fitted on).

The model lives in ``data/geo/place_scorer.json.gz``, written by
``scripts/train_place_scorer.py`` (fitted on all the labelled event-location
sentences; the file records the cross-validated figures).
"""

from __future__ import annotations

import gzip
import json
import math
from functools import cache
from importlib import resources
from typing import NamedTuple

from spacy.tokens import Span as SpacySpan

from newswire.geo.cues import cues
from newswire.model import Place

MODEL_FILE = "data/geo/place_scorer.json.gz"
STAGES = ("first", "second")
# prepositions common enough to earn a weight in conjunction with the attachment class
_MAIN_PREPS = frozenset({"in", "at", "near", "on", "from", "of", "into", "outside", "-"})


@cache
def _model() -> dict:
    raw = resources.files("newswire").joinpath(MODEL_FILE).read_bytes()
    model = json.loads(gzip.decompress(raw))
    # nested tuples (feature, threshold, left, right) with float leaves walk several
    # times faster than the stored node lists
    for stage in STAGES:
        model[stage] = compiled(model[stage])
    return model


def compiled(stage: dict) -> dict:
    """A stage as stored (bias, trees of node lists) made ready for :func:`walk`."""
    return {**stage, "compiled": tuple(_compile(tree, 0) for tree in stage["trees"])}


def _compile(tree: list, i: int):
    node = tree[i]
    if len(node) == 1:
        return float(node[0])
    return (node[0], node[1], _compile(tree, node[2]), _compile(tree, node[3]))


@cache
def _preps() -> frozenset[str]:
    c = cues()
    return (c["locative_preps"] | c["source_preps"] | c["participant_preps"]
            | c["open_preps"] | {"of"})


def threshold() -> float:
    return _model()["threshold"]


def fit_report() -> dict:
    """The model's cross-validated token P/R/F1 on the data it was fitted on."""
    model = _model()
    return {"folds": model["folds"], **model["cross_validated"]}


def features(key: tuple, place: Place, toks: SpacySpan, head, trigger, weak: bool, *,
             n: int, best: int, idx: int) -> dict[str, float]:
    """Features of one candidate.  ``key`` is the syntactic ranking's (how, specificity,
    penalty, tree distance, word gap); ``head`` the noun phrase the name names; ``n``
    the number of article places in the sentence, ``best`` the best attachment class
    among its candidates and ``idx`` this one's position in the ranking."""
    how, _spec, penalty, dist, gap = key
    root = toks.root
    prep = head.head.lower_ if head.dep_ in ("pobj", "pcomp") else "-"
    prep = prep if prep in _preps() else "-"
    prec = place.precision or "-"
    ent = root.ent_type_ or "-"
    f = {
        f"how={how}": 1, f"prec={prec}": 1, f"how={how},prec={prec}": 1,
        "pen": penalty, "dist": min(dist, 10), "adist": min(gap, 30) / 10,
        f"rdep={root.dep_}": 1, f"hdep={head.dep_}": 1, f"prep={prep}": 1,
        f"ent={ent}": 1, "before": int(root.i < trigger.i),
        "upper": int(toks.text.isupper()), "ntok": min(len(toks), 5), "ncand": min(n, 6),
        f"ttag={trigger.tag_}": 1,
        f"rank={min(idx, 3)}": 1, f"gap={min(how - best, 3)}": 1,
        "sub": int(trigger.is_ancestor(root)), "contained": int(head.i != root.i),
        "lower": int(not root.text[:1].isupper()),
        f"tpos={trigger.pos_},how={how}": 1,
    }
    if prep in _MAIN_PREPS:
        f[f"how={how},prep={prep}"] = 1
    f.update(_path(head, trigger))
    if head.dep_ in ("pobj", "pcomp") and head.head.head.i != head.head.i:
        # what the place phrase locates: the trigger itself, or "clashes", "embassy"
        anchor = head.head.head
        f[f"anc={'TRIG' if anchor.i == trigger.i else anchor.lemma_.lower()}"] = 1
    if weak:
        f["weak"] = 1
        f[f"weak,ent={ent}"] = 1
        f[f"weak,prec={prec}"] = 1
        f[f"weak,how={how}"] = 1
        f[f"weak,rdep={root.dep_}"] = 1
    return f


# clause-making edges: a place past one of these belongs to another predication
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "pcomp", "csubj"})


def _path(head, trigger) -> dict[str, float]:
    """The dependency path between the trigger and the place's noun phrase: where the
    place hangs under the trigger (its subject, object, a PP, a clause) or how far above
    it the two meet, and how many other verbs and clause edges lie between ("tanks
    stationed at X shelled Y": X sits in the subject, under another verb)."""
    up = [trigger, *trigger.ancestors]
    depth = {t.i: d for d, t in enumerate(up)}
    down = []
    t = head
    while t.i not in depth:
        down.append(t)
        if t.head.i == t.i:
            break
        t = t.head
    hops_up = depth.get(t.i, len(up))
    f: dict[str, float] = {"p_up": min(hops_up, 4), "p_down": min(len(down), 6)}
    if hops_up == 0 and down:
        f[f"p_tchild={down[-1].dep_}"] = 1
    else:
        f[f"p_lca={t.dep_ if t.head.i != t.i else 'ROOT'}"] = 1
    inner = down[1:] + up[1:hops_up]
    f["p_verbs"] = min(sum(x.pos_ in ("VERB", "AUX") for x in inner), 3)
    f["p_clauses"] = min(sum(x.dep_ in _CLAUSE_DEPS for x in [*down, *up[:hops_up]]), 3)
    return f


_MODALS = frozenset({"will", "would", "could", "may", "might", "should", "must", "can"})
_HISTORY = frozenset({"ago", "last", "earlier", "since", "year", "years", "decade", "former"})


def trigger_features(trigger) -> dict[str, float]:
    """Features of the event itself, shared by its candidates: whether this is news of
    the day that gets a place at all ("was detained in Gao last March", "have been
    displaced in Yemen since 2015", "would march" are backdrop, tallies and plans)."""
    kids = list(trigger.children)
    f = {f"tdep={trigger.dep_}": 1.0, f"lem={trigger.lemma_.lower()}": 1.0}
    aux = {k.lower_ for k in kids if k.dep_ in ("aux", "auxpass")}
    if aux & {"has", "have", "had", "'s", "'ve"}:
        f["perfect"] = 1.0
    if any(k.dep_ == "auxpass" for k in kids):
        f["passive"] = 1.0
    if aux & _MODALS or "to" in aux:
        f["irrealis"] = 1.0
    if any(k.dep_ == "neg" for k in kids):
        f["neg"] = 1.0
    sent = trigger.sent
    for t in sent:  # one pass: Span.ents builds every entity of the sentence
        if t.ent_type_ in ("DATE", "TIME"):
            low = t.lower_
            if t.like_num and len(low) == 4:
                f["year"] = 1.0
            elif low in _HISTORY:
                f["history"] = 1.0
            elif low in _WEEKDAYS:
                f["weekday"] = 1.0
        elif t.text in _QUOTES:
            f["quoted"] = 1.0
    f["slen"] = min(len(sent), 60) / 20
    return f


_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                       "sunday", "today", "yesterday", "tonight"})
_QUOTES = frozenset({'"', "\u201c", "\u201d", "''", "``"})


def confidence(feats: dict[str, float], stage: str = "first") -> float:
    return walk(_model()[stage], feats)


def walk(model: dict, feats: dict[str, float]) -> float:
    """P(label) of one compiled stage: its bias plus each tree's leaf, squashed."""
    z = model["bias"]
    get = feats.get
    for node in model["compiled"]:
        while node.__class__ is tuple:
            node = node[2] if get(node[0], 0.0) <= node[1] else node[3]
        z += node
    return _squash(z)


def _squash(z: float) -> float:
    # bounded: exp overflows past about 709
    return 1 / (1 + math.exp(-max(min(z, 50.0), -50.0)))


class Link(NamedTuple):
    """Where a candidate sits, to relate it to its rivals: its token span, the head of
    its noun phrase and that head's ancestors, and its country."""
    start: int
    end: int
    head: int
    above: frozenset[int]
    country: str


def rivals(j: int, p1: list[float], links: list[Link]) -> dict[str, float]:
    """Second-stage features of candidate ``j``: its first-stage score, the best of the
    others', its rank, and the best score of a candidate above it in the parse (one
    whose phrase holds it, or the clause it sits in), below it, of the same country,
    and overlapping it."""
    mine, me = p1[j], links[j]
    others = [p for k, p in enumerate(p1) if k != j]
    best = max(others, default=0.0)
    f = {"p1": mine, "p1other": best, "p1diff": mine - best, "p1sum": sum(p1),
         "p1rank": sum(p > mine or (p == mine and k < j) for k, p in enumerate(p1) if k != j)}
    up = down = same = over = 0.0
    for k, (p, other) in enumerate(zip(p1, links, strict=True)):
        if k == j:
            continue
        if other.head in me.above:
            up = max(up, p)
        elif me.head in other.above:
            down = max(down, p)
        if me.country and other.country == me.country:
            same = max(same, p)
        if other.start < me.end and me.start < other.end:
            over = max(over, p)
    f.update(p1_anc=up, p1_desc=down, p1_cn=same, p1_ov=over)
    return f


def scores(feats: list[dict[str, float]], links: list[Link],
           context: list[dict[str, float]]) -> list[float]:
    """P(event place) for each of a sentence's candidates, in their order."""
    feats = [{**f, "lex": lexical(w)} for f, w in zip(feats, context, strict=True)]
    p1 = [confidence(f) for f in feats]
    return [confidence({**f, **rivals(j, p1, links)}, "second") for j, f in enumerate(feats)]


def lexical(context: dict[str, float]) -> float:
    """The word model's P(event place) from a candidate's :func:`words`."""
    m = _model()["words"]
    weights = m["weights"]
    return _squash(m["bias"] + sum(weights.get(k, 0.0) * v for k, v in context.items()))


_KEPT_ENTS = frozenset({"GPE", "LOC", "FAC"})


def _word(tok) -> str:
    # names and numbers are masked: the model learns the words around a place
    # ("shelled", "outside", "embassy"), never which places or people the data names
    if tok.like_num:
        return "#num"
    if tok.ent_type_ in _KEPT_ENTS:
        return "#" + tok.ent_type_.lower()
    if tok.pos_ == "PROPN":
        return "#name"
    return tok.lemma_.lower()


def words(toks: SpacySpan, head, trigger) -> dict[str, float]:
    """The candidate's words for the word model: three words either side of the name,
    the noun its phrase names and what that hangs on, the words on the parse path up to
    the trigger and the function words and nouns between the two, each alone and some
    with the event's verb.  Many and sparse, so they get a linear model of their own,
    whose score the trees then take as one feature ("lex")."""
    doc, verb = toks.doc, trigger.lemma_.lower()
    f = {f"T={verb}": 1.0, f"side={'L' if head.i < trigger.i else 'R'}": 1.0}
    for k in (1, 2, 3):
        if toks.start - k >= 0:
            f[f"L{k}={_word(doc[toks.start - k])}"] = 1.0
        if toks.end + k - 1 < len(doc):
            f[f"R{k}={_word(doc[toks.end + k - 1])}"] = 1.0
    if toks.start:
        f[f"T={verb},L1={_word(doc[toks.start - 1])}"] = 1.0
    up = _word(head.head)
    f.update({f"H={_word(head)}": 1.0, f"Hh={up}": 1.0, f"T={verb},Hh={up}": 1.0})
    above = {trigger.i, *(a.i for a in trigger.ancestors)}
    t = head
    for _ in range(8):  # bounded: the path to the trigger's spine is short
        if t.i in above or t.head.i == t.i:
            break
        t = t.head
        f[f"P={_word(t)}"] = 1.0
    lo, hi = sorted((trigger.i, head.i))
    for x in doc[lo + 1 : hi][:12]:
        if x.pos_ in _BETWEEN_POS:
            f[f"B={x.lower_}"] = 1.0
    return f


_BETWEEN_POS = frozenset({"VERB", "ADP", "SCONJ", "CCONJ", "PUNCT", "NOUN"})
