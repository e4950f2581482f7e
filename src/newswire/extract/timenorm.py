"""Text of one temporal expression → :class:`Timex`, relative to the publication date.

``normalise(text, pub, tense, anchor)``: ``pub`` None leaves every relative
expression unresolved (an underspecified value such as ``XXXX-WXX-5``, no dates);
``tense`` ("past", "settled" past, "future" or "" unknown) is the governing verb's
("will meet on Monday");
``anchor`` is the last quarter the article talked about ("the third quarter …
a year earlier" is the year-earlier *quarter*, as TimeBank annotates it).
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from dateparser.date import DateDataParser

from newswire.extract import timex as tx
from newswire.extract.numbers import parse_number, parse_ordinal
from newswire.extract.timex import Timex, _re, tables

_NUM = (r"(?:\w+ and a half|\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
        r"eleven|twelve|"
        r"fifteen|twenty|thirty|forty|fifty|sixty|hundred|a few|few|several|a couple of|"
        r"couple of|half a|a half|some|many)")
_APPROX = r"(?:(?:about|around|roughly|nearly|almost|some|just|only|more than|less than|up to|" \
          r"at least|over|under|barely|fully|a good|the better part of|approximately)\s+)?"
_ORD = r"(first|second|third|fourth|1st|2nd|3rd|4th)"
_PREP = re.compile(r"^(?:on|in|since|by|until|till|during|from|at(?! least)|of|through|throughout|"
                   r"before|after|as of|starting|beginning|ending|around|about|within|for)\s+")


def clean(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\s+", " ", t).strip(" ,;:")
    t = re.sub(r"\b([a-z]{2,5})\.(?=\s|$|,)", r"\1", t)  # sept. 30 → sept 30
    t = re.sub(r"\bmid-", "mid ", t)
    t = re.sub(r"\bfiscal[- ]", "", t)
    t = re.sub(r"-(quarter|half)\b", r" \1", t)
    t = re.sub(r"^(?:both|either|sometime|some time|this past)\s+", lambda m: "past "
               if m.group(0).startswith("this past") else "", t)
    t = re.sub(r"\s+or so$", "", t)
    return _word_years(t)


def _word_years(t: str) -> str:
    """ "nineteen ninety-six" → "1996", "the year two thousand" → "the year 2000"."""
    def century_style(m: re.Match) -> str:
        hi, lo = parse_number(m.group(1)), parse_number(m.group(2))
        if hi is None or lo is None or not 1 <= lo <= 99:
            return m.group(0)
        return str(int(hi * 100 + lo))

    def thousands(m: re.Match) -> str:
        rest = parse_number(m.group(1)) if m.group(1) else 0
        return m.group(0) if rest is None or rest >= 100 else str(2000 + int(rest))

    if "teen" not in t and "thousand" not in t and "twenty" not in t:
        return t
    t = re.sub(r"\b(nineteen|eighteen|twenty)[ -](ten|eleven|twelve|\w+teen|(?:twenty|thirty|"
               r"forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?)\b", century_style, t)
    return re.sub(r"\btwo thousand(?: and)?(?: (\w+(?:-\w+)?))?\b", thousands, t)


def strip_prep(t: str) -> str:
    return _PREP.sub("", t)


@functools.lru_cache(maxsize=20000)
def normalise(text: str, pub: date | None, tense: str = "", anchor: str = "",
              prev: str = "") -> Timex | None:
    t = strip_prep(clean(text))
    t = re.sub(r"^(?:the|its|their)\s+", "", t)
    for rule in (_refs, _sets, _ages, _durations, _absolute):
        hit = rule(t, prev)
        if hit:
            return hit
    if pub is None:
        return _underspecified(t)
    hit = _relative(t, pub, tense, anchor)
    if hit:
        return hit
    return _dateparser(t, pub)


def _refs(t: str, prev: str) -> Timex | None:
    refs = tables()["refs"]
    value = refs.get(t) or refs.get("the " + t)
    return Timex(value, granularity="ref") if value else None


def _sets(t: str, prev: str) -> Timex | None:
    tab = tables()
    if t in ("a year", "a day", "a week", "a month") and not re.match(r"[\d$%]", prev or "x"):
        return None  # "for a year" is a duration; "$5 a year" is a rate
    if t in tab["set_words"]:
        return Timex(tab["set_words"][t], granularity="set", kind="set")
    m = _re(r"^(?:every|each) (?:other )?({W})s?$").match(t) or _re(r"^({W})s$").match(t)
    if m:
        return Timex(f"XXXX-WXX-{tab['weekdays'][m.group(1)] + 1}", granularity="set", kind="set")
    m = re.match(r"^(?:once|twice|\w+ times) (?:a|per|every|each) (\w+)$", t)
    m = m or re.match(r"^(?:every|each) (\w+)$", t)
    if m and tx.unit_of(m.group(1)):
        return Timex(tx.duration_value(1, tx.unit_of(m.group(1))), granularity="set", kind="set")
    return None


def _ages(t: str, prev: str) -> Timex | None:
    if re.fullmatch(r"\d+", t) and not 1000 <= int(t) <= 2100:
        return Timex("", granularity="age", kind="age")  # "Smith, 58," is an age, not a date
    if re.search(r"\b(?:years?|months?|weeks?|days?)[- ]old\b|\bage(?:d|s)? \d|^age of", t):
        return Timex("", granularity="age", kind="age")
    return None


def _durations(t: str, prev: str) -> Timex | None:
    if re.search(r"\b(?:ago|earlier|later|before|after|from now|hence|since)$", t):
        return None
    t = re.sub(r"^(?:for|over|within|during|in)\s+", "", t)
    # "20-year", "two-day", "a 20-year presence": adjectival durations
    m = re.match(rf"^(?:a |an )?{_APPROX}({_NUM})[- ](\w+?)(?:[- ]long)?$", t)
    if m and tx.unit_of(m.group(2)) and not m.group(2).endswith("s"):
        n = tx.quantity(m.group(1))
        return Timex(tx.duration_value(n, tx.unit_of(m.group(2))), granularity="duration",
                     kind="duration")
    m = re.match(rf"^{_APPROX}(?:the )?(?:(past|last|next|first|previous|coming|latest|final|"
                 rf"another|"
                 rf"following|initial|same|remaining)\s+)?{_APPROX}({_NUM}\s+)?(?:more\s+|"
                 rf"full\s+|straight\s+|consecutive\s+|long\s+|additional\s+|fiscal\s+|"
                 rf"(?!the\b|of\b|in\b)[a-z]+\s+(?=\w+s\b))?"
                 rf"(\w+?)(?:\s+(?:or so|straight|running|in a row|long))?$", t)
    if not m or not tx.unit_of(m.group(3)) or m.group(3) in ("weekend", "weekends"):
        return None
    word, num, rel = m.group(3), m.group(2), m.group(1)
    plural = word.endswith("s") and word not in ("his",)
    if num is None and rel == "another" and not plural:
        num = "a"
    elif num is None and not plural:
        return None  # "the past year", "last week": a date, not a duration
    n = tx.quantity(num) if num else None
    if num and n == 1 and rel in ("past", "last", "previous", "next", "coming"):
        return None
    if num and n is None and num.strip() not in ("a few", "few", "several", "some", "many",
                                                   "a couple of", "couple of"):
        return None
    return Timex(tx.duration_value(n, tx.unit_of(word)), granularity="duration",
                 kind="duration")


def _absolute(t: str, prev: str) -> Timex | None:
    tab = tables()
    months, seasons = tab["months"], tab["seasons"]
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", t) or re.match(r"^(\d{4})/(\d{2})/(\d{2})$", t)
    if m:
        return _safe_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$", t)
    if m:  # US wire convention: month/day/year
        y = int(m.group(3))
        return _safe_day(y + (1900 if y > 50 else 2000) if y < 100 else y, int(m.group(1)),
                         int(m.group(2)))
    m = _re(r"^(?:{W},? )?({M}) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$").match(t) or \
        _re(r"^(?:{W},? )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?({M}),? (\d{4})$").match(t)
    if m:
        a, b = m.group(1), m.group(2)
        mo, d = (months[a], int(b)) if a in months else (months[b], int(a))
        return _safe_day(int(m.group(3)), mo, d)
    m = _re(r"^(?:({P})(?: of)? )?({M}),? (?:of )?(\d{4})$").match(t)
    if m:
        y, mo = int(m.group(3)), months[m.group(2)]
        return tx.part_of_month(y, mo, m.group(1)) if m.group(1) else tx.month(y, mo)
    m = _re(r"^(?:({P})(?: of)? )?(?:the )?(\d{4})(?: period| year)?$").match(t) or \
        re.match(r"^(?:the )?year (\d{4})$", t)
    if m:
        y = int(m.group(m.lastindex))
        if 1000 <= y <= 2100:
            part = m.group(1) if m.lastindex == 2 else ""
            return tx.year(y, part or "")
    m = re.match(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$", t)
    if m:  # "2013-15": an interval of years, ISO 8601 style value
        y1, y2 = int(m.group(1)), int(m.group(2))
        y2 = y2 if y2 >= 100 else y1 // 100 * 100 + y2
        if 1000 <= y1 < y2 <= 2100:
            return Timex(f"{y1}/{y2}", date(y1, 1, 1), date(y2, 12, 31), "year")
    m = re.match(r"^(?:the )?(first|second|last|latter|1st|2nd) half of (?:the )?(\d{4})$", t)
    if m:
        return tx.half(int(m.group(2)), 1 if m.group(1) in ("first", "1st") else 2)
    m = re.match(rf"^(?:the )?{_ORD} quarter(?: of| in)? (\d{{4}})$", t) or \
        re.match(rf"^(\d{{4}})(?:'s)? {_ORD} quarter$", t) or \
        re.match(r"^q([1-4])(?: of)? (\d{4})$", t)
    if m:
        a, b = m.group(1), m.group(2)
        y, q = (int(b), a) if len(b) == 4 else (int(a), b)
        return tx.quarter(y, int(q) if q.isdigit() else parse_ordinal(q))
    m = re.match(r"^(?:(?:early|late|mid) )?(?:the )?(?:nineteen[ -])?(\w+ties)$", t)
    if m and m.group(1) in tab["decade_words"]:
        return tx.decade(190 + tab["decade_words"][m.group(1)])
    m = re.search(r"(?:^|\s)(\d{3})0'?s$", t) or re.search(r"'(\d)0s$", t)
    if m:
        d3 = m.group(1)
        return tx.decade(int(d3) if len(d3) == 3 else 190 + int(d3) if int(d3) >= 2 else
                         200 + int(d3))
    m = re.match(r"^(?:the |a |an )?(\w+)[- ]century$", t)
    if m and parse_ordinal(m.group(1)):
        return tx.century(parse_ordinal(m.group(1)) - 1)
    m = _re(r"^(?:(?:early|late|mid) )?(?:the )?({S})(?: of)? (\d{4})$").match(t)
    if m:
        return tx.season(int(m.group(2)), seasons[m.group(1)])
    return None


def _safe_day(y: int, m: int, d: int) -> Timex | None:
    try:
        return tx.day(date(y, m, d))
    except ValueError:
        return None


_YEAR_BACK = re.compile(r"^(?:(?:the )?(?:comparable |corresponding )?(?:year[- ]ago|year[- ]"
                        r"earlier|prior[- ]year)(?: (?:third |second |first |fourth )?"
                        r"(?:period|quarter|results?))?|a year (?:ago|earlier|before)|"
                        r"(?:the )?(?:quarter|period) a year (?:ago|earlier)|"
                        r"(?:the )?(?:same|corresponding|comparable) (?:period|quarter) "
                        r"(?:of )?last year)$")


def _relative(t: str, pub: date, tense: str, anchor: str) -> Timex | None:
    tab = tables()
    offs = tab["offsets"]
    if _YEAR_BACK.match(t):
        if anchor:
            return tx.quarter(int(anchor[:4]) - 1, int(anchor[-1]))
        return tx.year(pub.year - 1)
    m = re.match(r"^(?:(?:early|late|earlier|later) )?(yesterday|today|tomorrow|tonight)"
                 r"(?:'s)?(?: (?:morning|afternoon|evening|night))?$", t) or \
        re.match(r"^(?:(?:early|late) )?(?:this )?(morning|afternoon|evening)$", t)
    if m:
        shift = {"yesterday": -1, "tomorrow": 1}.get(m.group(1), 0)
        return tx.day(date.fromordinal(pub.toordinal() + shift))
    if t in ("year-end", "year end", "the end of the year", "end of the year"):
        return tx.day(date(pub.year, 12, 31)) if t.startswith("year") else tx.year(pub.year)
    m = re.match(rf"^{_APPROX}({_NUM}) (\w+) (ago|earlier|before|later|from now|hence)$", t)
    if m and tx.unit_of(m.group(2)):
        n = tx.quantity(m.group(1))
        if n is None:
            return Timex("PAST_REF" if m.group(3) in ("ago", "earlier", "before")
                         else "FUTURE_REF", granularity="ref")
        sign = -1 if m.group(3) in ("ago", "earlier", "before") else 1
        return tx.ago(tx.unit_of(m.group(2)), pub, n, sign)
    m = re.match(r"^(?:(this|last|next) )?(.+?)(?: (\d{4}))?$", t)
    if m and m.group(2) in tab["holidays"]:
        mo, d = tab["holidays"][m.group(2)]
        if m.group(3):
            return _safe_day(int(m.group(3)), mo, d)
        off = offs.get(m.group(1) or "", None)
        if off is None:
            got = tx.resolve_day(mo, d, pub, tense)
            return tx.day(got) if got else None
        base = date(pub.year, mo, d)
        if off == -1:
            return _safe_day(pub.year if base < pub else pub.year - 1, mo, d)
        if off == 1:
            return _safe_day(pub.year if base > pub else pub.year + 1, mo, d)
        return tx.day(base)
    # weekdays: "Friday", "last Friday", "Friday night", "Friday, Oct. 8"
    m = _re(r"^(?:(?:early|late|earlier|later) )?(?:({O}) )?({W})(?:'s)?(?: (?:morning|afternoon|"
            r"evening|"
            r"night|overnight))?$").match(t)
    if m:
        off = offs.get(m.group(1)) if m.group(1) else None
        return tx.day(tx.resolve_weekday(tab["weekdays"][m.group(2)], pub, tense, off or None
                                          if off != 0 else None))
    m = _re(r"^(?:{W},? )?({M}) (\d{1,2})(?:st|nd|rd|th)?$").match(t) or \
        _re(r"^(?:{W},? )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?({M})$").match(t)
    if m:
        a, b = m.group(1), m.group(2)
        mo, d = (tab["months"][a], int(b)) if a in tab["months"] else (tab["months"][b], int(a))
        got = tx.resolve_day(mo, d, pub, tense)
        return tx.day(got) if got else None
    m = _re(r"^(?:({P})(?: of)? )?({M}),? (?:of )?(this|last|next) year$").match(t)
    if m:
        y = pub.year + {"this": 0, "last": -1, "next": 1}[m.group(3)]
        mo = tab["months"][m.group(2)]
        return tx.part_of_month(y, mo, m.group(1)) if m.group(1) else tx.month(y, mo)
    m = _re(r"^(?:(?:the )?({P})(?: of)? )?(?:({O}) )?({M})$").match(t)
    if m:
        mo = tab["months"][m.group(3)]
        y = tx.resolve_month(mo, pub, tense, offs.get(m.group(2)) if m.group(2) else None)
        return tx.part_of_month(y, mo, m.group(1)) if m.group(1) else tx.month(y, mo)
    m = _re(r"^(?:(?:early|late|mid) )?(?:the )?(?:({O}) )?({S})$").match(t)
    if m:
        code = tab["seasons"][m.group(2)]
        off = offs.get(m.group(1), 0) if m.group(1) else 0
        return tx.season(pub.year + off, code)
    m = re.match(rf"^(?:(this|last|next) year's )?(?:(?:the )?(?:(latest|current|this|last|"
                 rf"previous|next|same|coming) )?)?(?:{_ORD} )?(quarter|period|half)$", t)
    if m and (m.group(3) or m.group(4) != "period" or m.group(2) in ("latest",)):
        return _quarter(m, pub, tense, anchor)
    m = _re(r"^(?:(?:the )?({P}|earlier|later)(?: of| in)? )?(?:(the|{O}) )?(?:(?:full|entire|"
            r"whole|calendar) )?(\w+)$").match(t)
    if m and tx.unit_of(m.group(3)):
        unit = tx.unit_of(m.group(3))
        rel = m.group(2) or "the"
        off = 0 if rel == "the" else offs[rel]
        part = m.group(1)
        if part in tab["parts"] and unit == "M":
            y, mo = tx.shift_months(pub.year, pub.month, off)
            return tx.part_of_month(y, mo, part)
        if part in tab["parts"] and unit == "Y":
            return tx.year(pub.year + off, part)
        if unit == "Q" and rel == "the" and anchor:
            return tx.quarter(int(anchor[:4]), int(anchor[-1]))
        if unit == "WE" and rel == "the":  # the weekend just past, or the coming one
            return tx.weekend(pub if tense == "future" or pub.weekday() >= 5 else
                              date.fromordinal(pub.toordinal() - 7))
        return tx.unit_interval(unit, pub, off)
    return None


def _quarter(m: re.Match, pub: date, tense: str, anchor: str) -> Timex | None:
    yrel, rel, ordw, unit = m.groups()
    yoff = {"this": 0, "last": -1, "next": 1}.get(yrel or "", None)
    if unit == "half":
        n = parse_ordinal(ordw) if ordw else (1 if pub.month <= 6 else 2)
        return tx.half(pub.year + (yoff or 0), min(n or 1, 2))
    if ordw:
        q = parse_ordinal(ordw)
        y = pub.year + yoff if yoff is not None else tx.resolve_quarter(q, pub, tense)
        return tx.quarter(y, q)
    if rel in ("this", "current"):
        return tx.unit_interval("Q", pub, 0)
    if rel in ("next", "coming"):
        return tx.unit_interval("Q", pub, 1)
    if rel in ("last", "previous"):
        return tx.unit_interval("Q", pub, -1)
    if anchor:
        return tx.quarter(int(anchor[:4]), int(anchor[-1]))
    return tx.unit_interval("Q", pub, -1)  # results are reported for the quarter just ended


def _underspecified(t: str) -> Timex | None:
    """Without a publication date: keep what the words say, resolve nothing."""
    tab = tables()
    m = _re(r"^(?:\w+ )?({W})(?: \w+)?$").match(t)
    if m:
        return Timex(f"XXXX-WXX-{tab['weekdays'][m.group(1)] + 1}", granularity="day")
    m = _re(r"^(?:({P})(?: of)? )?({M})(?: (\d{1,2}))?$").match(t)
    if m:
        mo = tab["months"][m.group(2)]
        if m.group(3):
            return Timex(f"XXXX-{mo:02d}-{int(m.group(3)):02d}", granularity="day")
        return Timex(f"XXXX-{mo:02d}", granularity="part-of-month" if m.group(1) else "month")
    return Timex("", granularity="")


@functools.lru_cache(maxsize=64)
def _parser(pub: date) -> DateDataParser:
    # building a parser costs ~90 ms; one per publication date, reused
    settings = {"RELATIVE_BASE": datetime(pub.year, pub.month, pub.day),
                "PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(t: str, pub: date) -> Timex | None:
    # dateparser guesses wildly on words it half-knows ("the day", "day 2016" → None after
    # 400 ms, "9/11" → this year's September 11): only date-shaped strings reach it
    if len(t.split()) > 5 or not (re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", t) or (
            re.search(r"\d", t) and _re(r"\b{M}\b").search(t))):
        return None
    data = _parser(pub).get_date_data(t)
    if not data or not data.date_obj:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return tx.year(d.year)
    if period == "month":
        return tx.month(d.year, d.month)
    if period == "week":
        return tx.week(d)
    return tx.day(d)
