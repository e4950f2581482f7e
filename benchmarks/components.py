"""Time of each spaCy component on the Guardian corpus, stock pipeline against newswire's.

newswire swaps the model's attribute ruler and lemmatizer for equivalents that give the
same annotations faster (``newswire.fastpipes``). This prints the CPU seconds of every
component in both pipelines over the same texts and counts tokens whose tag, POS,
morphology, lemma or dependency differ between them (it must be 0).

    python benchmarks/components.py [--shared ../shared] [--limit N] [--out results.json]
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy
from throughput import guardian_args, guardian_rows

from newswire import fastpipes
from newswire import nlp as nlpmod


def _timed_pipe(nlp, texts: list[str], batch: int = 16) -> tuple[list, dict[str, float]]:
    """Docs and CPU seconds per component (tokenizer included), batch by batch."""
    secs: dict[str, float] = {"tokenizer": 0.0}
    docs_out = []
    for i in range(0, len(texts), batch):
        t = time.process_time()
        docs = [nlp.make_doc(x) for x in texts[i : i + batch]]
        secs["tokenizer"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            docs = list(proc.pipe(docs, batch_size=batch)) if hasattr(proc, "pipe") \
                else [proc(d) for d in docs]
            secs[name] = secs.get(name, 0.0) + time.process_time() - t
        docs_out += docs
    return docs_out, secs


def _key(t) -> tuple:
    return (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i)


def main() -> int:
    ap = guardian_args("components")
    ap.add_argument("--limit", type=int, default=None, help="First N articles only.")
    args = ap.parse_args()
    found = guardian_rows(args.shared)
    if found is None:
        return 0
    corpus, rows = found
    texts = [r["text"] for r in rows][: args.limit]
    stock = spacy.load(nlpmod.MODEL)
    stock.add_pipe("paragraph_breaks", before="parser")
    fast = spacy.load(nlpmod.MODEL)
    fast.add_pipe("paragraph_breaks", before="parser")
    fastpipes.install(fast)
    stock_docs, stock_secs = _timed_pipe(stock, texts)
    fast_docs, fast_secs = _timed_pipe(fast, texts)
    tokens = sum(len(d) for d in stock_docs)
    diffs = sum(_key(a) != _key(b) for da, db in zip(stock_docs, fast_docs, strict=True)
                for a, b in zip(da, db, strict=True))
    print(f"corpus: {corpus} — {len(texts)} articles, {tokens} tokens")
    print(f"{'component':24s} {'stock s':>8s} {'newswire s':>10s}")
    names = list(stock_secs) + [n for n in fast_secs if n not in stock_secs]
    for name in names:
        a, b = stock_secs.get(name), fast_secs.get(name)
        print(f"{name:24s} {'' if a is None else f'{a:8.2f}':>8s} "
              f"{'' if b is None else f'{b:10.2f}':>10s}")
    total_a, total_b = sum(stock_secs.values()), sum(fast_secs.values())
    print(f"{'total':24s} {total_a:8.2f} {total_b:10.2f}  ({total_a / total_b:.2f}x)")
    print(f"tokens annotated differently: {diffs}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"corpus": str(corpus), "articles": len(texts), "tokens": tokens,
                               "stock_cpu_s": stock_secs, "newswire_cpu_s": fast_secs,
                               "tokens_different": diffs}, indent=2))
    print(f"wrote {out}")
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
