"""Errors that name the input and the reason, for one-line reports."""

from __future__ import annotations


class InputError(Exception):
    """An input (file, record) that cannot be turned into an article."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
