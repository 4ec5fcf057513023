"""/api/zwfw/: the guide list with the page's filters and facets, a guide with every element and its online
form's definition, the topics, and their place in the OpenAPI document."""

import pytest

from tests.test_services import FOOD, FOOD_CODE, ID_CARD, PERMIT, SHOP, services_for_module

pytestmark = pytest.mark.anydb


@pytest.fixture(scope="module")
def services_module(django_db_setup, django_db_blocker):
    with services_for_module(django_db_blocker) as services:
        yield services


@pytest.fixture
def services(services_module, db):
    return services_module


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.json()


def test_list_has_the_pages_filters_facets_and_pagination(services, client):
    status, data = get(client, "/api/zwfw/guides")
    assert status == 200
    assert data["total"] == 4 and data["num_pages"] == 1 and data["page_size"] == 20
    assert {item["title"] for item in data["items"]} == {SHOP, FOOD, PERMIT, ID_CARD}
    facets = {name: {o["value"]: o["count"] for o in options} for name, options in data["facets"].items()}
    assert facets["audience"] == {"person": 3, "organisation": 2}
    assert facets["topic"] == {"qykb": 2, "jiuye": 1}
    assert facets["online_level"] == {"full": 2, "online": 1, "booking": 1}

    status, data = get(client, "/api/zwfw/guides", audience="organisation", topic="qykb", sort="title")
    assert [item["title"] for item in data["items"]] == sorted([FOOD, PERMIT])
    status, data = get(client, "/api/zwfw/guides", page_size=1, page=2, sort="promised")
    assert data["num_pages"] == 4 and [item["title"] for item in data["items"]] == [SHOP]


def test_list_items_describe_each_guide(services, client):
    _, data = get(client, "/api/zwfw/guides", department="czj", online_level="online")
    (item,) = data["items"]
    assert item["id"] == services.food.pk
    assert item["item_code"] == FOOD_CODE
    assert item["url"].startswith("http") and item["url"].endswith(services.food.url)
    assert item["department"]["slug"] == "czj"
    assert item["audiences"] == ["person", "organisation"] and item["audience_display"] == "个人、法人"
    assert item["topics"] == [{"slug": "qykb", "name": "企业开办"}]
    assert (item["statutory_days"], item["promised_days"], item["is_immediate"]) == (10, 5, False)
    assert item["online_level_display"] == "网上申请，现场领取结果"
    assert item["accepts_applications"] is True
    assert item["apply_url"] == f"http://testserver/zwfw/apply/{services.food.pk}/"
    _, booking = get(client, "/api/zwfw/guides", online_level="booking")
    assert booking["items"][0]["apply_url"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"audience": "all"}, "“服务对象”参数应为 person（个人）或 organisation（法人）"),
        ({"online_level": "<script>"}, "“网上办理”参数不在可选范围内"),
        ({"department": "czj' OR '1'='1"}, "“实施部门”参数格式不正确"),
        ({"sort": "price"}, "“排序”参数不在可选范围内"),
        ({"page": "x"}, "页码应为正整数"),
        ({"page_size": "1000"}, "每页条数应为正整数，且不超过100"),
    ],
)
def test_bad_parameters_get_a_400_with_a_chinese_message(services, client, params, message):
    status, data = get(client, "/api/zwfw/guides", **params)
    assert status == 400
    assert data == {"message": message}


def test_a_page_past_the_end_is_404(services, client):
    status, data = get(client, "/api/zwfw/guides", page=9)
    assert status == 404 and data == {"message": "页码超出范围"}


def test_detail_has_every_element(services, client):
    status, data = get(client, f"/api/zwfw/guides/{services.food.pk}")
    assert status == 200
    assert data["legal_basis"] == "《中华人民共和国食品安全法》第三十五条"
    assert data["conditions"].startswith("（一）具有与经营的食品品种")
    assert (data["fee_standard"], data["is_free"]) == ("每证20元", False)
    assert data["place"] == "济源市民之家二楼B区08号窗口"
    assert (data["phone"], data["complaint_phone"]) == ("0391-6612315", "0391-12345")
    assert (data["visits"], data["time_saving_percent"]) == (1, 50)
    assert data["handling_unit"] == "济源市市场监督管理局行政审批科"
    assert [s["name"] for s in data["steps"]] == ["网上申请", "受理", "现场核查", "审查与决定"]
    assert data["steps"][1]["time_limit"] == "1个工作日"
    assert data["faqs"] == [{"question": "只卖预包装食品需要许可证吗？", "answer": "不需要，办理备案即可。"}]
    form, copy, optional = data["materials"]
    assert (form["name"], form["form_display"], form["required"]) == ("《食品经营许可申请书》", "原件", True)
    assert form["blank_form"]["url"] == "http://testserver" + services.blank.url
    assert form["blank_form"]["file_extension"] == "docx" and form["blank_form"]["file_size"] > 0
    assert form["sample"]["url"] == "http://testserver" + services.sample.url
    assert (copy["form"], copy["copies"], copy["blank_form"]) == ("copy", 2, None)
    assert (optional["required"], optional["note"]) == (False, "委托办理时提供")


def test_detail_describes_the_online_form_for_a_headless_client(services, client):
    _, data = get(client, f"/api/zwfw/guides/{services.shop.pk}")
    form = data["application_form"]
    assert form["url"] == f"http://testserver/zwfw/apply/{services.shop.pk}/"
    assert [(f["label"], f["type"], f["required"]) for f in form["fields"]] == [
        ("经营场所", "singleline", True),
        ("经营范围", "multiline", True),
    ]
    assert form["fields"][1]["help_text"] == "如：日用百货零售" and form["fields"][0]["name"]
    identity, premises = form["uploads"]
    assert identity["label"] == "经营者身份证明" and identity["required"] is True
    assert identity["allowed_types"] == ["pdf", "jpg", "png"]
    assert identity["accept"] == ".pdf,.jpg,.jpeg,.png"
    assert identity["mime_types"] == ["application/pdf", "image/jpeg", "image/png"]
    assert (identity["max_size_mb"], identity["max_bytes"]) == (5, 5 * 1024 * 1024)
    assert premises["required"] is False and premises["allowed_types"] == ["pdf"]
    material_ids = {m["id"] for m in data["materials"]}
    assert {u["material_id"] for u in form["uploads"]} == material_ids
    # A guide that cannot be applied for online has no form.
    _, offline = get(client, f"/api/zwfw/guides/{services.id_card.pk}")
    assert offline["application_form"] is None


def test_choice_fields_list_their_choices(services, client):
    from cms.services.models import ApplicationFormField, ServiceGuidePage
    from tests.builders import publish

    guide = ServiceGuidePage.objects.get(pk=services.shop.pk)
    guide.form_fields.add(
        ApplicationFormField(
            label="领取方式", field_type="radio", choices="窗口领取\n免费邮寄", required=True
        )
    )
    publish(guide)
    _, data = get(client, f"/api/zwfw/guides/{guide.pk}")
    assert data["application_form"]["fields"][-1]["choices"] == ["窗口领取", "免费邮寄"]


def test_detail_by_item_code_and_not_found(services, client):
    status, data = get(client, f"/api/zwfw/guides/code/{FOOD_CODE.lower()}")
    assert status == 200 and data["id"] == services.food.pk
    status, data = get(client, f"/api/zwfw/guides/{services.draft.pk}")
    assert status == 404 and data == {"message": "未找到该办事指南，可能已撤回或尚未发布"}
    assert get(client, "/api/zwfw/guides/code/NOPE")[0] == 404
    # An id beyond any page id is simply not found (SQLite cannot even hold it).
    assert get(client, "/api/zwfw/guides/99999999999999999999999")[0] == 404
    assert get(client, "/api/zwfw/applications/forms/99999999999999999999999")[0] == 404
    assert client.get("/zwfw/apply/9223372036854775808/").status_code == 404


def test_topics_with_guide_counts(services, client):
    status, data = get(client, "/api/zwfw/topics")
    assert status == 200
    topics = {t["slug"]: t for t in data}
    assert topics["qykb"]["guide_count"] == 2 and topics["qykb"]["kind_display"] == "企业事件"
    assert topics["jiuye"]["audience_display"] == "个人"
    assert topics["hunyin"]["guide_count"] == 0


def test_openapi_documents_the_service_endpoints_in_chinese(services, client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/zwfw/guides",
        "/api/zwfw/guides/{id}",
        "/api/zwfw/guides/code/{item_code}",
        "/api/zwfw/topics",
    ):
        assert path in paths, path
    listing = paths["/api/zwfw/guides"]["get"]
    assert listing["summary"] == "办事指南列表" and listing["tags"] == ["办事指南"]
    parameters = {p["name"]: p for p in listing["parameters"]}
    assert parameters["online_level"]["schema"]["enum"] == ["offline", "booking", "online", "full"]
    assert "服务对象" in parameters["audience"]["description"]
    schemas = document["components"]["schemas"]
    detail = schemas["GuideDetail"]["properties"]
    assert "申请材料" in detail["materials"]["description"]
    assert schemas["GuideUploadSlot"]["properties"]["max_size_mb"]["description"] == "单个文件大小上限（MB）"
    assert set(schemas["GuideApplicationForm"]["properties"]) == {"url", "fields", "uploads"}
    index = client.get("/api/").json()
    assert index["endpoints"]["service_guides"] == "/api/zwfw/guides"
    assert index["endpoints"]["service_topics"] == "/api/zwfw/topics"
