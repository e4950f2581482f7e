"""The event-place scorer: P(a candidate is where the event happened) by shallow
boosted trees (or a logistic model) over general features of the candidate's
attachment to the trigger (class, tree and word distance, dependency labels,
preposition, NER type, gazetteer precision, rank among the sentence's candidates,
the dependency path to the trigger, the word the place phrase locates) and of the
event (its verb's lemma, tense, a past date, a tally): "killed" is far less often
given a place than "shot" or "stormed".  No source and no sentence is a feature, so
nothing is keyed to a particular sentence.

The model lives in ``data/geo/place_scorer.json``, written by
``scripts/train_place_scorer.py`` (fitted on the even-numbered labelled
event-location sentences; the odd ones held out).
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

from spacy.tokens import Span as SpacySpan

from newswire.geo.cues import cues
from newswire.model import Place

MODEL_FILE = "data/geo/place_scorer.json"
# prepositions common enough to earn a weight in conjunction with the attachment class
_MAIN_PREPS = frozenset({"in", "at", "near", "on", "from", "of", "into", "outside", "-"})


@cache
def _model() -> dict:
    raw = resources.files("newswire").joinpath(MODEL_FILE).read_text()
    model = json.loads(raw)
    # nested tuples (feature, threshold, left, right) with float leaves walk several
    # times faster than the stored node lists
    model["compiled"] = tuple(_compile(tree, 0) for tree in model.get("trees", ()))
    return model


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


def confidence(feats: dict[str, float]) -> float:
    model = _model()
    z = model["bias"]
    if "weights" in model:
        weights = model["weights"]
        z += sum(weights.get(k, 0.0) * v for k, v in feats.items())
    get = feats.get
    for node in model["compiled"]:
        while node.__class__ is tuple:
            node = node[2] if get(node[0], 0.0) <= node[1] else node[3]
        z += node
    return 1 / (1 + math.exp(-z))
