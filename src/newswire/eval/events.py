"""Score the event coder against PLOVER JSON records (one per line, e.g. the PLOVER GSR).

Each record's ``text`` is coded as a standalone snippet through the real pipeline
(``pipeline.process_batch``; the record's ``date`` is the publication date); the prediction is the
highest-confidence event, or NONE.  ``event`` / ``mode`` may be a string or a list of acceptable
values; ``"NONE"`` means no event should be coded.

When the records are the classifier's own training data (the GSR: their ids are listed in the
shipped ``folds.json``) each record is coded with the fold model that never saw it, so the numbers
are k-fold cross-validated; otherwise the shipped model is used.  The result says which.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from newswire.coding import classifier
from newswire.coding.actors import normalise_code
from newswire.extract import events as coder
from newswire.model import Article, ArticleRecord, Event
from newswire.ontology import normalise_mode, normalise_sector
from newswire.pipeline import process_batch

NONE = "NONE"
FLAGS = ("negated", "future", "hypothetical", "historical")


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()]


def _actors(rec: dict, *keys: str) -> list[dict]:
    for key in keys:
        val = rec.get(key)
        if isinstance(val, list) and val:
            return [a for a in val if isinstance(a, dict)]
        if isinstance(val, dict):
            return [val]
    return []


def _pub(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def read(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not a JSON record ({exc.msg})") from exc
            if not isinstance(rec, dict) or not str(rec.get("text", "")).strip():
                raise ValueError(f"{path}:{n}: record has no 'text'")
            rec.setdefault("id", f"{path.name}#{n}")
            out.append(rec)
    return out


def _fold_plan(recs: list[dict], model_dir: Path) -> tuple[dict[str, int], int] | None:
    """The fold of each record when these records are the classifier's training data."""
    path = model_dir / "folds.json"
    if not path.is_file():
        return None
    info = json.loads(path.read_text(encoding="utf-8"))
    folds: dict[str, int] = info.get("folds", {})
    known = sum(1 for r in recs if str(r["id"]) in folds)
    if known < 0.5 * len(recs):
        return None
    k = int(info["k"])
    if not all((model_dir / f"events.fold{i}.json.gz").is_file() for i in range(k)):
        return None
    return folds, k


def _code(recs: list[dict], model: classifier.Model | None) -> list[ArticleRecord | None]:
    arts = [
        Article(text=str(r["text"]), published=_pub(r.get("date")), source=str(r["id"]))
        for r in recs
    ]
    with coder.using_model(model):
        out = process_batch(arts)
    return [o if isinstance(o, ArticleRecord) else None for o in out]


def _top(rec: ArticleRecord | None) -> Event | None:
    if rec is None or not rec.events:
        return None
    return max(rec.events, key=lambda e: e.confidence)


def _prf(gold: list[str], pred: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for c in sorted(set(gold) | set(pred)):
        tp = sum(g == p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[c] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    return out


def _ratio(hits: int, n: int) -> dict[str, Any]:
    return {"accuracy": hits / n if n else None, "n": n}


def evaluate(
    path: Path, folds: int = 5, limit: int | None = None, model_dir: Path | None = None
) -> dict[str, Any]:
    """Code every record and score it; see the module docstring for what is compared."""
    path = Path(path)
    recs = read(path)[:limit] if limit else read(path)
    model_dir = model_dir or classifier.MODEL_DIR
    plan = _fold_plan(recs, model_dir)
    coded: list[ArticleRecord | None] = [None] * len(recs)
    if plan is not None:
        fold_of, k = plan
        groups: dict[int, list[int]] = defaultdict(list)
        for i, r in enumerate(recs):
            groups[fold_of.get(str(r["id"]), -1)].append(i)
        for fold, idx in sorted(groups.items()):
            model = (classifier.load_path(model_dir / f"events.fold{fold}.json.gz")
                     if fold >= 0 else classifier.load())
            for i, out in zip(idx, _code([recs[i] for i in idx], model), strict=True):
                coded[i] = out
        evaluation = (f"k-fold (k={k}) cross-validation: the classifier scoring each record "
                      "never saw it")
        if folds != k:
            evaluation += f" (folds fixed at training time: k={k}, asked for {folds})"
    else:
        coded = _code(recs, classifier.load())
        evaluation = "shipped model (records not recognised as its training data)"
    gold_main, pred_main = [], []
    correct = 0
    mode_hits = mode_n = 0
    side = {"actor": [0, 0], "recipient": [0, 0], "actor_sector": [0, 0],
            "recipient_sector": [0, 0]}
    dead_hits = dead_n = 0
    flags: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    scored: list[tuple[float, bool]] = []  # (confidence, correct) of every coded top event
    for rec, out in zip(recs, coded, strict=True):
        gold = [g.upper() for g in _as_list(rec.get("event"))] or [NONE]
        ev = _top(out)
        pred = ev.type if ev else NONE
        ok = pred in gold
        correct += ok
        gmain = pred if ok else gold[0]
        gold_main.append(gmain)
        pred_main.append(pred)
        confusion[gmain][pred] += 1
        if ev is not None:
            scored.append((ev.confidence, ok))
            for f in FLAGS:
                flags[f] += bool(getattr(ev, f))
        gmodes = [normalise_mode(gmain, m) for m in _as_list(rec.get("mode"))]
        if gmodes and ok and gmain != NONE:
            mode_n += 1
            mode_hits += normalise_mode(pred, ev.mode if ev else "") in gmodes
        for name, keys, attr in (("actor", ("source", "actor"), "actors"),
                                 ("recipient", ("target", "recipient"), "recipients")):
            gact = _actors(rec, *keys)
            codes = {normalise_code(str(a.get("code", ""))) for a in gact} - {""}
            sectors = {normalise_sector(str(a.get("sector", ""))) for a in gact} - {""}
            first = getattr(ev, attr)[0] if ev and getattr(ev, attr) else None
            if codes:
                side[name][1] += 1
                side[name][0] += bool(first and normalise_code(first.code) in codes)
            if sectors:
                side[name + "_sector"][1] += 1
                side[name + "_sector"][0] += bool(first and first.sector in sectors)
        gdead = rec.get("dead")
        if gdead not in (None, ""):
            dead_n += 1
            try:
                want = float(str(gdead).replace(",", ""))
            except ValueError:
                want = None
            dead_hits += bool(ev and ev.dead and want is not None and ev.dead.low == want)
    prf = _prf(gold_main, pred_main)
    gold_classes = sorted(set(gold_main))
    macro = sum(prf[c]["f1"] for c in gold_classes) / len(gold_classes) if gold_classes else 0.0
    n = len(recs)
    return {
        "path": str(path),
        "n": n,
        "failed": sum(o is None for o in coded),
        "evaluation": evaluation,
        "accuracy": correct / n if n else 0.0,
        "macro_f1": macro,
        "per_type": prf,
        "mode": _ratio(mode_hits, mode_n),
        "actor_country": _ratio(*side["actor"]),
        "recipient_country": _ratio(*side["recipient"]),
        "actor_sector": _ratio(*side["actor_sector"]),
        "recipient_sector": _ratio(*side["recipient_sector"]),
        "dead_exact": _ratio(dead_hits, dead_n),
        "flags": {f: flags[f] for f in FLAGS},
        "confusion": {g: dict(c) for g, c in sorted(confusion.items())},
        "calibration": calibration(scored),
    }


def calibration(scored: list[tuple[float, bool]], bins: int = 5) -> dict[str, Any]:
    """Expected calibration error of the top event's confidence (equal-width bins)."""
    if not scored:
        return {"n": 0, "ece": None, "mean_confidence": None, "accuracy": None, "bins": []}
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        part = [(c, ok) for c, ok in scored if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not part:
            continue
        conf = sum(c for c, _ in part) / len(part)
        acc = sum(ok for _, ok in part) / len(part)
        ece += len(part) / len(scored) * abs(conf - acc)
        rows.append({"range": f"{lo:.1f}-{hi:.1f}", "n": len(part), "confidence": conf,
                     "accuracy": acc})
    return {
        "n": len(scored),
        "ece": ece,
        "mean_confidence": sum(c for c, _ in scored) / len(scored),
        "accuracy": sum(ok for _, ok in scored) / len(scored),
        "bins": rows,
    }


def render(result: dict[str, Any], console) -> None:
    """Print the result as tables on a rich Console."""
    from rich.table import Table

    console.print(f"[bold]events[/bold] {result['path']}  n={result['n']}  "
                  f"({result['evaluation']})")
    console.print(f"accuracy {result['accuracy']:.3f}   macro-F1 {result['macro_f1']:.3f}   "
                  f"failed {result['failed']}")
    t = Table("type", "P", "R", "F1", "support")
    for c, m in result["per_type"].items():
        t.add_row(c, f"{m['precision']:.2f}", f"{m['recall']:.2f}", f"{m['f1']:.2f}",
                  str(m["support"]))
    console.print(t)
    t = Table("measure", "accuracy", "n")
    for key in ("mode", "actor_country", "recipient_country", "actor_sector",
                "recipient_sector", "dead_exact"):
        r = result[key]
        t.add_row(key, "-" if r["accuracy"] is None else f"{r['accuracy']:.3f}", str(r["n"]))
    console.print(t)
    cal = result["calibration"]
    if cal["n"]:
        console.print(f"calibration of the top event's confidence: ECE {cal['ece']:.3f} "
                      f"(mean confidence {cal['mean_confidence']:.3f}, accuracy "
                      f"{cal['accuracy']:.3f}, n={cal['n']})")
    console.print("flags on predicted events: " +
                  ", ".join(f"{k}={v}" for k, v in result["flags"].items()))
    labels = sorted(set(result["confusion"]) |
                    {p for row in result["confusion"].values() for p in row})
    t = Table("gold \\ pred", *[lab[:5] for lab in labels])
    for g in labels:
        row = result["confusion"].get(g, {})
        t.add_row(g, *[str(row.get(p, "")) for p in labels])
    console.print(t)
