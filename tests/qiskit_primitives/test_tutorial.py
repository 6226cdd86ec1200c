"""A Qiskit tutorial script runs on qdeck with one changed line: its import."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qdeck.client import QDeckClient
from tests.client.live import Account
from tests.live_server import LiveServer
from tests.qiskit_primitives.test_primitives import assert_same_distribution

AER_IMPORT = "from qiskit_aer.primitives import SamplerV2 as Sampler"
QDECK_IMPORT = "from qdeck.qiskit import Sampler"
TUTORIAL = f'''"""Hello, GHZ: build a circuit, sample it, read the counts."""
import json

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
{AER_IMPORT}

# 1. Map the problem to a circuit: a three-qubit GHZ state.
ghz = QuantumCircuit(3)
ghz.h(0)
ghz.cx(0, 1)
ghz.cx(1, 2)
ghz.measure_all()

# A rotation swept over five angles, to see P(1) = sin²(θ/2) grow.
theta = Parameter("θ")
sweep = QuantumCircuit(1)
sweep.ry(theta, 0)
sweep.measure_all()
angles = np.linspace(0, np.pi, 5).reshape(-1, 1)

# 2. Execute with the Sampler primitive.
sampler = Sampler()
job = sampler.run([ghz, (sweep, angles)], shots=2000)
result = job.result()

# 3. Read the results (a notebook would plot them; a script prints them).
counts = result[0].data.meas.get_counts()
ones = [result[1].data.meas.get_counts(i).get("1", 0) for i in range(len(angles))]
print(json.dumps({{"ghz": counts, "sweep": ones}}))
'''

# One script runs one job.
SERVER_WORKERS = 1


def _run(script: Path, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_tutorial_runs_on_qdeck_by_changing_its_import(
    server: LiveServer, ada: Account, qd: QDeckClient, tmp_path: Path
) -> None:
    on_qdeck = TUTORIAL.replace(AER_IMPORT, QDECK_IMPORT)
    changed = [
        line
        for line in difflib.unified_diff(TUTORIAL.splitlines(), on_qdeck.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [f"-{AER_IMPORT}", f"+{QDECK_IMPORT}"]
    (tmp_path / "tutorial_aer.py").write_text(TUTORIAL)
    (tmp_path / "tutorial_qdeck.py").write_text(on_qdeck)
    env = {
        **os.environ,
        "QDECK_URL": server.url,
        "QDECK_TOKEN": ada.token,
        "QDECK_CONFIG_DIR": str(tmp_path / "config"),
    }
    with ThreadPoolExecutor(2) as pool:
        aer, ours = pool.map(
            lambda name: _run(tmp_path / name, env), ["tutorial_aer.py", "tutorial_qdeck.py"]
        )

    assert set(ours["ghz"]) == {"000", "111"}
    assert_same_distribution(ours["ghz"], aer["ghz"])
    assert ours["sweep"][0] == 0 and ours["sweep"][-1] == 2000
    for mine, theirs in zip(ours["sweep"], aer["sweep"], strict=True):
        assert_same_distribution({"1": mine, "0": 2000 - mine}, {"1": theirs, "0": 2000 - theirs})
    # The script's run is a job in the dashboard like any other.
    [job] = qd.jobs.list(backend="aer_simulator", limit=1).items
    assert job.status == "completed" and job.num_circuits == 2 and job.shots == 2000
