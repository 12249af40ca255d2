"""The queries, by capability: the SQL the services run, kept under app/db (issue 24).

park.py (the database's own park row, read at start-up), county.py (a county's parks,
figures and duplicates: SQLAlchemy Core), overview.py (the figures, the overview's
counts, the worklist), grouping.py (the class review, clusters, pairings, instructor
suggestions), registry.py (the registry's rows, pickers, the park's settings), files.py
(the audit log's direct writes, the integrity check of a SQLite file), field.py (the field
package and the laptop), records.py (the records that travel, read and written by uuid),
merge.py (return packages and copies merged), visits.py (visits and problems),
assessment.py (schemes, scores, rankings, publication), party_org_stars.py (the
party organizations and their units for the yearly stars), workbooks.py (the registry import
and the quarterly submission). SQLite's own constructs come from app/db/dialect.py.
tests/test_architecture.py holds SQL to app/db."""
