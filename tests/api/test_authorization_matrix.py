"""Every endpoint x every kind of caller, with the status each must get.

The table must list every route of the API: a new endpoint without a row fails this test,
so nobody can add an endpoint without deciding who may call it.

Callers: owner, admin, member and viewer of a team workspace, a signed-in user of another
workspace (outsider) and an anonymous client. Each call gets fresh targets from its row's
``prepare`` so destructive calls do not disturb the next caller.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from qdeck.app import create_app
from tests.accounts import Accounts, Person
from tests.jobs.conftest import BELL

ROLES = ("owner", "admin", "member", "viewer", "outsider", "anonymous")


@dataclass
class World:
    accounts: Accounts
    people: dict[str, Person]
    workspace_id: str
    project_id: str
    spare: list[Person] = field(default_factory=list)
    job_id: str = ""
    session_id: str = ""

    @property
    def owner(self) -> Person:
        return self.people["owner"]

    async def new_workspace(self) -> str:
        """A fresh team workspace with the same people in the same roles."""
        # Workspace names are unique among one person's workspaces.
        name = f"W-{uuid.uuid4().hex[:8]}"
        ws = (await self.owner.client.post("/api/v1/workspaces", json={"name": name})).json()["id"]
        for role in ("admin", "member", "viewer"):
            response = await self.owner.client.post(
                f"/api/v1/workspaces/{ws}/members",
                json={"email": self.people[role].email, "role": role},
            )
            assert response.status_code == 201
        return ws

    async def new_project(self) -> str:
        response = await self.owner.client.post(
            f"/api/v1/workspaces/{self.workspace_id}/projects",
            json={"name": f"p-{uuid.uuid4().hex[:8]}"},
        )
        return response.json()["id"]

    async def new_member(self) -> str:
        person = self.spare.pop()
        await self.owner.client.post(
            f"/api/v1/workspaces/{self.workspace_id}/members", json={"email": person.email}
        )
        return person.id

    async def new_job(self, *, final: bool = False) -> str:
        response = await self.owner.client.post(
            "/api/v1/jobs",
            json={"workspace_id": self.workspace_id, "circuits": [{"source": BELL}], "shots": 10},
        )
        job_id = response.json()["id"]
        if final:
            await self.owner.client.post(f"/api/v1/jobs/{job_id}/cancel")
        return job_id

    async def new_token_of(self, role: str) -> str:
        person = self.people["owner" if role == "anonymous" else role]
        return (await person.client.post("/api/v1/tokens", json={"name": "t"})).json()["id"]

    async def new_secret_of(self, role: str) -> None:
        person = self.people["owner" if role == "anonymous" else role]
        await person.client.put("/api/v1/me/secrets/openai_api_key", json={"value": "sk-123"})


Prepare = Callable[[World, str], Awaitable[tuple[dict[str, str], Any]]]


def fixed(body: Any = None) -> Prepare:
    async def prepare(world: World, role: str) -> tuple[dict[str, str], Any]:
        return {"workspace_id": world.workspace_id, "project_id": world.project_id}, body

    return prepare


def fixed_params(params: dict[str, str], body: Any) -> Prepare:
    async def prepare(world: World, role: str) -> tuple[dict[str, str], Any]:
        return params, body

    return prepare


def fixed_job(body: Any) -> Prepare:
    async def prepare(world: World, role: str) -> tuple[dict[str, str], Any]:
        return {"job_id": world.job_id}, body

    return prepare


def unique_name(world_key: str = "name") -> Prepare:
    async def prepare(world: World, role: str) -> tuple[dict[str, str], Any]:
        return {"workspace_id": world.workspace_id}, {world_key: f"n-{uuid.uuid4().hex[:8]}"}

    return prepare


@dataclass
class Row:
    expect: dict[str, int]
    prepare: Prepare = field(default_factory=fixed)


def by_role(owner, admin, member, viewer, outsider, anonymous=401) -> dict[str, int]:
    return dict(zip(ROLES, (owner, admin, member, viewer, outsider, anonymous), strict=True))


def everyone(status: int, anonymous: int = 401) -> dict[str, int]:
    return by_role(status, status, status, status, status, anonymous)


async def _fresh_workspace(world: World, role: str):
    return {"workspace_id": await world.new_workspace()}, None


async def _fresh_project(world: World, role: str):
    return {"project_id": await world.new_project()}, None


async def _fresh_member(world: World, role: str):
    return {"workspace_id": world.workspace_id, "user_id": await world.new_member()}, None


async def _target_member(world: World, role: str):
    target = world.people["target"].id
    return {"workspace_id": world.workspace_id, "user_id": target}, {"role": "viewer"}


async def _invitee(world: World, role: str):
    return {"workspace_id": world.workspace_id}, {"email": world.spare.pop().email}


def _fresh_address() -> str:
    return f"invitee-{uuid.uuid4().hex[:8]}@example.org"


async def _address(world: World, role: str):
    return {"workspace_id": world.workspace_id}, {"email": _fresh_address()}


async def _pending_invitation(world: World, role: str):
    response = await world.owner.client.post(
        f"/api/v1/workspaces/{world.workspace_id}/invitations", json={"email": _fresh_address()}
    )
    return {"workspace_id": world.workspace_id, "invitation_id": response.json()["id"]}, None


async def _invitation_for_caller(world: World, role: str):
    """Someone outside the team invites the caller (anonymous: the owner's address)."""
    inviter = world.people["target"].client
    name = f"Invite-{uuid.uuid4().hex[:8]}"
    ws = (await inviter.post("/api/v1/workspaces", json={"name": name})).json()["id"]
    email = world.people["owner" if role == "anonymous" else role].email
    response = await inviter.post(f"/api/v1/workspaces/{ws}/invitations", json={"email": email})
    return {"invitation_id": response.json()["id"]}, None


async def _job(world: World, role: str):
    return {"job_id": world.job_id}, None


async def _fresh_job(world: World, role: str):
    return {"job_id": await world.new_job()}, None


async def _finished_job(world: World, role: str):
    return {"job_id": await world.new_job(final=True)}, None


async def _job_submission(world: World, role: str):
    body = {"workspace_id": world.workspace_id, "circuits": [{"source": BELL}], "shots": 10}
    return {}, body


async def _bulk_cancel(world: World, role: str):
    return {}, {"ids": [await world.new_job()]}


async def _session_body(world: World, role: str):
    return {}, {"workspace_id": world.workspace_id, "backend": "aer_simulator"}


async def _session(world: World, role: str):
    return {"session_id": world.session_id}, None


async def _fresh_session(world: World, role: str):
    response = await world.owner.client.post(
        "/api/v1/sessions", json={"workspace_id": world.workspace_id, "backend": "aer_simulator"}
    )
    return {"session_id": response.json()["id"]}, None


async def _own_token(world: World, role: str):
    return {"token_id": await world.new_token_of(role)}, None


async def _own_browser_session(world: World, role: str):
    """A fresh browser log-in of the caller (the owner's for anonymous) to end."""
    person = world.people["owner" if role == "anonymous" else role]
    browser = world.accounts.new_client()
    credentials = {"email": person.email, "password": person.password}
    await browser.post("/api/v1/auth/login", json=credentials)
    sessions = (await browser.get("/api/v1/auth/sessions")).json()
    return {"session_id": next(s["id"] for s in sessions if s["current"])}, None


async def _own_secret(world: World, role: str):
    await world.new_secret_of(role)
    return {"name": "openai_api_key"}, None


async def _signup(world: World, role: str):
    email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    return {}, {"email": email, "password": "a long enough password", "display_name": "N"}


async def _login(world: World, role: str):
    person = world.people["owner"]
    return {}, {"email": person.email, "password": person.password}


async def _password(world: World, role: str):
    person = world.people["owner" if role == "anonymous" else role]
    return {}, {"current_password": person.password, "new_password": person.password}


V1 = "/api/v1"
MATRIX: dict[tuple[str, str], Row] = {
    ("POST", f"{V1}/auth/signup"): Row(everyone(201, anonymous=201), _signup),
    ("POST", f"{V1}/auth/login"): Row(everyone(200, anonymous=200), _login),
    ("POST", f"{V1}/auth/logout"): Row(everyone(204)),
    ("GET", f"{V1}/auth/me"): Row(everyone(200)),
    ("PATCH", f"{V1}/auth/me"): Row(everyone(200), fixed({"display_name": "Renamed"})),
    ("POST", f"{V1}/auth/password"): Row(everyone(204), _password),
    ("POST", f"{V1}/auth/logout-everywhere"): Row(everyone(204), fixed({})),
    ("GET", f"{V1}/auth/sessions"): Row(everyone(200)),
    ("DELETE", f"{V1}/auth/sessions/{{session_id}}"): Row(everyone(204), _own_browser_session),
    ("GET", f"{V1}/tokens"): Row(everyone(200)),
    ("POST", f"{V1}/tokens"): Row(everyone(201), fixed({"name": "ci"})),
    ("DELETE", f"{V1}/tokens/{{token_id}}"): Row(everyone(204), _own_token),
    ("GET", f"{V1}/me/secrets"): Row(everyone(200)),
    ("PUT", f"{V1}/me/secrets/{{name}}"): Row(
        everyone(200), fixed_params({"name": "ibm_quantum_token"}, {"value": "token-value"})
    ),
    ("DELETE", f"{V1}/me/secrets/{{name}}"): Row(everyone(204), _own_secret),
    ("GET", f"{V1}/workspaces"): Row(everyone(200)),
    ("POST", f"{V1}/workspaces"): Row(everyone(201), unique_name()),
    ("GET", f"{V1}/workspaces/{{workspace_id}}"): Row(by_role(200, 200, 200, 200, 404)),
    ("PATCH", f"{V1}/workspaces/{{workspace_id}}"): Row(
        by_role(200, 200, 403, 403, 404), fixed({"description": "new"})
    ),
    ("DELETE", f"{V1}/workspaces/{{workspace_id}}"): Row(
        by_role(204, 403, 403, 403, 404), _fresh_workspace
    ),
    ("GET", f"{V1}/workspaces/{{workspace_id}}/members"): Row(by_role(200, 200, 200, 200, 404)),
    ("POST", f"{V1}/workspaces/{{workspace_id}}/members"): Row(
        by_role(201, 201, 403, 403, 404), _invitee
    ),
    ("PATCH", f"{V1}/workspaces/{{workspace_id}}/members/{{user_id}}"): Row(
        by_role(200, 200, 403, 403, 404), _target_member
    ),
    ("DELETE", f"{V1}/workspaces/{{workspace_id}}/members/{{user_id}}"): Row(
        by_role(204, 204, 403, 403, 404), _fresh_member
    ),
    ("POST", f"{V1}/workspaces/{{workspace_id}}/leave"): Row(
        by_role(409, 204, 204, 204, 404), _fresh_workspace
    ),
    ("POST", f"{V1}/workspaces/{{workspace_id}}/invitations"): Row(
        by_role(201, 201, 403, 403, 404), _address
    ),
    ("GET", f"{V1}/workspaces/{{workspace_id}}/invitations"): Row(by_role(200, 200, 403, 403, 404)),
    ("DELETE", f"{V1}/workspaces/{{workspace_id}}/invitations/{{invitation_id}}"): Row(
        by_role(204, 204, 403, 403, 404), _pending_invitation
    ),
    ("GET", f"{V1}/me/invitations"): Row(everyone(200)),
    ("POST", f"{V1}/invitations/{{invitation_id}}/accept"): Row(
        everyone(200), _invitation_for_caller
    ),
    ("POST", f"{V1}/invitations/{{invitation_id}}/decline"): Row(
        everyone(204), _invitation_for_caller
    ),
    ("GET", f"{V1}/workspaces/{{workspace_id}}/projects"): Row(by_role(200, 200, 200, 200, 404)),
    ("POST", f"{V1}/workspaces/{{workspace_id}}/projects"): Row(
        by_role(201, 201, 201, 403, 404), unique_name()
    ),
    ("GET", f"{V1}/projects/{{project_id}}"): Row(by_role(200, 200, 200, 200, 404)),
    ("PATCH", f"{V1}/projects/{{project_id}}"): Row(
        by_role(200, 200, 200, 403, 404), fixed({"description": "changed"})
    ),
    ("DELETE", f"{V1}/projects/{{project_id}}"): Row(
        by_role(204, 204, 403, 403, 404), _fresh_project
    ),
    ("POST", f"{V1}/jobs"): Row(by_role(201, 201, 201, 403, 404), _job_submission),
    ("GET", f"{V1}/jobs"): Row(everyone(200)),
    ("GET", f"{V1}/jobs/export"): Row(everyone(200)),
    ("POST", f"{V1}/jobs/cancel"): Row(everyone(200), _bulk_cancel),
    ("GET", f"{V1}/jobs/{{job_id}}"): Row(by_role(200, 200, 200, 200, 404), _job),
    ("PATCH", f"{V1}/jobs/{{job_id}}"): Row(
        by_role(200, 200, 403, 403, 404), fixed_job({"notes": "edited"})
    ),
    ("POST", f"{V1}/jobs/{{job_id}}/cancel"): Row(by_role(200, 200, 403, 403, 404), _fresh_job),
    ("POST", f"{V1}/jobs/{{job_id}}/retry"): Row(by_role(201, 201, 201, 403, 404), _finished_job),
    ("GET", f"{V1}/jobs/{{job_id}}/events"): Row(by_role(200, 200, 200, 200, 404), _job),
    ("GET", f"{V1}/jobs/{{job_id}}/export"): Row(by_role(200, 200, 200, 200, 404), _job),
    ("POST", f"{V1}/sessions"): Row(by_role(201, 201, 201, 403, 404), _session_body),
    ("GET", f"{V1}/sessions"): Row(everyone(200)),
    ("GET", f"{V1}/sessions/{{session_id}}"): Row(by_role(200, 200, 200, 200, 404), _session),
    ("POST", f"{V1}/sessions/{{session_id}}/close"): Row(
        by_role(200, 200, 200, 403, 404), _fresh_session
    ),
    ("POST", f"{V1}/sessions/{{session_id}}/cancel"): Row(
        by_role(200, 200, 200, 403, 404), _fresh_session
    ),
    ("GET", f"{V1}/workspaces/{{workspace_id}}/activity"): Row(by_role(200, 200, 200, 200, 404)),
    ("GET", f"{V1}/backends"): Row(everyone(200)),
    ("GET", f"{V1}/backends/providers"): Row(everyone(200)),
    ("POST", f"{V1}/backends/providers/ibm_quantum/check"): Row(everyone(200)),
    ("GET", f"{V1}/backends/{{name}}"): Row(
        everyone(200), fixed_params({"name": "fake_manila"}, None)
    ),
    ("GET", f"{V1}/backends/{{name}}/calibration"): Row(
        everyone(200), fixed_params({"name": "fake_manila"}, None)
    ),
    ("POST", f"{V1}/backends/{{name}}/fit"): Row(
        everyone(200), fixed_params({"name": "aer_simulator"}, {"source": BELL})
    ),
    # Instance-wide: only instance admins, whatever their workspace role (none here are).
    ("GET", f"{V1}/events/consumers"): Row(everyone(403)),
    ("GET", f"{V1}/events/parked"): Row(everyone(403)),
    ("POST", f"{V1}/events/parked/{{failure_id}}/retry"): Row(
        everyone(403), fixed_params({"failure_id": "1"}, None)
    ),
    # The assistant: analyze and review read no workspace; explain and insights do.
    ("POST", f"{V1}/assistant/analyze"): Row(
        everyone(200), fixed({"source": BELL, "devices": ["fake_manila"], "top": 1})
    ),
    ("POST", f"{V1}/assistant/review"): Row(everyone(200), fixed({"source": BELL})),
    ("GET", f"{V1}/assistant/jobs/{{job_id}}/explain"): Row(by_role(200, 200, 200, 200, 404), _job),
    ("GET", f"{V1}/assistant/workspaces/{{workspace_id}}/insights"): Row(
        by_role(200, 200, 200, 200, 404)
    ),
}


# --- notification channels: webhook endpoints (own and workspace), unsubscribe ---
HOOK = {"url": "https://example.org/hooks/qdeck"}


def _caller(world: World, role: str) -> Person:
    return world.people["owner" if role == "anonymous" else role]


async def _own_webhook(world: World, role: str):
    made = await _caller(world, role).client.post(f"{V1}/notifications/webhooks", json=HOOK)
    return {"endpoint_id": made.json()["id"]}, None


async def _workspace_webhook(world: World, role: str):
    made = await world.owner.client.post(
        f"{V1}/workspaces/{world.workspace_id}/webhooks", json=HOOK
    )
    return {"workspace_id": world.workspace_id, "endpoint_id": made.json()["id"]}, None


async def _finished_delivery(world: World, base: str, client) -> str:
    """A test event whose delivery is over (failed), so it can be redelivered."""
    from sqlalchemy import update

    from qdeck.notifications.delivery_models import Delivery, DeliveryState

    sent = await client.post(f"{base}/test")
    delivery_id = sent.json()["id"]
    async with world.accounts.app.state.database.session() as session:  # type: ignore[attr-defined]
        await session.execute(
            update(Delivery)
            .where(Delivery.id == uuid.UUID(delivery_id))
            .values(state=DeliveryState.FAILED)
        )
    return delivery_id


async def _own_delivery(world: World, role: str):
    params, _ = await _own_webhook(world, role)
    base = f"{V1}/notifications/webhooks/{params['endpoint_id']}"
    client = _caller(world, role).client
    return {**params, "delivery_id": await _finished_delivery(world, base, client)}, None


async def _workspace_delivery(world: World, role: str):
    params, _ = await _workspace_webhook(world, role)
    base = f"{V1}/workspaces/{world.workspace_id}/webhooks/{params['endpoint_id']}"
    delivery_id = await _finished_delivery(world, base, world.owner.client)
    return {**params, "delivery_id": delivery_id}, None


async def _unsubscribe_link(world: World, role: str):
    from qdeck.notifications import unsubscribe

    settings = world.accounts.app.state.settings  # type: ignore[attr-defined]
    user = uuid.UUID(_caller(world, role).id)
    return {"token": unsubscribe.token(settings, user, "job.failed")}, None


def _webhook_rows() -> dict[tuple[str, str], Row]:
    own, ws = f"{V1}/notifications/webhooks", f"{V1}/workspaces/{{workspace_id}}/webhooks"
    admins = by_role(200, 200, 403, 403, 404)

    def scoped(expect: dict[str, int], status: int) -> dict[str, int]:
        return {r: (status if s == 200 else s) for r, s in expect.items()}

    rows: dict[tuple[str, str], Row] = {}
    for base, expect, one, delivery in (
        (own, everyone(200), _own_webhook, _own_delivery),
        (ws, admins, _workspace_webhook, _workspace_delivery),
    ):
        item, log = f"{base}/{{endpoint_id}}", f"{base}/{{endpoint_id}}/deliveries"
        rows |= {
            ("GET", base): Row(expect),
            ("POST", base): Row(scoped(expect, 201), fixed(HOOK)),
            ("GET", item): Row(expect, one),
            ("PATCH", item): Row(expect, _with_body(one, {"description": "renamed"})),
            ("DELETE", item): Row(scoped(expect, 204), one),
            ("POST", f"{item}/rotate"): Row(expect, one),
            ("POST", f"{item}/test"): Row(scoped(expect, 202), one),
            ("GET", log): Row(expect, one),
            ("GET", f"{log}/{{delivery_id}}"): Row(expect, delivery),
            ("POST", f"{log}/{{delivery_id}}/redeliver"): Row(scoped(expect, 202), delivery),
        }
    rows[("GET", f"{V1}/notifications/channels")] = Row(everyone(200))
    link = f"{V1}/notifications/unsubscribe/{{token}}"
    # The signed link is the authority: no log-in needed.
    rows[("GET", link)] = Row(everyone(200, anonymous=200), _unsubscribe_link)
    rows[("POST", link)] = Row(everyone(200, anonymous=200), _unsubscribe_link)
    return rows


def _with_body(prepare: Prepare, body: Any) -> Prepare:
    async def with_body(world: World, role: str):
        params, _ = await prepare(world, role)
        return params, body

    return with_body


MATRIX |= _webhook_rows()


# --- notifications core: a person's own notifications and preferences, a workspace's quota ---
async def _own_notification(world: World, role: str):
    """A notification of the caller's own (others' answer 404: tests/notifications)."""
    from qdeck.notifications.service import notify

    person = _caller(world, role)
    async with world.accounts.app.state.database.session() as session:  # type: ignore[attr-defined]
        row = await notify(
            session,
            user_id=uuid.UUID(person.id),
            workspace_id=None,
            kind="achievement.earned",
            title="matrix",
            body="why",
        )
    assert row is not None
    return {"notification_id": str(row.id)}, None


def _notification_rows() -> dict[tuple[str, str], Row]:
    base, item = f"{V1}/notifications", f"{V1}/notifications/{{notification_id}}"
    quota = f"{V1}/workspaces/{{workspace_id}}/usage-quota"
    return {
        ("GET", base): Row(everyone(200)),
        ("GET", f"{base}/unread-count"): Row(everyone(200)),
        ("POST", f"{base}/read-all"): Row(everyone(200)),
        ("GET", f"{base}/preferences"): Row(everyone(200)),
        ("PUT", f"{base}/preferences"): Row(everyone(200), fixed({"daily_digest_hour": 7})),
        ("GET", item): Row(everyone(200), _own_notification),
        ("POST", f"{item}/read"): Row(everyone(200), _own_notification),
        ("POST", f"{item}/unread"): Row(everyone(200), _own_notification),
        ("POST", f"{item}/archive"): Row(everyone(200), _own_notification),
        ("POST", f"{item}/unarchive"): Row(everyone(200), _own_notification),
        ("GET", quota): Row(by_role(200, 200, 200, 200, 404)),
        ("PUT", quota): Row(by_role(200, 200, 403, 403, 404), fixed({"daily_job_quota": 100})),
    }


MATRIX |= _notification_rows()


# --- Quantum Quest: each person's own path; challenge attempts and runs are jobs in a workspace ---
QUEST = f"{V1}/quest"
QUEST_CIRCUIT = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0];\n'


def _quest_in_team(params: dict[str, str]) -> Prepare:
    async def prepare(world: World, role: str) -> tuple[dict[str, str], Any]:
        return params, {"qasm": QUEST_CIRCUIT, "workspace_id": world.workspace_id}

    return prepare


async def _quest_run(world: World, role: str):
    body = {"qasm": QUEST_CIRCUIT, "workspace_id": world.workspace_id}
    made = await world.owner.client.post(f"{QUEST}/runs", json=body)
    return {"job_id": made.json()["id"]}, None


def _quest_rows() -> dict[tuple[str, str], Row]:
    lesson, level, challenge = {"key": "qubit"}, {"key": "plus"}, {"key": "w3-lagos"}
    submit = by_role(201, 201, 201, 403, 404)
    return {
        ("GET", f"{QUEST}/lessons"): Row(everyone(200)),
        ("GET", f"{QUEST}/lessons/{{key}}"): Row(everyone(200), fixed_params(lesson, None)),
        ("POST", f"{QUEST}/lessons/{{key}}/quiz"): Row(
            everyone(200), fixed_params(lesson, {"index": 0, "choice": 2})
        ),
        ("GET", f"{QUEST}/levels/{{key}}"): Row(everyone(200), fixed_params(level, None)),
        ("POST", f"{QUEST}/levels/{{key}}/hints"): Row(everyone(200), fixed_params(level, None)),
        ("POST", f"{QUEST}/levels/{{key}}/attempts"): Row(
            everyone(200), fixed_params(level, {"qasm": QUEST_CIRCUIT})
        ),
        ("GET", f"{QUEST}/progress"): Row(everyone(200)),
        ("GET", f"{QUEST}/challenges"): Row(everyone(200)),
        ("GET", f"{QUEST}/challenges/{{key}}"): Row(everyone(200), fixed_params(challenge, None)),
        ("POST", f"{QUEST}/challenges/{{key}}/attempts"): Row(submit, _quest_in_team(challenge)),
        ("GET", f"{QUEST}/challenges/{{key}}/leaderboard"): Row(
            everyone(200), fixed_params(challenge, None)
        ),
        ("POST", f"{QUEST}/runs"): Row(submit, _quest_in_team({})),
        ("GET", f"{QUEST}/runs/{{job_id}}/comparison"): Row(
            by_role(200, 200, 200, 200, 404), _quest_run
        ),
    }


MATRIX |= _quest_rows()


# --- Gamification: each person's own numbers; workspace boards, switch and challenges ---
GAME = f"{V1}/gamification"


def _challenge_body() -> dict[str, Any]:
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) + timedelta(hours=1)
    return {
        "title": "Run ten jobs",
        "rule": "jobs_completed",
        "target": 10,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=7)).isoformat(),
    }


async def _team_challenge(world: World, role: str):
    made = await world.owner.client.post(
        f"{GAME}/workspaces/{world.workspace_id}/challenges", json=_challenge_body()
    )
    return {"challenge_id": made.json()["id"]}, None


def _gamification_rows() -> dict[tuple[str, str], Row]:
    team = by_role(200, 200, 200, 200, 404)
    admins = by_role(200, 200, 403, 403, 404)
    nobody = uuid.UUID(int=7)
    return {
        ("GET", f"{GAME}/me"): Row(everyone(200)),
        ("PATCH", f"{GAME}/me"): Row(everyone(200), fixed({"global_opt_in": False})),
        ("GET", f"{GAME}/progress"): Row(everyone(200)),
        ("GET", f"{GAME}/ledger"): Row(everyone(200)),
        ("GET", f"{GAME}/rules"): Row(everyone(200)),
        ("GET", f"{GAME}/leaderboards/global"): Row(everyone(200)),
        ("GET", f"{GAME}/leaderboards/workspaces/{{workspace_id}}"): Row(team),
        ("GET", f"{GAME}/league"): Row(everyone(200)),
        ("GET", f"{GAME}/challenges"): Row(everyone(200)),
        ("POST", f"{GAME}/workspaces/{{workspace_id}}/challenges"): Row(
            by_role(201, 201, 403, 403, 404), fixed(_challenge_body())
        ),
        ("GET", f"{GAME}/challenges/{{challenge_id}}/leaderboard"): Row(team, _team_challenge),
        ("GET", f"{GAME}/workspaces/{{workspace_id}}/settings"): Row(team),
        ("PUT", f"{GAME}/workspaces/{{workspace_id}}/settings"): Row(
            admins, fixed({"enabled": True})
        ),
        # Nobody in the matrix has earned anything: an unearned badge is not found.
        ("GET", f"{GAME}/achievements/{{key}}/badge"): Row(
            everyone(404), fixed_params({"key": "first-job"}, None)
        ),
        # Public: the issuer profile and a badge's verification.
        ("GET", f"{GAME}/issuer"): Row(everyone(200, 200)),
        ("GET", f"{GAME}/badges/{{award_id}}"): Row(
            everyone(404, 404), fixed_params({"award_id": str(nobody)}, None)
        ),
        # Instance admins only.
        ("POST", f"{GAME}/badges/{{award_id}}/revoke"): Row(
            everyone(403), fixed_params({"award_id": str(nobody)}, {"reason": "x"})
        ),
        ("POST", f"{GAME}/backfill"): Row(everyone(403)),
    }


MATRIX |= _gamification_rows()


# --- Chat: members post, viewers read, outsiders see nothing; authors edit, admins moderate ---
CHAT = f"{V1}/chat"


async def _general(world: World) -> str:
    listed = await world.owner.client.get(f"{V1}/workspaces/{world.workspace_id}/chat/channels")
    return next(c["id"] for c in listed.json() if c["name"] == "general")


async def _chat_channel(world: World, role: str):
    return {"channel_id": await _general(world)}, None


async def _chat_post(world: World, role: str):
    return {"channel_id": await _general(world)}, {"body": "hello"}


async def _owners_message(world: World, role: str):
    made = await world.owner.client.post(
        f"{CHAT}/channels/{await _general(world)}/messages", json={"body": "owner says"}
    )
    return {"message_id": made.json()["id"], "emoji": "%F0%9F%91%8D"}, None


async def _owners_message_edit(world: World, role: str):
    params, _ = await _owners_message(world, role)
    return params, {"body": "changed"}


async def _private_channel(world: World, role: str, *, with_target: bool = True):
    """A fresh private channel of the owner with the team (and the target) in it."""
    roles = (
        ("admin", "member", "viewer", "target") if with_target else ("admin", "member", "viewer")
    )
    members = [world.people[r].id for r in roles]
    made = await world.owner.client.post(
        f"{V1}/workspaces/{world.workspace_id}/chat/channels",
        json={"name": f"p-{uuid.uuid4().hex[:8]}", "kind": "private", "member_ids": members},
    )
    return {"channel_id": made.json()["id"], "member_id": world.people["target"].id}, None


async def _private_channel_add(world: World, role: str):
    params, _ = await _private_channel(world, role, with_target=False)
    return params, {"user_ids": [world.people["target"].id]}


async def _fresh_public_channel(world: World, role: str):
    made = await world.owner.client.post(
        f"{V1}/workspaces/{world.workspace_id}/chat/channels",
        json={"name": f"c-{uuid.uuid4().hex[:8]}"},
    )
    return {"channel_id": made.json()["id"]}, {"topic": "new topic"}


async def _direct_with_target(world: World, role: str):
    return {"workspace_id": world.workspace_id}, {"user_id": world.people["target"].id}


def _chat_rows() -> dict[tuple[str, str], Row]:
    team = by_role(200, 200, 200, 200, 404)
    posters = by_role(200, 200, 200, 403, 404)
    made = by_role(201, 201, 201, 403, 404)
    managers = by_role(200, 200, 403, 403, 404)
    ws = f"{V1}/workspaces/{{workspace_id}}/chat"
    channel, message = f"{CHAT}/channels/{{channel_id}}", f"{CHAT}/messages/{{message_id}}"
    return {
        ("GET", f"{ws}/channels"): Row(team),
        ("POST", f"{ws}/channels"): Row(made, unique_name()),
        ("POST", f"{ws}/direct"): Row(team, _direct_with_target),
        # Everyone allowed in gets the empty search refused; outsiders learn nothing.
        ("GET", f"{ws}/search"): Row(by_role(422, 422, 422, 422, 404)),
        ("GET", f"{ws}/settings"): Row(team),
        ("PATCH", f"{ws}/settings"): Row(managers, fixed({"viewers_can_post": False})),
        ("GET", channel): Row(team, _chat_channel),
        ("PATCH", channel): Row(managers, _fresh_public_channel),
        ("POST", f"{channel}/members"): Row(posters, _private_channel_add),
        ("DELETE", f"{channel}/members/{{member_id}}"): Row(
            by_role(204, 204, 403, 403, 404), _private_channel
        ),
        ("GET", f"{channel}/messages"): Row(team, _chat_channel),
        ("POST", f"{channel}/messages"): Row(made, _chat_post),
        ("PUT", f"{channel}/read"): Row(team, _chat_channel),
        ("POST", f"{channel}/typing"): Row(by_role(204, 204, 204, 403, 404), _chat_channel),
        ("GET", f"{channel}/jobs"): Row(team, _chat_channel),
        ("GET", message): Row(team, _owners_message),
        ("PATCH", message): Row(by_role(200, 403, 403, 403, 404), _owners_message_edit),
        ("DELETE", message): Row(by_role(204, 204, 403, 403, 404), _owners_message),
        ("GET", f"{message}/thread"): Row(team, _owners_message),
        ("PUT", f"{message}/reactions/{{emoji}}"): Row(posters, _owners_message),
        ("DELETE", f"{message}/reactions/{{emoji}}"): Row(posters, _owners_message),
    }


MATRIX |= _chat_rows()


# --- Shared documents: everyone in the team reads, members and up write, admins delete ---
DOCS = f"{V1}/documents"


async def _document_of(world: World, who: str = "owner") -> str:
    made = await world.people[who].client.post(
        f"{V1}/workspaces/{world.workspace_id}/documents",
        json={"title": "Notes", "text": "```qasm\nOPENQASM 2.0;\n```"},
    )
    return made.json()["id"]


async def _document(world: World, role: str):
    return {"document_id": await _document_of(world)}, None


async def _document_rename(world: World, role: str):
    return {"document_id": await _document_of(world)}, {"title": "Renamed"}


async def _document_version(world: World, role: str):
    return {"document_id": await _document_of(world)}, {"name": "v1"}


async def _document_restore(world: World, role: str):
    document_id = await _document_of(world)
    saved = await world.owner.client.post(f"{DOCS}/{document_id}/versions", json={"name": "v"})
    return {"document_id": document_id, "version_id": saved.json()["id"]}, None


async def _members_document(world: World, role: str):
    """A document the member wrote: its author and admins may delete it."""
    return {"document_id": await _document_of(world, "member")}, None


def _document_rows() -> dict[tuple[str, str], Row]:
    team = by_role(200, 200, 200, 200, 404)
    writers = by_role(200, 200, 200, 403, 404)
    doc = f"{DOCS}/{{document_id}}"
    return {
        ("GET", f"{V1}/workspaces/{{workspace_id}}/documents"): Row(team),
        ("POST", f"{V1}/workspaces/{{workspace_id}}/documents"): Row(
            by_role(201, 201, 201, 403, 404), fixed({"title": "New"})
        ),
        ("GET", doc): Row(team, _document),
        ("PATCH", doc): Row(writers, _document_rename),
        ("DELETE", doc): Row(by_role(204, 204, 204, 403, 404), _members_document),
        ("GET", f"{doc}/export"): Row(team, _document),
        ("GET", f"{doc}/versions"): Row(team, _document),
        ("POST", f"{doc}/versions"): Row(by_role(201, 201, 201, 403, 404), _document_version),
        ("POST", f"{doc}/versions/{{version_id}}/restore"): Row(writers, _document_restore),
    }


MATRIX |= _document_rows()


async def _world(accounts: Accounts) -> World:
    people = {role: await accounts.sign_up(role.capitalize()) for role in ROLES[:-1]}
    people["target"] = await accounts.sign_up("Target")
    spare = [await accounts.sign_up(f"Spare{i}") for i in range(2 * len(ROLES))]
    owner = people["owner"]
    ws = (await owner.client.post("/api/v1/workspaces", json={"name": "Team"})).json()["id"]
    for role in ("admin", "member", "viewer", "target"):
        await owner.client.post(
            f"/api/v1/workspaces/{ws}/members",
            json={"email": people[role].email, "role": "member" if role == "target" else role},
        )
    project = await owner.client.post(f"/api/v1/workspaces/{ws}/projects", json={"name": "P"})
    # Callers use API tokens, so that logging out or changing a password in one row does
    # not end the session the next rows depend on.
    for person in people.values():
        token = (await person.client.post("/api/v1/tokens", json={"name": "matrix"})).json()
        person.client.headers["Authorization"] = f"Bearer {token['token']}"
    world = World(accounts, people, ws, project.json()["id"], spare)
    world.job_id = await world.new_job()
    world.session_id = (await _fresh_session(world, "owner"))[0]["session_id"]
    return world


@pytest.fixture
async def app(settings):
    """Without the engine, so a job stays queued and cancel rows always find it so."""
    # The owner posts every chat row's fresh message: no rate limit here (tests/collab has it).
    changed = settings.model_copy(update={"engine_enabled": False, "chat_rate_limit": 10_000})
    application = create_app(changed)
    async with application.router.lifespan_context(application):
        yield application


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(V1):
            routes |= {(method.upper(), path) for method in operations}
    return routes


async def test_every_endpoint_has_a_row(app) -> None:
    missing = _api_routes(app) - set(MATRIX)
    stale = set(MATRIX) - _api_routes(app)
    assert not missing, f"add authorization rows for: {sorted(missing)}"
    assert not stale, f"rows for endpoints that no longer exist: {sorted(stale)}"


async def test_each_caller_gets_the_expected_status(app, accounts: Accounts) -> None:
    world = await _world(accounts)
    anonymous = accounts.new_client()
    failures = []
    for (method, template), row in MATRIX.items():
        for role in ROLES:
            params, body = await row.prepare(world, role)
            url = template.format(**params)
            client = anonymous if role == "anonymous" else world.people[role].client
            # Signing up or logging in sets cookies; anonymous must stay anonymous.
            anonymous.cookies.clear()
            response = await client.request(method, url, json=body)
            if response.status_code != row.expect[role]:
                failures.append(
                    f"{method} {template} as {role}: {response.status_code} "
                    f"(expected {row.expect[role]}) {response.text[:120]}"
                )
            if response.status_code == 404 and role == "outsider":
                assert "Team" not in response.text
    assert not failures, "\n".join(failures)
