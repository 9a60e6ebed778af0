"""The hub's HTTP API (FastAPI): sync endpoints with per-station bearer tokens.

Request bodies are pydantic models wrapping the core's protocol dataclasses, so malformed
input is a 4xx from validation and never reaches the storage layer.
"""

# No "from __future__ import annotations": FastAPI resolves the local Auth alias at runtime.

from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.schema import make_engine
from hub.store import Hub, HubReject, Station
from hub.web import media_response, mount_console
from station_console.sync.protocol import Change

MAX_SEQ = 2**62
Text = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f]+$")]
# The station's wall clock (ms since 1970) when it sent the request, for drift reports.
WallMs = Annotated[int | None, Field(ge=0, le=2**53)]


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seq: Annotated[int, Field(ge=1, le=MAX_SEQ)]
    op_id: Text
    entity: Text
    entity_id: Text
    op: Literal["upsert", "delete"]
    fields: dict[str, Any]
    hlc: Text


class PushIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    station_id: Text
    epoch: Text
    changes: Annotated[list[ChangeIn], Field(min_length=1, max_length=5000)]
    backlog: Annotated[int, Field(ge=0, le=MAX_SEQ)] = 0
    wall_ms: WallMs = None


class HelloIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    station_id: Text
    epoch: Text
    base_seq: Annotated[int, Field(ge=0, le=MAX_SEQ)]
    wall_ms: WallMs = None


def create_app(db_url: str) -> FastAPI:
    """The ASGI app for the hub database at ``db_url``."""
    hub = Hub(make_engine(db_url))
    app = FastAPI(title="Station Console district hub", version="1")
    app.state.hub = hub

    @app.exception_handler(HubReject)
    async def _reject(_request: Request, exc: HubReject) -> JSONResponse:
        return JSONResponse({"detail": exc.detail()}, status_code=exc.status)

    def station(authorization: Annotated[str | None, Header()] = None) -> Station:
        scheme, _, token = (authorization or "").partition(" ")
        found = hub.authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise HTTPException(
                401,
                {"code": "auth_failed", "message": "missing or unknown station token"},
                headers={"WWW-Authenticate": "Bearer"},
            )
        return found

    Auth = Annotated[Station, Depends(station)]

    def same_station(st: Station, claimed: str) -> None:
        if claimed != st.station_id:
            raise HubReject(403, "wrong_station", "the token belongs to another station")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/sync/hello")
    def hello(body: HelloIn, st: Auth) -> dict[str, Any]:
        same_station(st, body.station_id)
        r = hub.hello(st, body.epoch, body.base_seq, wall_ms=body.wall_ms)
        return {
            "station_id": r.station_id,
            "district_id": r.district_id,
            "epoch": r.epoch,
            "last_seq": r.last_seq,
            "hub_hlc": r.hub_hlc,
            "feeds": r.feeds,
        }

    @app.post("/v1/sync/push")
    def push(body: PushIn, st: Auth) -> dict[str, Any]:
        same_station(st, body.station_id)
        changes = [Change(**c.model_dump()) for c in body.changes]
        r = hub.push(st, body.epoch, changes, backlog=body.backlog, wall_ms=body.wall_ms)
        return {"acked_seq": r.acked_seq, "hub_hlc": r.hub_hlc}

    @app.get("/v1/sync/pull")
    def pull(
        st: Auth,
        feed: Annotated[str, Query(min_length=1, max_length=80)],
        cursor: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> dict[str, Any]:
        return hub.pull(st, feed, cursor, limit).to_dict()

    @app.get("/v1/sync/snapshot")
    def snapshot(
        st: Auth, feed: Annotated[str, Query(min_length=1, max_length=80)]
    ) -> dict[str, Any]:
        return hub.snapshot(st, feed).to_dict()

    @app.get(
        "/v1/media/{media_id}",
        responses={200: {"content": {"image/*": {}}}, 404: {"description": "no such photo"}},
    )
    def get_media(
        st: Auth, media_id: Annotated[str, Path(min_length=1, max_length=64)]
    ) -> Response:
        """A photo attached to a bulletin of the station's district (fetched on request)."""
        return media_response(hub.engine, st.district_id, media_id)

    mount_console(app, hub)
    return app
