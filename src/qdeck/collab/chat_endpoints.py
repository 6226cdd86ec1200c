"""/api/v1 chat: a workspace's channels, direct conversations, search and rules
(``/workspaces/{workspace_id}/chat/...``), and a channel's or message's own operations
(``/chat/channels/{channel_id}/...``, ``/chat/messages/{message_id}/...``).

Live: subscribe to the WebSocket topic ``chat:<channel id>`` for its messages, edits,
reactions and typing. Everything goes through ``ChannelService`` / ``ChatService``, as the
chat page does.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from qdeck.api.deps import CurrentUser, PageDep, ServicesDep, WritingServicesDep
from qdeck.api.schemas import Page
from qdeck.collab.chat_schemas import (
    ChannelCreate,
    ChannelMembersAdd,
    ChannelRead,
    ChannelUpdate,
    ChatSettingsRead,
    ChatSettingsUpdate,
    DirectOpen,
    JobCardRead,
    MessageEdit,
    MessagePost,
    MessageRead,
    ReadMark,
    ThreadRead,
)

router = APIRouter(tags=["chat"])
WORKSPACE = "/workspaces/{workspace_id}/chat"
CHANNEL = "/chat/channels/{channel_id}"
MESSAGE = "/chat/messages/{message_id}"


@router.get(f"{WORKSPACE}/channels", response_model=list[ChannelRead])
async def list_channels(
    workspace_id: uuid.UUID,
    user: CurrentUser,
    services: WritingServicesDep,
    archived: Annotated[bool, Query(description="Include archived channels")] = False,
) -> list[ChannelRead]:
    """Public channels, then your private channels and direct conversations, each with
    your unread count. The workspace's ``#general`` is made on first use."""
    return await services.channels.list(user, workspace_id, archived=archived)


@router.post(f"{WORKSPACE}/channels", response_model=ChannelRead, status_code=201)
async def create_channel(
    workspace_id: uuid.UUID, body: ChannelCreate, user: CurrentUser, services: ServicesDep
) -> ChannelRead:
    return await services.channels.create(user, workspace_id, body)


@router.post(f"{WORKSPACE}/direct", response_model=ChannelRead)
async def open_direct(
    workspace_id: uuid.UUID, body: DirectOpen, user: CurrentUser, services: ServicesDep
) -> ChannelRead:
    """Your direct conversation with a member of the workspace (made on first use)."""
    return await services.channels.open_direct(user, workspace_id, body.user_id)


@router.get(f"{WORKSPACE}/search", response_model=list[MessageRead])
async def search_messages(
    workspace_id: uuid.UUID,
    user: CurrentUser,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=200, description="Words to find")] = "",
) -> list[MessageRead]:
    """The newest 50 messages holding every word (each also as a prefix) in channels you
    can read."""
    return await services.chat.search(user, workspace_id, q)


@router.get(f"{WORKSPACE}/settings", response_model=ChatSettingsRead)
async def get_chat_settings(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> ChatSettingsRead:
    return await services.chat.rules(user, workspace_id)


@router.patch(f"{WORKSPACE}/settings", response_model=ChatSettingsRead)
async def change_chat_settings(
    workspace_id: uuid.UUID, body: ChatSettingsUpdate, user: CurrentUser, services: ServicesDep
) -> ChatSettingsRead:
    """Admins: message retention in days (null keeps them) and whether viewers may post."""
    return await services.chat.change_rules(user, workspace_id, body)


@router.get(CHANNEL, response_model=ChannelRead)
async def get_channel(channel_id: uuid.UUID, user: CurrentUser, services: ServicesDep):
    return await services.channels.get(user, channel_id)


@router.patch(CHANNEL, response_model=ChannelRead)
async def update_channel(
    channel_id: uuid.UUID, body: ChannelUpdate, user: CurrentUser, services: ServicesDep
) -> ChannelRead:
    """Rename, change the topic, archive or unarchive (its creator or an admin)."""
    return await services.channels.update(user, channel_id, body)


@router.post(f"{CHANNEL}/members", response_model=ChannelRead)
async def add_channel_members(
    channel_id: uuid.UUID, body: ChannelMembersAdd, user: CurrentUser, services: ServicesDep
) -> ChannelRead:
    return await services.channels.add_members(user, channel_id, body.user_ids)


@router.delete(f"{CHANNEL}/members/{{member_id}}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_channel_member(
    channel_id: uuid.UUID, member_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    """Leave a private channel (your own id), or remove someone (its creator or an admin)."""
    await services.channels.remove_member(user, channel_id, member_id)


@router.get(f"{CHANNEL}/messages", response_model=Page[MessageRead])
async def list_messages(
    channel_id: uuid.UUID, user: CurrentUser, services: ServicesDep, page: PageDep
) -> Page[MessageRead]:
    """Top-level messages, newest first; pass ``next_cursor`` back as ``cursor``."""
    items, cursor = await services.chat.messages(user, channel_id, page)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{CHANNEL}/messages", response_model=MessageRead, status_code=201)
async def post_message(
    channel_id: uuid.UUID, body: MessagePost, user: CurrentUser, services: ServicesDep
) -> MessageRead:
    """Markdown up to 10,000 characters. ``@handle`` (e-mail, the part before its "@", or
    the display name without spaces) and ``@channel`` notify; a job link or a line
    ``/job <id>`` shows the job's live card."""
    return await services.chat.post(user, channel_id, body.body, thread_root_id=body.thread_root_id)


@router.put(f"{CHANNEL}/read", response_model=ChannelRead)
async def mark_channel_read(
    channel_id: uuid.UUID, user: CurrentUser, services: ServicesDep, body: ReadMark | None = None
) -> ChannelRead:
    return await services.channels.mark_read(user, channel_id, body.message_id if body else None)


@router.post(f"{CHANNEL}/typing", status_code=status.HTTP_204_NO_CONTENT)
async def say_typing(channel_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    """Tell the channel you are typing (send at most every few seconds)."""
    await services.chat.typing(user, channel_id)


@router.get(f"{CHANNEL}/jobs", response_model=list[JobCardRead])
async def job_cards(
    channel_id: uuid.UUID,
    user: CurrentUser,
    services: ServicesDep,
    ids: Annotated[list[uuid.UUID], Query(max_length=200, description="Job ids")] = [],  # noqa: B006
) -> list[JobCardRead]:
    """Cards of jobs named in the channel's messages (only the workspace's own jobs)."""
    return await services.chat.job_cards(user, channel_id, ids)


@router.get(MESSAGE, response_model=MessageRead)
async def get_message(message_id: uuid.UUID, user: CurrentUser, services: ServicesDep):
    return await services.chat.get(user, message_id)


@router.patch(MESSAGE, response_model=MessageRead)
async def edit_message(
    message_id: uuid.UUID, body: MessageEdit, user: CurrentUser, services: ServicesDep
) -> MessageRead:
    """Your own messages; readers see an "edited" marker."""
    return await services.chat.edit(user, message_id, body.body)


@router.delete(MESSAGE, status_code=status.HTTP_204_NO_CONTENT)
async def delete_message(message_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    """Your own messages; admins can delete anyone's. The text is removed at once."""
    await services.chat.delete(user, message_id)


@router.get(f"{MESSAGE}/thread", response_model=ThreadRead)
async def get_thread(message_id: uuid.UUID, user: CurrentUser, services: ServicesDep):
    return await services.chat.thread(user, message_id)


@router.put(f"{MESSAGE}/reactions/{{emoji}}", response_model=MessageRead)
async def add_reaction(
    message_id: uuid.UUID, emoji: str, user: CurrentUser, services: ServicesDep
) -> MessageRead:
    """One of 👍 ❤️ 😄 🎉 🤔 👀 🚀 ✅ ❌ ⚛️ (URL-encoded)."""
    return await services.chat.react(user, message_id, emoji, on=True)


@router.delete(f"{MESSAGE}/reactions/{{emoji}}", response_model=MessageRead)
async def remove_reaction(
    message_id: uuid.UUID, emoji: str, user: CurrentUser, services: ServicesDep
) -> MessageRead:
    return await services.chat.react(user, message_id, emoji, on=False)
