"""A person looks for somewhere to run: every device, its queue, its calibration, and
whether their circuit fits."""

from __future__ import annotations

import csv
import io

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, submit


async def test_the_catalog_lists_the_simulator_and_every_fake_device(accounts: Accounts) -> None:
    from qiskit_ibm_runtime.fake_provider import FakeProviderForBackendV2

    ada = await accounts.sign_up("Ada")
    response = await ada.client.get("/api/v1/backends")
    assert response.status_code == 200
    backends = {b["name"]: b for b in response.json()}
    fakes = {b.name for b in FakeProviderForBackendV2().backends()}
    assert fakes <= set(backends)
    assert backends["aer_simulator"]["kind"] == "simulator"
    sherbrooke = backends["fake_sherbrooke"]
    assert (sherbrooke["kind"], sherbrooke["num_qubits"], sherbrooke["status"]) == (
        "fake_device",
        127,
        "online",
    )
    assert 0 < sherbrooke["median_errors"]["two_qubit_gate_error"] < 0.1
    assert sherbrooke["median_errors"]["t1_us"] > 10
    assert "ecr" in sherbrooke["basis_gates"]

    small = (
        await ada.client.get("/api/v1/backends", params={"kind": "fake_device", "min_qubits": 100})
    ).json()
    assert small and all(b["num_qubits"] >= 100 and b["kind"] == "fake_device" for b in small)


async def test_detail_has_the_real_coupling_map(accounts: Accounts) -> None:
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    ada = await accounts.sign_up("Ada")
    detail = (await ada.client.get("/api/v1/backends/fake_manila")).json()
    expected = {tuple(edge) for edge in FakeManilaV2().coupling_map.get_edges()}
    assert {tuple(edge) for edge in detail["coupling_map"]} == expected
    ideal = (await ada.client.get("/api/v1/backends/aer_simulator")).json()
    assert ideal["coupling_map"] == [] and ideal["max_qubits_by_method"]["stabilizer"] > 100
    missing = await ada.client.get("/api/v1/backends/fake_nowhere")
    assert missing.status_code == 404
    assert missing.json()["code"] == "backend_not_found"


async def test_queue_length_counts_waiting_jobs(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    await app.state.scheduler.stop()  # nothing leaves the queue while we look
    for _ in range(3):
        await submit(ada.client, BELL, shots=10, backend="fake_manila")
    manila = (await ada.client.get("/api/v1/backends/fake_manila")).json()
    assert manila["queue_length"] == 3


async def test_calibration_table_as_json_and_csv(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    table = (await ada.client.get("/api/v1/backends/fake_manila/calibration")).json()
    assert len(table["qubits"]) == 5
    assert all(q["t1_us"] > 0 and 0 <= q["readout_error"] < 1 for q in table["qubits"])
    assert any(g["gate"] == "cx" and len(g["qubits"]) == 2 for g in table["gates"])
    response = await ada.client.get(
        "/api/v1/backends/fake_manila/calibration", params={"format": "csv"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["section", "qubit", "t1_us"]
    assert sum(1 for r in rows if r and r[0] == "qubit") == 5


async def test_does_my_circuit_fit(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    ok = (await ada.client.post("/api/v1/backends/fake_manila/fit", json={"source": BELL})).json()
    assert ok["fits"] is True and ok["num_qubits"] == 2
    seven = BELL.replace("qreg q[2];", "qreg q[7];").replace("creg c[2];", "creg c[7];")
    too_wide = (
        await ada.client.post("/api/v1/backends/fake_manila/fit", json={"source": seven})
    ).json()
    assert too_wide["fits"] is False
    assert "7" in too_wide["reason"] and "5" in too_wide["reason"]
    broken = await ada.client.post(
        "/api/v1/backends/fake_manila/fit", json={"source": "OPENQASM 2.0; qreg"}
    )
    assert broken.status_code == 422
    assert broken.json()["code"] == "circuit_parse_error"


async def test_backends_need_an_account(client) -> None:
    assert (await client.get("/api/v1/backends")).status_code == 401
