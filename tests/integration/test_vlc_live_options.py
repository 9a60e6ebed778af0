"""The libVLC build on this machine takes the live-tile options the console relies on.

Options libVLC does not know, or that a module quietly overrides, are ignored without an error;
Debian's prefetch filter, for one, ignored a smaller ``--prefetch-buffer-size`` as long as its
read size stayed at 16 MiB, and each player then grew by its stream's bitrate up to 16 MiB.
This plays the gateway's real HTTP stream of a simulated camera (no display: ``--vout=dummy``)
and reads libVLC's own debug messages.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import threading
import time
from collections.abc import Iterator

import pytest

vlc = pytest.importorskip("vlc")

from drivers.gateway import StreamGateway, StreamSource  # noqa: E402
from drivers.vlc_options import LIVE_INSTANCE_OPTIONS, LIVE_MEDIA_OPTIONS  # noqa: E402
from simulator import Precinct  # noqa: E402

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
_libc.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]


@pytest.fixture(scope="module")
def stream_url() -> Iterator[str]:
    with Precinct(1) as precinct:
        cam = precinct.cameras[0]
        gateway = StreamGateway(ring_seconds=5.0, linger=0.5)
        gateway.start()
        try:
            yield gateway.acquire(
                StreamSource(
                    key="probe:sub",
                    url=cam.rtsp_sub,
                    username=cam.username,
                    password=cam.password,
                )
            )
        finally:
            gateway.close()


def play_and_log(url: str, instance_options: list[str], media_options: tuple[str, ...]) -> str:
    """Play ``url`` until a picture is decoded; libVLC's messages meanwhile, one per line."""
    lines: list[str] = []
    lock = threading.Lock()

    @vlc.CallbackDecorators.LogCb  # type: ignore[misc]
    def on_log(_data: object, _level: int, _ctx: object, fmt: bytes, args: int) -> None:
        buf = ctypes.create_string_buffer(1024)
        _libc.vsnprintf(buf, len(buf), fmt, args)
        with lock:
            lines.append(buf.value.decode("utf-8", "replace"))

    instance = vlc.Instance([*instance_options, "--vout=dummy", "--verbose=2"])
    instance.log_set(on_log, None)
    player = instance.media_player_new()
    try:
        player.set_media(instance.media_new(url, *media_options))
        player.play()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and player.get_state() != vlc.State.Playing:
            time.sleep(0.05)
        time.sleep(0.5)
        assert player.get_state() == vlc.State.Playing, "libVLC did not play the gateway stream"
    finally:
        player.stop()
        player.release()
        instance.log_unset()
        instance.release()
    with lock:
        return "\n".join(lines)


def prefetch_buffer(log: str) -> int:
    found = re.search(r"using (\d+) bytes buffer, (\d+) bytes read", log)
    assert found, "libVLC reported no prefetch buffer:\n" + log[-3000:]
    return int(found.group(1))


def test_prefetch_buffer_is_bounded_by_the_console_options(stream_url: str) -> None:
    options = [o for o in LIVE_INSTANCE_OPTIONS if o != "--quiet"]
    assert prefetch_buffer(play_and_log(stream_url, options, ())) == 1024 * 1024


def test_media_options_bound_it_too_on_a_shared_instance(stream_url: str) -> None:
    log = play_and_log(stream_url, ["--no-audio"], LIVE_MEDIA_OPTIONS)
    assert prefetch_buffer(log) == 1024 * 1024


def test_without_them_debian_uses_16_mib(stream_url: str) -> None:
    """The reference: what each player would hold without the options (fails if a libVLC
    build changes its default, which would make the options above worth re-measuring)."""
    log = play_and_log(stream_url, ["--no-audio"], ())
    assert prefetch_buffer(log) > 1024 * 1024


def test_software_renderers_are_told_from_gpus() -> None:
    from drivers.vlc_options import is_software_renderer

    assert is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert is_software_renderer("Software Rasterizer")
    assert is_software_renderer("")  # no OpenGL at all
    assert not is_software_renderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)")
    assert not is_software_renderer("NVIDIA GeForce GT 1030/PCIe/SSE2")
