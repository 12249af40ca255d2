"""The queries, by capability: the SQL the services run, kept under app/db (issue 24).

Capabilities moved here so far: the park's own row (park.py) and the county's
figures, parks and duplicates (county.py); the field package and the laptop (field.py),
the records that travel, read and written by uuid (records.py), return packages and
copies merged (merge.py), visits and problems (visits.py). The rest still sits beside its service;
tests/test_architecture.py lists where, and no new module may add to that list."""
