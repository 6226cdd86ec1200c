"""The public landing page at ``/``: what qdeck does, and a way in."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.ui.components.preview import product_preview
from qdeck.ui.layout import brand
from qdeck.ui.session import current_viewer
from qdeck.ui.theme import apply_theme

FEATURES = [
    (
        "hub",
        "Simulators and IBM devices",
        "Run OpenQASM 2/3 circuits on the ideal Aer simulator, on every IBM fake device with its "
        "real topology and calibration noise, and on IBM Quantum hardware with your token.",
        "",
    ),
    (
        "bolt",
        "Live, to the second",
        "Jobs appear, start and finish on screen as they happen, whether they were submitted "
        "here, from the API or from the command line.",
        "",
    ),
    (
        "insights",
        "Analytics",
        "Queue waits, run times and success rates by backend, with charts that keep up.",
        "",
    ),
    (
        "school",
        "Quantum Quest",
        "Tutorials and challenges checked by state fidelity, with an interactive composer.",
        "Coming soon",
    ),
    (
        "auto_awesome",
        "AI assistant",
        "Explains a circuit, a failure or a result, and suggests a better backend.",
        "Coming soon",
    ),
    (
        "groups",
        "Team workspaces",
        "Workspaces, projects and roles: share jobs and results with the people you work with.",
        "",
    ),
]


def register() -> None:
    @ui.page("/", title="qdeck · quantum jobs, live")
    async def landing(request: Request) -> RedirectResponse | None:
        if await current_viewer(request) is not None:
            return RedirectResponse("/dashboard", status_code=303)
        apply_theme()
        ui.query(".nicegui-content").classes("p-0")
        _header()
        with ui.column().classes("w-full items-center gap-0"):
            _hero()
            _features()
            _footer()
        return None


def _header() -> None:
    with ui.header().classes("qd-header px-4 md:px-10 py-3 items-center"):
        brand("/")
        ui.space()
        ui.button("Log in", on_click=lambda: ui.navigate.to("/login")).props("flat no-caps")
        ui.button("Get started", on_click=lambda: ui.navigate.to("/signup")).props(
            "unelevated no-caps"
        )


def _hero() -> None:
    with (
        ui.element("section").classes("qd-hero w-full"),
        ui.row().classes(
            "w-full max-w-6xl mx-auto px-5 md:px-10 py-12 md:py-20 items-center gap-10 "
            "flex-col lg:flex-row flex-nowrap"
        ),
    ):
        with ui.column().classes("flex-1 gap-5 min-w-0"):
            ui.chip("Quantum jobs, one dashboard", icon="blur_on").props("outline").classes(
                "qd-eyebrow"
            )
            ui.label("Run quantum circuits. Watch them finish live.").classes(
                "text-4xl md:text-6xl font-black tracking-tight leading-tight"
            ).props('role="heading" aria-level="1"')
            ui.label(
                "qdeck sends your circuits to simulators, IBM's noisy device models and "
                "IBM Quantum, shows every job's progress as it happens, and keeps the "
                "results, timelines and statistics for your whole team."
            ).classes("text-lg qd-muted max-w-xl")
            with ui.row().classes("gap-3"):
                ui.button(
                    "Create a free account",
                    icon="arrow_forward",
                    on_click=lambda: ui.navigate.to("/signup"),
                ).props("unelevated no-caps").mark("cta-signup")
                ui.button("I have an account", on_click=lambda: ui.navigate.to("/login")).props(
                    "outline no-caps"
                )
            ui.label("Runs on your machine: pip install, qdeck serve, done.").classes(
                "text-sm qd-muted"
            )
        with ui.column().classes("flex-1 w-full min-w-0"):
            product_preview()


def _features() -> None:
    with ui.element("section").classes("w-full max-w-6xl mx-auto px-5 md:px-10 py-12"):
        ui.label("Everything a quantum team needs").classes(
            "text-3xl font-bold tracking-tight text-center w-full"
        ).props('role="heading" aria-level="2"')
        ui.label("From the first Bell state to a week of device runs.").classes(
            "qd-muted text-center w-full mb-8"
        )
        with ui.grid().classes("w-full gap-5 grid-cols-1 sm:grid-cols-2 lg:grid-cols-3"):
            for icon, title, text, tag in FEATURES:
                with ui.card().classes("qd-card p-6 gap-3"):
                    with ui.row().classes("items-center gap-3"):
                        with ui.element("div").classes(
                            "w-10 h-10 rounded-xl bg-primary/10 flex items-center justify-center"
                        ):
                            ui.icon(icon, size="22px", color="primary")
                        ui.label(title).classes("text-lg font-semibold").props(
                            'role="heading" aria-level="3"'
                        )
                        if tag:
                            ui.badge(tag, color="grey-7").props("outline")
                    ui.label(text).classes("qd-muted")


def _footer() -> None:
    footer = ui.element("footer").classes("w-full border-t mt-8")
    footer.style("border-color: var(--qd-border)")
    with (
        footer,
        ui.row().classes(
            "w-full max-w-6xl mx-auto px-5 md:px-10 py-8 items-center justify-between gap-4"
        ),
    ):
        brand("/")
        with ui.row().classes("gap-5 items-center"):
            ui.link("API documentation", "/api/docs").classes("qd-link")
            ui.link("Log in", "/login").classes("qd-link")
            ui.link("Sign up", "/signup").classes("qd-link")
        ui.label("Apache-2.0 · made for people who run circuits").classes("text-sm qd-muted")
