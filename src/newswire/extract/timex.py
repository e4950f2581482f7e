"""Normalising one temporal expression to a TIMEX3-style value and a date interval.

Fast rules cover the forms news text uses (weekdays, month names, years, decades,
quarters, seasons, parts of months, "last week", "two days ago", durations, sets).
``dateparser`` is the fallback: measured on TimeBank it is ~1 ms per call, returns
a single day for "late August" or "the 1990s", has no notion of quarters, seasons,
durations or sets, and resolves "Friday" into the future with PREFER_DATES_FROM
ignored for weekdays in some versions — so it only sees what the rules left.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from newswire.extract.numbers import fmt, parse_number


@dataclass(frozen=True)
class Timex:
    value: str
    start: date | None = None
    end: date | None = None
    granularity: str = ""
    kind: str = "date"  # date | duration | set | age
    point: date | None = None  # the very day inside a coarser value ("a week ago")


@functools.cache
def tables() -> dict:
    path = resources.files("newswire") / "data" / "temporal.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _alt(name: str) -> str:
    words = sorted(tables()[name], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


@functools.cache
def _re(pattern: str) -> re.Pattern:
    # {M} months, {W} weekdays, {S} seasons, {U} units, {O} offset words, {P} parts
    for key, name in (("M", "months"), ("W", "weekdays"), ("S", "seasons"), ("U", "units"),
                      ("O", "offsets"), ("P", "parts")):
        pattern = pattern.replace("{" + key + "}", _alt(name))
    return re.compile(pattern)


# ---------------------------------------------------------------- intervals


def day(d: date) -> Timex:
    return Timex(d.isoformat(), d, d, "day")


def week(d: date) -> Timex:
    y, w, _ = d.isocalendar()
    mon = d - timedelta(days=d.weekday())
    return Timex(f"{y}-W{w:02d}", mon, mon + timedelta(days=6), "week")


def weekend(d: date) -> Timex:
    sat = d - timedelta(days=d.weekday()) + timedelta(days=5)
    y, w, _ = sat.isocalendar()
    return Timex(f"{y}-W{w:02d}-WE", sat, sat + timedelta(days=1), "week")


def month(y: int, m: int) -> Timex:
    last = calendar.monthrange(y, m)[1]
    return Timex(f"{y:04d}-{m:02d}", date(y, m, 1), date(y, m, last), "month")


def part_of_month(y: int, m: int, part: str) -> Timex:
    lo, hi = tables()["parts"][part]
    hi = min(hi, calendar.monthrange(y, m)[1]) if hi < 31 else calendar.monthrange(y, m)[1]
    return Timex(f"{y:04d}-{m:02d}", date(y, m, lo), date(y, m, hi), "part-of-month")


def year(y: int, part: str = "") -> Timex:
    if part:  # early/mid/late 2020: thirds of the year, value stays the year
        lo, hi = {1: (1, 4), 11: (5, 8), 21: (9, 12)}[tables()["parts"][part][0]]
        return Timex(f"{y:04d}", date(y, lo, 1), month(y, hi).end, "part-of-year")
    return Timex(f"{y:04d}", date(y, 1, 1), date(y, 12, 31), "year")


def half(y: int, h: int) -> Timex:
    return Timex(f"{y:04d}-H{h}", date(y, 6 * h - 5, 1), month(y, 6 * h).end, "half-year")


def quarter(y: int, q: int) -> Timex:
    return Timex(f"{y:04d}-Q{q}", date(y, 3 * q - 2, 1), month(y, 3 * q).end, "quarter")


def season(y: int, code: str) -> Timex:
    if code == "WI":
        return Timex(f"{y:04d}-WI", date(y, 12, 1), month(y + 1, 2).end, "season")
    first = {"SP": 3, "SU": 6, "FA": 9}[code]
    return Timex(f"{y:04d}-{code}", date(y, first, 1), month(y, first + 2).end, "season")


def decade(d3: int) -> Timex:
    return Timex(f"{d3:03d}", date(d3 * 10, 1, 1), date(d3 * 10 + 9, 12, 31), "decade")


def century(c2: int) -> Timex:
    return Timex(f"{c2:02d}", date(max(1, c2 * 100), 1, 1), date(c2 * 100 + 99, 12, 31),
                 "century")


def shift_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def unit_interval(unit: str, pub: date, n: int) -> Timex | None:
    """The calendar unit containing ``pub``, moved by ``n`` units."""
    if unit == "D":
        return day(pub + timedelta(days=n))
    if unit == "W":
        return week(pub + timedelta(weeks=n))
    if unit == "WE":
        return weekend(pub + timedelta(weeks=n))
    if unit == "M":
        return month(*shift_months(pub.year, pub.month, n))
    if unit == "Q":
        y, m = shift_months(pub.year, pub.month, 3 * n)
        return quarter(y, (m - 1) // 3 + 1)
    if unit == "Y":
        return year(pub.year + n)
    if unit == "DE":
        return decade(pub.year // 10 + n)
    if unit == "CE":
        return century(pub.year // 100 + n)
    return None


def ago(unit: str, pub: date, n: float, sign: int) -> Timex | None:
    """``n`` units before (sign -1) or after (+1) ``pub``, at the unit's granularity."""
    k = int(round(n)) * sign
    if unit in ("W", "2W"):
        at = pub + timedelta(days=int(round(n * (7 if unit == "W" else 14))) * sign)
        wk = week(at)
        return Timex(wk.value, wk.start, wk.end, wk.granularity, point=at)
    if unit == "D":
        days = 1
        return day(pub + timedelta(days=int(round(n * days)) * sign))
    if unit == "M":
        return month(*shift_months(pub.year, pub.month, k))
    if unit == "Y":
        return year(pub.year + k)
    if unit == "DE":
        return decade(pub.year // 10 + k)
    if unit == "Q":
        return unit_interval("Q", pub, k)
    return None


def resolve_month(m: int, pub: date, tense: str, offset: int | None = None) -> int:
    """The year of a month named without one; tense is "settled" (past beyond doubt),
    "past", "future" or "" (unknown)."""
    if offset == -1:
        return pub.year if m < pub.month else pub.year - 1
    if offset == 1:
        return pub.year if m > pub.month else pub.year + 1
    if offset == 0:
        return pub.year
    ahead = (m - pub.month) % 12
    # a month just ahead is mostly a plan ("talks in February"); a plain past tense is too
    # often a plan told in the past ("announced a deal to close in February", "a cutback in
    # supply in September") to veto that, so only a settled past keeps it behind
    if tense == "future" or (0 < ahead <= 2 and tense != "settled"):
        return pub.year if m >= pub.month else pub.year + 1
    return pub.year if m <= pub.month else pub.year - 1


def resolve_day(m: int, d: int, pub: date, tense: str) -> date | None:
    """The year of "March 3": this year's unless that is > ~2 months ahead (or the tense
    says otherwise)."""
    try:
        cand = date(pub.year, m, d)
        if tense == "future":
            return cand if cand >= pub else date(pub.year + 1, m, d)
        if cand > pub + timedelta(days=62):
            return date(pub.year - 1, m, d)
        if tense not in ("past", "settled") and cand < pub - timedelta(days=303):
            return date(pub.year + 1, m, d)  # "Jan. 2" written in November
        return cand
    except ValueError:
        return None


def resolve_weekday(wd: int, pub: date, tense: str, offset: int | None) -> date:
    if offset == -1:  # "last Friday": strictly before publication
        return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)
    if offset == 1:  # "next Friday": strictly after
        return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    if tense == "future":
        return pub + timedelta(days=(wd - pub.weekday()) % 7)
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def resolve_quarter(q: int, pub: date, tense: str) -> int:
    cur = (pub.month - 1) // 3 + 1
    return pub.year if q <= cur or tense == "future" else pub.year - 1


def duration_value(n: float | None, unit: str) -> str:
    num = "X" if n is None else fmt(n)
    if unit in ("H", "MIN", "S"):
        return f"PT{num}{'M' if unit == 'MIN' else unit}"
    if unit == "2W":
        return f"P{'X' if n is None else fmt(2 * n)}W"
    return f"P{num}{unit}"


def unit_of(word: str) -> str | None:
    word = word.lower()
    units = tables()["units"]
    if word in units:
        return units[word]
    if word.endswith("ies") and word[:-3] + "y" in units:
        return units[word[:-3] + "y"]
    if word.endswith("s") and word[:-1] in units:
        return units[word[:-1]]
    return None


def quantity(text: str) -> float | None:
    """A duration's number: "two", "20", "a", "a few" (None = unspecified)."""
    text = text.strip()
    if text in ("a few", "few", "several", "some", "many", "a couple of", "couple of"):
        return None
    if text in ("half a", "a half"):
        return 0.5
    m = re.match(r"^(.+?) and a half$", text)
    if m and parse_number(m.group(1)) is not None:
        return parse_number(m.group(1)) + 0.5
    return parse_number(text)
