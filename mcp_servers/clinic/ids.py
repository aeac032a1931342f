"""Opaque case ids: a case is still a pure function of its id, but the id no longer shows its split, seed or index.

A readable id such as ``ED-t0-00042`` tells a policy which split it is playing and makes every prompt unique, so
no content hash can ever find a duplicate. Here ``(split, seed, index)`` is packed into 64 bits with a 16-bit check
field and enciphered with a four-round Feistel network keyed by the domain (SHA-256 round function), then written in
Crockford base32: ``ED-5W1Q3ZK8M0RTA``. Any server process deciphers the id and rebuilds the case; a mistyped or
invented id fails the check (a chance of 2^-16 per random id) and is rejected as unknown.

Layout of the 64-bit plain block: split (2 bits) | seed (24 bits) | index (22 bits) | check (16 bits).
"""

from __future__ import annotations

import hashlib

from healthgym.schemas import Split

_SPLITS: tuple[Split, ...] = ("train", "dev", "test")
MAX_SEED = (1 << 24) - 1
"""Largest seed a case id can carry."""
MAX_INDEX = (1 << 22) - 1
"""Largest stream index a case id can carry (about 4.2 million)."""
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""The characters after a case id's prefix: Crockford base32 (no I, L, O, U)."""
LENGTH = 13
"""Characters after the prefix: ceil(64 / 5)."""
_DECODE = {c: i for i, c in enumerate(ALPHABET)}


def _round(key: bytes, rnd: int, half: int) -> int:
    digest = hashlib.sha256(key + bytes([rnd]) + half.to_bytes(4, "big")).digest()
    return int.from_bytes(digest[:4], "big")


def _feistel(key: bytes, block: int, *, decrypt: bool) -> int:
    left, right = block >> 32, block & 0xFFFFFFFF
    rounds = range(3, -1, -1) if decrypt else range(4)
    if decrypt:
        left, right = right, left
    for rnd in rounds:
        left, right = right, left ^ _round(key, rnd, right)
    if decrypt:
        left, right = right, left
    return (left << 32) | right


def _check(key: bytes, payload: int) -> int:
    return int.from_bytes(hashlib.sha256(key + b"check" + payload.to_bytes(6, "big")).digest()[:2], "big")


def encode_case_id(prefix: str, domain: str, split: Split, seed: int, index: int) -> str:
    """The opaque id of case ``index`` of ``(split, seed)`` in ``domain``, e.g. ``ED-5W1Q3ZK8M0RTA``."""
    if split not in _SPLITS:
        raise ValueError(f"split must be one of {_SPLITS}, got {split!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be in [0, {MAX_SEED}], got {seed}")
    if not 0 <= index <= MAX_INDEX:
        raise ValueError(f"index must be in [0, {MAX_INDEX}], got {index}")
    key = domain.encode()
    payload = (_SPLITS.index(split) << 46) | (seed << 22) | index
    block = _feistel(key, (payload << 16) | _check(key, payload), decrypt=False)
    chars = []
    for _ in range(LENGTH):
        chars.append(ALPHABET[block & 31])
        block >>= 5
    return f"{prefix}-{''.join(reversed(chars))}"


def decode_case_id(prefix: str, domain: str, case_id: str) -> tuple[Split, int, int]:
    """``(split, seed, index)`` behind an id made by :func:`encode_case_id`; ``ValueError`` naming the id otherwise.

    Only the canonical spelling is accepted (upper-case ASCII Crockford digits), so each case has exactly one id.
    """
    head, _, body = str(case_id).partition("-")
    if head != prefix or len(body) != LENGTH or not body.isascii() or any(c not in _DECODE for c in body):
        raise ValueError(f"unknown case id {case_id!r}: expected {prefix}- followed by {LENGTH} base32 characters")
    block = 0
    for c in body:
        block = (block << 5) | _DECODE[c]
    if block >> 64:
        raise ValueError(f"unknown case id {case_id!r}")
    key = domain.encode()
    plain = _feistel(key, block, decrypt=True)
    payload, check = plain >> 16, plain & 0xFFFF
    split_code = payload >> 46
    if check != _check(key, payload) or split_code >= len(_SPLITS):
        raise ValueError(f"unknown case id {case_id!r}: no {domain} case has this id")
    return _SPLITS[split_code], (payload >> 22) & MAX_SEED, payload & MAX_INDEX


__all__ = ["MAX_INDEX", "MAX_SEED", "decode_case_id", "encode_case_id"]
