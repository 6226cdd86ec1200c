"""Open Badges 3.0: an earned achievement exported as an OpenBadgeCredential, verified
by an independent JOSE library (joserfc) against the issuer's published key; a changed
byte fails; revoking marks it revoked on the public page; an unearned one is a 404."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey

from tests.gamification.conftest import circuit, run_job, settle


async def _earn_first_light(app, person) -> dict:
    await run_job(app, person, qasm=circuit(1), submitted_at=datetime(2026, 11, 2, tzinfo=UTC))
    await settle(app)
    response = await person.client.get("/api/v1/gamification/achievements/first-job/badge")
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_exported_badge_verifies_with_joserfc_and_fails_when_changed(still_app, people):
    ada = await people.sign_up("Ada")
    badge = await _earn_first_light(still_app, ada)
    issuer = (await people.new_client().get("/api/v1/gamification/issuer")).json()
    assert issuer["type"] == ["Profile"]
    key = OKPKey.import_key(issuer["verificationMethod"][0]["publicKeyJwk"])

    token = jwt.decode(badge["credential_jwt"], key, algorithms=["EdDSA"])
    vc = token.claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in vc["@context"]
    assert vc["issuer"]["id"] == issuer["id"] == token.claims["iss"]
    assert vc["credentialSubject"]["achievement"]["name"] == "First light"
    assert vc["credentialSubject"]["name"] == "Ada"

    head, body, signature = badge["credential_jwt"].split(".")
    claims = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    at = claims.index(b"First light")
    claims[at] = ord("f")  # one byte of the payload
    forged_body = base64.urlsafe_b64encode(bytes(claims)).rstrip(b"=").decode()
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(f"{head}.{forged_body}.{signature}", key, algorithms=["EdDSA"])
    assert b"first light" in claims and json.loads(claims)["vc"]["name"] == "First light"


async def test_revoking_marks_the_credential_revoked_on_the_public_page(still_app, people):
    ada = await people.sign_up("Ada")
    badge = await _earn_first_light(still_app, ada)
    public = people.new_client()
    shown = (await public.get(f"/api/v1/gamification/badges/{badge['award_id']}")).json()
    assert shown["revoked"] is False and shown["verified"] is True

    # Only instance admins revoke.
    denied = await ada.client.post(
        f"/api/v1/gamification/badges/{badge['award_id']}/revoke", json={"reason": "x"}
    )
    assert denied.status_code == 403
    from qdeck.auth.models import User
    from tests.gamification.conftest import database

    async with database(still_app).session() as session:
        (await session.get(User, __import__("uuid").UUID(ada.id))).is_admin = True
    revoked = await ada.client.post(
        f"/api/v1/gamification/badges/{badge['award_id']}/revoke",
        json={"reason": "Earned by a script"},
    )
    assert revoked.status_code == 200, revoked.text
    shown = (await public.get(f"/api/v1/gamification/badges/{badge['award_id']}")).json()
    assert shown["revoked"] is True and shown["revoked_reason"] == "Earned by a script"
    page = await public.get(f"/badges/{badge['award_id']}")
    assert page.status_code == 200


async def test_exporting_an_achievement_not_earned_is_a_clear_404(still_app, people):
    ada = await people.sign_up("Ada")
    response = await ada.client.get("/api/v1/gamification/achievements/hundred-jobs/badge")
    assert response.status_code == 404
    assert "not earned" in response.json()["detail"]
    unknown = await ada.client.get("/api/v1/gamification/achievements/no-such-thing/badge")
    assert unknown.status_code == 404 and unknown.json()["code"] == "achievement_not_found"
    # Someone else's badge cannot be exported as one's own.
    bob = await people.sign_up("Bob")
    assert (await bob.client.get("/api/v1/gamification/me")).status_code == 200
