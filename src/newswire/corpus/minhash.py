"""MinHash signatures and LSH band keys: pure functions, shared by the local and Spark runs.

Nothing here touches a database, so the Spark job can import it and produce the very same
signatures, band keys and pair decisions as a local run: same shingles, same seed, same
number of permutations, same banding for a threshold.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 7
SCHEME = "affine32"  # datasketch 2.x default, named so a library upgrade cannot change it
SHINGLE = 3  # words per shingle: rewrites keep short phrases, not long runs of words
DEFAULT_THRESHOLD = 0.3

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (NFKC), punctuation and layout ignored."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The set of k-word shingles; a text shorter than k words is one shingle."""
    toks = words(text)
    if len(toks) < k:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)}


@functools.cache
def _template() -> MinHash:
    # Building the permutations is the slow part of a MinHash; copy them from one template.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature(text: str, k: int = SHINGLE) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values, fixed seed) of the text's shingles."""
    return signature_of(shingles(text, k))


def signature_of(sh: set[str]) -> np.ndarray:
    """MinHash signature of a shingle set (all ``2**32 - 1`` for an empty set)."""
    tmpl = _template()
    mh = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=tmpl.permutations, scheme=SCHEME
    )
    if sh:
        mh.update_batch([s.encode("utf-8") for s in sh])
    return mh.hashvalues.astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@functools.cache
def bands_for(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) for a threshold, as datasketch's MinHashLSH chooses them."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(sig: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
    """One bucket key per band: two signatures sharing a key are a candidate pair.

    The key is the band number and the band's values as hex, so that equal keys mean equal
    bands exactly (no hash collisions) and keys of all bands can share one table or one
    Spark ``groupBy``. :func:`similar_pairs` finds the same candidates, vectorised.
    """
    b, r = bands_for(threshold, len(sig))
    raw = np.ascontiguousarray(sig, dtype="<u4")
    return [f"{i}:{raw[i * r : (i + 1) * r].tobytes().hex()}" for i in range(b)]


def _band_hash(block: np.ndarray) -> np.ndarray:
    # Mix the r values of each row into one uint64; a collision only adds a candidate,
    # which the similarity check then drops.
    h = np.zeros(block.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in range(block.shape[1]):
            h = h * np.uint64(0x100000001B3) + block[:, col].astype(np.uint64)
    return h


def similar_pairs(sigs: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """Row index pairs (i < j) of an N×NUM_PERM signature matrix that share a band and
    whose estimated Jaccard similarity is at least ``threshold``; shape (K, 2), sorted."""
    n = sigs.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    b, r = bands_for(threshold, sigs.shape[1])
    found: list[np.ndarray] = []
    for band in range(b):
        keys = _band_hash(sigs[:, band * r : (band + 1) * r])
        order = np.argsort(keys, kind="stable")
        sk = keys[order]
        # In sorted order, rows k and k + d share a bucket exactly when their keys are
        # equal; stepping d up to the largest bucket yields every pair without a Python
        # loop over buckets (the loop was 90% of the time at 100k articles).
        d = 1
        while d < n:
            same = np.flatnonzero(sk[:-d] == sk[d:])
            if not len(same):
                break
            a, c = order[same], order[same + d]
            found.append(np.minimum(a, c) * n + np.maximum(a, c))
            d += 1
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    pairs = np.stack([codes // n, codes % n], axis=1)
    sims = np.count_nonzero(sigs[pairs[:, 0]] == sigs[pairs[:, 1]], axis=1) / sigs.shape[1]
    return pairs[sims >= threshold]


def candidate_pairs(keyed: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, str]]:
    """Distinct (smaller id, larger id) pairs that share at least one band key."""
    buckets: dict[str, list[str]] = {}
    for item_id, keys in keyed:
        for key in keys:
            buckets.setdefault(key, []).append(item_id)
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        members = sorted(set(members))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


def components(ids: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components: item id → the smallest id of its component (a stable cluster id)."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            # the smaller id becomes the root, so the root is the component's minimum
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {i: find(i) for i in parent}
