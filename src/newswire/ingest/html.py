"""HTML pages (.html/.htm, and WARC responses): trafilatura finds the article in the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newswire import limits as limitsmod
from newswire.errors import InputError
from newswire.ingest.base import (
    decode_lenient,
    html_charset,
    html_depth,
    outlet_from_url,
    parse_date,
    read_bytes,
)
from newswire.model import Article

# htmldate's extensive search guesses a date from any year in the page (a
# "Copyright 2019" footer becomes 2019-01-01); a wrong date misplaces every
# relative date in the story, so only metadata-grade dates are taken and the
# --published fallback fills the rest.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_LINES = re.compile(r"\n+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section",
    "article", "header", "footer", "figure", "figcaption", "ul", "ol", "table", "dd", "dt",
)


def check_depth(html: str | bytes, source: str) -> None:
    """An InputError for a page nested deeper than ``max_html_depth``.

    lxml (libxml2) stops building the tree past ~256 levels without an error,
    and trafilatura then finds no text, so the page would vanish silently.
    """
    limit = limitsmod.current().max_html_depth
    data = html.encode("utf-8", "replace") if isinstance(html, str) else html
    depth = html_depth(data, limit)
    if depth > limit:
        raise InputError(source, f"HTML nested too deep (over {limit} levels; "
                                 f"limit max_html_depth={limit})")


def article_from_html(html: str, source: str, url: str | None = None) -> Article | None:
    """The article in an HTML page, or None when the page holds no readable text."""
    import trafilatura

    check_depth(html, source)

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (doc.text if doc is not None else "") or ""
    title = author = page_url = day = None
    if doc is not None:
        title, author, page_url = doc.title or None, doc.author or None, doc.url or None
        try:
            day = parse_date(doc.date)
        except ValueError:
            day = None
    if not text.strip():
        # trafilatura declines pages it judges not to be an article (too short,
        # no main block); a plain rendering of the body still beats nothing.
        text = html_to_text(html)
    if not text.strip():
        return None
    # trafilatura puts one paragraph per line; clean() expects blank lines.
    text = _LINES.sub("\n\n", text.strip())
    # The address it was fetched from (a WARC record's target) names the record;
    # the page's canonical link is only a fallback.
    url = url or page_url
    return Article(text=text, title=title, url=url, published=day,
                   outlet=outlet_from_url(url), author=author, source=source)


def html_to_text(html: str) -> str:
    """Text of an HTML fragment with one paragraph per block element (feeds, fallbacks)."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    if "<" not in html:
        return html.strip()
    # lxml refuses to set text holding C0 controls (found by fuzzing a feed whose entry
    # carried a NUL); they are never content.
    html = _NOT_XML.sub("", html)
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "head", "script", "style", "noscript", "nav", etree.Comment,
                         with_tail=False)
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
        if el.text:
            el.text = "\n\n" + el.text
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(p.split()) for p in re.split(r"\n\s*\n", root.text_content()))
    return "\n\n".join(p for p in lines if p)


def read(path: Path, source: str) -> Iterator[Article | InputError]:
    data = read_bytes(path, source)
    if b"\x00" in data[:65536]:
        raise InputError(source, "binary file (contains NUL bytes), not HTML")
    art = article_from_html(decode_lenient(data, html_charset(data)), source)
    if art is None:
        raise InputError(source, "no article text found in the HTML page")
    yield art
