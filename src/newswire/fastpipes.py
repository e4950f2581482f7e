"""Drop-in replacements for two of the English model's rule components, same output, faster.

Measured on the Guardian benchmark corpus (``python benchmarks/components.py``), the stock
``attribute_ruler`` and ``lemmatizer`` took about a quarter of all parsing time although
neither has weights: the attribute ruler runs spaCy's general ``Matcher`` with all of its
180 patterns at every token, and the English lemmatizer caches only the words it inflects,
so every singular noun or base-form verb is analysed again at each occurrence.

* :class:`FastAttributeRuler` reads the model's own attribute-ruler patterns and indexes
  them by the tag, lower-case form, dependency label or whitespace flag they require, so
  each token is checked against the few patterns that can match it. Matches are applied
  in the stock order (rule number, then position), with spaCy's own ``set_token_attrs``.
* :class:`FastLemmatizer` asks the model's lemmatizer once per (word, POS, morphology)
  and remembers the answer, which is a function of exactly those three.

``tests/test_fastpipes.py`` checks token for token that both give the stock pipeline's
annotations; ``NEWSWIRE_STOCK_PIPES=1`` switches back to the stock components.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_COLUMNS = [TAG, LOWER, DEP, IS_SPACE]
# Token fields the index may key on, most selective first.
_INDEX_ORDER = ("LOWER", "TAG", "DEP")

Pred = Callable[[tuple[int, ...], Any], bool]


def _predicate(field: str, value: Any) -> Pred:
    """One token constraint of a Matcher pattern as a test over the token's column values."""
    k = _FIELDS[field]
    if field == "IS_SPACE":
        want = int(bool(value))
        return lambda row, _s: row[k] == want
    if not isinstance(value, dict):
        h = get_string_id(value)
        return lambda row, _s: row[k] == h
    (op, arg), = value.items()
    if op == "IN":
        hs = frozenset(get_string_id(v) for v in arg)
        return lambda row, _s: row[k] in hs
    if op == "NOT_IN":
        hs = frozenset(get_string_id(v) for v in arg)
        return lambda row, _s: row[k] not in hs
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda row, s: bool(rx.search(s[row[k]]))
    raise ValueError(f"attribute-ruler pattern operator {op!r} is not supported")


def _index_keys(first: dict[str, Any]) -> tuple[str, list[int]] | None:
    """Where to file a pattern: the field and the values its first token must have."""
    for field in _INDEX_ORDER:
        value = first.get(field)
        if isinstance(value, str):
            return field, [get_string_id(value)]
        if isinstance(value, dict) and "IN" in value:
            return field, [get_string_id(v) for v in value["IN"]]
    if first.get("IS_SPACE") is True:
        return "IS_SPACE", [1]
    return None


class FastAttributeRuler:
    """The model's attribute ruler, with its patterns indexed instead of all tried everywhere."""

    def __init__(self, stock: Any) -> None:
        self.strings = stock.vocab.strings
        self.attrs = stock.attrs
        self.indices = stock.indices
        # field -> value hash -> [(rule number, [predicates per token])]
        self.index: dict[str, dict[int, list[tuple[int, list[list[Pred]]]]]] = {
            f: {} for f in (*_INDEX_ORDER, "IS_SPACE")
        }
        self.general: list[tuple[int, list[list[Pred]]]] = []
        # the index tables in the order of the ``_COLUMNS`` a token row holds
        self.by_column = [self.index[f] for f in _FIELDS]
        for rule, group in enumerate(stock.patterns):
            for pattern in group["patterns"]:
                for tok in pattern:
                    if set(tok) - set(_FIELDS):
                        raise ValueError(f"attribute-ruler pattern {tok} is not supported")
                preds = [[_predicate(f, v) for f, v in tok.items()]
                         for tok in pattern]
                where = _index_keys(pattern[0])
                if where is None:
                    self.general.append((rule, preds))
                else:
                    field, keys = where
                    for key in keys:
                        self.index[field].setdefault(key, []).append((rule, preds))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        rows = [tuple(r) for r in doc.to_array(_COLUMNS).tolist()]
        by = self.by_column
        strings = self.strings
        matches: list[tuple[int, int, int]] = []
        for i, row in enumerate(rows):
            for k, table in enumerate(by):
                for rule, preds in table.get(row[k], ()):
                    if _matches(preds, rows, i, strings):
                        matches.append((rule, i, i + len(preds)))
            for rule, preds in self.general:
                if _matches(preds, rows, i, strings):
                    matches.append((rule, i, i + len(preds)))
        matches.sort()
        for rule, start, end in matches:
            index = self.indices[rule]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.attrs[rule])
        return doc


def _matches(preds: list[list[Pred]], rows: list[tuple[int, ...]], i: int, strings) -> bool:
    if i + len(preds) > len(rows):
        return False
    return all(p(rows[i + j], strings) for j, tok in enumerate(preds) for p in tok)


class FastLemmatizer:
    """The model's rule lemmatizer, asked once per (word, POS, morphology)."""

    def __init__(self, stock: Any) -> None:
        self.stock = stock
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if self.stock.overwrite:
            return self.stock(doc)
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo, strings = self.memo, doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:  # set by the attribute ruler: kept, as the stock component does
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                value = memo[key] = strings.add(self.stock.lemmatize(doc[i])[0])
            arr[i, 3] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], arr[:, 3:4])
        return doc


@Language.factory("newswire_attribute_ruler")
def make_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))


@Language.factory("newswire_lemmatizer")
def make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(nlp.get_pipe("lemmatizer"))


def install(nlp: Language) -> None:
    """Put the fast components in place of the stock ones (kept, disabled)."""
    for stock, fast in (("attribute_ruler", "newswire_attribute_ruler"),
                        ("lemmatizer", "newswire_lemmatizer")):
        if stock in nlp.pipe_names:
            nlp.add_pipe(fast, name=f"fast_{stock}", after=stock)
            nlp.disable_pipe(stock)
