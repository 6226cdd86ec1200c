"""Workspace chat through the API, as two or three people use it: channels and their
visibility, posting, threads, mentions that notify, edits and deletions, reactions,
unread counts, search, job references, the viewers' rule, rate limit and retention;
and bad input that changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update

from qdeck.collab.chat_service import sweep_retention
from qdeck.collab.models import ChatMessage
from qdeck.db.types import utcnow
from tests.collab.conftest import Team
from tests.jobs.conftest import BELL, submit
from tests.notifications.conftest import database, notifications


async def _messages(person, channel: str) -> list[dict]:
    response = await person.client.get(f"/api/v1/chat/channels/{channel}/messages")
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_general_is_there_and_a_message_reaches_everyone_with_unread_counts(
    team: Team,
) -> None:
    general = await team.general()
    assert general["title"] == "#general" and general["unread"] == 0
    first = await team.post(team.ada, general["id"], "Hello **team**")
    assert first["html"] == "<p>Hello <strong>team</strong></p>\n"
    assert first["author"]["name"] == "Ada"
    await team.post(team.ada, general["id"], "Second")
    # Grace has two unread; Ada's own messages are never unread for her.
    assert (await team.general(team.grace))["unread"] == 2
    assert (await team.general(team.ada))["unread"] == 0
    items = await _messages(team.grace, general["id"])
    assert [m["body"] for m in items] == ["Second", "Hello **team**"]  # newest first
    # Read up to the first: one left; then everything.
    mark = await team.grace.client.put(
        f"/api/v1/chat/channels/{general['id']}/read", json={"message_id": first["id"]}
    )
    assert mark.status_code == 200 and mark.json()["unread"] == 1
    mark = await team.grace.client.put(f"/api/v1/chat/channels/{general['id']}/read")
    assert mark.json()["unread"] == 0
    # Marking the older message read again does not make the newer unread again.
    again = await team.grace.client.put(
        f"/api/v1/chat/channels/{general['id']}/read", json={"message_id": first["id"]}
    )
    assert again.json()["unread"] == 0


async def test_outsiders_and_non_members_of_a_private_channel_see_nothing(team: Team) -> None:
    general = await team.general()
    outsider = await team.olga.client.get(f"/api/v1/workspaces/{team.workspace}/chat/channels")
    assert outsider.status_code == 404
    response = await team.olga.client.get(f"/api/v1/chat/channels/{general['id']}/messages")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    created = await team.ada.client.post(
        f"/api/v1/workspaces/{team.workspace}/chat/channels",
        json={"name": "Secret-Plans", "kind": "private", "member_ids": [team.grace.id]},
    )
    assert created.status_code == 201, created.text
    secret = created.json()
    assert secret["name"] == "secret-plans"
    assert set(secret["member_ids"]) == {team.ada.id, team.grace.id}
    await team.post(team.grace, secret["id"], "quantum supremacy tomorrow")
    vic_sees = await team.vic.client.get(f"/api/v1/workspaces/{team.workspace}/chat/channels")
    assert [c["name"] for c in vic_sees.json()] == ["general"]
    for path in ("", "/messages"):
        hidden = await team.vic.client.get(f"/api/v1/chat/channels/{secret['id']}{path}")
        assert hidden.status_code == 404
    # Search finds it for members only.
    search = f"/api/v1/workspaces/{team.workspace}/chat/search"
    assert len((await team.ada.client.get(search, params={"q": "suprem"})).json()) == 1
    assert (await team.vic.client.get(search, params={"q": "suprem"})).json() == []


async def test_a_mention_notifies_and_a_mention_of_nobody_is_refused(team: Team) -> None:
    general = await team.general()
    handle = team.grace.email.split("@")[0]
    message = await team.post(team.ada, general["id"], f"@{handle} please check the GHZ run")
    assert message["mentions"] == [team.grace.id]
    assert f'<span class="qd-mention">@{handle}</span>' in message["html"]
    (note,) = await notifications(team.grace.client)
    assert note["kind"] == "chat.mention"
    assert note["title"] == "Ada mentioned you in #general"
    assert note["link"] == f"/chat?channel={general['id']}&message={message['id']}"
    assert await notifications(team.ada.client) == []
    # Olga is not in the workspace: naming her is an error and stores nothing.
    before = await _messages(team.ada, general["id"])
    refused = await team.ada.client.post(
        f"/api/v1/chat/channels/{general['id']}/messages",
        json={"body": f"cc @{team.olga.email}"},
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "unknown_mention"
    assert team.olga.email in refused.json()["detail"]
    assert await _messages(team.ada, general["id"]) == before
    # @channel tells everyone who can read it but the author.
    await team.post(team.grace, general["id"], "@channel standup in 5")
    assert [n["kind"] for n in await notifications(team.vic.client)] == ["chat.mention"]
    assert len(await notifications(team.ada.client)) == 1


async def test_edit_and_delete_own_messages_and_admins_delete_any(team: Team) -> None:
    general = await team.general()
    mine = await team.post(team.grace, general["id"], "first draft")
    path = f"/api/v1/chat/messages/{mine['id']}"
    edited = await team.grace.client.patch(path, json={"body": "final *draft*"})
    assert edited.status_code == 200
    assert edited.json()["edited_at"] is not None
    assert edited.json()["html"] == "<p>final <em>draft</em></p>\n"
    assert (await team.ada.client.patch(path, json={"body": "hijack"})).status_code == 403
    # Members cannot delete others'; the owner can.
    adas = await team.post(team.ada, general["id"], "from ada")
    other = f"/api/v1/chat/messages/{adas['id']}"
    assert (await team.grace.client.delete(other)).status_code == 403
    assert (await team.ada.client.delete(path)).status_code == 204
    gone = (await team.grace.client.get(path)).json()
    assert gone["deleted"] is True and gone["body"] == "" and gone["html"] == ""
    search = f"/api/v1/workspaces/{team.workspace}/chat/search"
    assert (await team.ada.client.get(search, params={"q": "final"})).json() == []


async def test_threads_reactions_and_their_bad_input(team: Team) -> None:
    general = await team.general()
    root = await team.post(team.ada, general["id"], "Which backend for GHZ-5?")
    reply = await team.post(team.grace, general["id"], "fake_kyiv", thread_root_id=root["id"])
    thread = (await team.ada.client.get(f"/api/v1/chat/messages/{root['id']}/thread")).json()
    assert thread["root"]["reply_count"] == 1
    assert [r["body"] for r in thread["replies"]] == ["fake_kyiv"]
    # Replies stay in the thread, not in the channel's list.
    assert [m["id"] for m in await _messages(team.ada, general["id"])] == [root["id"]]
    nested = await team.ada.client.post(
        f"/api/v1/chat/channels/{general['id']}/messages",
        json={"body": "deeper", "thread_root_id": reply["id"]},
    )
    assert nested.status_code == 422 and nested.json()["code"] == "nested_thread"
    missing = await team.ada.client.post(
        f"/api/v1/chat/channels/{general['id']}/messages",
        json={"body": "x", "thread_root_id": str(uuid.uuid4())},
    )
    assert missing.status_code == 404 and missing.json()["code"] == "thread_not_found"
    reactions = f"/api/v1/chat/messages/{root['id']}/reactions"
    liked = await team.grace.client.put(f"{reactions}/👍")
    assert liked.status_code == 200
    assert liked.json()["reactions"] == [{"emoji": "👍", "user_ids": [team.grace.id]}]
    assert (await team.grace.client.put(f"{reactions}/👍")).json()["reactions"][0]["user_ids"] == [
        team.grace.id
    ]
    for junk in ("<script>", "lol", "%F0%9F%92%A9"):
        bad = await team.grace.client.put(f"{reactions}/{junk}")
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_reaction", junk
    unliked = await team.grace.client.delete(f"{reactions}/👍")
    assert unliked.json()["reactions"] == []


async def test_viewers_read_but_post_only_when_the_workspace_allows(team: Team) -> None:
    general = await team.general(team.vic)
    await team.post(team.ada, general["id"], "hello viewers")
    assert len(await _messages(team.vic, general["id"])) == 1
    path = f"/api/v1/chat/channels/{general['id']}/messages"
    refused = await team.vic.client.post(path, json={"body": "me too"})
    assert refused.status_code == 403 and refused.json()["code"] == "chat_read_only"
    rules = f"/api/v1/workspaces/{team.workspace}/chat/settings"
    assert (
        await team.grace.client.patch(rules, json={"viewers_can_post": True})
    ).status_code == 403
    changed = await team.ada.client.patch(rules, json={"viewers_can_post": True})
    assert changed.status_code == 200 and changed.json()["viewers_can_post"] is True
    assert (await team.vic.client.post(path, json={"body": "me too"})).status_code == 201


async def test_bad_messages_are_refused_and_nothing_is_stored(team: Team) -> None:
    general = await team.general()
    path = f"/api/v1/chat/channels/{general['id']}/messages"
    cases = [
        ({"body": "x" * 10_001}, 422),
        ({"body": "   "}, 422),
        ({"body": "a\x00b"}, 422),
        ({"body": 5}, 422),
        ({"text": "wrong field"}, 422),
        ({"body": "ok", "thread_root_id": "not-a-uuid"}, 422),
    ]
    for body, expected in cases:
        response = await team.ada.client.post(path, json=body)
        assert response.status_code == expected, (body, response.text)
        assert response.json()["detail"]
    assert (await team.ada.client.post(path, content=b"{not json")).status_code == 422
    unknown = await team.ada.client.post(
        f"/api/v1/chat/channels/{uuid.uuid4()}/messages", json={"body": "hi"}
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "channel_not_found"
    assert await _messages(team.ada, general["id"]) == []
    channels = f"/api/v1/workspaces/{team.workspace}/chat/channels"
    for body in (
        {"name": "has space"},
        {"name": "#"},
        {"name": "x" * 81},
        {"name": "ok", "kind": "secret"},
    ):
        assert (await team.ada.client.post(channels, json=body)).status_code == 422, body
    stranger = await team.ada.client.post(
        channels, json={"name": "p", "kind": "private", "member_ids": [team.olga.id]}
    )
    assert stranger.status_code == 422 and stranger.json()["code"] == "not_workspace_members"
    taken = await team.ada.client.post(channels, json={"name": "General"})
    assert taken.status_code == 409
    names = [c["name"] for c in (await team.ada.client.get(channels)).json()]
    assert names == ["general"]


async def test_the_rate_limit_answers_429_with_retry_after(team: Team) -> None:
    general = await team.general()
    path = f"/api/v1/chat/channels/{general['id']}/messages"
    for n in range(5):  # the app's limit in this suite
        assert (await team.grace.client.post(path, json={"body": f"m{n}"})).status_code == 201
    limited = await team.grace.client.post(path, json={"body": "one more"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    # Only Grace is limited.
    assert (await team.ada.client.post(path, json={"body": "still fine"})).status_code == 201
    assert len(await _messages(team.ada, general["id"])) == 6


async def test_job_references_name_only_the_workspaces_own_jobs(team: Team) -> None:
    general = await team.general()
    ours = await submit(team.ada.client, BELL, shots=10, workspace_id=team.workspace, name="bell")
    theirs = await submit(team.olga.client, BELL, shots=10, name="hers")
    message = await team.post(
        team.grace,
        general["id"],
        f"/job {ours['id']}\nand see http://testserver/jobs/{theirs['id']}",
    )
    assert message["job_refs"] == [ours["id"]]
    cards = await team.grace.client.get(
        f"/api/v1/chat/channels/{general['id']}/jobs",
        params={"ids": [ours["id"], theirs["id"]]},
    )
    assert [(c["name"], c["status"]) for c in cards.json()] == [("bell", "queued")]


async def test_retention_deletes_old_messages_only_where_set(team: Team, chat_app) -> None:
    general = await team.general()
    old = await team.post(team.ada, general["id"], "ancient history")
    await team.post(team.ada, general["id"], "fresh")
    rules = f"/api/v1/workspaces/{team.workspace}/chat/settings"
    assert (await team.ada.client.patch(rules, json={"retention_days": "7"})).status_code == 422
    assert (await team.ada.client.patch(rules, json={"retention_days": 7})).status_code == 200
    async with database(chat_app).session() as session:
        await session.execute(
            update(ChatMessage)
            .where(ChatMessage.id == uuid.UUID(old["id"]))
            .values(created_at=utcnow() - timedelta(days=8))
        )
    async with database(chat_app).session() as session:
        assert await sweep_retention(session) == 1
    assert [m["body"] for m in await _messages(team.ada, general["id"])] == ["fresh"]
