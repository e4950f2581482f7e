"""Named-entity mentions, straight from the spaCy NER."""

from __future__ import annotations

from spacy.tokens import Doc

from newswire.extract.spans import make_span
from newswire.model import ArticleRecord, Mention


def extract(doc: Doc, rec: ArticleRecord) -> list[Mention]:
    return [
        Mention(ent.text, ent.label_, make_span(rec, ent.start_char, ent.end_char))
        for ent in doc.ents
        if ent.text.strip()
    ]
