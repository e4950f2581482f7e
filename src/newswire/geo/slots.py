"""Where only places go: the syntactic slots that make a proper name a place whatever
the NER calls it ("the town of X", "X village", "killed in X", "entered X"), and those
where places often go, which need the gazetteer to know the name."""

from __future__ import annotations

from newswire.geo.cues import cues


def place_slot(tok, place_roots: set[int]) -> str:
    """'strong' when the syntax alone says ``tok`` names a place, 'locative' when it sits
    where places go (a gazetteer hit is then needed), '' otherwise."""
    c = cues()
    head = tok.head
    if tok.dep_ == "pobj" and head.head.lemma_ in c["affiliation_nouns"]:
        return ""  # "a fellow at Oxford University": an employer, not a place
    if (
        tok.lower_ in c["site_heads"]
        and tok.i > 0
        and tok.doc[tok.i - 1].pos_ == "PROPN"
        and tok.dep_ in ("pobj", "dobj", "nsubjpass", "conj", "appos")
    ):
        return "strong"  # "Trafalgar Square", "the Dumayr Airbase": a named site
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in c["container_nouns"]:
        return "strong"  # "the town of Gusau"
    if tok.dep_ in ("compound", "amod", "nmod") and head.lower_ in c["container_nouns"]:
        return "strong"  # "Buwa village", "the Amil neighbourhood"
    if tok.ent_type_ in ("PERSON", "") and (
        (tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in c["part_nouns"])
        or (tok.dep_ == "compound" and head.lower_ in c["site_heads"]
            and head.lower_ not in c["eponym_sites"])
    ):
        return "strong"  # "the slopes of Jabal Shweihneh", "15 km east of X", "Taji station"
    if tok.dep_ in ("conj", "appos") and (
        head.i in place_roots or any(t.i in place_roots for t in tok.conjuncts)
    ):
        return "strong"  # "Gao, Menaka and Kidal"
    if tok.dep_ == "pobj" and head.lower_ in c["open_preps"]:
        if tok.ent_type_ in ("PERSON", ""):
            return "strong"  # people are rarely "in" or "at" someone: "killed in Musa Qala"
        if tok.ent_type_ == "ORG" and not any(t.lower_ in c["org_words"] for t in tok.subtree):
            return "strong"  # "in Oued Aissi" mis-tagged ORG; "in Congress" is not a place
        return "locative"
    if tok.dep_ == "dobj" and head.lemma_ in c["place_verbs"] and (
        tok.ent_type_ != "ORG" or not any(t.lower_ in c["org_words"] for t in tok.subtree)
    ):
        return "strong"  # "forces entered Quraytayn", "patrolled Kakata" mis-tagged ORG
    if tok.dep_ in ("pobj", "compound", "conj"):
        return "locative"
    return ""
