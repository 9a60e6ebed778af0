"""Every user-visible string in ui/ goes through tr() or translate(); the catalogue is complete.

The AST scan catches the common slip of passing an English literal straight to a Qt text
API (``label.setText("Cameras")``): such text would stay English in the Chinese console.
Literals without letters ("—", ":", "…") are fine. No Qt is imported here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"

# Methods whose every positional argument is shown to the user.
TEXT_METHODS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setStatusTip",
    "setWhatsThis",
    "addAction",
    "addMenu",
    "setTitle",
    "setLabelText",
    "showMessage",
    "setTabText",
    "setTabToolTip",
    "setDetailedText",
    "setInformativeText",
}
# addTab(widget, text) / insertTab(i, widget, text) / addItem(text, data): the text argument.
POSITIONAL = {"addTab": 1, "insertTab": 2, "addRow": 0, "addItem": 0}
CONSTRUCTORS = {"QLabel", "QPushButton", "QAction", "QCheckBox", "QGroupBox", "QRadioButton"}
LIST_METHODS = {"setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels"}
MESSAGE_BOX_STATICS = {"information", "warning", "critical", "question", "about"}


def _has_letters(node: ast.AST) -> bool:
    """A literal (or f-string part) the user would read as words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_letters(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _is_message_box_static(call: ast.Call) -> bool:
    f = call.func
    return (
        isinstance(f, ast.Attribute)
        and f.attr in MESSAGE_BOX_STATICS
        and isinstance(f.value, ast.Name)
        and f.value.id == "QMessageBox"
    )


def untranslated(source: str, filename: str = "<ui>") -> list[str]:
    problems: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        suspects: list[ast.AST] = []
        if name in TEXT_METHODS or name in CONSTRUCTORS or _is_message_box_static(node):
            suspects = list(node.args)
        elif name in POSITIONAL and len(node.args) > POSITIONAL[name]:
            suspects = [node.args[POSITIONAL[name]]]
        elif name in LIST_METHODS and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
            suspects = list(node.args[0].elts)
        elif name == "QMessageBox":
            suspects = list(node.args[1:3])  # (icon, title, text, ...)
        suspects += [k.value for k in node.keywords if k.arg in {"text", "title"}]
        for arg in suspects:
            if _has_letters(arg):
                problems.append(f"{filename}:{node.lineno}: {name}() gets an untranslated literal")
    return problems


def test_scanner_catches_the_usual_slips() -> None:
    bad = """
label.setText("Cameras")
QLabel("Name:", self)
menu.addMenu("&File")
tabs.addTab(widget, "Users")
view.setHorizontalHeaderLabels(["Name", self.tr("Site")])
QMessageBox.warning(self, "Error", self.tr("x"))
button.setToolTip(f"Open {name}")
"""
    assert len(untranslated(bad)) == 7
    good = """
label.setText(self.tr("Cameras"))
label.setText("—")
QLabel(": ", self)
tabs.addTab(widget, QCoreApplication.translate("main_window", "&Users"))
label.setText(f"{a} · {b}")
view.setHorizontalHeaderLabels([":", self.tr("Site")])
label.setText(name)
"""
    assert untranslated(good) == []


def test_ui_passes_no_literal_text_to_qt() -> None:
    problems: list[str] = []
    for path in sorted(UI.glob("*.py")):
        problems += untranslated(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


def test_translation_catalogue_is_complete_and_fresh() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.build_translations", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
