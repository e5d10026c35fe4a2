"""Near-duplicate texts (syndicated copies of one story): MinHash signatures and LSH band keys.

A signature is 128 MinHash values of the text's word 5-grams; two texts' signatures agree in about the
share of positions that equals the Jaccard similarity of their 5-gram sets. Band keys (32 bands of 4 values)
let the store find candidate pairs with one SQL join instead of comparing every pair.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence

import numpy as np

SHINGLE_WORDS = 5
HASHES = 128
BANDS = 32
ROWS_PER_BAND = HASHES // BANDS
_PRIME = 4_294_967_311  # the first prime above 2**32
WORD = re.compile(r"\w+")


def _coefficients(label: str) -> np.ndarray:
    values = [int.from_bytes(hashlib.blake2b(f"{label}{i}".encode(), digest_size=4).digest(), "little") | 1
              for i in range(HASHES)]
    return np.array(values, dtype=np.uint64)


_A = _coefficients("a")
_B = _coefficients("b") >> np.uint64(1)


def shingles(text: str) -> set[int]:
    words = WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return {zlib.crc32(gram.encode("utf-8")) for gram in grams}


def signature(text: str) -> list[int]:
    """128 unsigned 32-bit MinHash values; (a*x + b) stays below 2**64, so uint64 arithmetic is exact."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return [0xFFFFFFFF] * HASHES
    hashed = (_A[:, None] * values[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return [int(v) & 0xFFFFFFFF for v in hashed.min(axis=1)]


def band_keys(sig: Sequence[int]) -> list[int]:
    """One unsigned 64-bit key per band; equal keys make two articles a candidate pair."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
        payload = band.to_bytes(2, "little") + b"".join(int(v).to_bytes(4, "little") for v in chunk)
        keys.append(int.from_bytes(hashlib.blake2b(payload, digest_size=8).digest(), "little"))
    return keys


def similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two texts' 5-gram sets."""
    if not first or not second:
        return 0.0
    return sum(1 for a, b in zip(first, second) if a == b) / min(len(first), len(second))
