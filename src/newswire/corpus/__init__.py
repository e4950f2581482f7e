"""The corpus level: story clusters and event fusion over everything stored."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from newswire.corpus import clusters, fusion
from newswire.corpus.minhash import DEFAULT_THRESHOLD


@dataclass
class CorpusStats:
    clusters: clusters.ClusterStats
    fusion: fusion.FusionStats


def refresh(
    con: duckdb.DuckDBPyConnection, threshold: float = DEFAULT_THRESHOLD, full: bool = False
) -> CorpusStats:
    """Bring story clusters and fused events up to date with the stored articles
    (``full``: fuse every report again, not only what changed since the last refresh)."""
    cl = clusters.refresh(con, threshold)
    return CorpusStats(cl, fusion.refresh(con, full=full))


__all__ = ["DEFAULT_THRESHOLD", "CorpusStats", "refresh"]
