"""A loopback TCP proxy that delays, drops, resets, stalls and cuts, for exactly-once tests.

Faults are chosen per chunk with a seeded RNG:

- ``reset``: reset the connection before a request chunk reaches the hub;
- ``drop_reply``: swallow a reply chunk and reset (the hub has already committed);
- ``reset_mid_reply``: pass part of a reply chunk through, then reset;
- ``cut_reply``: pass the first N bytes of a reply chunk, then close cleanly (FIN);
- ``stall``: stop passing anything and hold the connection open until the client gives up;
- ``delay``: hold a chunk back for up to ``max_delay_s`` before passing it on.

``down = True`` is a partition: every new connection is accepted and reset at once, and
open ones are cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from dataclasses import dataclass, field

FAULTS = ("reset", "drop_reply", "reset_mid_reply", "cut_reply", "stall", "delay", "refused")


@dataclass
class FaultyProxy:
    upstream_port: int
    p_reset_request: float = 0.1
    p_drop_reply: float = 0.1
    p_reset_mid_reply: float = 0.05
    p_cut_reply: float = 0.05
    p_stall: float = 0.01
    p_delay: float = 0.1
    max_delay_s: float = 0.2
    seed: int = 1
    port: int = 0
    faults: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULTS, 0))

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._down = False

    def start(self) -> FaultyProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    @property
    def down(self) -> bool:
        return self._down

    @down.setter
    def down(self, value: bool) -> None:
        self._down = value
        if value:
            self._loop.call_soon_threadsafe(self._cut_all)

    def _cut_all(self) -> None:
        for w in list(self._writers):
            w.transport.abort()

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
        self._cut_all()
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
            if self._down:
                self.faults["refused"] += 1
                return
            await self._proxy(cr, cw)
        finally:
            cw.transport.abort()
            self._writers.discard(cw)
            self._handlers.discard(task)

    def _roll(self, p: float) -> bool:
        return self._rng.random() < p

    async def _proxy(self, cr: asyncio.StreamReader, cw: asyncio.StreamWriter) -> None:
        try:
            ur, uw = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.upstream_port), 5
            )
        except (OSError, TimeoutError):
            return
        self._writers.add(uw)

        async def upstream() -> None:
            while data := await cr.read(65536):
                if self._down or self._roll(self.p_reset_request):
                    self.faults["reset"] += 1
                    raise ConnectionResetError("reset")
                if self._roll(self.p_delay):
                    self.faults["delay"] += 1
                    await asyncio.sleep(self._rng.random() * self.max_delay_s)
                uw.write(data)
                await uw.drain()

        async def downstream() -> None:
            while data := await ur.read(65536):
                if self._down or self._roll(self.p_drop_reply):
                    self.faults["drop_reply"] += 1
                    raise ConnectionResetError("drop_reply")
                if len(data) > 1 and self._roll(self.p_reset_mid_reply):
                    self.faults["reset_mid_reply"] += 1
                    cw.write(data[: len(data) // 2])
                    await cw.drain()
                    raise ConnectionResetError("reset_mid_reply")
                if len(data) > 1 and self._roll(self.p_cut_reply):
                    self.faults["cut_reply"] += 1
                    cw.write(data[: self._rng.randint(1, len(data) - 1)])
                    await cw.drain()
                    cw.close()  # a clean FIN after N bytes
                    return
                if self._roll(self.p_stall):
                    self.faults["stall"] += 1
                    await cr.read()  # hold until the client gives up and closes
                    return
                if self._roll(self.p_delay):
                    self.faults["delay"] += 1
                    await asyncio.sleep(self._rng.random() * self.max_delay_s)
                cw.write(data)
                await cw.drain()

        tasks = [asyncio.ensure_future(upstream()), asyncio.ensure_future(downstream())]
        with contextlib.suppress(Exception):
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(BaseException):
                await t
        uw.transport.abort()
        self._writers.discard(uw)
