"""Video-wall layouts: which grid cells each tile covers.

A layout is a grid of ``rows × cols`` cells and an ordered list of tiles, each a rectangle of
whole cells. The standard layouts (1, 4, 6 = 1 large + 5, 8 = 1 large + 7, 9, 16, 25, 36) and
user-defined spans use the same shape, so the wall, saved views and tours (which fill tiles
in order) never special-case one of them. Pure data: no Qt, so layouts are checked by plain
unit tests and stored as JSON in a named view.
"""

from __future__ import annotations

from dataclasses import dataclass

from station_console.errors import ValidationError

MAX_GRID = 8  # 64 cells: beyond that a tile is too small to recognise a face or a plate


@dataclass(frozen=True)
class TileSpan:
    """One tile: top-left cell and how many cells it spans."""

    row: int
    col: int
    rows: int = 1
    cols: int = 1

    def cells(self) -> set[tuple[int, int]]:
        return {
            (r, c)
            for r in range(self.row, self.row + self.rows)
            for c in range(self.col, self.col + self.cols)
        }


@dataclass(frozen=True)
class WallLayout:
    """A grid and its tiles, in the order tours and "fill the wall" use them."""

    name: str
    rows: int
    cols: int
    tiles: tuple[TileSpan, ...]

    @property
    def size(self) -> int:
        return len(self.tiles)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "rows": self.rows,
            "cols": self.cols,
            "tiles": [[t.row, t.col, t.rows, t.cols] for t in self.tiles],
        }

    @classmethod
    def from_json(cls, data: object) -> WallLayout:
        if not isinstance(data, dict):
            raise ValidationError("wall", "The saved layout cannot be read.")
        try:
            tiles = tuple(TileSpan(*map(int, t)) for t in data["tiles"])
            layout = cls(str(data.get("name", "")), int(data["rows"]), int(data["cols"]), tiles)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError("wall", "The saved layout cannot be read.") from exc
        return validate(layout)


def grid(n: int) -> WallLayout:
    """The square ``n × n`` layout (1, 4, 9, 16, 25, 36 tiles)."""
    return WallLayout(str(n * n), n, n, tuple(TileSpan(r, c) for r in range(n) for c in range(n)))


def one_large_plus(border: int) -> WallLayout:
    """One large tile in the top-left corner and small tiles along the right and bottom.

    ``border`` 3 gives 6 tiles (a 2×2 large tile + 5), 4 gives 8 (a 3×3 large tile + 7).
    """
    big = border - 1
    tiles = [TileSpan(0, 0, big, big)]
    tiles += [TileSpan(r, big) for r in range(big)]
    tiles += [TileSpan(big, c) for c in range(border)]
    return WallLayout(str(len(tiles)), border, border, tuple(tiles))


STANDARD: dict[str, WallLayout] = {
    layout.name: layout
    for layout in (
        grid(1),
        grid(2),
        one_large_plus(3),
        one_large_plus(4),
        grid(3),
        grid(4),
        grid(5),
        grid(6),
    )
}


def standard(name: str) -> WallLayout:
    try:
        return STANDARD[name]
    except KeyError:
        raise ValidationError("wall", "There is no layout called {name}.", name=name) from None


def validate(layout: WallLayout) -> WallLayout:
    """Reject layouts whose tiles leave the grid or overlap; gaps are allowed (spans)."""
    if not (1 <= layout.rows <= MAX_GRID and 1 <= layout.cols <= MAX_GRID):
        raise ValidationError(
            "wall", "A layout has between 1 and {n} rows and columns.", n=MAX_GRID
        )
    if not layout.tiles:
        raise ValidationError("wall", "A layout needs at least one tile.")
    used: set[tuple[int, int]] = set()
    for number, tile in enumerate(layout.tiles, start=1):
        inside = (
            tile.row >= 0
            and tile.col >= 0
            and tile.rows >= 1
            and tile.cols >= 1
            and tile.row + tile.rows <= layout.rows
            and tile.col + tile.cols <= layout.cols
        )
        if not inside:
            raise ValidationError("wall", "Tile {n} lies outside the grid.", n=number)
        cells = tile.cells()
        if cells & used:
            raise ValidationError("wall", "Tile {n} overlaps another tile.", n=number)
        used |= cells
    return layout


def merge(layout: WallLayout, first: int, last: int) -> WallLayout:
    """A user-defined span: join tiles ``first`` and ``last`` (and all between) into one.

    The merged tile is the bounding rectangle of the two; every tile inside it is absorbed.
    A tile that only partly overlaps the rectangle makes the merge impossible.
    """
    a, b = layout.tiles[first], layout.tiles[last]
    top, left = min(a.row, b.row), min(a.col, b.col)
    bottom = max(a.row + a.rows, b.row + b.rows)
    right = max(a.col + a.cols, b.col + b.cols)
    span = TileSpan(top, left, bottom - top, right - left)
    region = span.cells()
    kept: list[TileSpan] = []
    placed = False
    for tile in layout.tiles:
        cells = tile.cells()
        if cells <= region:
            if not placed:
                kept.append(span)
                placed = True
        elif cells & region:
            raise ValidationError(
                "wall", "These tiles cannot be joined: another tile sits across them."
            )
        else:
            kept.append(tile)
    return validate(WallLayout("custom", layout.rows, layout.cols, tuple(kept)))
