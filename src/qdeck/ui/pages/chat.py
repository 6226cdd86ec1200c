"""Workspace chat (/chat): channels, private channels and direct conversations with
unread counts, messages with threads, reactions, edits and deletions, mentions, typing
indicators, a "new messages" line, search, job cards that follow their job live, and
``/run`` drafts. Through ``ChannelService`` / ``ChatService``, like the API; everything
arrives live from the outbox events of ``collab/chat_events.py``."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.collab import chat_events
from qdeck.collab.chat_schemas import (
    MAX_MESSAGE_CHARS,
    ChannelCreate,
    ChannelRead,
    JobCardRead,
    MessageRead,
)
from qdeck.collab.models import ChannelKind
from qdeck.db.keyset import PageRequest
from qdeck.errors import QdeckError
from qdeck.events.bus import Event
from qdeck.jobs.schemas import JobCreate
from qdeck.ui.components.badges import empty_state
from qdeck.ui.components.chat_message import MessageActions, message_row
from qdeck.ui.components.chat_run import RunDraft, is_run_command, parse_run
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, choose_workspace, current_viewer, to_log_in
from qdeck.workspaces.access import Action, allows

CSS = Path(__file__).parent.parent / "components" / "chat.css"
PAGE = 50
TYPING_SECONDS = 5.0


class ChatPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.me = viewer.user.id
        self.channels: list[ChannelRead] = []
        self.current: ChannelRead | None = None
        self.messages: list[MessageRead] = []  # oldest first
        self.cursor: str | None = None
        self.read_before = None
        self.cards: dict[uuid.UUID, JobCardRead] = {}
        self.can_post = False
        self.typing: dict[str, float] = {}
        self.thread_root: MessageRead | None = None
        self.thread_replies: list[MessageRead] = []
        self.members: list = []

    @property
    def can_moderate(self) -> bool:
        return not self.viewer.workspace_lost and allows(
            self.viewer.workspace.role, Action.MODERATE_CHAT
        )

    # -- loading ---------------------------------------------------------------------------

    async def load(self, channel_id: uuid.UUID | None = None) -> None:
        async with self.viewer.qdeck.writing() as services:
            self.channels = await services.channels.list(self.viewer.user, self.viewer.workspace.id)
            members, _ = await services.workspaces.list_members(
                self.viewer.user, self.viewer.workspace.id, PageRequest(limit=200)
            )
            self.members = members
        wanted = next((c for c in self.channels if c.id == channel_id), None)
        self.current = wanted or next((c for c in self.channels if c.name == "general"), None)
        if self.current is not None:
            await self._open(self.current)

    async def _open(self, channel: ChannelRead) -> None:
        self.current = channel
        self.read_before = channel.last_read_at
        self.typing.clear()
        async with self.viewer.qdeck.reading() as services:
            page, self.cursor = await services.chat.messages(
                self.viewer.user, channel.id, PageRequest(limit=PAGE)
            )
            self.can_post = await services.chat.can_post(self.viewer.user, channel.id)
        self.messages = list(reversed(page))
        await self._load_cards(self.messages)
        await self._mark_read()

    async def _load_cards(self, messages: list[MessageRead]) -> None:
        wanted = [j for m in messages for j in m.job_refs]
        if not wanted or self.current is None:
            return
        async with self.viewer.qdeck.reading() as services:
            cards = await services.chat.job_cards(self.viewer.user, self.current.id, wanted)
        self.cards.update({c.id: c for c in cards})

    async def _mark_read(self) -> None:
        if self.current is None:
            return
        async with self.viewer.qdeck.writing() as services:
            fresh = await services.channels.mark_read(self.viewer.user, self.current.id, None)
        self._replace_channel(fresh)

    def _replace_channel(self, fresh: ChannelRead) -> None:
        self.channels = [fresh if c.id == fresh.id else c for c in self.channels]

    # -- building --------------------------------------------------------------------------

    def build(self) -> None:
        ui.add_css(CSS)
        with page_heading("Chat", f"Talk with {self.viewer.workspace.name}"):
            self.search = (
                ui.input(placeholder="Search messages")
                .props('dense outlined clearable aria-label="Search messages"')
                .classes("w-full sm:w-72")
                .on("keydown.enter", self._search)
                .mark("chat-search")
            )
            with self.search.add_slot("prepend"):
                ui.icon("search")
        self.phone_picker = ui.column().classes("w-full lt-md gap-2")
        with ui.row().classes("w-full no-wrap items-start gap-4"):
            self.sidebar = ui.column().classes("w-64 shrink-0 gap-1 gt-sm").mark("chat-channels")
            with ui.card().classes("qd-card flex-1 min-w-0 p-0 gap-0").mark("chat-pane"):
                self.header = ui.row().classes(
                    "qd-chat-header w-full items-center gap-2 px-4 py-3 no-wrap"
                )
                self.scroll = ui.scroll_area().classes("qd-chat-list w-full")
                with self.scroll:
                    self.list = ui.column().classes("w-full gap-0 py-2").mark("chat-list")
                self.typing_label = (
                    ui.label("").classes("text-xs qd-muted px-4 h-4").mark("chat-typing")
                )
                self.composer_box = ui.column().classes("w-full px-3 pb-3 pt-1 gap-1")
        ui.timer(1.0, self._expire_typing)
        self.render_all()

    def render_all(self) -> None:
        self.render_channels()
        self.render_header()
        self.render_messages()
        self.render_composer()

    def render_channels(self) -> None:
        for box in (self.sidebar, self.phone_picker):
            box.clear()
        with self.sidebar:
            with ui.row().classes("w-full items-center justify-between"):
                ui.label("Channels").classes("text-xs font-semibold uppercase qd-muted")
                with ui.row().classes("gap-0"):
                    if self.viewer.can_write:
                        ui.button(icon="add", on_click=self._new_channel).props(
                            'flat round dense size=sm aria-label="New channel"'
                        ).mark("chat-new-channel")
                    ui.button(icon="person_add", on_click=self._new_direct).props(
                        'flat round dense size=sm aria-label="Message someone"'
                    ).mark("chat-new-direct")
            with ui.list().props("dense").classes("w-full"):
                for channel in self.channels:
                    self._channel_item(channel)
        with self.phone_picker:
            options = {str(c.id): _label(c) for c in self.channels}
            ui.select(
                options,
                value=str(self.current.id) if self.current else None,
                on_change=lambda e: self._switch(uuid.UUID(e.value)) if e.value else None,
            ).props('dense outlined aria-label="Channel"').classes("w-full").mark(
                "chat-channel-select"
            )

    def _channel_item(self, channel: ChannelRead) -> None:
        active = self.current is not None and channel.id == self.current.id
        icon = {"public": "tag", "private": "lock", "direct": "person"}[channel.kind.value]
        with (
            ui.item(on_click=lambda c=channel: self._switch(c.id))
            .classes("rounded-lg" + (" q-item--active" if active else ""))
            .props(f'{"active" if active else ""} data-channel="{channel.name}"')
            .mark("chat-channel")
        ):
            with ui.item_section().props("avatar").classes("min-w-0"):
                ui.icon(icon, size="18px")
            with ui.item_section():
                ui.item_label(channel.title.lstrip("#")).classes(
                    "truncate" + (" font-bold" if channel.unread else "")
                )
            if channel.unread:
                with ui.item_section().props("side"):
                    ui.badge(str(min(channel.unread, 99)), color="negative").props(
                        f'rounded aria-label="{channel.unread} unread"'
                    ).mark("chat-unread")

    def render_header(self) -> None:
        self.header.clear()
        with self.header:
            if self.current is None:
                ui.label("No channel").classes("font-bold")
                return
            ui.label(self.current.title).classes("font-bold text-lg truncate").mark(
                "chat-channel-title"
            )
            if self.current.topic:
                ui.label(self.current.topic).classes("text-sm qd-muted truncate gt-xs")
            ui.space()
            if self.current.kind is ChannelKind.PRIVATE:
                ui.label(f"{len(self.current.member_ids)} members").classes("text-xs qd-muted")

    def render_messages(self) -> None:
        self.list.clear()
        with self.list:
            if self.current is None:
                return
            if self.cursor:
                ui.button("Show earlier messages", on_click=self._earlier).props(
                    "flat dense no-caps"
                ).classes("self-center").mark("chat-earlier")
            if not self.messages:
                empty_state(
                    "forum",
                    "No messages yet",
                    "Say hello, mention someone with @name, or paste a job link to share "
                    "its live status.",
                )
            line_drawn = False
            for message in self.messages:
                # Never opened: everything by others is new.
                if (
                    not line_drawn
                    and (self.read_before is None or message.created_at > self.read_before)
                    and message.author.id != self.me
                ):
                    line_drawn = True
                    with (
                        ui.row()
                        .classes("w-full qd-chat-new mt-2 justify-end")
                        .mark("chat-new-line")
                    ):
                        ui.label("New messages").classes("qd-chat-new-label px-2")
                message_row(
                    message,
                    me=self.me,
                    can_post=self.can_post,
                    can_moderate=self.can_moderate,
                    cards=self.cards,
                    actions=self._actions(),
                )
        self.scroll.scroll_to(percent=1.0)

    def render_composer(self) -> None:
        self.composer_box.clear()
        with self.composer_box:
            if self.current is None:
                return
            if not self.can_post:
                reason = (
                    "This channel is archived."
                    if self.current.archived
                    else "You can read this chat; your role cannot post here."
                )
                ui.label(reason).classes("text-sm qd-muted py-2").mark("chat-read-only")
                return
            with ui.row().classes("w-full no-wrap items-end gap-2"):
                self.composer = (
                    ui.textarea(placeholder=f"Message {self.current.title}")
                    .props(
                        f"autogrow outlined dense maxlength={MAX_MESSAGE_CHARS} "
                        'aria-label="Message"'
                    )
                    .classes("flex-1")
                    .mark("chat-input")
                )
                # Enter sends, Shift+Enter starts a new line.
                self.composer.on("keydown.enter.exact.prevent", self._send)
                self.composer.on("keydown", self._typed, throttle=3.0)
                ui.button(icon="send", on_click=self._send).props(
                    'round unelevated color=primary aria-label="Send"'
                ).mark("chat-send")
            ui.label(
                "Markdown, @name to mention, /job <id> for a live job card, "
                "/run bell on aer_simulator to draft a job"
            ).classes("text-xs qd-muted gt-xs")

    def _actions(self) -> MessageActions:
        return MessageActions(
            react=self._react, thread=self._open_thread, edit=self._edit, delete=self._delete
        )

    # -- doing -----------------------------------------------------------------------------

    async def _switch(self, channel_id: uuid.UUID) -> None:
        channel = next((c for c in self.channels if c.id == channel_id), None)
        if channel is None or (self.current and channel.id == self.current.id):
            return
        await self._open(channel)
        self.render_all()

    async def _earlier(self) -> None:
        if self.current is None or not self.cursor:
            return
        async with self.viewer.qdeck.reading() as services:
            page, self.cursor = await services.chat.messages(
                self.viewer.user, self.current.id, PageRequest(cursor=self.cursor, limit=PAGE)
            )
        older = list(reversed(page))
        await self._load_cards(older)
        self.messages = [*older, *self.messages]
        self.render_messages()
        self.scroll.scroll_to(percent=0.0)

    async def _send(self) -> None:
        if self.current is None:
            return
        text = (self.composer.value or "").strip()
        if not text:
            return
        if is_run_command(text):
            try:
                draft = parse_run(text)
            except ValueError as exc:
                ui.notify(str(exc), type="warning", multi_line=True)
                return
            self._confirm_run(draft)
            return
        async with self.viewer.qdeck.writing() as services:
            posted = await attempt(services.chat.post(self.viewer.user, self.current.id, text))
        if posted is not None:
            self.composer.value = ""
            self._add(posted)

    def _confirm_run(self, draft: RunDraft) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg").mark("run-draft"):
            ui.label(f"Run {draft.sample.title} on {draft.backend}?").classes("text-lg font-bold")
            ui.label(f"{draft.sample.description} {draft.shots} shots.").classes("text-sm")
            ui.code(draft.sample.source, language="qasm").classes("w-full text-xs")

            async def submit() -> None:
                await self._run(draft)
                dialog.close()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Submit and post", icon="play_arrow", on_click=submit).props(
                    "unelevated no-caps color=primary"
                ).mark("run-submit")
        dialog.open()

    async def _run(self, draft: RunDraft) -> None:
        assert self.current is not None
        try:
            body = JobCreate(
                workspace_id=self.viewer.workspace.id,
                backend=draft.backend,
                circuits=[{"source": draft.sample.source}],  # type: ignore[list-item]
                shots=draft.shots,
                name=f"{draft.sample.key} from chat",
            )
        except ValueError as exc:
            ui.notify(str(exc).splitlines()[-1], type="negative", multi_line=True)
            return
        async with self.viewer.qdeck.writing() as services:
            job = await attempt(services.jobs.submit(self.viewer.user, body))
            if job is None:
                return
            posted = await attempt(
                services.chat.post(self.viewer.user, self.current.id, f"/job {job.id}")
            )
        if posted is not None:
            self.composer.value = ""
            await self._load_cards([posted])
            self._add(posted)

    def _add(self, message: MessageRead) -> None:
        if message.thread_root_id is not None:
            root = self.thread_root
            fresh = all(r.id != message.id for r in self.thread_replies)
            if root and message.thread_root_id == root.id and fresh:
                self.thread_replies.append(message)
                self._render_thread()
            return
        if all(m.id != message.id for m in self.messages):
            self.messages.append(message)
            self.render_messages()

    def _changed(self, message: MessageRead) -> None:
        self.messages = [message if m.id == message.id else m for m in self.messages]
        if self.thread_root and self.thread_root.id == message.id:
            self.thread_root = message
            self._render_thread()
        if any(r.id == message.id for r in self.thread_replies):
            self.thread_replies = [
                message if r.id == message.id else r for r in self.thread_replies
            ]
            self._render_thread()
        self.render_messages()

    async def _react(self, message: MessageRead, emoji: str, on: bool) -> None:
        async with self.viewer.qdeck.writing() as services:
            changed = await attempt(services.chat.react(self.viewer.user, message.id, emoji, on=on))
        if changed is not None:
            self._changed(changed)

    async def _edit(self, message: MessageRead) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg").mark("chat-edit-dialog"):
            ui.label("Edit message").classes("text-lg font-bold")
            box = ui.textarea(value=message.body).props("autogrow outlined").classes("w-full")

            async def save() -> None:
                async with self.viewer.qdeck.writing() as services:
                    changed = await attempt(
                        services.chat.edit(self.viewer.user, message.id, box.value or "")
                    )
                if changed is not None:
                    dialog.close()
                    self._changed(changed)

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Save", on_click=save).props("unelevated no-caps color=primary").mark(
                    "chat-edit-save"
                )
        dialog.open()

    async def _delete(self, message: MessageRead) -> None:
        async with self.viewer.qdeck.writing() as services:
            changed = await attempt(services.chat.delete(self.viewer.user, message.id))
        if changed is not None:
            self._changed(changed)

    async def _typed(self) -> None:
        if self.current is not None and self.can_post:
            async with self.viewer.qdeck.writing() as services:
                await attempt(services.chat.typing(self.viewer.user, self.current.id))

    def _expire_typing(self) -> None:
        now = time.monotonic()
        self.typing = {name: until for name, until in self.typing.items() if until > now}
        names = sorted(self.typing)
        text = ""
        if len(names) == 1:
            text = f"{names[0]} is typing…"
        elif names:
            text = f"{', '.join(names)} are typing…"
        if self.typing_label.text != text:
            self.typing_label.text = text

    # -- threads ---------------------------------------------------------------------------

    async def _open_thread(self, message: MessageRead) -> None:
        async with self.viewer.qdeck.reading() as services:
            thread = await attempt(services.chat.thread(self.viewer.user, message.id))
        if thread is None:
            return
        self.thread_root, self.thread_replies = thread.root, thread.replies
        await self._load_cards([thread.root, *thread.replies])
        with (
            ui.dialog().props("position=right full-height") as self.thread_dialog,
            ui.card().classes("qd-card w-full sm:w-[28rem] h-full gap-2").mark("chat-thread"),
        ):
            with ui.row().classes("w-full items-center"):
                ui.label("Thread").classes("text-lg font-bold")
                ui.space()
                ui.button(icon="close", on_click=self.thread_dialog.close).props(
                    'flat round dense aria-label="Close thread"'
                )
            self.thread_box = ui.column().classes("w-full gap-0 flex-1 overflow-auto")
            if self.can_post:
                reply = (
                    ui.textarea(placeholder="Reply in thread")
                    .props(
                        f'autogrow outlined dense maxlength={MAX_MESSAGE_CHARS} aria-label="Reply"'
                    )
                    .classes("w-full")
                    .mark("chat-thread-input")
                )

                async def send_reply() -> None:
                    text = (reply.value or "").strip()
                    if not text or self.thread_root is None or self.current is None:
                        return
                    async with self.viewer.qdeck.writing() as services:
                        posted = await attempt(
                            services.chat.post(
                                self.viewer.user,
                                self.current.id,
                                text,
                                thread_root_id=self.thread_root.id,
                            )
                        )
                    if posted is not None:
                        reply.value = ""
                        self._add(posted)

                reply.on("keydown.enter.exact.prevent", send_reply)
                ui.button("Reply", icon="reply", on_click=send_reply).props(
                    "unelevated no-caps color=primary"
                ).classes("self-end").mark("chat-thread-send")
        self.thread_dialog.on("hide", self._close_thread)
        self._render_thread()
        self.thread_dialog.open()

    def _close_thread(self) -> None:
        self.thread_root, self.thread_replies = None, []

    def _render_thread(self) -> None:
        if self.thread_root is None:
            return
        self.thread_box.clear()
        with self.thread_box:
            for message in [self.thread_root, *self.thread_replies]:
                message_row(
                    message,
                    me=self.me,
                    can_post=self.can_post,
                    can_moderate=self.can_moderate,
                    cards=self.cards,
                    actions=self._actions(),
                    in_thread=True,
                )

    # -- dialogs ---------------------------------------------------------------------------

    def _new_channel(self) -> None:
        others = {str(m.user_id): m.display_name for m in self.members if m.user_id != self.me}
        with (
            ui.dialog() as dialog,
            ui.card().classes("w-full max-w-md").mark("chat-channel-dialog"),
        ):
            ui.label("New channel").classes("text-lg font-bold")
            name = (
                ui.input("Name", placeholder="ghz-runs").props("outlined dense").classes("w-full")
            )
            topic = ui.input("Topic (optional)").props("outlined dense").classes("w-full")
            kind = ui.toggle({"public": "Public", "private": "Private"}, value="public").props(
                "no-caps"
            )
            people = (
                ui.select(others, multiple=True, label="Members (private channels)")
                .props("outlined dense use-chips")
                .classes("w-full")
            )
            people.bind_visibility_from(kind, "value", value="private")

            async def create() -> None:
                try:
                    body = ChannelCreate(
                        name=name.value or "",
                        kind=kind.value,
                        topic=topic.value or "",
                        member_ids=[uuid.UUID(p) for p in people.value or []]
                        if kind.value == "private"
                        else [],
                    )
                except ValueError as exc:
                    ui.notify(str(exc).splitlines()[-1], type="negative")
                    return
                async with self.viewer.qdeck.writing() as services:
                    made = await attempt(
                        services.channels.create(self.viewer.user, self.viewer.workspace.id, body)
                    )
                if made is not None:
                    dialog.close()
                    self.channels.append(made)
                    await self._open(made)
                    await self._reload_channels()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Create", on_click=create).props("unelevated no-caps color=primary").mark(
                    "chat-create-channel"
                )
        dialog.open()

    def _new_direct(self) -> None:
        others = {str(m.user_id): m.display_name for m in self.members if m.user_id != self.me}
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-md").mark("chat-direct-dialog"):
            ui.label("Message someone").classes("text-lg font-bold")
            if not others:
                ui.label("Nobody else is in this workspace yet.").classes("qd-muted")
            person = ui.select(others, label="Person").props("outlined dense").classes("w-full")

            async def open_it() -> None:
                if not person.value:
                    return
                async with self.viewer.qdeck.writing() as services:
                    made = await attempt(
                        services.channels.open_direct(
                            self.viewer.user, self.viewer.workspace.id, uuid.UUID(person.value)
                        )
                    )
                if made is not None:
                    dialog.close()
                    await self._reload_channels()
                    await self._open(made)
                    self.render_all()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Open", on_click=open_it).props("unelevated no-caps color=primary").mark(
                    "chat-open-direct"
                )
        dialog.open()

    async def _search(self) -> None:
        query = (self.search.value or "").strip()
        if not query:
            return
        async with self.viewer.qdeck.reading() as services:
            found = await attempt(
                services.chat.search(self.viewer.user, self.viewer.workspace.id, query)
            )
        if found is None:
            return
        titles = {c.id: c.title for c in self.channels}
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl").mark("chat-results"):
            ui.label(f"{len(found)} message{'s' if len(found) != 1 else ''} for “{query}”").classes(
                "text-lg font-bold"
            )
            with ui.column().classes("w-full gap-1 max-h-[60vh] overflow-auto"):
                for message in found:
                    with (
                        ui.item(
                            on_click=lambda m=message: (dialog.close(), self._switch(m.channel_id))[
                                1
                            ]
                        )
                        .classes("w-full rounded")
                        .mark("chat-result"),
                        ui.column().classes("gap-0 w-full"),
                    ):
                        ui.label(
                            f"{titles.get(message.channel_id, '')} · {message.author.name}"
                        ).classes("text-xs qd-muted")
                        ui.html(message.html, sanitize=False).classes("qd-chat-body text-sm")
            ui.button("Close", on_click=dialog.close).props("flat no-caps").classes("self-end")
        dialog.open()

    # -- live ------------------------------------------------------------------------------

    async def _reload_channels(self) -> None:
        # Reading: #general was made when the page loaded, and this runs on live events,
        # where a writing unit of work per open page would queue on SQLite's one writer.
        async with self.viewer.qdeck.reading() as services:
            self.channels = await services.channels.list(self.viewer.user, self.viewer.workspace.id)
        if self.current is not None:
            self.current = next((c for c in self.channels if c.id == self.current.id), None)
        self.render_channels()

    async def on_events(self, events: list[Event]) -> None:
        ws = self.viewer.workspace.id
        counts_stale = channels_stale = False
        new_cards: list[MessageRead] = []
        job_changed = False
        for event in events:
            if event.job_id is not None and event.job_id in self.cards:
                job_changed = True
            if event.type == chat_events.READ and event.user_id == self.me:
                counts_stale = True
                continue
            if event.type not in chat_events.CHANNEL_EVENTS or event.workspace_id != ws:
                continue
            if not chat_events.visible_to(event, self.me):
                continue
            here = self.current is not None and event.data.get("channel_id") == str(self.current.id)
            if event.type == chat_events.CHANNEL_CHANGED:
                channels_stale = True
            elif event.type == chat_events.TYPING:
                if here and event.data.get("user_id") != str(self.me):
                    self.typing[str(event.data.get("name"))] = time.monotonic() + TYPING_SECONDS
            elif event.type in (chat_events.MESSAGE_POSTED, chat_events.MESSAGE_CHANGED):
                message = MessageRead.model_validate(event.data["message"])
                if not here:
                    counts_stale = counts_stale or event.type == chat_events.MESSAGE_POSTED
                    continue
                if message.job_refs:
                    new_cards.append(message)
                if event.type == chat_events.MESSAGE_POSTED:
                    self.typing.pop(message.author.name, None)
                    self._add(message)
                else:
                    self._changed(message)
        if new_cards:
            await self._load_cards(new_cards)
            self.render_messages()
        if job_changed:
            await self._refresh_cards()
        if channels_stale:
            await self._reload_channels()
            if self.current is None:  # removed from the private channel on screen
                await self.load()
                self.render_all()
        elif counts_stale:
            await self._reload_channels()
        self._expire_typing()

    async def _refresh_cards(self) -> None:
        if self.current is None:
            return
        async with self.viewer.qdeck.reading() as services:
            cards = await services.chat.job_cards(
                self.viewer.user, self.current.id, list(self.cards)
            )
        self.cards.update({c.id: c for c in cards})
        self.render_messages()
        if self.thread_root is not None:
            self._render_thread()

    async def resync(self) -> None:
        await self.load(self.current.id if self.current else None)
        self.render_all()


async def _linked_channel(viewer: Viewer, raw: str) -> ChannelRead | None:
    """The channel a ``?channel=`` link names, if the viewer may see it."""
    try:
        channel_id = uuid.UUID(raw) if raw else None
    except ValueError:
        return None
    if channel_id is None:
        return None
    async with viewer.qdeck.reading() as services:
        try:
            return await services.channels.get(viewer.user, channel_id)
        except QdeckError:
            return None


def _label(channel: ChannelRead) -> str:
    return channel.title + (f" ({channel.unread})" if channel.unread else "")


def register() -> None:
    @ui.page("/chat", title="Chat · qdeck", response_timeout=PAGE_WAIT)
    async def chat_page(request: Request, channel: str = "") -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        wanted = await _linked_channel(viewer, channel)
        if wanted is not None and wanted.workspace_id != viewer.workspace.id:
            # A link (a mention's notification) into another of the viewer's workspaces.
            choose_workspace(viewer, wanted.workspace_id)
            return RedirectResponse(viewer.path, status_code=303)
        page = ChatPage(viewer)
        await page.load(wanted.id if wanted else None)
        with frame(viewer, "Chat", active="chat") as live:
            page.build()
            live.on_events(page.on_events)
            live.on_resync(page.resync)
            live.on_access_changed(page.resync)
        return None
