"""Password hashing (argon2id) and bearer-token digests."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .i18n import Refusal

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise Refusal("a password needs at least 8 characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def generate_password() -> str:
    """A memorable-enough random password for a first log-in."""
    return secrets.token_urlsafe(12)


def token_digest(token: str) -> str:
    """API tokens are high-entropy, so a SHA-256 digest is enough to store and compare them."""
    return hashlib.sha256(token.encode()).hexdigest()
