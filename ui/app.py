"""GUI entry point: the Qt application, translators, crash handler and start-up sequence.

``main.py`` parses the command line and calls :func:`run_gui`; everything Qt starts here.
Demo preparation (simulated precinct, throw-away data directory) is done by ``main.py``
before this is called: here ``auto_login`` is honoured and ``on_exit`` callbacks are run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from drivers.memory import tune_malloc
from station_console import __version__
from station_console.paths import DataPaths
from station_console.settings import OPTIONS
from station_console.station import Station
from ui.crash import CrashHandler
from ui.gui_collector import GuiThreadCollector
from ui.i18n import LANGUAGES, install_translators, remove_translators
from ui.startup import EXIT_FAILED, Launcher
from ui.tasks import TaskRunner
from ui.thread_stacks import ThreadStacks

log = logging.getLogger(__name__)


@dataclass
class LaunchOptions:
    data_dir: Path
    explicit_data_dir: bool = False
    lang: str | None = None
    demo: bool = False
    allow_demo_fallback: bool = True
    demo_cameras: int = 16
    auto_login: tuple[str, str] | None = None
    on_exit: list[Callable[[], None]] = field(default_factory=list)


def _language(options: LaunchOptions, station: Station | None) -> str:
    if options.lang in LANGUAGES:
        return str(options.lang)
    if station is not None:
        value = str(station.settings.get("language"))
        if value in LANGUAGES:
            return value
    return str(OPTIONS["language"].default)


class _Translation:
    """Keeps the installed translators and swaps them when the station's language is known."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.lang = ""
        self.translators: list[QTranslator] = []

    def use(self, lang: str) -> None:
        if lang == self.lang:
            return
        remove_translators(self.app, self.translators)
        self.translators = install_translators(self.app, lang)
        self.lang = lang


def run_gui(options: LaunchOptions) -> int:
    """Run the console until it quits; returns the process exit code."""
    tune_malloc()  # before any thread starts (see drivers.memory)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("Station Console")
    app.setOrganizationName("station-console")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # sign-out closes the window but not the app

    translation = _Translation(app)
    # Before the station is open only --lang (or the default) is known: errors such as
    # "data directory in use" are shown in that language.
    translation.use(_language(options, None))

    # From here on cyclic garbage, and the Qt objects in it, is freed on this thread only.
    collector = GuiThreadCollector(app)
    collector.start()
    tasks = TaskRunner(app)
    launcher: Launcher | None = None
    crash_dir = DataPaths(options.data_dir).crash_reports

    def report_dir() -> Path:
        if launcher is not None and launcher.station is not None:
            return launcher.station.paths.crash_reports
        return crash_dir

    crash = CrashHandler(report_dir, app)
    crash.install()
    # Native crashes and hangs, which the handler above never sees (same folder as its reports).
    stacks = ThreadStacks(crash_dir, app)
    stacks.install()

    def station_opened(station: Station) -> None:
        translation.use(_language(options, station))
        if launcher is not None:
            launcher.language = translation.lang

    launcher = Launcher(
        options.data_dir,
        tasks,
        auto_login=options.auto_login,
        on_station=station_opened,
        switch_language=translation.use,
        language=translation.lang,
    )
    launcher.finished.connect(app.exit)
    QTimer.singleShot(0, launcher.start)
    try:
        code = app.exec()
    except Exception:
        log.exception("event loop failed")
        code = EXIT_FAILED
    finally:
        crash.uninstall()
        tasks.wait()
        if launcher.station is not None:
            launcher.station.close()
        for callback in options.on_exit:
            try:
                callback()
            except Exception:
                log.exception("exit callback failed")
        remove_translators(app, translation.translators)
        stacks.uninstall()  # last: a way out that hangs (a task that never ends) is reported too
        collector.stop()
    return int(launcher.exit_code if launcher.exit_code is not None else code)
