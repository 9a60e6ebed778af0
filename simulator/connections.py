"""The open connections of one listening asyncio server, so it can drop them all at once.

Offline, reboot and a cut link all look the same to a client: the server stops listening
and every open connection is reset. The HTTP, RTSP and link servers share this bookkeeping.
"""

from __future__ import annotations

import asyncio


class Connections:
    """Tracks each connection's writer and handler task."""

    def __init__(self) -> None:
        self.writers: set[asyncio.StreamWriter] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    def enter(self, writer: asyncio.StreamWriter) -> asyncio.Task[None]:
        """Called first thing by a connection handler; returns its task for :meth:`leave`."""
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        self.writers.add(writer)
        return task

    def leave(self, writer: asyncio.StreamWriter, task: asyncio.Task[None]) -> None:
        writer.transport.abort()
        self.writers.discard(writer)
        self.tasks.discard(task)

    def reset_all(self) -> None:
        """Reset every open connection at once (the handlers then end by themselves)."""
        for writer in list(self.writers):
            writer.transport.abort()

    async def drop_all(self, server: asyncio.Server | None) -> None:
        """Stop listening on ``server``, reset everyone, and wait for the handlers to end."""
        if server is not None:
            server.close()
        self.reset_all()
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
