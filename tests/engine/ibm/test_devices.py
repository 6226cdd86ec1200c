"""Device listing: the documented shape in local mode, and clear errors instead of raises."""

from __future__ import annotations

import dataclasses

import pytest
import requests
from qiskit_ibm_runtime.api.exceptions import RequestsApiError
from qiskit_ibm_runtime.exceptions import IBMNotAuthorizedError

from qdeck.engine.devices import DeviceInfo, default_catalog
from qdeck.engine.ibm import IbmCredentials, ServiceCache, describe_backend, list_ibm_devices
from qdeck.engine.ibm.devices import classify_status

from .conftest import QUIET_RUNTIME_WARNINGS

pytestmark = QUIET_RUNTIME_WARNINGS
EXTRA_KEYS = {"status", "status_message", "pending_jobs"}


def test_local_listing_has_the_documented_shape(local):
    listing = list_ibm_devices(local, services=ServiceCache(), names=["fake_manila", "ibm_lima"])

    assert listing["error"] is None
    devices = {d["name"]: d for d in listing["devices"]}
    assert set(devices) == {"fake_lima", "fake_manila"}
    manila = devices["fake_manila"]
    assert set(manila) == {f.name for f in dataclasses.fields(DeviceInfo)} | EXTRA_KEYS
    assert (manila["provider"], manila["kind"], manila["num_qubits"]) == (
        "ibm_quantum",
        "hardware",
        5,
    )
    assert {"cx", "sx", "rz"} <= set(manila["basis_gates"])
    assert [0, 1] in manila["coupling_map"]
    assert (manila["status"], manila["status_message"], manila["pending_jobs"]) == (
        "operational",
        "active",
        0,
    )
    assert "local testing mode" in manila["notes"]


def test_median_errors_match_the_simulator_catalog(local):
    listing = list_ibm_devices(local, services=ServiceCache(), names=["fake_manila"])
    median = listing["devices"][0]["median_errors"]
    expected = dataclasses.asdict(default_catalog().median_errors("fake_manila"))
    assert median == pytest.approx(expected)


def test_network_failure_comes_back_as_an_error_object(local):
    def unreachable(credentials):
        raise requests.ConnectionError("Failed to resolve 'quantum.cloud.ibm.com'")

    listing = list_ibm_devices(local, services=ServiceCache(factory=unreachable))
    assert listing["devices"] == []
    assert listing["error"]["code"] == "ibm_network_error"
    assert listing["error"]["transient"] is True


class _Service:
    def __init__(self, failure: Exception) -> None:
        self.failure = failure

    def backends(self):
        raise self.failure


def test_server_error_while_listing_is_transient():
    credentials = IbmCredentials.from_token("t" * 40)
    services = ServiceCache(factory=lambda c: _Service(RequestsApiError("503", 503)))
    listing = list_ibm_devices(credentials, services=services)
    assert (listing["error"]["code"], listing["error"]["transient"]) == ("ibm_unavailable", True)


def test_rejected_token_while_listing_drops_the_cached_service():
    credentials = IbmCredentials.from_token("t" * 40)
    services = ServiceCache(factory=lambda c: _Service(IBMNotAuthorizedError("401")))
    listing = list_ibm_devices(credentials, services=services)
    assert listing["error"]["code"] == "ibm_auth_failed"
    assert len(services) == 0


def test_unknown_device_name_is_reported(local):
    listing = list_ibm_devices(local, services=ServiceCache(), names=["fake_nowhere"])
    assert listing["error"]["code"] == "unknown_backend"


def test_a_device_whose_status_fails_is_still_listed(local):
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    class Flaky(FakeManilaV2):
        def status(self):
            raise RequestsApiError("502 Server Error", 502)

    device = describe_backend(Flaky(), with_errors=False)
    assert device["status"] == "unknown" and device["pending_jobs"] is None
    assert "temporarily unavailable" in device["status_message"]
    assert device["median_errors"] is None


@pytest.mark.parametrize(
    ("operational", "message", "status"),
    [
        (True, "active", "operational"),
        (True, "internal", "paused"),
        (False, "paused", "paused"),
        (False, "maintenance", "paused"),
        (False, "", "offline"),
        (False, "offline", "offline"),
    ],
)
def test_status_classification(operational, message, status):
    assert classify_status(operational, message) == status
