"""The PLOVER ontology: event types, modes, contexts, sectors, and mappings to CAMEO and ACLED.

Everything comes from the data files next to this module (``plover.json``, ``cameo_quad.tsv``,
``acled.tsv``), read once per process.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent


@functools.cache
def _plover() -> dict[str, Any]:
    with open(DATA / "plover.json", encoding="utf-8") as fh:
        return json.load(fh)


def _tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


EVENT_TYPES: tuple[str, ...] = tuple(_plover()["event_types"])
CONTEXTS: tuple[str, ...] = tuple(_plover()["contexts"])
MODALITY_CONTEXTS: tuple[str, ...] = tuple(_plover()["modality_contexts"])
SECTORS: dict[str, str] = dict(_plover()["sectors"])
NONSTATE_CODES: dict[str, str] = dict(_plover()["nonstate_codes"])
QUAD_CLASSES: dict[int, str] = {int(k): v for k, v in _plover()["quad_classes"].items()}


def modes(event_type: str) -> tuple[str, ...]:
    """The canonical modes of a PLOVER event type (empty for types without modes)."""
    info = _plover()["event_types"].get(event_type.upper())
    return tuple(info["modes"]) if info else ()


def normalise_mode(event_type: str, mode: str) -> str:
    """Map an older or variant mode name onto the canonical one (``strike-hun`` → ``hunger``)."""
    m = (mode or "").strip().lower()
    aliases = _plover()["mode_aliases"].get(event_type.upper(), {})
    return aliases.get(m, m)


def normalise_context(context: str) -> str:
    c = (context or "").strip().lower()
    return _plover()["context_aliases"].get(c, c)


def normalise_sector(sector: str) -> str:
    """Primary PLOVER sector of a gold sector string (``CVLalb`` → ``CVL``, ``CIV`` → ``CVL``)."""
    s = (sector or "").strip()
    primary = s[:3].upper()
    aliases = _plover()["sector_aliases"]
    if primary in aliases:
        return aliases[primary]
    return primary if primary in SECTORS else ""


@functools.cache
def _quad_table() -> dict[tuple[str, str], tuple[int, float]]:
    return {
        (r["event"], r["mode"]): (int(r["quad_class"]), float(r["intensity"]))
        for r in _tsv("cameo_quad.tsv")
    }


@functools.cache
def _acled_table() -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        (r["event"], r["mode"], r["recipient_sector"]): (
            r["acled_event_type"],
            r["acled_sub_event_type"],
        )
        for r in _tsv("acled.tsv")
    }


def describe(event_type: str, mode: str = "", recipient_sector: str = "") -> dict[str, Any]:
    """Quad class, intensity and ACLED type/sub-type of a PLOVER event type and mode.

    Unknown event types give ``None``/empty values rather than an error, so that a coder can
    pass through whatever it produced.  ``recipient_sector`` picks the civilian-target row of
    the ACLED table where one exists (firearms against civilians is an attack, not a battle).
    """
    # a fresh dict each call: callers may update it, the cached tuple stays intact
    values = _describe(event_type or "", mode or "", recipient_sector or "")
    return dict(zip(_KEYS, values, strict=True))


_KEYS = ("quad_class", "intensity", "acled_event_type", "acled_sub_event_type")


@functools.cache
def _describe(event_type: str, mode: str, recipient_sector: str) -> tuple:
    etype = event_type.upper()
    m = normalise_mode(etype, mode)
    quad = _quad_table()
    qc, intensity = quad.get((etype, m)) or quad.get((etype, "")) or (None, None)
    acled = _acled_table()
    sector = normalise_sector(recipient_sector)
    keys = [(etype, m, sector), (etype, m, ""), (etype, "", sector), (etype, "", "")]
    hit = next((acled[k] for k in keys if k in acled and (k[2] == "" or sector)), ("", ""))
    return (qc, intensity, hit[0], hit[1])


__all__ = [
    "CONTEXTS",
    "EVENT_TYPES",
    "MODALITY_CONTEXTS",
    "NONSTATE_CODES",
    "QUAD_CLASSES",
    "SECTORS",
    "describe",
    "modes",
    "normalise_context",
    "normalise_mode",
    "normalise_sector",
]
