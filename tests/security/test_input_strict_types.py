"""Numbers are JSON numbers and switches JSON booleans: "10" and true are not a shot count.
Before: ``"shots": "10"`` and ``"shots": true`` were silently accepted."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import qdeck
from qdeck.api.schemas import InputModel
from tests.accounts import Accounts
from tests.jobs.conftest import BELL

LAX = ["10", True, False, 10.0, "1e1"]


async def test_shots_must_be_a_number(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for shots in LAX:
        response = await ada.client.post(
            "/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": shots}
        )
        assert response.status_code == 422, (shots, response.text)
        assert response.json()["errors"][0]["field"] == "shots"
    assert (await ada.client.get("/api/v1/jobs")).json()["items"] == []
    ok = await ada.client.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 10})
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/jobs", {"circuits": [{"source": BELL}], "seed": "7"}, "seed"),
        ("/api/v1/jobs", {"circuits": [{"source": BELL}], "priority": True}, "priority"),
        (
            "/api/v1/jobs",
            {"circuits": [{"source": BELL}], "optimization_level": "1"},
            "optimization_level",
        ),
        (
            "/api/v1/jobs",
            {"circuits": [{"source": BELL}], "timeout_seconds": "60"},
            "timeout_seconds",
        ),
        (
            "/api/v1/jobs",
            {
                "primitive": "estimator",
                "circuits": [{"source": BELL, "observables": [[["ZZ", "1"]]]}],
            },
            "circuits.0.observables.0.0.1",
        ),
        (
            "/api/v1/jobs",
            {"primitive": "estimator", "precision": "0.1", "circuits": [{"source": BELL}]},
            "precision",
        ),
        ("/api/v1/tokens", {"name": "ci", "expires_in_days": "30"}, "expires_in_days"),
        (
            "/api/v1/sessions",
            {"backend": "aer_simulator", "max_time_seconds": "60"},
            "max_time_seconds",
        ),
        (
            "/api/v1/sessions",
            {"backend": "aer_simulator", "idle_timeout_seconds": True},
            "idle_timeout_seconds",
        ),
    ],
)
async def test_every_number_is_strict(
    accounts: Accounts, path: str, body: dict[str, Any], field: str
) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_query_parameters_still_take_text(accounts: Accounts) -> None:
    """A URL carries only text: ?limit=1 is still a number there."""
    ada = await accounts.sign_up("Ada")
    assert (await ada.client.get("/api/v1/jobs", params={"limit": "1"})).status_code == 200
    assert (await ada.client.get("/api/v1/backends", params={"min_qubits": "5"})).status_code == 200


def _input_models() -> list[type[InputModel]]:
    for module in pkgutil.walk_packages(qdeck.__path__, "qdeck."):
        if module.name.endswith(("schemas", ".params")):
            importlib.import_module(module.name)
    found: list[type[InputModel]] = []
    todo = list(InputModel.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo.extend(model.__subclasses__())
    return found


def _lax_numbers(schema: Any, path: str = "") -> list[str]:
    """Every int, float or bool in a core schema that accepts text or booleans."""
    lax: list[str] = []
    if isinstance(schema, dict):
        if schema.get("type") in ("int", "float", "bool") and not schema.get("strict"):
            lax.append(path or schema["type"])
        for key, value in schema.items():
            lax += _lax_numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            lax += _lax_numbers(value, f"{path}[{i}]")
    return lax


def test_no_input_model_has_a_lax_number() -> None:
    """A guard for models written later: every number and switch in every InputModel
    (nested lists and tuples included) is strict."""
    models = _input_models()
    assert len(models) >= 15
    offenders = {
        model.__qualname__: lax
        for model in models
        if (lax := _lax_numbers(model.__pydantic_core_schema__))
    }
    assert offenders == {}
