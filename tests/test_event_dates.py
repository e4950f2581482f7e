"""Event dates: a date in a clause that belongs to the event verb's occasion dates it."""

from __future__ import annotations

from datetime import date

from conftest import run_text

PUB = date(2021, 10, 13)  # a Wednesday


def _date_of(text: str, trigger: str):
    rec = run_text(text, PUB)
    evs = [e for e in rec.events if trigger in (e.trigger or "")]
    assert evs, f"no event on {trigger!r}: {[e.trigger for e in rec.events]}"
    return evs[0].date


def test_a_date_in_a_temporal_clause_dates_the_event():
    d = _date_of("Police had beaten the students as they tried to escape on Thursday.", "beaten")
    assert d is not None and d.start == date(2021, 10, 7)


def test_a_date_of_the_main_verb_dates_a_participial_event():
    d = _date_of("Dozens of rebels kept walking out of the caves over the weekend, "
                 "surrendering to the army.", "surrender")
    assert d is not None and (d.start, d.end) == (date(2021, 10, 9), date(2021, 10, 10))


def test_a_closer_date_of_its_own_wins():
    d = _date_of("Rebels shelled the airport on Monday after the talks failed on Sunday.",
                 "shelled")
    assert d is not None and d.start == date(2021, 10, 11)
