"""The seed's preferences: stable pseudo-random numbers, so a new seed gives another routine
and the same seed the same one, on any machine."""

from __future__ import annotations

import hashlib


def variety(seed: int, key: str, scale: int) -> int:
    """A stable pseudo-random number in [0, scale) for this seed and key."""
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=4).digest()
    return int.from_bytes(digest) % scale
