"""Challenge notices: a workspace challenge that starts within a day reaches each member
once, one that ends within a day reaches the entrants still short of the target, and a
second tick (or a second server) sends nothing more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from qdeck.auth.models import User
from qdeck.db.types import utcnow
from qdeck.gamification.challenge_notices import announce
from qdeck.gamification.models import ChallengeEntry, GamificationChallenge
from qdeck.notifications.models import Notification
from qdeck.workspaces.models import Membership, Workspace
from qdeck.workspaces.roles import Role
from tests.gamification.conftest import database


def _challenge(workspace, title, starts_at, lasts) -> GamificationChallenge:
    return GamificationChallenge(
        workspace_id=workspace,
        title=title,
        rule="jobs_completed",
        target=3,
        reward_xp=30,
        starts_at=starts_at,
        ends_at=starts_at + lasts,
    )


async def test_starting_and_ending_challenges_notify_the_right_people_once(still_app):
    now = utcnow()
    async with database(still_app).session() as session:
        people = [
            User(email=f"c{i}@example.org", display_name=f"C{i}", password_hash="x")
            for i in range(4)
        ]
        outsider = User(email="out@example.org", display_name="Out", password_hash="x")
        session.add_all([*people, outsider])
        await session.flush()
        lab = Workspace(name="Lab", slug="lab-notices", created_by=people[0].id)
        session.add(lab)
        await session.flush()
        session.add_all(
            Membership(workspace_id=lab.id, user_id=p.id, role=Role.MEMBER) for p in people
        )
        soon = _challenge(lab.id, "Bell week", now + timedelta(hours=3), timedelta(days=7))
        later = _challenge(lab.id, "Next month", now + timedelta(days=9), timedelta(days=7))
        closing = _challenge(
            lab.id, "GHZ sprint", now - timedelta(days=6), timedelta(days=6, hours=5)
        )
        session.add_all([soon, later, closing])
        await session.flush()
        session.add_all(
            [
                ChallengeEntry(challenge_id=closing.id, user_id=people[1].id, value=1),
                ChallengeEntry(
                    challenge_id=closing.id, user_id=people[2].id, value=3, completed_at=now
                ),
            ]
        )

    async with database(still_app).session() as session:
        assert await announce(session, now) == 4 + 1
    async with database(still_app).session() as session:
        assert await announce(session, now + timedelta(minutes=1)) == 0
        rows = list(await session.scalars(select(Notification)))

    starting = {r.user_id for r in rows if r.kind == "challenge.starting"}
    ending = [r for r in rows if r.kind == "challenge.ending"]
    assert starting == {p.id for p in people}
    assert [r.user_id for r in ending] == [people[1].id]  # the one who completed: nothing
    assert ending[0].title == "Challenge ending: GHZ sprint" and ending[0].link == "/challenges"
    assert all("Next month" not in r.title for r in rows)
    assert outsider.id not in {r.user_id for r in rows}
