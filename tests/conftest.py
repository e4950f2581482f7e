"""Shared test helpers: the real spaCy pipeline, loaded once per session."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from newswire.model import Article, ArticleRecord

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("NEWSWIRE_SHARED", ROOT.parent / "shared"))


def needs_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear message."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (shared data is optional)")
    return path


def run_text(text: str, published: date | None = None, title: str | None = None) -> ArticleRecord:
    from newswire.pipeline import process

    return process(Article(text=text, title=title, published=published, source="test"))


@pytest.fixture(scope="session")
def nlp():
    from newswire import nlp as nlpmod

    return nlpmod.load()
