"""architecture.md: the core imports no Qt, VLC, OpenCV, PyAV, pyqtgraph (or HTTP stacks)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "station_console"
FORBIDDEN = {
    "PySide6",
    "vlc",
    "cv2",
    "av",
    "pyqtgraph",
    "httpx",
    "fastapi",
    "uvicorn",
    "ui",
    "drivers",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_sources_import_no_gui_or_video_library() -> None:
    offenders = {
        str(p.relative_to(CORE.parent)): sorted(imported_roots(p) & FORBIDDEN)
        for p in CORE.rglob("*.py")
        if imported_roots(p) & FORBIDDEN
    }
    assert offenders == {}


def test_importing_every_core_module_loads_no_forbidden_module() -> None:
    """Also catches indirect imports through third-party packages."""
    modules = [
        ".".join(p.relative_to(CORE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
