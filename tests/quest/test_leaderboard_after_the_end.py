"""Once a challenge has ended, everyone may see the circuit behind every entry, and no new
attempt is taken."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from qdeck.auth.models import User
from qdeck.db.types import utcnow
from qdeck.errors import Conflict
from qdeck.quest.catalog import load_catalog
from qdeck.quest.models import ChallengeAttempt
from qdeck.quest.repository import QuestRepository
from qdeck.quest.service import QuestService
from qdeck.services import Services
from tests.accounts import Accounts
from tests.quest.conftest import program


def _catalog_where_ghz5_ended(ended: bool):
    catalog = load_catalog()
    challenges = tuple(
        c.model_copy(update={"ends_at": utcnow() - timedelta(days=1)})
        if c.key == "ghz5-kyiv" and ended
        else c
        for c in catalog.challenges
    )
    return catalog.model_copy(update={"challenges": challenges})


async def test_after_the_end_every_circuit_shows(app, accounts: Accounts) -> None:
    ada, bob = await accounts.sign_up("Ada"), await accounts.sign_up("Bob")
    database = app.state.database  # type: ignore[attr-defined]
    circuits = {ada.id: program(5, "h q[0];", "cx q[0],q[1];"), bob.id: program(5, "h q[0];")}
    async with database.session() as session:
        row = await QuestRepository(session).challenge_row(
            "ghz5-kyiv",
            {
                "level": 1,
                "title": "GHZ-5",
                "spec": {},
                "points": 0,
                "description": "",
                "is_advanced": True,
            },
        )
        for user_id, score in ((ada.id, 0.9), (bob.id, 0.3)):
            session.add(
                ChallengeAttempt(
                    id=uuid.uuid4(),
                    challenge_id=row.id,
                    user_id=uuid.UUID(user_id),
                    circuit=circuits[user_id],
                    status="scored",
                    score=score,
                    two_qubit_gates=1,
                    feedback="",
                    created_at=utcnow(),
                    scored_at=utcnow(),
                )
            )
    settings = app.state.settings  # type: ignore[attr-defined]
    async with database.session() as session:
        services = Services(session, settings)
        bob_user = await session.get(User, uuid.UUID(bob.id))
        running = QuestService(session, settings, services.jobs, _catalog_where_ghz5_ended(False))
        board = await running.leaderboard(bob_user, "ghz5-kyiv")
        assert not board.ended and [e.qasm is None for e in board.entries] == [True, False]

        ended = QuestService(session, settings, services.jobs, _catalog_where_ghz5_ended(True))
        board = await ended.leaderboard(bob_user, "ghz5-kyiv")
        assert board.ended
        assert [e.qasm for e in board.entries] == [circuits[ada.id], circuits[bob.id]]
        with pytest.raises(Conflict, match="has ended"):
            await ended.submit_challenge(bob_user, "ghz5-kyiv", circuits[bob.id])
