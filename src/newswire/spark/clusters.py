"""Story clusters in Spark: the local MinHash (``corpus.minhash``), banding and components.

Same signatures (fixed seed), same band keys, same similarity cut and the same
cluster id (the smallest article id of a connected component) as
``newswire.corpus.clusters`` computes locally; only the work is spread out.
Buckets are grouped by band key, and components are found by min-label
propagation over the edge RDD: the driver only ever sees a count per round.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

CLUSTERS = "clusters"


def _signed(rows: Iterable) -> Iterator[tuple[str, bytes, int]]:
    from newswire.corpus import minhash
    from newswire.corpus.clusters import article_text

    for row in rows:
        body = article_text(row["title"], row["text"])
        if not minhash.shingles(body):
            continue  # too short to compare: stays a cluster of its own, as locally
        yield row["id"], minhash.signature(body).astype("<u4").tobytes(), 0


def _bucketed(item: tuple[str, bytes, int], threshold: float) -> Iterator[tuple[str, tuple]]:
    import numpy as np

    from newswire.corpus import minhash

    aid, sig, _ = item
    for key in minhash.band_keys(np.frombuffer(sig, dtype="<u4"), threshold):
        yield key, (aid, sig)


def _pairs(members: Iterable[tuple[str, bytes]], threshold: float) -> Iterator[tuple[str, str]]:
    import numpy as np

    from newswire.corpus import minhash

    ms = sorted(set(members))
    if len(ms) < 2:
        return
    sigs = [np.frombuffer(s, dtype="<u4") for _, s in ms]
    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            if minhash.similarity(sigs[i], sigs[j]) >= threshold:
                yield ms[i][0], ms[j][0]


def components(ids, edges, partitions: int, max_rounds: int = 100):
    """(id, smallest id of its component) for an RDD of ids and an RDD of (a, b) edges."""
    p = partitions  # fixed: a union would otherwise add partitions every round
    both = edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0]))).partitionBy(p).cache()
    labels = ids.map(lambda i: (i, i)).partitionBy(p).cache()
    for _ in range(max_rounds):
        # each node takes the smallest label among its own and its neighbours'
        sent = both.join(labels, p).map(lambda kv: (kv[1][0], kv[1][1]))
        new = labels.union(sent).reduceByKey(min, p).cache()
        changed = new.join(labels, p).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            break
    both.unpersist()
    return labels


def cluster_rdd(articles_df, threshold: float | None = None):
    """(article_id, cluster_id) for every row of a DataFrame with id, title, text."""
    from newswire.corpus import minhash

    thr = minhash.DEFAULT_THRESHOLD if threshold is None else threshold
    rows = articles_df.select("id", "title", "text").rdd
    p = max(1, rows.context.defaultParallelism)
    ids = rows.map(lambda r: r["id"])  # unique: the job deduplicated by id
    signed = rows.mapPartitions(_signed)
    edges = (signed.flatMap(lambda it: _bucketed(it, thr))
             .groupByKey(p)
             .flatMap(lambda kv: _pairs(kv[1], thr))
             .distinct(p))
    return components(ids, edges, p)


def write_clusters(spark, out: str, threshold: float | None = None) -> int:
    """Cluster the articles of a job's output; writes ``OUT/clusters``; returns the row count."""
    from pyspark.sql.pandas.types import from_arrow_schema

    from newswire.store import corpus_schema

    base = out.rstrip("/")
    articles = spark.read.parquet(f"{base}/tables/articles")
    labels = cluster_rdd(articles, threshold)
    sch = from_arrow_schema(corpus_schema.arrow_schema("article_clusters"))
    df = spark.createDataFrame(labels, sch)
    df.write.mode("overwrite").parquet(f"{base}/{CLUSTERS}")
    return spark.read.parquet(f"{base}/{CLUSTERS}").count()
