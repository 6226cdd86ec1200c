"""The celebration when a level is solved: canvas-confetti (vendored in ui/static/quest),
skipped for people who ask their system for reduced motion."""

from __future__ import annotations

from nicegui import ui

from qdeck.ui.components.formulas import QUEST_ASSETS


class Celebration(ui.element, component="celebration.js", esm={"qdeck-quest": str(QUEST_ASSETS)}):
    def __init__(self) -> None:
        super().__init__()
        self.classes("hidden")

    def fire(self, stars: int) -> None:
        self.run_method("fire", stars)
