"""The in-app log view: the last lines of the console's log, refreshed once a second.

It reads the in-memory tail (:data:`station_console.logs.TAIL`), never the log file, so the
refresh costs no disk access. Credentials are masked before lines reach the tail.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.logs import TAIL, TailHandler

REFRESH_MS = 1000


class LogView(QDialog):
    def __init__(self, parent: QWidget | None = None, tail: TailHandler = TAIL) -> None:
        super().__init__(parent)
        self.setObjectName("logView")
        self.setWindowTitle(self.tr("Console log"))
        self.tail = tail
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("logText")
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(5000)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(font)
        self.count = QLabel(self)
        close = QPushButton(self.tr("&Close"), self)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.resize(900, 480)
        self._shown: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.refresh()
        self.timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        lines = self.tail.snapshot()
        if lines == self._shown:
            return
        bar = self.text.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        # Append only what is new when the tail simply grew; otherwise redraw.
        n = len(self._shown)
        if n and len(lines) >= n and lines[:n] == self._shown:
            for line in lines[n:]:
                self.text.appendPlainText(line)
        else:
            self.text.setPlainText("\n".join(lines))
        self._shown = lines
        self.count.setText(self.tr("{n} lines").format(n=len(lines)))
        if at_end:
            bar.setValue(bar.maximum())
