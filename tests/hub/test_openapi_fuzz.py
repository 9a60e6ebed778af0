"""Schemathesis against the hub's served OpenAPI schema: no request ever gets a 5xx.

Every operation in ``/openapi.json`` is fuzzed with schema-valid data (positive mode) and
schema-breaking data (negative mode), with the station's own token, another station's,
none, and garbage, against the real hub process (SQLite and PostgreSQL). CI runs a few
dozen cases per operation and mode; ``SC_RELIABILITY_FULL=1`` runs many more.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.hub import reliability

EXAMPLES = reliability.count(ci=40, full_count=500)
EPOCH = "fuzz-epoch"


@pytest.fixture(scope="module")
def api(hub_process):
    return schemathesis.openapi.from_url(f"{hub_process.url}/openapi.json", timeout=10)


def _operations(schema) -> list:
    ops = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in ops} >= {
        "/v1/sync/hello",
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/sync/snapshot",
    }
    return ops


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzed_requests_never_get_a_5xx(hub_process, make_station, api, mode) -> None:
    own = make_station("fuzz-own")
    other = make_station("fuzz-other")
    auths = [
        {"Authorization": f"Bearer {own.token}"},
        {"Authorization": f"Bearer {other.token}"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic \u00e9\u00e9"},
        {},
    ]
    session = requests.Session()
    session.trust_env = False  # never a proxy: loopback only
    hello = session.post(
        f"{hub_process.url}/v1/sync/hello",
        json={"station_id": own.station_id, "epoch": EPOCH, "base_seq": 0},
        headers=auths[0],
        timeout=10,
    )
    assert hello.status_code == 200, hello.text
    statuses: dict[int, int] = {}

    def fuzz(op) -> None:
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def run(data) -> None:
            auth = data.draw(st.sampled_from([auths[0], *auths]), label="auth")
            case = data.draw(op.as_strategy(mode, headers=auth or None), label="case")
            # Half the time, aim past the ownership checks: own station id, own epoch and
            # feed, so the storage layer sees fuzzed changes too.
            if auth is auths[0] and data.draw(st.booleans(), label="aim"):
                if isinstance(case.body, dict):
                    case.body["station_id"] = own.station_id
                    if "epoch" in case.body:
                        case.body["epoch"] = EPOCH
                if isinstance(case.query, dict) and "feed" in case.query:
                    case.query["feed"] = f"station:{own.station_id}"
            response = case.call(base_url=hub_process.url, session=session, timeout=10)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:300]}"
            )

        try:
            run()
        except Unsatisfiable:
            # Nothing in this operation can be broken (GET /healthz has no inputs).
            assert mode == GenerationMode.NEGATIVE and op.path == "/healthz", op.path

    try:
        for op in _operations(api):
            fuzz(op)
    finally:
        session.close()
    reliability.record(
        "openapi_fuzz",
        reliability.engine_name(hub_process.db_url),
        mode=str(mode),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        server_errors=sum(v for k, v in statuses.items() if k >= 500),
    )
    # The fuzzer reached past authentication and validation, not only 401s.
    assert any(200 <= code < 300 for code in statuses) or mode == GenerationMode.NEGATIVE
    assert len(statuses) >= 2, statuses
