"""placeholder clean"""

from __future__ import annotations

from newswire.model import Article, ArticleRecord, Section


def clean(article: Article) -> ArticleRecord:
    text = article.text.strip()
    return ArticleRecord(article=article, text=text, title=article.title,
                         sections=[Section("body", 0, len(text))])
