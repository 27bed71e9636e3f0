"""No operation of the contract is missing from the routes table, the client, or the simulator."""

from __future__ import annotations

import inspect
import re

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.routes import API_PREFIX, ROUTES
from tests.contract.contract_operations import CLIENT_METHODS, CONTRACT_OPERATIONS


def _shape(path: str) -> str:
    """A path with every parameter name erased: the simulator may call {id} {instance_id}."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_transcribed_contract_has_no_duplicates():
    assert len(set(CONTRACT_OPERATIONS)) == len(CONTRACT_OPERATIONS) == 69


def test_every_contract_operation_is_in_the_routes_table_and_nothing_else_is():
    routed = {(route.method, route.path) for route in ROUTES.values()}
    assert routed == set(CONTRACT_OPERATIONS)


def test_every_named_client_method_exists_and_uses_its_operation():
    assert set(ROUTES) == set(CLIENT_METHODS)
    for name, (method, path) in CLIENT_METHODS.items():
        assert (ROUTES[name].method, ROUTES[name].path) == (method, path), name
        assert callable(getattr(BarrackClient, name, None)), f"BarrackClient.{name} is missing"


def test_every_client_method_sends_the_operation_named_after_it():
    # A method that called another method's route would still pass the two checks above.
    for name in CLIENT_METHODS:
        source = inspect.getsource(getattr(BarrackClient, name))
        assert f'"{name}"' in source, f"BarrackClient.{name} does not send ROUTES[{name!r}]"


def test_the_simulator_serves_every_contract_operation(sim_openapi):
    served = {
        (method.upper(), _shape(path))
        for path, operations in sim_openapi["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "delete", "patch")
    }
    missing = sorted(
        f"{method} {path}" for method, path in CONTRACT_OPERATIONS if (method, _shape(API_PREFIX + path)) not in served
    )
    assert missing == []


def test_the_simulator_documents_contract_model_names(sim_openapi):
    schemas = set(sim_openapi.get("components", {}).get("schemas", {}))
    for name in ("VMInstance", "VolumeResponse", "ErrorResponse", "DeploymentRequest", "GetVolumesWithNextNameResponse"):
        assert name in schemas, f"{name} missing from /openapi.json"


def test_every_client_method_is_exercised_against_the_simulator():
    import pathlib

    here = pathlib.Path(__file__).parent
    suites = "".join(path.read_text() for path in here.glob("test_sim_*.py"))
    unexercised = sorted(name for name in CLIENT_METHODS if f"client.{name}(" not in suites)
    assert unexercised == []
