"""fund_payment: 经费保障's payments

Revision ID: 0024_funds
Revises: 0023_excellent_pass_line
Create Date: 2026-12-07 23:50:00

柳州 (000): every member's "3个100元", 2,000 元 for each party organization formed, the
awards; the entitlements are computed from the registry, the results and the clusters'
ledger (issue 25), so only the payments recorded against them are stored: the year,
the party organization paid, the purpose (FundKind), the date, the amount in fen
(exact), the payer and a note.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_funds"
down_revision: str | None = "0023_excellent_pass_line"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fund_payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "party_org_id",
            sa.Integer(),
            sa.ForeignKey("party_organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("payer", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_fund_payment_year", "fund_payment", ["year", "party_org_id", "kind", "amount"]
    )
    op.create_index("ix_fund_payment_party_org_id", "fund_payment", ["party_org_id"])


def downgrade() -> None:
    op.drop_table("fund_payment")
