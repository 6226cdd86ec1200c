"""The workspace's activity feed, newest first, growing live."""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from qdeck.activity.models import ActivityEntry
from qdeck.db.types import utcnow
from qdeck.events.bus import Event

MAX_ENTRIES = 12
VERB_ICONS = {
    "job.submitted": ("send", "primary"),
    "job.completed": ("check_circle", "positive"),
    "job.failed": ("error", "negative"),
    "job.cancelled": ("block", "grey-7"),
    "session.opened": ("layers", "info"),
    "session.closed": ("layers_clear", "grey-7"),
    "member.joined": ("person_add", "accent"),
    "member.left": ("person_remove", "grey-7"),
    "project.created": ("folder", "accent"),
}


def ago(at: datetime) -> str:
    delta = (utcnow() - at).total_seconds()
    if delta < 60:
        return "just now"
    if delta < 3600:
        return f"{int(delta // 60)} min ago"
    if delta < 86400:
        return f"{int(delta // 3600)} h ago"
    return at.strftime("%b %d")


class ActivityFeed:
    def __init__(self, entries: list[ActivityEntry]) -> None:
        self.count = 0
        with ui.column().classes("w-full gap-0").mark("activity-feed") as self.container:
            self.empty = ui.label("Nothing has happened here yet. Submit a job to get going.")
            self.empty.classes("qd-muted text-sm py-2")
        for entry in reversed(entries):
            self._row(
                entry.verb, entry.summary, entry.subject_type, entry.subject_id, entry.created_at
            )

    def add(self, events: list[Event]) -> None:
        for event in events:
            data = event.data
            self._row(
                data.get("verb", ""),
                data.get("summary", ""),
                data.get("subject_type", ""),
                str(data.get("subject_id", "")),
                event.at,
            )

    async def reload(self, viewer) -> None:
        async with viewer.qdeck.reading() as services:
            entries = await services.analytics.recent_activity(viewer.user, viewer.workspace.id)
        for child in list(self.container)[1:]:
            child.delete()
        self.count = 0
        for entry in reversed(entries):
            self._row(
                entry.verb, entry.summary, entry.subject_type, entry.subject_id, entry.created_at
            )

    def _row(self, verb: str, summary: str, kind: str, subject: str, at: datetime) -> None:
        self.empty.set_visibility(False)
        icon, color = VERB_ICONS.get(verb, ("bolt", "primary"))
        with (
            self.container,
            ui.row()
            .classes("w-full items-start gap-3 py-2 no-wrap border-b")
            .style("border-color: var(--qd-border)") as row,
        ):
            ui.icon(icon, size="20px", color=color).classes("mt-0.5")
            with ui.column().classes("gap-0 min-w-0 flex-1"):
                if kind == "job":
                    ui.link(summary, f"/jobs/{subject}").classes("qd-link text-sm break-words")
                else:
                    ui.label(summary).classes("text-sm break-words")
                ui.label(ago(at)).classes("text-xs qd-muted")
        row.move(self.container, target_index=1)
        self.count += 1
        rows = list(self.container)
        while len(rows) > MAX_ENTRIES + 1:
            rows.pop().delete()
