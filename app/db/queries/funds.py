"""The queries of 经费保障 (services/funds): the party organizations with what their
entitlements are computed from, the clusters' returned dues of a year with the party
organization of each leader unit, and a year's payments."""

from __future__ import annotations

from app.domain.vocabulary import ClusterRecordKind, OrgStatus

# (id, uuid, name, founded, formal members) of every party organization: the formal
# members of the units on the register it covers (closed or moved-out units have none)
PARTY_ORGS = (
    "SELECT p.id, p.uuid, p.name, p.founded,"
    " coalesce((SELECT sum(coalesce(o.formal_members, 0)) FROM organization o"
    f" WHERE o.party_org_id = p.id AND o.status = '{OrgStatus.ACTIVE.value}'), 0)"
    " FROM party_organization p ORDER BY p.name"
)
# (unit id, party organization id) of every unit a party organization covers
UNIT_PARTY_ORGS = "SELECT id, party_org_id FROM organization WHERE party_org_id IS NOT NULL"
# (cluster name, the leader unit's party organization or NULL, returned dues in fen) of
# each cluster with dues returned in the year :year
CLUSTER_DUES = (
    "SELECT c.name, (SELECT o.party_org_id FROM organization o"
    " WHERE o.cluster_id = c.id AND o.is_cluster_leader ORDER BY o.id LIMIT 1),"
    " sum(r.amount)"
    " FROM cluster_record r JOIN cluster c ON c.id = r.cluster_id"
    f" WHERE r.year = :year AND r.kind = '{ClusterRecordKind.DUES_RETURNED.value}'"
    " GROUP BY c.id, c.name ORDER BY c.name"
)
# (party organization id, purpose, fen) summed over the year :year's payments
PAID_SUMS = (
    "SELECT party_org_id, kind, sum(amount) FROM fund_payment WHERE year = :year"
    " GROUP BY party_org_id, kind"
)
# a year's payments, oldest first
PAYMENTS = (
    "SELECT f.id, f.uuid, f.paid_on, f.amount, f.payer, f.party_org_id, p.name, p.uuid,"
    " f.kind, f.note"
    " FROM fund_payment f JOIN party_organization p ON p.id = f.party_org_id"
    " WHERE f.year = :year ORDER BY f.paid_on, f.id"
)
PAYMENT_BY_UUID = "SELECT id FROM fund_payment WHERE uuid = ?"
