"""Proper-name runs and names that look like places but are not (shared by the place
extractor and the event-place chooser)."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newswire.geo.context import PLACE_LABELS
from newswire.geo.cues import cues
from newswire.geo.gazetteer import lookup


def not_a_place(text: str) -> bool:
    words = text.lower().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words) in cues()["not_places"]


def per_doc(doc: Doc, key: str, build):
    """``build(doc)``, computed once per parsed document."""
    cached = doc.user_data.get(key)
    if cached is None:
        cached = doc.user_data[key] = build(doc)
    return cached


def operation_names(doc: Doc) -> frozenset[str]:
    """Lower-cased names the article gives a military operation ("Operation Olive
    Branch"): elsewhere in it ("the Olive Branch operation") they are not the town."""
    return per_doc(doc, "_operation_names", _operation_names)


def _operation_names(doc: Doc) -> frozenset[str]:
    words = cues()["operation_words"]
    names = set()
    for tok in doc:
        if tok.text in words and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            run = name_run(doc, doc[tok.i + 1])
            start = max(run.start, tok.i + 1)
            if start < run.end:
                names.add(doc[start : run.end].text.lower())
    return frozenset(names)


def not_a_place_name(span: SpacySpan) -> bool:
    """Whether a name the gazetteer does not know is something other than a place: an
    organisation by its head word ("the Middle East Institute"), a people or faith
    ("Alawites", "Canadians"), or a person the article names ("Staffan de Mistura"
    after "De Mistura said")."""
    c = cues()
    root = span.root.lower_
    if root in c["org_words"] and root not in c["site_heads"] | c["container_nouns"]:
        return True
    if len(span) == 1:
        tok = span[0]
        # not the NER's NORP: it tags many villages so ("the town of Halba")
        return tok.tag_ == "NNPS" or any(tok.lower_.endswith(e) for e in c["demonym_endings"])
    if " " not in span.text or span[0].lower_ in c["name_articles"]:
        return False  # "Al-Assad" suburb is not Bashar al-Assad
    # a name the article also gives a person in another form ("De Mistura" for
    # "Staffan de Mistura"); the same words twice may be a village the NER calls a person
    forms = _person_forms(span.doc).get(span[-1].lower_, ())
    return any(f != span.text.lower() for f in forms)


def _person_forms(doc: Doc) -> dict[str, frozenset[str]]:
    """The full names of the people the article names, by lower-cased surname."""
    return per_doc(doc, "_person_forms", _build_person_forms)


def _build_person_forms(doc: Doc) -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text[:1].isupper():
            forms.setdefault(ent[-1].lower_, set()).add(ent.text.lower())
    return {k: frozenset(v) for k, v in forms.items()}


def starts_org_name(doc: Doc, ent: SpacySpan) -> bool:
    """Whether the entity opens a longer organisation name: the NER often tags only
    "Islamic" of "the Islamic State" (NORP, or GPE "Iraq" inside it)."""
    # Doc.text rebuilds the whole text on every access: read a few tokens instead
    text = doc[ent.start : ent.start + 12].text[:60].lower()
    if text.startswith("the "):
        text = text[4:]
    for name in _multiword_not_places():
        if text.startswith(name) and not text[len(name) : len(name) + 1].isalnum():
            return True
    return False


@cache
def _multiword_not_places() -> tuple[str, ...]:
    return tuple(n for n in cues()["not_places"] if " " in n)


_JOINERS = frozenset({"-", "\u2019", "'", "\u2018"})
NOT_NAME_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL"})


def _in_name(tok) -> bool:
    # "Sa’eed", "Beit Yahoun-Kaunin": joiners without spaces stay inside a name;
    # "Sanaa Friday" is a name and a date
    if tok.ent_type_ in NOT_NAME_ENTS:
        return False
    return tok.pos_ == "PROPN" or (tok.text in _JOINERS and not tok.whitespace_)


def name_run(doc: Doc, tok) -> SpacySpan:
    """The proper-name tokens around ``tok``: its entity if it has one, else the run of
    PROPN tokens (with inner hyphens) it belongs to."""
    if tok.ent_iob_ != "O":
        # Walk the IOB tags: ``doc.ents`` rebuilds every entity of the document
        # on each access, which made this loop quadratic in article length.
        start, end = tok.i, tok.i + 1
        while doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        while start < end - 1 and doc[start].tag_ == "POS":
            start += 1  # "the regime’s al-Shayrat": the NER took the owner's "’s"
        return SpacySpan(doc, start, end, label=tok.ent_type_)
    start = end = tok.i
    while start > 0 and _in_name(doc[start - 1]):
        start -= 1
    while end + 1 < len(doc) and _in_name(doc[end + 1]):
        end += 1
    while doc[start].text in _JOINERS:
        start += 1
    while doc[end].text in _JOINERS:
        end -= 1
    return doc[start : end + 1]


def _glued(doc: Doc, left, right) -> bool:
    # "Mazar-e-Sharif", "Sa’eed": pieces of one word the tokenizer split ("'s" is not)
    return (not left.whitespace_ and right.tag_ != "POS"
            and (right.is_alpha or right.text in _JOINERS)
            and (left.is_alpha or left.text in _JOINERS))


def widen(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds of a name the NER cut short: pieces glued to it ("Mazar" of
    "Mazar-e-Sharif"), untagged proper nouns compounded into it ("Sheikh" of "Sheikh
    Sa’eed", "Hawsh" of "Hawsh Nasri")."""
    while end < len(doc) and end - start < 8:
        nxt = doc[end]
        if _glued(doc, doc[end - 1], nxt) or (
            nxt.pos_ == "PROPN" and nxt.ent_iob_ == "O" and doc[end - 1].dep_ == "compound"
            and doc[end - 1].head.i == nxt.i and nxt.ent_type_ not in NOT_NAME_ENTS
        ):
            end += 1
        else:
            break
    while doc[end - 1].text in _JOINERS and end - 1 > start:
        end -= 1
    if (start > 1 and doc[start - 1].text in _JOINERS and doc[start - 2].is_lower
            and len(doc[start - 2]) <= 3 and _glued(doc, doc[start - 2], doc[start - 1])
            and not doc[start - 1].whitespace_):
        start -= 2  # an article glued to the name: "al-Zahawi", "el-Arish"
    while start > 0 and end - start < 8:
        prev = doc[start - 1]
        if (prev.pos_ == "PROPN" and prev.ent_iob_ == "O" and prev.dep_ == "compound"
                and start <= prev.head.i < end) or (
                prev.text not in _JOINERS and _glued(doc, prev, doc[start])):
            start -= 1
        else:
            break
    return start, end


def head_of(run: SpacySpan):
    """The token that carries a name in the parse: the last one whose head lies outside
    it ("Rashid" of "al-Rashid hospital", where every piece hangs on "hospital" and
    ``Span.root`` would pick "al")."""
    for tok in reversed(run):
        if not run.start <= tok.head.i < run.end or tok.head.i == tok.i:
            return tok
    return run.root


def half_of_a_name(ent: SpacySpan, known: bool) -> bool:
    """The NER cut a person's name into two places ("Jamal" "Khashoggi"): two place
    entities with nothing but a space between, one unknown to the gazetteer (``known``:
    whether ``ent`` itself is)."""
    doc = ent.doc
    for i in (ent.start - 1, ent.end):
        if 0 <= i < len(doc) and doc[i].ent_type_ in PLACE_LABELS and doc[i].pos_ == "PROPN":
            if not known or not lookup(name_run(doc, doc[i]).text):
                return True
    return False


def person_names(doc: Doc) -> frozenset[str]:
    """Lower-cased surnames of the people the article names in full: "Bolton declared"
    after "John Bolton" is the man, not the English town."""
    return per_doc(doc, "_person_names", lambda d: frozenset(_person_forms(d)))


def a_surname(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens start..end are one word alone that is the surname of a person the
    article names in full (not that person's full name, nor a longer name)."""
    if end - start != 1:
        return False
    tok = doc[start]
    alone = tok.ent_iob_ != "I" and (end >= len(doc) or doc[end].ent_iob_ != "I")
    return alone and tok.lower_ in person_names(doc)


def org_hyphened(doc: Doc, start: int, end: int) -> bool:
    """Whether the name is glued by a hyphen to an organisation's name: "UNA-UK" is
    a charity, neither the town Una nor the country."""
    def org(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].ent_type_ == "ORG"

    before = (start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
              and not doc[start - 2].whitespace_ and org(start - 2))
    after = (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
             and not doc[end].whitespace_ and doc[end + 1].pos_ == "PROPN")
    return before or (after and org(end - 1))
