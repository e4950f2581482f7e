"""Counts: casualty, arrest, evacuation, protest and money figures tied to nouns and verbs."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import needs_shared, run_text

from newswire.extract import counts
from newswire.extract.numbers import parse_number
from newswire.model import Article, ArticleRecord, Count

PUB = date(2021, 10, 9)


def extract(nlp, text: str) -> list[Count]:
    rec = ArticleRecord(Article(text=text, published=PUB, source="test"), text=text)
    doc = nlp(text)
    rec.sentences = [(s.start_char, s.end_char) for s in doc.sents]
    out = counts.extract(doc, rec)
    for c in out:  # span integrity, always
        assert c.span is not None and rec.text[c.span.start:c.span.end] == c.span.text
        assert c.number_text in c.span.text
    return out


def summary(found: list[Count]) -> list[tuple]:
    return [(c.type, c.low, c.high, c.qualifier, c.object) for c in found]


@pytest.mark.parametrize(("text", "expected"), [
    ("A suicide bomber killed at least 46 worshippers at a mosque in the north.",
     ("KILL", 46, 46, "at least", "worshippers")),
    ("At least 46 people were killed when the bridge collapsed.",
     ("KILL", 46, 46, "at least", "people")),
    ("The death toll rose to 46 on Sunday, the health ministry said.",
     ("KILL", 46, 46, "", "")),
    ("Forty-six villagers died in the landslide.", ("KILL", 46, 46, "", "villagers")),
    ("Gunmen stormed the market and injured dozens.", ("WOUND", 24, 99, "", "")),
    ("Dozens were injured in the stampede.", ("WOUND", 24, 99, "", "")),
    ("Police arrested more than 120 protesters outside parliament.",
     ("ARREST", 120, 120, "more than", "protesters")),
    ("Between 20 and 30 people were detained overnight.", ("ARREST", 20, 30, "", "people")),
    ("Armed men kidnapped 15 students from a boarding school.",
     ("KIDNAP", 15, 15, "", "students")),
    ("Tens of thousands of demonstrators marched through the capital.",
     ("PROTEST", 20000, 99999, "", "demonstrators")),
    ("Several hundred families fled their homes as the river rose.",
     ("DISPLACE", 300, 900, "", "families")),
    ("Some 2,000 residents were evacuated by helicopter.",
     ("EVACUATE", 2000, 2000, "about", "residents")),
    ("Officials said 10 to 15 people were hurt in the blast.", ("WOUND", 10, 15, "", "people")),
    ("Two dozen soldiers were wounded in the ambush.", ("WOUND", 24, 24, "", "soldiers")),
])
def test_typed_counts(nlp, text, expected):
    got = summary(extract(nlp, text))
    assert expected in got, got


def test_killed_and_injured_in_one_sentence(nlp):
    got = summary(extract(nlp, "The bomber killed 12 soldiers and wounded more than 30 "
                               "civilians."))
    assert ("KILL", 12, 12, "", "soldiers") in got
    assert ("WOUND", 30, 30, "more than", "civilians") in got


def test_agent_counts_are_not_victims(nlp):
    got = summary(extract(nlp, "Forty militants killed 12 soldiers near the border."))
    assert got == [("KILL", 12, 12, "", "soldiers")]


def test_evacuation_pair_and_leavers(nlp):
    text = ("The spokesman said that 105 U.S. citizens and 95 green card holders have since "
            "departed on U.S.-facilitated flights. Hundreds of other foreigners and Afghans "
            "have also left on recent flights.")
    got = summary(extract(nlp, text))
    assert ("EVACUATE", 105, 105, "", "U.S. citizens") in got
    assert ("EVACUATE", 95, 95, "", "green card holders") in got
    assert ("LEAVE", 200, 999, "", "other foreigners and Afghans") in got


@pytest.mark.parametrize(("text", "amount", "iso"), [
    ("The World Bank pledged $2.5 million in emergency aid.", 2_500_000, "USD"),
    ("Britain promised £40m for reconstruction.", 40_000_000, "GBP"),
    ("The European Union approved 5 billion euros for the region.", 5_000_000_000, "EUR"),
])
def test_money(nlp, text, amount, iso):
    money = [c for c in extract(nlp, text) if c.type == "MONEY"]
    assert money and money[0].low == amount and money[0].currency == iso


@pytest.mark.parametrize("text", [
    "The 46-year-old driver was arrested at the scene.",
    "Turnout rose 12 percent in the second round.",
    "The talks began at 10 a.m. on March 3, 2019.",
    "It was the third attack on the convoy this month.",
    "Herders in the valley have been displaced at least five times since the drought began.",
    "Some families were uprooted four times in two years.",
    # a prospect is no toll
    "Relief groups feared that 40,000 villagers could be uprooted by the dam.",
])
def test_non_counts(nlp, text):
    assert [c for c in extract(nlp, text) if c.type != "MONEY"] == []


@pytest.mark.parametrize(("text", "tolls"), [
    # how many struck is not how many died
    ("Eight shepherds were killed in dozens of raids on the hill villages.", [("KILL", 8)]),
    ("Nine guards were wounded by two bombs at the gate.", [("WOUND", 9)]),
])
def test_the_means_of_harm_are_not_counted_as_its_toll(nlp, text, tolls):
    assert [(c.type, c.low) for c in extract(nlp, text)] == tolls


def test_an_uncertain_toll_is_still_a_count(nlp):
    found = extract(nlp, "Up to 30 villagers may have been killed during the night raid.")
    assert [(c.type, c.low) for c in found] == [("KILL", 30)]


def test_numbers():
    assert parse_number("forty-six") == 46
    assert parse_number("two dozen") == 24
    assert parse_number("1,200") == 1200
    assert parse_number("2.5 million") == 2_500_000
    assert parse_number("one hundred and five") == 105
    assert parse_number("many") is None
    # exact, not binary-float products: 4.1 * 1e6 is 4099999.9999999995 in floats
    assert parse_number("4.1m") == 4_100_000
    assert parse_number("8.2 billion") == 8_200_000_000


@pytest.mark.parametrize(("text", "expected"), [
    ("By March, 8,000 women and children had arrived at the refugee camp.",
     ("DISPLACE", 8000, 8000, "", "women and children")),
    ("Nearly 400 girls now live in camps for displaced families near the coast.",
     ("DISPLACE", 400, 400, "nearly", "girls")),
    ("Officials counted about 400 women and 1,100 children at camps for the displaced.",
     ("DISPLACE", 400, 400, "about", "women")),
    ("Roughly 250 activists are still held in prisons across the country.",
     ("ARREST", 250, 250, "about", "activists")),
    ("Tens of thousands of critics were thrown into jails after the coup.",
     ("ARREST", 20000, 99999, "", "critics")),
])
def test_counts_placed_in_camps_and_prisons(nlp, text, expected):
    got = summary(extract(nlp, text))
    assert expected in got, got


def test_a_camp_alone_does_not_make_a_displacement(nlp):
    assert extract(nlp, "About 500 soldiers arrived at the camp on Monday.") == []


def test_large_decimal_count_is_exact(nlp):
    got = summary(extract(nlp, "The floods displaced 4.1 million people last year."))
    assert ("DISPLACE", 4_100_000, 4_100_000, "", "people") in got


def test_seed_article_counts():
    path = needs_shared("seed", "000_b2749c64b7648e29.txt")
    rec = run_text(path.read_text(encoding="utf-8"), published=PUB)
    got = summary(rec.counts)
    assert ("KILL", 46, 46, "at least", "minority Shia minorities") in got
    assert any(c[0] == "WOUND" and (c[1], c[2]) == (24, 99) for c in got)
    assert ("EVACUATE", 105, 105, "", "U.S. citizens") in got
    assert ("EVACUATE", 95, 95, "", "green card holders") in got
    assert ("LEAVE", 200, 999, "", "other foreigners and Afghans") in got
    assert ("LEAVE", 24, 99, "", "US citizens") in got
    assert any(c[0] == "LEAVE" and c[1] == 2000 and c[4].startswith("green card holders")
               for c in got)
