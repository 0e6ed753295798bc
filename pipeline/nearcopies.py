"""Near-copies of an article: syndicated agency text, re-headlined, trimmed or lightly edited.

Each source's cleaned text becomes a set of word shingles (``SHINGLE_WORDS`` consecutive
lower-case words, hashed to 32 bits by a polynomial hash that is the same in every
process). A datasketch MinHash of ``NUM_PERM`` permutations summarises each set, and a
MinHash LSH index (``LSH_THRESHOLD``, banding chosen by datasketch) proposes candidate
pairs without comparing every pair, so the cost grows with the number of articles, not
its square. A candidate pair is a copy when the estimated Jaccard similarity of the two
shingle sets is at least ``COPY_JACCARD``.

Why these numbers: a copy that drops a third of the paragraphs, reorders the rest and
edits a handful of words keeps a Jaccard similarity of about 0.6 or more; two distinct
reports of the same event, even formulaic press releases from one office, share well
under 0.3 of their 5-word shingles (``benchmarks/syndication.py`` measures both). The LSH
threshold sits below the decision threshold so that estimation noise (about 0.04 at 128
permutations) loses few true pairs before they are verified.

Copies are grouped transitively; in each group the original is the earliest published
source (unknown dates last), ties broken by the smallest ``source_id``, and every other
member is ``duplicate_of`` it. The result depends only on the set of texts, not on their
order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.4
COPY_JACCARD = 0.5
SEED = 1

# Bytes that belong to a word: ASCII letters, digits, underscore, and every byte of a
# multi-byte UTF-8 character (letters outside ASCII; cleaned text has ASCII punctuation).
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[128:] = True
_P = 1_000_003  # odd, so it has an inverse modulo 2**32
_P_INV = pow(_P, -1, 2**32)


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**32."""
    return np.cumprod(np.concatenate(([1], np.full(max(n - 1, 0), base))).astype(np.uint32), dtype=np.uint32)[:n]


def _word_hashes(text: str) -> np.ndarray:
    """A 32-bit hash of every word, in order, computed on whole arrays rather than word by word.

    Polynomial hashes of the byte prefixes give any word's hash by one subtraction and
    one multiplication (arithmetic wraps modulo 2**32).
    """
    data = np.frombuffer(text.lower().encode("utf-8"), dtype=np.uint8)
    padded = np.concatenate(([False], _WORD_BYTE[data], [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[::2], edges[1::2]
    prefix = np.concatenate((np.zeros(1, np.uint32), np.cumsum(data * _powers(_P, len(data)), dtype=np.uint32)))
    return (prefix[ends] - prefix[starts]) * _powers(_P_INV, len(data))[starts]


def shingles(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the text's word ``SHINGLE_WORDS``-grams (a short text is one shingle)."""
    codes = _word_hashes(text or "")
    if not len(codes):
        return codes
    k = min(SHINGLE_WORDS, len(codes))
    n = len(codes) - k + 1
    grams = np.zeros(n, dtype=np.uint32)
    for j in range(k):
        grams = grams * np.uint32(_P) + codes[j:j + n]
    return np.unique(grams)


def _template() -> MinHash:
    """An empty MinHash: the permutations every signature shares (built once, 128 pairs of integers)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)  # shingles are hashed already


def signatures(texts: Iterable[str]) -> np.ndarray:
    """MinHash hash values, one row of ``NUM_PERM`` per text (an empty text keeps the empty row).

    Rows of one array rather than MinHash objects (512 bytes a text, 51 MB for 100k), and
    ``texts`` is consumed one at a time, so a caller can stream texts from disk and never
    hold them all.
    """
    template = _template()
    rows = [template.hashvalues]  # keeps the dtype when there are no texts
    for text in texts:
        sig = template.copy()
        sig.update_batch(shingles(text).tolist())
        rows.append(sig.hashvalues)
    return np.stack(rows)[1:]


def copy_pairs(signatures_: np.ndarray) -> Iterator[tuple[int, int]]:
    """Index pairs (i, j), i < j, of near-copies, found through the LSH index and verified.

    Each pair comes once, i ascending; pairs are yielded, not collected, because a
    repetitive corpus has millions of them and grouping them needs none twice.
    """
    template = _template()

    def minhash(i: int) -> MinHash:  # a view of row i for the index, made when needed
        return MinHash(seed=SEED, hashfunc=int, hashvalues=signatures_[i], permutations=template.permutations,
                       scheme=template.scheme)

    empty = np.all(signatures_ == template.hashvalues, axis=1)  # MinHash.is_empty, row by row
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i in np.flatnonzero(~empty).tolist():
            session.insert(i, minhash(i), check_duplication=False)
    for i in np.flatnonzero(~empty).tolist():
        later = np.array(sorted(j for j in lsh.query(minhash(i)) if j > i), dtype=np.int64)
        # estimated Jaccard similarity: the share of equal hash values (MinHash.jaccard)
        similar = np.count_nonzero(signatures_[later] == signatures_[i], axis=1) / NUM_PERM >= COPY_JACCARD
        yield from ((i, j) for j in later[similar].tolist())


def originals(pairs: Iterable[tuple[int, int]], rank: Sequence) -> list[int | None]:
    """For each item, the index of the original of its copy group (None for originals).

    ``rank[i]`` orders items: the smallest rank in a group is its original.
    """
    parent = list(range(len(rank)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        a, b = find(i), find(j)
        if a != b:
            keep, drop = (a, b) if rank[a] <= rank[b] else (b, a)
            parent[drop] = keep
    out: list[int | None] = []
    for i in range(len(rank)):
        root = find(i)
        out.append(None if root == i else root)
    return out


def find_copies(texts: Iterable[str], rank: Sequence) -> list[int | None]:
    """Index of the original each text copies (None for originals), by the rule above.

    ``texts`` may be a stream (in the order of ``rank``): only their signatures are kept.
    """
    return originals(copy_pairs(signatures(texts)), rank)
