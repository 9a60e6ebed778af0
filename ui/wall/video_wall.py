"""The video wall: tiles in a layout, what each shows, and keeping them alive.

The wall decides which camera and which stream each tile shows (sub-stream in small tiles,
main stream in a large or enlarged one), asks :class:`WallStreams` for it on the task
runner, and reacts to the gateway's health: a tile says why it has no picture, and when the
camera comes back the tile restarts its player by itself (seamlessly, on its hidden
surface). Every camera shown opens a viewing record and closes it when the tile moves on.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, QObject, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QMenu, QWidget

from drivers.gateway import StreamHealth, StreamProblem, StreamState
from drivers.imaging import to_jpeg
from drivers.memory import release_free_memory
from station_console.services.wall import Snapshot
from station_console.station import Station
from station_console.wall_layouts import STANDARD, WallLayout
from ui.messages import describe
from ui.tasks import TaskRunner
from ui.wall.streams import OpenedStream, WallStreams
from ui.wall.tile import TileInfo, WallTile
from ui.wall.video_player import VlcPlayer

log = logging.getLogger(__name__)

HEARTBEAT_MS = 20_000
#: How often memory freed by stopped players is handed back to the system (if any stopped).
TRIM_INTERVAL_MS = 10_000
#: Tiles at least this wide (device pixels) show the main stream: a 640-pixel sub-stream
#: scaled up further than 1.5× is visibly soft.
LARGE_TILE_PX = 960
#: A player that reports an error while the gateway says the stream is live retries after this.
PLAYER_RETRY_MS = 1500
#: After this many failed starts while packets flow, the tile says the video cannot be decoded.
DECODE_FAILURES = 3


def problem_text(problem: StreamProblem | None) -> str:
    """Why a tile has no picture, in words a duty officer can act on."""
    texts = {
        StreamProblem.UNREACHABLE: QCoreApplication.translate(
            "wall", "Camera cannot be reached: check power and cable."
        ),
        StreamProblem.AUTH_FAILED: QCoreApplication.translate(
            "wall", "Camera refused the user name or password."
        ),
        StreamProblem.NOT_FOUND: QCoreApplication.translate(
            "wall", "The camera has no stream at this address."
        ),
        StreamProblem.STALLED: QCoreApplication.translate(
            "wall", "The camera stopped sending video."
        ),
        StreamProblem.UNSUPPORTED_CODEC: QCoreApplication.translate(
            "wall", "The camera sends a video format the console cannot show."
        ),
        StreamProblem.BAD_STREAM: QCoreApplication.translate(
            "wall", "The camera sends a damaged stream."
        ),
        StreamProblem.TIMEOUT: QCoreApplication.translate(
            "wall", "The camera did not answer in time."
        ),
    }
    return texts.get(problem, "") if problem is not None else ""


@dataclass
class Assignment:
    """What one tile is meant to show, and what it holds right now."""

    camera_id: str
    generation: int
    large: bool = False
    source: str = "manual"
    plan_id: str | None = None
    opened: OpenedStream | None = None
    extra: list[OpenedStream] = field(default_factory=list)  # being replaced seamlessly
    retry: bool = False
    failures: int = 0  # player failures in a row while the stream itself was live


class VideoWall(QWidget):
    """A grid of :class:`WallTile`; tiles are numbered in layout order."""

    selection_changed = Signal(int)
    layout_changed = Signal(object)
    cameras_changed = Signal()
    picture_shown = Signal(int, str)  # tile, camera id
    snapshot_saved = Signal(object)
    snapshot_failed = Signal(str)
    tile_menu = Signal(int, QMenu)  # tile index, the menu to fill

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        streams: WallStreams,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("videoWall")
        self.station = station
        self.tasks = tasks
        self.streams = streams
        self.reaper = TaskRunner(self, max_threads=4)
        self._stopping: dict[QObject, int] = {}  # tile -> players still stopping
        self._retired: set[QObject] = set()  # tiles off the wall, waiting for those
        self.layout_def: WallLayout = STANDARD["4"]
        self.tiles: list[WallTile] = []
        self.assigned: dict[int, Assignment] = {}
        self.prerolled: dict[int, Assignment] = {}
        self.selected = 0
        self.enlarged: int | None = None
        self._generation = 0
        #: Installed on every tile (the page's keyboard PTZ and shortcuts).
        self.tile_filter: QObject | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.setStyleSheet("VideoWall { background: #000; }")
        streams.health.connect(self._on_health)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._heartbeat = QTimer(self)
        self._heartbeat.timeout.connect(self._beat)
        self._heartbeat.start(HEARTBEAT_MS)
        # Players stopped since memory was last handed back (see _give_back_memory).
        self._stopped_since_trim = 0
        self._trim = QTimer(self)
        self._trim.timeout.connect(self._give_back_memory)
        self._trim.start(TRIM_INTERVAL_MS)
        self.set_layout(self.layout_def)

    # -- layout --------------------------------------------------------------------------

    def set_layout(self, layout: WallLayout) -> None:
        """Change the layout; cameras keep their order, extra ones leave the wall."""
        cameras = self.cameras()
        self.restore()
        for index in list(self.assigned):
            if index >= layout.size:
                self.clear_tile(index)
        while len(self.tiles) > layout.size:
            self._retire(self.tiles.pop())
        while len(self.tiles) < layout.size:
            self.tiles.append(self._new_tile(len(self.tiles)))
        self.layout_def = layout
        self._place_tiles()
        for index, camera in enumerate(cameras[: layout.size]):
            if camera and index in self.assigned:
                self._apply_stream_size(index)
        if self.selected >= layout.size:
            self.selected = 0
        self.layout_changed.emit(layout)

    def _retire(self, tile: WallTile) -> None:
        """Take a tile off the wall; delete it only once its players have stopped.

        Destroying (or re-parenting) the native window a libVLC video output still draws
        into leaves a stray black window on the desktop, so the tile stays, hidden, until
        the reaper has stopped every player it had.
        """
        tile.clear()
        tile.hide()
        self.grid.removeWidget(tile)
        if self._stopping.get(tile, 0):
            self._retired.add(tile)
        else:
            tile.deleteLater()

    def _new_tile(self, index: int) -> WallTile:
        tile = WallTile(index, self._dispose, self)
        tile.activated.connect(self.toggle_enlarge)
        tile.selected.connect(self._select)
        tile.camera_dropped.connect(self.drop_cameras)
        tile.tile_dropped.connect(self.swap)
        tile.picture_shown.connect(self._on_picture)
        tile.player_failed.connect(self._on_player_failed)
        tile.no_picture.connect(lambda i: self._on_player_failed(i, "no picture"))
        tile.context_requested.connect(self.tile_menu)
        if self.tile_filter is not None:
            tile.installEventFilter(self.tile_filter)
        return tile

    def _place_tiles(self) -> None:
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for r in range(8):
            self.grid.setRowStretch(r, 0)
            self.grid.setColumnStretch(r, 0)
        layout = self.layout_def
        for r in range(layout.rows):
            self.grid.setRowStretch(r, 1)
        for c in range(layout.cols):
            self.grid.setColumnStretch(c, 1)
        for tile, span in zip(self.tiles, layout.tiles, strict=True):
            self.grid.addWidget(tile, span.row, span.col, span.rows, span.cols)
            tile.setVisible(self.enlarged is None or self.enlarged == tile.index)
        if self.enlarged is not None:
            tile = self.tiles[self.enlarged]
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, 0, 0, layout.rows, layout.cols)

    def is_large(self, index: int) -> bool:
        """Main stream for an enlarged tile or one wider than the sub-stream can fill."""
        if self.enlarged == index or self.layout_def.size == 1:
            return True
        return self.tiles[index].width() * self.devicePixelRatioF() >= LARGE_TILE_PX

    def toggle_enlarge(self, index: int) -> None:
        """Double-click: the tile fills the wall (main stream); again: back to its place."""
        if self.enlarged is None:
            self.enlarged = index
        else:
            index = self.enlarged
            self.enlarged = None
        self._place_tiles()
        if index in self.assigned:
            self._apply_stream_size(index)
        self.tiles[index].setFocus()

    def restore(self) -> None:
        if self.enlarged is not None:
            self.toggle_enlarge(self.enlarged)

    def _select(self, index: int) -> None:
        self.selected = index
        self.selection_changed.emit(index)

    def cameras(self) -> list[str | None]:
        return [
            self.assigned[i].camera_id if i in self.assigned else None
            for i in range(len(self.tiles))
        ]

    # -- what each tile shows -------------------------------------------------------------

    def drop_cameras(self, index: int, camera_ids: list[str]) -> None:
        """Cameras dropped on a tile fill it and the tiles after it (a whole site, say)."""
        for offset, camera_id in enumerate(camera_ids):
            if index + offset >= len(self.tiles):
                break
            self.assign(index + offset, camera_id)

    def assign(
        self,
        index: int,
        camera_id: str,
        *,
        source: str = "manual",
        plan_id: str | None = None,
    ) -> None:
        """Show ``camera_id`` in tile ``index`` (replacing what it showed)."""
        if index in self.assigned and self.assigned[index].camera_id == camera_id:
            return
        self.clear_tile(index, keep_picture=False)
        self._generation += 1
        large = self.is_large(index)
        a = Assignment(camera_id, self._generation, large, source, plan_id)
        self.assigned[index] = a
        tile = self.tiles[index]
        tile.set_info(TileInfo(camera_id, "…", ""))
        tile.set_state("connecting", "")
        self._open(index, a, seamless=False)
        self.cameras_changed.emit()

    def _open(self, index: int, a: Assignment, *, seamless: bool) -> None:
        generation = a.generation

        def done(opened: OpenedStream) -> None:
            current = self.assigned.get(index)
            if current is not a or a.generation != generation or index >= len(self.tiles):
                self._close_later(opened)
                return
            if a.opened is not None and a.opened.key != opened.key:
                a.extra.append(a.opened)
            a.opened = opened
            tile = self.tiles[index]
            cam = opened.camera
            tile.set_info(TileInfo(cam.id, cam.name, cam.site_name, cam.kind == "dome"))
            health = self.streams.health_of(opened.key)
            self._show_health(index, health)
            tile.play(opened.url, seamless=seamless)

        def failed(exc: BaseException) -> None:
            if self.assigned.get(index) is a and index < len(self.tiles):
                self.tiles[index].set_state("offline", describe(exc))

        self.tasks.run(
            self.streams.open,
            a.camera_id,
            a.large,
            tiles_on_wall=1 if self.enlarged is not None else self.layout_def.size,
            source=a.source,
            plan_id=a.plan_id,
            on_done=done,
            on_error=failed,
        )

    # -- tours: pre-roll the next camera, then switch at once --------------------------------

    def preroll(
        self, index: int, camera_id: str, *, source: str = "tour", plan_id: str | None = None
    ) -> None:
        """Start ``camera_id`` on tile ``index``'s hidden surface; :meth:`commit` shows it."""
        current = self.assigned.get(index)
        if current is not None and current.camera_id == camera_id:
            self.prerolled.pop(index, None)
            return
        old = self.prerolled.pop(index, None)
        if old is not None and old.opened is not None:
            self._close_later(old.opened)
        self._generation += 1
        a = Assignment(camera_id, self._generation, self.is_large(index), source, plan_id)
        self.prerolled[index] = a

        def done(opened: OpenedStream) -> None:
            if index >= len(self.tiles) or (
                self.prerolled.get(index) is not a and self.assigned.get(index) is not a
            ):
                self._close_later(opened)
                return
            a.opened = opened
            committed = self.assigned.get(index) is a
            self.tiles[index].play(opened.url, seamless=True, hold=not committed)
            if committed:
                self._committed(index, a)

        self.tasks.run(
            self.streams.open,
            camera_id,
            a.large,
            tiles_on_wall=self.layout_def.size,
            source=source,
            plan_id=plan_id,
            record=False,
            on_done=done,
            on_error=lambda exc: log.info("pre-roll of %s failed: %s", camera_id, exc),
        )

    def commit(self, index: int, camera_id: str | None = None) -> bool:
        """Show the pre-rolled camera of tile ``index`` now.

        False if nothing (or, with ``camera_id``, another camera) was pre-rolled there; a
        mismatching pre-roll is dropped.
        """
        a = self.prerolled.pop(index, None)
        if a is None:
            return False
        if camera_id is not None and a.camera_id != camera_id:
            if a.opened is not None:
                self._close_later(a.opened)
            return False
        old = self.assigned.pop(index, None)
        if old is not None:
            for opened in [*old.extra, *([old.opened] if old.opened else [])]:
                self._close_later(opened)
        self.assigned[index] = a
        if a.opened is not None:
            self.tiles[index].commit()
            self._committed(index, a)
        else:  # still connecting: the tile says so, and switches when it can
            self.tiles[index].set_info(TileInfo(a.camera_id, "…", ""))
            self.tiles[index].set_state("connecting", "")
        self.cameras_changed.emit()
        return True

    def _committed(self, index: int, a: Assignment) -> None:
        """The tile now shows ``a``: title, state, and the viewing record from now on."""
        assert a.opened is not None
        cam = a.opened.camera
        tile = self.tiles[index]
        tile.set_info(TileInfo(cam.id, cam.name, cam.site_name, cam.kind == "dome"))
        self._show_health(index, self.streams.health_of(a.opened.key))
        opened = a.opened

        def recorded(viewing_id: int) -> None:
            if a.opened is opened:
                a.opened = replace(opened, viewing_id=viewing_id)
            else:  # already replaced: close the record we just opened
                self._close_later(replace(opened, viewing_id=viewing_id, key=""))

        self.tasks.run(
            self.station.wall.open_viewing,
            cam.id,
            tiles_on_wall=self.layout_def.size,
            large=a.large,
            stream=opened.profile,
            source=a.source,
            plan_id=a.plan_id,
            on_done=recorded,
            on_error=lambda exc: log.warning("viewing not recorded: %s", exc),
        )

    def cancel_prerolls(self) -> None:
        for a in self.prerolled.values():
            if a.opened is not None:
                self._close_later(a.opened)
        self.prerolled.clear()

    def _apply_stream_size(self, index: int) -> None:
        """Switch the tile between sub and main stream without a black gap."""
        a = self.assigned.get(index)
        if a is None:
            return
        large = self.is_large(index)
        if large == a.large:
            return
        a.large = large
        self._open(index, a, seamless=True)

    def clear_tile(self, index: int, *, keep_picture: bool = False) -> None:
        pre = self.prerolled.pop(index, None)
        if pre is not None and pre.opened is not None:
            self._close_later(pre.opened)
        a = self.assigned.pop(index, None)
        if a is not None:
            for opened in [*a.extra, *([a.opened] if a.opened else [])]:
                self._close_later(opened)
        if not keep_picture and index < len(self.tiles):
            self.tiles[index].clear()
        if a is not None:
            self.cameras_changed.emit()

    def clear_all(self) -> None:
        for index in list(self.assigned):
            self.clear_tile(index)

    def swap(self, a: int, b: int) -> None:
        """Drag one tile onto another: the two cameras change places."""
        first, second = self.assigned.get(a), self.assigned.get(b)
        self.clear_tile(a)
        self.clear_tile(b)
        if first is not None:
            self.assign(b, first.camera_id)
        if second is not None:
            self.assign(a, second.camera_id)

    def show_cameras(self, cameras: list[str | None]) -> None:
        for index in range(len(self.tiles)):
            camera = cameras[index] if index < len(cameras) else None
            if camera:
                self.assign(index, camera)
            else:
                self.clear_tile(index)

    def _close_later(self, opened: OpenedStream) -> None:
        self.tasks.run(
            self.streams.close_stream,
            opened.key,
            opened.viewing_id,
            on_error=lambda exc: log.warning("closing a stream failed: %s", exc),
        )

    def _dispose(self, player: VlcPlayer) -> None:
        """Stop a player off the GUI thread (libVLC's stop blocks), then free the object.

        Players are stopped on their own pool: a burst of stops (a tour step changes 16
        tiles) must not queue in front of the streams the next tiles are waiting for.
        """
        started = time.monotonic()
        tile = player.parent()
        self._stopping[tile] = self._stopping.get(tile, 0) + 1

        def done(_: object) -> None:
            took = time.monotonic() - started
            if took > 1.0:
                log.info("a player took %.1f s to stop", took)
            player.deleteLater()
            self._stopped_since_trim += 1
            surface = getattr(player, "retired_surface", None)
            if surface is not None:
                surface.deleteLater()  # its window is free now that the player has stopped
            left = self._stopping.pop(tile, 1) - 1
            if left > 0:
                self._stopping[tile] = left
            elif tile in self._retired:
                self._retired.discard(tile)
                tile.deleteLater()

        self.reaper.run(player.dispose, on_done=done, on_error=done)

    def _give_back_memory(self) -> None:
        """After players have stopped, return the memory they freed to the system.

        A stopped player frees its decoder's pictures and stream buffers, but glibc keeps
        freed memory inside its heaps; over a shift of tile switches and tours that looked
        exactly like a leak (bench/wall.py soak: +880 MB after 1,500 switches, of which
        ~700 MB free inside the heaps). ``malloc_trim`` walks the heaps, so it runs on the
        reaper, never on the GUI thread, and only when something was stopped.
        """
        if not self._stopped_since_trim:
            return
        self._stopped_since_trim = 0
        self.reaper.run(release_free_memory)

    # -- health and recovery -----------------------------------------------------------------

    def _on_picture(self, index: int) -> None:
        a = self.assigned.get(index)
        if a is None:
            return
        a.failures = 0
        # The old stream of a seamless switch can go now.
        while a.extra:
            self._close_later(a.extra.pop())
        self.tiles[index].set_state("live", "")
        self.picture_shown.emit(index, a.camera_id)

    def _on_health(self, health: StreamHealth) -> None:
        for index, a in self.assigned.items():
            if a.opened is None or a.opened.key != health.key:
                continue
            tile = self.tiles[index]
            was_down = tile.state in ("reconnecting", "offline")
            self._show_health(index, health)
            if health.state is StreamState.LIVE and (was_down or a.retry):
                # The camera is back: restart the player on the hidden surface.
                a.retry = False
                tile.play(a.opened.url, seamless=True)

    def _show_health(self, index: int, health: StreamHealth | None) -> None:
        tile = self.tiles[index]
        if health is None:
            tile.set_state("connecting", "")
            return
        reason = problem_text(health.problem)
        if health.state is StreamState.LIVE:
            if tile.showing_picture():
                tile.set_state("live", "")
            else:
                tile.set_state("connecting", "")
        else:
            tile.set_state(health.state.value, reason)

    def _on_player_failed(self, index: int, text: str) -> None:
        a = self.assigned.get(index)
        if a is None or a.opened is None:
            return
        log.info("tile %d player: %s", index + 1, text)
        health = self.streams.health_of(a.opened.key)
        if health is not None and health.state is StreamState.LIVE:
            a.failures += 1
            if a.failures >= DECODE_FAILURES:
                # Packets arrive but nothing can be shown: not a black square, a reason.
                codec = health.codec or "?"
                self.tiles[index].set_state(
                    "offline",
                    self.tr("The video ({codec}) cannot be decoded by this console.").format(
                        codec=codec
                    ),
                )
                a.retry = True
                return
            generation = a.generation

            def retry() -> None:
                if self.assigned.get(index) is a and a.generation == generation and a.opened:
                    self.tiles[index].play(a.opened.url, seamless=True)

            QTimer.singleShot(PLAYER_RETRY_MS, retry)
        else:
            a.retry = True

    def _tick(self) -> None:
        now = QDateTime.currentDateTime().toString("HH:mm:ss")
        for index in self.assigned:
            self.tiles[index].set_clock(now)

    def _beat(self) -> None:
        ids = [a.opened.viewing_id for a in self.assigned.values() if a.opened]
        ids = [i for i in ids if i is not None]
        if ids:
            self.tasks.run(
                self.station.wall.heartbeat,
                ids,
                on_error=lambda exc: log.warning("viewing heartbeat failed: %s", exc),
            )

    # -- snapshot ------------------------------------------------------------------------------

    def snapshot(self, index: int | None = None) -> bool:
        """Save what tile ``index`` (default: the selected one) shows as a JPEG."""
        index = self.selected if index is None else index
        a = self.assigned.get(index)
        tile = self.tiles[index] if index < len(self.tiles) else None
        player = tile.front_player() if tile else None
        if a is None or a.opened is None or player is None or not tile.showing_picture():
            self.snapshot_failed.emit(self.tr("This tile shows no picture to capture."))
            return False
        camera = a.opened.camera
        wall = self.station.wall

        def take() -> Snapshot:
            fd, name = tempfile.mkstemp(suffix=".jpg")
            os.close(fd)
            path = Path(name)
            data = b""
            try:
                for _ in range(3):
                    if player.snapshot(name) and path.stat().st_size > 0:
                        data = path.read_bytes()
                        break
                    time.sleep(0.1)
            finally:
                path.unlink(missing_ok=True)
            try:
                jpeg, width, height = to_jpeg(data)
            except ValueError:
                from station_console.errors import ValidationError

                raise ValidationError(
                    "wall", "The picture could not be captured; try again."
                ) from None
            return wall.record_snapshot(camera.id, camera.name, jpeg, width=width, height=height)

        self.tasks.run(
            take,
            on_done=self.snapshot_saved.emit,
            on_error=lambda exc: self.snapshot_failed.emit(describe(exc)),
        )
        return True

    # -- shutting down ---------------------------------------------------------------------

    def shutdown(self, wait: Callable[[], object] | None = None) -> None:
        """Close every viewing and player; the caller then stops the gateway."""
        self._clock.stop()
        self._heartbeat.stop()
        self._trim.stop()
        self.cancel_prerolls()
        for index in list(self.assigned):
            self.clear_tile(index)
        for tile in self.tiles:
            tile.clear()
        self.reaper.wait(10_000)
        if wait is not None:
            wait()
