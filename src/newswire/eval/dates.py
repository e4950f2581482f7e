"""``newswire eval dates``: our date extractor against TimeML (TempEval-3 TimeBank) gold.

Each ``.tml`` file gives a document creation time (``<DCT><TIMEX3 value=…>``) and the
text with inline ``TIMEX3`` tags.  We strip the tags (keeping each gold DATE's
character offsets and value), run the real spaCy pipeline and ``dates.extract``
with the DCT as publication date, and score:

- span precision / recall / F1, exact (same offsets) and overlap (any shared
  character; one-to-one, greedy in text order);
- value accuracy on overlap-matched spans.  Gold values with ``X`` placeholders
  ("1989-WXX", "19XX") accept our more specific value when it fits the pattern.

Only predictions of kind ``date`` compete with gold ``type="DATE"``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newswire import nlp as nlpmod
from newswire.errors import InputError
from newswire.extract import dates as dates_extractor
from newswire.model import Article, ArticleRecord

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    dct: date | None
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)

    @property
    def dates(self) -> list[GoldTimex]:
        return [t for t in self.timexes if t.type == "DATE"]


def read_tml(path: Path) -> TimeMLDoc:
    """Parse one TimeML file: DCT, plain text of <TEXT>, and the TIMEX3 spans in it."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct = None
    m = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    if m:
        attrs = dict(_ATTR.findall(m.group(1)))
        dm = re.match(r"(\d{4})-(\d{2})-(\d{2})", attrs.get("value", ""))
        if dm:
            dct = date(int(dm.group(1)), int(dm.group(2)), int(dm.group(3)))
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if not body:
        raise ValueError(f"{path}: no <TEXT> element")
    parts: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    pos = 0
    src = body.group(1)
    for tag in _TAG.finditer(src):
        piece = html.unescape(src[pos:tag.start()])
        parts.append(piece)
        length += len(piece)
        pos = tag.end()
        closing, name, attrs = tag.group(1), tag.group(2), tag.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(attrs))))
        elif open_timex:
            start, a = open_timex.pop()
            timexes.append(GoldTimex(start, length, "", a.get("type", ""), a.get("value", "")))
    piece = html.unescape(src[pos:])
    parts.append(piece)
    text = "".join(parts)
    for t in timexes:
        t.text = text[t.start:t.end]
    return TimeMLDoc(path.stem, dct, text, sorted(timexes, key=lambda t: t.start))


def value_matches(gold: str, ours: str) -> bool:
    gold, ours = gold.strip().upper(), ours.strip().upper()
    if gold == ours:
        return True
    if "X" in gold and ours:
        if re.fullmatch(gold.replace("X", "[0-9A-Z]"), ours):
            return True
        stem = gold.rstrip("X").rstrip("-")
        return bool(stem) and (ours == stem or ours.startswith(stem) and len(stem) >= 4)
    return False


def _match(gold: list[GoldTimex], pred: list[Any], exact: bool) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            s, e = p.span.start, p.span.end
            ok = (s, e) == (g.start, g.end) if exact else s < g.end and g.start < e
            if ok:
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp}


def evaluate(path: Path, limit: int | None = None, errors: int = 0) -> dict[str, Any]:
    """Score the date extractor over a directory of ``.tml`` files (or one file)."""
    path = Path(path)
    files = sorted(f for f in path.glob("*.tml") if not f.name.startswith(".")) \
        if path.is_dir() else [path]
    if limit:
        files = files[:limit]
    if not files:
        raise InputError(str(path), "no .tml files")
    docs: list[TimeMLDoc] = []
    skipped: list[str] = []
    for f in files:
        try:
            docs.append(read_tml(f))
        except (ValueError, OSError) as exc:  # one unreadable file must not stop the run
            skipped.append(str(exc))
    nlp = nlpmod.load()
    n_gold = n_pred = tp_exact = tp_overlap = value_ok = 0
    mistakes: list[dict[str, str]] = []
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        rec = ArticleRecord(Article(text=doc.text, published=doc.dct, source=doc.name),
                            text=doc.text)
        rec.sentences = [(s.start_char, s.end_char) for s in parsed.sents]
        pred = [d for d in dates_extractor.extract(parsed, rec) if d.kind == "date"]
        gold = doc.dates
        n_gold += len(gold)
        n_pred += len(pred)
        tp_exact += len(_match(gold, pred, exact=True))
        pairs = _match(gold, pred, exact=False)
        tp_overlap += len(pairs)
        for gi, pi in pairs:
            if value_matches(gold[gi].value, pred[pi].value):
                value_ok += 1
            elif len(mistakes) < errors:
                mistakes.append({"doc": doc.name, "dct": str(doc.dct), "gold_text": gold[gi].text,
                                 "gold": gold[gi].value, "ours_text": pred[pi].text,
                                 "ours": pred[pi].value})
    result: dict[str, Any] = {
        "files": len(docs),
        "skipped": skipped,
        "gold_dates": n_gold,
        "predicted_dates": n_pred,
        "span_exact": _prf(tp_exact, n_pred, n_gold),
        "span_overlap": _prf(tp_overlap, n_pred, n_gold),
        "value_accuracy": round(value_ok / tp_overlap, 4) if tp_overlap else 0.0,
        "value_correct": value_ok,
        "value_f1": _prf(value_ok, n_pred, n_gold)["f1"],
    }
    if errors:
        result["value_errors"] = mistakes
    return result


def render(result: dict[str, Any], console) -> None:
    """Print the scores as a Rich table."""
    from rich.table import Table

    table = Table(title=f"dates vs TimeML: {result['files']} files, "
                        f"{result['gold_dates']} gold DATE, {result['predicted_dates']} predicted")
    for col in ("match", "precision", "recall", "F1", "tp"):
        table.add_column(col, justify="right" if col != "match" else "left")
    for key in ("span_exact", "span_overlap"):
        s = result[key]
        table.add_row(key.replace("span_", "span "), f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                      f"{s['f1']:.3f}", str(s["tp"]))
    console.print(table)
    console.print(f"value accuracy on matched spans: {result['value_accuracy']:.3f} "
                  f"({result['value_correct']}/{result['span_overlap']['tp']}); "
                  f"value F1: {result['value_f1']:.3f}")
