"""Tables of the corpus level: MinHash signatures, story clusters, fused events.

They are derived data: signatures are kept (computing one costs ~9 ms per article, and
they are all the clustering needs), clusters and fused events are recomputed from the
stored articles and events after each run, so they never drift from them.
"""

from __future__ import annotations

import pyarrow as pa

_COUNT_KINDS = ("dead", "injured", "arrested")


def _count_cols(suffixes: tuple[str, ...]) -> list[tuple[str, str, pa.DataType]]:
    return [(f"{k}_{s}", "DOUBLE", pa.float64()) for k in _COUNT_KINDS for s in suffixes]


_S, _F, _I, _B, _D = pa.string(), pa.float64(), pa.int64(), pa.bool_(), pa.date32()
_SL = pa.list_(pa.string())

# (name, DuckDB type, Arrow type) per column; the first column is the key.
SIGNATURES = [
    ("article_id", "VARCHAR", _S),
    ("num_perm", "INTEGER", pa.int32()),
    ("shingles", "INTEGER", pa.int32()),  # 0: too short to compare, never clustered
    ("sig", "BLOB", pa.binary()),  # NUM_PERM little-endian uint32
]
ARTICLE_CLUSTERS = [
    ("article_id", "VARCHAR", _S),
    ("cluster_id", "VARCHAR", _S),  # the smallest article id of the story cluster
]
FUSED_EVENTS = [
    ("id", "VARCHAR", _S),
    ("type", "VARCHAR", _S),
    ("mode", "VARCHAR", _S),
    ("negated", "BOOLEAN", _B),
    ("future", "BOOLEAN", _B),
    ("hypothetical", "BOOLEAN", _B),
    ("historical", "BOOLEAN", _B),
    ("date_start", "DATE", _D),
    ("date_end", "DATE", _D),
    ("date_granularity", "VARCHAR", _S),
    ("place_name", "VARCHAR", _S),
    ("place_country", "VARCHAR", _S),
    ("place_admin1", "VARCHAR", _S),
    ("place_lat", "DOUBLE", _F),
    ("place_lon", "DOUBLE", _F),
    ("place_precision", "VARCHAR", _S),
    ("actor_codes", "VARCHAR[]", _SL),
    ("recipient_codes", "VARCHAR[]", _SL),
    ("num_mentions", "BIGINT", _I),
    ("num_articles", "BIGINT", _I),
    ("num_sources", "BIGINT", _I),
    ("num_clusters", "BIGINT", _I),
    ("first_seen", "DATE", _D),
    ("last_seen", "DATE", _D),
    *_count_cols(("min", "max", "latest", "most_cited", "reports")),
    ("confidence", "DOUBLE", _F),
    ("quad_class", "BIGINT", _I),
    ("intensity", "DOUBLE", _F),
    ("acled_event_type", "VARCHAR", _S),
    ("acled_sub_event_type", "VARCHAR", _S),
    ("trigger", "VARCHAR", _S),
    ("representative", "VARCHAR", _S),  # the member event whose fields the record shows
]
FUSED_MEMBERS = [
    ("fused_id", "VARCHAR", _S),
    ("event_id", "VARCHAR", _S),
    ("article_id", "VARCHAR", _S),
    ("event_idx", "BIGINT", _I),
    ("outlet", "VARCHAR", _S),
    ("source_key", "VARCHAR", _S),  # outlet, or the article id where the outlet is unknown
    ("published", "DATE", _D),
    ("cluster_id", "VARCHAR", _S),
    *_count_cols(("low", "high")),
]

# the newest run whose articles the fused tables reflect (one row)
FUSION_STATE = [("run_id", "BIGINT", _I)]

TABLES: dict[str, list[tuple[str, str, pa.DataType]]] = {
    "article_signatures": SIGNATURES,
    "article_clusters": ARTICLE_CLUSTERS,
    "fused_events": FUSED_EVENTS,
    "fused_event_members": FUSED_MEMBERS,
    "fusion_state": FUSION_STATE,
}


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema([(c, a) for c, _, a in TABLES[name]])


def ensure(con) -> None:
    """Create the corpus tables if missing (the article store must exist already)."""
    for name, cols in TABLES.items():
        body = ", ".join(f'"{c}" {sql}' for c, sql, _ in cols)
        # Only the insert-only table gets a key: DuckDB can reject a delete and re-insert of
        # the same key within one transaction, which is how the derived tables are rebuilt.
        key = ', PRIMARY KEY ("article_id")' if name == "article_signatures" else ""
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({body}{key})")
