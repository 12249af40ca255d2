"""示范点 on a party organization

Revision ID: 0022_party_org_stars
Revises: 0021_park_and_county
Create Date: 2026-12-07 21:20:00

Stars belong to party organizations (issue 25): they are computed from each year's
yearly period (its scores frozen once published, migration 0017), so they need no
table. The 示范点 designation is the party organization's own record: its level
(``none`` for none) and the year it was named.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_party_org_stars"
down_revision: str | None = "0021_park_and_county"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN: the table is not rebuilt (its rows, ids and uuids stay as they are)
    op.add_column(
        "party_organization",
        sa.Column("demo_site", sa.String(length=20), nullable=False, server_default="none"),
    )
    op.add_column("party_organization", sa.Column("demo_site_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("party_organization") as batch:
        batch.drop_column("demo_site_year")
        batch.drop_column("demo_site")
