"""Achievement and level-up toasts on every signed-in page, as the events arrive
(``gamification.achievement``, ``gamification.level_up`` on the viewer's own stream),
with confetti for an achievement (skipped for reduced motion)."""

from __future__ import annotations

from nicegui import ui

from qdeck.events.bus import Event
from qdeck.gamification.event_types import ACHIEVEMENT_EARNED, LEVEL_UP
from qdeck.ui.components.celebration import Celebration
from qdeck.ui.components.live import LiveUpdates


def gamification_toasts(live: LiveUpdates) -> None:
    confetti = Celebration()

    def show(events: list[Event]) -> None:
        for event in events:
            if event.type == ACHIEVEMENT_EARNED:
                ui.notify(
                    f"Achievement unlocked: {event.data.get('title')}",
                    caption=f"{event.data.get('description', '')} (+{event.data.get('xp', 0)} XP)",
                    type="positive",
                    icon=event.data.get("icon") or "emoji_events",
                    position="top",
                    timeout=8000,
                    close_button="OK",
                )
                confetti.fire(3)
            elif event.type == LEVEL_UP:
                ui.notify(
                    f"Level {event.data.get('level')}!",
                    caption=f"{event.data.get('total')} XP in total",
                    type="info",
                    icon="trending_up",
                    position="top",
                    timeout=6000,
                )

    live.on_events(show)
