"""OCDS 1.1.5 open data: every package the builders' projects produce validates against the official schemas
(offline: tests/data/ocds/), uses the codelists' codes, and tells the project's story release by release;
the compiled release is the project's current state."""

import contextlib
import copy
import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.db import transaction
from django.utils import timezone
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from cms.casework.identity import uscc_check_character
from cms.core.models import Department
from cms.procurement.models import (
    Agency,
    AwardedLot,
    AwardNotice,
    ContractNotice,
    CorrectionNotice,
    NoticeDocument,
    ProcurementFile,
    ProjectLot,
    TenderNotice,
)
from cms.procurement.ocds import merge
from cms.procurement.ocds.builder import tender_status
from cms.procurement.trust.versions import add_version
from tests.builders import build_portal, publish
from tests.procurement_builders import (
    OTHER_USCC,
    VALID_USCC,
    make_procurement_tree,
    make_project,
    make_tender,
    make_termination,
    pdf_bytes,
)

pytestmark = pytest.mark.anydb

SCHEMA_DIR = Path(__file__).parent / "data" / "ocds" / "1.1.5"
SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"
PREFIX = "ocds-jyzfcg"


def uscc(first17):
    return first17 + uscc_check_character(first17)


AGENCY_USCC = uscc("91419001MA4XHK801")
DEPARTMENT_USCC = uscc("11419001005423100")  # szfb's 18-character code in this module's world


# --- validation, offline ------------------------------------------------------------------------


def _registry():
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (SCHEMA_URL + path.name, Resource.from_contents(contents, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


REGISTRY = _registry()
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time")
def _date_time(value):  # RFC 3339, without relying on an optional package
    if not isinstance(value, str):
        return True
    return bool(DATE_TIME.match(value)) and datetime.datetime.fromisoformat(value) is not None


@FORMATS.checks("uri")
def _uri(value):
    return not isinstance(value, str) or bool(re.match(r"^[a-z][a-z0-9+.-]*://[^\s/?#]+[^\s]*$", value))


def errors(document, schema_name):
    schema = REGISTRY.contents(SCHEMA_URL + schema_name)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    validator = jsonschema.Draft4Validator(schema, registry=REGISTRY, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def codelist(name):
    with open(SCHEMA_DIR / "codelists" / name, encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


# --- the projects: one of each kind a demo has -----------------------------------------------------


def _contract(project, supplier_name, supplier_uscc, amount, slug="contract"):
    notice = ContractNotice(
        title=f"{project.title}合同公告",
        slug=slug,
        contract_number="JYHT-2026-0107",
        supplier_name=supplier_name,
        supplier_uscc=supplier_uscc,
        amount=amount,
        signed_on=timezone.localdate(),
        period="合同签订后12个月",
    )
    project.add_child(instance=notice)
    publish(notice)
    project.refresh_from_db()
    return notice


def _award(project, rows, slug="award"):
    award = AwardNotice(title=f"{project.title}成交结果公告", slug=slug, decided_on=timezone.localdate())
    award.awarded_lots = [
        AwardedLot(
            lot_number=lot, supplier_name=name, supplier_uscc=code, supplier_address=address, amount=amount
        )
        for lot, name, code, address, amount in rows
    ]
    project.add_child(instance=award)
    publish(award)
    project.refresh_from_db()
    return award


def _past_tender(project):
    """A tender whose deadline has passed (published before the rules' clock: skip them, as the demo does)."""
    start = timezone.now() - datetime.timedelta(days=40)
    tender = TenderNotice(
        title=f"{project.title}竞争性磋商公告",
        slug="tender",
        documents_from=start,
        documents_until=start + datetime.timedelta(days=5),
        bid_deadline=start + datetime.timedelta(days=12),
        opening_at=start + datetime.timedelta(days=12),
    )
    pfile = ProcurementFile.objects.create(project=project, title="磋商文件")
    add_version(pfile, io.BytesIO(pdf_bytes("磋商文件")), "磋商文件.pdf")
    tender.documents = [NoticeDocument(file=pfile)]
    tender.skip_timing_rules = True
    project.add_child(instance=tender)
    publish(tender)
    project.refresh_from_db()
    return tender


def build_world():
    portal = build_portal()
    Department.objects.filter(slug="szfb").update(org_code=DEPARTMENT_USCC)
    index, folders = make_procurement_tree(portal)
    agency = Agency.objects.create(
        name="河南省中正招标有限公司",
        uscc=AGENCY_USCC,
        address="济源市济水大街128号",
        contact_name="赵工",
        phone="0391-6612345",
    )
    w = {"portal": portal, "index": index, "folders": folders, "agency": agency}

    # 1. An open tender run by an agency, two lots.
    p = make_project(
        folders["czj"], "JYCG-2026-0101", "济源市财政局信息化设备采购项目", category="it_equipment"
    )
    p.agency = agency
    p.lots = [
        ProjectLot(
            number=1,
            name="台式计算机",
            budget=Decimal("700000"),
            quantity="200台",
            requirements="<p>国产CPU</p>",
        ),
        ProjectLot(number=2, name="打印机", budget=Decimal("500000.50"), quantity="30台"),
    ]
    p.budget = Decimal("1200000.50")
    w["open"] = publish(p)
    w["open_tender"] = make_tender(w["open"], days=30)

    # 2. Corrected: the deadline moved and the tender document replaced by a second version.
    p = make_project(
        folders["fgw"], "JYCG-2026-0102", "济源市发展和改革委员会物业管理服务项目", category="property"
    )
    w["corrected"] = p
    w["corrected_tender"] = make_tender(p, days=25)
    pfile = w["corrected_tender"].documents.first().file
    add_version(pfile, io.BytesIO(pdf_bytes("招标文件（修改后）")), "招标文件-修改.pdf")
    w["moved_to"] = (timezone.now() + datetime.timedelta(days=45)).replace(second=0, microsecond=0)
    correction = CorrectionNotice(
        title=f"{p.title}更正公告", slug="correction-1", affects_bids=True, new_bid_deadline=w["moved_to"]
    )
    correction.documents = [NoticeDocument(file=pfile)]
    p.add_child(instance=correction)
    w["correction"] = publish(correction)
    p.refresh_from_db()

    # 3. Awarded (two lots) with a signed contract: 竞争性磋商, the buyer's code is a USCC.
    p = make_project(
        folders["szfb"],
        "JYCG-2026-0103",
        "济源市人民政府办公室会议系统改造项目",
        method="consultation",
        category="it_services",
    )
    p.lots = [
        ProjectLot(number=1, name="会议室音视频系统", budget=Decimal("800000")),
        ProjectLot(number=2, name="运维服务", budget=Decimal("400000")),
    ]
    w["awarded"] = publish(p)
    w["awarded_tender"] = _past_tender(w["awarded"])
    w["award"] = _award(
        w["awarded"],
        [
            (1, "河南济源示例科技有限公司", VALID_USCC, "济源市天坛路1号", Decimal("768000")),
            (2, "济源市某某信息服务有限公司", OTHER_USCC, "", Decimal("380000.25")),
        ],
    )
    w["contract"] = _contract(w["awarded"], "济源市某某信息服务有限公司", OTHER_USCC, Decimal("380000.25"))

    # 4. Terminated: fewer than three bidders.
    p = make_project(folders["czj"], "JYCG-2026-0104", "济源市财政局车辆采购项目", category="vehicles")
    w["terminated"] = p
    w["terminated_tender"] = make_tender(p, days=30)
    w["termination"] = make_termination(p)

    # 5. 采购意向 only: a unit of the department buys, planned for a month ahead.
    month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    w["planned"] = make_project(
        folders["fgw"],
        "JYCG-2026-0105",
        "济源市重点项目服务中心咨询服务项目",
        category="consulting",
        buyer_unit="济源市重点项目服务中心",
        planned_month=month,
        ceiling_price=Decimal("1000000"),
    )

    # 6. 单一来源 without a tender notice: the result and the contract only.
    p = make_project(folders["szfb"], "JYCG-2026-0106", "济源市政务服务平台升级项目", method="single_source")
    w["single"] = p
    w["single_award"] = _award(p, [(1, "河南济源示例科技有限公司", VALID_USCC, "", Decimal("1180000"))])
    return w


@contextlib.contextmanager
def world_for_module(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world_module(django_db_setup, django_db_blocker):
    with world_for_module(django_db_blocker) as world:
        yield world


@pytest.fixture
def world(world_module, db):
    return world_module


KINDS = ("open", "corrected", "awarded", "terminated", "planned", "single")


def ocid(project):
    return f"{PREFIX}-{project.project_number}"


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def release_package(client, project):
    return get_json(client, f"/api/zfcg/ocds/releases/{ocid(project)}")


def record_package(client, project):
    return get_json(client, f"/api/zfcg/ocds/records/{ocid(project)}")


def compiled(client, project):
    return record_package(client, project)["records"][0]["compiledRelease"]


# --- the official schemas --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_release_and_record_packages_validate_against_ocds_1_1_5(world, client, kind):
    project = world[kind]
    releases = release_package(client, project)
    assert errors(releases, "release-package-schema.json") == []
    records = record_package(client, project)
    assert errors(records, "record-package-schema.json") == []
    assert errors(records["records"][0]["compiledRelease"], "release-schema.json") == []


def test_the_bulk_download_validates(world, client):
    response = client.get("/api/zfcg/ocds/releases.json")
    assert response.status_code == 200 and response.streaming
    package = json.loads(b"".join(response.streaming_content))
    assert errors(package, "release-package-schema.json") == []
    assert {r["ocid"] for r in package["releases"]} == {ocid(world[kind]) for kind in KINDS}


def _broken(package, change):
    broken = copy.deepcopy(package)
    change(broken["releases"][-1])
    return broken


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.pop("ocid"),
        lambda r: r.update(tag=["correction"]),  # not a releaseTag code
        lambda r: r["tender"].update(status="open"),  # our status, not a tenderStatus code
        lambda r: r["tender"]["value"].update(amount="1200000.00"),  # money must be a number
        lambda r: r["tender"]["value"].update(currency="RMB"),  # ISO 4217 says CNY
        lambda r: r.update(date="2026-03-01 09:00"),  # not RFC 3339
    ],
    ids=["no-ocid", "bad-tag", "bad-status", "amount-as-text", "bad-currency", "bad-date"],
)
def test_a_broken_release_fails_validation(world, client, change):
    package = release_package(client, world["corrected"])
    assert errors(package, "release-package-schema.json") == []
    assert errors(_broken(package, change), "release-package-schema.json") != []


def _coded_values(data, schema, definitions, path=()):
    """(codelist file, value) for every field of ``data`` that the schema ties to a codelist."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    if "codelist" in schema and data is not None:
        for value in data if isinstance(data, list) else [data]:
            yield schema["codelist"], value, path
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in schema.get("properties", {}):
                yield from _coded_values(value, schema["properties"][key], definitions, path + (key,))
    elif isinstance(data, list) and "items" in schema:
        for item in data:
            yield from _coded_values(item, schema["items"], definitions, path)


def test_every_coded_value_comes_from_its_codelist(world, client):
    schema = REGISTRY.contents(SCHEMA_URL + "release-schema.json")
    seen = set()
    for kind in KINDS:
        record = record_package(client, world[kind])["records"][0]
        for release in [*record["releases"], record["compiledRelease"]]:
            for name, value, path in _coded_values(release, schema, schema["definitions"]):
                assert value in codelist(name), (kind, path, value)
                seen.add(name)
    # Closed codelists (checked by the schema too) and the open ones we use without adding codes.
    assert seen >= {
        "releaseTag.csv",
        "initiationType.csv",
        "tenderStatus.csv",
        "method.csv",
        "procurementCategory.csv",
        "awardStatus.csv",
        "contractStatus.csv",
        "milestoneStatus.csv",
        "milestoneType.csv",
        "currency.csv",
        "documentType.csv",
        "partyRole.csv",
    }


# --- what the releases say -------------------------------------------------------------------------


def test_one_release_per_notice_with_stable_ids_and_dates(world, client):
    package = release_package(client, world["awarded"])
    releases = package["releases"]
    assert [r["tag"] for r in releases] == [["tender"], ["award"], ["contract"]]
    notices = [world["awarded_tender"], world["award"], world["contract"]]
    assert [r["id"] for r in releases] == [f"{PREFIX}-JYCG-2026-0103-{n.notice_type}-{n.pk}" for n in notices]
    for release, notice in zip(releases, notices, strict=True):
        assert release["ocid"] == "ocds-jyzfcg-JYCG-2026-0103"
        assert datetime.datetime.fromisoformat(release["date"]) == notice.first_published_at
        assert release["date"].endswith("+08:00")  # Beijing time
        assert release["language"] == "zh" and release["initiationType"] == "tender"
    assert package["version"] == "1.1" and package["publisher"]["name"] == "济源市人民政府"
    latest = max(n.last_published_at for n in notices)
    assert datetime.datetime.fromisoformat(package["publishedDate"]) == latest
    again = client.get(f"/api/zfcg/ocds/releases/{ocid(world['awarded'])}")
    assert again.content == json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode()


def test_the_tender_release_describes_the_call_for_bids(world, client):
    (release,) = release_package(client, world["open"])["releases"]
    tender = release["tender"]
    assert tender["id"] == "JYCG-2026-0101" and tender["status"] == "active"
    assert tender["procurementMethod"] == "open" and tender["procurementMethodDetails"] == "公开招标"
    assert tender["mainProcurementCategory"] == "goods"
    assert tender["value"] == {"amount": 1200000.5, "currency": "CNY"}
    assert [item["id"] for item in tender["items"]] == ["1", "2"]
    assert (
        tender["items"][0]["description"]
        == "第1包：台式计算机；数量/服务期：200台；包预算：700000.00元；主要需求：国产CPU"
    )
    notice = world["open_tender"]
    assert tender["tenderPeriod"] == {
        "startDate": timezone.localtime(notice.documents_from).isoformat(),
        "endDate": timezone.localtime(notice.bid_deadline).isoformat(),
    }
    (opening,) = tender["milestones"]
    assert opening["type"] == "assessment" and opening["status"] == "scheduled"
    assert opening["description"] == "开标地点：济源市公共资源交易中心开标室"
    kinds = {d["documentType"]: d for d in tender["documents"]}
    assert kinds["tenderNotice"]["url"] == notice.get_full_url()
    document = kinds["biddingDocuments"]
    version = notice.documents.first().file.versions.get()
    assert version.sha256 in document["description"] and "第1版" in document["description"]
    assert document["url"] == f"http://testserver/zfcg/supplier/download/{version.pk}/"
    assert document["format"] == "application/pdf" and "dateModified" not in document
    parties = {p["id"]: p for p in release["parties"]}
    assert tender["procuringEntity"] == {"id": f"CN-USCI-{AGENCY_USCC}", "name": "河南省中正招标有限公司"}
    agency = parties[f"CN-USCI-{AGENCY_USCC}"]
    assert agency["roles"] == ["procuringEntity"]
    assert agency["identifier"] == {
        "scheme": "CN-USCI",
        "id": AGENCY_USCC,
        "legalName": "河南省中正招标有限公司",
    }
    buyer = parties[release["buyer"]["id"]]
    assert buyer["roles"] == ["buyer"] and buyer["name"] == "济源市财政局"
    # A 9-character 组织机构代码 has no org-id scheme: published as it is, without inventing one.
    assert buyer["identifier"] == {"id": "005423101", "legalName": "济源市财政局"}
    assert buyer["contactPoint"] == {"name": "王老师", "telephone": "0391-6633100"}


def test_a_correction_is_a_tender_amendment_that_moves_the_deadline(world, client):
    record = record_package(client, world["corrected"])["records"][0]
    tender_release, amendment_release = record["releases"]
    assert amendment_release["tag"] == ["tenderAmendment"]
    before, after = tender_release["tender"], amendment_release["tender"]
    moved = timezone.localtime(world["moved_to"]).isoformat()
    assert after["tenderPeriod"]["endDate"] == moved != before["tenderPeriod"]["endDate"]
    assert after["milestones"][0]["dueDate"] == moved
    (amendment,) = after["amendments"]
    assert amendment["amendsReleaseID"] == tender_release["id"]
    assert amendment["releaseID"] == amendment_release["id"]
    old = timezone.localtime(world["corrected_tender"].bid_deadline).strftime("%Y-%m-%d %H:%M")
    new = timezone.localtime(world["moved_to"]).strftime("%Y-%m-%d %H:%M")
    assert f"投标截止时间由 {old} 变更为 {new}" in amendment["description"]
    # The tender document: version 1 in the tender's release, version 2 from the correction on.
    pfile = world["corrected_tender"].documents.first().file
    v1, v2 = pfile.versions.order_by("number")
    doc_before = next(d for d in before["documents"] if d["id"] == f"file-{pfile.pk}")
    doc_after = next(d for d in after["documents"] if d["id"] == f"file-{pfile.pk}")
    assert doc_before["url"].endswith(f"/download/{v1.pk}/") and v1.sha256 in doc_before["description"]
    assert doc_after["url"].endswith(f"/download/{v2.pk}/") and "第2版" in doc_after["description"]
    assert "dateModified" in doc_after
    compiled_tender = record["compiledRelease"]["tender"]
    assert compiled_tender["tenderPeriod"]["endDate"] == moved
    files = [d for d in compiled_tender["documents"] if d["documentType"] == "biddingDocuments"]
    assert [d["url"] for d in files] == [doc_after["url"]]  # one document, its latest version
    assert {d["documentType"] for d in compiled_tender["documents"]} == {
        "tenderNotice",
        "biddingDocuments",
        "clarifications",
    }


def test_awards_and_contracts_name_their_suppliers(world, client):
    record = record_package(client, world["awarded"])["records"][0]
    state = record["compiledRelease"]
    assert state["tender"]["status"] == "complete"
    assert state["tender"]["procurementMethod"] == "limited"
    assert state["tender"]["procurementMethodDetails"] == "竞争性磋商"
    assert state["tender"]["milestones"][0]["status"] == "met"
    awards = {a["id"]: a for a in state["awards"]}
    award = world["award"]
    assert set(awards) == {f"{award.pk}-1", f"{award.pk}-2"}
    second = awards[f"{award.pk}-2"]
    assert second["value"] == {"amount": 380000.25, "currency": "CNY"}
    assert second["suppliers"] == [{"id": f"CN-USCI-{OTHER_USCC}", "name": "济源市某某信息服务有限公司"}]
    assert second["items"][0]["id"] == "2" and second["status"] == "active"
    (contract,) = state["contracts"]
    assert contract["awardID"] == f"{award.pk}-2"  # the contract's supplier's award
    assert contract["value"]["amount"] == 380000.25 and contract["status"] == "active"
    assert contract["dateSigned"] == f"{timezone.localdate().isoformat()}T00:00:00+08:00"
    assert "JYHT-2026-0107" in contract["description"]
    parties = {p["id"]: p for p in state["parties"]}
    assert parties[f"CN-USCI-{VALID_USCC}"]["roles"] == ["supplier"]
    assert parties[f"CN-USCI-{VALID_USCC}"]["address"] == {
        "streetAddress": "济源市天坛路1号",
        "countryName": "中国",
    }
    buyer = parties[state["buyer"]["id"]]
    assert buyer["identifier"]["scheme"] == "CN-USCI" and buyer["identifier"]["id"] == DEPARTMENT_USCC
    assert buyer["roles"] == ["buyer", "procuringEntity"]  # no agency: the buyer runs it (自行组织采购)


def test_a_termination_cancels_the_tender_with_its_reason(world, client):
    releases = release_package(client, world["terminated"])["releases"]
    assert [r["tag"] for r in releases] == [["tender"], ["tenderCancellation"]]
    cancellation = releases[-1]["tender"]
    assert cancellation["status"] == "cancelled"
    (document,) = cancellation["documents"]
    assert document["documentType"] == "cancellationDetails"
    assert document["description"] == "终止原因：提交投标文件的供应商不足三家。"


def test_an_intention_is_a_planning_release(world, client):
    project = world["planned"]
    (release,) = release_package(client, project)["releases"]
    assert (
        release["tag"] == ["planning"] and release["id"] == f"{PREFIX}-JYCG-2026-0105-planning-{project.pk}"
    )
    assert release["tender"]["status"] == "planned"
    assert (
        release["tender"]["tenderPeriod"]["startDate"]
        == f"{project.planned_month.isoformat()}T00:00:00+08:00"
    )
    assert release["planning"]["budget"]["amount"] == {"amount": 1200000, "currency": "CNY"}
    assert release["planning"]["documents"][0]["documentType"] == "plannedProcurementNotice"
    assert "最高限价：1000000.00元" in release["tender"]["description"]
    (buyer,) = release["parties"]
    assert (
        buyer["name"] == "济源市重点项目服务中心" and "identifier" not in buyer
    )  # a unit: its code is unknown


def test_the_intention_stays_in_the_record_when_the_tender_follows(world, client):
    make_tender(world["planned"], days=30)
    releases = release_package(client, world["planned"])["releases"]
    assert [r["tag"] for r in releases] == [["planning"], ["tender"]]
    assert compiled(client, world["planned"])["tender"]["status"] == "active"


def test_single_source_without_a_tender_has_its_intention_and_its_award(world, client):
    releases = release_package(client, world["single"])["releases"]
    assert [r["tag"] for r in releases] == [["planning"], ["award"]]
    state = compiled(client, world["single"])
    assert state["tender"]["procurementMethod"] == "direct" and state["tender"]["status"] == "complete"


@pytest.mark.parametrize("kind", KINDS)
def test_the_compiled_release_is_the_current_state(world, client, kind):
    project = world[kind]
    project.refresh_from_db()
    state = compiled(client, project)
    assert state["tag"] == ["compiled"] and state["ocid"] == ocid(project)
    assert state["tender"]["status"] == tender_status(project)
    assert state["id"] == f"{ocid(project)}-{state['date']}"


def test_a_withdrawn_notice_leaves_the_data(world, client):
    world["termination"].unpublish()
    releases = release_package(client, world["terminated"])["releases"]
    assert [r["tag"] for r in releases] == [["tender"]]
    assert compiled(client, world["terminated"])["tender"]["status"] == "active"


# --- the merge rules -------------------------------------------------------------------------------


def _schema_merge_rules():
    """(omitWhenMerged paths, names of the object arrays merged whole), read from the release schema."""
    schema = REGISTRY.contents(SCHEMA_URL + "release-schema.json")
    definitions = schema["definitions"]
    omit, whole = set(), set()

    def walk(properties, path):
        for key, spec in properties.items():
            spec = definitions[spec["$ref"].rsplit("/", 1)[-1]] if "$ref" in spec else spec
            types = spec.get("type", [])
            types = [types] if isinstance(types, str) else types
            if spec.get("omitWhenMerged"):
                omit.add(path + (key,))
            elif "array" in types and "items" in spec:
                items = spec["items"]
                items = definitions[items["$ref"].rsplit("/", 1)[-1]] if "$ref" in items else items
                if "properties" in items:
                    if spec.get("wholeListMerge") or "id" not in items["properties"]:
                        whole.add(key)
                    elif len(path) < 6:
                        walk(items["properties"], path + (key,))
            elif "properties" in spec and len(path) < 6:
                walk(spec["properties"], path + (key,))

    walk(schema["properties"], ())
    return omit, whole


def test_the_merge_rules_are_the_schemas():
    omit, whole = _schema_merge_rules()
    assert omit == {(name,) for name in merge.OMIT_WHEN_MERGED}
    assert whole == set(merge.WHOLE_LIST_FIELDS)


def test_merging_follows_the_ocds_rules():
    first = {
        "ocid": "x",
        "id": "1",
        "date": "2026-01-01T00:00:00+08:00",
        "tag": ["tender"],
        "tender": {"title": "A", "description": "old", "items": [{"id": "1", "description": "a"}]},
        "parties": [
            {"id": "p", "roles": ["buyer", "procuringEntity"], "additionalIdentifiers": [{"id": "1"}]}
        ],
    }
    second = {
        "ocid": "x",
        "id": "2",
        "date": "2026-01-02T00:00:00+08:00",
        "tag": ["tenderAmendment"],
        "tender": {
            "description": None,
            "items": [{"id": "2", "description": "b"}, {"id": "1", "quantity": 3}],
        },
        "parties": [{"id": "p", "roles": ["buyer"], "additionalIdentifiers": [{"id": "2"}]}],
    }
    result = merge.compile_releases([second, first])  # in date order, whatever the input order
    assert result["id"] == "x-2026-01-02T00:00:00+08:00" and result["tag"] == ["compiled"]
    assert result["tender"] == {
        "title": "A",  # kept
        "items": [{"id": "1", "description": "a", "quantity": 3}, {"id": "2", "description": "b"}],
    }  # null removed "description"; items merged by id, new ones appended
    assert result["parties"] == [{"id": "p", "roles": ["buyer"], "additionalIdentifiers": [{"id": "2"}]}]


# --- the demo ----------------------------------------------------------------------------------------


@pytest.fixture
def private_files(settings, tmp_path):
    from django.utils.functional import empty

    from cms.casework.storage import private_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.mark.django_db
def test_the_demo_projects_publish_valid_ocds(private_files, client):
    """The demo loader's back-dated projects, in every state, as a new user sees them after load_demo."""
    from cms.procurement.models import ProcurementProject
    from fixtures import procurement as demo
    from fixtures.load import DemoLoader

    earlier = list(ProcurementProject.objects.values_list("pk", flat=True))  # this module's world, if built
    loader = DemoLoader()
    loader.load_settings_and_departments()
    demo.load(loader, loader.load_home(), count=14)
    projects = list(ProcurementProject.objects.live().exclude(pk__in=earlier))
    assert len(projects) == 14
    tags = set()
    for project in projects:
        record = record_package(client, project)
        assert errors(record, "record-package-schema.json") == [], project.project_number
        releases = record["records"][0]["releases"]
        assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)
        assert record["records"][0]["compiledRelease"]["tender"]["status"] == tender_status(project)
        tags.update(tag for release in releases for tag in release["tag"])
    assert tags == {"planning", "tender", "tenderAmendment", "award", "tenderCancellation", "contract"}
    bulk = json.loads(b"".join(client.get("/api/zfcg/ocds/releases.json").streaming_content))
    assert errors(bulk, "release-package-schema.json") == []
