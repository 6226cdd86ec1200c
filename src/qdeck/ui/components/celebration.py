"""The celebration when a level is solved: canvas-confetti (vendored in ui/static/quest),
skipped for people who ask their system for reduced motion."""

from __future__ import annotations

from nicegui import ui

from qdeck.ui.components.formulas import QUEST_ASSETS


class Celebration(ui.element, component="celebration.js", esm={"qdeck-quest": str(QUEST_ASSETS)}):
    def __init__(self) -> None:
        super().__init__()
        self.classes("hidden")
        self._props["fired"] = 0
        self._props["stars"] = 0

    def fire(self, stars: int) -> None:
        # A counter in the props rather than a method call: a call made before the
        # browser has loaded the component would be lost; a prop is applied on mount.
        self._props["fired"] += 1
        self._props["stars"] = stars
        self.update()
