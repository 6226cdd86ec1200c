"""AES-256-GCM under a key derived (HKDF-SHA256) from the instance secret.

The owner and name of a secret are bound as associated data, so a ciphertext copied onto
another user's row or another name does not decrypt. Rotating the instance secret makes
stored secrets unreadable; users then enter them again.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


class SecretUnreadable(Exception):
    """The stored value cannot be decrypted (wrong instance secret or tampered data)."""


class SecretCipher:
    def __init__(self, instance_secret: bytes) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"qdeck vault v1").derive(
            instance_secret
        )
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def decrypt(self, blob: bytes, context: str) -> str:
        try:
            plain = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise SecretUnreadable(context) from None
        return plain.decode()
