"""Story clusters: syndicated copies, rewrites and updates of one story, by MinHash LSH.

Signatures are stored once per article (``article_signatures``); clustering is then
recomputed from all stored signatures, which keeps it incremental in the costly part and
exact in the result: a cluster is a connected component of the "similar" graph, and its
id is the smallest article id in it, so the same articles give the same clusters whatever
order or run they arrived in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from newswire.corpus import minhash
from newswire.store import corpus_schema
from newswire.store.writer import rollback


@dataclass
class ClusterStats:
    signed: int = 0  # signatures computed in this call
    articles: int = 0
    clusters: int = 0
    multi: int = 0  # clusters of two articles or more
    pairs: int = 0
    seconds_sign: float = 0.0
    seconds_cluster: float = 0.0


def article_text(title: str | None, text: str | None) -> str:
    """What is compared: the headline and the cleaned text."""
    return ((title or "") + "\n" + (text or "")).strip()


def sign_new(con: duckdb.DuckDBPyConnection, batch: int = 512) -> int:
    """Compute and store the signature of every article that has none; returns how many.

    Texts are fetched a batch at a time, so a first refresh of a large store stays in
    bounded memory.
    """
    todo = [r[0] for r in con.execute(
        """SELECT a.id FROM articles a
           ANTI JOIN article_signatures s ON s.article_id = a.id ORDER BY a.id"""
    ).fetchall()]
    schema = corpus_schema.arrow_schema("article_signatures")
    for i in range(0, len(todo), batch):
        got = con.execute(
            "SELECT id, title, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY id", [todo[i : i + batch]]
        ).fetchall()
        rows: dict[str, list] = {"article_id": [], "num_perm": [], "shingles": [], "sig": []}
        for aid, title, text in got:
            body = article_text(title, text)
            rows["article_id"].append(aid)
            rows["num_perm"].append(minhash.NUM_PERM)
            sh = minhash.shingles(body)
            rows["shingles"].append(len(sh))
            rows["sig"].append(minhash.signature_of(sh).astype("<u4").tobytes())
        con.register("_nw_sigs", pa.table(rows, schema=schema))
        try:
            con.execute("INSERT INTO article_signatures SELECT * FROM _nw_sigs")
        finally:
            con.unregister("_nw_sigs")
    return len(todo)


def load_signatures(con: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """Ids (sorted) and the N×NUM_PERM matrix of every comparable article."""
    tbl = con.sql(
        """SELECT article_id, sig FROM article_signatures
           WHERE shingles > 0 AND num_perm = ? ORDER BY article_id""",
        params=[minhash.NUM_PERM],
    ).to_arrow_table()
    ids = tbl.column("article_id").to_pylist()
    if not ids:
        return ids, np.empty((0, minhash.NUM_PERM), dtype=np.uint32)
    blob = b"".join(tbl.column("sig").to_pylist())
    return ids, np.frombuffer(blob, dtype="<u4").reshape(len(ids), minhash.NUM_PERM)


def assign(ids: list[str], sigs: np.ndarray, threshold: float) -> tuple[dict[str, str], int]:
    """article id → cluster id, and the number of similar pairs found."""
    pairs = minhash.similar_pairs(sigs, threshold)
    edges = ((ids[i], ids[j]) for i, j in pairs.tolist())
    return minhash.components(ids, edges), len(pairs)


def refresh(
    con: duckdb.DuckDBPyConnection, threshold: float = minhash.DEFAULT_THRESHOLD
) -> ClusterStats:
    """Sign new articles and rebuild ``article_clusters``; one transaction."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"cluster threshold must be in (0, 1], got {threshold}")
    stats = ClusterStats()
    corpus_schema.ensure(con)
    t0 = time.perf_counter()
    con.begin()
    try:
        stats.signed = sign_new(con)
        t1 = time.perf_counter()
        ids, sigs = load_signatures(con)
        mapping, stats.pairs = assign(ids, sigs, threshold)
        all_ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        cluster = [mapping.get(a, a) for a in all_ids]  # too short to compare: on its own
        tbl = pa.table(
            {"article_id": all_ids, "cluster_id": cluster},
            schema=corpus_schema.arrow_schema("article_clusters"),
        )
        con.execute("DELETE FROM article_clusters")
        con.register("_nw_clusters", tbl)
        try:
            con.execute("INSERT INTO article_clusters SELECT * FROM _nw_clusters")
        finally:
            con.unregister("_nw_clusters")
        con.commit()
    except BaseException:
        rollback(con)
        raise
    stats.seconds_sign = t1 - t0
    stats.seconds_cluster = time.perf_counter() - t1
    stats.articles = len(all_ids)
    sizes: dict[str, int] = {}
    for c in cluster:
        sizes[c] = sizes.get(c, 0) + 1
    stats.clusters = len(sizes)
    stats.multi = sum(1 for n in sizes.values() if n > 1)
    return stats
