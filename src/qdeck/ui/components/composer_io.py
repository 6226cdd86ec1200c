"""The composer's ways in and out: import and export OpenQASM 2 and 3, a share link that
carries the circuit in its URL, and "open in Submit"."""

from __future__ import annotations

from typing import Protocol

from nicegui import ui

from qdeck.quest.composer import Circuit, CircuitError, from_qasm, share, to_qasm2, to_qasm3

SHARE_PATH = "/quest/composer"


def share_path(qasm: str) -> str:
    return f"{SHARE_PATH}?c={share.encode(qasm)}"


class Composer(Protocol):
    """What the files menu needs from the composer panel."""

    @property
    def circuit(self) -> Circuit: ...

    @property
    def qasm(self) -> str: ...

    async def load(self, circuit: Circuit) -> None: ...


class ComposerFiles:
    def __init__(self, panel: Composer) -> None:
        self.panel = panel
        ui.button("Import", icon="upload", on_click=self.open_import).props("flat no-caps").mark(
            "import-qasm"
        )
        ui.button("Export", icon="download", on_click=self.open_export).props("flat no-caps").mark(
            "export-qasm"
        )
        ui.button("Share", icon="link", on_click=self.open_share).props("flat no-caps").mark(
            "share-link"
        )
        ui.button("Open in Submit", icon="send", on_click=self.to_submit).props(
            "flat no-caps"
        ).mark("open-in-submit")
        self._dialogs()

    def _dialogs(self) -> None:
        with ui.dialog() as self.import_dialog, ui.card().classes("w-full max-w-2xl"):
            ui.label("Import OpenQASM 2 or 3").classes("text-lg font-semibold")
            self.import_text = (
                ui.textarea(placeholder='OPENQASM 2.0;\ninclude "qelib1.inc";\n...')
                .props('outlined rows=12 aria-label="OpenQASM to import"')
                .classes("w-full qd-mono")
                .mark("import-text")
            )
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=self.import_dialog.close).props("flat no-caps")
                ui.button("Import", on_click=self.do_import).props("unelevated no-caps").mark(
                    "import-confirm"
                )
        with ui.dialog() as self.export_dialog, ui.card().classes("w-full max-w-2xl"):
            ui.label("Export").classes("text-lg font-semibold")
            self.version = ui.toggle({2: "OpenQASM 2", 3: "OpenQASM 3"}, value=2).props(
                "no-caps unelevated"
            )
            self.version.on_value_change(lambda _: self._fill_export())
            self.export_text = (
                ui.textarea()
                .props('outlined readonly rows=12 aria-label="Exported OpenQASM"')
                .classes("w-full qd-mono")
                .mark("export-text")
            )
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Download", icon="download", on_click=self.download).props("flat no-caps")
                ui.button("Close", on_click=self.export_dialog.close).props("unelevated no-caps")
        with ui.dialog() as self.share_dialog, ui.card().classes("w-full max-w-2xl"):
            ui.label("Share this circuit").classes("text-lg font-semibold")
            ui.label("Anyone signed in who opens the link sees this circuit in the composer.")
            self.share_text = (
                ui.input()
                .props('outlined readonly aria-label="Share link"')
                .classes("w-full qd-mono")
                .mark("share-text")
            )
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Copy link", icon="content_copy", on_click=self.copy_link).props(
                    "flat no-caps"
                )
                ui.button("Close", on_click=self.share_dialog.close).props("unelevated no-caps")

    def open_import(self) -> None:
        self.import_text.value = ""
        self.import_text.props(remove="error error-message")
        self.import_dialog.open()

    async def do_import(self) -> None:
        try:
            circuit = from_qasm(self.import_text.value or "")
        except CircuitError as exc:
            message = str(exc).replace('"', "'")
            self.import_text.props(f'error error-message="{message}"')
            return
        self.import_dialog.close()
        await self.panel.load(circuit)
        ui.notify(f"Imported {len(circuit.cells)} gates on {circuit.qubits} qubits")

    def _fill_export(self) -> None:
        circuit = self.panel.circuit
        self.export_text.value = to_qasm3(circuit) if self.version.value == 3 else to_qasm2(circuit)

    def open_export(self) -> None:
        self._fill_export()
        self.export_dialog.open()

    def download(self) -> None:
        suffix = "qasm3" if self.version.value == 3 else "qasm"
        ui.download.content(self.export_text.value or "", f"circuit.{suffix}", "text/plain")

    def _link(self) -> str:
        return share_path(self.panel.qasm)

    async def open_share(self) -> None:
        origin = await ui.run_javascript("window.location.origin")
        self.share_text.value = f"{origin}{self._link()}"
        self.share_dialog.open()

    async def copy_link(self) -> None:
        ui.clipboard.write(self.share_text.value or "")
        ui.notify("Link copied")

    def to_submit(self) -> None:
        ui.navigate.to(f"/submit?circuit={share.encode(self.panel.qasm)}")
