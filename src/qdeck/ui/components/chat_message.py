"""One chat message on the page: author, time, the server-rendered body, the "edited"
marker, reactions, thread link, actions, and cards of the jobs it names."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from nicegui import ui

from qdeck.collab.chat_schemas import REACTIONS, JobCardRead, MessageRead
from qdeck.ui.components.badges import status_badge

Action = Callable[[MessageRead], Awaitable[None]]


@dataclass
class MessageActions:
    react: Callable[[MessageRead, str, bool], Awaitable[None]]
    thread: Action
    edit: Action
    delete: Action


def _time(moment: datetime) -> str:
    return f"{moment:%b %d, %H:%M}"


def _initials(name: str) -> str:
    parts = name.split()
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def message_row(
    message: MessageRead,
    *,
    me: uuid.UUID,
    can_post: bool,
    can_moderate: bool,
    cards: dict[uuid.UUID, JobCardRead],
    actions: MessageActions,
    in_thread: bool = False,
) -> None:
    with (
        ui.row()
        .classes("qd-chat-message w-full no-wrap items-start gap-3 px-3 py-2 rounded")
        .mark("chat-message")
        .props(f'data-message="{message.id}"')
    ):
        ui.avatar(_initials(message.author.name), color="primary", text_color="white").props(
            'size="34px" font-size="13px" aria-hidden="true"'
        )
        with ui.column().classes("gap-0 flex-1 min-w-0"):
            with ui.row().classes("items-baseline gap-2"):
                ui.label(message.author.name).classes("font-semibold text-sm").mark("chat-author")
                ui.label(_time(message.created_at)).classes("text-xs qd-muted")
                if message.edited_at and not message.deleted:
                    ui.label("(edited)").classes("text-xs qd-muted").mark("chat-edited")
            if message.deleted:
                ui.label("This message was deleted.").classes("text-sm qd-muted italic").mark(
                    "chat-deleted"
                )
                return
            # The HTML comes from collab/markdown.py, which allows only vetted tags and links.
            ui.html(message.html, sanitize=False).classes("qd-chat-body text-sm w-full").mark(
                "chat-body"
            )
            for job_id in message.job_refs:
                if job_id in cards:
                    job_card(cards[job_id])
            _reactions(message, me, can_post, actions)
            if not in_thread and message.reply_count:
                ui.button(
                    f"{message.reply_count} repl{'y' if message.reply_count == 1 else 'ies'}",
                    icon="forum",
                    on_click=lambda m=message: actions.thread(m),
                ).props("flat dense no-caps size=sm").classes("self-start").mark("chat-replies")
        if can_post or can_moderate:
            _menu(message, me, can_post, can_moderate, in_thread, actions)


def _reactions(message: MessageRead, me: uuid.UUID, can_post: bool, actions: MessageActions):
    if not message.reactions:
        return
    with ui.row().classes("gap-1 mt-1"):
        for reaction in message.reactions:
            mine = me in reaction.user_ids
            chip = ui.chip(
                f"{reaction.emoji} {len(reaction.user_ids)}",
                on_click=(lambda r=reaction, m=mine: actions.react(message, r.emoji, not m))
                if can_post
                else None,
            ).props(f"dense {'outline' if not mine else ''} color=primary")
            chip.props(f'aria-label="{reaction.emoji} {len(reaction.user_ids)}"').mark(
                "chat-reaction"
            )


def _menu(
    message: MessageRead,
    me: uuid.UUID,
    can_post: bool,
    can_moderate: bool,
    in_thread: bool,
    actions: MessageActions,
) -> None:
    with (
        ui.button(icon="more_vert")
        .props('flat round dense size=sm aria-label="Message actions"')
        .mark("chat-actions"),
        ui.menu(),
    ):
        if can_post:
            with ui.row().classes("gap-0 px-2"):
                for emoji in REACTIONS:
                    ui.button(
                        emoji, on_click=lambda e=emoji: actions.react(message, e, True)
                    ).props(f'flat dense aria-label="React {emoji}"').mark("chat-react")
            if not in_thread and message.thread_root_id is None:
                ui.menu_item("Reply in thread", on_click=lambda: actions.thread(message)).mark(
                    "chat-reply"
                )
        if message.author.id == me and can_post:
            ui.menu_item("Edit", on_click=lambda: actions.edit(message)).mark("chat-edit")
        if message.author.id == me or can_moderate:
            ui.menu_item("Delete", on_click=lambda: actions.delete(message)).mark("chat-delete")


def job_card(card: JobCardRead) -> None:
    with (
        ui.card()
        .classes("qd-card p-2 mt-1 gap-1 w-full max-w-md")
        .mark("job-card")
        .props(f'data-job="{card.id}"')
    ):
        with ui.row().classes("w-full items-center gap-2 no-wrap"):
            ui.icon("science", color="primary", size="20px")
            ui.link(card.name or "Untitled job", f"/jobs/{card.id}").classes(
                "qd-link font-medium truncate flex-1 min-w-0"
            )
            status_badge(card.status).mark("job-card-status")
        shots = f" · {card.shots} shots" if card.shots else ""
        ui.label(f"{card.backend}{shots}").classes("text-xs qd-muted")
