"""MinHash signatures with LSH banding for near-duplicate removal (numpy only).

Shingles are word n-grams of normalised text. Candidate pairs come from LSH
bands (16 bands x 8 rows puts the S-curve's midpoint near Jaccard 0.7, so pairs
at 0.8 are found with probability ~0.95); every candidate is then confirmed
with the exact Jaccard similarity of the shingle sets, so the threshold is
exact for the pairs found.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

_PRIME = np.uint64(4294967291)  # largest prime below 2**32
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 3) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + n]).encode()) for i in range(len(words) - n + 1)}


class MinHasher:
    def __init__(self, num_perm: int = 128, seed: int = 1):
        rng = np.random.default_rng(seed)
        # a < 2**31 and shingle hashes < 2**32 keep a*h + b inside uint64.
        self.a = rng.integers(1, 2**31 - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 2**31 - 1, size=num_perm, dtype=np.uint64)
        self.num_perm = num_perm

    def signature(self, shingle_set: set[int]) -> np.ndarray:
        if not shingle_set:
            return np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        h = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
        return ((np.outer(h, self.a) + self.b) % _PRIME).min(axis=0)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def near_duplicates(texts: Sequence[str], threshold: float = 0.8, *, reference: Sequence[str] = (),
                    ngram: int = 3, num_perm: int = 128, bands: int = 16, seed: int = 1) -> list[int]:
    """Indices of ``texts`` to drop: near-duplicates (Jaccard >= threshold) of an earlier text or of any
    ``reference`` text (e.g. held-out eval questions). The first occurrence is kept."""
    if num_perm % bands:
        raise ValueError("num_perm must be a multiple of bands")
    rows = num_perm // bands
    hasher = MinHasher(num_perm, seed)
    ref_sets = [shingles(t, ngram) for t in reference]
    sets = [shingles(t, ngram) for t in texts]
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)  # (band, hash) -> ids; refs are negative

    def band_keys(sig: np.ndarray):
        for b in range(bands):
            yield b, sig[b * rows:(b + 1) * rows].tobytes()

    for j, s in enumerate(ref_sets):
        if s:
            for key in band_keys(hasher.signature(s)):
                buckets[key].append(-(j + 1))
    drop: list[int] = []
    for i, s in enumerate(sets):
        if not s:
            continue
        keys = list(band_keys(hasher.signature(s)))
        seen: set[int] = set()
        dup = False
        for key in keys:
            for other in buckets.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                other_set = ref_sets[-other - 1] if other < 0 else sets[other]
                if jaccard(s, other_set) >= threshold:
                    dup = True
                    break
            if dup:
                break
        if dup:
            drop.append(i)
        else:
            for key in keys:
                buckets[key].append(i)
    return drop
