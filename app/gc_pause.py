"""Automatic garbage collection paused for a bulk step.

An import of 10,000 rows makes a few hundred thousand containers (rows, value
dicts, plans); each time enough of them pile up, Python's collector walks the
heap looking for reference cycles those containers never form — 0.1 s of a
1 s import, measured. Refcounting still frees everything as it goes; cycles,
if any, are collected when the step ends. The window's own arrangement
(ui/gc_guard.py: collection only on the GUI thread) already has it switched
off, and this leaves that as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
