"""The Submit page's backend picker: grouped, searchable by name or qubit count, and telling
whether the circuit fits each backend.

Options are searched by their label, so a label holds everything a person may type (name,
qubit count, kind); what they see is drawn by the option slot from extra fields on each
option, and the chosen backend shows as its bare name (``display-value``), which never
needs cutting off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from qdeck.backends.schemas import BackendRead

GROUPS = {
    "simulator": "Ideal simulators",
    "fake_device": "Fake devices (real IBM calibrations, simulated)",
    "hardware": "IBM Quantum hardware",
}

OPTION = r"""
<q-item-label v-if="props.opt.group" header class="qd-picker-group">
  {{ props.opt.group }}</q-item-label>
<q-item v-bind="props.itemProps">
  <q-item-section>
    <q-item-label class="qd-mono">{{ props.opt.name }}</q-item-label>
    <q-item-label caption>{{ props.opt.caption }}</q-item-label>
  </q-item-section>
  <q-item-section side v-if="props.opt.fit">
    <span :class="props.opt.fits ? 'text-positive' : 'text-negative'"
      class="text-xs font-medium">{{ props.opt.fit }}</span>
  </q-item-section>
</q-item>
"""


def qubits(count: int | None) -> str:
    """ "1 qubit", "5 qubits"."""
    if count is None:
        return ""
    return f"{count} qubit" if count == 1 else f"{count} qubits"


class BackendPicker(ui.select):
    """A select whose options carry a group heading, a caption and a fit verdict."""

    def __init__(
        self,
        backends: list[BackendRead],
        value: str,
        on_change: Callable[..., Any] | None = None,
    ) -> None:
        order = list(GROUPS)
        self.backends = sorted(
            backends,
            key=lambda b: (order.index(b.kind) if b.kind in order else 9, b.num_qubits, b.name),
        )
        self.circuit_qubits: int | None = None
        names = {b.name for b in self.backends}
        super().__init__(
            {b.name: _search_text(b) for b in self.backends},
            value=value if value in names else (self.backends[0].name if self.backends else None),
            label="Backend",
            with_input=True,
            on_change=on_change,
        )
        self.props("outlined options-dense hide-selected=false fill-input=false")
        self.props('popup-content-class="qd-picker-menu"')
        self.add_slot("option", OPTION)
        self.on_value_change(lambda e: self._show_chosen())
        self._show_chosen()

    def for_circuit(self, num_qubits: int | None) -> None:
        """Mark each backend as fitting the circuit or not."""
        if num_qubits != self.circuit_qubits:
            self.circuit_qubits = num_qubits
            self._update_options()
            self.update()

    def _show_chosen(self) -> None:
        self.props(f'display-value="{self.value or ""}"')

    def _update_options(self) -> None:
        super()._update_options()
        by_name = {b.name: b for b in self.backends}
        previous = None
        for option, name in zip(self._props["options"], self._values, strict=False):
            backend = by_name.get(name)
            if backend is None:
                continue
            group = GROUPS.get(backend.kind, backend.kind)
            option.update(_extras(backend, self.circuit_qubits))
            option["group"] = group if group != previous else ""
            previous = group


def _search_text(backend: BackendRead) -> str:
    return f"{backend.name} {qubits(backend.num_qubits)} {GROUPS.get(backend.kind, '')}"


def _extras(backend: BackendRead, circuit_qubits: int | None) -> dict[str, Any]:
    parts = [qubits(backend.num_qubits), f"{backend.queue_length} queued"]
    if backend.status != "online":
        parts.append(backend.status)
    extras: dict[str, Any] = {"name": backend.name, "caption": " · ".join(parts)}
    if circuit_qubits is not None:
        fits = backend.num_qubits >= circuit_qubits
        extras["fits"] = fits
        extras["fit"] = "fits" if fits else f"needs {qubits(circuit_qubits)}"
    else:
        extras["fit"] = ""
    return extras
