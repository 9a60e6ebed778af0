"""The loopback HTTP server that hands each libVLC player its stream as MPEG-TS.

Why HTTP: every libVLC build can play ``http://`` (it is in the base plugins), while Debian's
cannot play ``rtsp://``. Why hand-written and not ``http.server``: the response is a body that
never ends, each connection needs a named thread that is joined on close, and a client that
goes away must close its reader at once; the standard server gives none of that cheaply.

Security: binds 127.0.0.1 only, and every path carries a random per-gateway token, so another
local user cannot guess a URL and watch a camera. Unknown token or key: 404.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import select
import socket
import threading
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from drivers.gateway.ts_reader import TsReader

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 5.0
MAX_REQUEST_BYTES = 8192
CHUNK = 64 * 1024


class HttpOutput:
    """Serves ``GET /<token>/<key>.ts``; ``open_reader(key)`` returns a reader or None."""

    def __init__(
        self, host: str, token: str, open_reader: Callable[[str], TsReader | None]
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the player server binds loopback only")
        self.host = host
        self.token = token
        self._open_reader = open_reader
        self._sock: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._conns: dict[int, tuple[socket.socket, threading.Thread]] = {}
        self._next_id = 0
        self._closing = threading.Event()
        self.port = 0

    def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        sock.listen(64)
        sock.settimeout(0.5)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name="gateway-http-accept", daemon=True
        )
        self._accept_thread.start()

    def url(self, key: str) -> str:
        from urllib.parse import quote

        return f"http://{self.host}:{self.port}/{self.token}/{quote(key, safe='')}.ts"

    def close(self) -> None:
        self._closing.set()
        if self._accept_thread is not None:
            self._accept_thread.join()
            self._accept_thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        with self._lock:
            conns = list(self._conns.values())
        for conn, _ in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for _, thread in conns:
            thread.join()

    # -- threads ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._closing.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._closing.is_set():
                    return
                continue
            with self._lock:
                self._next_id += 1
                conn_id = self._next_id
                thread = threading.Thread(
                    target=self._serve,
                    args=(conn_id, conn),
                    name=f"gateway-http-{conn_id}",
                    daemon=True,
                )
                self._conns[conn_id] = (conn, thread)
            thread.start()

    def _serve(self, conn_id: int, conn: socket.socket) -> None:
        reader: TsReader | None = None
        try:
            conn.settimeout(REQUEST_TIMEOUT_S)
            request = self._read_request(conn)
            if request is None:
                return
            method, target = request
            key = self._key_for(target)
            if method not in ("GET", "HEAD"):
                self._reply(conn, "405 Method Not Allowed")
                return
            reader = self._open_reader(key) if key is not None else None
            if reader is None:
                self._reply(conn, "404 Not Found")
                return
            conn.sendall(
                b"HTTP/1.0 200 OK\r\nContent-Type: video/mp2t\r\nCache-Control: no-cache, no-store\r\n"
                b"Connection: close\r\n\r\n"
            )
            if method == "HEAD":
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(REQUEST_TIMEOUT_S)
            self._stream(conn, reader)
        except OSError:
            pass  # the client went away: the normal end of a live stream
        except Exception:
            log.exception("player connection failed")
        finally:
            if reader is not None:
                reader.close()
            with contextlib.suppress(OSError):
                conn.close()
            with self._lock:
                self._conns.pop(conn_id, None)

    def _stream(self, conn: socket.socket, reader: TsReader) -> None:
        while not self._closing.is_set() and not reader.closed:
            chunk = reader.read(CHUNK, timeout=0.5)
            if chunk:
                conn.sendall(chunk)
            elif self._client_gone(conn):
                return

    @staticmethod
    def _client_gone(conn: socket.socket) -> bool:
        """True when the peer closed its side (readable with nothing to read)."""
        if hasattr(select, "poll"):
            # Not select(): it cannot watch a descriptor numbered >= FD_SETSIZE (1024) and
            # raises ValueError, and a busy console (36 players, X connections, sockets)
            # gets there; every new tile then lost its stream (bench/wall.py soak).
            poller = select.poll()
            poller.register(conn, select.POLLIN)
            readable = bool(poller.poll(0))
        else:  # Windows: no poll(); its select() has no descriptor-number limit
            readable = bool(select.select([conn], [], [], 0)[0])
        if not readable:
            return False
        try:
            return conn.recv(1024, socket.MSG_PEEK) == b""
        except OSError:
            return True

    @staticmethod
    def _read_request(conn: socket.socket) -> tuple[str, str] | None:
        data = b""
        while b"\r\n\r\n" not in data and b"\n\n" not in data:
            chunk = conn.recv(1024)
            if not chunk:
                return None
            data += chunk
            if len(data) > MAX_REQUEST_BYTES:
                return None
        parts = data.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("latin-1").split()
        if len(parts) < 2:
            return None
        return parts[0].upper(), parts[1]

    def _key_for(self, target: str) -> str | None:
        path = urlsplit(target).path
        parts = path.split("/")
        if len(parts) != 3 or parts[0] or not hmac.compare_digest(parts[1], self.token):
            return None
        if not parts[2].endswith(".ts"):
            return None
        return unquote(parts[2][: -len(".ts")]) or None

    @staticmethod
    def _reply(conn: socket.socket, status: str) -> None:
        body = status.encode() + b"\n"
        conn.sendall(
            f"HTTP/1.0 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
