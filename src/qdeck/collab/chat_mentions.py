"""Who an ``@handle`` in a message names. A handle is a person's e-mail address, the part
before its "@", or their display name without spaces, whichever is unique among the
people who can read the channel; ``@channel``, ``@here`` and ``@everyone`` name them all.
A handle that names nobody who can read the channel is refused rather than sent into the
void: the author learns at once that their colleague will not see it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.errors import InvalidInput
from qdeck.workspaces.models import Membership

EVERYONE = frozenset({"channel", "here", "everyone"})


@dataclass(frozen=True)
class Mentions:
    user_ids: list[uuid.UUID]
    everyone: bool


def _handles(user: User) -> set[str]:
    email = user.email.lower()
    return {email, email.split("@", 1)[0], "".join(user.display_name.split()).lower()}


async def audience_people(
    session: AsyncSession, workspace_id: uuid.UUID, members: list[uuid.UUID] | None
) -> list[User]:
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
    )
    if members is not None:
        stmt = stmt.where(User.id.in_(members))
    return list(await session.scalars(stmt))


def resolve(handles: Iterable[str], people: list[User]) -> Mentions:
    wanted = [h for h in handles if h not in EVERYONE]
    everyone = any(h in EVERYONE for h in handles)
    owners: dict[str, set[uuid.UUID]] = {}
    for person in people:
        for handle in _handles(person):
            owners.setdefault(handle, set()).add(person.id)
    found: list[uuid.UUID] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for handle in wanted:
        ids = owners.get(handle, set())
        if len(ids) == 1:
            found.append(next(iter(ids)))
        elif ids:
            ambiguous.append(handle)
        else:
            unknown.append(handle)
    problems = [
        {"field": "body", "message": f"@{h} is nobody who can read this channel"} for h in unknown
    ] + [
        {"field": "body", "message": f"@{h} names several people; use their e-mail address"}
        for h in ambiguous
    ]
    if problems:
        raise InvalidInput(
            "Mentions must name people who can read this channel: "
            + ", ".join(f"@{h}" for h in [*unknown, *ambiguous])
            + ".",
            code="unknown_mention",
            errors=problems,
        )
    return Mentions(list(dict.fromkeys(found)), everyone)
