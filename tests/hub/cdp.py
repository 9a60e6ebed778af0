"""Drive headless Chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``).

No websocket library needed: Chromium reads commands from fd 3 and writes replies to fd 4,
each message JSON ended by a NUL byte. Every wait has a timeout.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

TIMEOUT_S = 30.0


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    def __init__(self) -> None:
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium is not installed (apt-get install chromium)")
        self.profile = Path(tempfile.mkdtemp(prefix="sc-chromium-"))
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()

        def wire() -> None:  # in the child: fd 3 = commands, fd 4 = replies
            os.dup2(cmd_r, 3)
            os.dup2(out_w, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--no-proxy-server",  # loopback only, whatever the environment says
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,
        )
        os.close(cmd_r)
        os.close(out_w)
        self._next = 0
        self._lock = threading.Lock()
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session = self._open_page()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                data = os.read(self._out_r, 65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg and msg["id"] in self._replies:
                    self._replies[msg["id"]].put(msg)
                else:
                    self.events.put(msg)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            msg_id = self._next
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[msg_id] = box
            msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params}
            if session:
                msg["sessionId"] = session
            os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        reply = box.get(timeout=TIMEOUT_S)
        del self._replies[msg_id]
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    def _open_page(self) -> str:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session)
        self.send("Runtime.enable", session)
        return str(session)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.send(method, self.session, **params)

    def wait_load(self) -> None:
        while True:
            ev = self.events.get(timeout=TIMEOUT_S)
            if ev.get("method") == "Page.loadEventFired" and ev.get("sessionId") == self.session:
                return

    def _drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()

    def goto(self, url: str) -> None:
        self._drain()
        self.page("Page.navigate", url=url)
        self.wait_load()

    def js(self, expression: str) -> Any:
        r = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def submit(self, form_js: str) -> None:
        """Submit the form ``form_js`` evaluates to, and wait for the page it leads to."""
        self._drain()
        self.js(f"({form_js}).requestSubmit()")
        self.wait_load()

    def set_files(self, selector: str, paths: list[str]) -> None:
        root = self.page("DOM.getDocument")["root"]["nodeId"]
        node = self.page("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.page("DOM.setFileInputFiles", nodeId=node, files=paths)

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.page("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, queue.Empty):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._cmd_w, self._out_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)
