"""libVLC options for live tiles fed by the stream gateway, measured in bench/gateway_transport.py.

Why these (libVLC 3.0, Debian build):

- ``--network-caching`` is the PTS delay of the ``http`` access: how long libVLC buffers before
  it shows a picture. Its default (1000 ms) is the whole of VLC's famous live delay. The
  gateway sits on the same machine and sends a packet as soon as it has it, so there is no
  network jitter to absorb. Measured glass-to-glass on a simulated 640×360@25 stream (median,
  bench/gateway_transport.py): default 1000 ms → ≈1100 ms; 300 ms → ≈385 ms; 150 and 100 ms →
  ≈225 ms; 50 ms → 153 ms in one run, 224 ms in the next. Below ~150 ms another floor (about
  225 ms here, not yet explained) dominates, so 100 ms keeps a margin for a busy 2-core machine
  with 36 tiles (late pictures are dropped, which shows as stutter) at no measurable cost.
- ``--clock-jitter=0`` stops the input clock from adding its jitter allowance on top of the
  caching.
- ``--clock-synchro=1`` makes libVLC treat the stream as *live*: its input clock follows when
  packets really arrive (averaged) instead of fixing, once, how stream time maps to the wall
  clock. libVLC's ``http`` access says it can pace its input like a file, and
  ``clock-synchro=0`` says the same, so without this option the mapping is made when the
  player has buffered and decoded its first data and never revisited. On a loaded machine
  that moment comes late (16 tiles starting together, each decoding its start-up GOP), and
  the tile keeps that lateness for as long as it plays. Measured on a 4×4 wall here
  (2026-11-29, bench/wall.py P1 and a probe reading every tile for 75 s): with ``=0`` each
  tile's delay was fixed at start anywhere from 400 to 1,160 ms (median 583 ms; re-filling
  the wall gave a different spread), with ``=1`` every tile sat at 160–210 ms (median 178 ms)
  and stayed there; ffplay low-delay on the same machine: 380 ms.
- ``--no-audio``: cameras on the wall are silent; an audio output also adds its own latency.
- ``--aout=adummy``: libVLC 3 still opens an audio output for every new player (for its volume
  controls), trying PulseAudio and ALSA in turn, and ``media_player_new`` runs on the GUI thread:
  measured 1.6 ms per player on an idle machine with the default output and 0.07 ms with the
  dummy one; on the loaded wall (bench/wall.py P10) creating a player took 13.7 ms median and up
  to 80 ms, the largest of the GUI thread's stalls.
- ``--avcodec-threads=1``: frame threading in the decoder delays every picture by one frame
  per thread; one 640×360 stream needs far less than a core, and 36 tiles already spread over
  all cores.
- ``--no-video-title-show``, ``--no-osd``, ``--no-snapshot-preview``, ``--no-stats``: nothing
  drawn on top of the picture, no per-frame statistics bookkeeping.
- ``--no-disable-screensaver``: libVLC would run ``xdg-screensaver`` (two shell processes) for
  every tile that starts or stops; the console asks once instead (drivers.screensaver).
- ``--prefetch-buffer-size=1024`` (KiB) and ``--prefetch-read-size=65536`` (bytes): libVLC
  reads a live HTTP stream through its ``prefetch`` filter, whose buffer is 16 MiB in Debian's
  build (read size 16 MiB too, which also overrides any smaller buffer). The buffer is written
  round and round, so a player's memory grows by the stream's bitrate until all 16 MiB are
  touched: measured +0.25 MB/s for four 500 kbit/s tiles, still climbing after 150 s, and
  36 main-stream tiles would hold 576 MiB. The gateway already queues up to 8 MiB per player
  on its side, so 1 MiB here (two seconds of a 4 Mbit/s main stream) is plenty; with it the
  same four tiles stay flat after 40 s. The read size matches the gateway's chunk.
- ``--no-xlib`` is *not* here: tiles draw into native X11 child windows and need it.

Two choices cannot be made with instance options, because ``set_xwindow`` (how a tile gives
libVLC its window) resets the player's ``avcodec-hw`` and ``vout`` variables:

- **Hardware decoding off** is the media option ``:avcodec-hw=none`` (an instance option is
  silently overridden). Monitoring-room PCs rarely have a GPU that decodes 36 streams at once,
  and software decoding behaves the same on every machine.
- **The video output.** libVLC 3's decoder offers every hardware pixel format the codec knows
  (VAAPI, then VDPAU) before software and builds a video output for each, so a tile start
  opens and closes up to three. The OpenGL outputs make an OpenGL context every time (EGL for
  VAAPI, GLX for VDPAU, EGL again for software), and each one opened and closed keeps some
  memory (in libVLC's OpenGL modules or Mesa under them: not traced further). Measured with
  bench/vout_memory.py (2026-11-30, 200 starts into one native window): heap kept 4.1 KB and
  RSS +27 KB per start with OpenGL ES 2, 7.6 / 31 KB with desktop OpenGL, 1.6 / 2 KB with
  plain X11; that was where the wall soak's memory went (P11).
  Where OpenGL is a software renderer (no GPU, a virtual machine, remote desktop: Mesa's
  llvmpipe) it buys nothing either: llvmpipe converts and scales every picture on the CPU,
  as the X11 output's swscale does, but dearer, and each context costs 15-40 ms of CPU. There
  ``VIDEO_OUTPUT_OPTIONS["x11"]`` turns both OpenGL outputs off and libVLC draws with XVideo
  where the X server has it, else plain X11 (``xcb_x11``, shared-memory pictures). Measured on
  the 4x4 wall here (bench/wall.py P1, P2, P4, P10; two alternating pairs of runs,
  2026-11-30), X11 against OpenGL ES 2: console CPU per displayed picture 1.13 and 1.21 ms
  against 1.95 and 1.88 ms (16 tiles), slowest of 36 tiles 24.1 and 20.9 fps against 17.6 and
  18.2, warm start to pixels 251 and 248 ms against 447 and 385, cold 567 and 626 against
  775 and 748, latency median 178 and 169 ms against 201 and 211, GUI stall max 25 and 46 ms
  against 136 and 62. (Before that, OpenGL ES 2 had replaced desktop OpenGL on software
  renderers for its start time: warm 353 and 314 ms against 439 and 413.) With a real GPU
  desktop OpenGL stays, which scales on the GPU; its memory cost there is not measured (no
  GPU here). ``SC_VIDEO_OUTPUT`` overrides the choice (ui.wall.video_player).
  The X11 output draws into a child window of its own inside the tile's surface, which
  needs the surface to let it be mapped and leaves the letterbox bars to the surface (see
  ``ui.wall.video_player.VideoSurface`` and ``black_x11_background``).

Media callbacks (``media_new_callbacks``, libVLC's ``imem`` access) are not recommended: in
libVLC 3 that access reports a fixed 300 ms PTS delay that no option lowers (measured ≈ 387 ms whatever the
caching options), for no gain in start time or CPU; see bench/results/gateway_transport.json.
"""

from __future__ import annotations

#: Options for ``vlc.Instance(...)`` shared by every live tile.
LIVE_INSTANCE_OPTIONS: tuple[str, ...] = (
    "--network-caching=100",
    "--live-caching=100",
    "--clock-jitter=0",
    "--clock-synchro=1",
    "--no-audio",
    "--aout=adummy",
    "--avcodec-threads=1",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-stats",
    "--no-disable-screensaver",
    "--prefetch-buffer-size=1024",
    "--prefetch-read-size=65536",
    "--quiet",
)

#: Per-media options (``media.add_option``), for players whose instance is shared with other
#: uses: the same caching as the instance option.
LIVE_MEDIA_OPTIONS: tuple[str, ...] = (
    ":network-caching=100",
    ":clock-jitter=0",
    ":clock-synchro=1",
    ":no-audio",
    ":prefetch-buffer-size=1024",
    ":prefetch-read-size=65536",
    ":avcodec-hw=none",
)

#: Instance options for each video output the console can choose (see the module docstring):
#: ``gl`` libVLC's default, desktop OpenGL; ``gles2`` OpenGL ES 2 on EGL; ``x11`` no OpenGL
#: (XVideo where the X server has it, else plain X11).
VIDEO_OUTPUT_OPTIONS: dict[str, tuple[str, ...]] = {
    "gl": (),
    "gles2": ("--gl=none",),
    "x11": ("--gl=none", "--gles2=none"),
}

#: Substrings of the OpenGL renderer names of software rasterizers (Mesa's, Microsoft's).
SOFTWARE_RENDERERS = (
    "llvmpipe",
    "softpipe",
    "swrast",
    "software rasterizer",
    "gdi generic",
    "basic render driver",
)


def is_software_renderer(renderer: str) -> bool:
    """Whether an OpenGL ``GL_RENDERER`` string names a software rasterizer ("" = no OpenGL)."""
    name = renderer.lower()
    return not name or any(s in name for s in SOFTWARE_RENDERERS)


#: libVLC's defaults, as the reference the bench compares with.
DEFAULT_INSTANCE_OPTIONS: tuple[str, ...] = ("--no-audio", "--quiet")
