"""The precinct's link to the district hub, which can be cut and restored.

A station's WAN link fails in the real world; the demo needs to show what happens then (the
outbox fills, the sync status says the hub cannot be reached, the backlog drains when the
link is back). This is a plain loopback TCP relay on the precinct's loop, placed between the
console and the hub: ``down`` stops listening and cuts every open connection (the console
sees the hub refuse), ``up`` listens again on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from simulator.connections import Connections

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
CONNECT_TIMEOUT_S = 5.0


class DistrictLink:
    """Relays ``host:port`` to ``host:upstream_port`` while up."""

    def __init__(self, host: str, upstream_port: int, port: int = 0) -> None:
        self.host = host
        self.upstream_port = upstream_port
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections = Connections()

    @property
    def up(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._relay, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("district link up on port %d", self.port)

    async def cut(self) -> None:
        """The link goes down: nothing gets through until :meth:`start` again."""
        server, self._server = self._server, None
        await self._connections.drop_all(server)
        log.info("district link cut")

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = self._connections.enter(writer)
        up_writer: asyncio.StreamWriter | None = None
        try:
            up_reader, upstream = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.upstream_port), CONNECT_TIMEOUT_S
            )
            up_writer = upstream
            self._connections.writers.add(upstream)
            await asyncio.gather(_pipe(reader, upstream), _pipe(up_reader, writer))
        except (OSError, TimeoutError, asyncio.CancelledError):
            pass
        finally:
            if up_writer is not None:
                up_writer.transport.abort()
                self._connections.writers.discard(up_writer)
            self._connections.leave(writer, task)


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(CHUNK):
            sink.write(data)
            await sink.drain()
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            if sink.can_write_eof():
                sink.write_eof()
