"""A loopback TCP proxy that drops and resets connections, for exactly-once tests.

Faults are chosen per chunk with a seeded RNG: reset before a request reaches the hub,
or swallow the hub's reply after the hub has already committed (the nasty case).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from dataclasses import dataclass, field


@dataclass
class FaultyProxy:
    upstream_port: int
    p_reset_request: float = 0.15
    p_drop_reply: float = 0.2
    seed: int = 1
    port: int = 0
    faults: dict[str, int] = field(default_factory=lambda: {"reset": 0, "drop_reply": 0})

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    def start(self) -> FaultyProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._shutdown())
        self._loop.close()

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for w in list(self._writers):
            w.transport.abort()
        for t in list(self._handlers):
            t.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()
        await asyncio.sleep(0)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _handle(self, cr: asyncio.StreamReader, cw: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(cw)
        try:
            await self._proxy(cr, cw)
        finally:
            cw.transport.abort()
            self._writers.discard(cw)
            self._handlers.discard(task)

    async def _proxy(self, cr: asyncio.StreamReader, cw: asyncio.StreamWriter) -> None:
        try:
            ur, uw = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            return
        self._writers.add(uw)

        async def pump(
            src: asyncio.StreamReader, dst: asyncio.StreamWriter, kind: str, p: float
        ) -> None:
            while data := await src.read(65536):
                if self._rng.random() < p:
                    self.faults[kind] += 1
                    raise ConnectionResetError(kind)
                dst.write(data)
                await dst.drain()

        tasks = [
            asyncio.ensure_future(pump(cr, uw, "reset", self.p_reset_request)),
            asyncio.ensure_future(pump(ur, cw, "drop_reply", self.p_drop_reply)),
        ]
        with contextlib.suppress(Exception):
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(BaseException):
                await t
        uw.transport.abort()
        self._writers.discard(uw)
