"""Who the source of a quote is: the speaker's fullest name in the article, role and
source class (named, organisation, unnamed-group, anonymous, unknown).

Rule-based on the dependency parse and the named entities; pronouns and definite
role nouns ("he", "the official", "the defence secretary") are resolved to the nearest
compatible earlier speaker or PERSON mention — there is no coreference model in the
pipeline.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newswire.extract.attribution import noun_phrase, source_words
from newswire.extract.quote_marks import quote_marks
from newswire.model import ArticleRecord, Quote

SINGULAR_PRONOUNS = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them"}
RELATIVE = {"who", "which", "that", "whom"}
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "another", "some"}
DEFINITE = {"the", "this", "that"}
ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}
SINGULAR_CLASSES = {"named", "anonymous"}


@dataclass
class Speaker:
    speaker: str = ""
    role: str = ""
    source_class: str = "unknown"


def _entity(tok: Token) -> Span | None:
    if not tok.ent_type_:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)


def _strip_det(tokens: list[Token]) -> str:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    return _join(tokens)


def _join(tokens: list[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip(" ,")


def _clean_name(name: str) -> str:
    return re.sub(r"(’s|'s)$", "", name).strip()


def full_name(rec: ArticleRecord, name: str, before: int) -> str:
    """The fullest PERSON mention ending with ``name``'s last word (earlier mentions first)."""
    name = _clean_name(name)
    parts = name.split()
    last = parts[-1] if parts else name
    # "Hugo Feld" is not "Anna Feld"; "Senator Feld" and "Mr. Feld" may be either
    given = parts[-2] if len(parts) > 1 and not parts[-2].endswith(".") \
        and parts[-2].lower() not in source_words().person else ""
    best, best_later = "", ""
    first = ""  # "says Dirk" after "Dirk Hanning, 67": feature writing's first-name style
    for m in rec.mentions:
        if m.label != "PERSON":
            continue
        cand = _clean_name(m.text)
        words = cand.split()
        if len(parts) == 1 and len(words) > 1 and words[0] == last and m.span is not None \
                and m.span.start < before:
            first = cand
        if not words or words[-1] != last or len(cand) <= len(name):
            continue
        if given and given not in words[:-1]:
            continue
        if m.span is not None and m.span.start < before:
            if len(words) >= len(best.split()):
                best = cand  # keep the latest earlier one of the longest form
        elif not best_later:
            best_later = cand
    return best or best_later or first or name


def _role(np_tokens: list[Token], ent: Span | None, head: Token) -> str:
    """Role words: compounds before the name ("Taliban spokesman") or an appositive."""
    if ent is not None:
        pre = [t for t in np_tokens if t.i < ent.start and t.dep_ in ("compound", "amod", "nmod")]
        if pre:
            return _strip_det(pre)
    for child in head.children:
        if child.dep_ == "appos" and not child.like_num:  # "Lena Vik, 24,": an age
            s, e = noun_phrase(child)
            return _strip_det(list(head.doc[s:e]))
    return ""


def _anonymous_marked(sentence: str) -> bool:
    text = sentence.lower()
    return any(p in text for p in source_words().anonymity)


def _previous(quotes: list[Quote], before: int, classes: set[str]) -> Quote | None:
    for q in reversed(quotes):
        if q.speaker_span is not None and q.speaker_span.start < before:
            if q.source_class in classes and q.speaker:
                return q
    return None


def _previous_person(rec: ArticleRecord, before: int) -> tuple[int, str] | None:
    inside = _quotation_before(rec.text, before)
    best = None
    for m in rec.mentions:
        if m.label == "PERSON" and m.span is not None and m.span.end <= before:
            if inside[0] <= m.span.start < inside[1]:
                continue  # named inside the quotation the pronoun follows: “... Lena,” he said
            best = (m.span.start, m.text)
    return best


@functools.lru_cache(maxsize=4)
def _quotations(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(quote_marks(text))  # one article's pronouns ask for the same text


def _quotation_before(text: str, before: int) -> tuple[int, int]:
    """The quotation that ends just before ``before`` in the same paragraph ("“...,” he
    said"), as a character range; (0, 0) if the text there is not a quotation's end."""
    ended = [q for q in _quotations(text) if q[1] <= before]
    if not ended:
        return 0, 0
    a, b = max(ended, key=lambda q: q[1])
    gap = text[b:before]
    if "\n" in gap or len(gap.split()) > 3:
        return 0, 0  # the pronoun is not the one that attributes it
    return a, b


def describe(head: Token, rec: ArticleRecord, quotes: list[Quote], sentence: str = "") -> Speaker:
    """Speaker, role and source class for the subject ``head`` of a cue."""
    doc: Doc = head.doc
    words = source_words()
    if head.lower_ in RELATIVE and head.head.dep_ == "relcl":
        head = head.head.head  # "officials who said" → officials
    start, end = noun_phrase(head)
    np_tokens = list(doc[start:end])
    # "A spokesman for the ministry, Jane Doe, said": the appositive name is the speaker
    if not head.ent_type_:
        for child in head.children:
            # the tagger may call the name an organisation ("The UN envoy, Torvald de Mirandola,")
            if child.dep_ == "appos" and (child.ent_type_ == "PERSON" or (
                    child.pos_ == "PROPN" and head.lemma_.lower() in words.person)):
                ent = _entity(child)
                role = _strip_det([t for t in np_tokens if t.i < child.left_edge.i])
                name = full_name(rec, ent.text if ent else child.text, child.idx)
                return Speaker(name, role, "named")
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in SINGULAR_PRONOUNS:
            return _resolve_singular(head, rec, quotes)
        if lower in PLURAL_PRONOUNS:
            q = _previous(quotes, head.idx, {"unnamed-group", "organisation"})
            if q is not None:
                return Speaker(q.speaker, q.speaker_role, q.source_class)
        return Speaker(head.text, "", "unknown")
    ent = _entity(head)
    if ent is not None and ent.label_ == "PERSON":
        while len(ent) > 1 and ent[0].pos_ in ("VERB", "AUX"):
            ent = ent[1:]  # "Said Comey, ...": the tagger took the inverted verb in
        name = full_name(rec, ent.text, ent.start_char)
        return Speaker(name, _role(np_tokens, ent, head), "named")
    if ent is not None and ent.label_ in ORG_LABELS:
        known = full_name(rec, ent.text, ent.start_char)
        if len(ent) == 1 and known != _clean_name(ent.text) and not ent.text.isupper():
            # the tagger often calls a bare surname an organisation or place ("Calloway said"):
            # a person of that surname named earlier in the article settles it
            return Speaker(known, _role(np_tokens, ent, head), "named")
        if head.tag_ in ("NNS", "NNPS") and ent.label_ == "NORP":
            return Speaker(_strip_det(np_tokens), "", "unnamed-group")
        title = any(t.text == "The" and not t.is_sent_start for t in np_tokens)  # The Federalist
        if ent.label_ == "NORP" and head.i == ent.end - 1 and head.head.tag_ != "VBP" \
                and not title:
            return _partisan(head, np_tokens, rec)
        if head.lemma_.lower() in words.person:  # "a US official": GPE modifier, person head
            return _common_noun(head, np_tokens, rec, quotes, sentence)
        return Speaker(_clean_name(ent.text), _role(np_tokens, ent, head), "organisation")
    if head.pos_ == "PROPN" and head.lemma_.lower() not in words.org:  # not "the Ministry"
        span_text = _strip_det([t for t in np_tokens if t.i <= head.i])
        name = full_name(rec, span_text, head.idx)
        return Speaker(name if name != head.text else span_text, "", "named")
    return _common_noun(head, np_tokens, rec, quotes, sentence)


def _common_noun(head: Token, np_tokens: list[Token], rec: ArticleRecord,
                 quotes: list[Quote], sentence: str) -> Speaker:
    words = source_words()
    lemma = head.lemma_.lower()
    core = [t for t in np_tokens if t.i <= head.i]  # "US officials", not the relative clause
    of = next((c for c in head.rights if c.lower_ == "of" and c.dep_ == "prep"), None)
    if of is not None and (head.like_num or head.lemma_.lower() in words.quantity):
        # "many hundreds of women", "most of the delegates": the group is the "of" object
        core = [t for t in np_tokens if t.i <= of.right_edge.i]
        # "one of the officials" is a single unnamed person
        return Speaker(_strip_det(core), "", "anonymous" if head.lower_ == "one"
                       else "unnamed-group")
    phrase = _join(core)
    if head.tag_ in ("NNS", "NNPS"):
        return Speaker(_strip_det(core), "", "unnamed-group")
    if lemma in words.org or phrase.lower().removeprefix("the ") in words.org:
        return Speaker(_strip_det(core), "", "organisation")
    det = next((t.lower_ for t in np_tokens if t.dep_ == "det"), "")
    role = _strip_det(core)
    if lemma in words.person:
        name = _introduced_as(role, head, rec) if det in DEFINITE else None
        if name:
            return Speaker(name, role, "named")
        if det in DEFINITE:  # "the official": the one introduced before
            for q in reversed(quotes):
                if q.speaker_span is None or q.speaker_span.start >= head.idx:
                    continue
                said = (q.speaker_span.text + " " + q.speaker_role).lower()
                same = re.search(rf"\b{re.escape(lemma)}\b", said)
                if q.source_class in SINGULAR_CLASSES and same:
                    return Speaker(q.speaker, q.speaker_role, q.source_class)
        return Speaker(phrase if det not in DEFINITE else role, role, "anonymous")
    if _anonymous_marked(sentence):
        return Speaker(phrase, "", "anonymous")
    return Speaker(_strip_det(core) or head.text, "", "unknown")


_NEAR = 60  # characters: how far from a name its description is looked for


def _partisan(head: Token, np_tokens: list[Token], rec: ArticleRecord) -> Speaker:
    """"The Tennessee Republican said": one person, described by party or nationality.  A
    definite one is the person introduced earlier with the same words next to the name ("Bob
    Calloway, a Tennessee Republican," / "Tennessee Republican Bob Calloway"); a bare "the
    Republican" could be anyone of the party, so it stays a description."""
    core = _strip_det([t for t in np_tokens if t.i <= head.i])
    det = next((t.lower_ for t in np_tokens if t.dep_ == "det"), "")
    name = _introduced_as(core, head, rec) if det in DEFINITE else None
    return Speaker(name, core, "named") if name else Speaker(core, core, "anonymous")


def _introduced_as(core: str, head: Token, rec: ArticleRecord) -> str | None:
    """The person an earlier sentence names with these words next to the name: "the defence
    secretary" after "the defence secretary, Jan Holm," or "Defence Secretary Jan Holm".
    One word ("the official", "the Republican") could be anyone, so it needs two."""
    if len(core.split()) < 2:
        return None
    words = re.compile(rf"\b{re.escape(core)}\b", re.I)
    for m in reversed(rec.mentions):
        if m.label != "PERSON" or m.span is None or m.span.end > head.sent.start_char:
            continue
        a, b = rec.sentences[m.span.sentence]
        for hit in words.finditer(rec.text, max(a, m.span.start - _NEAR),
                                  min(b, m.span.end + _NEAR)):
            # right beside the name ("Jan Holm, the defence secretary," / "Defence Secretary
            # Jan Holm"), not holding it ("a senior Cruz adviser" is not Cruz) nor elsewhere
            # in its clause ("Trump attacked the former president")
            if hit.end() <= m.span.start:
                gap = rec.text[hit.end():m.span.start]
            elif hit.start() >= m.span.end:
                gap = rec.text[m.span.end:hit.start()]
            else:
                continue
            if _APPOSED.fullmatch(gap):
                return full_name(rec, m.text, m.span.start)
    return None


_APPOSED = re.compile(r"[\s,(]*(?:(?:a|an|the)\s+)?", re.I)


def _resolve_singular(head: Token, rec: ArticleRecord, quotes: list[Quote]) -> Speaker:
    q = _previous(quotes, head.idx, SINGULAR_CLASSES)
    person = _previous_person(rec, head.idx)
    if person is not None and (q is None or q.speaker_span is None
                               or person[0] >= q.speaker_span.end):
        return Speaker(full_name(rec, person[1], person[0]), "", "named")
    if q is not None:
        return Speaker(q.speaker, q.speaker_role, q.source_class)
    return Speaker(head.text, "", "unknown")
