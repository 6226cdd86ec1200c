"""A real qdeck server per test module, and accounts on it with API tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from websockets.sync.client import connect

from tests.live_server import LiveServer

PASSWORD = "correct horse battery staple"
BELL = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""


def slow_circuit(qubits: int = 22, layers: int = 40) -> str:
    """Dense non-Clifford work that keeps a statevector worker busy for many seconds."""
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];", f"creg c[{qubits}];"]
    for layer in range(layers):
        lines += [f"rx({0.1 + 0.01 * (q + layer):.3f}) q[{q}]; t q[{q}];" for q in range(qubits)]
        lines += [f"cx q[{q}],q[{q + 1}];" for q in range(layer % 2, qubits - 1, 2)]
    return "\n".join([*lines, "measure q -> c;"])


@dataclass
class Account:
    email: str
    password: str
    token: str
    display_name: str


@contextmanager
def running_server(
    tmp_path_factory: pytest.TempPathFactory, workers: int = 2
) -> Iterator[LiveServer]:
    """One worker where jobs run one after another anyway: each costs a warm Qiskit."""
    data = tmp_path_factory.mktemp("server") / "data"
    server = LiveServer(data, QDECK_WORKERS=str(workers)).start()
    try:
        yield server
    finally:
        server.stop()


def new_account(server: LiveServer, name: str = "Ada") -> Account:
    """Sign up through the API and create an API token, as a person does once."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org"
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        signup = browser.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
        signup.raise_for_status()
        created = browser.post(
            "/api/v1/tokens",
            json={"name": "tests"},
            headers={"X-CSRF-Token": signup.json()["csrf_token"]},
        )
        created.raise_for_status()
    return Account(email, PASSWORD, created.json()["token"], name)


def websocket_available(server: LiveServer, account: Account) -> bool:
    """Whether the server has /api/v1/ws yet (the live layer landed separately)."""
    url = server.url.replace("http://", "ws://") + "/api/v1/ws"
    try:
        with connect(
            url, additional_headers={"Authorization": f"Bearer {account.token}"}, open_timeout=5
        ) as socket:
            return '"welcome"' in str(socket.recv(timeout=5))
    except Exception:
        return False
