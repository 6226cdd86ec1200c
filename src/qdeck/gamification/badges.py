"""Open Badges 3.0: an earned achievement as an ``OpenBadgeCredential`` (W3C Verifiable
Credentials Data Model 2.0), signed as a VC-JWT (compact JWS, EdDSA over Ed25519).

The instance's signing key is derived from the instance secret (HKDF), so every server
of one instance signs with the same key and nothing new has to be stored or backed up.
The issuer profile publishes the public key as a JWK; anyone can verify a badge with a
standard JOSE library (tests/gamification uses joserfc).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from qdeck.config import Settings
from qdeck.gamification.achievements import Achievement
from qdeck.gamification.models import AchievementAward

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KEY_ID = "key-1"


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    seed = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"qdeck open badges ed25519"
    ).derive(settings.instance_secret)
    return Ed25519PrivateKey.from_private_bytes(seed)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(settings: Settings) -> dict[str, str]:
    raw = signing_key(settings).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": KEY_ID, "alg": "EdDSA"}


def issuer_url(base: str) -> str:
    return f"{base}/api/v1/gamification/issuer"


def issuer_profile(settings: Settings, base: str) -> dict[str, Any]:
    issuer = issuer_url(base)
    return {
        "@context": CONTEXTS,
        "id": issuer,
        "type": ["Profile"],
        "name": "qdeck",
        "url": base,
        "description": "The qdeck instance at this address issues these badges.",
        "verificationMethod": [
            {
                "id": f"{issuer}#{KEY_ID}",
                "type": "JsonWebKey",
                "controller": issuer,
                "publicKeyJwk": public_jwk(settings),
            }
        ],
    }


def credential(
    award: AchievementAward, achievement: Achievement, recipient_name: str, base: str
) -> dict[str, Any]:
    issuer = issuer_url(base)
    return {
        "@context": CONTEXTS,
        "id": f"{base}/badges/{award.id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "qdeck"},
        "validFrom": _iso(award.earned_at),
        "name": achievement.title,
        "credentialSubject": {
            "id": f"urn:uuid:{award.user_id}",
            "type": ["AchievementSubject"],
            "name": recipient_name,
            "achievement": {
                "id": f"{base}/api/v1/gamification/achievements/{achievement.key}",
                "type": ["Achievement"],
                "achievementType": "Achievement",
                "name": achievement.title,
                "description": achievement.description,
                "criteria": {"narrative": achievement.description},
                "tag": [achievement.tier],
            },
        },
        "credentialStatus": {
            "id": f"{base}/api/v1/gamification/badges/{award.id}",
            "type": "1EdTechRevocationList",
        },
    }


def sign(settings: Settings, vc: dict[str, Any]) -> str:
    """The VC-JWT of Open Badges 3.0 (section 8.2): the credential in ``vc`` beside the
    registered claims."""
    header = {"alg": "EdDSA", "typ": "JWT", "kid": f"{vc['issuer']['id']}#{KEY_ID}"}
    claims = {
        "iss": vc["issuer"]["id"],
        "jti": vc["id"],
        "sub": vc["credentialSubject"]["id"],
        "nbf": int(datetime.fromisoformat(vc["validFrom"]).timestamp()),
        "vc": vc,
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":"), sort_keys=True).encode())
        for part in (header, claims)
    )
    signature = signing_key(settings).sign(signing_input.encode())
    return f"{signing_input}.{_b64(signature)}"


def verify(settings: Settings, token: str) -> dict[str, Any] | None:
    """The claims if the signature is this instance's, else None."""
    try:
        head, body, signature = token.split(".")
        public: Ed25519PublicKey = signing_key(settings).public_key()
        public.verify(_unb64(signature), f"{head}.{body}".encode())
        return json.loads(_unb64(body))
    except (ValueError, InvalidSignature):
        return None


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
