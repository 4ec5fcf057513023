"""/api/zfcg/: the projects with the list page's filters and facets, a project with its timeline and signed
documents, the OCDS endpoints' errors, the streamed bulk download, caching and the OpenAPI document."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.procurement.ocds import loading
from cms.procurement.trust import signing
from tests.procurement_builders import make_project
from tests.test_procurement_ocds import KINDS, errors, ocid, world_for_module

pytestmark = pytest.mark.anydb
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def world_module(django_db_setup, django_db_blocker):
    with world_for_module(django_db_blocker) as world:
        yield world


@pytest.fixture
def world(world_module, db):
    return world_module


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.json()


def numbers(data):
    return [item["project_number"] for item in data["items"]]


# --- the list ------------------------------------------------------------------------------------


def test_the_list_has_the_pages_filters_facets_and_pagination(world, client):
    status, data = get(client, "/api/zfcg/projects")
    assert status == 200 and data["total"] == 6 and data["num_pages"] == 1
    facets = {name: {o["value"]: o["count"] for o in options} for name, options in data["facets"].items()}
    assert facets["buyer"] == {"szfb": 2, "czj": 2, "fgw": 2}
    assert facets["status"] == {"upcoming": 1, "open": 2, "awarded": 2, "terminated": 1}
    assert facets["method"] == {"open": 4, "consultation": 1, "single_source": 1}

    _, data = get(client, "/api/zfcg/projects", buyer="czj")
    assert set(numbers(data)) == {"JYCG-2026-0101", "JYCG-2026-0104"}
    _, data = get(client, "/api/zfcg/projects", status="awarded", sort="budget_desc")
    assert numbers(data) == ["JYCG-2026-0103", "JYCG-2026-0106"] or numbers(data) == [
        "JYCG-2026-0106",
        "JYCG-2026-0103",
    ]
    budgets = [item["budget"] for item in data["items"]]
    assert budgets == sorted(budgets, reverse=True)
    _, data = get(client, "/api/zfcg/projects", q="会议系统")
    assert numbers(data) == ["JYCG-2026-0103"]
    _, data = get(client, "/api/zfcg/projects", budget_min="120.00001", budget_max="121")
    assert numbers(data) == ["JYCG-2026-0101"]  # 1 200 000.50 元 = 120.00005 万元; the others 120 万元
    _, data = get(client, "/api/zfcg/projects", page_size=4, page=2, sort="budget_asc")
    assert data["num_pages"] == 2 and len(data["items"]) == 2


def test_list_items_describe_each_project(world, client):
    _, data = get(client, "/api/zfcg/projects", q="JYCG-2026-0101")
    (item,) = data["items"]
    assert item["title"] == "济源市财政局信息化设备采购项目" and item["url"].endswith(
        "/zfcg/czj/jycg-2026-0101/"
    )
    assert item["status"] == "open" and item["status_display"] == "正在招标"
    assert item["buyer"]["slug"] == "czj" and item["buyer_name"] == "济源市财政局"
    assert item["agency"] == {"name": "河南省中正招标有限公司", "uscc": world["agency"].uscc}
    assert (item["method_display"], item["category_display"], item["procurement_kind"]) == (
        "公开招标",
        "信息化设备",
        "goods",
    )
    assert item["budget"] == 1200000.5 and item["budget_band"] == "50w-200w"
    assert item["bid_deadline"] is not None and item["opening_place"] == "济源市公共资源交易中心开标室"
    assert item["ocds"]["ocid"] == "ocds-jyzfcg-JYCG-2026-0101"
    assert client.get(item["ocds"]["releases"]).status_code == 200
    assert client.get(item["ocds"]["record"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"budget_min": "-5"}, "最低预算不能为负数"),
        ({"budget_max": "1e30"}, "最高预算应为以万元为单位的数字"),
        ({"budget_max": "99999999999"}, "超过1000亿元"),
        ({"budget_min": "200", "budget_max": "100"}, "最高预算不能低于最低预算"),
        ({"method": "auction"}, "“采购方式”不在可选范围内"),
        ({"status": "closed'--"}, "“项目状态”不在可选范围内"),
        ({"published_from": "2026-02-30"}, "发布日期（起）应为有效日期"),
        ({"page": "0"}, "页码应为正整数"),
        ({"page_size": "1000"}, "每页条数应为正整数，且不超过100"),
    ],
)
def test_bad_filters_are_400_in_chinese(world, client, query, message):
    status, data = get(client, "/api/zfcg/projects", **query)
    assert status == 400 and message in data["message"], data
    if "errors" in data and data["errors"]:
        assert all(CHINESE.search(e["message"]) for e in data["errors"])


def test_every_bad_filter_is_named(world, client):
    status, data = get(client, "/api/zfcg/projects", method="x", budget_min="-1")
    assert status == 400
    assert {e["name"] for e in data["errors"]} == {"method", "budget_min"}


def test_a_page_past_the_end_is_404(world, client):
    assert get(client, "/api/zfcg/projects", page=9) == (404, {"message": "页码超出范围"})


# --- a project -----------------------------------------------------------------------------------


def test_a_corrected_project_has_its_timeline_and_signed_documents(world, client):
    status, data = get(client, "/api/zfcg/projects/JYCG-2026-0102")
    assert status == 200 and data["status"] == "open"
    tender, correction = data["notices"]
    assert (tender["notice_type"], correction["notice_type"]) == ("tender", "correction")
    assert tender["schedule"]["opening_place"] == "济源市公共资源交易中心开标室"
    (change,) = [c for c in correction["changes"] if c["field"] == "bid_deadline"]
    assert change["label"] == "投标截止时间"
    moved = world["moved_to"]
    assert change["new"] == timezone.localtime(moved).isoformat()
    assert change["old"] == timezone.localtime(world["corrected_tender"].bid_deadline).isoformat()
    assert correction["affects_bids"] is True
    (document,) = data["documents"]
    assert tender["file_ids"] == correction["file_ids"] == [document["file_id"]]
    current, (earlier,) = document["current"], document["earlier"]
    assert (current["number"], earlier["number"]) == (2, 1)
    assert re.fullmatch(r"[0-9a-f]{64}", current["sha256"]) and current["sha256"] != earlier["sha256"]
    for version in (current, earlier):  # anyone can check the seal with the public key
        assert signing.verify(version["statement"].encode(), version["signature"], version["key_id"])
        assert version["sha256"] in version["statement"] and "JYCG-2026-0102" in version["statement"]
    assert current["download_url"] == f"http://testserver/zfcg/supplier/download/{current['version_id']}/"
    assert data["verify_url"] == "http://testserver/zfcg/verify/"
    assert data["public_key_url"].startswith("http://testserver/zfcg/verify/")
    assert data["bid_deadline"].startswith(moved.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M"))


def test_an_awarded_project_has_its_results_and_contract(world, client):
    _, data = get(client, "/api/zfcg/projects/JYCG-2026-0103")
    assert data["status"] == "awarded" and data["awarded_amount"] == 1148000.25
    assert [lot["name"] for lot in data["lots"]] == ["会议室音视频系统", "运维服务"]
    award = next(n for n in data["notices"] if n["notice_type"] == "award")
    assert [(row["lot_number"], row["lot_name"], row["amount"]) for row in award["awarded_lots"]] == [
        (1, "会议室音视频系统", 768000),
        (2, "运维服务", 380000.25),
    ]
    assert award["published_late"] is False
    contract = next(n for n in data["notices"] if n["notice_type"] == "contract")["contract"]
    assert contract["contract_number"] == "JYHT-2026-0107" and contract["amount"] == 380000.25
    _, data = get(client, "/api/zfcg/projects/JYCG-2026-0104")
    assert data["status"] == "terminated"
    assert data["notices"][-1]["reason"] == "提交投标文件的供应商不足三家。"


def test_projects_not_published_are_not_found(world, client):
    draft = make_project(world["folders"]["czj"], "JYCG-2026-0199", "草稿项目")
    draft.unpublish()
    private = world["terminated"]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    for number in ("JYCG-2026-0199", "JYCG-2026-0104", "NO-SUCH-PROJECT"):
        status, data = get(client, f"/api/zfcg/projects/{number}")
        assert status == 404 and data["message"] == "未找到该采购项目，可能尚未发布或已撤回"
        status, data = get(client, f"/api/zfcg/ocds/records/ocds-jyzfcg-{number}")
        assert status == 404 and "未找到 OCID" in data["message"]
    _, data = get(client, "/api/zfcg/projects")
    assert data["total"] == 5
    bulk = client.get("/api/zfcg/ocds/releases.jsonl")
    ocids = {json.loads(line)["ocid"] for line in b"".join(bulk.streaming_content).splitlines()}
    assert ocids == {ocid(world[kind]) for kind in KINDS if kind != "terminated"}


# --- OCDS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/zfcg/ocds/releases/ocds-jyzfcg-JYCG-2099-0001",
        "/api/zfcg/ocds/records/ocds-abc123-JYCG-2026-0101",  # someone else's prefix
        "/api/zfcg/ocds/releases/JYCG-2026-0101",  # a project number is not an ocid
        "/api/zfcg/ocds/releases/ocds-jyzfcg-",
    ],
)
def test_an_unknown_ocid_is_404_in_chinese(world, client, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    message = response.json()["message"]
    assert "未找到 OCID" in message and "ocds-jyzfcg-JYCG-2026-0001" in message
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_prefix_is_configurable(world, client, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    package = client.get("/api/zfcg/ocds/releases/ocds-abc123-JYCG-2026-0101").json()
    assert package["releases"][0]["ocid"] == "ocds-abc123-JYCG-2026-0101"
    assert client.get("/api/zfcg/ocds/releases/ocds-jyzfcg-JYCG-2026-0101").status_code == 404


def test_the_bulk_download_streams_every_release_in_batches(
    world, client, django_assert_max_num_queries, monkeypatch
):
    with django_assert_max_num_queries(30):  # a batch of projects costs a fixed number of queries
        response = client.get("/api/zfcg/ocds/releases.json")
        whole = b"".join(response.streaming_content)
    assert (
        response.streaming
        and response["Content-Disposition"] == 'attachment; filename="zfcg-ocds-releases.json"'
    )
    assert "public" in response["Cache-Control"]
    package = json.loads(whole)
    record_releases = [
        r
        for kind in KINDS
        for r in client.get(f"/api/zfcg/ocds/releases/{ocid(world[kind])}").json()["releases"]
    ]
    assert sorted(json.dumps(r, sort_keys=True) for r in package["releases"]) == sorted(
        json.dumps(r, sort_keys=True) for r in record_releases
    )
    monkeypatch.setattr(loading, "BATCH", 2)  # batch edges lose nothing and repeat nothing
    small = json.loads(b"".join(client.get("/api/zfcg/ocds/releases.json").streaming_content))
    assert small["releases"] == package["releases"]
    lines = b"".join(client.get("/api/zfcg/ocds/releases.jsonl").streaming_content).decode().splitlines()
    assert [json.loads(line) for line in lines] == package["releases"]


def test_the_bulk_download_takes_the_lists_filters(world, client):
    package = json.loads(b"".join(client.get("/api/zfcg/ocds/releases.json?buyer=czj").streaming_content))
    assert errors(package, "release-package-schema.json") == []
    assert {r["ocid"] for r in package["releases"]} == {ocid(world["open"]), ocid(world["terminated"])}
    status, data = get(client, "/api/zfcg/ocds/releases.json", budget_min="abc")
    assert status == 400 and data["errors"][0]["name"] == "budget_min"
    status, data = get(client, "/api/zfcg/ocds/releases.json", q="没有这个项目")
    assert status == 404 and data["message"] == "没有符合筛选条件的采购项目"
    empty = client.get("/api/zfcg/ocds/releases.jsonl", {"q": "没有这个项目"})
    assert empty.status_code == 200 and b"".join(empty.streaming_content) == b""


def test_packages_are_cacheable_with_etag(world, client):
    url = f"/api/zfcg/ocds/records/{ocid(world['awarded'])}"
    response = client.get(url)
    assert response.status_code == 200 and "public" in response["Cache-Control"] and response["ETag"]
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


# --- documentation ---------------------------------------------------------------------------------


def test_openapi_documents_the_procurement_endpoints_in_chinese(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/zfcg/projects",
        "/api/zfcg/projects/{project_number}",
        "/api/zfcg/ocds/releases/{ocid}",
        "/api/zfcg/ocds/records/{ocid}",
        "/api/zfcg/ocds/releases.json",
        "/api/zfcg/ocds/releases.jsonl",
    ):
        operation = paths[path]["get"]
        assert operation["tags"] == ["政府采购"] and CHINESE.search(operation["summary"]), path
        for parameter in operation.get("parameters", []):
            assert CHINESE.search(parameter.get("description", "")), (path, parameter["name"])
    listing = {p["name"]: p for p in paths["/api/zfcg/projects"]["get"]["parameters"]}
    assert set(listing) >= {
        "method",
        "status",
        "buyer",
        "category",
        "band",
        "budget_min",
        "q",
        "sort",
        "page",
    }
    assert listing["method"]["schema"]["enum"][:2] == ["open", "selective"]
    schemas = document["components"]["schemas"]
    assert "SHA-256" in schemas["FileVersion"]["properties"]["sha256"]["description"]
    assert "OCDS" in schemas["OcdsReleasePackage"]["properties"]["releases"]["description"]
    docs = client.get("/api/docs").content.decode()
    assert "/api/zfcg/ocds/releases.json" in docs and "采购项目列表" in docs
