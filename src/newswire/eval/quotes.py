"""``newswire eval quotes``: attribution spans against brat standoff gold (PolNeAR layout).

Layout: ``DIR/text/NAME.txt`` and ``DIR/attributions/NAME_<annotator>.ann``.  ``T`` lines
give ``Source``/``Cue``/``Content`` spans (offsets may be discontinuous: ``a b;c d``); ``E``
lines tie them into one Attribution.  Several .ann files for one text are alternative
annotations: each text is scored against the one that matches our output best.

Scores per role (source, cue, content), one-to-one matching:
- exact: the same word tokens (punctuation and whitespace ignored);
- overlap: the prediction covers at least half of the gold span's word tokens.
A span with no word at all (a ":" cue in a transcript) is compared by its punctuation marks,
so that such cues can be matched rather than always counted as misses.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newswire.model import Article, ArticleRecord, Quote

ROLES = ("source", "cue", "content")
WORD = re.compile(r"\w+")
PUNCT = re.compile(r"[^\w\s]")
Ranges = tuple[tuple[int, int], ...]


@dataclass
class Gold:
    """One annotation file: the set of spans per role."""

    name: str
    spans: dict[str, list[Ranges]] = field(default_factory=lambda: {r: [] for r in ROLES})
    skipped: int = 0  # malformed lines


def read_ann(path: Path) -> Gold:
    """Spans of the roles that take part in an Attribution event (E line) of one .ann file."""
    tspans: dict[str, Ranges] = {}
    gold = Gold(path.name)
    seen: dict[str, set[Ranges]] = {r: set() for r in ROLES}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label_offsets = parts[1].split(" ", 1)
            try:
                ranges = [(int(a), int(b)) for a, b in
                          (piece.split() for piece in label_offsets[1].split(";"))]
            except (IndexError, ValueError):  # a malformed line: skip it, keep the file
                gold.skipped += 1
                continue
            tspans[parts[0]] = tuple(ranges)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("E"):
            continue
        for arg in line.split("\t")[1].split()[1:] if "\t" in line else []:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in ROLES and tid in tspans and tspans[tid] not in seen[role]:
                seen[role].add(tspans[tid])
                gold.spans[role].append(tspans[tid])
    return gold


def predicted(quotes: list[Quote]) -> dict[str, list[Ranges]]:
    out: dict[str, list[Ranges]] = {r: [] for r in ROLES}
    for q in quotes:
        if q.speaker_span is not None:
            out["source"].append(((q.speaker_span.start, q.speaker_span.end),))
        if q.cue_span is not None:
            out["cue"].append(((q.cue_span.start, q.cue_span.end),))
        if q.span is not None:
            out["content"].append(tuple((s.start, s.end) for s in [q.span, *q.extra_spans]))
    for role in ROLES:  # one source phrase can head several quotes; count it once
        out[role] = list(dict.fromkeys(out[role]))
    return out


class Words:
    """Word-token index of one text, to turn char ranges into token sets."""

    def __init__(self, text: str) -> None:
        self.words = self._index(WORD, text)
        self.marks = self._index(PUNCT, text)

    @staticmethod
    def _index(pattern: re.Pattern, text: str) -> tuple[list[int], list[int]]:
        toks = [(m.start(), m.end()) for m in pattern.finditer(text)]
        return [a for a, _ in toks], [b for _, b in toks]

    def tokens(self, ranges: Ranges) -> frozenset[int]:
        out = self._tokens(self.words, ranges)
        if not out:  # punctuation-only span: its marks, numbered apart from the words
            out = {-1 - i for i in self._tokens(self.marks, ranges)}
        return frozenset(out)

    @staticmethod
    def _tokens(index: tuple[list[int], list[int]], ranges: Ranges) -> set[int]:
        starts, ends = index
        out: set[int] = set()
        for a, b in ranges:
            out.update(range(bisect_right(ends, a), bisect_left(starts, b)))
        return out


def match(gold: list[frozenset[int]], pred: list[frozenset[int]], exact: bool) -> int:
    """Number of one-to-one matches (greedy, best overlap first)."""
    pairs = []
    for i, g in enumerate(gold):
        if not g:
            continue
        for j, p in enumerate(pred):
            if exact:
                if g == p:
                    pairs.append((1.0, i, j))
                continue
            inter = len(g & p)
            if inter and inter / len(g) >= 0.5:
                pairs.append((inter / len(g | p), i, j))
    pairs.sort(reverse=True)
    gi: set[int] = set()
    pj: set[int] = set()
    for _, i, j in pairs:
        if i not in gi and j not in pj:
            gi.add(i)
            pj.add(j)
    return len(gi)


def score_text(text: str, gold: Gold, pred: dict[str, list[Ranges]]) -> dict[str, list[int]]:
    """Per role: [gold, predicted, exact matches, overlap matches]."""
    words = Words(text)
    out = {}
    for role in ROLES:
        g = [words.tokens(r) for r in gold.spans[role]]
        p = [words.tokens(r) for r in pred[role]]
        out[role] = [len(g), len(p), match(g, p, True), match(g, p, False)]
    return out


def _f1(c: list[int]) -> float:
    return 2 * c[3] / (c[0] + c[1]) if c[0] + c[1] else 0.0


def pairs(path: Path, limit: int | None = None) -> list[tuple[Path, list[Path]]]:
    """(text file, its .ann files) for every text that has at least one annotation."""
    anns: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((path / "attributions").glob("*.ann")):
        anns[ann.stem.rsplit("_", 1)[0]].append(ann)
    out = [(t, anns[t.stem]) for t in sorted((path / "text").glob("*.txt")) if anns.get(t.stem)]
    return out[:limit] if limit else out


def annotate_raw(texts: list[str], batch_size: int = 16) -> list[ArticleRecord]:
    """Parse raw texts (no cleaning, so gold offsets hold) and run mentions + quotes."""
    from newswire import nlp as nlpmod
    from newswire.extract import mentions, quotes

    recs = []
    docs = nlpmod.load().pipe(texts, batch_size=batch_size)
    for text, doc in zip(texts, docs, strict=True):
        rec = ArticleRecord(article=Article(text=text, source="eval"), text=text)
        rec.sentences = [(s.start_char, s.end_char) for s in doc.sents]
        rec.mentions = mentions.extract(doc, rec)
        rec.quotes = quotes.extract(doc, rec)
        recs.append(rec)
    return recs


def evaluate(path: Path, limit: int | None = None) -> dict:
    """Score the quote extractor over a brat directory; see the module docstring."""
    path = Path(path)
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        raise FileNotFoundError(f"{path}: expected text/ and attributions/ folders (brat layout)")
    items = pairs(path, limit)
    texts = [t.read_text(encoding="utf-8") for t, _ in items]
    recs = annotate_raw(texts)
    return score(items, texts, [predicted(r.quotes) for r in recs], path)


def score(items, texts, preds, path: Path | str = "") -> dict:
    totals = {r: [0, 0, 0, 0] for r in ROLES}
    alternatives = 0
    skipped = 0
    for (_, anns), text, pred in zip(items, texts, preds, strict=True):
        golds = [read_ann(a) for a in anns]
        skipped += sum(g.skipped for g in golds)
        options = [score_text(text, g, pred) for g in golds]
        alternatives += len(anns) > 1
        best = max(options, key=lambda o: sum(_f1(o[r]) for r in ROLES))
        for role in ROLES:
            totals[role] = [x + y for x, y in zip(totals[role], best[role], strict=True)]
    result: dict = {"path": str(path), "texts": len(items),
                    "ann_files": sum(len(a) for _, a in items),
                    "texts_with_alternatives": alternatives, "skipped_lines": skipped,
                    "roles": {}}
    for role, (g, p, ex, ov) in totals.items():
        result["roles"][role] = {"gold": g, "predicted": p, "exact": _prf(ex, g, p),
                                 "overlap": _prf(ov, g, p)}
    return result


def _prf(hits: int, gold: int, pred: int) -> dict:
    prec = hits / pred if pred else 0.0
    rec = hits / gold if gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"matched": hits, "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(f1, 4)}


def render(result: dict, console) -> None:
    from rich.table import Table

    table = Table(title=f"quotes vs {result['path']} ({result['texts']} texts, "
                        f"{result['ann_files']} annotation files)")
    table.add_column("role")
    for col in ("gold", "pred", "exact P", "exact R", "exact F1", "overlap P", "overlap R",
                "overlap F1"):
        table.add_column(col, justify="right")
    for role, r in result["roles"].items():
        ex, ov = r["exact"], r["overlap"]
        table.add_row(role, str(r["gold"]), str(r["predicted"]),
                      *(f"{x[k]:.3f}" for x in (ex, ov) for k in ("precision", "recall", "f1")))
    console.print(table)
    console.print(
        f"{result['texts_with_alternatives']} texts have several annotations; each is scored "
        "against the one our output matches best. exact = same word tokens; overlap = "
        "prediction covers ≥ 50% of the gold span's word tokens; one-to-one matching."
    )
