"""A SQL ``WHERE`` condition built from optional filters, with its bound parameters."""

from __future__ import annotations

from typing import Any


class Where:
    """Conditions joined by ``AND``; each added with the parameters its ``?`` take.

    >>> w = Where().add("e.type = ?", "ASSAULT").add("e.country = ?", None)
    >>> w.sql(), w.params
    ('e.type = ?', ['ASSAULT'])
    """

    def __init__(self) -> None:
        self.conds: list[str] = []
        self.params: list[Any] = []

    def add(self, cond: str, value: Any, *more: Any) -> Where:
        """Add ``cond`` when ``value`` is set (not None, empty or zero); else nothing."""
        if value:
            self.conds.append(cond)
            self.params += [value, *more]
        return self

    def sql(self) -> str:
        return " AND ".join(self.conds) or "TRUE"

    def pair(self) -> tuple[str, list[Any]]:
        return self.sql(), self.params
