"""the party organizations' figures read from an index of their units

Revision ID: 0024_speed_indexes
Revises: 0023_excellent_pass_line
Create Date: 2026-12-07 23:50:00

The coverage figures count the party organizations by their units' kind and the
own-branch enterprises whose organization records a venue (党员活动室). Each
organization's units were read from their wide rows: 100 of the figures' 160 ms at
50,000 units (issue 23). ix_organization_party_org carries the unit's kind, whether it
is in the base and its formation beside its party organization, so the figures read
the index alone. It replaces ix_organization_party_org_id (its first column: every
lookup by party organization still finds its units), so an edit writes no more index.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024_speed_indexes"
down_revision: str | None = "0023_excellent_pass_line"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_organization_party_org_id", table_name="organization")
    op.create_index(
        "ix_organization_party_org",
        "organization",
        ["party_org_id", "kind", "in_base", "formation"],
    )


def downgrade() -> None:
    op.drop_index("ix_organization_party_org", table_name="organization")
    op.create_index("ix_organization_party_org_id", "organization", ["party_org_id"])
