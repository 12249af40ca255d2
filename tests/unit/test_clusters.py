"""编组共建: members and leader, the leader's three powers and their limits, the
warnings, and undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.db.database import Database
from app.domain.clusters import parse_yuan, yuan_text
from app.domain.validation import OrganizationDraft, PartyOrgDraft, ValidationError
from app.domain.vocabulary import ClusterRecordKind as K
from app.domain.vocabulary import Formation
from app.services.files import audit
from app.services.grouping import clusters
from app.services.grouping.clusters import ClusterDraft, RecordDraft
from app.services.registry import organizations, party_orgs

TODAY = date(2026, 11, 23)


def test_money_is_exact() -> None:
    assert parse_yuan("12.5") == 1250 and parse_yuan("3,000元") == 300_000
    assert yuan_text(1250) == "12.50" and yuan_text(-300) == "-3.00"
    for bad in ("12.345", "-5", "0", "一百", "nan"):
        with pytest.raises(ValueError):
            parse_yuan(bad)


@pytest.fixture
def park(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    branch = party_orgs.create_party_org(
        db, PartyOrgDraft(name="衢州某公司党委", dual_managed=True)
    )
    ids["leader"] = organizations.create_organization(
        db,
        OrganizationDraft(
            name="组长公司", formation=Formation.OWN, party_org_id=branch, formal_members=30
        ),
        TODAY,
    )
    for n in (1, 2, 3):
        ids[f"成员{n}"] = organizations.create_organization(
            db, OrganizationDraft(name=f"成员{n}", formal_members=n), TODAY
        )
    return ids


def _cluster(db: Database, park: dict[str, int], name: str = "第一编组") -> int:
    members = [park["leader"], park["成员1"], park["成员2"]]
    return clusters.create_cluster(db, ClusterDraft(name, 2024, "", members, park["leader"]))


def test_members_leader_and_refusals(db: Database, park: dict[str, int]) -> None:
    cid = _cluster(db, park)
    (row,) = clusters.list_clusters(db, 2026, today=TODAY)
    assert row.leader is not None and row.leader.name == "组长公司"
    assert row.members[0].name == "组长公司" and len(row.members) == 3
    # 衢州's rhythm: the quarters ended by 2026-11-23 without their 每季交流 (issue 25)
    assert row.warnings == [
        "2026年第1季度、第2季度、第3季度没有每季交流（衢州：编组每季交流、半年汇报、年终考核）"
    ]
    for day in (date(2026, 3, 20), date(2026, 6, 18)):
        clusters.add_record(db, cid, RecordDraft(K.EXCHANGE, 2026, dated=day, text="交流"))
    (row,) = clusters.list_clusters(db, 2026, today=TODAY)
    assert row.warnings == ["2026年第3季度没有每季交流（衢州：编组每季交流、半年汇报、年终考核）"]
    # 观摩 is an activity but not the quarter's exchange
    clusters.add_record(db, cid, RecordDraft(K.OBSERVATION, 2026, dated=date(2026, 9, 9)))
    clusters.add_record(db, cid, RecordDraft(K.EXCHANGE, 2026, dated=date(2026, 9, 10)))
    (row,) = clusters.list_clusters(db, 2026, today=TODAY)
    assert row.warnings == []  # the leader's organization is under dual management
    cases = [
        (
            ClusterDraft("第二编组", member_ids=[park["成员3"]], leader_id=park["成员1"]),
            "leader_outside",
        ),
        (ClusterDraft("第二编组", member_ids=[park["成员1"], park["成员3"]]), "member_elsewhere"),
        (ClusterDraft("第一编组", member_ids=[park["成员3"]]), "name_duplicate"),
        (ClusterDraft(" ", member_ids=[park["成员3"]]), "name_missing"),
    ]
    for draft, code in cases:
        with pytest.raises(ValidationError) as err:
            clusters.create_cluster(db, draft)
        assert code in [i.code for i in err.value.issues], code
    assert len(clusters.list_clusters(db)) == 1
    # a leader without a party organization is flagged; no leader at all too
    clusters.update_cluster(
        db, cid, ClusterDraft("第一编组", 2024, "", [park["成员1"], park["成员2"]], park["成员1"])
    )
    assert "组长单位没有党组织" in clusters.list_clusters(db)[0].warning_text
    clusters.update_cluster(db, cid, ClusterDraft("第一编组", 2024, "", [park["成员1"]], None))
    assert clusters.list_clusters(db)[0].warnings == ["未确定组长单位"]
    assert organizations.get_draft(db, park["成员2"]).cluster_id is None  # left the cluster


def test_three_powers_and_their_limits(db: Database, park: dict[str, int]) -> None:
    cid = _cluster(db, park)

    def add(kind: K, **kw: object) -> str:
        return clusters.add_record(db, cid, RecordDraft(kind, 2026, **kw))  # type: ignore[arg-type]

    # 经费统筹: dues returned, spending, the balance; spending past it is flagged
    add(K.DUES_RETURNED, dated=date(2026, 3, 1), amount=parse_yuan("3000"))
    assert (
        add(K.SPENDING, dated=date(2026, 4, 1), amount=parse_yuan("1200.50"), title="联合党课")
        == ""
    )
    warning = add(K.SPENDING, dated=date(2026, 6, 1), amount=parse_yuan("2000"), title="参观学习")
    assert warning == "支出2,000.00元，超过结余1,799.50元"
    f = clusters.list_clusters(db, 2026)[0].figures
    assert (f.dues_returned, f.spent, f.balance) == (300_000, 320_050, -20_050)
    assert "支出超过" in clusters.list_clusters(db, 2026)[0].warning_text

    # 发展党员指标: allocations never add up past the quota
    with pytest.raises(ValidationError) as err:
        add(K.ALLOCATION, organization_id=park["成员1"], amount=1)
    assert err.value.issues[0].code == "quota_missing"
    add(K.QUOTA, amount=3)
    add(K.ALLOCATION, organization_id=park["成员1"], amount=2, second_amount=1)
    with pytest.raises(ValidationError) as err:
        add(K.ALLOCATION, organization_id=park["成员2"], amount=2)
    assert "分配合计4名，超过本编组当年指标3名" in err.value.issues[0].message
    add(K.ALLOCATION, organization_id=park["成员1"], amount=1, second_amount=1)  # replaces
    add(K.ALLOCATION, organization_id=park["成员2"], amount=2)
    with pytest.raises(ValidationError) as err:
        add(K.QUOTA, amount=2)
    assert err.value.issues[0].code == "quota_below_allocated"
    with pytest.raises(ValidationError) as err:
        add(K.ALLOCATION, organization_id=park["成员3"], amount=0)
    assert err.value.issues[0].code == "unit_outside"
    f = clusters.list_clusters(db, 2026)[0].figures
    assert (f.quota, f.allocated, f.recruited) == (3, 3, 1)

    # 评优推荐: never more nominations than places
    add(K.AWARD, title="先进基层党组织", amount=1)
    award = next(r for r in clusters.list_records(db, cid, 2026) if r.kind is K.AWARD)
    add(K.NOMINATION, parent_id=award.id, organization_id=park["成员1"], title="成员1党支部")
    with pytest.raises(ValidationError) as err:
        add(K.NOMINATION, parent_id=award.id, organization_id=park["成员2"])
    assert err.value.issues[0].code == "nomination_over_places"
    assert clusters.list_clusters(db, 2026)[0].figures.nominated == 1
    # another year is another year
    assert clusters.list_clusters(db, 2025)[0].figures.quota is None


def test_deleting_a_cluster_and_undoing(db: Database, park: dict[str, int]) -> None:
    cid = _cluster(db, park)
    clusters.add_record(db, cid, RecordDraft(K.QUOTA, 2026, amount=3))
    clusters.add_record(
        db, cid, RecordDraft(K.ALLOCATION, 2026, organization_id=park["成员1"], amount=2)
    )
    clusters.delete_cluster(db, cid)
    assert clusters.list_clusters(db) == []
    assert organizations.get_draft(db, park["leader"]).is_cluster_leader is False
    audit.undo_last(db)
    (row,) = clusters.list_clusters(db, 2026)
    assert (row.leader.name, row.figures.allocated) == ("组长公司", 2)  # type: ignore[union-attr]


def test_command_line_lists_clusters(db: Database, db_path, park: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    import json

    from app.domain.uscc import make_valid
    from tests.conftest import run_main

    code = make_valid("91330800MA2K00001")
    draft = organizations.get_draft(db, park["leader"])
    draft.uscc = code
    organizations.update_organization(db, park["leader"], draft, TODAY)
    _cluster(db, park)
    clusters.create_cluster(db, ClusterDraft("无组长编组", member_ids=[park["成员3"]]))
    db.dispose()
    done = run_main("--db", str(db_path), "clusters", "list", "--json")
    assert done.returncode == 0, done.stderr
    listed = {c["name"]: c for c in json.loads(done.stdout)}
    assert listed["第一编组"]["leader"] == {"uscc": code, "name": "组长公司"}
    assert listed["第一编组"]["members"] == [code, None, None]
    assert listed["无组长编组"]["warnings"][0] == "未确定组长单位"
    assert {k: v for k, v in listed["无组长编组"].items() if k != "warnings"} == {
        "name": "无组长编组",
        "leader": None,
        "members": [None],
    }


def test_a_presentation_keeps_its_file_once_in_the_data_folder(
    db: Database, park: dict[str, int], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.services.field import attachments

    cid = _cluster(db, park)
    slides = tmp_path / "半年展示.PDF"
    slides.write_bytes(b"%PDF-1.4 presentation")
    name = attachments.keep_file(db, slides)
    assert name.endswith(".pdf") and attachments.keep_file(db, slides) == name  # stored once
    assert len(list(attachments.folder(db).iterdir())) == 1
    draft = RecordDraft(K.PRESENTATION, 2026, dated=date(2026, 7, 1), text="展示", attachment=name)
    clusters.add_record(db, cid, draft)
    (record,) = clusters.list_records(db, cid, 2026)
    assert attachments.path_of(db, record.attachment).read_bytes() == b"%PDF-1.4 presentation"
    with pytest.raises(LookupError):
        attachments.path_of(db, str(Path("..") / "parkdesk.sqlite3"))  # never out of the folder
