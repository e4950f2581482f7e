"""Attribution rules added from PolNeAR error analysis, on sentences written for these tests."""

from __future__ import annotations

from conftest import run_text

from newswire.eval.quotes import annotate_raw
from newswire.model import Quote


def _by_cue(rec, cue: str) -> list[Quote]:
    return [q for q in rec.quotes if q.cue == cue]


def _parts(q: Quote) -> list[str]:
    return [q.span.text, *(s.text for s in q.extra_spans)]


def _spans_ok(rec) -> None:
    for q in rec.quotes:
        for s in [q.span, q.speaker_span, q.cue_span, *q.extra_spans]:
            if s is not None:
                assert rec.text[s.start:s.end] == s.text


def test_reported_clause_runs_to_the_end_of_the_sentence():
    rec = run_text("Governor Ann Marsh said a new tax on shipping is hurting the port and "
                   "driving jobs to neighboring states.")
    (q,) = _by_cue(rec, "say")
    assert q.span.text == ("a new tax on shipping is hurting the port and driving jobs to "
                           "neighboring states")
    _spans_ok(rec)


def test_reported_clause_stops_at_a_comma_and_conjunction():
    rec = run_text("Governor Ann Marsh said the tax was fair, but port workers disagreed.")
    (q,) = _by_cue(rec, "say")
    assert q.span.text == "the tax was fair"


def test_short_quotation_ending_in_a_comma_is_speech():
    rec = run_text('"Absolutely," she said when asked whether the talks would resume.')
    (q,) = _by_cue(rec, "say")
    assert q.kind == "direct"
    assert q.span.text == '"Absolutely,"'
    assert q.speaker_span.text == "she"


def test_split_quote_in_double_apostrophes_is_joined():
    rec = run_text("''We lost the vote,'' Mayor Tom Reyes told the council. "
                   "''We will not lose the next one.''")
    (q,) = _by_cue(rec, "tell")
    assert _parts(q) == ["''We lost the vote,''", "''We will not lose the next one.''"]
    assert q.speaker == "Tom Reyes"


def test_audience_of_tell_is_not_the_content():
    rec = run_text('"We will appeal the ruling," the mayor told reporters on Monday.')
    (q,) = _by_cue(rec, "tell")
    assert q.kind == "direct"
    assert q.span.text == '"We will appeal the ruling,"'
    assert q.speaker_span.text == "the mayor"


def test_passive_cue_takes_its_subject_into_the_content():
    rec = run_text("Many voters are expected to stay home on election day.")
    (q,) = _by_cue(rec, "expect")
    assert q.speaker_span is None
    assert _parts(q) == ["Many voters", "to stay home on election day"]


def test_dateline_is_not_the_source():
    rec = run_text("BRUSSELS (Reuters) — The foreign minister pledged to restore aid to the "
                   "region by June.")
    (q,) = _by_cue(rec, "pledge")
    assert q.speaker_span.text == "The foreign minister"
    assert q.span.text == "to restore aid to the region by June"


def test_adjective_chain_is_one_cue_with_the_subject_as_source():
    rec = run_text("Senator Ruth Alvarez was quick to point out that the bill had passed "
                   "once before.")
    assert len(rec.quotes) == 1
    (q,) = rec.quotes
    assert q.cue_span.text == "was quick to point out"
    assert q.speaker == "Ruth Alvarez"
    assert q.span.text == "that the bill had passed once before"


def test_participle_after_a_noun_takes_the_noun_as_source():
    rec = run_text("The plan drew a wave of Republicans urging the governor to veto it.")
    (q,) = _by_cue(rec, "urge")
    assert q.speaker_span.text == "Republicans"


def test_perfect_participle_is_not_read_as_passive():
    rec = run_text("The fund must be audited every year, as Senator Lee has said.")
    (q,) = _by_cue(rec, "say")
    assert q.speaker_span.text == "Senator Lee"
    assert q.span.text == "The fund must be audited every year"


def test_to_infinitive_cue_includes_its_governing_verb():
    rec = run_text("The governor is trying to persuade lawmakers that the plan is affordable.")
    (q,) = _by_cue(rec, "persuade")
    assert q.cue_span.text == "is trying to persuade"
    assert q.speaker_span.text == "The governor"


def test_headline_speaker_label_without_entity():
    rec = run_text("Kasich: Party must unite before the convention\n\n"
                   "The governor spoke in Ohio on Friday.")
    (q,) = _by_cue(rec, ":")
    assert q.speaker_span.text == "Kasich"
    assert q.speaker == "Kasich"
    assert q.span.text == "Party must unite before the convention"


def test_unlisted_verb_with_a_that_clause_and_a_named_subject():
    rec = run_text("Senator Maria Cole determined that the agency had overspent by $3 million.")
    (q,) = _by_cue(rec, "determine")
    assert q.speaker == "Maria Cole"
    assert q.span.text == "that the agency had overspent by $3 million"


def test_stance_verbs_and_verb_particle_cues():
    rec = run_text("Most farmers support the new water plan. "
                   "The minister spoke about the drought at the rally. "
                   "Several ministers see the deal as a mistake.")
    (support,) = _by_cue(rec, "support")
    assert support.speaker_span.text == "Most farmers"
    assert support.span.text == "the new water plan"
    (spoke,) = _by_cue(rec, "speak about")
    assert spoke.cue_span.text.startswith("spoke about")
    assert spoke.span.text.startswith("the drought")
    (see,) = _by_cue(rec, "see as")
    assert see.span.text == "the deal as a mistake"
    _spans_ok(rec)


def test_quotation_inside_the_object_keeps_the_object():
    rec = run_text('The director called the agency\'s handling of the files "extremely careless."')
    (q,) = _by_cue(rec, "call")
    assert q.kind == "mixed"
    assert q.span.text.startswith("the agency's handling of the files")


def test_clause_before_the_source_belongs_to_the_content():
    rec = run_text("After the court struck down the law in 2019, Hebert said, most states "
                   "rewrote their rules.")
    (q,) = _by_cue(rec, "say")
    assert q.speaker_span.text == "Hebert"
    assert _parts(q) == ["After the court struck down the law in 2019",
                         "most states rewrote their rules"]


def test_no_cue_for_a_nested_verb_inside_a_quotation():
    rec = run_text('"If anybody thinks the port will close, there is no data to suggest that," '
                   "said one union official.")
    (q,) = _by_cue(rec, "say")
    assert q.kind == "direct"
    assert q.speaker_span.text == "one union official"
    assert not _by_cue(rec, "think") and not _by_cue(rec, "suggest")


def test_yes_or_no_answer_is_the_content():
    rec = run_text("Asked whether the levy was fair, 46 percent of voters said no.")
    (q,) = _by_cue(rec, "say")
    assert q.span.text == "no"
    assert q.speaker_span.text == "46 percent of voters"


def test_transcript_turns_pasted_as_quotations_hold_the_floor_to_the_paragraph_end():
    rec = run_text("The station published the interview in full.\n\n"
                   "\"HOST: Welcome back. Will the council pass the budget tonight?\n\n"
                   "\"MAYOR OKAFOR: I expect so. The votes are there, and we have worked on "
                   "this for months.\n")
    turns = _by_cue(rec, ":")
    assert [q.speaker_span.text for q in turns] == ["HOST", "MAYOR OKAFOR"]
    assert turns[0].span.text.startswith("Welcome back")
    assert turns[0].span.text.endswith("the budget tonight?")
    assert turns[1].span.text.endswith("worked on this for months.")
    _spans_ok(rec)


def test_a_quotation_signed_with_a_dash_and_a_name_is_that_person_s():
    rec = run_text("Readers told us what the flood meant to them.\n\n"
                   "“We lost the shop and the house in one night. Nobody came for three "
                   "days.” ― Marta Ilves\n\n"
                   "“The river has never risen this fast, not in my lifetime.” — Tomas Reyes\n\n"
                   "The council meets on Monday — the first time since the flood.\n")
    signed = _by_cue(rec, "―")
    assert [q.speaker_span.text for q in signed] == ["Marta Ilves", "Tomas Reyes"]
    assert signed[0].span.text.startswith("“We lost the shop")
    assert "Nobody came for three days" in signed[0].span.text
    assert signed[0].speaker == "Marta Ilves"
    assert [q.source_class for q in signed] == ["named", "named"]
    _spans_ok(rec)


def test_a_passive_cue_with_no_clause_is_about_its_subject():
    rec = run_text("The new port levy was sharply criticized by the shipping union.")
    (q,) = _by_cue(rec, "criticize")
    assert q.span.text == "The new port levy"
    assert q.speaker_span.text == "the shipping union"


def test_call_for_someone_to_act_when_for_opens_the_clause():
    rec = run_text("The opposition leader called for the minister to resign over the dam.")
    (q,) = _by_cue(rec, "call for")
    assert q.span.text == "the minister to resign over the dam"
    assert q.speaker_span.text == "The opposition leader"


def test_a_promise_to_act_held_by_its_possessor():
    rec = run_text("Her promise to rebuild the bridge won her the election.")
    (q,) = _by_cue(rec, "promise")
    assert q.span.text == "to rebuild the bridge"
    assert q.speaker_span.text == "Her"


def test_a_quote_runs_on_past_a_non_breaking_space_at_the_paragraph_end():
    # uncleaned text (as in `newswire eval quotes`): cleaning would turn the space into " "
    (rec,) = annotate_raw(["“The river will rise again next spring,” she said.\u00a0\n"
                           "“We are not leaving; we are here to stay.”\n"])
    (q,) = _by_cue(rec, "say")
    assert [s.text for s in q.extra_spans] == ["“We are not leaving; we are here to stay.”"]


def test_an_unattributed_paragraph_after_the_attribution_sentence_goes_on_with_it():
    (rec,) = annotate_raw(["“The ferry must run all winter,” Ole Berg tells the Courier in a long "
                           "interview.\n\n“Without it the island empties. Every family here "
                           "knows it.”\n\nThe council votes in March.\n"])
    (q,) = _by_cue(rec, "tell")
    assert [s.text for s in q.extra_spans] == [
        "“Without it the island empties. Every family here knows it.”"]


def test_a_long_subject_between_the_quotation_and_its_cue():
    who = ("Jana Novak, the director of the regional water authority who has run it since "
           "the floods of 2002,")
    for text, cue, said in (
            (f"“Not this week, and not with this much rain on the way,” {who} said at a news "
             "conference in Brno.", "say", "“Not this week, and not with this much rain on "
             "the way,”"),
            (f"“Absolutely not,” {who} told the Herald.", "tell", "“Absolutely not,”")):
        rec = run_text(text)
        (q,) = _by_cue(rec, cue)
        assert q.span.text == said
        assert q.speaker_span.text.startswith("Jana Novak")


def test_a_show_title_is_not_what_the_guest_said():
    rec = run_text("Speaking on “Morning Report,” the senator pointed to Norway as the "
                   "likeliest buyer of the ore.")
    (q,) = _by_cue(rec, "point")
    assert q.span.text == "Norway as the likeliest buyer of the ore"


def test_the_clause_before_a_colon_is_not_what_is_said_after_it():
    rec = run_text("The gamble worked: she said turnout had doubled across the valley.")
    (q,) = _by_cue(rec, "say")
    assert q.span.text == "turnout had doubled across the valley"


def test_the_object_before_an_infinitive_opens_the_content():
    rec = run_text("The governor urged the party to drop its closed primaries before the "
                   "autumn vote.")
    (q,) = _by_cue(rec, "urge")
    assert q.span.text.startswith("the party to drop its closed primaries")


def test_the_cue_runs_from_the_verb_or_adjective_that_governs_an_infinitive():
    rec = run_text("Older voters are keen to say the bridge should be rebuilt.")
    (q,) = _by_cue(rec, "say")
    assert q.cue_span.text == "are keen to say"
    rec = run_text("The mayor stepped forward to praise the rescue crews.")
    (q,) = _by_cue(rec, "praise")
    assert q.cue_span.text == "stepped forward to praise"


def test_a_heading_before_a_colon_is_no_speaker():
    rec = run_text("UPDATE: The dam upstream of the town has failed and water is rising.\n\n"
                   "Mayor Ilves: We are evacuating the lower districts tonight.\n")
    assert [q.speaker_span.text for q in _by_cue(rec, ":")] == ["Mayor Ilves"]


def test_interview_answers_are_the_interviewee_s_and_questions_the_interviewer_s():
    rec = run_text("Senator Maria Lopez spoke to the Herald about the floods.\n\n"
                   "Q: Will the levee hold this winter?\n\n"
                   "A: I think it will, but we need the federal money now.\n")
    turns = _by_cue(rec, ":")
    assert [(q.speaker, q.source_class) for q in turns] == [
        ("interviewer", "unknown"), ("Maria Lopez", "named")]
    (nested,) = _by_cue(rec, "think")
    assert nested.speaker == "Maria Lopez"


def test_a_poll_or_a_view_after_in_is_the_source_of_its_sentence():
    rec = run_text("In a Harbor Tribune survey released Friday, 61 percent of dock workers backed "
                   "the strike. In the mayor's view, the port cannot wait another month. "
                   "The council member trails badly in the polls.")
    survey, view = _by_cue(rec, "in")
    assert survey.speaker_span.text == "a Harbor Tribune survey released Friday"
    assert survey.span.text == "61 percent of dock workers backed the strike"
    assert view.speaker_span.text == "the mayor's view"
    assert view.speaker == "mayor"  # who holds the view, as for "the mayor said"
    assert view.span.text == "the port cannot wait another month"
    _spans_ok(rec)


def test_what_someone_offers_is_the_content():
    rec = run_text("Senator Ruth Oyelaran offered a blunt assessment of the budget on Tuesday.")
    (q,) = _by_cue(rec, "offer")
    assert q.speaker == "Ruth Oyelaran"
    assert q.span.text.startswith("a blunt assessment of the budget")


def test_called_x_y_when_the_parser_makes_both_predicates():
    rec = run_text("Ruiz called both Obi and independent front-runner Ana Duarte “unfit” and "
                   "urged voters to stay home.")
    (q,) = _by_cue(rec, "call")
    assert q.speaker_span.text == "Ruiz"
    assert q.span.text.endswith("Ana Duarte “unfit”") and "Obi" in q.span.text


def test_an_opening_mark_typed_where_the_closing_one_belongs_still_closes():
    rec = run_text("“Not this year,“ the harbour master said. “The cranes are still broken.”\n\n"
                   "“We will reopen the north quay by spring, whatever the council decides,“ "
                   "said Tomas Brenner, who runs the port.")
    short, long_ = _by_cue(rec, "say")
    assert short.span.text == "“Not this year,“" and short.kind == "direct"
    assert long_.speaker == "Tomas Brenner"
    assert long_.span.text.startswith("“We will reopen") and long_.span.text.endswith("decides,“")
    _spans_ok(rec)


def test_a_surname_the_tagger_calls_an_organisation_is_the_person_named_before():
    rec = run_text("Marta Oskarsdottir, a nurse from Akureyri, said the ward was full. "
                   "Oskarsdottir said staff were exhausted. “We cannot go on like this,” she said.")
    assert [(q.speaker, q.source_class) for q in _by_cue(rec, "say")] == \
        [("Marta Oskarsdottir", "named")] * 3


def test_an_appositive_name_after_a_role_is_the_speaker_whatever_its_entity_label():
    rec = run_text("The UN envoy, Torvald de Mirandola, says the talks will resume in March.")
    (q,) = _by_cue(rec, "say")
    assert (q.speaker, q.source_class, q.speaker_role) == ("Torvald de Mirandola", "named",
                                                           "UN envoy")


def test_a_person_described_by_party_is_a_person_not_an_organisation():
    rec = run_text("Bob Calloway, a Tennessee Republican, criticised the plan on Monday. Mayor "
                   "Ana Ruiz defended it. The Tennessee Republican said the deal was weak. "
                   "A Democrat said the bill was dead.")
    tennessean, democrat = _by_cue(rec, "say")
    assert (tennessean.speaker, tennessean.source_class) == ("Bob Calloway", "named")
    assert democrat.source_class == "anonymous"


def test_a_quote_running_on_into_a_new_paragraph_with_the_line_break_lost():
    rec = run_text("Ingrid Halvorsen, the port director, said: “The cranes will be replaced this "
                   "year if the funding is agreed. “We cannot wait another winter. The old ones "
                   "are a danger to everyone.”")
    (q,) = _by_cue(rec, "say")
    assert q.kind == "direct" and q.speaker == "Ingrid Halvorsen"
    assert _parts(q) == ["“The cranes will be replaced this year if the funding is agreed.",
                         "“We cannot wait another winter. The old ones are a danger to everyone.”"]


def test_a_quotation_after_reported_speech_is_the_same_speaker_s():
    rec = run_text("Ingrid Halvorsen said the cranes would be replaced this year.\n\n"
                   "“We cannot wait another winter. The old ones are a danger to everyone.”\n\n"
                   "The council gave the project a warning.\n\n“Titanic” was shown in the hall.")
    reported, quoted = _by_cue(rec, "say")
    assert reported.kind == "indirect" and reported.span.text.endswith("this year")
    assert quoted.kind == "direct" and quoted.speaker == "Ingrid Halvorsen"
    assert quoted.span.text.startswith("“We cannot wait")
    assert not any("Titanic" in q.span.text for q in rec.quotes if q.cue != "show")
    _spans_ok(rec)


def test_a_name_set_off_after_a_fronted_phrase_is_the_speaker_and_keeps_the_pronoun():
    rec = run_text("Speaking to the Courier, Hugo Feld, father of Anna Feld, said his daughter "
                   "was safe. “She is coming home,” he said.")
    assert [q.speaker for q in _by_cue(rec, "say")] == ["Hugo Feld", "Hugo Feld"]


def test_a_relative_with_the_same_surname_is_not_merged_into_the_first_one_named():
    rec = run_text("Mayor Marta Lund opened the new bridge on Friday. Her brother, Erik Lund, "
                   "runs the ferry. “The bridge will ruin us,” Erik Lund said. Lund said the "
                   "ferry would keep running.")
    assert [q.speaker for q in _by_cue(rec, "say")] == ["Erik Lund", "Erik Lund"]


def test_a_counted_group_is_named_by_its_of_phrase():
    rec = run_text("Many hundreds of women said they wanted to go home. A group of farmers said "
                   "the dam had failed. One of the engineers said the gates were stuck.")
    women, farmers, engineer = _by_cue(rec, "say")
    assert (women.speaker, women.source_class) == ("Many hundreds of women", "unnamed-group")
    assert (farmers.speaker, farmers.source_class) == ("group of farmers", "unnamed-group")
    assert (engineer.speaker, engineer.source_class) == ("One of the engineers", "anonymous")


def test_taking_a_side_is_a_position_not_speech():
    rec = run_text("Senator Ida Brandt backed the harbour bill on Monday. Mayor Jon Salo said the "
                   "bill would pass.")
    (backed,) = _by_cue(rec, "back")
    (said,) = _by_cue(rec, "say")
    assert (backed.cue_class, backed.speaker) == ("position", "Ida Brandt")
    assert said.cue_class == "speech"


def test_a_speech_verb_with_only_a_noun_phrase_names_a_topic():
    rec = run_text("The two envoys discussed the water dispute on Monday. The mayor said the "
                   "pumps would run again, and asked about the repairs.")
    (discussed,) = _by_cue(rec, "discuss")
    (said,) = _by_cue(rec, "say")
    assert discussed.cue_class == "topic" and said.cue_class == "speech"


def test_an_object_that_is_the_message_is_speech_not_a_topic():
    rec = run_text("The rebel commander declared victory on Sunday. The ministry denied the "
                   "reports, and the envoy discussed the border.")
    (declared,) = _by_cue(rec, "declare")
    (denied,) = _by_cue(rec, "deny")
    (discussed,) = _by_cue(rec, "discuss")
    assert (declared.cue_class, denied.cue_class) == ("speech", "speech")
    assert discussed.cue_class == "topic"
    # refusing someone something, or a bare date, is no message
    rec = run_text("The junta keeps denying the miners their wages. The truce was announced "
                   "by the envoy in March.")
    assert [q.cue_class for q in rec.quotes] == ["topic", "topic"], [
        (q.cue, q.cue_class, q.text) for q in rec.quotes]


def test_a_first_name_alone_is_the_person_named_in_full_before():
    rec = run_text("“Nobody expected her to go,” says Dirk Hanning, a farmer. “She painted "
                   "every day,” says Dirk.")
    assert [q.speaker for q in _by_cue(rec, "say")] == ["Dirk Hanning", "Dirk Hanning"]


def test_a_pronoun_after_a_quotation_is_not_someone_named_inside_it():
    rec = run_text("Anna Berg runs the shelter in Tromso. “Most of her courage came from Lena "
                   "Solberg,” she says.")
    (q,) = _by_cue(rec, "say")
    assert q.speaker == "Anna Berg"


def test_a_quotation_does_not_go_to_a_participle_modifying_a_noun_in_the_next_sentence():
    rec = run_text("“I would have driven through the night,” says Pavel Orlov. “I would have "
                   "stayed at her side.” Then, on 20 May, Norland-backed rebels attacked the town.")
    (q,) = _by_cue(rec, "say")
    assert _parts(q) == ["“I would have driven through the night,”",
                         "“I would have stayed at her side.”"]
    assert not _by_cue(rec, "back")


def test_an_age_after_the_name_is_not_the_speaker_s_role():
    rec = run_text("Lena Vik, 24, said the camp was full. “We left at night,” said Arin Demir, "
                   "31, a teacher.")
    vik, demir = _by_cue(rec, "say")
    assert (vik.speaker, vik.speaker_role) == ("Lena Vik", "")
    assert (demir.speaker, demir.speaker_role) == ("Arin Demir", "teacher")


def test_a_definite_role_is_the_person_it_was_set_beside():
    rec = run_text("The defence secretary, Jan Holm, visited the base on Monday. Senator Rita "
                   "Vale attacked the defence secretary over the budget. A senior Vale adviser "
                   "was also there. The defence secretary said the troops would stay. The "
                   "senior Vale adviser said the budget was short.")
    holm, adviser = _by_cue(rec, "say")
    assert (holm.speaker, holm.source_class) == ("Jan Holm", "named")
    assert adviser.speaker != "Rita Vale" and adviser.source_class == "anonymous"


def test_a_ministry_the_tagger_calls_a_proper_noun_is_an_organisation():
    rec = run_text("US President Ada Morrow met the envoy. The foreign ministry said it agreed.")
    (q,) = _by_cue(rec, "say")
    assert q.source_class == "organisation"
