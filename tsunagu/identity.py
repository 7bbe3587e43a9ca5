"""Anonymity: platform user ids are kept only encrypted, residents are found by a keyed
hash, and staff see a short neutral label. Keys derive from TSUNAGU_SECRET_KEY."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tsunagu", info=purpose).derive(
        secret.encode()
    )


@functools.cache
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, b"platform-id-encryption")))


def _secret() -> str:
    from tsunagu.config import get_settings

    return get_settings().secret_key


def pseudonym(channel: str, platform_user_id: str, secret: str | None = None) -> str:
    key = _derive(secret or _secret(), b"resident-pseudonym")
    return hmac.new(key, f"{channel}:{platform_user_id}".encode(), hashlib.sha256).hexdigest()


def label_for(pseudonym_hex: str) -> str:
    """Four characters for staff, e.g. A7K2. Not unique on its own; shown with the id."""
    n = int(pseudonym_hex[:16], 16)
    chars = []
    for _ in range(4):
        n, r = divmod(n, len(_LABEL_ALPHABET))
        chars.append(_LABEL_ALPHABET[r])
    return "".join(chars)


def encrypt(platform_user_id: str, secret: str | None = None) -> str:
    return _fernet(secret or _secret()).encrypt(platform_user_id.encode()).decode()


def decrypt(token: str, secret: str | None = None) -> str:
    return _fernet(secret or _secret()).decrypt(token.encode()).decode()
