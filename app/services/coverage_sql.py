"""The work-coverage rule in SQL, one text for every query that needs it (the
figures and their lists, the worklist, the registry's instructor column).

Aliases: ``a`` an assignment, ``i`` its instructor; ``:today`` an ISO date.
"""

from __future__ import annotations

# the assignment is in force on :today
ASSIGNMENT_IN_FORCE = "(a.ended_on IS NULL OR a.ended_on >= :today)"
# ... and its instructor is on duty: the unit is looked after
LOOKED_AFTER = f"i.active = 1 AND {ASSIGNMENT_IN_FORCE}"
