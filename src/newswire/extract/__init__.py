"""Extractors: plain functions ``extract(doc, rec) -> list[...]`` over the parsed document.

``rec`` is the :class:`~newswire.model.ArticleRecord` being filled; extractors that
run later (events) read what earlier ones (places, dates, counts) put there.
"""
