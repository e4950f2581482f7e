"""Articles/s of `newswire spark` in local[1] and local[2] against `newswire run`, same inputs.

The Guardian sample (``../shared/corpus/guardian/articles.csv``) is converted to
JSONL in a temporary directory (the first ``--limit`` rows).  Each measurement is
a fresh subprocess; spaCy model loading is inside every timing, Spark's JVM
start-up is reported apart (``startup_s``) and also included in ``total_s``.

    python benchmarks/spark_bench.py [--shared ../shared] [--limit 60] \
        [--masters local[1],local[2]] [--out results.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SPARK_RUN = """
import json, sys, time
t0 = time.perf_counter()
from newswire.spark import run_job, session
spark = session(sys.argv[1], "newswire-bench")
spark.sparkContext.parallelize([0], 1).count()  # the JVM and a Python worker are up
t1 = time.perf_counter()
res = run_job(spark, [sys.argv[2]], sys.argv[3])
t2 = time.perf_counter()
spark.stop()
print(json.dumps({"startup_s": t1 - t0, "job_s": t2 - t1, "total_s": t2 - t0,
                  "articles": res.articles, "events": res.rows.get("events", 0),
                  "errors": res.errors}))
"""


def to_jsonl(src: Path, dst: Path, limit: int) -> int:
    csv.field_size_limit(1 << 30)
    n = 0
    with open(src, encoding="utf-8", newline="") as fh, open(dst, "w", encoding="utf-8") as out:
        for row in csv.DictReader(fh):
            if n >= limit:
                break
            rec = {"text": row["text"], "published": row.get("date"), "outlet": row.get("source")}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def local_run(jsonl: Path, tmp: Path) -> dict:
    db = tmp / "local.duckdb"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newswire", "run", str(jsonl), "--db", str(db),
                    "--top", "0"], check=False, capture_output=True)
    total = time.perf_counter() - t0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    ev = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    con.close()
    return {"total_s": total, "articles": n, "events": ev}


def spark_run(master: str, jsonl: Path, tmp: Path) -> dict:
    out = tmp / f"spark-{master.replace('[', '_').replace(']', '')}"
    proc = subprocess.run([sys.executable, "-c", SPARK_RUN, master, str(jsonl), str(out)],
                          check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSWIRE_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--limit", type=int, default=60, help="articles (first N rows)")
    ap.add_argument("--masters", default="local[1],local[2]")
    ap.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = ap.parse_args()
    src = args.shared / "corpus" / "guardian" / "articles.csv"
    if not src.exists():
        sys.exit(f"{src} not found (pass --shared or set NEWSWIRE_SHARED)")
    results: dict = {"corpus": str(src), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        jsonl = tmp / "guardian.jsonl"
        results["articles_in"] = to_jsonl(src, jsonl, args.limit)
        results["local_run"] = local_run(jsonl, tmp)
        for master in args.masters.split(","):
            results[master] = spark_run(master, jsonl, tmp)
    for name, r in results.items():
        if isinstance(r, dict):
            r["articles_per_s"] = round(r["articles"] / r["total_s"], 2)
            if "job_s" in r:
                r["articles_per_s_job"] = round(r["articles"] / r["job_s"], 2)
            print(f"{name:12} {r['articles']:5d} articles  total {r['total_s']:6.1f} s  "
                  f"{r['articles_per_s']:6.2f} art/s"
                  + (f"  (job only {r['job_s']:.1f} s, {r['articles_per_s_job']:.2f} art/s,"
                     f" startup {r['startup_s']:.1f} s)" if "job_s" in r else ""))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
