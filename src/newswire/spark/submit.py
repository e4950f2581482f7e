"""Entry point for ``spark-submit`` (the master and resources come from spark-submit).

    SUBMIT=$(python -c 'import newswire.spark.submit as m; print(m.__file__)')
    spark-submit --master yarn ... "$SUBMIT" s3a://bucket/warc/ \
        --out s3a://bucket/newswire-out [--published 2021-10-09] [--clusters]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date


def main(argv: list[str] | None = None) -> int:
    from newswire.spark import io
    from newswire.spark.job import run_job, session

    ap = argparse.ArgumentParser(prog="newswire.spark.submit", description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="files, directories or globs (any Hadoop path)")
    ap.add_argument("--out", required=True, help="output directory (overwritten)")
    ap.add_argument("--published", type=date.fromisoformat, help="date for undated inputs")
    ap.add_argument("--format", choices=io.KINDS, dest="kind", help="read every input as this")
    ap.add_argument("--partitions", type=int, help="processing partitions")
    ap.add_argument("--batch-size", type=int, default=32, help="articles per spaCy batch")
    ap.add_argument("--clusters", action="store_true", help="also write story clusters")
    ap.add_argument("--cluster-threshold", type=float, default=None)
    args = ap.parse_args(argv)
    spark = session(master=None, conf={})
    try:
        res = run_job(spark, args.inputs, args.out, published=args.published, kind=args.kind,
                      partitions=args.partitions, batch_size=args.batch_size,
                      clusters=args.clusters, cluster_threshold=args.cluster_threshold)
    finally:
        spark.stop()
    print(f"{res.articles} articles, {res.rows.get('events', 0)} events, {res.errors} errors "
          f"in {res.seconds:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
