"""Fuzz the emulator's HTTP surface: requests generated from the models, then mutated.

Every operation of both models, with a body built from its input shape by wire names (valid
values, enums, ranges) and then mutated: values replaced by wrong types, huge or deeply nested
ones, odd Unicode (lone surrogates, NUL, bidi controls), out-of-range numbers; members added
(path members such as ``appId`` in the body, member names for wire names) or removed; the raw
text cut or nested 100,000 deep; path parameters that are odd, encoded or not UTF-8.

What must hold: no response is a 5xx, every response body is the model's shape for its
operation or error, and resources made before the run read back unchanged. Those resources'
ids go into bodies and query strings (as an attacker would send them) but never into a path,
so that no honest request can change them.

CI runs a bounded number of examples; set AAW_FUZZ_EXAMPLES for a long run, e.g. 12000.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import pytest
from conftest import signed, valid_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.wire import response_problems

from amplify_auth_widgets.core.model import service_model
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.protocol import Route, routes

EXAMPLES = int(os.environ.get("AAW_FUZZ_EXAMPLES", "300"))
SENTINELS: list[str] = []  # ids of the apps that must not change; filled by the fixture

ODD_TEXT = st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "\u202eevil", "\U0001d54f" * 3, "", " ", "é" * 300, "%00"]
)
HUGE_TEXT = st.integers(1_000, 400_000).map(lambda n: "x" * n)


def nested(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


ODD = st.one_of(
    ODD_TEXT,
    st.text(st.characters(categories=["Cs", "Cc", "Cf", "Co", "Lo"]), max_size=8),
    HUGE_TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.integers(20, 40).map(nested),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.deferred(lambda: st.sampled_from(SENTINELS)),
)
SMUGGLED_KEYS = ["appId", "AppId", "backendEnvironmentName", "BackendEnvironmentName", "jobId"]
SEGMENTS = st.one_of(
    st.sampled_from(["d1demotodo", "d2demoshop", "dev", "prod", "staging", "mainauth", "x"]),
    st.sampled_from(["%00", "a%2Fb", "..", "%ED%A0%80", "%F0%9F%98%80", "%C3%BC", "A" * 300]),
    st.text(max_size=6).map(lambda t: quote(t.encode("utf-8", "surrogatepass"), safe="")),
)
_cache: dict[tuple[str, str], st.SearchStrategy] = {}


def value_of(shape: Any, service: str) -> st.SearchStrategy:
    """Valid wire values of a botocore shape (structures by wire name, body members only)."""
    key = (service, shape.name)
    if key not in _cache:
        _cache[key] = _build(shape, service)
    return _cache[key]


def _build(shape: Any, service: str) -> st.SearchStrategy:
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        required_names = set(shape.required_members)
        required, optional = {}, {}
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue  # path, query and header members are not in a body
            chosen = required if name in required_names else optional
            chosen[member.serialization.get("name", name)] = value_of(member, service)
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        return st.lists(value_of(shape.member, service), max_size=3)
    if kind == "map":
        return st.dictionaries(st.text(max_size=6), value_of(shape.value, service), max_size=3)
    if kind == "string":
        if getattr(shape, "enum", None):
            return st.sampled_from(shape.enum)
        low, high = meta.get("min", 0), min(meta.get("max", 30), 30)
        return st.text(min_size=low, max_size=max(low, high))
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "long"):
        return st.integers(meta.get("min", -(2**31)), meta.get("max", 2**31))
    if kind in ("double", "float"):
        return st.floats(meta.get("min"), meta.get("max"), allow_nan=False, allow_infinity=False)
    if kind == "timestamp":
        return st.integers(0, 2_000_000_000)
    return st.none()


def containers(value: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) pair in a JSON value, to pick a mutation's place from."""
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((value, key))
            containers(item, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.append((value, i))
            containers(item, found)
    return found


@st.composite
def requests(draw: Any) -> tuple[Route, str, str]:
    route = draw(st.sampled_from(routes()))
    model = service_model(route.service).operation_model(route.operation)
    shape = model.input_shape
    body: Any = draw(value_of(shape, route.service)) if shape is not None else {}
    if route.operation in ("CreateBackendAuth", "UpdateBackendAuth") and draw(st.booleans()):
        body = {  # start from the corpus's full valid request: deep, realistic members
            "resourceName": "mainauth",
            "backendEnvironmentName": "dev",
            "resourceConfig": wire_config(),
        }
    for _ in range(draw(st.integers(0, 3))):
        places = containers(body, [])
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if action == "add" or not places:
            if isinstance(body, dict):
                key = draw(st.sampled_from(SMUGGLED_KEYS) | st.text(max_size=8))
                body[key] = draw(ODD)
        else:
            container, key = draw(st.sampled_from(places))
            if action == "replace":
                container[key] = draw(ODD)
            else:
                del container[key]
    text = json.dumps(body)
    raw = draw(st.sampled_from(["as is"] * 8 + ["cut", "deep", "number", "not json"]))
    if raw == "cut":
        text = text[: draw(st.integers(0, max(0, len(text) - 1)))]
    elif raw == "deep":
        depth = draw(st.sampled_from([33, 1_000, 100_000]))
        text = '{"resourceName": ' + "[" * depth + "]" * depth + "}"
    elif raw == "number":
        text = '{"maxResults": ' + "9" * draw(st.sampled_from([20, 400, 5_000])) + "}"
    elif raw == "not json":
        text = draw(st.sampled_from(["NaN", "{'a': 1}", "[1]", '{"a": Infinity}', "\ufeff{}"]))
    path = route.pattern.pattern.strip("^$").replace("/?", "").replace("\\", "")
    for name in route.pattern.groupindex:
        segment = draw(SEGMENTS)
        path = path.replace(f"(?P<{name}>[^/]+)", segment).replace(f"(?P<{name}>.+)", segment)
    query = draw(
        st.sampled_from(["", "?maxResults=1", "?maxResults=%ED%A0%80", "?nextToken=%00"])
        | st.deferred(lambda: st.sampled_from(SENTINELS)).map(lambda s: f"?appId={s}")
    )
    return route, path + query, text


def wire_config() -> dict[str, Any]:
    from botocore.serialize import create_serializer

    request = valid_request(AppId="d1demotodo", BackendEnvironmentName="dev")
    serialized = create_serializer("rest-json").serialize_to_request(
        request, service_model().operation_model("CreateBackendAuth")
    )
    return json.loads(serialized["body"])["resourceConfig"]


def snapshot(emu: Emulator) -> list[Any]:
    """What the sentinel apps read back as, through the API."""
    client, amplify = emu.client(), emu.client("amplify")
    seen: list[Any] = []
    for app_id in SENTINELS:
        app = amplify.get_app(appId=app_id)["app"]
        seen.append(app)
        seen.append(amplify.list_backend_environments(appId=app_id)["backendEnvironments"])
        seen.append(client.get_backend(AppId=app_id, BackendEnvironmentName="dev"))
        seen.append(
            client.get_backend_auth(
                AppId=app_id, BackendEnvironmentName="dev", ResourceName="mainauth"
            )["ResourceConfig"]
        )
        seen.append(client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"])
    for item in seen:
        if isinstance(item, dict):
            item.pop("ResponseMetadata", None)
    return seen


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("fuzz") / "state.sqlite3")
    with Emulator(job_seconds=0, demo=True, seed=11, db=db) as emu:
        SENTINELS.clear()
        for name in ("alpha", "beta", "gamma"):
            app_id = emu.create_app(f"sentinel-{name}", ("dev", "prod"))
            emu.client().create_backend_auth(
                **valid_request(AppId=app_id, BackendEnvironmentName="dev")
            )
            SENTINELS.append(app_id)
        emu.settle()
        yield emu


def test_fuzzed_requests_get_no_5xx_and_leave_other_resources_alone(fuzzed):
    before = snapshot(fuzzed)
    problems: list[str] = []

    def record(service, operation, status, headers, body) -> None:
        if status >= 500:
            problems.append(f"{service} {operation}: {status} {body[:200]!r}")
        problems.extend(response_problems(service, operation, status, headers, body))

    fuzzed.app.response_hooks.append(record)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(request=requests())
    def one(request: tuple[Route, str, str]) -> None:
        route, path, text = request
        problems.clear()
        status, _, payload = signed(
            fuzzed.url,
            route.method,
            path,
            text.encode("utf-8", "surrogatepass"),
            {"Content-Type": "application/json"},
            service=route.service,
        )
        assert status < 500, (route.operation, path, text[:300], payload)
        assert not problems, problems

    try:
        one()
    finally:
        fuzzed.app.response_hooks.remove(record)
    assert fuzzed.app.requests >= EXAMPLES
    assert snapshot(fuzzed) == before
