"""The event coder on sentences written for these tests, and on the seed article."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import needs_shared, run_text

from newswire.extract import events as coder
from newswire.model import ArticleRecord, Event

PUB = date(2023, 3, 10)  # a Friday

# One wire-style sentence per PLOVER type (written for this test suite).
TYPED = [
    ("AGREE", "Kenya and Ethiopia agreed on Tuesday to reopen their shared border crossing."),
    ("CONSULT", "The French foreign minister met her Brazilian counterpart in Brasilia."),
    ("SUPPORT", "The European Union praised Ghana's central bank for its handling of the crisis."),
    ("CONCEDE", "The military government lifted the nationwide curfew on Sunday."),
    ("COOPERATE", "Spanish and Moroccan police have been sharing intelligence on smugglers."),
    ("AID", "Japan donated 50 tonnes of rice to flood victims in Bangladesh, the embassy said."),
    ("RETREAT", "Rebel fighters withdrew from the northern town of Kidal on Wednesday."),
    ("REQUEST", "Opposition leaders urged the president to release all political prisoners."),
    ("ACCUSE", "Human rights groups accused the police of torturing detainees in Lagos."),
    ("REJECT", "The Venezuelan government rejected the proposal for new elections on Thursday."),
    ("THREATEN", "The interior minister threatened to expel foreign journalists."),
    ("PROTEST", "Thousands of teachers protested outside parliament in Nairobi over pay."),
    ("SANCTION", "The United States imposed sanctions on three Iranian oil companies."),
    ("MOBILIZE", "Russia deployed additional troops to its border with Finland, officials said."),
    ("COERCE", "Security forces arrested 40 opposition activists in Harare on Saturday."),
    ("ASSAULT", "Gunmen attacked a police station in northern Burkina Faso on Sunday."),
]

NOT_EVENTS = [
    "A powerful storm lashed the coast of Florida on Tuesday, knocking out power to thousands.",
    "Arsenal beat Chelsea 2-1 in a tense match at the Emirates Stadium on Saturday.",
    "Two people died when their car crashed into a truck on the motorway near Leeds.",
    "The earthquake killed at least 30 people and destroyed hundreds of homes in the province.",
    "A fire at a furniture warehouse in Karachi killed six workers on Monday.",
    "A man stabbed his neighbour after an argument over a fence, police said.",
]


def _types(rec: ArticleRecord) -> list[str]:
    return [e.type for e in rec.events]


def _coded(rec: ArticleRecord) -> list[tuple[str, str]]:
    """(type, trigger) of each event: what a failing assertion shows."""
    return [(e.type, e.trigger) for e in rec.events]


def _top(rec: ArticleRecord) -> Event:
    assert rec.events, f"no event coded in: {rec.text!r}"
    return max(rec.events, key=lambda e: e.confidence)


@pytest.mark.parametrize(("etype", "text"), TYPED, ids=[t for t, _ in TYPED])
def test_each_plover_type(etype: str, text: str) -> None:
    rec = run_text(text, published=PUB)
    assert _top(rec).type == etype, [(e.type, e.trigger, e.confidence) for e in rec.events]


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_disasters_sport_accidents_are_not_events(text: str) -> None:
    rec = run_text(text, published=PUB)
    assert rec.events == [], _coded(rec)


def test_shooting_is_not_mistaken_for_a_blaze() -> None:
    rec = run_text("Soldiers opened fire on demonstrators in Mandalay on Sunday.", PUB)
    assert _top(rec).type == "ASSAULT"


def test_aid_to_disaster_victims_is_still_aid() -> None:
    rec = run_text("The World Food Programme delivered food to earthquake survivors.", PUB)
    assert _top(rec).type == "AID"


def test_conditional_clause_is_not_an_event() -> None:
    rec = run_text("The union will strike unless the government agrees to raise wages.", PUB)
    assert "AGREE" not in _types(rec)


def test_quote_cue_alone_is_not_an_event() -> None:
    rec = run_text("The finance minister said on Tuesday that inflation had slowed.", PUB)
    assert rec.events == []


def test_reported_speech_codes_the_embedded_event() -> None:
    rec = run_text("Officials said rebels ambushed an army convoy near Goma on Thursday.", PUB)
    ev = _top(rec)
    assert ev.type == "ASSAULT"
    assert ev.actors and ev.actors[0].sector in ("REB", "")
    assert "rebels" in ev.actors[0].text


def test_actor_and_recipient_are_coded() -> None:
    rec = run_text("Russian troops attacked Ukrainian positions near Kharkiv on Tuesday.", PUB)
    ev = _top(rec)
    assert ev.type == "ASSAULT"
    assert [a.code for a in ev.actors] == ["RUS"]
    assert ev.recipients and ev.recipients[0].code == "UKR"
    assert ev.date is not None and ev.date.start == date(2023, 3, 7)


def test_passive_voice_agent_is_the_actor() -> None:
    rec = run_text("Two Afghan soldiers were killed by Taliban fighters in Kandahar.", PUB)
    ev = _top(rec)
    assert ev.type == "ASSAULT"
    assert ev.actors and "Taliban" in ev.actors[0].text
    assert ev.recipients and "soldiers" in ev.recipients[0].text


def test_negation_is_flagged() -> None:
    rec = run_text("The government did not recognize the rebel council as a legitimate body.", PUB)
    ev = _top(rec)
    assert ev.type == "SUPPORT"
    assert ev.negated


def test_casualties_attach_to_the_attack() -> None:
    rec = run_text("Suspected jihadists killed at least 12 villagers in an attack on Saturday "
                   "in northern Mali.", PUB)
    ev = _top(rec)
    assert ev.type == "ASSAULT"
    assert ev.dead is not None and ev.dead.low == 12


def test_two_mentions_fuse_into_one_event_with_two_spans() -> None:
    text = ("Iran and Saudi Arabia will hold talks in Baghdad next week, officials said.\n\n"
            "The talks are expected to focus on the war in Yemen.")
    rec = run_text(text, PUB)
    consult = [e for e in rec.events if e.type == "CONSULT"]
    assert len(consult) == 1
    assert len(consult[0].spans) == 2
    assert {s.sentence for s in consult[0].spans} == {0, 1}


def test_different_events_are_not_fused() -> None:
    text = ("Militants attacked an army base in Borno on Monday.\n\n"
            "Separately, police fired tear gas at protesting students in Lagos on Tuesday.")
    rec = run_text(text, PUB)
    assault = [e for e in rec.events if e.type == "ASSAULT"]
    assert len({tuple(s.sentence for s in e.spans) for e in assault}) == len(assault)
    assert len(rec.events) >= 2


def test_spans_ids_and_scores_are_consistent() -> None:
    text = ("Israeli aircraft struck targets in Gaza on Friday, killing five people.\n\n"
            "Egypt called for an immediate ceasefire and offered to mediate between the sides.")
    rec = run_text(text, PUB)
    assert rec.events
    for n, ev in enumerate(rec.events, 1):
        assert ev.id == f"{rec.id}-E{n}"
        assert 0.0 < ev.confidence <= 1.0
        assert ev.quad_class in (1, 2, 3, 4)
        spans = list(ev.spans) + [a.span for a in ev.actors + ev.recipients if a.span]
        for s in spans:
            assert rec.text[s.start:s.end] == s.text
        for s in ev.spans:
            start, end = rec.sentences[s.sentence]
            assert start <= s.start and s.end <= end


def test_lexicon_only_coding_without_a_model() -> None:
    with coder.using_model(None):
        rec = run_text("Police arrested 20 protesters in Minsk on Sunday.", PUB)
    assert "COERCE" in _types(rec)


def test_seed_article_events() -> None:
    path = needs_shared("seed", "000_b2749c64b7648e29.txt")
    rec = run_text(path.read_text(encoding="utf-8"), published=date(2021, 10, 9))
    by_type: dict[str, list[Event]] = {}
    for ev in rec.events:
        by_type.setdefault(ev.type, []).append(ev)
    for etype in ("CONSULT", "ASSAULT", "RETREAT", "AGREE", "REJECT", "THREATEN", "ACCUSE",
                  "REQUEST", "SUPPORT"):
        assert etype in by_type, f"{etype} missing: {sorted(by_type)}"
    # one fused CONSULT: USA and the Taliban, in Doha, on the day of publication
    consult = [e for e in by_type["CONSULT"] if not e.negated]
    assert len(consult) == 1
    talks = consult[0]
    codes = {a.code for a in talks.actors + talks.recipients}
    assert {"USA", "AFG"} <= codes
    assert talks.place is not None and talks.place.name == "Doha"
    assert talks.date is not None and talks.date.start <= date(2021, 10, 9) <= talks.date.end
    assert len(talks.spans) >= 3
    # the IS suicide bombing: at least 46 dead, on Friday
    bombing = [e for e in by_type["ASSAULT"] if e.dead is not None]
    assert bombing and bombing[0].dead.low >= 46
    assert bombing[0].date is not None and bombing[0].date.start == date(2021, 10, 8)
    # the US withdrawal in late August
    retreat = [e for e in by_type["RETREAT"] if e.date and e.date.start]
    assert any(e.date.start.month == 8 and "USA" in {a.code for a in e.actors} for e in retreat)
    # "did not imply that the rebels accepted the truce": a negated SUPPORT, never a plain one
    assert by_type["SUPPORT"] and all(e.negated for e in by_type["SUPPORT"])


# --- precision rules (sentences written for these tests) -----------------------------------


def _all(rec: ArticleRecord, etype: str) -> list[Event]:
    return [e for e in rec.events if e.type == etype]


def _texts(actors) -> list[str]:
    return [a.text for a in actors]


@pytest.mark.parametrize(("text", "absent"), [
    ("The Peace and Support Mission for Darfur blocked a convoy near Nyala on Monday.",
     "SUPPORT"),  # "Support" is a word of an organisation's name
    ("Riot police fired water cannon at students in Nairobi on Friday.", "PROTEST"),
    ("The two presidents will meet again in Accra next March.", "PROTEST"),  # the month
])
def test_words_of_names_dates_and_titles_are_not_triggers(text: str, absent: str) -> None:
    rec = run_text(text, PUB)
    assert absent not in _types(rec), _coded(rec)


def test_things_and_places_are_not_recipients() -> None:
    rec = run_text("Riot police fired water cannon at students who blocked the highway to "
                   "the port.", PUB)
    fired = _all(rec, "ASSAULT")
    assert fired and "water cannon" not in _texts(fired[0].recipients)
    assert all("highway" not in a.text for e in rec.events for a in e.recipients)
    rec = run_text("Militants attacked a crowded market in Kano on Monday.", PUB)
    attack = _top(rec)
    assert attack.type == "ASSAULT" and attack.recipients == []
    assert [a.sector for a in attack.actors] == ["REB"]


def test_abstract_objects_are_not_recipients_but_actors_inside_them_are() -> None:
    rec = run_text("The ministry condemned the shelling of the hospital.", PUB)
    assert _top(rec).type == "ACCUSE" and _top(rec).recipients == []
    rec = run_text("Ethiopia demanded the withdrawal of Eritrean troops from the border town.",
                   PUB)
    ev = _top(rec)
    assert ev.type == "REQUEST"
    assert [(a.code, a.sector) for a in ev.recipients] == [("ERI", "MIL")]


def test_modifier_of_an_event_noun_is_not_an_actor() -> None:
    rec = run_text("Suicide attack at Kabul mosque kills 20 worshippers", PUB)
    assert _top(rec).type == "ASSAULT"
    assert all(a.text.lower() != "suicide" for e in rec.events for a in e.actors)


def test_relative_pronoun_subject_is_the_noun_it_describes() -> None:
    rec = run_text("Riot police fired water cannon at students who blocked the highway to "
                   "the port.", PUB)
    blocked = [e for e in rec.events if e.trigger == "blocked"]
    assert blocked and _texts(blocked[0].actors) == ["students"]


def test_fused_event_takes_the_most_specific_date() -> None:
    text = ("Separatists kill nine soldiers in Cameroon this year\n\n"
            "Separatists killed nine soldiers in Cameroon's Northwest region on Wednesday, "
            "the army said.")
    rec = run_text(text, PUB)
    attacks = _all(rec, "ASSAULT")
    assert len(attacks) == 1 and len(attacks[0].spans) == 2
    assert attacks[0].date is not None and attacks[0].date.granularity == "day"
    assert attacks[0].date.start == date(2023, 3, 8)


def test_fusion_prefers_the_finest_stated_date_in_either_order() -> None:
    from newswire.coding.event_fusion import fuse
    from newswire.model import DateRef, Span

    grains = {"year": (date(2023, 1, 1), date(2023, 12, 31)),
              "month": (date(2023, 3, 1), date(2023, 3, 31)),
              "day": (date(2023, 3, 8), date(2023, 3, 8))}

    def mention(start: int, granularity: str | None) -> Event:
        span = Span("a", start // 50, start, start + 5, "xxxxx")
        if granularity is None:  # the publication-date fallback: no span of its own
            ref = DateRef(text="", start=PUB, end=PUB, granularity="day")
        else:
            lo, hi = grains[granularity]
            ref = DateRef(text="x", start=lo, end=hi, granularity=granularity, span=span)
        return Event(id="", type="ASSAULT", date=ref, spans=[span])

    for first, second, want in (("year", "day", "day"), ("day", "year", "day"),
                                ("month", "year", "month"), (None, "month", "month")):
        fused = fuse([mention(0, first), mention(50, second)])
        assert len(fused) == 1
        assert fused[0].date is not None and fused[0].date.granularity == want
        assert fused[0].date.span is not None


@pytest.mark.parametrize(("text", "code"), [
    ("Canada completes troop withdrawal from Latvia", "CAN"),
    ("Ethiopia completed the withdrawal of its troops from Somalia on Tuesday.", "ETH"),
    ("Kenyan forces launched an offensive against the militants on Tuesday.", "KEN"),
])
def test_event_noun_actor_comes_from_the_light_verb_subject(text: str, code: str) -> None:
    ev = _top(run_text(text, PUB))
    assert ev.actors and ev.actors[0].code == code, [(a.text, a.code) for a in ev.actors]


def test_possessive_of_an_event_noun_is_its_actor() -> None:
    ev = _top(run_text("The army's withdrawal from the town was completed on Sunday.", PUB))
    assert ev.type == "RETREAT"
    assert ev.actors and ev.actors[0].sector == "MIL"


@pytest.mark.parametrize("text", [
    "The ministry did not respond to requests for comment.",
    "A spokesman for the army declined to comment on the report.",
    "The interior ministry did not reply to a request for comment on Tuesday.",
])
def test_journalistic_boilerplate_is_not_an_event(text: str) -> None:
    rec = run_text(text, PUB)
    assert rec.events == [], _coded(rec)


def test_first_person_must_is_not_a_request() -> None:
    for text in ('"We must deliver the aid to the camps," the minister said.',
                 '"We must finish the job," the minister told reporters.'):
        rec = run_text(text, PUB)
        assert "REQUEST" not in _types(rec), _coded(rec)
    rec = run_text("Western governments must release the frozen funds, the envoy said.", PUB)
    assert _top(rec).type == "REQUEST"


def test_a_scheduled_meeting_is_consult() -> None:
    rec = run_text("Negotiators from both countries will meet again in Geneva next month.", PUB)
    ev = _top(rec)
    assert ev.type == "CONSULT" and ev.future


def test_a_later_meeting_is_not_fused_with_the_one_that_took_place() -> None:
    text = ("The foreign ministers of Chad and Niger met in Niamey on Monday.\n\n"
            "Officials said the ministers will meet again in N'Djamena next month.")
    rec = run_text(text, PUB)
    consults = _all(rec, "CONSULT")
    assert len(consults) == 2, [(e.trigger, e.date) for e in consults]


def test_displacement_without_an_agent_is_not_an_assault() -> None:
    rec = run_text("More than 20,000 residents have been displaced from the valley since the "
                   "clashes started.", PUB)
    assert "ASSAULT" not in _types(rec), _coded(rec)


@pytest.mark.parametrize(("text", "absent"), [
    ("The militia committed atrocities against civilians in Darfur.", "AGREE"),
    ("The rebels released a video showing the hostages on Monday.", "RETREAT"),
    ("United States-backed fighters retook the last village held by the militants on "
     "Saturday.", "SUPPORT"),
    ("The plan is to move all non-Syrian alleged Isis members from the camps to Iraq.",
     "ACCUSE"),
    ("Her three-week-old son died last week after struggling to breathe.", "ASSAULT"),
])
def test_idioms_descriptions_and_agentless_deaths_are_not_events(text: str, absent: str) -> None:
    rec = run_text(text, PUB)
    assert absent not in _types(rec), _coded(rec)


def test_victims_of_a_death_verb_are_not_its_actors() -> None:
    rec = run_text("Three soldiers died in an ambush by Islamist militants near Gao.", PUB)
    ev = _top(rec)
    assert ev.type == "ASSAULT"
    assert [a.sector for a in ev.actors] == ["REB"]
    assert all("soldiers" not in a.text for a in ev.actors)


def test_military_strikes_are_assaults_and_labour_strikes_protests() -> None:
    assert _top(run_text("Russian air strikes on the city killed 12 civilians on Sunday.",
                         PUB)).type == "ASSAULT"
    assert _top(run_text("Teachers began a nationwide strike on Monday over unpaid wages.",
                         PUB)).type == "PROTEST"


def test_the_date_of_a_speech_verb_dates_the_report_not_the_event() -> None:
    rec = run_text("Gunmen attacked a police post in Mandera on Monday, killing four officers, "
                   "a police commander said on Tuesday.", PUB)
    attacks = _all(rec, "ASSAULT")
    assert attacks and all(e.date is not None and e.date.start != date(2023, 3, 7)
                           for e in attacks), [(e.trigger, e.date) for e in attacks]


def test_headline_and_body_mentions_fuse_when_coded_sides_differ() -> None:
    text = ("Attack on Kenyan border post kills four officers\n\n"
            "Suspected al-Shabaab gunmen attacked a police post in Mandera county on Monday, "
            "police said.")
    rec = run_text(text, PUB)
    attacks = _all(rec, "ASSAULT")
    assert len(attacks) == 1 and len(attacks[0].spans) == 2
    assert attacks[0].date is not None and attacks[0].date.start == date(2023, 3, 6)


def test_recipients_below_the_trigger() -> None:
    # the receiving state sits inside the infinitive or the object, not on the trigger
    rec = run_text("Norway has promised to continue military aid to Mozambique.", PUB)
    ev = _top(rec)
    assert [a.code for a in ev.recipients][:1] == ["MOZ"], (ev.type, _texts(ev.recipients))
    rec = run_text("The European Union agreed on Monday to provide emergency aid for Chad "
                   "and Niger.", PUB)
    ev = _top(rec)
    assert [a.code for a in ev.recipients][:1] == ["TCD"], (ev.type, _texts(ev.recipients))


def test_who_is_asked_to_act_is_the_recipient_of_a_demand() -> None:
    rec = run_text("Brazil demanded on Tuesday that Paraguay release the detained "
                   "fishermen.", PUB)
    ev = _top(rec)
    assert ev.type == "REQUEST"
    assert [a.code for a in ev.actors] == ["BRA"]
    assert [a.code for a in ev.recipients][:1] == ["PRY"]


def test_host_state_receives_a_visit_or_a_deployment_but_not_a_venue() -> None:
    rec = run_text("The Kenyan president arrived in Kampala on Wednesday for a two-day visit.",
                   PUB)
    visit = _all(rec, "CONSULT")
    assert visit and [a.code for a in visit[0].recipients] == ["UGA"]
    assert visit[0].recipients[0].span.text == "Kampala"
    rec = run_text("Egypt and Ethiopia held talks in Khartoum on Wednesday.", PUB)
    talks = _all(rec, "CONSULT")
    assert talks and "SDN" not in {a.code for a in talks[0].recipients}


def test_subject_of_a_readiness_phrase_is_the_actor() -> None:
    rec = run_text("Kenya is ready to contribute 2,000 troops to a regional force in "
                   "Somalia, the defence minister said.", PUB)
    ev = _top(rec)
    assert [a.code for a in ev.actors][:1] == ["KEN"], (ev.type, _texts(ev.actors))


def test_uncoded_actor_takes_the_country_of_the_event_place() -> None:
    rec = run_text("President Alassane Ouattara extended the night curfew in Abidjan on "
                   "Sunday.", PUB)
    ev = _top(rec)
    assert [a.code for a in ev.actors] == ["CIV"]
    assert [a.code_inferred for a in ev.actors] == [True]  # a guess, and marked as one
    rec = run_text("Ivorian police extended the night curfew in Abidjan on Sunday.", PUB)
    assert [(a.code, a.code_inferred) for a in _top(rec).actors] == [("CIV", False)]
    # not a thing called for: "a general strike" is no recipient, coded or not
    rec = run_text("Opposition leaders in Harare called for a general strike on Monday.", PUB)
    ev = _top(rec)
    assert "a general strike" not in _texts(ev.recipients)
    assert [a.code for a in ev.actors] == ["ZWE"]


def test_groups_of_several_countries_take_no_country_from_the_place() -> None:
    rec = run_text("African and European leaders agreed in Nairobi on Wednesday to create a "
                   "fund for drought-hit countries.", PUB)
    ev = _top(rec)
    assert ev.type == "AGREE"
    assert "KEN" not in {a.code for a in ev.actors + ev.recipients}, (
        [(a.text, a.code) for a in ev.actors + ev.recipients])


def test_where_parties_meet_says_nothing_of_whose_they_are() -> None:
    # a visiting envoy is not a national of the country he visits, nor a summit's guests of
    # the host's; a domestic act keeps the guess (see the Abidjan curfew above)
    rec = run_text("The envoy Halvard Brenne held talks in Kigali on Tuesday.", PUB)
    talks = _all(rec, "CONSULT")
    assert talks and "RWA" not in {a.code for a in talks[0].actors}, (
        [(a.text, a.code) for a in talks[0].actors])
    rec = run_text("Delegates pledged new funds for flood relief at the summit in Accra.", PUB)
    assert "GHA" not in {a.code for e in rec.events for a in e.actors}, (
        [(e.type, [(a.text, a.code) for a in e.actors]) for e in rec.events])


def test_recipients_after_to_demand_that_against_and_between() -> None:
    cases = [
        # the parser labels this "to" dative
        ("Japan is supplying water purification equipment and medical kits to Tonga after "
         "the eruption.", "AID", "TON"),
        ("The African Union repeated its demand that Mali hold elections by March.",
         "REQUEST", "MLI"),
        ("The archbishop called for sanctions against Myanmar after the coup.", "REQUEST", "MMR"),
        ("Oman offered to mediate between Iran and Saudi Arabia.", None, "IRN"),
    ]
    for text, etype, code in cases:
        ev = _top(run_text(text, PUB))
        assert etype is None or ev.type == etype, (text, ev.type)
        assert [a.code for a in ev.recipients][:1] == [code], (text, _texts(ev.recipients))


def test_an_obligation_reported_by_someone_is_their_request_of_the_subject() -> None:
    ev = _top(run_text("Germany said on Friday that Turkey must release the detained "
                       "journalists.", PUB))
    assert ev.type == "REQUEST"
    assert [a.code for a in ev.actors] == ["DEU"]
    assert [a.code for a in ev.recipients] == ["TUR"]


def test_a_concession_made_in_a_country_is_received_there() -> None:
    ev = _top(run_text("Serbia lifted the overnight curfew in Montenegro on Monday.", PUB))
    assert ev.type == "CONCEDE"
    assert [a.code for a in ev.actors] == ["SRB"]
    assert [a.code for a in ev.recipients] == ["MNE"]


def test_a_possessive_pronoun_on_a_noun_trigger_is_the_clause_subject():
    rec = run_text("Egypt on Monday renewed its demand that Hamas free the hostages.")
    (ev,) = [e for e in rec.events if e.trigger == "demand"]
    assert [a.code for a in ev.actors] == ["EGY"]


def test_two_acts_of_one_sentence_with_different_agents_stay_apart():
    rec = run_text("Turkey's demand that Sweden extradite the journalists angered Stockholm.")
    (demand,) = [e for e in rec.events if e.trigger == "demand"]
    assert [a.code for a in demand.actors] == ["TUR"]
    assert [a.code for a in demand.recipients] == ["SWE"]


def test_a_protest_by_foreigners_is_received_by_the_state_it_happens_in():
    rec = run_text("Several hundred Turkish students marched through Vienna on Friday against "
                   "the new visa rules.")
    (ev,) = [e for e in rec.events if e.type == "PROTEST"]
    assert [a.code for a in ev.recipients] == ["AUT"]


def test_the_party_a_condition_is_put_to_receives_the_threat():
    rec = run_text("Chile threatened to close the border unless Bolivia paid the debt.")
    (ev,) = [e for e in rec.events if e.type == "THREATEN"]
    assert [a.code for a in ev.recipients] == ["BOL"]


def test_an_actor_object_below_the_trigger_is_its_recipient():
    rec = run_text("Premier Lund threatened to expel Zambian mining contractors from the copper "
                   "belt.")
    (ev,) = [e for e in rec.events if e.type == "THREATEN"]
    assert [a.code for a in ev.recipients] == ["ZMB"]


def test_a_noun_trigger_takes_the_target_phrase_of_the_verb_that_carries_it():
    rec = run_text("Workers held a strike on Monday against the labour minister.")
    (ev,) = [e for e in rec.events if e.type == "PROTEST"]
    assert ev.recipients and ev.recipients[0].text == "the labour minister"


def test_an_event_takes_the_date_of_its_setting_or_of_the_verb_it_is_embedded_under():
    rec = run_text("At a meeting in Vienna last week the foreign minister, Lena Varga, rejected "
                   "the proposal. The ministers will gather in Oslo on Wednesday to discuss "
                   "the ceasefire plan.", published=date(2024, 5, 10))
    reject = next(e for e in rec.events if e.type == "REJECT")
    assert (reject.date.start, reject.date.end) == (date(2024, 4, 29), date(2024, 5, 5))
    oslo = [e for e in rec.events if e.spans[0].sentence == 1]
    assert oslo and all(e.date.start == date(2024, 5, 15) for e in oslo)


def test_a_foreign_government_s_statement_is_placed_at_home_not_in_the_war_zone():
    rec = run_text("Government troops shelled the city of Idlib in northern Syria on "
                   "Tuesday, killing nine people. The Danish government condemned the attack. "
                   "Norwegian aid workers delivered food to the town.", published=date(2024, 5, 10))
    by_type = {e.type: e for e in rec.events}
    condemn = by_type["ACCUSE"]
    assert condemn.place.country == "DNK" and condemn.place.span.text == "The Danish government"
    assert by_type["ASSAULT"].place.country == "SYR"
    assert by_type["AID"].place.country == "SYR"  # on the ground: the article's place


def _mention(sentence: int, *, dead: float | None = None, place=None, when=None,
             historical: bool = False, count_at: int | None = None) -> Event:
    from newswire.model import Count, DateRef, Span

    span = Span("a", sentence, sentence * 100, sentence * 100 + 5, "xxxxx")
    ev = Event(id="", type="ASSAULT", spans=[span], place=place, historical=historical,
               date=when or DateRef(text="", start=PUB, end=PUB, granularity="day"))
    if dead is not None:
        at = sentence if count_at is None else count_at
        ev.dead = Count(type="KILL", low=dead, high=dead, number_text=str(int(dead)),
                        span=Span("14", at, at * 100 + 10, at * 100 + 12, "14"))
    return ev


def test_a_casualty_figure_does_not_travel_to_a_distant_mention() -> None:
    from newswire.coding.event_fusion import fuse

    fused = fuse([_mention(0), _mention(12, dead=14)])
    assert len(fused) == 2
    assert fused[0].dead is None and fused[1].dead is not None
    # a nearby mention (headline, then the body) still brings its figure
    near = fuse([_mention(0), _mention(1, dead=14)])
    assert len(near) == 1 and near[0].dead is not None and near[0].dead.low == 14


def test_mentions_with_different_casualty_figures_are_two_events() -> None:
    from newswire.coding.event_fusion import fuse

    fused = fuse([_mention(0, dead=14), _mention(1, dead=30)])
    assert sorted(e.dead.low for e in fused if e.dead) == [14, 30]
    assert len(fuse([_mention(0, dead=14), _mention(1, dead=14)])) == 1


def test_mentions_placed_in_two_named_countries_are_two_events() -> None:
    from newswire.coding.event_fusion import fuse
    from newswire.model import Place, Span

    def place(name: str, code: str, sentence: int) -> Place:
        return Place(name, code, precision="country",
                     span=Span(name, sentence, sentence * 100, sentence * 100 + 4, name))

    fused = fuse([_mention(0, place=place("Yemen", "YEM", 0)),
                  _mention(1, place=place("Iran", "IRN", 1))])
    assert len(fused) == 2
    # the article's main place, not named in the mention's sentence, does not split it
    assert len(fuse([_mention(0, place=place("Yemen", "YEM", 0)),
                     _mention(1, place=place("Iran", "IRN", 7))])) == 1


def test_one_sentence_one_figure_is_one_incident_whatever_its_dates() -> None:
    from newswire.coding.event_fusion import fuse
    from newswire.model import DateRef

    may = DateRef(text="in May 2017", start=date(2017, 5, 1), end=date(2017, 5, 31),
                  granularity="month", span=_mention(3).spans[0])
    fused = fuse([_mention(3, dead=22, when=may, historical=True), _mention(3, dead=22)])
    assert len(fused) == 1 and fused[0].dead is not None and fused[0].date is may


def test_an_attack_and_the_blast_that_caused_it_count_the_dead_once() -> None:
    rec = run_text("The bombing of the stadium in March 2016 killed 31 fans after an attacker "
                   "detonated a suicide vest.", date(2019, 2, 18))
    dead = [e.dead.low for e in rec.events if e.type == "ASSAULT" and e.dead is not None]
    assert dead == [31], [(e.trigger, e.dead) for e in rec.events]


def test_arrests_and_deaths_of_one_sentence_go_to_their_own_events() -> None:
    rec = run_text("Hundreds of students were detained and at least 17 killed during a "
                   "month of protests against the government.", PUB)
    coerce = [e for e in rec.events if e.type == "COERCE"]
    assert coerce and all(e.dead is None for e in coerce), [(e.trigger, e.dead) for e in coerce]
    assert any(e.arrested is not None for e in coerce)
    assert all(e.arrested is None for e in rec.events if e.type == "ASSAULT")


def test_a_headline_event_takes_the_toll_from_the_body_however_far_down():
    rec = run_text("Rebels stormed the town of Valmora on Monday. Residents fled to the hills. "
                   "Aid agencies asked for access. Roads were closed. At least 12 soldiers were "
                   "killed in the fighting, officials said.",
                   published=date(2024, 5, 10), title="Heavy fighting in Valmora")
    tolls = [e for e in rec.events if e.dead is not None]
    assert len(tolls) == 1 and tolls[0].dead.low == 12
    assert any(s.start < rec.text.index("Rebels") for s in tolls[0].spans)  # the headline's


def test_an_event_told_in_a_dated_report_takes_the_report_s_date_not_the_paper_s():
    rec = run_text("The governor said on Sunday that government troops were shelling the town "
                   "of Idlib.", published=date(2024, 5, 14))
    (shelling,) = [e for e in rec.events if e.type == "ASSAULT"]
    assert shelling.date.start == date(2024, 5, 12) and shelling.date.text == "Sunday"


def test_a_lexicon_trigger_keeps_its_type_when_the_classifier_only_reads_the_main_clause():
    # the demand in the main clause must not make the coup in the time clause a demand too;
    # its pronoun subject is the junta of the main clause
    rec = run_text("Gandoria's ruling junta had demanded the expulsion of foreign contractors "
                   "after it seized power in a coup in March 2022.", PUB)
    (seized,) = [e for e in rec.events if e.trigger == "seized"]
    assert seized.type == "COERCE"
    assert _texts(seized.actors) == ["Gandoria's ruling junta"]


def test_a_complement_takes_its_type_from_what_governs_it():
    rec = run_text("The junior partner's refusal to pull out from the ruling coalition kept "
                   "the government alive.", PUB)
    assert all(e.type != "RETREAT" for e in rec.events), _coded(rec)


@pytest.mark.parametrize("text", [
    "Militias backed by the western coalition held the ridge above Tarvel.",
    "Insurgents fighting the president hold most of the southern hills.",
    "The charity, a network that rescues people from collapsed buildings, has 300 staff.",
    "Backed by hired gunships, the militia now holds the southern hills.",
    "The old fort served as a base for attacks along the coastal plain.",
])
def test_a_participle_or_present_relative_on_an_actor_describes_it(text: str) -> None:
    rec = run_text(text, PUB)
    assert [e.type for e in rec.events if e.type in ("SUPPORT", "ASSAULT", "AID")] == [], (
        _coded(rec))


def test_a_dated_participle_on_an_actor_is_still_an_event() -> None:
    rec = run_text("The 30 pupils kidnapped on Friday night were still missing.", PUB)
    assert "kidnapped" in [e.trigger for e in rec.events], _coded(rec)


@pytest.mark.parametrize(("text", "trigger"), [
    ("Government troops retook the hill town of Sarvel on Saturday.", "retook"),
    ("Rebels captured two villages north of the dam.", "captured"),
    ("Militants overran an army post near the river crossing.", "overran"),
    ("The army encircled the old quarter of the city on Tuesday.", "encircled"),
    ("The army reported it had reclaimed the river town of Qasra from rebels.", "reclaimed"),
])
def test_taking_ground_is_an_assault(text: str, trigger: str) -> None:
    rec = run_text(text, PUB)
    assert (trigger, "ASSAULT") in [(e.trigger, e.type) for e in rec.events], (
        _coded(rec))


def test_capturing_a_person_is_not_taking_ground() -> None:
    rec = run_text("The reporter captured by the militia in 2012 is still alive.", PUB)
    assert "ASSAULT" not in _types(rec), _coded(rec)


@pytest.mark.parametrize(("text", "etype"), [
    ("The strike on the fuel convoy killed nine drivers.", "ASSAULT"),
    ("The group soon claimed the strike on the fuel depot.", "ASSAULT"),
    ("Dock workers began a strike over unpaid wages on Monday.", "PROTEST"),
    # what carries it, what modifies it, what it hits
    ("The general ordered a strike against the rebel airfield.", "ASSAULT"),
    ("The allied strike was over within an hour, the ministry said.", "ASSAULT"),
    ("A strike on Hezbollah's arms depot was reported overnight.", "ASSAULT"),
    ("Three drivers died in the strike on the fuel trucks.", "ASSAULT"),
    # ... unless the sentence is about work
    ("Bus drivers launched a strike on Monday.", "PROTEST"),
    ("Dockers began a strike at the port of Antwerp.", "PROTEST"),
])
def test_a_strike_is_an_attack_or_a_walkout_by_what_surrounds_it(text: str, etype: str) -> None:
    rec = run_text(text, PUB)
    assert [e.type for e in rec.events if e.trigger == "strike"] == [etype], (
        _coded(rec))


@pytest.mark.parametrize(("text", "threat"), [
    ("The agency warned that 9,000 displaced families needed shelter before winter.", False),
    ("The envoy warned that a siege of the port would cause famine.", False),
    ("The army warned that it would retaliate against any incursion.", True),
    ("The envoy's warning came a day after the shelling stopped.", False),
    ("Ankara issued a warning to the militia that it would strike back.", True),
    ("The minister warned the rebels that they would be crushed.", True),
])
def test_a_warning_is_a_threat_only_when_it_says_what_someone_will_do(text, threat) -> None:
    rec = run_text(text, PUB)
    assert ("THREATEN" in _types(rec)) is threat, _coded(rec)


@pytest.mark.parametrize("text", [
    "Some 9,000 civilians have been shot dead in the region since the uprising began in 2014.",
    "Gunmen have killed eleven peacekeepers in total, the mission said.",
    "Nearly 600 villagers have been shot in five months of raids.",
    "The ministry has long accused the movement of smuggling arms.",
])
def test_a_running_toll_or_a_standing_charge_is_no_event_of_the_day(text: str) -> None:
    rec = run_text(text, PUB)
    assert [e.type for e in rec.events if e.type in ("ASSAULT", "ACCUSE")] == [], (
        _coded(rec))


def test_a_process_summed_up_since_an_accord_is_still_news() -> None:
    rec = run_text("Nearly half of the rebel fighters have been disarmed since the accord was "
                   "signed in May.", PUB)
    assert "disarmed" in [e.trigger for e in rec.events], _coded(rec)


def test_the_country_a_demand_is_aimed_at_is_not_where_it_was_made() -> None:
    rec = run_text("Speaking in Tbilisi on Monday, the prime minister urged Armenia to reopen "
                   "the border crossing.", PUB)
    (ask,) = [e for e in rec.events if e.type == "REQUEST"]
    assert ask.place is not None and ask.place.country == "GEO", ask.place
    rec = run_text("The foreign minister blamed Azerbaijan on Monday for the collapse of the "
                   "ceasefire.", PUB)
    blame = [e for e in rec.events if e.type == "ACCUSE"]
    assert blame and (blame[0].place is None or blame[0].place.country != "AZE"), blame[0].place


@pytest.mark.parametrize(("text", "etype", "n"), [
    # far apart, different agents: two withdrawals
    ("Kenyan troops pulled out of the border town of Mandera. Residents said the streets were "
     "quiet. Shops stayed shut. Aid lorries waited at the checkpoint. Teachers asked for news "
     "of colleagues. Farmers stayed home. Analysts compared it with the militia's withdrawal "
     "from the hills.", "RETREAT", 2),
    # a bare mention further down names the event told at the top
    ("Gunmen attacked a police post in Garsen on Monday. Residents fled to the river. Shops "
     "stayed shut. Aid lorries waited. Teachers asked for news. The attack left the town "
     "without police, the governor said.", "ASSAULT", 1),
    # far apart on the same day, in two places: two events
    ("Shelling killed 40 people in the suburbs of Harran on Tuesday. Doctors ran out of blood. "
     "Schools closed. Bakeries shut. Families hid in basements. Aid lorries waited. In the "
     "north, Turkish troops shelled Marvan on Tuesday.", "ASSAULT", 2),
])
def test_far_apart_mentions_need_something_in_common_to_be_one_event(text, etype, n) -> None:
    found = [e for e in run_text(text, PUB).events if e.type == etype]
    assert len(found) == n, [(e.trigger, [s.sentence for s in e.spans]) for e in found]


def test_who_withdraws_or_surrenders_is_the_of_phrase_of_the_noun() -> None:
    rec = run_text("Militiamen entered the depot once the withdrawal of the last Chadian "
                   "troops was over.", PUB)
    (pullout,) = [e for e in rec.events if e.trigger == "withdrawal"]
    assert [a.code for a in pullout.actors] == ["TCD"], _texts(pullout.actors)
    assert "TCD" not in {a.code for a in pullout.recipients}


def test_a_possible_toll_is_no_casualty_figure_of_a_real_event() -> None:
    rec = run_text("The envoy warned the army that some 8,000 villagers could be killed if it "
                   "stormed the valley.", PUB)
    assert all(e.dead is None for e in rec.events if not e.hypothetical), (
        [(e.type, e.trigger, e.dead) for e in rec.events])
    rec = run_text("Shelling killed 14 people on Monday and could kill many more, medics said.",
                   PUB)
    assert [(e.dead.low if e.dead else None) for e in rec.events if e.type == "ASSAULT"
            and e.hypothetical] in ([], [None])


def test_a_town_that_is_attacked_is_the_place_not_the_recipient() -> None:
    rec = run_text("Government jets bombed Homs and Jinderes on Sunday.", PUB)
    (shelling,) = [e for e in rec.events if e.type == "ASSAULT"]
    assert shelling.recipients == [] and shelling.place is not None, (
        _texts(shelling.recipients), shelling.place)
    rec = run_text("Police opened fire on residents of Kano on Sunday.", PUB)
    (fire,) = [e for e in rec.events if e.type == "ASSAULT"]
    assert _texts(fire.recipients) == ["residents of Kano"]


def test_what_a_warning_is_about_has_not_happened() -> None:
    rec = run_text("Ankara cautioned the allies against any assault on the northern province.",
                   PUB)
    assert "ASSAULT" not in _types(rec), _coded(rec)


def test_its_fighters_are_those_of_the_group_named_before() -> None:
    rec = run_text("Al-Shabaab no longer holds most of its towns. Its fighters attacked a "
                   "police post near Afmadow on Sunday.", PUB)
    (raid,) = [e for e in rec.events if e.type == "ASSAULT"]
    assert [(a.code, a.code_inferred) for a in raid.actors] == [("SOM", False)], (
        [(a.text, a.code) for a in raid.actors])


def test_the_subject_of_a_verb_is_not_the_agent_of_an_event_named_in_its_time_phrase() -> None:
    rec = run_text("Families gathered in the square after the attack on the mosque.", PUB)
    assert all("Families" not in _texts(e.actors) for e in rec.events if e.type == "ASSAULT"), (
        [(e.type, _texts(e.actors)) for e in rec.events])


def test_a_passive_toll_takes_the_agent_of_the_attack_it_names() -> None:
    rec = run_text("Forty villagers were killed during a week of raids and shelling by forces "
                   "loyal to the junta, medics said.", PUB)
    (killing,) = [e for e in rec.events if e.type == "ASSAULT"]
    assert any("forces" in a.text for a in killing.actors), _texts(killing.actors)


@pytest.mark.parametrize(("text", "kept"), [
    ("Why did the border police detain the two reporters?", []),
    ("Would the militia really shell a market full of children?", []),
    ("Who ordered the marines to besiege the port?", []),
    ("Remember the militiamen who burned the customs post?", []),
    # a stray question mark after a report leaves the report standing
    ("Gunmen burned the customs post on Friday, witnesses said, wondering where the "
     "guards had gone?", ["burned"]),
    ("Rebels, now short of food, have burned the depot to slow the advance, raising the "
     "question: what happens to the people who stayed?", ["burned"]),
])
def test_a_question_reports_no_event(text: str, kept: list[str]) -> None:
    rec = run_text(text, PUB)
    assert [e.trigger for e in rec.events if e.trigger in ("detain", "shell", "besiege",
                                                          "burned")] == kept


@pytest.mark.parametrize(("text", "trigger", "found"), [
    ("Ambulances carried the wounded to a field hospital near Mosul.", "wounded", False),
    ("The detained were moved to a prison outside Erbil on Sunday.", "detained", False),
    ("Eleven miners were injured when police fired on the picket line.", "injured", True),
])
def test_the_wounded_are_people_not_an_act(text: str, trigger: str, found: bool) -> None:
    rec = run_text(text, PUB)
    assert (trigger in [e.trigger for e in rec.events]) is found, (
        _coded(rec))


def test_strikers_are_workers_not_footballers() -> None:
    rec = run_text("Police fired on the strikers outside the smelter, injuring eleven.", PUB)
    assert "ASSAULT" in _types(rec), _coded(rec)


@pytest.mark.parametrize(("text", "trigger", "etype"), [
    # a negated intention to give something up is a refusal
    ("The garrison does not intend to yield the airfield.", "yield", "REJECT"),
    # a negated hostile future is no threat (the flags carry it)
    ("The militia will not shell the market again, its commander said.", "shell", "ASSAULT"),
])
def test_negated_intentions(text: str, trigger: str, etype: str) -> None:
    rec = run_text(text, PUB)
    assert [e.type for e in rec.events if e.trigger == trigger] == [etype], (
        _coded(rec))


def test_one_sense_of_strike_per_article() -> None:
    military = run_text("Allied jets carried out strikes on two depots near Homs on Friday. "
                        "Critics said the strikes had come too late.", PUB)
    assert "PROTEST" not in _types(military), _coded(military)
    # an article that also speaks of walkouts keeps each use apart
    mixed = run_text("Allied jets carried out strikes on two depots near Homs on Friday. "
                     "In Athens a general strike shut the ports, and the strike may go on.", PUB)
    assert {"ASSAULT", "PROTEST"} <= set(_types(mixed)), _coded(mixed)


@pytest.mark.parametrize(("text", "trigger", "types"), [
    # an armed force moving into ground is an offensive, or at least a deployment
    ("Loyalist fighters began entering the old city on Tuesday.", "entering", ["MOBILIZE"]),
    ("Rebel units have swept through the valley in the past month.", "swept", ["ASSAULT"]),
    ("Rebel units swept through the northern districts overnight.", "swept", ["ASSAULT"]),
    ("Army tanks surrounded the refinery on Sunday.", "surrounded", ["ASSAULT"]),
    # anyone else entering is not
    ("Aid inspectors entered the warehouse on Monday.", "entered", []),
])
def test_armed_movement_is_an_offensive_or_a_deployment(
    text: str, trigger: str, types: list[str]
) -> None:
    rec = run_text(text, PUB)
    assert [e.type for e in rec.events if e.trigger == trigger] == types, (
        _coded(rec))



@pytest.mark.parametrize(("text", "trigger", "actor"), [
    # the object of "force", "help", "allow" does what the to-clause says
    ("Army units forced the insurgents to surrender near the dam.", "surrender",
     "the insurgents"),
    # a verb joined further down keeps the forcing side
    ("Troops forced the villagers to leave and burned the granary.", "burned", "Troops"),
])
def test_the_object_of_force_does_what_it_is_forced_to(text: str, trigger: str,
                                                        actor: str) -> None:
    rec = run_text(text, PUB)
    ev = next(e for e in rec.events if e.trigger == trigger)
    assert [a.text for a in ev.actors] == [actor]


@pytest.mark.parametrize(("text", "trigger"), [
    ("Opposition leaders called for the army to step aside.", "called"),
    ("Rights groups pushed for the tribunal to reopen the case.", "pushed"),
])
def test_calling_for_someone_to_act_is_a_request(text: str, trigger: str) -> None:
    rec = run_text(text, PUB)
    ev = next((e for e in rec.events if e.trigger == trigger), None)
    assert ev is not None and ev.type == "REQUEST", _coded(rec)
    # who is to act is who is asked
    assert [a.text for a in ev.recipients] in (["the army"], ["the tribunal"])


def test_a_one_word_organisation_names_no_event() -> None:
    rec = run_text("Amnesty urged the junta to free the students on Friday.", PUB)
    assert "Amnesty" not in [e.trigger for e in rec.events], (
        _coded(rec))


@pytest.mark.parametrize(("text", "etype"), [
    ("Gunmen tried to kidnap the district governor on Monday.", "COERCE"),
    ("Insurgents tried to storm the prison on Monday.", "ASSAULT"),
])
def test_an_attempt_is_the_act_not_a_threat(text: str, etype: str) -> None:
    rec = run_text(text, PUB)
    assert _types(rec) == [etype], _coded(rec)


@pytest.mark.parametrize(("text", "etype"), [
    # damage done to property by a state, and a state's blockade, are coercion
    ("Army bulldozers demolished four shops in the old market on Sunday.", "COERCE"),
    ("The navy reimposed its blockade of the island's ports on Friday.", "COERCE"),
    # a blockade by protesters is a protest
    ("Truckers mounted a blockade of the border bridge on Monday.", "PROTEST"),
])
def test_demolitions_and_blockades(text: str, etype: str) -> None:
    rec = run_text(text, PUB)
    assert _types(rec)[:1] == [etype], _coded(rec)
