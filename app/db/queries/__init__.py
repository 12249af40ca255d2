"""The queries, by capability: the SQL the services run, kept under app/db (issue 24).

Capabilities moved here so far: the park's own row (park.py), the county's
figures, parks and duplicates (county.py), the overview's figures, counts and
worklist (overview.py), the class review, clusters, pairings and
instructor suggestions (grouping.py), the registry's rows, pickers and the
park's settings (registry.py), the audit log's direct writes and the integrity
check (files.py). The rest still sits beside its service;
tests/test_architecture.py lists where, and no new module may add to that list."""
