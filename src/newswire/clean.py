"""Boilerplate and scrape-artefact removal; headline, standfirst and byline detection.

The cleaned text is laid out as paragraphs separated by a blank line:
headline, then the standfirst (if any), then the body paragraphs.  Every
extractor's span points into this text, and ``nlp.paragraph_breaks`` makes each
line break a sentence boundary, so a headline never merges into a sentence.

Choices worth knowing:

* Spaced dots (``. . .``, ``. ..``) inside a paragraph and followed by a word
  become `` … `` (a single ellipsis character between spaces): measured with
  the spaCy pipeline, that is the only spelling that keeps a quote such as
  "a meeting . . . on bilateral relations" in one sentence whatever word
  follows.  ``. .`` and spaced dots at a paragraph's end collapse to ``.``.
* A paragraph-final lowercase word after a sentence end ("in 2020. recording.")
  is a scrape fragment and is dropped; so is a paragraph that is one lowercase word.
* Boilerplate and credit lines are whole-paragraph patterns from
  ``data/boilerplate.tsv``; credits go to ``byline`` (joined by newlines).
* Datelines ("KABUL, Afghanistan (AP) — ") stay in the text: they name the place.
* Typographic quotes and apostrophes are kept as written.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from newswire import limits as limitsmod
from newswire.model import Article, ArticleRecord, Section

_PATTERN_FILE = "boilerplate.tsv"
_MAX_PATTERN_LEN = 300  # longer paragraphs are content, never boilerplate
_NAME = r"(?:[A-Z][\w'’.-]*\.?\s+){0,3}[A-Z][\w'’-]+"

# Characters that render as nothing or as a plain space / line break.
_ODD_MAP = {
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\f": "\n", "\v": "\n",
    "\u2028": "\n", "\u2029": "\n\n", "\r\n": "\n", "\r": "\n",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
}
# One regex pass (str.translate with a dict is ~10x slower on long texts).
_ODD_CHARS = tuple(k for k in _ODD_MAP if len(k) == 1)
_ODD = re.compile("\r\n|[" + "".join(_ODD_CHARS) + "]")
_BLOCKS = re.compile(r"\n[ ]*(?:\n[ ]*)+")
_TERMINAL = re.compile(r"""[.!?…]["'”’»)\]]*$""")
_ABBREV_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "... with the U.S."
_WRAP_END = re.compile(
    r"(?:[,;(\-–—]|\b(?:the|a|an|of|to|in|on|at|by|for|from|with|and|or|but|that|as|his|her|its|"
    r"their|was|were|is|are|has|have|had|said|says|who|which|after|before|than)\b)$"
)
_DOTS = re.compile(r"\.(?:[ ]*\.)+")
_STRAY_TAIL = re.compile(r"(?<=[a-z0-9]{2}[.!?])([\"”’)]?)\s+[a-z][a-z'’-]*\.?$")
_STRAY_PARA = re.compile(r"[a-z][a-z'’-]*\.?")
_CREDIT_TAIL = re.compile(
    r"\(((?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced)"
    r" by [A-Z][^()]{1,250})\)$"
)
_OPENERS = re.compile(r"""^[A-Z0-9"'“‘«(]""")


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(drop, byline): each an alternation of the data file's patterns."""
    groups: dict[str, list[str]] = {"drop": [], "byline": []}
    raw = resources.files("newswire").joinpath("data", _PATTERN_FILE).read_text("utf-8")
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, pattern = line.partition("\t")
        if kind not in groups or not pattern:
            raise ValueError(f"{_PATTERN_FILE}:{lineno}: expected 'drop|byline<TAB>regex'")
        pattern = pattern.replace("{NAME}", _NAME)
        try:  # fail here, naming the line, rather than somewhere in the alternation
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{_PATTERN_FILE}:{lineno}: bad regex: {exc}") from None
        if pattern.startswith("(?i)"):  # global flags cannot sit inside the alternation
            groups[kind].append(f"(?i:{pattern[4:]})")
        else:
            groups[kind].append(f"(?:{pattern})")
    return re.compile("|".join(groups["drop"])), re.compile("|".join(groups["byline"]))


def is_boilerplate(par: str) -> bool:
    return len(par) <= _MAX_PATTERN_LEN and _patterns()[0].fullmatch(par) is not None


def is_byline(par: str) -> bool:
    return len(par) <= _MAX_PATTERN_LEN and _patterns()[1].fullmatch(par) is not None


def looks_like_headline(line: str) -> bool:
    """Short, capitalised, no final full stop, not a byline or site furniture."""
    words = line.split()
    if not 1 <= len(words) <= 25 or len(line) > 200 or not _OPENERS.match(line):
        return False
    if line.endswith((".", ",", ";", ":", "-", "–", "—")) and not _ABBREV_END.search(line):
        return False
    return not (is_byline(line) or is_boilerplate(line))


def _is_standfirst(par: str) -> bool:
    # A summary line under the headline, written without a final full stop.
    n = len(par.split())
    return 6 <= n <= 80 and bool(_OPENERS.match(par)) and not _TERMINAL.search(par) \
        and not par.endswith((":", ",", ";"))


def _joins(line: str, nxt: str) -> bool:
    """Whether a single line break inside a block is a hard wrap (same paragraph)."""
    if _TERMINAL.search(line):
        return False
    return nxt[:1].islower() or nxt[:1].isdigit() or bool(_WRAP_END.search(line))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs with whitespace collapsed; hard-wrapped lines are re-joined."""
    out: list[str] = []
    if any(ch in text for ch in _ODD_CHARS):  # plain `in` scans are far cheaper than a regex
        text = _ODD.sub(lambda m: _ODD_MAP[m.group()], text)
    for block in _BLOCKS.split(text):
        lines = [" ".join(ln.split()) for ln in block.split("\n")]
        cur = ""
        for line in lines:
            if not line:
                continue
            if cur and _joins(cur, line):
                cur = f"{cur} {line}"
                continue
            if cur:
                out.append(cur)
            cur = line
        if cur:
            out.append(cur)
    return out


def _fix_dots(par: str) -> str:
    # Paragraph whitespace is already collapsed, so these two probes are exact.
    if ".." not in par and ". ." not in par:
        return par
    out: list[str] = []
    pos = 0
    for m in _DOTS.finditer(par):
        run = m.group()
        if " " not in run and len(run) >= 3:
            continue  # a typed "..." is the writer's own ellipsis
        out.append(par[pos:m.start()].rstrip(" "))
        pos = m.end()
        nxt = par[pos:pos + 2].lstrip()[:1]
        if " " in run and run.count(".") >= 3 and nxt:
            if m.start() == 0:
                out.append("…")
                continue
            if nxt.isalnum():
                out.append(" …" if par[pos:pos + 1] == " " else " … ")
                continue
            if nxt in "\"”’»)":
                out.append("…")
                continue
        out.append(".")
    out.append(par[pos:])
    return "".join(out)


def _scrub(par: str, bylines: list[str]) -> str:
    """Artefact fixes inside one paragraph; a trailing credit moves to ``bylines``."""
    par = _fix_dots(par)
    m = _STRAY_TAIL.search(par, max(0, len(par) - 60))  # only the paragraph's end can match
    if m:
        par = par[: m.start()] + m.group(1)
    m = _CREDIT_TAIL.search(par, max(0, len(par) - 300))
    if m:
        bylines.append(m.group(1))
        par = par[: m.start()]
    return par.strip()


def clean(article: Article) -> ArticleRecord:
    """The cleaned record: headline / standfirst / body paragraphs, byline apart."""
    bylines: list[str] = []
    body: list[str] = []
    for par in split_paragraphs(article.text):
        par = _scrub(par, bylines)
        if not par or _STRAY_PARA.fullmatch(par) or is_boilerplate(par):
            continue
        if is_byline(par):
            bylines.append(par)
            continue
        body.append(par)

    headline: str | None = None
    given = " ".join((article.title or "").split())
    if given:
        headline = given
        if body and _same_title(body[0], given):
            headline = body.pop(0)
    elif len(body) >= 2 and looks_like_headline(body[0]):
        headline = body.pop(0)

    standfirst = None
    if headline and len(body) >= 2 and _is_standfirst(body[0]):
        standfirst = body.pop(0)

    parts: list[tuple[str, str]] = []
    if headline:
        parts.append(("headline", headline))
    if standfirst:
        parts.append(("standfirst", standfirst))
    parts.extend(("body", p) for p in body)
    parts, warning = _truncate(parts, limitsmod.current().max_chars)

    sections: list[Section] = []
    pos = 0
    for kind, par in parts:
        sections.append(Section(kind, pos, pos + len(par)))
        pos += len(par) + 2
    text = "\n\n".join(p for _, p in parts)
    byline = "\n".join(bylines) or article.author or None
    rec = ArticleRecord(article=article, text=text, title=headline, byline=byline,
                        sections=sections)
    if warning:
        rec.warnings.append(warning)
    return rec


_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")


def _truncate(parts: list[tuple[str, str]], limit: int) -> tuple[list[tuple[str, str]], str]:
    """Paragraphs that fit in ``limit`` characters, and a warning when some were cut.

    Long texts are cut, not dropped: the first paragraphs of a story carry its
    events.  The cut falls at a paragraph boundary; only a first paragraph longer
    than the limit is cut inside, at its last sentence end (or space) that fits.
    """
    total = sum(len(p) for _, p in parts) + 2 * max(0, len(parts) - 1)
    if total <= limit:
        return parts, ""
    kept: list[tuple[str, str]] = []
    size = 0
    for kind, par in parts:
        extra = len(par) + (2 if kept else 0)
        if size + extra > limit:
            if not kept:
                head = par[:limit]
                ends = list(_SENTENCE_END.finditer(head))
                cut = ends[-1].end() if ends else (head.rfind(" ") if " " in head else limit)
                head = head[:cut].rstrip()
                if head:
                    kept.append((kind, head))
                    size = len(head)
            break
        kept.append((kind, par))
        size += extra
    return kept, (f"text truncated at a paragraph boundary: kept {size:,} of {total:,} "
                  f"characters (limit max_chars={limit:,})")


def _same_title(par: str, title: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    a, b = norm(par), norm(title)
    # Page titles often carry the site name ("Headline - Daily Wire").
    return a == b or (len(a) >= 20 and b.startswith(a))
