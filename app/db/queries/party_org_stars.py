"""The queries of the party organizations' yearly stars: the organizations with their
示范点, and which units each covers (the scores come from the year's ranking)."""

from __future__ import annotations

# (id, uuid, name, formation, demo_site, demo_site_year) of every party organization
PARTY_ORGS = (
    "SELECT id, uuid, name, formation, coalesce(demo_site, 'none'), demo_site_year"
    " FROM party_organization ORDER BY name"
)
# (unit id, party organization id, unit kind) of every unit a party organization covers
COVERED_UNITS = (
    "SELECT id, party_org_id, kind FROM organization WHERE party_org_id IS NOT NULL ORDER BY id"
)
# (party organization id, unit id) of every unit a party organization covers, from
# ix_organization_party_org alone (the star counts need no more, in no order)
UNIT_IDS_BY_PARTY_ORG = "SELECT party_org_id, id FROM organization WHERE party_org_id IS NOT NULL"
