"""libVLC players drawing into native child widgets, and the bridge for their events.

Two rules from style.md live here and nowhere else:

* the platform's window-handle call (``set_xwindow`` / ``set_hwnd`` / ``set_nsobject``) is
  chosen in one function, :func:`bind_window`;
* libVLC events arrive on libVLC's threads, so :class:`VlcPlayer` re-emits them as Qt
  signals from one small QObject (queued to the GUI thread by Qt).

Calls that can block (``stop``, ``release``, ``video_take_snapshot``) are never made on the
GUI thread: :meth:`VlcPlayer.dispose` and snapshots run through the task runner.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import sys
import threading
from typing import Any

import vlc
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QGuiApplication, QPaintEngine, QPalette
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

_instance: vlc.Instance | None = None
_output_options: list[str] | None = None  # chosen once per process
_instance_lock = threading.Lock()


def native_video_supported() -> bool:
    """Whether libVLC can draw into our widgets on this Qt platform (not under offscreen)."""
    return QGuiApplication.platformName() in ("xcb", "windows", "cocoa")


def vlc_instance() -> vlc.Instance:
    """The console's one libVLC instance, tuned for live video (see drivers.vlc_options)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            from drivers.memory import tune_malloc

            tune_malloc()  # before libVLC's threads: see drivers.memory
            _instance = vlc.Instance(instance_options())
            if _instance is None:
                raise RuntimeError("libVLC could not start (is VLC installed?)")
        return _instance


def instance_options() -> list[str]:
    """libVLC's instance options for this machine (the bench's bare players use them too)."""
    from drivers.vlc_options import LIVE_INSTANCE_OPTIONS

    args = [*LIVE_INSTANCE_OPTIONS, "--no-spu"]
    if not native_video_supported():
        return [*args, "--vout=dummy"]  # offscreen tests: decode, draw nowhere
    return [*args, *choose_video_output()]


def choose_video_output() -> list[str]:
    """The video-output options, chosen once from the OpenGL renderer (drivers.vlc_options
    says why they depend on it): plain X11 output where OpenGL is a software renderer,
    libVLC's default (desktop OpenGL) with a real GPU. ``SC_VIDEO_OUTPUT`` (``x11``, ``gles2``
    or ``gl``) overrides the choice, for a machine whose driver misbehaves.

    Asking OpenGL needs the GUI thread (~70 ms, once): the wall page calls this when it is
    built, before libVLC starts on a worker thread. Called first anywhere else, it keeps
    libVLC's default output.
    """
    global _output_options
    if _output_options is not None:
        return _output_options
    if not native_video_supported():
        return []  # nothing is drawn (offscreen): no output to choose
    from drivers.vlc_options import VIDEO_OUTPUT_OPTIONS, is_software_renderer

    wanted = os.environ.get("SC_VIDEO_OUTPUT", "").strip().lower()
    if wanted not in VIDEO_OUTPUT_OPTIONS:
        app = QGuiApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return []  # not decided here: a later call on the GUI thread may still choose
        renderer = opengl_renderer()
        wanted = "x11" if is_software_renderer(renderer) else "gl"
        log.info("OpenGL renderer %r: libVLC draws with its %s output", renderer, wanted)
    _output_options = list(VIDEO_OUTPUT_OPTIONS[wanted])
    return _output_options


def opengl_renderer() -> str:
    """The OpenGL renderer's name (``GL_RENDERER``), or "" without a working OpenGL."""
    from PySide6.QtGui import QOffscreenSurface, QOpenGLContext

    surface = QOffscreenSurface()
    surface.create()
    context = QOpenGLContext()
    try:
        if not context.create() or not context.makeCurrent(surface):
            return ""
        name = context.functions().glGetString(0x1F01)  # GL_RENDERER
        context.doneCurrent()
        return str(name or "")
    except Exception:  # a broken driver must not keep the wall from starting
        log.warning("could not ask OpenGL for its renderer", exc_info=True)
        return ""
    finally:
        surface.destroy()


def bind_window(player: vlc.MediaPlayer, widget: QWidget) -> bool:
    """Make ``player`` draw into ``widget``'s native window; False where that is impossible."""
    if not native_video_supported():
        return False
    handle = int(widget.winId())
    if sys.platform.startswith("linux"):
        player.set_xwindow(handle)
    elif sys.platform == "win32":
        player.set_hwnd(handle)
    elif sys.platform == "darwin":
        player.set_nsobject(handle)
    else:
        return False
    return True


def black_x11_background(window: int) -> None:
    """Give a surface's X window a black background that the X server paints by itself.

    libVLC's X11 output draws the picture into a child window of its own, only as large as
    the picture: the letterbox bars around it are the surface's. Qt makes native windows
    without a background and did not repaint the bars when the wall moved to its own window
    and back, so they showed whatever had been on screen there (the detached window's
    buttons, in the render test). With a background pixel, X clears every uncovered part
    to black itself. 0 is black in the TrueColor visuals every current X server uses.
    """
    app = QGuiApplication.instance()
    native = app.nativeInterface() if app is not None else None  # type: ignore[attr-defined]
    connection = native.connection() if native is not None else None
    if not connection:
        return
    xcb = _libxcb()
    xcb.xcb_change_window_attributes(
        connection, window, _XCB_CW_BACK_PIXEL, (ctypes.c_uint32 * 1)(0)
    )
    xcb.xcb_clear_area(connection, 0, window, 0, 0, 0, 0)
    xcb.xcb_flush(connection)


_XCB_CW_BACK_PIXEL = 2


@functools.cache
def _libxcb() -> ctypes.CDLL:
    """libxcb (which Qt's X11 platform already loaded), with the three calls we make."""
    xcb = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
    xcb.xcb_change_window_attributes.argtypes = (
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p
    )  # fmt: skip
    xcb.xcb_change_window_attributes.restype = ctypes.c_uint  # the request's cookie
    xcb.xcb_clear_area.argtypes = (
        ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint32,
        ctypes.c_int16, ctypes.c_int16, ctypes.c_uint16, ctypes.c_uint16,
    )  # fmt: skip
    xcb.xcb_clear_area.restype = ctypes.c_uint
    xcb.xcb_flush.argtypes = (ctypes.c_void_p,)
    xcb.xcb_flush.restype = ctypes.c_int
    return xcb


def forget_event_manager(player: vlc.MediaPlayer) -> None:
    """Drop python-vlc's cached event manager of a released player.

    python-vlc memoizes ``MediaPlayer.event_manager()`` in a dict on the class, keyed by the
    player, and never evicts: every player ever made stayed in memory with its event manager
    and that manager's ctypes callback (wall soak: one of each per tile switch, for the whole
    shift). Harmless where python-vlc changes how it caches: then there is nothing to drop.
    """
    memo = vars(vlc.MediaPlayer).get("event_manager")
    cache = getattr(memo, "_cache", None)
    if isinstance(cache, dict):
        cache.pop(player, None)


class VideoSurface(QWidget):
    """A black native child window that libVLC paints into; Qt never paints over it.

    It must not be ``WA_TransparentForMouseEvents``: Qt gives a window that is transparent
    for input an X event mask with *SubstructureRedirect*, which makes Qt the only client
    allowed to map, move or resize windows inside it, and Qt never does. libVLC's X11 output
    draws into a child window of its own inside the surface, so that window stayed unmapped
    at the stream's size and the tile showed nothing (the OpenGL outputs draw into the
    surface's window itself and did not notice). Mouse events still reach the tile without
    it: X passes a click on libVLC's window up to the surface's, and Qt passes a widget's
    unhandled mouse events up to its parent, the tile (drag, double-click).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._x11 = QGuiApplication.platformName() == "xcb"
        if native_video_supported():  # offscreen (tests) has no native windows to give
            self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
            self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        if self._x11:  # Qt never draws here: libVLC does, and X paints the rest black
            self.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen)
            black_x11_background(int(self.winId()))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)

    def paintEngine(self) -> QPaintEngine | None:
        """None on screen: Qt's backing store then keeps nothing for this window to copy
        over libVLC's picture or the bars around it (it copied stale pixels there)."""
        return None if self._x11 else super().paintEngine()


class VlcPlayer(QObject):
    """One libVLC media player bound to one surface, with its events as signals."""

    first_frame = Signal()
    failed = Signal(str)
    ended = Signal()

    _EVENTS = ("MediaPlayerVout", "MediaPlayerEncounteredError", "MediaPlayerEndReached")

    def __init__(self, surface: VideoSurface, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.surface = surface
        self.player: vlc.MediaPlayer = vlc_instance().media_player_new()
        self.player.video_set_mouse_input(False)
        self.player.video_set_key_input(False)
        self.player.audio_set_mute(True)
        self.drawing = bind_window(self.player, surface)
        self._events = self.player.event_manager()
        self._attached: list[Any] = []
        for name in self._EVENTS:
            kind = getattr(vlc.EventType, name)
            self._events.event_attach(kind, self._on_event)
            self._attached.append(kind)
        self.url = ""
        #: Set by the tile when it lets the player go: the surface to delete after ``dispose``.
        self.retired_surface: QWidget | None = None

    def _on_event(self, event: Any) -> None:  # a libVLC thread
        kind = event.type
        if kind == vlc.EventType.MediaPlayerVout:
            if int(getattr(event.u, "new_count", 0) or 0) > 0:
                self.first_frame.emit()
        elif kind == vlc.EventType.MediaPlayerEncounteredError:
            self.failed.emit("libVLC could not play the stream")
        elif kind == vlc.EventType.MediaPlayerEndReached:
            self.ended.emit()

    def play(self, url: str, options: tuple[str, ...] = ()) -> None:
        """Start playing (libVLC's play is asynchronous: this returns at once)."""
        from drivers.vlc_options import LIVE_MEDIA_OPTIONS

        self.url = url
        media = vlc_instance().media_new(url, *LIVE_MEDIA_OPTIONS, *options)
        self.player.set_media(media)
        media.release()
        self.player.play()

    def has_picture(self) -> bool:
        return bool(self.player.has_vout())

    def detach(self) -> None:
        """Stop listening: events after this moment are dropped (GUI thread)."""
        for kind in self._attached:
            try:
                self._events.event_detach(kind)
            except Exception:
                log.debug("event already detached")
        self._attached.clear()

    def dispose(self) -> None:
        """Stop and free the player. Blocks (libVLC joins its threads): not on the GUI thread."""
        self.player.stop()
        self.player.release()
        forget_event_manager(self.player)

    def snapshot(self, path: str) -> bool:
        """Write the picture on screen to ``path`` (JPEG by extension). Blocks: worker thread."""
        width, height = self.player.video_get_size(0) or (0, 0)
        return self.player.video_take_snapshot(0, path, int(width), int(height)) == 0
