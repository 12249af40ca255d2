"""Run Python's garbage collector on the GUI thread only.

A collection can happen in whichever thread allocates when the threshold is
crossed; if it then frees a Qt object's wrapper from a worker thread, Qt
crashes (seen here: a segfault while a worker read the registry). As PyQt's
documentation and qutebrowser do, automatic collection is switched off and a
timer on the GUI thread collects instead.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer, Slot

# often enough that each collection meets few new objects: a worker building a
# 50,000-row preview allocates about a million a second, and a collection holds the GIL
INTERVAL_MS = 100
# while a worker runs (see MainThreadGC._while_busy): the most new objects one
# collection here traverses
BUSY_BATCH = 20_000
THAW_AFTER_S = 60.0


class MainThreadGC(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._last_busy = time.monotonic()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds; the whole
        heap only while no background work runs (it takes long and holds the GIL)."""
        from ui import tasks

        counts, busy, now = gc.get_count(), tasks.busy(), time.monotonic()
        if busy:
            self._last_busy = now
            self._while_busy(counts)
        elif counts[2] > self._thresholds[2]:
            gc.collect(2)
        elif counts[1] > self._thresholds[1]:
            gc.collect(1)
        elif counts[0] > self._thresholds[0]:
            gc.collect(0)
        if not busy and gc.get_freeze_count() and now - self._last_busy > THAW_AFTER_S:
            # the garbage among what was set aside, once nothing ran for a while: one
            # long collection while the clerk reads, never during the work
            gc.unfreeze()
            gc.collect(2)

    def _while_busy(self, counts: tuple[int, int, int]) -> None:
        """While a worker runs it makes up to a million objects a second, all of them
        met here (not 700 at a time): a collection traversing them froze the window for
        150-600 ms (bench/bench_stalls.py). What survived a young collection, or came
        in one batch too large to traverse, is set aside (gc.freeze, which costs
        nothing) so no collection on this thread meets it again until THAW_AFTER_S."""
        if counts[0] > BUSY_BATCH:
            gc.freeze()
        elif counts[0] > self._thresholds[0]:
            gc.collect(0)
            gc.freeze()  # (an older generation collected here met them all again)


_guard: MainThreadGC | None = None


def install(app: QObject) -> None:
    global _guard
    if _guard is None:
        _guard = MainThreadGC(app)
