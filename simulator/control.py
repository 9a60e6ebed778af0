"""Loopback HTTP control API of a running simulator, and the client ``ctl`` uses.

Endpoints (JSON in and out, 127.0.0.1 only):

* ``GET /cameras`` — the camera list, as printed by ``--json-ready``;
* ``POST /cameras/<key>/faults`` with ``{"fault": "clock-skew", "args": {"seconds": 90}}``;
* ``DELETE /cameras/<key>/faults`` (all) or ``DELETE /cameras/<key>/faults/<fault>``;
* ``GET /link`` and ``POST /link`` with ``{"up": false}`` — cut or restore the link to the
  district hub (when the precinct relays one, see simulator.link).

``<key>`` is a camera index, its serial, or its name (URL-encoded). The control server runs on
the precinct loop, so it calls the cameras' coroutines directly rather than ``Camera.inject``.
"""

from __future__ import annotations

import json
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from simulator.http_server import HttpServer, Request, Response

if TYPE_CHECKING:
    from simulator.precinct import Precinct

DEFAULT_CONTROL_PORT = 17900
CLIENT_TIMEOUT_S = 10.0


def _json(status: int, payload: Any) -> Response:
    return Response(status, json.dumps(payload).encode(), "application/json")


class ControlServer:
    def __init__(self, precinct: Precinct, host: str, port: int) -> None:
        self.precinct = precinct
        self.server = HttpServer(self._handle, host, port, "control")

    @property
    def port(self) -> int:
        return self.server.port

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        await self.server.stop()

    async def _handle(self, request: Request) -> Response:
        parts = [unquote(p) for p in urlsplit(request.path).path.strip("/").split("/")]
        if request.method == "GET" and parts == ["cameras"]:
            return _json(200, self.precinct.describe())
        if parts == ["link"]:
            return await self._link(request)
        if len(parts) < 3 or parts[0] != "cameras" or parts[2] != "faults":
            return _json(404, {"error": "no such endpoint"})
        try:
            handle = self.precinct.camera(int(parts[1]) if parts[1].isdigit() else parts[1])
        except KeyError:
            return _json(404, {"error": f"no camera {parts[1]!r}"})
        camera = handle._camera
        try:
            if request.method == "POST" and len(parts) == 3:
                body = json.loads(request.body or b"{}")
                await camera.inject(str(body["fault"]), dict(body.get("args") or {}))
            elif request.method == "DELETE":
                await camera.clear(parts[3] if len(parts) > 3 else None)
            else:
                return _json(405, {"error": "method not allowed"})
        except (ValueError, KeyError, TypeError) as err:
            return _json(400, {"error": str(err)})
        return _json(200, {"camera": handle.info.name, "faults": handle.faults()})

    async def _link(self, request: Request) -> Response:
        link = self.precinct.link
        if link is None:
            return _json(404, {"error": "this precinct relays no hub link"})
        if request.method == "POST":
            try:
                up = json.loads(request.body or b"{}")["up"]
            except (ValueError, KeyError, TypeError) as err:
                return _json(400, {"error": f"expected {{'up': true|false}}: {err}"})
            await (link.start() if up else link.cut())
        elif request.method != "GET":
            return _json(405, {"error": "method not allowed"})
        return _json(200, {"up": link.up, "port": link.port})


def _request(req: urllib.request.Request) -> dict[str, Any]:
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=CLIENT_TIMEOUT_S) as resp:  # noqa: S310
            return dict(json.load(resp))
    except urllib.error.HTTPError as err:
        with err:
            detail = json.loads(err.read() or b"{}").get("error", str(err))
        raise RuntimeError(detail) from err


def set_link(up: bool, *, port: int = DEFAULT_CONTROL_PORT) -> dict[str, Any]:
    """Cut (``up=False``) or restore the running precinct's link to the hub."""
    data = json.dumps({"up": up}).encode()
    url = f"http://127.0.0.1:{int(port)}/link"
    return _request(urllib.request.Request(url, data=data, method="POST"))


def ctl(
    camera: str,
    fault: str,
    args: dict[str, Any],
    *,
    port: int = DEFAULT_CONTROL_PORT,
    host: str = "127.0.0.1",
) -> dict[str, Any]:
    """Inject ``fault`` into a running simulator's camera; ``fault="clear"`` clears all."""
    base = f"http://{host}:{port}/cameras/{quote(camera, safe='')}/faults"
    if fault == "clear":
        url, data, method = base, None, "DELETE"
    elif fault.startswith("clear:"):
        url, data, method = f"{base}/{quote(fault[6:])}", None, "DELETE"
    else:
        url, data, method = base, json.dumps({"fault": fault, "args": args}).encode(), "POST"
    if not url.startswith("http://"):
        raise ValueError("control API is plain HTTP on loopback")
    return _request(urllib.request.Request(url, data=data, method=method))  # noqa: S310
