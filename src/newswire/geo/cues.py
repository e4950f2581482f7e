"""Cue words around place names (``data/geo/cues.json``), loaded once."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def cues() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("newswire").joinpath("data/geo/cues.json").read_text())
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}
