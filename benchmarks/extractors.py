"""What each extractor adds to the end-to-end time, measured on the Guardian corpus.

The texts are cleaned and parsed once; then every extractor is timed over all the
parsed documents ``--repeat`` times (median). The share of an extractor is its time
over the time of the whole pipeline *without* it, i.e. what it adds to a run.

    python benchmarks/extractors.py [--shared ../shared] [--subset N] [--repeat 3]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import guardian_args, guardian_rows  # noqa: E402


def main() -> int:
    ap = guardian_args("extractors")
    ap.add_argument("--subset", type=int, default=None, help="first N articles")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    found = guardian_rows(args.shared)
    if found is None:
        return 0

    from datetime import date

    from newswire import clean, nlp
    from newswire.model import Article
    from newswire.pipeline import EXTRACTORS

    rows = found[1][: args.subset]
    articles = [Article(text=r["text"], published=date.fromisoformat(r["date"][:10]),
                        source=f"guardian:{i}") for i, r in enumerate(rows)]
    pipe = nlp.load()

    t0 = time.perf_counter()
    recs = [clean.clean(a) for a in articles]
    t_clean = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = list(pipe.pipe((r.text for r in recs), batch_size=16))
    t_parse = time.perf_counter() - t0
    for rec, doc in zip(recs, docs, strict=True):
        rec.sentences = [(s.start_char, s.end_char) for s in doc.sents]

    times: dict[str, list[float]] = {name: [] for name, _ in EXTRACTORS}
    for _ in range(args.repeat):
        for name, fn in EXTRACTORS:  # in pipeline order: later ones read earlier results
            t0 = time.perf_counter()
            for rec, doc in zip(recs, docs, strict=True):
                setattr(rec, name, fn(doc, rec))
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(v) for name, v in times.items()}
    total = t_clean + t_parse + sum(med.values())
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words} words; clean {t_clean:.2f}s, parse {t_parse:.2f}s")
    result = {"articles": len(articles), "words": words, "clean_s": round(t_clean, 3),
              "parse_s": round(t_parse, 3), "extractors": {}}
    for name, secs in med.items():
        adds = secs / (total - secs)
        result["extractors"][name] = {"seconds": round(secs, 3), "adds": round(adds, 4)}
        print(f"{name:10s} {secs:7.2f}s  adds {adds:6.1%} to the run without it")
    pair = med["quotes"] + med["dates"]
    result["quotes_and_dates_adds"] = round(pair / (total - pair), 4)
    print(f"quotes+dates adds {result['quotes_and_dates_adds']:.1%}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
