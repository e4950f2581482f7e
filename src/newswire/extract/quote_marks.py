"""Quotation marks: where the quotations of a text are, whether one is a real quotation
or a scare quote, and which quotation encloses a span."""

from __future__ import annotations

import re

OPEN, CLOSE = "“", "”"
MARKS = re.compile("''|[“”\"\n]")
MIN_QUOTE_WORDS = 4
TITLE_LEAD = re.compile(r"(?:\b(?:on|of|in|with|from|at|about)|['’]s)\s*$", re.I)


def quote_marks(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included.

    Curly and straight double marks pair with each other: scraped text mixes them
    (“like this," she said).  A quotation still open at a line break ends there: wire
    style leaves the closing mark off when a quote runs on into the next paragraph.
    """
    spans: list[tuple[int, int]] = []
    double: int | None = None
    double_single: int | None = None  # ''like this'' (some outlets' style)
    for m in MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            for start in (double, double_single):
                if start is not None and i - start > 2:
                    spans.append((start, i))
            double = double_single = None
        elif ch == "''":
            if double_single is None:
                double_single = i
            else:
                spans.append((double_single, i + 2))
                double_single = None
        elif ch == OPEN and double is not None and _closes(text, i):
            spans.append((double, i + 1))  # “Not now,“ he said: a mistyped closing mark
            double = None
        elif ch == OPEN or (ch == '"' and double is None):
            if double is not None and i - double > 2:
                # a new quotation opens while one is open: wire style leaves the closing mark
                # off when a quote runs on into the next paragraph, and flattened text has
                # lost the line break between them
                spans.append((double, len(text[:i].rstrip())))
            double = i
        elif double is not None:  # ” or a closing "
            spans.append((double, i + 1))
            double = None
    for start in (double, double_single):
        if start is not None and len(text) - start > 2:
            spans.append((start, len(text)))
    return sorted(spans)


def _closes(text: str, i: int) -> bool:
    """A mark glued to the word before it and followed by a space or the end closes."""
    return i > 0 and not text[i - 1].isspace() and (i + 1 == len(text) or text[i + 1].isspace())


def is_short(text: str, q: tuple[int, int]) -> bool:
    """A scare quote ("so-called “over-the-horizon” attacks"), not a quotation.

    A short one that ends in a comma, "!" or "?" inside the marks is speech: “Absolutely,” he said.
    """
    inner = text[q[0]:q[1]].rstrip(OPEN + CLOSE + "\"'")
    if len(inner.split()) >= MIN_QUOTE_WORDS:
        return False
    # "on the station’s “Morning Desk,”", "a host of “Harbour Lights,”": a title, comma or not
    before = TITLE_LEAD.search(text, max(0, q[0] - 12), q[0])
    return inner[-1:] not in (",", "!", "?") or before is not None


def closing_mark(marks, cs: int, ce: int) -> tuple[int, int]:
    """Extend a clause to the closing mark of a quotation it opened: 'is in “serious trouble.”'."""
    for a, b in marks:
        if cs <= a < ce < b <= ce + 3:
            return cs, b
    return cs, ce


def enclosing(marks, cs: int, ce: int) -> tuple[int, int] | None:
    for a, b in marks:
        if a <= cs + 1 and ce - 1 <= b and (b - a) > (ce - cs) // 2:
            return (a, b)
    return None
