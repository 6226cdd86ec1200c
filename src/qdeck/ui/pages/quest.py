"""Quantum Quest: the learning path (/quest) and the progress page (/quest/progress)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.quest.schemas import LessonSummary, ProgressRead
from qdeck.ui.components.badges import StatCard, section_card
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import current_viewer, to_log_in

TABS = [
    ("path", "Learning path", "/quest"),
    ("progress", "Progress", "/quest/progress"),
    ("challenges", "Challenges", "/quest/challenges"),
    ("composer", "Composer", "/quest/composer"),
]


def quest_tabs(active: str) -> None:
    """Quest's own sections, as links (each is a page with its own address)."""
    with ui.row().classes("gap-1 flex-wrap").props('role="navigation" aria-label="Quest"'):
        for key, label, path in TABS:
            link = ui.link(label, path).classes(
                "px-3 py-1 rounded-lg no-underline text-sm font-medium "
                + ("bg-primary text-white" if key == active else "qd-link")
            )
            if key == active:
                link.props('aria-current="page"')


def stars(count: int, total: int = 3) -> str:
    return "\u2605" * count + "\u2606" * (total - count)


def register() -> None:
    @ui.page("/quest", title="Quantum Quest · qdeck", response_timeout=PAGE_WAIT)
    async def path_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            lessons = await services.quest.lessons(viewer.user)
            progress = await services.quest.progress(viewer.user)
        with frame(viewer, "Quantum Quest", active="quest"):
            quest_tabs("path")
            heading = page_heading(
                "Quantum Quest", "Learn by building circuits: each lesson ends in graded levels"
            )
            with heading:
                target = progress.resume_level_key
                if target:
                    ui.button(
                        "Resume" if progress.levels else "Start",
                        icon="play_arrow",
                        on_click=lambda: ui.navigate.to(f"/quest/levels/{target}"),
                    ).props("unelevated no-caps").mark("resume")
            _summary(progress)
            with ui.column().classes("w-full gap-3").mark("lessons"):
                for lesson in lessons:
                    _lesson_card(lesson)
        return None

    @ui.page("/quest/progress", title="Quest progress · qdeck", response_timeout=PAGE_WAIT)
    async def progress_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            lessons = await services.quest.lessons(viewer.user)
            progress = await services.quest.progress(viewer.user)
        with frame(viewer, "Quest progress", active="quest"):
            quest_tabs("progress")
            page_heading("Your progress", "Attempts, stars and time on every level you tried")
            _summary(progress)
            _progress_table(progress, lessons)
        return None


def _summary(progress: ProgressRead) -> None:
    with ui.grid().classes("w-full gap-4 grid-cols-1 sm:grid-cols-3"):
        StatCard("Levels solved", "task_alt").set(
            f"{progress.levels_solved} / {progress.levels_total}"
        )
        StatCard("Stars", "star").set(f"{progress.stars} / {progress.stars_possible}")
        StatCard("Lessons completed", "school").set(
            f"{len(progress.lessons_completed)} / {progress.lessons_total}"
        )


def _lesson_card(lesson: LessonSummary) -> None:
    with (
        ui.card()
        .classes("qd-card w-full p-4 gap-2 cursor-pointer")
        .on("click", lambda: ui.navigate.to(f"/quest/lessons/{lesson.key}"))
        .mark(f"lesson-{lesson.key}"),
        ui.row().classes("w-full items-center gap-3 no-wrap"),
    ):
        with (
            ui.element("div")
            .classes("w-9 h-9 rounded-full flex items-center justify-center shrink-0")
            .classes("bg-positive text-white" if lesson.completed else "bg-primary text-white")
        ):
            if lesson.completed:
                ui.icon("check", size="20px").props('aria-label="completed"')
            else:
                ui.label(str(lesson.order)).classes("font-semibold")
        with ui.column().classes("gap-0 min-w-0 flex-1"):
            ui.link(lesson.title, f"/quest/lessons/{lesson.key}").classes(
                "qd-link text-base font-semibold"
            )
            ui.label(lesson.summary).classes("text-sm qd-muted")
        ui.label(f"{lesson.levels_solved}/{lesson.levels_total} levels").classes(
            "text-sm qd-muted shrink-0"
        )


def _progress_table(progress: ProgressRead, lessons: list[LessonSummary]) -> None:
    titles = {lesson.key: lesson.title for lesson in lessons}
    with section_card("Levels you have tried"):
        if not progress.levels:
            ui.label("Nothing yet: open the learning path and start with the first lesson.")
            return
        rows = [
            {
                "level": row.level_key,
                "lesson": titles.get(row.lesson_key, row.lesson_key),
                "stars": stars(row.best_stars),
                "attempts": row.attempts,
                "hints": row.hints_used,
                "time": f"{row.seconds_spent // 60} min {row.seconds_spent % 60} s",
                "solved": row.first_solved_at.strftime("%Y-%m-%d %H:%M")
                if row.first_solved_at
                else "not yet",
            }
            for row in progress.levels
        ]
        columns = [
            {"name": key, "label": label, "field": key, "align": "left"}
            for key, label in (
                ("level", "Level"),
                ("lesson", "Lesson"),
                ("stars", "Best stars"),
                ("attempts", "Attempts"),
                ("hints", "Hints"),
                ("time", "Time spent"),
                ("solved", "First solved"),
            )
        ]
        ui.table(columns=columns, rows=rows, row_key="level").classes("qd-table w-full").props(
            "flat wrap-cells"
        ).mark("progress-table")
