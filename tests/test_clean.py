"""clean(): artefacts and boilerplate out, headline / standfirst / body apart, byline moved."""

from __future__ import annotations

import re

from conftest import needs_shared

from newswire.clean import clean, looks_like_headline, split_paragraphs
from newswire.ingest import iter_inputs
from newswire.model import Article

# An invented wire story carrying the scrape artefacts seen in the wild.
SCRAPED = "\n\n".join([
    "By Amina Yusuf and Tom Becker, Associated Press",
    "Sudan's rival generals agree to Jeddah ceasefire talks",
    "Mediators say army and paramilitary delegations will meet to discuss a truce and aid "
    "corridors for the capital",
    "KHARTOUM, Sudan (AP) — Delegations from Sudan's army and the paramilitary Rapid Support "
    "Forces arrived in Jeddah on Friday, Saudi officials said. The talks follow three weeks of "
    "fighting in the capital. recording.",
    "Advertisement",
    "“We are ready to talk. . . about a humanitarian truce and nothing else,” said army "
    "spokesman Nabil Abdallah. “The rest can wait.”",
    "Share this article",
    "Hospital officials said at least 180 people had been killed in Khartoum, a figure the "
    "health ministry could not confirm, a UN official said. .",
    "Read more: Sudan crisis explained in five charts",
    "We use cookies to improve your experience. By continuing to browse you agree to our "
    "cookie policy.",
    "The United States and Saudi Arabia, which brokered the meeting, urged both sides to "
    "observe the truce while talks continue. (Reporting by Khalid Abdelaziz; Editing by "
    "Mark Heinrich)",
    "Yusuf reported from Nairobi, Kenya.\n",
    "Copyright 2023 The Associated Press. All rights reserved.",
    "Leave a Comment\n",
])


def _paras(rec) -> list[str]:
    return rec.text.split("\n\n")


def test_scraped_article_artefacts_removed():
    rec = clean(Article(text=SCRAPED, source="t"))
    text = rec.text
    for junk in ("Leave a Comment", "recording.", ". .", "Advertisement", "Share this",
                 "Read more", "cookie", "Copyright", "reported from", "Reporting by",
                 "By Amina"):
        assert junk not in text, junk
    assert "the capital.\n\n" in text  # the stray fragment went, the sentence stayed
    assert "a UN official said.\n\n" in text
    assert "KHARTOUM, Sudan (AP) — Delegations" in text  # dateline kept
    assert "“We are ready to talk … about a humanitarian truce" in text
    assert "“The rest can wait.”" in text  # typographic quotes kept


def test_scraped_article_sections_and_byline():
    rec = clean(Article(text=SCRAPED, source="t"))
    assert rec.title == "Sudan's rival generals agree to Jeddah ceasefire talks"
    kinds = [s.kind for s in rec.sections]
    assert kinds[:3] == ["headline", "standfirst", "body"]
    assert kinds.count("headline") == 1 and kinds.count("standfirst") == 1
    assert len(rec.sections) == len(_paras(rec))
    for sec, par in zip(rec.sections, _paras(rec), strict=True):
        assert rec.text[sec.start:sec.end] == par
    standfirst = rec.text[rec.sections[1].start:rec.sections[1].end]
    assert standfirst.startswith("Mediators say") and standfirst.endswith("for the capital")
    assert rec.byline.split("\n") == [
        "By Amina Yusuf and Tom Becker, Associated Press",
        "Reporting by Khalid Abdelaziz; Editing by Mark Heinrich",
        "Yusuf reported from Nairobi, Kenya.",
    ]
    assert _paras(rec)[-1].endswith("while talks continue.")


def test_ellipsis_keeps_the_quote_in_one_sentence(nlp):
    rec = clean(Article(text=SCRAPED, source="t"))
    doc = nlp(rec.text)
    quote = next(s.text for s in doc.sents if "ready to talk" in s.text)
    assert "humanitarian truce and nothing else,” said army spokesman" in quote
    headline = next(s for s in doc.sents if s.start_char == 0)
    assert headline.text.strip() == rec.title  # the headline never merges into a sentence


def test_given_title_is_prepended_once():
    body = ("Police arrested 23 people in Lagos on Monday.\n\n"
            "The protest was peaceful, organisers said.")
    rec = clean(Article(text=body, title="  Police  arrest 23 in Lagos ", source="t"))
    assert rec.title == "Police arrest 23 in Lagos"
    assert rec.text.startswith("Police arrest 23 in Lagos\n\nPolice arrested 23 people")
    assert [s.kind for s in rec.sections] == ["headline", "body", "body"]
    again = clean(Article(text="Police arrest 23 in Lagos\n\n" + body, title="Police arrest 23 "
                          "in Lagos", source="t"))
    assert again.text.count("Police arrest 23 in Lagos") == 1
    assert again.text == rec.text


def test_no_headline_when_first_paragraph_is_a_sentence():
    body = ("Police arrested 23 people in Lagos on Monday.\n\n"
            "Organisers said the march would resume on Friday")
    rec = clean(Article(text=body, source="t"))
    assert rec.title is None
    assert [s.kind for s in rec.sections] == ["body", "body"]


def test_hard_wrapped_lines_are_joined_but_headline_lines_are_not():
    text = ("Aid convoy reaches besieged town\n"
            "The first aid convoy in three months reached the town of Marib on\n"
            "Tuesday, carrying food and medicine for an estimated 40,000\n"
            "people, the World Food Programme said.\n"
            "A second convoy is planned for next week.\r\n")
    assert split_paragraphs(text) == [
        "Aid convoy reaches besieged town",
        "The first aid convoy in three months reached the town of Marib on Tuesday, carrying "
        "food and medicine for an estimated 40,000 people, the World Food Programme said.",
        "A second convoy is planned for next week.",
    ]
    rec = clean(Article(text=text, source="t"))
    assert rec.title == "Aid convoy reaches besieged town"
    assert "\r" not in rec.text and "  " not in rec.text


def test_content_that_merely_looks_like_boilerplate_stays():
    pars = [
        "By Friday, the rebels had taken the city and its airport.",
        "Related talks were held in Geneva last week without result.",
        "Published figures show a drop of 5 per cent in exports.",
        "The loan was denominated in U.S. dollars.",
        "Share prices fell sharply after the announcement on Monday.",
        "Officials said the ... meeting had been postponed.",
    ]
    rec = clean(Article(text="\n\n".join(pars), source="t"))
    assert _paras(rec) == pars
    assert rec.byline is None


def test_byline_falls_back_to_author_and_whitespace_is_normalised():
    rec = clean(Article(text="Troops  moved\u00a0north \t on Sunday.\n\n\n\nNo one was hurt.",
                        author="Grace Mwangi", source="t"))
    assert rec.text == "Troops moved north on Sunday.\n\nNo one was hurt."
    assert rec.byline == "Grace Mwangi"


def test_headline_rule():
    assert looks_like_headline("Taliban and US hold talks in Doha")
    assert looks_like_headline("Will the truce hold?")
    assert looks_like_headline("Ceasefire talks to resume with the U.S.")
    assert not looks_like_headline("The talks ended on Friday.")
    assert not looks_like_headline("By Jane Doe")
    assert not looks_like_headline("Advertisement")
    assert not looks_like_headline("lowercase start of something")


SEED = ("seed", "000_b2749c64b7648e29.txt")


def test_seed_cleans():
    path = needs_shared(*SEED)
    [art] = list(iter_inputs([str(path)]))
    rec = clean(art)
    assert "Leave a Comment" not in rec.text
    assert " recording." not in rec.text
    assert not re.search(r"\.\s+\.", rec.text)
    assert rec.byline == "Knickmeyer reported from Washington."
    assert "reported from Washington" not in rec.text
    assert rec.title == "US and Taliban hold first talks since Afghanistan withdrawal"
    assert [s.kind for s in rec.sections[:3]] == ["headline", "standfirst", "body"]
    assert rec.text[rec.sections[1].start:].startswith("Officials say senior Taliban")
    assert "“Yes, there is a meeting … on bilateral relations" in rec.text
    # the same text with no ingest step (title left in the text) cleans the same way
    raw = clean(Article(text=path.read_text(encoding="utf-8"), source="raw"))
    assert raw.text == rec.text and raw.title == rec.title and raw.byline == rec.byline


def test_html_page_through_ingest_and_clean(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Aid reaches Marib</title></head><body><article>"
        "<h1>Aid reaches Marib</h1>"
        "<p>MARIB, Yemen (AP) — The first aid convoy in three months reached the besieged city "
        "on Tuesday, the World Food Programme said.</p>"
        "<p>Advertisement</p><p>Share this article</p>"
        "<p>The convoy carried enough food for 40,000 people for a month, a WFP spokeswoman "
        "said, adding that a second convoy was planned.</p>"
        "<p>Associated Press writer Samy Magdy in Cairo contributed to this report.</p>"
        "</article></body></html>", encoding="utf-8")
    [art] = list(iter_inputs([str(page)]))
    rec = clean(art)
    assert rec.title == "Aid reaches Marib"
    assert _paras(rec) == [
        "Aid reaches Marib",
        "MARIB, Yemen (AP) — The first aid convoy in three months reached the besieged city on "
        "Tuesday, the World Food Programme said.",
        "The convoy carried enough food for 40,000 people for a month, a WFP spokeswoman said, "
        "adding that a second convoy was planned.",
    ]
    assert rec.byline == "Associated Press writer Samy Magdy in Cairo contributed to this report."


def test_an_editors_bracket_does_not_start_a_sentence(nlp):
    doc = nlp("Two farmers were shot dead on Sunday [4 May] in Kukawa town, a local "
              "official said. [Photo: file] The army denied it.")
    sents = [s.text for s in doc.sents]
    assert sents[0].endswith("a local official said.")
    assert "[4 May] in Kukawa" in sents[0]
    # after a full stop a bracket may still open the next sentence
    assert len(sents) >= 2
