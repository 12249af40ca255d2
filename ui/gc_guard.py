"""Run Python's garbage collector on the GUI thread only.

A collection can happen in whichever thread allocates when the threshold is
crossed; if it then frees a Qt object's wrapper from a worker thread, Qt
crashes (seen here: a segfault while a worker read the registry). As PyQt's
documentation and qutebrowser do, automatic collection is switched off and a
timer on the GUI thread collects instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

# often enough that each collection meets few new objects: a worker building a
# 50,000-row preview allocates about a million a second, and a collection holds the GIL
INTERVAL_MS = 100


class MainThreadGC(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds; the whole
        heap only while no background work runs (it takes long and holds the GIL)."""
        from ui import tasks

        counts = gc.get_count()
        if counts[2] > self._thresholds[2] and not tasks.busy():
            gc.collect(2)
        elif counts[1] > self._thresholds[1]:
            gc.collect(1)
        elif counts[0] > self._thresholds[0]:
            gc.collect(0)


_guard: MainThreadGC | None = None


def install(app: QObject) -> None:
    global _guard
    if _guard is None:
        _guard = MainThreadGC(app)
