"""The QASM editor: CodeMirror with parse errors shown inline as you type (checked off the
event loop, after a pause in typing)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from qdeck.ui import compute

CHECK_DEBOUNCE = 0.4


class QasmEditor:
    def __init__(
        self, source: str, *, dark: bool, on_checked: Callable[[dict[str, Any]], Any]
    ) -> None:
        self.on_checked = on_checked
        self.result: dict[str, Any] = {"ok": False, "message": "not checked yet"}
        self._pending: asyncio.Task[None] | None = None
        self.editor = (
            ui.codemirror(
                source,
                language="C",
                theme="githubDark" if dark else "githubLight",
                indent="  ",
                on_change=self._changed,
            )
            .classes("qd-editor w-full rounded-lg border")
            .style("height: 380px; border-color: var(--qd-border)")
            .props('aria-label="OpenQASM source"')
            .mark("qasm-editor")
        )
        # CodeMirror's editable box is its own element; ui.codemirror cannot name it.
        ui.timer(
            0.05,
            lambda: ui.run_javascript(
                f"getHtmlElement({self.editor.id})?.querySelector('.cm-content')"
                "?.setAttribute('aria-label', 'OpenQASM source')"
            ),
            once=True,
        )
        with (
            ui.row()
            .classes("w-full items-center gap-2 min-h-8 no-wrap")
            .props('aria-live="polite"')
        ):
            self.icon = ui.icon("hourglass_empty", size="20px")
            self.status = ui.label("Checking…").classes("text-sm").mark("parse-status")

    @property
    def value(self) -> str:
        return self.editor.value or ""

    def set(self, source: str) -> None:
        self.editor.value = source

    async def _changed(self, _event) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self._pending = asyncio.current_task()
        try:
            await asyncio.sleep(CHECK_DEBOUNCE)
        except asyncio.CancelledError:
            return
        await self.check()

    async def check(self) -> dict[str, Any]:
        source = self.value
        result = (
            await run.cpu_bound(compute.check_circuit, source)
            if source.strip()
            else {
                "ok": False,
                "message": "Write or pick a circuit to run.",
                "line": None,
                "column": None,
            }
        )
        if result is None or source != self.value:  # shutting down, or typed on meanwhile
            return self.result
        self.result = result
        self.show(result)
        await _maybe_await(self.on_checked(result))
        return result

    def show(self, result: dict[str, Any]) -> None:
        if result["ok"]:
            self.icon.props("name=check_circle color=positive")
            self.status.set_text(
                f"Parsed: {result['num_qubits']} qubits, depth {result['depth']}, "
                f"{result['size']} operations"
            )
            self.status.classes(remove="text-negative")
            self.editor.decorations = []
            return
        self.icon.props("name=error color=negative")
        where = ""
        if result.get("line"):
            where = (
                f"Line {result['line']}"
                + (f", column {result['column']}" if result.get("column") else "")
                + ": "
            )
        self.status.set_text(where + result["message"])
        self.status.classes(add="text-negative")
        line = result.get("line")
        lines = self.value.count("\n") + 1
        self.editor.decorations = (
            [{"kind": "line", "line": line, "class": "bg-red-500/20"}]
            if line and line <= lines
            else []
        )


async def _maybe_await(value: Any) -> None:
    if asyncio.iscoroutine(value):
        await value
