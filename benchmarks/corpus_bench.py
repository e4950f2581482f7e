"""Scaling benchmark: `newswire run` over synthetic 1×, 4×, 16× Guardian corpora, and the
corpus step (story clustering + event fusion) on its own, up to 100k articles.

The synthetic corpora (benchmarks/synth.py) go to a temporary directory, never into the
repository. A full 16× pipeline run takes long on a laptop; ``--subset N`` builds the scales
from the first N Guardian articles, and ``--scales`` picks which to run.

    python benchmarks/corpus_bench.py [--shared ../shared] [--subset 40] [--scales 1,4,16]
        [--workers 1] [--cluster-sizes 10000,100000] [--out corpus_bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402
from throughput import timed  # noqa: E402  (subprocess wall time + peak memory of the tree)

from newswire import corpus  # noqa: E402
from newswire.corpus import clusters, fusion, minhash  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def corpus_step(db: Path) -> dict:
    """Clustering + fusion on a stored corpus: from scratch, then incrementally (nothing new)."""
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM article_signatures")
        t = time.perf_counter()
        full = corpus.refresh(con, full=True)
        t_full = time.perf_counter() - t
        t = time.perf_counter()
        corpus.refresh(con)
        t_again = time.perf_counter() - t
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    finally:
        con.close()
    return {
        "corpus_full_s": round(t_full, 3),
        "sign_s": round(full.clusters.seconds_sign, 3),
        "cluster_s": round(full.clusters.seconds_cluster, 3),
        "fusion_s": round(full.fusion.seconds, 3),
        "corpus_incremental_s": round(t_again, 3),
        "story_clusters": full.clusters.clusters,
        "multi_article_clusters": full.clusters.multi,
        "events": events,
        "fused_events": full.fusion.fused,
    }


def scaling(rows: list[dict], scales: list[int], workers: int, tmp: Path) -> list[dict]:
    out = []
    for k in scales:
        src, db = tmp / f"synth{k}.jsonl", tmp / f"synth{k}.duckdb"
        n, words = synth.write(rows, k, src)
        cmd = [sys.executable, "-m", "newswire", "run", str(src), "--db", str(db), "--top", "0",
               "--workers", str(workers)]
        secs, mem, rss = timed(cmd)
        res = {"scale": k, "articles": n, "words": words, "workers": workers,
               "run_s": round(secs, 2), "articles_per_s": round(n / secs, 2),
               "words_per_s": round(words / secs), "peak_pss_mib": round(mem),
               "peak_rss_sum_mib": round(rss)}
        res.update(corpus_step(db))
        out.append(res)
        print(json.dumps(res), flush=True)
    base = out[0]
    for r in out:
        r["time_ratio"] = round(r["run_s"] / base["run_s"], 2)
        r["size_ratio"] = round(r["articles"] / base["articles"], 2)
    return out


def _signatures(n: int, rng: np.random.Generator) -> np.ndarray:
    """n signatures in stories of 1 to 5 copies (3 on average): each story a random
    signature, each further copy with a quarter of its values redrawn (Jaccard ~0.75).
    Signing 100k real texts would take ~15 minutes, and this step does not read texts."""
    sigs = np.empty((n, minhash.NUM_PERM), dtype=np.uint32)
    i = story = 0
    while i < n:
        base = rng.integers(0, 2**32 - 1, size=minhash.NUM_PERM, dtype=np.uint32)
        for copy in range(min(story % 5 + 1, n - i)):
            sig = base.copy()
            if copy:
                redraw = rng.random(minhash.NUM_PERM) < 0.25
                sig[redraw] = rng.integers(0, 2**32 - 1, size=int(redraw.sum()), dtype=np.uint32)
            sigs[i] = sig
            i += 1
        story += 1
    return sigs


def _events(db: Path, n: int) -> list[dict]:
    """n event rows for fusion: the stored ones, replicated with shifted dates and ids."""
    con = duckdb.connect(str(db), read_only=True)
    rel = con.sql(fusion._EVENTS_SQL)
    cols = rel.columns
    base = [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
    con.close()
    out = []
    for i in range(n):
        ev = dict(base[i % len(base)])
        copy = i // len(base)
        shift = timedelta(days=3 * copy)  # copies are other events, not other reports
        ev["id"] = f"{ev['id']}-c{copy}"
        ev["article_id"] = f"{ev['article_id']}-c{copy}"
        ev["cluster_id"] = f"{ev['cluster_id']}-c{copy}"
        for key in ("date_start", "date_end", "published"):
            if ev[key] is not None:
                ev[key] = ev[key] + shift
        out.append(ev)
    return out


def corpus_only(sizes: list[int], db: Path | None) -> list[dict]:
    """Clustering (pairs + components over stored signatures) and fusion alone, at size n."""
    rng = np.random.default_rng(5)
    out = []
    for n in sizes:
        sigs = _signatures(n, rng)
        ids = [f"{i:08d}" for i in range(n)]
        t = time.perf_counter()
        mapping, pairs = clusters.assign(ids, sigs, minhash.DEFAULT_THRESHOLD)
        t_cluster = time.perf_counter() - t
        res = {"articles": n, "cluster_s": round(t_cluster, 3), "similar_pairs": pairs,
               "story_clusters": len(set(mapping.values())),
               "signature_mib": round(sigs.nbytes / 2**20, 1)}
        if db is not None:
            events = _events(db, n * 4)  # ~4 events per article, as the Guardian sample has
            t = time.perf_counter()
            groups = fusion.group_events(events)
            rows_out = [fusion.fused_row(g) for g in groups]
            res.update({"events": len(events), "fused_events": len(rows_out),
                        "fusion_s": round(time.perf_counter() - t, 3)})
        out.append(res)
        print(json.dumps(res), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSWIRE_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--subset", type=int, default=None, help="first N Guardian articles")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cluster-sizes", default="10000,100000",
                    help="corpus-step-only sizes (articles); empty to skip")
    ap.add_argument("--out", type=Path, default=Path("corpus_bench.json"))
    args = ap.parse_args()
    csv_path = args.shared / "corpus" / "guardian" / "articles.csv"
    if not csv_path.exists():
        print(f"skipped: {csv_path} not present (the benchmark needs the Guardian sample)")
        return
    rows = synth.read_guardian(csv_path, args.subset)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    sizes = [int(s) for s in args.cluster_sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp:
        result = {"subset": len(rows), "scaling": scaling(rows, scales, args.workers, Path(tmp))}
        db = Path(tmp) / f"synth{scales[0]}.duckdb" if scales else None
        result["corpus_step"] = corpus_only(sizes, db)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
