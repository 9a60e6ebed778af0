"""A minimal asyncio HTTP/1.1 server for SOAP, snapshots and the control API.

Hundreds of cameras each need their own HTTP endpoint in one process, so this is a small
keep-alive request loop on ``asyncio.start_server`` rather than a framework per camera. It
enforces a request size limit and I/O timeouts (a camera that can be tied up by a slow client
is no use to a test suite), and it can stop listening and later listen again on the same port,
which is how the offline and reboot faults look to a client: connection refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from simulator.connections import Connections

log = logging.getLogger(__name__)

MAX_HEADER = 16 * 1024
MAX_BODY = 1024 * 1024
IO_TIMEOUT_S = 30.0
_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    path: str  # including any query string
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Awaitable[Response]]


class HttpServer:
    """Serves ``handler`` on ``host``:``port`` (0 picks a free port, kept across restarts)."""

    def __init__(self, handler: Handler, host: str, port: int, name: str) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.name = name
        self._server: asyncio.Server | None = None
        self._connections = Connections()

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=MAX_HEADER, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        server, self._server = self._server, None
        await self._connections.drop_all(server)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = self._connections.enter(writer)
        graceful = False
        try:
            while await self._one(reader, writer):
                pass
            graceful = True
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        except asyncio.LimitOverrunError:
            await self._send(writer, Response(413, b"header too large"), keep_alive=False)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("HTTP connection to %s failed", self.name)
        finally:
            try:
                if graceful:
                    await self._close(writer)
            except asyncio.CancelledError:
                pass
            finally:
                self._connections.leave(writer, task)

    @staticmethod
    async def _close(writer: asyncio.StreamWriter) -> None:
        """Closes after the last response has left: ``drain`` only waits until the buffer is
        under the high-water mark, and ``abort`` would drop the tail of a large body."""
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), IO_TIMEOUT_S)
        except (ConnectionError, TimeoutError):
            writer.transport.abort()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IO_TIMEOUT_S)
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            return False
        method, path, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            await self._send(writer, Response(400, b"chunked bodies not supported"), False)
            return False
        try:
            length = int(headers.get("content-length", "0") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            await self._send(writer, Response(413, b"body too large"), keep_alive=False)
            return False
        body = await asyncio.wait_for(reader.readexactly(length), IO_TIMEOUT_S) if length else b""
        keep_alive = (
            headers.get("connection", "").lower() != "close" and version.upper() == "HTTP/1.1"
        )
        try:
            response = await self.handler(Request(method.upper(), path, headers, body))
        except Exception:
            log.exception("%s: handler failed on %s %s", self.name, method, path)
            response = Response(500, b"internal error")
        await self._send(writer, response, keep_alive)
        return keep_alive

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, response: Response, keep_alive: bool) -> None:
        reason = _REASONS.get(response.status, "Unknown")
        head = [
            f"HTTP/1.1 {response.status} {reason}",
            "Server: StationSim/1.0",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
            f"Connection: {'keep-alive' if keep_alive else 'close'}",
        ]
        head += [f"{k}: {v}" for k, v in response.headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
        await asyncio.wait_for(writer.drain(), IO_TIMEOUT_S)
