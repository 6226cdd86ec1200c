"""Small shared pieces: status badges, stat cards, empty and loading states."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from qdeck.ui.theme import STATUS_ICONS, status_color


def status_badge(status: str) -> ui.chip:
    """A status with its colour and icon (never colour alone)."""
    return (
        ui.chip(status, icon=STATUS_ICONS.get(status), color=status_color(status))
        .props("dense square text-color=white")
        .classes("text-xs font-medium m-0")
    )


class StatCard:
    """A labelled number that can change in place."""

    def __init__(self, label: str, icon: str, hint: str = "") -> None:
        slug = label.lower().replace(" ", "-")
        with ui.card().classes("qd-card p-4 gap-1 min-w-0").mark(f"stat-{slug}") as self.card:
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                ui.label(label).classes("text-sm qd-muted font-medium")
                ui.icon(icon, size="20px", color="primary")
            self.value = ui.label("—").classes("text-3xl font-bold tracking-tight")
            self.value.mark(f"stat-value-{slug}")
            self.hint = ui.label(hint).classes("text-xs qd-muted")

    def set(self, value: str, hint: str | None = None) -> None:
        self.value.set_text(value)
        if hint is not None:
            self.hint.set_text(hint)


def empty_state(
    icon: str, title: str, text: str, action: str = "", on_action: Callable | None = None
) -> ui.column:
    with ui.column().classes("w-full items-center text-center gap-2 py-10 px-4") as box:
        with (
            ui.element("div")
            .classes("w-14 h-14 rounded-2xl flex items-center justify-center")
            .style("background: rgba(99,102,241,.12)")
        ):
            ui.icon(icon, size="28px", color="primary")
        ui.label(title).classes("text-lg font-semibold")
        ui.label(text).classes("qd-muted max-w-md")
        if action and on_action is not None:
            ui.button(action, on_click=on_action).props("unelevated no-caps").classes("mt-2")
    return box


def section_card(title: str, subtitle: str = "") -> ui.card:
    """A card with a heading; use as a context manager for its content."""
    card = ui.card().classes("qd-card w-full p-4 md:p-5 gap-3 min-w-0")
    with card, ui.column().classes("gap-0"):
        ui.label(title).classes("text-base font-semibold").props('role="heading" aria-level="2"')
        if subtitle:
            ui.label(subtitle).classes("text-xs qd-muted")
    return card


def loading(text: str = "Loading…") -> ui.row:
    with ui.row().classes("items-center gap-2 qd-muted py-4") as row:
        ui.spinner(size="sm")
        ui.label(text)
    return row


def seconds(value: float | None) -> str:
    """A duration for people: 42 ms, 3.2 s, 4 min 10 s, 2 h 5 min."""
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    if value < 3600:
        return f"{int(value // 60)} min {int(value % 60)} s"
    return f"{int(value // 3600)} h {int(value % 3600 // 60)} min"
