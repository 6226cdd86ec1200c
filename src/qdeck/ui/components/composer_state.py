"""The composer's live displays (composer_state.js, with bloch_sphere.js): Bloch spheres,
histogram and amplitude table, redrawn from each payload the server sends."""

from __future__ import annotations

from typing import Any

from nicegui import ui


class StateView(ui.element, component="composer_state.js", dependencies=["bloch_sphere.js"]):
    def __init__(self, display: dict[str, Any]) -> None:
        super().__init__()
        self.version = 0
        self._props["display"] = display
        self._props["version"] = 0

    def show(self, display: dict[str, Any]) -> None:
        self.version += 1
        self._props["display"] = display
        self._props["version"] = self.version
        self.update()
