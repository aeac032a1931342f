"""Deterministic randomness for case generation."""

from __future__ import annotations

import hashlib

import numpy as np


def case_rng(domain: str, split: str, seed: int, index: int) -> np.random.Generator:
    """A generator that depends only on (domain, split, seed, index), so any case can be rebuilt from its id.

    Each split draws from its own stream; a hash (not ``seed + index``) keeps neighbouring seeds uncorrelated.
    """
    digest = hashlib.sha256(f"{domain}|{split}|{seed}|{index}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))
