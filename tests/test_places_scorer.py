"""Place names the NER cuts short or misses, weak candidates, and the fitted event-place
scorer.  Every sentence here is written for these tests; the real spaCy pipeline runs."""

from __future__ import annotations

import gzip
import json
import math
import random
import sys
from importlib import resources
from pathlib import Path

import pytest

from newswire.eval import places as place_eval
from newswire.extract import places
from newswire.geo import attach, scorer
from newswire.geo.candidates import weak_places


def _trigger(doc, word: str):
    return next(t for t in doc if t.text == word)


def _event_place(nlp, text: str, verb: str, fallback: bool = False):
    doc = nlp(text)
    rec = place_eval.record_of(doc)
    return doc, rec, places.event_place(doc, rec, _trigger(doc, verb), fallback=fallback)


def _spans_ok(rec) -> None:
    for p in rec.places:
        assert rec.text[p.span.start : p.span.end] == p.span.text


def test_capitalised_kind_word_is_part_of_one_place(nlp):
    doc = nlp("Two policemen were shot dead in Idlib Governorate on Monday, a monitor said.")
    rec = place_eval.record_of(doc)
    assert [p.span.text for p in rec.places] == ["Idlib Governorate"]  # one, not two
    assert rec.places[0].country == "SYR"
    _spans_ok(rec)


def test_a_name_stops_at_a_weekday(nlp):
    doc = nlp("Hundreds of students marched in Sanaa Friday to demand the release of detainees.")
    rec = place_eval.record_of(doc)
    sanaa = [p for p in rec.places if p.span.text == "Sanaa"]
    assert sanaa and sanaa[0].country == "YEM"


def test_a_hyphenated_name_is_taken_whole(nlp):
    _, rec, place = _event_place(
        nlp, "A roadside bomb killed three soldiers near the northern town of Mazar-e-Sharif "
             "on Sunday.", "killed")
    assert place is not None and place.span.text == "Mazar-e-Sharif"
    _spans_ok(rec)


def test_a_name_the_extractor_missed_can_still_be_the_event_place(nlp):
    doc, rec, place = _event_place(nlp, "Rebels captured Manbij on Tuesday after a week of "
                                        "fighting.", "captured")
    assert place is not None and place.span.text == "Manbij"
    assert place.country == "SYR"  # known to the gazetteer: resolved
    assert rec.text[place.span.start : place.span.end] == "Manbij"


def test_weak_candidates_are_not_article_places_and_are_cached(nlp):
    doc = nlp("Ahmed Karimi said rebels captured Manbij on Tuesday.")
    rec = place_eval.record_of(doc)
    sent = next(doc.sents)
    weak = weak_places(doc, rec, sent)
    names = [p.span.text for p in weak]
    assert "Manbij" in names and "Manbij" not in [p.span.text for p in rec.places]
    assert "Ahmed Karimi" not in names  # a person, unknown to the gazetteer
    assert weak_places(doc, rec, sent) is weak  # once per sentence


def test_the_fallback_never_returns_a_weak_candidate(nlp):
    doc = nlp("Ahmed Karimi praised Bilal Haidari on Monday.")
    rec = place_eval.record_of(doc)
    assert places.event_place(doc, rec, _trigger(doc, "praised"), fallback=True) is None


def test_coordinated_weak_names_are_taken_together(nlp):
    doc, rec, place = _event_place(
        nlp, "Government troops shelled the villages of Kafr Nabudah and Tal Abyad on "
             "Sunday.", "shelled")
    assert place is not None
    names = {p.span.text for p in places.conjoined(doc, rec, place)}
    assert names == {"Kafr Nabudah", "Tal Abyad"}


def test_scorer_reads_its_fitted_model():
    raw = json.loads(gzip.decompress(
        resources.files("newswire").joinpath(scorer.MODEL_FILE).read_bytes()))
    assert 0 < raw["threshold"] < 1
    assert raw["first"]["trees"] and raw["second"]["trees"]
    # the tree walk: no features at all is the prior plus each tree's default path
    for stage in scorer.STAGES:
        p = scorer.confidence({}, stage)
        assert 0 < p < 1 and not math.isnan(p)


def test_a_place_in_a_phrase_on_the_verb_outscores_a_subject(nlp):
    doc = nlp("Kenya said three soldiers were killed in Garissa on Friday.")
    rec = place_eval.record_of(doc)
    scored = attach.scored_places(doc, rec, _trigger(doc, "killed"))
    assert scored[0][1].span.text == "Garissa"
    assert scored[0][0] > scorer.threshold()
    kenya = [c for c, p in scored if p.span.text == "Kenya"]
    assert kenya and kenya[0] < scorer.threshold()


def test_a_name_with_a_glued_article_is_one_place(nlp):
    doc, rec, place = _event_place(
        nlp, "Police said gunmen stormed the market in al-Mansour district of the capital.",
        "stormed")
    assert "al-Mansour" in [p.span.text for p in rec.places]
    assert place is not None and place.span.text == "al-Mansour"
    _spans_ok(rec)


def test_listed_places_are_taken_with_the_chosen_one(nlp):
    doc, rec, place = _event_place(
        nlp, "Militants shelled the settlements of Zamalka (twice), Jobar, Harasta (three "
             "times) and Douma, a monitor said.", "shelled")
    assert place is not None
    # the parse of such a list is broken; its punctuation is not
    names = {p.span.text for p in places.conjoined(doc, rec, place)}
    assert {"Zamalka", "Jobar", "Harasta", "Douma"} <= names


def test_a_container_after_a_comma_is_not_listed(nlp):
    doc, rec, place = _event_place(
        nlp, "A fighter was killed in an explosion in Hasakah province, northeast Syria.",
        "killed")
    assert place is not None and place.span.text.startswith("Hasakah")
    names = [p.span.text for p in places.conjoined(doc, rec, place)]
    assert not any("Syria" in n for n in names)


def _features_of(nlp, text: str, verb: str) -> dict[str, dict]:
    doc = nlp(text)
    rec = place_eval.record_of(doc)
    return {p.span.text: f for f, p, *_ in
            attach._candidate_features(doc, rec, _trigger(doc, verb))}


def test_a_name_qualifying_an_actor_is_marked_as_an_owner(nlp):
    feats = _features_of(nlp, "The Kabul government arrested two men in Herat on Monday.",
                         "arrested")
    assert feats["Kabul"].get("own") == 1 and feats["Kabul"].get("own_dep=nsubj") == 1
    assert "own" not in feats["Herat"]
    assert feats["Herat"].get("anc=TRIG") == 1  # the place phrase sits on the verb


def test_the_container_of_another_candidate_is_marked(nlp):
    feats = _features_of(nlp, "Gunmen attacked a checkpoint in the Zahra district of Mosul "
                              "on Sunday.", "attacked")
    assert feats["Mosul"].get("locates") == 1  # Mosul only says where Zahra is
    assert feats["Zahra"].get("located") == 1


def test_the_path_to_a_place_inside_the_subject_crosses_another_verb(nlp):
    feats = _features_of(nlp, "Tanks stationed in Haditha shelled the village of Barwana on "
                              "Tuesday.", "shelled")
    assert feats["Haditha"].get("p_tchild=nsubj") == 1 and feats["Haditha"]["p_verbs"] >= 1
    assert feats["Barwana"].get("p_tchild=dobj") == 1 and feats["Barwana"]["p_verbs"] == 0


def test_word_features_see_the_words_but_not_the_names(nlp):
    doc = nlp("Soldiers opened fire outside the embassy in Petrovka on Friday.")
    rec = place_eval.record_of(doc)
    cands = {c.place.span.text: c for c in
             attach._candidate_features(doc, rec, _trigger(doc, "opened"))}
    words = cands["Petrovka"].words
    assert words["T=open"] == 1 and words["L1=in"] == 1 and words["Hh=in"] == 1
    assert words["L2=embassy"] == 1 and words["B=outside"] == 1 and words["side=R"] == 1
    # names and numbers are masked, so the word model cannot learn which places the
    # data happens to name
    assert not any("petrovka" in k.lower() or "friday" in k.lower() for k in words)
    assert 0 < scorer.lexical(words) < 1


def test_rivals_relate_a_candidate_to_the_others():
    # three candidates: a district (head token 4) inside a city's phrase (head 9 above
    # it), the city itself, and a country elsewhere that overlaps nothing
    link = scorer.Link
    links = [link(3, 5, 4, frozenset({9, 10}), "IRQ"), link(8, 10, 9, frozenset({10}), "IRQ"),
             link(12, 13, 12, frozenset({10}), "SYR")]
    p1 = [0.6, 0.8, 0.1]
    district = scorer.rivals(0, p1, links)
    assert district["p1"] == 0.6 and district["p1other"] == 0.8
    assert district["p1diff"] == pytest.approx(-0.2) and district["p1rank"] == 1
    assert district["p1_anc"] == 0.8 and district["p1_desc"] == 0.0  # the city holds it
    assert district["p1_cn"] == 0.8 and district["p1_ov"] == 0.0
    city = scorer.rivals(1, p1, links)
    assert city["p1rank"] == 0 and city["p1_desc"] == 0.6 and city["p1_anc"] == 0.0
    country = scorer.rivals(2, p1, links)
    assert country["p1_cn"] == 0.0 and country["p1sum"] == pytest.approx(1.5)
    # ties rank in the candidates' own order
    assert scorer.rivals(1, [0.5, 0.5], links[:2])["p1rank"] == 1


def test_exported_trees_walk_as_the_fitted_model_predicts():
    # the training script's export, walked by the scorer, must give scikit-learn's own
    # probabilities: the thresholds' direction, leaf values and bias all have to agree
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import train_place_scorer as train

    rng = random.Random(3)
    feats, labels = [], []
    for _ in range(600):
        f = {"dist": rng.randint(0, 6), f"prep={rng.choice('abc')}": 1, "slen": rng.random()}
        feats.append(f)
        labels.append(int(f["dist"] < 2 and f.get("prep=a", 0) == 1 or rng.random() < 0.1))
    fitted = train._fit(feats, labels)
    row = {"cands": [{"w": f, "y": y} for f, y in zip(feats, labels, strict=True)]}
    words = train._fit_words([row])
    exported = train.export((words, fitted, fitted))
    stage = scorer.compiled(exported["first"])
    want = train._predict(fitted, feats[:50])
    got = [scorer.walk(stage, f) for f in feats[:50]]
    assert got == pytest.approx(list(want), abs=1e-4)
    assert max(want) - min(want) > 0.5  # the model did learn something to compare
    # the word model: its exported weights must give the logistic regression's own scores
    want = train._predict(words, feats[:50])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scorer, "_model", lambda: exported)
        got = [scorer.lexical(f) for f in feats[:50]]
    assert got == pytest.approx(list(want), abs=1e-4)
    assert max(want) - min(want) > 0.3
