"""Quotes and attribution on sentences written for these tests, the seed, and the brat scorer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import needs_shared, run_text

from newswire.eval import quotes as evq
from newswire.model import Quote


def _spans_ok(rec, q: Quote) -> None:
    for s in [q.span, q.speaker_span, q.cue_span, *q.extra_spans]:
        if s is not None:
            assert rec.text[s.start:s.end] == s.text
            assert s.text and s.text == s.text.strip()
            lo, hi = rec.sentences[s.sentence]
            assert lo <= s.start < hi


def _by_cue(rec, cue: str) -> list[Quote]:
    return [q for q in rec.quotes if q.cue == cue]


def test_split_direct_quote_joined_and_surname_resolved():
    text = (
        "Defence Minister Rania Haddad met army commanders in the capital on Monday.\n\n"
        "“We will not negotiate while the shelling continues,” said Haddad. "
        "“Our door stays open to anyone who lays down arms.”\n\n"
        "The talks are expected to resume next week."
    )
    rec = run_text(text, date(2024, 3, 5))
    direct = [q for q in rec.quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert q.speaker == "Rania Haddad"
    assert q.source_class == "named"
    assert q.speaker_span.text == "Haddad"
    assert q.span.text.startswith("“We will not negotiate")
    second = "“Our door stays open to anyone who lays down arms.”"
    assert [s.text for s in q.extra_spans] == [second]
    assert q.cue == "say" and q.cue_span.text == "said"
    _spans_ok(rec, q)


def test_indirect_said_that_with_role():
    text = ("Interior Ministry spokesman Omar Farouk said Thursday that 12 people were "
            "arrested after the protest in the northern city.")
    rec = run_text(text, date(2024, 3, 9))
    (q,) = _by_cue(rec, "say")
    assert q.kind == "indirect"
    assert q.speaker == "Omar Farouk"
    assert q.speaker_role == "Interior Ministry spokesman"
    # PolNeAR convention: the complementiser belongs to the content, the day to the cue
    assert q.span.text == "that 12 people were arrested after the protest in the northern city"
    assert q.cue_span.text == "said Thursday"
    _spans_ok(rec, q)


def test_according_to_organisation():
    text = ("According to the State Department, about 300 citizens remain in the country and "
            "are waiting for seats on evacuation flights.")
    rec = run_text(text)
    (q,) = _by_cue(rec, "according to")
    assert q.source_class == "organisation"
    assert "State Department" in q.speaker
    assert q.speaker_span.text == "the State Department"
    assert q.cue_span.text == "According to"
    assert q.span.text.startswith("about 300 citizens remain")
    _spans_ok(rec, q)


def test_anonymous_official():
    text = ("The ceasefire could collapse within days, a senior official who spoke on condition "
            "of anonymity said.")
    rec = run_text(text)
    (q,) = _by_cue(rec, "say")
    assert q.source_class == "anonymous"
    assert q.span.text == "The ceasefire could collapse within days"
    assert q.speaker_span.text.startswith("a senior official")
    _spans_ok(rec, q)


def test_unnamed_group():
    text = "Officials said the bridge would stay closed until engineers inspect the damage."
    rec = run_text(text)
    (q,) = _by_cue(rec, "say")
    assert q.source_class == "unnamed-group"
    assert q.speaker.lower() == "officials"
    assert q.span.text.startswith("the bridge would stay closed")


def test_pronoun_resolved_to_antecedent():
    text = ("Opposition leader Maria Santos toured the flooded districts on Sunday. "
            "She said the government had ignored repeated warnings about the levees.")
    rec = run_text(text)
    (q,) = _by_cue(rec, "say")
    assert q.speaker_span.text == "She"
    assert q.speaker == "Maria Santos"
    assert q.source_class == "named"


def test_definite_official_resolves_to_earlier_anonymous_source():
    text = ("Aid convoys will be allowed through the border crossing, a UN official said. "
            "The crossing had been shut for a month. "
            "The official said the first trucks would leave on Tuesday.")
    rec = run_text(text)
    quotes = _by_cue(rec, "say")
    assert len(quotes) == 2
    assert quotes[1].speaker_span.text == "The official"
    assert quotes[1].speaker == quotes[0].speaker
    assert quotes[1].source_class == "anonymous"


def test_scare_quote_is_not_a_direct_quote_and_quotes_hide_nested_cues():
    text = ("The rebels have warned the capital about so-called “liberation” raids. "
            "“I think they will come back,” the mayor said.")
    rec = run_text(text)
    assert all(q.span.text != "“liberation”" for q in rec.quotes)
    assert not _by_cue(rec, "think")  # the cue sits inside the mayor's quotation
    (q,) = _by_cue(rec, "say")
    assert q.kind == "direct" and q.span.text == "“I think they will come back,”"


def test_parenthetical_cue_splits_the_content():
    text = "The new border rules, the minister said, will take effect in January."
    rec = run_text(text)
    (q,) = _by_cue(rec, "say")
    assert q.kind == "indirect"
    assert q.span.text == "The new border rules"
    assert [s.text for s in q.extra_spans] == ["will take effect in January"]
    _spans_ok(rec, q)


def test_beliefs_intentions_and_cue_phrases():
    text = ("Farmers' unions were frustrated that the subsidy talks had stalled again. "
            "The ministry said in a statement that it would publish the figures on Friday. "
            "Opposition lawmakers plan to challenge the budget in court.")
    rec = run_text(text)
    (stance,) = [q for q in rec.quotes if q.cue == "frustrated"]
    assert stance.cue_class == "stance" and stance.cue_span.text == "were frustrated"
    assert stance.span.text == "that the subsidy talks had stalled again"
    assert stance.source_class == "unnamed-group"
    (said,) = _by_cue(rec, "say")
    assert said.cue_span.text == "said in a statement"
    assert said.cue_class == "speech"
    assert said.source_class == "organisation"
    assert said.span.text == "that it would publish the figures on Friday"
    (plan,) = _by_cue(rec, "plan")
    assert plan.cue_class == "intention" and plan.kind == "indirect"
    assert plan.span.text == "to challenge the budget in court"
    for q in rec.quotes:
        _spans_ok(rec, q)


def test_odd_input_does_not_break():
    text = ("He said “this quote never closes\n\nAccording to\n\n"
            "\"Straight quotes work too,\" said a spokeswoman. \"And they run on here.\"")
    rec = run_text(text)
    for q in rec.quotes:
        _spans_ok(rec, q)
    direct = [q for q in rec.quotes if q.kind == "direct" and q.span.text.startswith('"')]
    assert direct and direct[0].source_class == "anonymous"
    assert [s.text for s in direct[0].extra_spans] == ['"And they run on here."']


def test_seed_article():
    seed = needs_shared("seed", "000_b2749c64b7648e29.txt")
    rec = run_text(seed.read_text(encoding="utf-8"), date(2021, 10, 9))
    for q in rec.quotes:
        _spans_ok(rec, q)
    direct = [q for q in rec.quotes if q.kind == "direct"]
    shaheen = [q for q in direct if q.speaker == "Suhail Shaheen" and q.extra_spans]
    assert shaheen and shaheen[0].speaker_role == "Taliban spokesman"
    told = [q for q in rec.quotes if q.cue == "tell"]
    assert told and told[0].speaker == "Suhail Shaheen" and "2020" in told[0].span.text
    the_official = [q for q in rec.quotes
                    if q.speaker_span and q.speaker_span.text == "the official"]
    assert the_official and the_official[0].source_class == "anonymous"
    assert the_official[0].speaker == "a US official"
    assert any(q.source_class == "anonymous" for q in rec.quotes)
    price = [q for q in rec.quotes if q.speaker == "Ned Price"]
    assert price and "105" in price[0].span.text and "95" in price[0].span.text
    assert price[0].speaker_role == "State Department spokesman"
    assert any(q.source_class == "organisation" and "State Department" in q.speaker
               and q.cue == "according to" for q in rec.quotes)
    assert any(q.source_class == "unnamed-group" for q in rec.quotes)


# --- the brat scorer -------------------------------------------------------------------------

BRAT_TEXT = (
    "The mayor said the bridge will reopen on Monday. "
    "Residents hope the repairs last.\n"
)


def _write_brat(root: Path, anns: dict[str, str]) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "doc1.txt").write_text(BRAT_TEXT, encoding="utf-8")
    for suffix, body in anns.items():
        (root / "attributions" / f"doc1_{suffix}.ann").write_text(body, encoding="utf-8")
    return root


def _t(tid: str, label: str, start: int, end: int) -> str:
    return f"{tid}\t{label} {start} {end}\t{BRAT_TEXT[start:end]}\n"


def _offsets(sub: str) -> tuple[int, int]:
    i = BRAT_TEXT.index(sub)
    return i, i + len(sub)


def test_eval_on_tiny_brat_dir(tmp_path):
    src, cue = _offsets("The mayor"), _offsets("said")
    content = _offsets("the bridge will reopen on Monday")
    # gold content with "that"-less exact span, plus a second attribution we cannot find
    # ("Residents hope" is annotated with a content that starts two words later)
    src2, cue2, cont2 = _offsets("Residents"), _offsets("hope"), _offsets("repairs last")
    good = (_t("T1", "Source", *src) + _t("T2", "Cue", *cue) + _t("T3", "Content", *content)
            + _t("T4", "Attribution", *cue)
            + "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
            + _t("T5", "Source", *src2) + _t("T6", "Cue", *cue2) + _t("T7", "Content", *cont2)
            + _t("T8", "Attribution", *cue2)
            + "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n")
    # an alternative annotation that matches nothing we output
    a, b = _offsets("Monday")
    other = (_t("T1", "Source", a, b) + _t("T2", "Cue", a, b) + _t("T3", "Content", a, b)
             + _t("T4", "Attribution", a, b) + "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n")
    root = _write_brat(tmp_path / "brat", {"aaaa": other, "bbbb": good})
    res = evq.evaluate(root)
    assert res["texts"] == 1 and res["ann_files"] == 2 and res["texts_with_alternatives"] == 1
    roles = res["roles"]
    for role in ("source", "cue"):
        assert roles[role]["gold"] == 2
        assert roles[role]["predicted"] == 2
        assert roles[role]["exact"]["matched"] == 2
    # "the repairs last": covers all gold words ("repairs last") → overlap, not exact
    assert roles["content"]["exact"]["matched"] == 1
    assert roles["content"]["overlap"]["matched"] == 2
    assert roles["content"]["overlap"]["f1"] == pytest.approx(1.0)
    assert roles["content"]["exact"]["f1"] == pytest.approx(0.5)


def test_eval_discontinuous_spans_and_rendering(tmp_path):
    ann = ("T1\tContent 0 9;15 19\tThe mayor said\n"
           "T2\tCue 10 14\tsaid\nT3\tAttribution 10 14\tsaid\n"
           "E1\tAttribution:T3 Cue:T2 Content:T1\n")
    root = _write_brat(tmp_path / "b", {"x": ann})
    gold = evq.read_ann(root / "attributions" / "doc1_x.ann")
    assert gold.spans["content"] == [((0, 9), (15, 19))]
    assert gold.spans["source"] == []
    words = evq.Words(BRAT_TEXT)
    assert len(words.tokens(gold.spans["content"][0])) == 3
    res = evq.evaluate(root)
    from rich.console import Console

    console = Console(record=True, width=160)
    evq.render(res, console)
    out = console.export_text()
    assert "overlap F1" in out and "best" in out


def test_eval_skips_malformed_lines(tmp_path):
    src, cue = _offsets("The mayor"), _offsets("said")
    ann = ("T1\tSource 0 x\tbroken\n" + _t("T2", "Source", *src) + _t("T3", "Cue", *cue)
           + "E1\tAttribution:T3 Source:T2 Cue:T3 Content:T9\n")
    res = evq.evaluate(_write_brat(tmp_path / "m", {"x": ann}))
    assert res["skipped_lines"] == 1
    assert res["roles"]["source"]["gold"] == 1 and res["roles"]["content"]["gold"] == 0
    assert res["roles"]["source"]["exact"]["matched"] == 1


def test_eval_polnear_dev_smoke():
    dev = needs_shared("data", "polnear", "dev")
    res = evq.evaluate(dev, limit=3)
    assert res["texts"] == 3
    for role in ("source", "cue", "content"):
        r = res["roles"][role]
        assert r["gold"] > 0 and r["predicted"] > 0
        assert 0 < r["overlap"]["f1"] <= 1


def test_cue_takes_adverbials_and_verb_chains():
    text = ("Governor Lena Ortiz on Monday rejected the proposal. "
            "The company declined to say whether the plant in Leeds would close. "
            "Ortiz said on Tuesday in an interview with Reuters that the budget was balanced.")
    rec = run_text(text)
    (chain,) = _by_cue(rec, "decline")
    assert chain.cue_span.text == "declined to say"
    assert chain.span.text == "whether the plant in Leeds would close"
    (said,) = _by_cue(rec, "say")
    assert said.cue_span.text == "said on Tuesday in an interview with Reuters"
    assert said.span.text == "that the budget was balanced"
    assert said.speaker_span.text == "Ortiz"
    for q in rec.quotes:
        _spans_ok(rec, q)


def test_object_content_keeps_its_preposition():
    text = "The opposition leader accused the ministry of hiding the true cost of the dam."
    rec = run_text(text)
    (q,) = _by_cue(rec, "accuse")
    assert q.span.text == "the ministry of hiding the true cost of the dam"
    assert q.speaker_span.text == "The opposition leader"


def test_impression_content_includes_its_subject():
    text = "The ceasefire talks appeared to be close to collapse on Sunday night."
    rec = run_text(text)
    (q,) = _by_cue(rec, "appear")
    assert q.speaker_span is None
    assert [q.span.text, *(s.text for s in q.extra_spans)] == [
        "The ceasefire talks", "to be close to collapse on Sunday night"]


def test_quotation_opening_next_paragraph_continues_speaker():
    text = ("The mayor spoke on Tuesday.\n\n“We will rebuild the bridge by spring,” Mayor Dana "
            "Holt said at the town hall.\n\n“Nobody should have to drive an hour to get to "
            "work. That is not acceptable.”\n\nThe council meets next week.")
    rec = run_text(text)
    (q,) = _by_cue(rec, "say")
    assert q.speaker_span.text == "Mayor Dana Holt"
    assert q.cue_span.text == "said at the town hall"
    assert [s.text for s in q.extra_spans] == [
        "“Nobody should have to drive an hour to get to work. That is not acceptable.”"]


def test_headline_name_colon_source_is_the_name():
    text = ("John Kerry: We Will Not Cut Farm Subsidies This Year\n\n"
            "He told farmers in Iowa on Friday that the budget was safe.")
    rec = run_text(text)
    colon = [q for q in rec.quotes if q.cue == ":"]
    assert colon and colon[0].speaker_span.text == "John Kerry"
    assert colon[0].span.text == "We Will Not Cut Farm Subsidies This Year"
