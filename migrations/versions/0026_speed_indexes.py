"""the party organizations' figures and the clusters' year read from indexes

Revision ID: 0026_speed_indexes
Revises: 0025_park_on_records
Create Date: 2026-12-07 23:50:00

The coverage figures count the party organizations by their units' kind and the
own-branch enterprises whose organization records a venue (党员活动室). Each
organization's units were read from their wide rows: 100 of the figures' 160 ms at
50,000 units (issue 23). ix_organization_party_org carries the unit's kind, whether it
is in the base and its formation beside its party organization, so the figures read
the index alone. It replaces ix_organization_party_org_id (its first column: every
lookup by party organization still finds its units), so an edit writes no more index.

The clusters page reads each cluster's year in one grouped read: its amounts summed
and, for 衢州's rhythm (每季交流 each quarter), its records' dates; and the year's
allocations to units without activists. ix_cluster_record_year gains the date and the
unit, so both read the index alone, as the amounts were.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026_speed_indexes"
down_revision: str | None = "0025_park_on_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_YEAR = ["cluster_id", "year", "kind", "amount", "second_amount"]


def upgrade() -> None:
    op.drop_index("ix_organization_party_org_id", table_name="organization")
    op.create_index(
        "ix_organization_party_org",
        "organization",
        ["party_org_id", "kind", "in_base", "formation"],
    )
    op.drop_index("ix_cluster_record_year", table_name="cluster_record")
    op.create_index(
        "ix_cluster_record_year", "cluster_record", [*_YEAR, "dated", "organization_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_cluster_record_year", table_name="cluster_record")
    op.create_index("ix_cluster_record_year", "cluster_record", _YEAR)
    op.drop_index("ix_organization_party_org", table_name="organization")
    op.create_index("ix_organization_party_org_id", "organization", ["party_org_id"])
