"""Calibration tables as CSV: one row per qubit, then one row per gate."""

from __future__ import annotations

import csv
import io
from typing import Any

QUBIT_COLUMNS = ["qubit", "t1_us", "t2_us", "frequency_ghz", "readout_error", "readout_length_ns"]
GATE_COLUMNS = ["gate", "qubits", "error", "length_ns"]


def calibration_csv(table: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", *QUBIT_COLUMNS])
    for row in table.get("qubits", []):
        writer.writerow(["qubit", *(row.get(c) for c in QUBIT_COLUMNS)])
    writer.writerow([])
    writer.writerow(["section", *GATE_COLUMNS])
    for row in table.get("gates", []):
        qubits = " ".join(str(q) for q in row.get("qubits", []))
        writer.writerow(["gate", row.get("gate"), qubits, row.get("error"), row.get("length_ns")])
    return out.getvalue()
