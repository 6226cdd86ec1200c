"""A Quest lesson: its text with formulas, the composer preloaded with the lesson's
circuit, its levels with the stars earned, and its quiz."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.errors import NotFound
from qdeck.quest.schemas import LessonRead, QuizQuestionRead
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.composer_panel import ComposerPanel, starting_circuit
from qdeck.ui.components.formulas import Formulas
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.quest import quest_tabs, stars
from qdeck.ui.session import Viewer, current_viewer, to_log_in


def register() -> None:
    @ui.page("/quest/lessons/{key}", title="Lesson · qdeck", response_timeout=PAGE_WAIT)
    async def lesson_page(request: Request, key: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        try:
            async with viewer.qdeck.reading() as services:
                lesson = await services.quest.lesson(viewer.user, key)
        except NotFound:
            lesson = None
        with frame(viewer, lesson.title if lesson else "Lesson not found", active="quest"):
            quest_tabs("path")
            if lesson is None:
                ui.context.client.status_code = 404
                error_content(404, "There is no such lesson; the learning path lists them all.")
                return None
            _lesson(viewer, lesson)
        return None


def _lesson(viewer: Viewer, lesson: LessonRead) -> None:
    page_heading(f"{lesson.order}. {lesson.title}", lesson.summary)
    with ui.grid().classes("w-full gap-5 grid-cols-1 xl:grid-cols-5"):
        with ui.card().classes("qd-card w-full p-5 md:p-6 xl:col-span-3 min-w-0"):
            Formulas(_without_title(lesson.markdown, lesson.title)).classes("w-full").mark(
                "lesson-text"
            )
        with ui.column().classes("xl:col-span-2 gap-5 min-w-0"):
            with section_card("Levels", "Solve them in the composer; stars for short circuits"):
                for level in lesson.levels:
                    with ui.row().classes("w-full items-center gap-2 no-wrap"):
                        ui.link(level.title, f"/quest/levels/{level.key}").classes(
                            "qd-link flex-1"
                        ).mark(f"level-{level.key}")
                        ui.label(stars(level.best_stars)).classes("qd-stars text-base").props(
                            f'aria-label="{level.best_stars} of 3 stars"'
                        )
            if lesson.quiz:
                with section_card("Check yourself"):
                    for question in lesson.quiz:
                        _quiz_question(viewer, lesson.key, question)
    with section_card("Try it", "The lesson's circuit, live: change it and watch the state"):
        ComposerPanel(starting_circuit(lesson.starting_qasm))


def _without_title(markdown: str, title: str) -> str:
    """The text without a first ``# Title`` line that repeats the page's heading."""
    first, _, rest = markdown.lstrip().partition("\n")
    return rest if first.strip("# ").strip() == title.strip() else markdown


def _quiz_question(viewer: Viewer, lesson_key: str, question: QuizQuestionRead) -> None:
    with ui.column().classes("w-full gap-1"):
        Formulas(question.question).classes("font-medium")
        choice = ui.radio(dict(enumerate(question.choices)))  # not dense: 24 px targets
        verdict = ui.label().classes("text-sm").props('aria-live="polite"')

        async def check() -> None:
            if choice.value is None:
                verdict.set_text("Pick an answer first.")
                return

            async def send():
                async with viewer.qdeck.writing() as services:
                    return await services.quest.answer_quiz(
                        viewer.user, lesson_key, question.index, int(choice.value)
                    )

            result = await attempt(send())
            if result is None:
                return
            mark = "Right. " if result.correct else "Not quite. "
            verdict.set_text(mark + result.explanation)
            verdict.classes(
                replace="text-sm " + ("text-positive" if result.correct else "text-negative")
            )

        ui.button("Check", on_click=check).props("outline no-caps dense")
