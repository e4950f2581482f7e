"""A light, offline guess at an article's language: English or not.

Two signals, both cheap and both robust on short texts:

* script: text whose letters are mostly non-Latin (Cyrillic, Arabic, CJK, …) is
  not English, whatever its length;
* function words: in Latin script, the share of English function words
  ("the", "of", "said") against those of other languages from
  ``data/function_words.tsv``.  Names, numbers and headlines carry no function
  words at all, so a text is called non-English only on positive evidence for
  another language; when in doubt it is English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 20_000  # the opening of a story says which language it is in
_MIN_HITS = 5  # other-language function words needed before we say "not English"
# Particles inside names ("Juan Carlos de la Fuente", "Lula da Silva", "Ursula von der
# Leyen") are function words of other languages; English text full of such names must
# stay English, so a short lowercase run between two capitalised words is not counted.


@functools.cache
def _name_particles() -> re.Pattern[str]:
    words = "|".join(sorted(_words()["_particles"], key=len, reverse=True))
    return re.compile(
        rf"(?<=[^\W\d_])(\s+(?:(?:{words})\s+){{1,3}})(?=[A-Z])"  # de la, von der
        rf"|\b(?:{words})-(?=[A-Z])"  # el-Sisi, al-Assad
    )

# Distinct foreign function words needed: a repeated name particle is one word, while
# even two sentences of real German or Spanish use five or more different ones.
_MIN_DISTINCT = 3


@functools.cache
def _words() -> dict[str, frozenset[str]]:
    raw = resources.files("newswire").joinpath("data", "function_words.tsv").read_text("utf-8")
    table: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, _, words = line.partition("\t")
        table[lang] = frozenset(words.split())
    return table


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


# A script name (from unicodedata) to the code reported for it.
_SCRIPTS = {
    "CYRILLIC": "cyrillic", "ARABIC": "ar", "HEBREW": "he", "GREEK": "el", "CJK": "zh",
    "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "DEVANAGARI": "hi", "THAI": "th",
    "BENGALI": "bn", "TAMIL": "ta", "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am",
}


def detect(text: str) -> str:
    """``"en"``, or a language (or script) code when the text is clearly not English."""
    sample = text[:_SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "en"
    # Script first: a few hundred letters are enough and the test is exact.
    probe = letters[:2000]
    latin = sum(ch < "\u0250" for ch in probe)
    if latin < 0.5 * len(probe):
        scripts: dict[str, int] = {}
        for ch in probe:
            if ch >= "\u0250":
                s = _script(ch)
                scripts[s] = scripts.get(s, 0) + 1
        top = max(scripts, key=scripts.__getitem__)
        return _SCRIPTS.get(top, top.lower() or "und")
    table = _words()
    english = table["en"]
    tokens = [w.lower() for w in _WORD.findall(_name_particles().sub(" ", sample))]
    en_hits = sum(w in english for w in tokens)
    best, best_hits = "en", 0
    for lang, words in table.items():
        if lang in ("en", "_particles"):
            continue
        found = [w for w in tokens if w in words]
        if len(found) > best_hits and len(set(found)) >= _MIN_DISTINCT:
            best, best_hits = lang, len(found)
    # Positive evidence only: enough foreign function words, and clearly more of
    # them than English ones (English quoting a foreign phrase stays English).
    if best_hits >= _MIN_HITS and best_hits > 2 * en_hits:
        return best
    return "en"
