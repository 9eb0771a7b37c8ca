"""A Merkle tree over the audit log, as RFC 6962 §2.1 (RFC 9162 §2.1) defines it, with
SHA-256: leaf hash = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right), the
split at the largest power of two smaller than the number of leaves (docs/trust.md §Merkle
tree).

The leaves are the audit events' stored hashes, as 32 raw bytes, in sequence order: leaf i
(from 0) is the event with seq i + 1. How an event is hashed and chained is not this
module's business (core/audit.py); it reads only the stored hash. Pure Python, no Django:
`tree.py` reads the hashes from the database, `tools/verify/audit_inclusion.py` repeats the
verification functions without the project's code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def event_leaf(event_hash_hex: str) -> bytes:
    """The leaf of an event: its stored hash (64 hex digits) as 32 bytes."""
    raw = bytes.fromhex(event_hash_hex)
    if len(raw) != 32:
        raise ValueError("an event hash is 32 bytes (64 hex digits)")
    return raw


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of the leaves (given as leaf hashes); the empty tree's root is SHA-256 of ""."""
    n = len(leaf_hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    level = list(leaf_hashes)
    # Bottom-up: pairing left to right and promoting a lone last node gives the same tree as
    # RFC 6962's recursive split (its left subtrees are always complete).
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index`."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise ValueError("leaf index outside the tree")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaf_hashes[:k]) + [root(leaf_hashes[k:])]
    return inclusion_proof(index - k, leaf_hashes[k:]) + [root(leaf_hashes[:k])]


def consistency_proof(m: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: the tree of the first m leaves is a prefix."""
    n = len(leaf_hashes)
    if not 0 < m <= n:
        raise ValueError("a consistency proof needs 0 < m <= n")
    return _subproof(m, leaf_hashes, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], whole) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes],
                     expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `leaf` (a leaf hash) sit at `index` of the tree of `size`
    leaves whose root is `expected_root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of `first` leaves a prefix of the tree of `second`?"""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first root is a node of the path
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
