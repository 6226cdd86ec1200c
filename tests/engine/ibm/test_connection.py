"""Credentials that never print their token, the service cache, and the token check."""

from __future__ import annotations

import json

import pytest
import qiskit_ibm_runtime
import requests
import structlog
from pydantic import SecretStr
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit_ibm_runtime.accounts.exceptions import InvalidAccountError
from qiskit_ibm_runtime.exceptions import IBMInputValueError, IBMNotAuthorizedError

from qdeck.engine.ibm import (
    ApiToken,
    IbmCredentials,
    InvalidCredentialsError,
    ServiceCache,
    build_service,
    check_token,
    resolve_backend,
)

from .conftest import QUIET_RUNTIME_WARNINGS

pytestmark = QUIET_RUNTIME_WARNINGS
TOKEN = "ibmq-" + "x" * 36 + "LAST"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Builds:
    """A service factory that counts builds and hands out a fresh object each time."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, credentials: IbmCredentials) -> object:
        self.count += 1
        return object()


def test_token_shows_only_its_last_four_characters():
    credentials = IbmCredentials.from_token(TOKEN, instance="crn:v1:abc")
    shown = [repr(credentials), str(credentials), repr(credentials.token), f"{credentials.token}"]
    assert all(TOKEN not in text and "****LAST" in text for text in shown)
    assert credentials.token.reveal() == TOKEN


def test_short_tokens_are_fully_masked():
    assert repr(ApiToken("abc12345")) == "ApiToken('****')"


def test_pydantic_secret_is_accepted():
    credentials = IbmCredentials.from_token(SecretStr(TOKEN))
    assert credentials.token == ApiToken(TOKEN)
    assert hash(credentials.token) == hash(ApiToken(TOKEN))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: IbmCredentials.from_token("   "), "empty"),
        (lambda: IbmCredentials.from_token(TOKEN, channel="ibm_quantum"), "channel must be"),
        (lambda: IbmCredentials(None, "ibm_cloud"), "needs an API token"),
    ],
)
def test_invalid_credentials_are_refused(make, match):
    with pytest.raises(InvalidCredentialsError, match=match):
        make()


def test_cache_key_holds_a_hash_not_the_token():
    key = IbmCredentials.from_token(TOKEN).cache_key
    assert TOKEN not in json.dumps(key)
    assert key == (ApiToken(TOKEN).fingerprint, "ibm_quantum_platform", None)


def test_one_service_per_token_channel_and_instance():
    builds = Builds()
    cache = ServiceCache(factory=builds)
    first = IbmCredentials.from_token(TOKEN, instance="crn:a")
    assert cache.get(first) is cache.get(IbmCredentials.from_token(TOKEN, instance="crn:a"))
    cache.get(IbmCredentials.from_token(TOKEN, instance="crn:b"))
    cache.get(IbmCredentials.from_token(TOKEN + "2", instance="crn:a"))
    assert builds.count == 3 and len(cache) == 3
    assert TOKEN not in repr(cache)


def test_services_expire_after_the_ttl_and_can_be_forgotten():
    builds, clock = Builds(), Clock()
    cache = ServiceCache(factory=builds, ttl_seconds=60, clock=clock)
    credentials = IbmCredentials.from_token(TOKEN)
    service = cache.get(credentials)
    clock.now += 59
    assert cache.get(credentials) is service
    clock.now += 2
    assert cache.get(credentials) is not service
    cache.forget(credentials)
    cache.get(credentials)
    assert builds.count == 3


def test_local_channel_builds_the_local_testing_service():
    service = build_service(IbmCredentials.local())
    assert service.is_local is True
    backend = resolve_backend(service, IbmCredentials.local(), "fake_manila")
    assert backend.name == "fake_manila"


@pytest.mark.parametrize("name", ["ibm_manila", "ibmq_manila"])
def test_local_mode_maps_real_device_names_to_their_fakes(name):
    service = build_service(IbmCredentials.local())
    assert resolve_backend(service, IbmCredentials.local(), name).name == "fake_manila"


@pytest.mark.parametrize("name", ["aer_simulator", "fake_nowhere", ""])
def test_local_mode_refuses_what_is_not_a_fake_device(name):
    service = build_service(IbmCredentials.local())
    with pytest.raises(QiskitBackendNotFoundError):
        resolve_backend(service, IbmCredentials.local(), name)


def test_unknown_instance_gets_its_own_error(monkeypatch):
    def refuse(**kwargs):
        raise IBMInputValueError("The instance specified is not a valid instance")

    monkeypatch.setattr(qiskit_ibm_runtime, "QiskitRuntimeService", refuse)
    check = check_token(TOKEN, instance="crn:v1:missing", factory=build_service)
    assert check.ok is False
    assert check.error["code"] == "ibm_instance_not_found"
    assert "crn:v1:missing" in check.error["message"]


def test_check_token_lists_backends_when_the_token_works():
    class Service:
        def backends(self):
            return [type("B", (), {"name": n}) for n in ("ibm_torino", "ibm_fez")]

        def active_instance(self):
            return "crn:v1:chosen"

    check = check_token(TOKEN, factory=lambda credentials: Service())
    assert check.to_dict() == {
        "ok": True,
        "channel": "ibm_quantum_platform",
        "instance": "crn:v1:chosen",
        "backends": ["ibm_fez", "ibm_torino"],
        "error": None,
    }


def test_check_token_in_local_mode_needs_no_token():
    check = check_token(None, channel="local")
    assert check.ok is True and "fake_manila" in check.backends


def _raise(exc: BaseException):
    def factory(credentials):
        raise exc

    return factory


@pytest.mark.parametrize(
    ("factory", "code", "transient"),
    [
        (_raise(IBMNotAuthorizedError(f"401 for token {TOKEN}")), "ibm_auth_failed", False),
        (_raise(InvalidAccountError("Unable to retrieve instances.")), "ibm_auth_failed", False),
        (_raise(requests.ConnectTimeout("connect timed out")), "ibm_network_error", True),
    ],
)
def test_check_token_maps_failures_and_never_leaks_the_token(factory, code, transient):
    with structlog.testing.capture_logs() as logs:
        check = check_token(TOKEN, factory=factory)
    assert check.ok is False and check.backends == []
    assert (check.error["code"], check.error["transient"]) == (code, transient)
    assert TOKEN not in json.dumps(check.to_dict()) + repr(check) + repr(logs)
    assert logs and logs[0]["code"] == code


def test_check_token_refuses_an_empty_token_without_calling_ibm():
    check = check_token("", factory=_raise(AssertionError("must not be called")))
    assert check.error["code"] == "ibm_credentials_invalid"
