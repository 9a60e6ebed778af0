"""One tile of the video wall: a title bar, two video surfaces and a message page.

Why two surfaces: a tile changes what it shows (sub → main stream when enlarged, the next
camera of a tour, a restart after the camera came back) by starting the new player on the
hidden surface and raising it only when its first picture is drawn, so the officer never
sees a black square in between. The message page replaces the video when there is nothing
to show and says why (connecting, reconnecting, offline — with the reason).

The title bar sits outside the video area on purpose: Qt cannot paint over a native child
window reliably on every platform, and the name, place, state and time must always be legible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from ui.camera_tree import CAMERA_MIME
from ui.wall.video_player import VideoSurface, VlcPlayer

TILE_MIME = "application/x-station-console-tile"
#: A new player that has not drawn a picture after this long is shown anyway, with its state.
PREROLL_GIVE_UP_MS = 4000


@dataclass(frozen=True)
class TileInfo:
    """What the tile's title bar shows about its camera."""

    camera_id: str
    name: str
    site: str
    is_dome: bool = False


STATE_COLOURS = {
    "connecting": "#d9a400",
    "live": "#2e9d3a",
    "reconnecting": "#d9a400",
    "offline": "#c0392b",
    "empty": "#777777",
}


class _Slot:
    """A surface and the player currently bound to it (if any)."""

    def __init__(self, surface: VideoSurface) -> None:
        self.surface = surface
        self.player: VlcPlayer | None = None


class WallTile(QFrame):
    """Shows one camera. The wall (and its controller) decides what; the tile shows it."""

    activated = Signal(int)  # double-click: enlarge / restore
    selected = Signal(int)
    camera_dropped = Signal(int, list)  # tile index, camera ids
    tile_dropped = Signal(int, int)  # from tile, to tile (swap)
    picture_shown = Signal(int)  # a new player drew its first picture
    player_failed = Signal(int, str)
    no_picture = Signal(int)  # a player has shown nothing for PREROLL_GIVE_UP_MS
    context_requested = Signal(int, QMenu)

    def __init__(self, index: int, dispose: Callable[[VlcPlayer], None], parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.index = index
        self._dispose = dispose
        self.info: TileInfo | None = None
        self.state = "empty"
        self.setObjectName(f"wallTile{index}")
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(1)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setStyleSheet("WallTile { background: #111; }")

        self.title = QLabel(self)
        self.title.setObjectName("tileTitle")
        self.title.setStyleSheet("color: #eee; padding: 0 3px;")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("tileState")
        self.clock = QLabel(self)
        self.clock.setObjectName("tileClock")
        self.clock.setStyleSheet("color: #bbb; padding: 0 3px;")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.state_label)
        bar.addWidget(self.clock)
        self.bar = QWidget(self)
        self.bar.setLayout(bar)
        self.bar.setStyleSheet("background: #222;")
        self.bar.setFixedHeight(self.fontMetrics().height() + 4)

        self.slots = [_Slot(VideoSurface(self)), _Slot(VideoSurface(self))]
        self.front = 0
        self.message = QLabel(self)
        self.message.setObjectName("tileMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #ddd; background: #111; padding: 6px;")
        self.stack = QStackedLayout()
        for slot in self.slots:
            self.stack.addWidget(slot.surface)
        self.stack.addWidget(self.message)
        body = QWidget(self)
        body.setLayout(self.stack)

        column = QVBoxLayout(self)
        column.setContentsMargins(1, 1, 1, 1)
        column.setSpacing(0)
        column.addWidget(self.bar)
        column.addWidget(body, 1)
        self._pending: VlcPlayer | None = None
        self._hold = False
        self._ready = False
        self._give_up = QTimer(self)
        self._give_up.setSingleShot(True)
        self._give_up.timeout.connect(self._preroll_timed_out)
        self._press: QPoint | None = None
        self.show_message(self.tr("Drag a camera here"))
        self.set_state("empty", "")

    # -- what is shown -------------------------------------------------------------------

    def set_info(self, info: TileInfo | None) -> None:
        self.info = info
        if info is None:
            self.title.setText("")
            self.setToolTip("")
        else:
            self.title.setText(f"{info.name} · {info.site}" if info.site else info.name)
            self.setToolTip(self.title.text())

    def set_state(self, state: str, reason: str) -> None:
        """``state`` is connecting / live / reconnecting / offline / empty; ``reason`` says why."""
        self.state = state
        labels = {
            "connecting": self.tr("Connecting"),
            "live": self.tr("Live"),
            "reconnecting": self.tr("Reconnecting"),
            "offline": self.tr("Offline"),
            "empty": "",
        }
        colour = STATE_COLOURS.get(state, "#777")
        self.state_label.setText(f"● {labels.get(state, state)}" if state != "empty" else "")
        self.state_label.setStyleSheet(f"color: {colour}; padding: 0 3px;")
        self.state_label.setToolTip(reason)
        if state == "live":
            if self.slots[self.front].player is not None and self._showing_message():
                self.stack.setCurrentWidget(self.slots[self.front].surface)
        elif state in ("reconnecting", "offline") or (
            state == "connecting" and self.slots[self.front].player is None
        ):
            text = labels.get(state, state)
            self.show_message(f"{text}\n{reason}" if reason else text)

    def _showing_message(self) -> bool:
        return self.stack.currentWidget() is self.message

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def set_clock(self, text: str) -> None:
        self.clock.setText(text)

    def showing_picture(self) -> bool:
        return not self._showing_message() and self.slots[self.front].player is not None

    def front_player(self) -> VlcPlayer | None:
        return self.slots[self.front].player

    # -- players -------------------------------------------------------------------------

    def play(self, url: str, *, seamless: bool, hold: bool = False) -> VlcPlayer:
        """Start ``url`` on the hidden surface; raise it when its first picture is drawn.

        ``seamless``: keep showing the current picture until then (same camera, other
        stream; tour pre-roll). Otherwise the old picture goes at once (another camera).
        ``hold``: pre-roll — decode on the hidden surface but raise it only on
        :meth:`commit`, so a tour step changes the instant it is due.
        """
        self._hold = hold
        self._ready = False
        back = self.slots[1 - self.front]
        if back.player is not None:  # an earlier pre-roll that never showed
            self._release(back)
        if not seamless:
            self._release(self.slots[self.front])
        player = VlcPlayer(back.surface, self)
        back.player = player
        self._pending = player
        player.first_frame.connect(lambda p=player: self._promote(p))
        player.failed.connect(lambda text, p=player: self._player_failed(p, text))
        player.ended.connect(lambda p=player: self._player_failed(p, "end of stream"))
        player.play(url)
        if not hold:
            self._give_up.start(PREROLL_GIVE_UP_MS)
        return player

    def commit(self) -> bool:
        """Show the pre-rolled player now if it has a picture (else as soon as it has one).

        Returns whether the switch happened at once.
        """
        self._hold = False
        if self._pending is not None and self._ready:
            self._promote(self._pending)
            return True
        if self._pending is not None:
            self._give_up.start(PREROLL_GIVE_UP_MS)
        return False

    def preroll_ready(self) -> bool:
        return self._pending is not None and self._ready

    def _slot_of(self, player: VlcPlayer) -> int:
        return 0 if self.slots[0].player is player else 1

    def _promote(self, player: VlcPlayer) -> None:
        if player is not self._pending:
            return
        if self._hold:
            self._ready = True  # decoded and waiting on the hidden surface
            return
        self._pending = None
        self._give_up.stop()
        shown = self._slot_of(player)
        self.stack.setCurrentWidget(self.slots[shown].surface)
        other = self.slots[1 - shown]
        self.front = shown
        if other.player is not None:
            self._release(other)
        self.picture_shown.emit(self.index)

    def _preroll_timed_out(self) -> None:
        """No picture after a while: the old picture is stale by now, so say so instead.

        The new player keeps trying; its first picture still replaces the message.
        """
        if self._pending is None:
            return
        shown = self._slot_of(self._pending)
        other = self.slots[1 - shown]
        if other.player is not None:
            self._release(other)
        self.front = shown
        self.show_message(self.tr("Waiting for the first picture…"))
        self.no_picture.emit(self.index)

    def _player_failed(self, player: VlcPlayer, text: str) -> None:
        if player is self.slots[self.front].player or player is self._pending:
            self.player_failed.emit(self.index, text)

    def _release(self, slot: _Slot) -> None:
        """Stop the slot's player (on the reaper) and give the slot a fresh surface.

        libVLC lets one window be drawn into by one video output only: a player started on a
        surface whose previous player is still stopping gets no window and opens its own
        top-level "VLC media player" window over the desktop (found in the wall soak). So a
        surface leaves with its player and is deleted once that player has stopped.
        """
        player, slot.player = slot.player, None
        if player is None:
            return
        if player is self._pending:
            self._pending = None
        player.detach()
        old = slot.surface
        was_current = self.stack.currentWidget() is old
        slot.surface = VideoSurface(self)
        self.stack.insertWidget(self.stack.indexOf(old), slot.surface)
        if was_current:
            self.stack.setCurrentWidget(slot.surface)
        self.stack.removeWidget(old)
        old.hide()
        player.retired_surface = old
        self._dispose(player)

    def clear(self) -> None:
        """Stop everything and show the empty tile."""
        self._give_up.stop()
        for slot in self.slots:
            self._release(slot)
        self._pending = None
        self._hold = self._ready = False
        self.set_info(None)
        self.set_state("empty", "")
        self.show_message(self.tr("Drag a camera here"))

    # -- mouse, keyboard, drag and drop ----------------------------------------------------

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.index)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.selected.emit(self.index)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            self._press is not None
            and self.info is not None
            and (event.position().toPoint() - self._press).manhattanLength() > 12
        ):
            self._press = None
            mime = QMimeData()
            mime.setData(TILE_MIME, QByteArray(str(self.index).encode()))
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.MoveAction)
        super().mouseMoveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet("WallTile { background: #111; border: 2px solid #3d8bfd; }")
        self.selected.emit(self.index)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet("WallTile { background: #111; }")
        super().focusOutEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(CAMERA_MIME) or mime.hasFormat(TILE_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(TILE_MIME):
            source = int(bytes(mime.data(TILE_MIME).data()).decode() or -1)
            if source >= 0 and source != self.index:
                self.tile_dropped.emit(source, self.index)
        elif mime.hasFormat(CAMERA_MIME):
            ids = [i for i in bytes(mime.data(CAMERA_MIME).data()).decode().split("\n") if i]
            if ids:
                self.camera_dropped.emit(self.index, ids)
        event.acceptProposedAction()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        self.context_requested.emit(self.index, menu)
        if not menu.isEmpty():
            menu.popup(event.globalPos())
