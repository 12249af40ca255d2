"""Bulk-made UUIDs must be real random (version 4) UUIDs, all different."""

from __future__ import annotations

import uuid
from itertools import islice

from app.db.bulk import new_uuids


def test_bulk_uuids_are_distinct_version_4_uuids() -> None:
    made = list(islice(new_uuids(), 1000))  # crosses a batch boundary (256)
    assert len(set(made)) == 1000
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
