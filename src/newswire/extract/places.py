"""places: placeholder until its extractor lands."""

from __future__ import annotations

from spacy.tokens import Doc

from newswire.model import ArticleRecord


def extract(doc: Doc, rec: ArticleRecord) -> list:
    return []
