"""Python's cyclic garbage collector, run on the GUI thread only.

Why: Python collects garbage on whichever thread happens to allocate when a generation's count
passes its threshold. If the garbage holds Qt objects (a widget's wrapper in a reference cycle
through a connected closure, say), they are destroyed on that thread. Caught in the test suite
(the hang that stopped a CI run for 90 minutes, reproduced here): a task-runner thread parsing
the ONVIF WSDLs triggered a collection that freed a QObject there. Shiboken lets go of the GIL
while the C++ destructor runs; the destructor, holding one of Qt's connection locks, asked for
the GIL back (to look for a Python override) just as the GUI thread, holding the GIL, waited
for that lock to delete a widget. Both waited for good, and nothing in Python could interrupt
them.

So automatic collection is switched off and :class:`GuiThreadCollector` runs it from a timer
on the GUI thread, by the same rule Python uses (the oldest generation whose count passed its
threshold). Garbage without cycles is still freed at once by reference counting, on any
thread; only cycles wait for the next tick (:data:`INTERVAL_MS`). pyqtgraph's
``GarbageCollector`` does the same for the same reason.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts (a few ns when nothing is due).
#: Short, so that each collection has little to walk.
INTERVAL_MS = 100


class GuiThreadCollector(QObject):
    """Switches automatic collection off while started and collects on its own timer."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Stop the timer; collect what is left here; automatic collection as it was."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; which one, if any."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return None
