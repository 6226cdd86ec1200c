"""Argon2id password hashing.

Parameters: 64 MiB memory, 3 passes, 4 lanes (RFC 9106's second recommended option), well
above OWASP's minimum of 19 MiB / 2 passes. Hashing runs in a thread so the event loop
keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4, type=Type.ID)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(_verify, password_hash, password)


async def burn_verification(password: str) -> None:
    """Spend the time of a real verification, so an unknown e-mail is not told apart by timing."""
    await verify_password(_dummy_hash(), password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("qdeck-timing-equaliser")
