"""Features of a candidate place's surroundings for the event-place scorer: the noun
it qualifies when that noun is not a place (an owner: "Syrian troops", "the Kabul
government"), and which candidates of the sentence only locate another one."""

from __future__ import annotations

from newswire.geo.cues import cues

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Dependency labels through which a place name climbs to the noun phrase that carries
# it: "the [Drenica] region", "the city of [Mosul]", "[Kabul]'s airport".
NP_DEPS = frozenset({"compound", "amod", "nmod", "appos", "poss", "nummod", "npadvmod"})


def owner_features(tok) -> dict[str, float]:
    """Whether the name qualifies a noun that is not a place ("Syrian troops", "the
    Kabul government": whose, not where), and that noun's role in the clause."""
    site = cues()["site_nouns"]
    t = tok
    for _ in range(4):  # bounded: names nest at most a few levels
        if t.dep_ not in NP_DEPS or t.head.i == t.i:
            break
        t = t.head
        if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in site and t.ent_type_ not in PLACE_LABELS:
            return {"own": 1.0, f"own_dep={t.dep_}": 1.0,
                    "own_person": float(t.ent_type_ in ("PERSON", "NORP", "ORG"))}
    return {}


def nesting_features(names: list, heads: list) -> list[dict[str, float]]:
    """Per candidate: whether it only locates another candidate's phrase ("the X
    district of Y", "at X junction in Y": Y is the container) or holds one."""
    out: list[dict[str, float]] = [{} for _ in names]
    at: dict[int, int] = {}
    for j, toks in enumerate(names):
        at.setdefault(toks.root.i, j)
        at.setdefault(heads[j].i, j)
    for i, toks in enumerate(names):
        t = toks.root
        for _ in range(6):  # up the noun and prepositional phrases, not past a verb
            if t.head.i == t.i or t.head.pos_ in ("VERB", "AUX"):
                break
            t = t.head
            j = at.get(t.i)
            if j is not None and j != i and names[j].root.i != toks.root.i:
                out[i]["locates"] = 1.0
                out[j]["located"] = 1.0
                break
    return out
