"""Resource limits for hostile input, in one place.

Every limit has a name (the field name) that appears in the error or warning it
causes, so a user can find the knob: ``NEWSWIRE_<NAME>`` in the environment, or
the matching ``newswire run`` option.  The CLI writes its options into the
environment, which worker processes inherit, so ``current()`` is the single
source of truth in every process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    # A news article is a few kB; a file read whole above this is a dump or a binary.
    max_file_bytes: int = 20 * 1024 * 1024
    # Total bytes one compressed file (.gz, WARC record stream) may inflate to:
    # a 40 kB gzip bomb would otherwise expand to gigabytes.
    max_decompressed_bytes: int = 256 * 1024 * 1024
    # Inflation past this ratio (checked once 16 MB are out) is a bomb, not text: news
    # text compresses 3-10x (a file of one repeated record a few hundred times), while
    # deflate tops out near 1030x.
    max_compression_ratio: int = 500
    # Blank lines in a row in a JSONL/CSV stream: a bomb of newlines would otherwise
    # cost minutes of line-by-line reading before reaching the byte limit.
    max_blank_lines: int = 100_000
    # Cleaned article text above this is truncated at a paragraph boundary (spaCy
    # time and memory grow with length; real stories are far shorter).
    max_chars: int = 200_000
    # HTML element nesting: libxml2 gives up silently past ~256 levels and the
    # page text is lost, so deeper pages are rejected with a named reason.
    max_html_depth: int = 250
    # Seconds of extraction per article (checked between extractors).
    time_budget_s: float = 60.0

    def describe(self, name: str) -> str:
        return f"{name}={getattr(self, name)}"


def current() -> Limits:
    """The limits in force: defaults overridden by ``NEWSWIRE_MAX_CHARS`` and friends."""
    values = {}
    for f in fields(Limits):
        raw = os.environ.get("NEWSWIRE_" + f.name.upper())
        if raw is None or not raw.strip():
            continue
        kind = float if f.type in (float, "float") else int
        try:
            values[f.name] = kind(raw)
        except ValueError:
            raise ValueError(f"NEWSWIRE_{f.name.upper()}: expected a number, got {raw!r}") from None
    return Limits(**values)


def set_env(**overrides: float | int | None) -> None:
    """Make overrides visible to this process and to the workers it starts."""
    for name, value in overrides.items():
        if value is not None:
            os.environ["NEWSWIRE_" + name.upper()] = str(value)
