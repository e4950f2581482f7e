"""The fast attribute ruler and lemmatizer annotate exactly as the model's stock components."""

from __future__ import annotations

import spacy
from conftest import EXAMPLES, needs_shared

from newswire import fastpipes
from newswire.nlp import MODEL

# Sentences written to reach every kind of attribute-ruler pattern in the English model:
# auxiliaries and copulas, "n't"/"not", subordinators tagged IN, determiners used as
# pronouns, expletive "there", contractions the ruler re-lemmatises ("gonna", "ain't",
# "let's", "y'all", "c'mon", "nothin'"), pronoun case, and whitespace tokens.
SENTENCES = """\
The ministers said that they weren't ready, but the talks will go on if both sides agree.
There are 40 soldiers at the base and there's no sign that they're leaving.
"I'm not gonna sign it, and you ain't either," he told reporters.   Let's see, y'all.
C'mon, we've got ta finish this before nothin' is left, she said; that was all.
Those who had fled returned, while others did what they could because it rained.
It was him who gave it to me; I thanked you for it, though it is late.
Police have arrested 12 protesters, and the army has been deployed since Monday.

Whether he will resign is unclear. Doesn't he know? Do you? They did, did they not?
"""


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def _pipelines():
    stock = spacy.load(MODEL)
    fast = spacy.load(MODEL)
    fastpipes.install(fast)
    return stock, fast


def test_fast_components_replace_the_stock_ones():
    _, fast = _pipelines()
    assert "attribute_ruler" not in fast.pipe_names
    assert "lemmatizer" not in fast.pipe_names
    assert {"fast_attribute_ruler", "fast_lemmatizer"} <= set(fast.pipe_names)
    assert {"attribute_ruler", "lemmatizer"} <= set(fast.disabled)


def test_same_annotations_as_stock_pipeline():
    stock, fast = _pipelines()
    texts = SENTENCES.splitlines() + [SENTENCES]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert _annotations(a) == _annotations(b), a.text[:80]


def test_contractions_get_the_ruler_lemmas():
    # the rules themselves, not only agreement: these lemmas come from attribute-ruler
    # patterns (two-token and regex ones), not from the lemmatizer
    _, fast = _pipelines()
    doc = fast("I'm gonna go, and you ain't coming, y'all know nothin' about it.")
    lemmas = {t.text.lower(): t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert lemmas["ai"] == "be"
    assert lemmas["nothin'"] == "nothing"
    assert lemmas["'m"] == "be"


def test_same_annotations_on_seed_article():
    seed = needs_shared("seed", "000_b2749c64b7648e29.txt")
    stock, fast = _pipelines()
    text = seed.read_text(encoding="utf-8")
    assert _annotations(stock(text)) == _annotations(fast(text))
