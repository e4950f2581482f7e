"""Numbers as written in news text → values: "46", "1,200", "2.5 million", "forty-six", "two dozen".

Shared by the dates and counts extractors.  Hand-written because the only
library for this (``word2number``) is unmaintained and fails on "two dozen",
"a hundred", "2.5 million" and "46m".
"""

from __future__ import annotations

import functools
import json
import re
from decimal import Decimal, InvalidOperation
from importlib import resources

_DIGITS = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_DIGITS_SCALE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([a-z]+)$")


@functools.cache
def tables() -> dict:
    path = resources.files("newswire") / "data" / "numbers.json"
    return json.loads(path.read_text(encoding="utf-8"))


def parse_number(text: str) -> float | None:
    """The value of a cardinal written with digits and/or words; None when it is not one."""
    t = text.lower().replace("\u2013", "-").strip()
    t = re.sub(r"\s+and\s+", " ", t)
    if not t:
        return None
    try:
        value = _decimal(t)
    except InvalidOperation:
        return None
    return None if value is None else float(value)


def _decimal(t: str) -> Decimal | None:
    # decimal arithmetic: in binary floats 65.6 * 1e6 is 65599999.99999999
    if _DIGITS.match(t):
        return Decimal(t.replace(",", ""))
    tab = tables()
    m = _DIGITS_SCALE.match(t)
    if m and m.group(2) in tab["scale_abbrev"]:
        return Decimal(m.group(1).replace(",", "")) * tab["scale_abbrev"][m.group(2)]
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    for word in re.split(r"[\s-]+", t):
        if not word or word in ("of",):
            continue
        if _DIGITS.match(word):
            current += Decimal(word.replace(",", ""))
        elif word in tab["units"]:
            current += tab["units"][word]
        elif word in tab["tens"]:
            current += tab["tens"][word]
        elif word in tab["scales"]:
            scale = tab["scales"][word]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = Decimal(0)
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_ordinal(text: str) -> int | None:
    return tables()["ordinals"].get(text.lower().strip())


def fmt(value: float) -> str:
    """ "3" for 3.0, "2.5" for 2.5: TIMEX3 durations and values never carry ".0"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
