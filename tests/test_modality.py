"""Modality flags read off real spaCy parses of sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from newswire.extract.modality import analyse, flags
from newswire.model import DateRef, Span

PUB = date(2023, 5, 12)


def _flags(nlp, sentence, word, pub=PUB, event_date=None):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == word)
    return flags(tok, pub, event_date)


def _set(result):
    return {k for k, v in result.items() if v}


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        # plain reported events: no flag
        ("Soldiers shelled the northern town on Tuesday.", "shelled", set()),
        ("The ministers held talks in Nairobi on Wednesday.", "held", set()),
        # negation
        ("The police did not arrest the organisers of the rally.", "arrest", {"negated"}),
        ("Troops never entered the disputed village.", "entered", {"negated"}),
        ("The government no longer funds the militia.", "funds", {"negated"}),
        ("No agreement was signed at the summit.", "agreement", {"negated"}),
        ("No agreement was signed at the summit.", "signed", {"negated"}),
        ("The negotiations failed to produce a ceasefire.", "produce", {"negated"}),
        ("Border guards foiled a raid on the depot.", "raid", {"negated"}),
        ("Last-minute talks averted a clash over the dam.", "clash", {"negated"}),
        # a verb joined to the averting one is not averted
        ("The envoy avoided the summit and condemned the raid.", "condemned", set()),
        ("The army denied that its artillery shelled the camp.", "shelled", {"negated"}),
        # refusing is a REJECT event, not a negated one
        ("The rebels refused to leave the city.", "refused", set()),
        # future / planned
        ("Both delegations will hold talks in Geneva.", "hold", {"future"}),
        ("Both delegations will hold talks in Geneva.", "talks", {"future"}),
        ("The two governments plan to sign a trade pact.", "sign", {"future"}),
        ("Officials are expected to announce sanctions.", "announce", {"future"}),
        ("The envoy is set to visit Khartoum.", "visit", {"future"}),
        ("Union leaders are going to call a general strike.", "call", {"future"}),
        ("Rival factions should meet under UN auspices.", "meet", {"future"}),
        ("Ministers will meet and discuss the border dispute.", "discuss", {"future"}),
        ("Lawmakers prepared for the upcoming summit with Seoul.", "summit", {"future"}),
        ("The envoys are to resume talks in Doha.", "resume", {"future"}),
        # "be" looks ahead only through "to": a state in the present is no plan
        ("The shelling of the suburbs is ongoing.", "shelling", set()),
        ("The raids were aimed at a fuel depot.", "raids", set()),
        ("The junta aims to hold a referendum.", "hold", {"future"}),
        # hypothetical
        ("Militants could target the pipeline.", "target", {"hypothetical"}),
        ("The strike may spread to the ports.", "spread", {"hypothetical"}),
        ("The army would retaliate if rebels crossed the river.", "retaliate", {"hypothetical"}),
        ("The army would retaliate if rebels crossed the river.", "crossed", {"hypothetical"}),
        ("Insurgents threatened to bomb the bridge.", "bomb", {"hypothetical"}),
        ("The army is likely to shell the ridge.", "shell", {"hypothetical"}),
        # the verb judges strikes that its participle reports done
        ("The airstrikes launched on the port could be a sign of escalation.", "airstrikes",
         set()),
        # historical from explicit anchors
        ("Rebels captured the airport in 2014.", "captured", {"historical"}),
        ("Villagers who once worked for the mine were evacuated.", "worked", {"historical"}),
        # "once again" is not a past anchor
        ("The militia once again attacked the depot.", "attacked", set()),
    ],
)
def test_flags(nlp, sentence, word, expected):
    assert _set(_flags(nlp, sentence, word)) == expected


def test_negation_reaches_the_complement_of_a_negated_non_factive_verb(nlp):
    s = (
        "A ministry spokeswoman insisted that the visit did not mean that Ankara had "
        "recognised the breakaway region."
    )
    assert _flags(nlp, s, "recognised")["negated"] is True
    assert _flags(nlp, s, "mean")["negated"] is True
    assert _flags(nlp, s, "insisted")["negated"] is False
    # a factive verb keeps its complement true
    s2 = "The officials did not know that the militia had seized the depot."
    assert _flags(nlp, s2, "seized")["negated"] is False
    # an un-negated non-factive verb leaves its complement asserted
    s3 = "The envoy said that the delegations signed a ceasefire."
    assert _flags(nlp, s3, "signed")["negated"] is False


def test_reported_would_is_future_not_hypothetical(nlp):
    s = "Washington would press the junta to free detainees, a diplomat said."
    assert _set(_flags(nlp, s, "press")) == {"future"}


def test_historical_from_resolved_date(nlp):
    s = "Government forces withdrew from the province."
    old = DateRef(text="in March", start=date(2023, 3, 1), end=date(2023, 3, 31))
    recent = DateRef(text="last week", start=date(2023, 5, 1), end=date(2023, 5, 7))
    later = DateRef(text="next month", start=date(2023, 6, 1), end=date(2023, 6, 30))
    assert _flags(nlp, s, "withdrew", event_date=old)["historical"] is True
    assert _flags(nlp, s, "withdrew", event_date=recent)["historical"] is False
    assert _flags(nlp, s, "withdrew", event_date=date(2022, 1, 5))["historical"] is True
    flagged = _flags(nlp, s, "withdrew", event_date=later)
    assert flagged["future"] is True and flagged["historical"] is False
    # without a publication date nothing is historical
    assert _flags(nlp, s, "withdrew", pub=None, event_date=old)["historical"] is False


def test_analyse_reports_its_cues(nlp):
    doc = nlp("The cabinet will not approve the deal.")
    tok = next(t for t in doc if t.text == "approve")
    out = analyse(tok, PUB, None)
    assert out["negated"] and out["future"]
    assert any(c.startswith("negation") for c in out["cues"])
    assert any(c.startswith("future") for c in out["cues"])
    assert set(flags(tok, PUB, None)) == {"negated", "future", "hypothetical", "historical"}


def test_seed_article_modality(nlp):
    """The seed article (read from ../shared): the recognition is negated, the standfirst's
    talks are planned, the August withdrawal is historical."""
    from conftest import needs_shared

    text = needs_shared("seed", "000_b2749c64b7648e29.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    pub = date(2021, 10, 9)

    def tok(word, after=""):
        start = text.index(after) if after else 0
        return next(t for t in doc if t.text == word and t.idx >= start)

    assert flags(tok("recognized"), pub, None)["negated"] is True
    assert flags(tok("hold", "should hold"), pub, None)["future"] is True
    august = DateRef(text="late August", start=date(2021, 8, 21), end=date(2021, 8, 31))
    withdrew = flags(tok("withdrew"), pub, august)
    assert withdrew["historical"] and not withdrew["negated"]
    killed = flags(tok("killed"), pub, DateRef(text="Friday", start=date(2021, 10, 8)))
    assert not any(killed.values())


def test_ongoing_events_are_not_historical(nlp):
    old = DateRef(text="March", start=date(2023, 3, 1), end=date(2023, 3, 31))
    s = "Aid groups have criticised the blockade since March."
    assert _flags(nlp, s, "criticised", event_date=old)["historical"] is False
    s2 = "Militias looted the depot in March."
    i = s2.index("March")
    dated = DateRef(
        text="March",
        start=date(2023, 3, 1),
        end=date(2023, 3, 31),
        span=Span("a", 0, i, i + 5, "March"),
    )
    assert _flags(nlp, s2, "looted", event_date=dated)["historical"] is True
    s3 = "Clashes continued from March."
    i = s3.index("March")
    dated3 = DateRef(
        text="March", start=dated.start, end=dated.end, span=Span("a", 0, i, i + 5, "March")
    )
    assert _flags(nlp, s3, "continued", event_date=dated3)["historical"] is False


def test_reject_keeps_its_own_negation(nlp):
    doc = nlp("The junta does not accept foreign mediators.")
    tok = next(t for t in doc if t.text == "accept")
    assert flags(tok, PUB, None)["negated"] is True
    assert flags(tok, PUB, None, event_type="REJECT")["negated"] is False


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        # a conjunct with its own auxiliary has its own tense and polarity
        ("The rebels have said they do not want foreign troops and have warned the "
         "government about new attacks.", "warned", set()),
        ("The junta will not free the detainees but has released two journalists.",
         "released", set()),
        # a bare conjunct still shares them
        ("The militia will not disarm or leave the town.", "leave", {"negated", "future"}),
        ("The army did not attack or shell the camp.", "shell", {"negated"}),
    ],
)
def test_negation_and_future_stop_at_a_conjunct_with_its_own_auxiliary(
    nlp, sentence, word, expected
):
    assert _set(_flags(nlp, sentence, word)) == expected


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        # a to-infinitive saying what an act was for reports an aim, not a deed
        ("The ministry sent two battalions to retake the border crossing.", "retake",
         {"future"}),
        ("The rebels massed near the dam in order to storm the power station.", "storm",
         {"future"}),
        ("Donors set up a fund to rebuild the bombed clinics.", "rebuild", {"future"}),
        # ... but not after "the first", nor "only to"
        ("Egypt was the first country to recognise the council.", "recognise", set()),
        ("The militia withdrew from the hills, only to shell the valley again.", "shell",
         set()),
    ],
)
def test_purpose_clauses_look_ahead(nlp, sentence, word, expected):
    assert _set(_flags(nlp, sentence, word)) == expected


def test_purpose_is_done_for_speech_acts_and_when_dated_in_the_past(nlp):
    doc = nlp("Farmers gathered outside parliament to protest against the new tax.")
    tok = next(t for t in doc if t.text == "protest")
    assert flags(tok, PUB, None)["future"] is True
    assert flags(tok, PUB, None, event_type="PROTEST")["future"] is False
    sentence = "Last March gunmen came down from the hills to ambush the convoy."
    march = DateRef(text="Last March", start=date(2023, 3, 1), end=date(2023, 3, 31),
                    granularity="month", kind="date", value="2023-03",
                    span=Span(article_id="a", sentence=0, start=0, end=10, text="Last March"))
    assert _set(_flags(nlp, sentence, "ambush", event_date=march)) == {"historical"}
    assert _set(_flags(nlp, sentence, "ambush")) == {"future"}


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        # an order says what is to be done
        ("The pamphlets warned villagers: 'Go home or be shot.'", "shot", {"future"}),
        ('"Surrender the base," the loudspeakers told the garrison.', "Surrender", {"future"}),
        ("Please evacuate the clinic, the colonel told the nurses.", "evacuate", {"future"}),
        ("Lay down your arms, please surrender.", "surrender", {"future"}),
        # a base form after a subject, an auxiliary or a verb is no order
        ("The militia did not loot or burn the market.", "burn", {"negated"}),
        ("Volunteers helped rebuild the school.", "rebuild", set()),
    ],
)
def test_orders_look_ahead(nlp, sentence, word, expected):
    assert _set(_flags(nlp, sentence, word)) == expected


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        # what a noun foresees, plans or denies
        ("Diplomats warned of the danger of a clash along the river.", "clash", {"hypothetical"}),
        ("Plans for an assault on the harbour were drawn up in May.", "assault", {"future"}),
        ("There was no sign of a withdrawal from the ridge.", "withdrawal", {"negated"}),
        # a noun that only frames the event leaves it standing
        ("The site of the bombing was sealed off by police.", "bombing", set()),
        # what something may lead to is as unreal as the leading
        ("The feud could lead to riots in the capital.", "riots", {"hypothetical"}),
        ("The march ended in riots near the palace.", "riots", set()),
    ],
)
def test_nouns_that_frame_an_event(nlp, sentence, word, expected):
    assert _set(_flags(nlp, sentence, word)) == expected
