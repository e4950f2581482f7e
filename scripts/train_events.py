"""Train the event classifier (candidate-level multinomial logistic regression).

Reads the PLOVER gold-standard records and the NGEC synthetic stories by path (defaults under
../shared/data, or $NEWSWIRE_SHARED), builds candidate features with the same code the coder uses
(``newswire.coding.features``), and writes gzipped-JSON weights to
``src/newswire/coding/model/``:

* ``events.json.gz``        trained on everything (the shipped model);
* ``events.fold{k}.json.gz`` one model per cross-validation fold, each trained without that fold's
  GSR records, so that ``newswire.eval.events`` can report honest k-fold numbers;
* ``folds.json``            which GSR record id is in which fold.

Labels: in a GSR sentence a candidate inside an ``(EVT: ...)`` markup span takes the record's event
type, every other candidate is NONE.  A synthetic story (only with ``--synthetic-weight`` > 0:
it lowered the cross-validated GSR accuracy, see ``main``) contributes its headline and first
sentence: the candidate whose lexicon type equals the story label (else the main verb) takes
the label.  Reproducible: fixed seeds, deterministic solver.

    python scripts/train_events.py [--gsr PATH] [--stories PATH] [--folds 5]
                                   [--synthetic-weight W] [--cv-only]

The defaults reproduce the shipped weights.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from newswire import nlp as nlpmod
from newswire.coding import features as F
from newswire.coding.classifier import MODEL_DIR, NONE, Model

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSWIRE_SHARED", ROOT.parent / "shared"))
SEED = 13
TAG = re.compile(r"\((?:EVT|SRC|TAR|SRC/TAR|TAR/SRC|LOC)[^:()]*: ")
PLACEHOLDERS = {
    "country": ["Kenya", "Peru", "Nepal", "Ghana", "Chile", "Jordan", "Serbia", "Laos"],
    "city": ["Nairobi", "Lima", "Kathmandu", "Accra", "Santiago", "Amman", "Belgrade"],
}


def gold_types(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).upper() for v in value]
    return [str(value or NONE).upper()]


def evt_spans(markup: str, text: str) -> list[tuple[int, int]]:
    """Character spans of (EVT: ...) segments, re-aligned to the plain text; [] if it fails."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    i, pos, open_evt, depth = 0, 0, None, 0
    inside = False
    while i < len(markup):
        m = TAG.match(markup, i)
        if m and not inside:
            inside, depth = True, 0
            open_evt = pos if m.group(0).startswith("(EVT") else None
            i = m.end()
            continue
        ch = markup[i]
        if inside and ch == "(":
            depth += 1
        elif inside and ch == ")":
            if depth == 0:
                if open_evt is not None:
                    spans.append((open_evt, pos))
                inside, open_evt = False, None
                i += 1
                continue
            depth -= 1
        plain.append(ch)
        pos += 1
        i += 1
    return spans if "".join(plain) == text else []


def gsr_examples(path: Path, nlp) -> list[dict]:
    recs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    docs = nlp.pipe([r["text"] for r in recs], batch_size=64)
    out = []
    for rec, doc in zip(recs, docs, strict=True):
        label = gold_types(rec.get("event"))[0]
        info = rec.get("textInfo") if isinstance(rec.get("textInfo"), dict) else {}
        spans = evt_spans(info.get("markup", ""), rec["text"])
        words = set(str(rec.get("eventText", "")).lower().split())
        rows = []
        for tok, _row, feats in F.doc_candidates(doc):
            if spans:
                hit = any(s <= tok.idx < e for s, e in spans)
            else:  # markup did not align: fall back to the eventText words
                hit = tok.lower_ in words
            rows.append((feats, label if hit else NONE))
        out.append({"id": rec["id"], "label": label, "rows": rows})
    return out


def _fill(title: str, rng: random.Random) -> str:
    def sub(m: re.Match) -> str:
        kind = "city" if "city" in m.group(1) else "country"
        return rng.choice(PLACEHOLDERS[kind])

    return re.sub(r"\{([a-z_0-9]+)\}", sub, title)


def synthetic_examples(path: Path, nlp, rng: random.Random) -> list[dict]:
    stories = list(csv.DictReader(path.open(encoding="utf-8")))
    texts, labels = [], []
    for s in stories:
        first = re.split(r"(?<=[.!?])\s+", s["text"].strip(), maxsplit=1)[0]
        for t in (_fill(s["title"], rng), first):
            texts.append(t)
            labels.append(s["label"].upper())
    out = []
    for doc, label in zip(nlp.pipe(texts, batch_size=128), labels, strict=True):
        cands = F.doc_candidates(doc)
        if not cands:
            continue
        hit = [i for i, (_t, row, _f) in enumerate(cands) if row and row.type == label]
        if not hit:  # no trigger of that type: the main verb carries the headline's event
            roots = [i for i, (t, _r, _f) in enumerate(cands) if t.dep_ == "ROOT"]
            hit = roots[:1]
        rows = [(f, label) for i, (_t, _r, f) in enumerate(cands) if i in hit]
        if rows:
            out.append({"id": "", "label": label, "rows": rows})
    return out


def fit(examples: list[dict], weights: list[float], c: float) -> Model:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, ys, ws = [], [], []
    for ex, w in zip(examples, weights, strict=True):
        for f, y in ex["rows"]:
            feats.append(dict.fromkeys(f, 1.0))
            ys.append(y)
            ws.append(w)
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    lr = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    lr.fit(x, ys, sample_weight=np.asarray(ws))
    classes = [str(k) for k in lr.classes_]
    coef = lr.coef_.T  # (n_features, n_classes)
    keep = np.abs(coef).max(axis=1) >= 0.01  # drop features that change nothing
    names = [n for n, k in zip(vec.get_feature_names_out(), keep, strict=True) if k]
    return Model(classes, {n: i for i, n in enumerate(names)}, coef[keep], lr.intercept_)


def sentence_prediction(model: Model, rows: list) -> tuple[str, np.ndarray, np.ndarray]:
    """(predicted type, candidate probabilities, candidate labels) for one GSR sentence."""
    if not rows:
        return NONE, np.zeros((0, len(model.classes))), np.asarray([])
    p = model.predict_proba([f for f, _ in rows])
    none = model.classes.index(NONE)
    q = p.copy()
    q[:, none] = 0.0
    i, j = np.unravel_index(np.argmax(q), q.shape)
    return model.classes[j], p, np.asarray([y for _, y in rows])


def fit_temperature(probs_logits: list[tuple[np.ndarray, int]]) -> float:
    """Temperature minimising held-out negative log-likelihood (grid search, deterministic)."""
    best, best_t = float("inf"), 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        nll = 0.0
        for z, y in probs_logits:
            s = z / t
            s = s - s.max()
            nll -= s[y] - np.log(np.exp(s).sum())
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)


def fit_platt(pairs: list[tuple[float, bool]]) -> tuple[float, float]:
    """Platt scaling: logistic regression of correctness on logit(p), by Newton's method."""
    if not pairs:
        return 1.0, 0.0
    p = np.clip(np.asarray([q for q, _ in pairs]), 1e-6, 1 - 1e-6)
    x = np.log(p / (1 - p))
    y = np.asarray([float(ok) for _, ok in pairs])
    w = np.asarray([1.0, 0.0])
    for _ in range(50):
        z = w[0] * x + w[1]
        q = 1 / (1 + np.exp(-z))
        g = np.asarray([((q - y) * x).sum(), (q - y).sum()])
        h = np.asarray([[(q * (1 - q) * x * x).sum(), (q * (1 - q) * x).sum()],
                        [(q * (1 - q) * x).sum(), (q * (1 - q)).sum()]]) + 1e-6 * np.eye(2)
        w = w - np.linalg.solve(h, g)
    return round(float(w[0]), 4), round(float(w[1]), 4)


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(g == p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def assign_folds(gsr: list[dict], k: int) -> dict[str, int]:
    """Stratified by event type, seeded."""
    rng = random.Random(SEED)
    by_label: dict[str, list[str]] = {}
    for ex in gsr:
        by_label.setdefault(ex["label"], []).append(ex["id"])
    folds, n = {}, 0
    for label in sorted(by_label):
        ids = sorted(by_label[label])
        rng.shuffle(ids)
        for rid in ids:
            folds[rid] = n % k
            n += 1
    return folds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gsr", type=Path, default=SHARED / "data/plover-gsr/gsr.jsonl")
    ap.add_argument("--stories", type=Path, default=SHARED / "data/ngec-synthetic/stories.csv")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.1, help="inverse L2 regularisation strength")
    ap.add_argument("--prior", type=float, default=1.0, help="logit bonus of the lexicon type")
    ap.add_argument("--top-prior", type=float, default=2.0,
                    help="logit bonus of the type of the root-most lexicon trigger")
    ap.add_argument("--modal-scale", type=float, default=0.0,
                    help="share of the lexicon priors kept under intent/obligation/condition")
    # Measured (5-fold CV on the GSR, same features): weight 0 -> 0.727 accuracy, 0.03 -> 0.711,
    # 0.3 -> 0.637.  The synthetic stories' labels are story-level and their headlines rarely
    # match the GSR's sentence-level coding, so the shipped model leaves them out (weight 0).
    ap.add_argument("--synthetic-weight", type=float, default=0.0,
                    help="sample weight of the NGEC synthetic stories (0 = not used)")
    ap.add_argument("--no-synthetic", action="store_true", help="same as --synthetic-weight 0")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--cv-only", action="store_true", help="report CV numbers, write nothing")
    args = ap.parse_args(argv)
    if args.synthetic_weight <= 0:
        args.no_synthetic = True
    for p in (args.gsr,) + (() if args.no_synthetic else (args.stories,)):
        if not p.exists():
            print(f"error: {p} not found (set NEWSWIRE_SHARED or pass the path)", file=sys.stderr)
            return 2
    rng = random.Random(SEED)
    nlp = nlpmod.load()
    gsr = gsr_examples(args.gsr, nlp)
    syn = [] if args.no_synthetic else synthetic_examples(args.stories, nlp, rng)
    print(f"GSR sentences: {len(gsr)}; synthetic examples: {len(syn)}")
    folds = assign_folds(gsr, args.folds)
    gold, pred, held = [], [], []
    tops: list[tuple[int, str, list]] = []  # (fold, gold label, rows) to calibrate afterwards
    fold_models = []
    for k in range(args.folds):
        train = [ex for ex in gsr if folds[ex["id"]] != k] + syn
        w = [1.0 if ex["id"] else args.synthetic_weight for ex in train]
        model = fit(train, w, args.c)
        model.prior, model.top_prior = args.prior, args.top_prior
        model.modal_scale = args.modal_scale
        fold_models.append(model)
        for ex in gsr:
            if folds[ex["id"]] != k:
                continue
            label, _p, ys = sentence_prediction(model, ex["rows"])
            tops.append((k, ex["label"], ex["rows"]))
            gold.append(ex["label"])
            pred.append(label)
            if len(ys):
                z = model.logits([f for f, _ in ex["rows"]])
                held += [(zi, model.classes.index(y)) for zi, y in zip(z, ys, strict=True)]
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    print(f"{args.folds}-fold CV on the GSR (sentence = best candidate): n={len(gold)} "
          f"accuracy={acc:.3f} macro_f1={macro_f1(gold, pred):.3f}")
    conf = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    print("top confusions (gold -> predicted):", conf.most_common(12))
    temperature = fit_temperature(held)
    print(f"temperature (held-out NLL): {temperature}")
    pairs = []
    for k, label, rows in tops:
        fold_models[k].temperature = temperature
        top, p, _ = sentence_prediction(fold_models[k], rows)
        if top != NONE:
            pairs.append((float(p[:, fold_models[k].classes.index(top)].max()), top == label))
    platt = fit_platt(pairs)
    print(f"Platt scaling of the top event's probability (held-out): a={platt[0]} b={platt[1]}")
    if args.cv_only:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    final = fit(gsr + syn, [1.0] * len(gsr) + [args.synthetic_weight] * len(syn), args.c)
    final.temperature = temperature
    final.prior, final.top_prior = args.prior, args.top_prior
    final.modal_scale = args.modal_scale
    final.platt = platt
    final.save(args.out / "events.json.gz")
    for k, m in enumerate(fold_models):
        m.temperature = temperature  # priors were set when the fold model was fitted
        m.platt = platt
        m.save(args.out / f"events.fold{k}.json.gz")
    (args.out / "folds.json").write_text(json.dumps(
        {"k": args.folds, "seed": SEED, "source": "plover-gsr", "folds": folds},
        sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out}/events.json.gz, {args.folds} fold models, folds.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
