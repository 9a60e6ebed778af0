"""The status bar: who is on duty, the station clock, and the link to the district hub.

The clock ticks from a QTimer (no disk, no network); the hub link state is pushed in by
whoever owns the sync engine through :meth:`StationStatusBar.set_link_state`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTimer, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from station_console.services.permissions import ROLE_LABELS, Officer

LINK_STATES = ("none", "waiting", "connected", "offline", "error")


def role_label(officer: Officer) -> str:
    return QCoreApplication.translate("roles", ROLE_LABELS[officer.role])


class StationStatusBar(QStatusBar):
    def __init__(self, hub_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.officer_label = QLabel(self)
        self.officer_label.setObjectName("officerLabel")
        self.link_label = QLabel(self)
        self.link_label.setObjectName("linkLabel")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("clockLabel")
        for label in (self.officer_label, self.link_label, self.clock_label):
            self.addPermanentWidget(label)
        self.link_state = ""
        if hub_url.strip():
            self.set_link_state("waiting", "")
        else:
            self.set_link_state("none", "")
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()

    def set_officer(self, officer: Officer | None) -> None:
        if officer is None:
            self.officer_label.setText(self.tr("Not signed in"))
            return
        self.officer_label.setText(
            self.tr("On duty: {name} ({role})").format(
                name=officer.display_name or officer.username, role=role_label(officer)
            )
        )

    @Slot(str, str)
    def set_link_state(self, state: str, detail: str) -> None:
        """``state`` is one of :data:`LINK_STATES`; ``detail`` is already translated."""
        texts = {
            "none": self.tr("Hub: none configured (working alone)"),
            "waiting": self.tr("Hub: not connected yet"),
            "connected": self.tr("Hub: connected"),
            "offline": self.tr("Hub: offline, changes are queued"),
            "error": self.tr("Hub: error"),
        }
        self.link_state = state
        text = texts.get(state, state)
        self.link_label.setText(f"{text} — {detail}" if detail else text)
        self.link_label.setToolTip(detail)

    def _tick(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock_label.setText(QLocale().toString(now, "yyyy-MM-dd HH:mm:ss"))
