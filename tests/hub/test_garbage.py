"""Malformed requests get a 4xx from every endpoint, never a 5xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENDPOINTS = [
    ("POST", "/v1/sync/hello"),
    ("POST", "/v1/sync/push"),
    ("GET", "/v1/sync/pull"),
    ("GET", "/v1/sync/snapshot"),
]

BODIES: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b"42",
    b'"x"',
    b"\xff\xfe\x00garbage",
    json.dumps({"station_id": None, "epoch": 1, "changes": "x"}).encode(),
    json.dumps({"station_id": "s", "epoch": "e", "changes": []}).encode(),
    json.dumps({"station_id": "s", "epoch": "e", "base_seq": -1}).encode(),
    json.dumps({"station_id": "s", "epoch": "e", "base_seq": 2**70}).encode(),
    json.dumps(
        {
            "station_id": "s\x00",
            "epoch": "e",
            "changes": [
                {
                    "seq": 2**80,
                    "op_id": "o",
                    "entity": "site",
                    "entity_id": "x",
                    "op": "upsert",
                    "fields": {},
                    "hlc": "h",
                }
            ],
        }
    ).encode(),
    json.dumps(
        {
            "station_id": "s",
            "epoch": "e",
            "changes": [
                {
                    "seq": 1,
                    "op_id": "o",
                    "entity": "site",
                    "entity_id": "x",
                    "op": "explode",
                    "fields": [],
                    "hlc": "h",
                    "extra": 1,
                }
            ],
        }
    ).encode(),
    json.dumps({"station_id": "s", "epoch": "e", "changes": [{}] * 6000}).encode(),
]
QUERIES = [
    {},
    {"feed": ""},
    {"feed": "x" * 500},
    {"feed": "station:x", "cursor": "abc"},
    {"feed": "station:x", "cursor": -5},
    {"feed": "station:x", "cursor": 2**80},
    {"feed": "station:x", "limit": 0},
    {"feed": "station:x", "limit": 10**9},
]


def _send(client, method, path, body=b"", params=None):
    return client.request(
        method, path, content=body, params=params, headers={"Content-Type": "application/json"}
    )


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_garbage_gets_4xx(hub_process, make_station, method, path) -> None:
    st = make_station("garbage")
    for token in (st.token, None, "wrong"):
        client = hub_process.client(token)
        for body in BODIES:
            r = _send(client, method, path, body)
            assert 400 <= r.status_code < 500, (token, body[:80], r.status_code, r.text)
        for params in QUERIES:
            r = _send(client, method, path, b"{}", params)
            assert 400 <= r.status_code < 500, (token, params, r.status_code, r.text)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
change_like = st.fixed_dictionaries(
    {},
    optional={
        "seq": json_values,
        "op_id": json_values,
        "entity": st.sampled_from(["site", "fault", "instruction", "x"]) | json_values,
        "entity_id": json_values,
        "op": st.sampled_from(["upsert", "delete"]) | json_values,
        "fields": json_values,
        "hlc": json_values,
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "station_id": json_values,
            "epoch": json_values,
            "base_seq": json_values,
            "changes": st.lists(change_like, max_size=3) | json_values,
        },
    )
)
def test_fuzzed_bodies_never_5xx(hub_process, make_station, body) -> None:
    token = _token(hub_process, make_station)
    client = hub_process.client(token)
    for path in ("/v1/sync/hello", "/v1/sync/push"):
        r = client.post(path, json=body)
        assert r.status_code < 500, (path, body, r.text)


_TOKENS: dict[str, str] = {}


def _token(hub_process, make_station) -> str:
    if hub_process.url not in _TOKENS:
        _TOKENS[hub_process.url] = make_station("fuzz").token
    return _TOKENS[hub_process.url]


def test_openapi_schema_is_served(hub_process) -> None:
    r = hub_process.client().get("/openapi.json")
    assert r.status_code == 200
    assert "/v1/sync/push" in r.json()["paths"]
