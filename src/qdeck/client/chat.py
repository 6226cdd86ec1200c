"""Workspace chat from Python: ``client.chat`` (channels, history, post, reply, edit,
delete, react, mark read, search), on the sync and the async client. The models are the
server's own (``qdeck.collab.chat_schemas``). Live messages: subscribe to the WebSocket
topic ``chat:<channel id>``."""

from __future__ import annotations

from urllib.parse import quote

from qdeck.api.schemas import Page
from qdeck.client.calls import _many, _nothing, _one, _page
from qdeck.client.resources import AsyncSender, Sender
from qdeck.client.transport import Call
from qdeck.collab.chat_schemas import ChannelRead, MessageRead, ThreadRead


def channels(workspace_id: str) -> Call[list[ChannelRead]]:
    return Call("GET", f"/workspaces/{workspace_id}/chat/channels", _many(ChannelRead))


def create_channel(
    workspace_id: str, name: str, private: bool, topic: str, member_ids: list[str]
) -> Call[ChannelRead]:
    body = {"name": name, "kind": "private" if private else "public", "topic": topic}
    if member_ids:
        body["member_ids"] = member_ids  # type: ignore[assignment]
    return Call(
        "POST", f"/workspaces/{workspace_id}/chat/channels", _one(ChannelRead), json=body,
        idempotent=False, what="the channel",
    )  # fmt: skip


def messages(channel_id: str, cursor: str | None, limit: int) -> Call[Page[MessageRead]]:
    params: dict[str, object] = {"limit": limit}
    if cursor:
        params["cursor"] = cursor
    return Call("GET", f"/chat/channels/{channel_id}/messages", _page(MessageRead), params=params)


def post(channel_id: str, body: str, thread_root_id: str | None) -> Call[MessageRead]:
    payload = {"body": body, **({"thread_root_id": thread_root_id} if thread_root_id else {})}
    return Call(
        "POST", f"/chat/channels/{channel_id}/messages", _one(MessageRead), json=payload,
        idempotent=False, what="the message",
    )  # fmt: skip


class _Calls:
    """The calls both clients make; each sends them its own way."""

    @staticmethod
    def thread(message_id: str) -> Call[ThreadRead]:
        return Call("GET", f"/chat/messages/{message_id}/thread", _one(ThreadRead))

    @staticmethod
    def edit(message_id: str, body: str) -> Call[MessageRead]:
        return Call("PATCH", f"/chat/messages/{message_id}", _one(MessageRead), json={"body": body})

    @staticmethod
    def delete(message_id: str) -> Call[None]:
        return Call("DELETE", f"/chat/messages/{message_id}", _nothing)

    @staticmethod
    def react(message_id: str, emoji: str, on: bool) -> Call[MessageRead]:
        path = f"/chat/messages/{message_id}/reactions/{quote(emoji, safe='')}"
        return Call("PUT" if on else "DELETE", path, _one(MessageRead))

    @staticmethod
    def read(channel_id: str) -> Call[ChannelRead]:
        return Call("PUT", f"/chat/channels/{channel_id}/read", _one(ChannelRead))

    @staticmethod
    def search(workspace_id: str, query: str) -> Call[list[MessageRead]]:
        path = f"/workspaces/{workspace_id}/chat/search"
        return Call("GET", path, _many(MessageRead), params={"q": query})


class Chat:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def channels(self, workspace_id: str) -> list[ChannelRead]:
        return self._c._send(channels(workspace_id))

    def create_channel(
        self,
        workspace_id: str,
        name: str,
        *,
        private: bool = False,
        topic: str = "",
        member_ids: list[str] | None = None,
    ) -> ChannelRead:
        return self._c._send(create_channel(workspace_id, name, private, topic, member_ids or []))

    def messages(
        self, channel_id: str, *, cursor: str | None = None, limit: int = 50
    ) -> Page[MessageRead]:
        """Top-level messages, newest first."""
        return self._c._send(messages(channel_id, cursor, limit))

    def post(self, channel_id: str, body: str, *, thread_root_id: str | None = None) -> MessageRead:
        return self._c._send(post(channel_id, body, thread_root_id))

    def thread(self, message_id: str) -> ThreadRead:
        return self._c._send(_Calls.thread(message_id))

    def edit(self, message_id: str, body: str) -> MessageRead:
        return self._c._send(_Calls.edit(message_id, body))

    def delete(self, message_id: str) -> None:
        self._c._send(_Calls.delete(message_id))

    def react(self, message_id: str, emoji: str, *, on: bool = True) -> MessageRead:
        return self._c._send(_Calls.react(message_id, emoji, on))

    def read(self, channel_id: str) -> ChannelRead:
        return self._c._send(_Calls.read(channel_id))

    def search(self, workspace_id: str, query: str) -> list[MessageRead]:
        return self._c._send(_Calls.search(workspace_id, query))


class AsyncChat:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def channels(self, workspace_id: str) -> list[ChannelRead]:
        return await self._c._send(channels(workspace_id))

    async def messages(
        self, channel_id: str, *, cursor: str | None = None, limit: int = 50
    ) -> Page[MessageRead]:
        return await self._c._send(messages(channel_id, cursor, limit))

    async def post(
        self, channel_id: str, body: str, *, thread_root_id: str | None = None
    ) -> MessageRead:
        return await self._c._send(post(channel_id, body, thread_root_id))

    async def react(self, message_id: str, emoji: str, *, on: bool = True) -> MessageRead:
        return await self._c._send(_Calls.react(message_id, emoji, on))

    async def read(self, channel_id: str) -> ChannelRead:
        return await self._c._send(_Calls.read(channel_id))

    async def search(self, workspace_id: str, query: str) -> list[MessageRead]:
        return await self._c._send(_Calls.search(workspace_id, query))
