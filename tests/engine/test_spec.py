"""Spec validation: everything a client can get wrong fails before any simulation."""

from __future__ import annotations

import pytest

from qdeck.engine import JobSpecError, Limits, MemoryLimitError, run_job, validate_spec


def test_validate_spec_summary(ghz, make_sampler_spec):
    spec = make_sampler_spec(ghz(3))
    spec["circuits"].append({"format": "qasm2", "source": ghz(5)})
    summary = validate_spec(spec)
    assert summary["num_circuits"] == 2
    assert summary["num_qubits"] == 5
    assert summary["depths"] == [4, 6]
    assert summary["shots"] == 1024


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"backend": "fake_nowhere"}, "backend", "unknown backend"),
        ({"primitive": "sample"}, "primitive", "sampler or estimator"),
        ({"shots": 0}, "shots", "positive"),
        ({"shots": 2_000_000}, "shots", "limit of 100,000"),
        ({"optimization_level": 4}, "optimization_level", "0 to 3"),
        ({"seed": -1}, "seed", "integer"),
        ({"method": "magic"}, "method", "method must be"),
        ({"precision": 0.1}, "precision", "estimator"),
        ({"circuits": []}, "circuits", "non-empty"),
    ],
)
def test_bad_fields(change, field, fragment, ghz, make_sampler_spec):
    spec = {**make_sampler_spec(ghz(2)), **change}
    with pytest.raises(JobSpecError) as info:
        validate_spec(spec)
    assert info.value.field == field
    assert fragment in info.value.message


def test_shot_limit_comes_from_caller(ghz, make_sampler_spec):
    spec = make_sampler_spec(ghz(2), shots=600)
    with pytest.raises(JobSpecError, match="above the limit of 500"):
        run_job(spec, limits={"max_shots": 500})
    assert validate_spec(spec, Limits(max_shots=600))["shots"] == 600


def test_circuit_wider_than_device_names_both_numbers(ghz, make_sampler_spec):
    with pytest.raises(JobSpecError) as info:
        validate_spec(make_sampler_spec(ghz(7), backend="fake_manila"))
    assert "7 qubits" in info.value.message and "only 5" in info.value.message


def test_sampler_needs_measurements(make_sampler_spec):
    source = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nh q[0];\n'
    with pytest.raises(JobSpecError, match="no measurements"):
        validate_spec(make_sampler_spec(source))


def test_parameter_count_mismatch():
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float a;\ninput float b;\n'
        "qubit q;\nbit c;\nrx(a) q;\nry(b) q;\nc = measure q;\n"
    )
    entry = {"format": "qasm3", "source": source, "parameter_values": [[0.1, 0.2], [0.3]]}
    spec = {"primitive": "sampler", "backend": "aer_simulator", "circuits": [entry]}
    with pytest.raises(JobSpecError) as info:
        validate_spec(spec)
    assert "2 parameter(s) (a, b)" in info.value.message and "set 1 has 1" in info.value.message
    entry.pop("parameter_values")
    with pytest.raises(JobSpecError, match="no parameter_values"):
        validate_spec(spec)


def test_memory_limit_checked_at_submit(ghz, make_sampler_spec):
    source = ghz(20).replace("h q[0];", "h q[0];\nt q[1];")
    with pytest.raises(MemoryLimitError) as info:
        validate_spec(make_sampler_spec(source), {"memory_limit_bytes": 2**20})
    assert info.value.required_bytes == 16 * 2**20
    assert "16.0 MiB" in info.value.message and "1.0 MiB" in info.value.message


def test_estimator_needs_observables_and_single_shot_setting():
    bell = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'
    spec = {"primitive": "estimator", "backend": "aer_simulator",
            "circuits": [{"format": "qasm2", "source": bell}]}  # fmt: skip
    with pytest.raises(JobSpecError, match="needs observables"):
        validate_spec(spec)
    spec["circuits"][0]["observables"] = [[["ZZ", 1.0]]]
    with pytest.raises(JobSpecError, match="either shots or precision"):
        validate_spec({**spec, "shots": 100, "precision": 0.1})
    with pytest.raises(JobSpecError, match=r"precision 0\.001 needs 1,000,000"):
        validate_spec({**spec, "precision": 0.001})


def test_stabilizer_refused_for_noisy_devices(ghz, make_sampler_spec):
    with pytest.raises(JobSpecError, match="cannot simulate device noise"):
        validate_spec(make_sampler_spec(ghz(2), backend="fake_manila", method="stabilizer"))
