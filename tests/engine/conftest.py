"""Shared helpers for engine tests: circuit sources and binomial tolerance checks."""

from __future__ import annotations

import math

import pytest


def ghz_qasm2(num_qubits: int) -> str:
    body = "".join(f"cx q[{i}],q[{i + 1}];\n" for i in range(num_qubits - 1))
    return (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\n'
        f"qreg q[{num_qubits}];\ncreg c[{num_qubits}];\nh q[0];\n{body}measure q -> c;\n"
    )


def assert_binomial(count: int, shots: int, p: float, sigmas: float = 5.0) -> None:
    """|count/shots - p| within ``sigmas`` standard deviations of a binomial proportion."""
    sigma = math.sqrt(p * (1 - p) / shots)
    observed = count / shots
    assert abs(observed - p) <= sigmas * sigma, f"{observed:.4f} vs {p:.4f} (sigma={sigma:.4f})"


@pytest.fixture
def ghz():
    return ghz_qasm2


@pytest.fixture
def binomial():
    return assert_binomial


def sampler_spec(source: str, backend: str = "aer_simulator", **extra) -> dict:
    return {
        "primitive": "sampler",
        "backend": backend,
        "circuits": [{"format": "qasm2", "source": source}],
        **extra,
    }


@pytest.fixture
def make_sampler_spec():
    return sampler_spec
