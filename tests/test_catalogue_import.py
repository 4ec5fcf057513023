"""Importing information resources (CSV, GBK CSV, Excel, JSON) and exporting them (CSV, JSON, DCAT)."""

import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.catalogue.choices import DataType, Openness, Sharing
from cms.catalogue.importing import import_resources, readers
from cms.catalogue.importing.columns import HEADERS
from cms.catalogue.importing.values import CellError, data_items, date
from cms.catalogue.models import DataItem, Resource, ResourceClass

DATA = Path(__file__).parent / "data" / "catalogue"
PASSWORD = "济源-test-pw-2025"

# mixed.csv: row number (header is row 1) → a fragment of each reason expected for that row.
MIXED_BAD_ROWS = {
    4: ["资源提供方：找不到部门“市不存在局”"],
    5: ["资源分类代码：资源分类“302999”（由资源代码得出）不存在"],
    6: ["开放属性：“半开放”不是可选值", "更新周期：“每两年”不是可选值", "发布日期：“2025-13-01”不是有效日期"],
    7: ["信息项：第 1 项“单位名称”的数据类型“奇怪型”不是可选值", "第 2 项缺少信息项名称"],
    8: ["资源名称：不能为空", "资源代码：资源代码格式应为"],
    9: ["资源代码“302002/000009”在文件中重复出现（第 9、10 行）"],
    10: ["资源代码“302002/000009”在文件中重复出现（第 9、10 行）"],
    12: ["资源代码：资源代码的分类代码“302002”与所选资源分类“302001”不一致"],
}
MIXED_GOOD_CODES = {"302002/000001", "302001/000001", "301001/000001"}


def read(name):
    return (DATA / name).read_bytes()


def reasons_of(report):
    return {row.number: row.reasons for row in report.bad_rows}


def make_user(username, *group_names, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def make_resource(portal, code, name, department="czj", items=(), **fields):
    front = code.split("/")[0]
    defaults = {
        "summary": f"{name}的摘要",
        "openness": Openness.OPEN,
        "sharing": Sharing.CONDITIONAL,
        "released_on": datetime.date(2025, 3, 1),
    }
    defaults.update(fields)
    resource = Resource(
        name=name,
        code=code,
        classification=ResourceClass.objects.get(code=front),
        department=portal.departments[department],
        **defaults,
    )
    resource.data_items = [DataItem(name=item, data_type=DataType.STRING) for item in items]
    resource.save()
    return resource


def streamed(response):
    assert response.status_code == 200, response
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_file(rows, header=HEADERS):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_row(**values):
    row = dict.fromkeys(HEADERS, "")
    row.update(
        {"资源提供方": "czj", "共享属性": "有条件共享", "开放属性": "不予开放", "发布日期": "2025-03-01"}
    )
    row.update(values)
    return [row[header] for header in HEADERS]


# --- reading and validating ----------------------------------------------------------------


def test_mixed_csv_reports_every_bad_row_and_imports_nothing(portal):
    report = import_resources(read("mixed.csv"), filename="mixed.csv")

    assert report.kind == "CSV"
    assert (report.total, report.bad, report.good) == (11, 8, 3)
    assert not report.imported
    assert (report.created, report.updated) == (0, 0)
    assert Resource.objects.count() == 0
    reasons = reasons_of(report)
    assert sorted(reasons) == sorted(MIXED_BAD_ROWS)
    for number, expected in MIXED_BAD_ROWS.items():
        for fragment in expected:
            assert any(fragment in reason for reason in reasons[number]), (number, fragment, reasons[number])
    assert "未导入任何数据" in report.summary
    text = "\n".join(report.lines())
    assert "第 6 行（302002/000003　日期错误资源）：" in text


def test_good_rows_option_imports_only_the_good_rows(portal):
    report = import_resources(read("mixed.csv"), import_good_rows=True)

    assert report.imported
    assert (report.created, report.updated, report.bad) == (3, 0, 8)
    assert set(Resource.objects.values_list("code", flat=True)) == MIXED_GOOD_CODES
    budget = Resource.objects.get(code="302002/000001")
    assert budget.department == portal.departments["czj"]
    assert budget.classification.code == "302002"  # from the code's front part
    assert budget.released_on == datetime.date(2025, 3, 1)
    assert [(i.name, i.data_type, i.description) for i in budget.data_items.all()] == [
        ("科目编码", "C", "预算科目编码"),
        ("科目名称", "C", ""),
        ("本月执行数", "Y", "单位：万元"),
    ]
    projects = Resource.objects.get(code="302001/000001")
    assert projects.department == portal.departments["fgw"]  # by full name
    assert (projects.sharing, projects.openness, projects.update_cycle) == (
        "conditional",
        "conditional",
        "weekly",
    )
    assert projects.related_codes == ["302002/000001"]
    assert [i.name for i in projects.data_items.all()] == ["项目代码", "项目名称"]
    office = Resource.objects.get(code="301001/000001")  # typed with full-width digits
    assert (office.sharing, office.openness, office.resource_format) == ("unconditional", "open", "file")
    assert office.department == portal.departments["szfb"]


def test_existing_code_updates_the_resource_and_replaces_its_data_items(portal):
    make_resource(portal, "302002/000001", "旧名称", items=["旧信息项一", "旧信息项二"])
    rows = [csv_row(资源名称="新名称", 资源代码="302002/000001", 信息项="新信息项:数值型")]

    report = import_resources(csv_file(rows))

    assert (report.created, report.updated) == (0, 1)
    resource = Resource.objects.get(code="302002/000001")
    assert resource.name == "新名称"
    assert [(i.name, i.data_type) for i in resource.data_items.all()] == [("新信息项", "N")]
    assert DataItem.objects.count() == 1


def test_a_file_without_the_data_item_column_keeps_the_data_items(portal):
    make_resource(portal, "302002/000001", "旧名称", items=["保留的信息项"], summary="旧摘要")
    header = ["资源代码", "资源名称", "开放属性"]
    report = import_resources(csv_file([["302002/000001", "改过的名称", "无条件开放"]], header=header))

    assert report.ok and report.updated == 1
    resource = Resource.objects.get(code="302002/000001")
    assert (resource.name, resource.openness, resource.summary) == ("改过的名称", "open", "旧摘要")
    assert [i.name for i in resource.data_items.all()] == ["保留的信息项"]


def test_required_values_are_required_for_new_resources(portal):
    header = ["资源代码", "资源名称", "开放属性"]
    report = import_resources(csv_file([["302002/000001", "新资源", "无条件开放"]], header=header))

    (row,) = report.bad_rows
    assert row.number == 2
    assert {"资源提供方：缺少必填项", "共享属性：缺少必填项", "发布日期：缺少必填项"} <= set(row.reasons)


def test_xlsx_first_sheet_with_a_title_row_real_dates_and_line_breaks(portal):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "资源目录"
    sheet.append(["济源市政务信息资源目录（2025年）"])  # a title above the header
    sheet.append(HEADERS)
    good = csv_row(
        资源名称="预算单位名录", 资源代码="302002/000301", 信息项="单位编码:C\n单位名称:字符型:全称"
    )
    good[HEADERS.index("发布日期")] = datetime.datetime(2025, 4, 2)
    sheet.append(good)
    serial = csv_row(资源名称="按天数记的日期", 资源代码="302002/000302")
    serial[HEADERS.index("发布日期")] = 45748  # an Excel date cell that lost its format: 2025-04-01
    sheet.append(serial)
    sheet.append(csv_row(资源名称="错误的行", 资源代码="302002/000303", 共享属性="随便共享"))
    workbook.create_sheet("说明").append(["这张表不会被读取"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_resources(buffer.getvalue(), filename="资源.xlsx", import_good_rows=True)

    assert report.kind == "Excel"
    assert report.created == 2
    assert [(row.number, row.code) for row in report.bad_rows] == [(5, "302002/000303")]
    first = Resource.objects.get(code="302002/000301")
    assert first.released_on == datetime.date(2025, 4, 2)
    assert [(i.name, i.description) for i in first.data_items.all()] == [
        ("单位编码", ""),
        ("单位名称", "全称"),
    ]
    assert Resource.objects.get(code="302002/000302").released_on == datetime.date(2025, 4, 1)


def test_json_list_of_objects_with_english_or_chinese_keys(portal):
    report = import_resources(read("resources.json"), import_good_rows=True)

    assert (report.kind, report.unit) == ("JSON", "条")
    assert report.created == 2
    assert reasons_of(report) == {
        3: ["发布日期：缺少必填项"],
        4: ['该条记录不是对象（应为 {"键": 值, …}）。'],
    }
    bills = Resource.objects.get(code="302002/000201")
    assert (bills.openness, bills.update_cycle, bills.related_codes) == ("closed", "daily", ["302002/000001"])
    assert [(i.name, i.data_type, i.description) for i in bills.data_items.all()] == [
        ("票据号码", "C", "财政票据号码"),
        ("开票金额", "Y", ""),
        ("开票日期", "D", ""),
    ]
    prices = Resource.objects.get(code="104003/000201")
    assert prices.department == portal.departments["fgw"]  # by short name
    assert prices.related_codes == ["302001/000001", "302002/000001"]
    assert [i.name for i in prices.data_items.all()] == ["商品名称", "价格"]


def test_gbk_csv_from_chinese_excel(portal):
    data = read("resources-gbk.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    report = import_resources(data)

    assert report.ok and report.created == 2
    assert Resource.objects.get(code="302002/000101").name == "财政专项资金分配表"
    assert Resource.objects.get(code="301003/000101").released_on == datetime.date(2025, 1, 2)


def test_unknown_columns_are_reported_and_ignored(portal):
    header = [*HEADERS, "备注"]
    report = import_resources(
        csv_file([[*csv_row(资源名称="甲", 资源代码="302002/000401"), "无"]], header=header)
    )

    assert report.ok and report.created == 1
    assert report.warnings == ["未识别的列已忽略：备注"]


def _zip(**files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "无法识别文件内容"),
        (bytes(range(256)) * 10, "无法识别文件内容"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "不支持旧版 Excel（.xls）文件"),
        (_zip(**{"readme.txt": "hello"}), "不是 Excel（.xlsx）文件"),
        (_zip(**{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "not xml"}), "Excel 文件已损坏"),
        (b"PK\x03\x04garbage", "Excel 文件已损坏"),
        (b'[{"name": "x",', "JSON 格式不正确：第 1 行"),
        (b'{"name": "x"}', "JSON 文件应为资源对象的列表"),
        (b"[" * 100_000, "JSON"),
        ("这不是表格\n只是几行文字\n".encode(), "没有找到表头"),
        ('资源名称,资源代码\n"未闭合的引号,1\n'.encode() + b"x" * 200_000, "CSV 格式不正确"),
        ("资源名称,资源名称,资源代码\n".encode(), "表头中“资源名称”列重复出现"),
    ],
    ids=[
        "empty",
        "png",
        "binary",
        "xls",
        "zip",
        "broken-xlsx",
        "truncated-zip",
        "broken-json",
        "json-object",
        "deep-json",
        "text",
        "broken-csv",
        "duplicate-header",
    ],
)
def test_unreadable_files_get_a_clear_message(portal, data, message):
    report = import_resources(data)

    assert not report.imported and not report.bad_rows
    assert len(report.file_errors) == 1 and message in report.file_errors[0], report.file_errors
    assert report.summary.startswith("文件无法导入：")


def test_size_and_row_limits(portal, monkeypatch):
    too_big = b"x" * (readers.MAX_BYTES + 1)
    assert "文件超过 10 MB 的上限" in import_resources(too_big).file_errors[0]

    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    rows = [csv_row(资源名称=f"资源{i}", 资源代码=f"302002/00010{i}") for i in range(4)]
    assert "文件超过 3 行的上限" in import_resources(csv_file(rows)).file_errors[0]
    assert import_resources(csv_file(rows[:3])).created == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", datetime.date(2025, 3, 1)),
        ("2025/3/1", datetime.date(2025, 3, 1)),
        ("2025.3.1", datetime.date(2025, 3, 1)),
        ("2025年3月1日", datetime.date(2025, 3, 1)),
        ("2025-03-01 00:00:00", datetime.date(2025, 3, 1)),
        ("20250301", datetime.date(2025, 3, 1)),
        (datetime.datetime(2025, 3, 1, 8, 30), datetime.date(2025, 3, 1)),
        (45717, datetime.date(2025, 3, 1)),
    ],
)
def test_dates(text, expected):
    assert date(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "3/1/2025", "下周一", "2025-3"])
def test_bad_dates(text):
    with pytest.raises(CellError):
        date(text)


def test_data_items_split_on_lines_or_semicolons():
    assert data_items("甲:C;乙:数值型:说明；丙") == [("甲", "C", ""), ("乙", "N", "说明"), ("丙", "C", "")]
    # With line breaks, semicolons and colons belong to the description.
    assert data_items("甲:C:一;二\n乙:D:时:分") == [("甲", "C", "一;二"), ("乙", "D", "时:分")]


# --- who may import what --------------------------------------------------------------------


def test_department_editor_imports_only_their_own_departments_resources(portal):
    editor = make_user("czj_editor", "市财政局编辑")
    make_resource(portal, "302001/000500", "发改委的资源", department="fgw")
    rows = [
        csv_row(资源名称="财政局的资源", 资源代码="302002/000501", 资源提供方="czj"),
        csv_row(资源名称="冒充发改委", 资源代码="302001/000502", 资源提供方="fgw"),
        # Moving another department's resource into one's own is refused too.
        csv_row(资源名称="抢来的资源", 资源代码="302001/000500", 资源提供方="czj"),
    ]

    report = import_resources(csv_file(rows), user=editor, import_good_rows=True)

    assert report.created == 1
    assert reasons_of(report) == {
        3: ["资源提供方：您不能导入“市发展改革委”的资源，只能导入本部门的资源"],
        4: ["资源代码“302001/000500”已由“市发展改革委”登记，您只能修改本部门的资源"],
    }
    assert Resource.objects.get(code="302001/000500").name == "发改委的资源"
    assert not Resource.objects.filter(code="302001/000502").exists()


def test_site_administrators_import_for_every_department(portal):
    admin = make_user("admin", is_superuser=True)
    report = import_resources(read("mixed.csv"), user=admin, import_good_rows=True)
    assert report.created == 3


# --- admin view -----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, portal):
    client.force_login(make_user("admin", is_superuser=True))
    return client


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_admin_import_view_renders_and_imports_with_csrf(portal):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin", is_superuser=True))
    url = reverse("catalogue_import")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入资源" in html and 'name="import_good_rows"' in html and 'type="file"' in html
    token = page.cookies["csrftoken"].value

    refused = client.post(url, {"file": upload("mixed.csv", read("mixed.csv"))})
    assert refused.status_code == 403  # no CSRF token

    response = client.post(
        url,
        {
            "file": upload("mixed.csv", read("mixed.csv")),
            "import_good_rows": "on",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已新增 3 条资源" in html
    assert '<th scope="row">第 4 行</th>' in html
    assert "找不到部门“市不存在局”" in html
    assert Resource.objects.count() == 3


def test_admin_import_view_without_good_rows_imports_nothing(admin_client):
    response = admin_client.post(
        reverse("catalogue_import"), {"file": upload("mixed.csv", read("mixed.csv"))}
    )
    assert response.status_code == 200
    assert "未导入任何数据" in response.content.decode()
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02garbage", b"PK\x03\x04broken", b"[1, 2", "随便写的文字".encode("utf-16")]
)
def test_admin_import_view_answers_garbage_with_a_message(admin_client, data):
    response = admin_client.post(reverse("catalogue_import"), {"file": upload("resources.xlsx", data)})
    assert response.status_code == 200
    assert "文件无法导入：" in response.content.decode()


def test_admin_import_view_needs_the_add_permission(client, portal):
    client.force_login(make_user("nobody", "市财政局编辑"))
    assert client.get(reverse("catalogue_import")).status_code == 200  # department editors may
    Group.objects.get(name="市财政局编辑").permissions.remove(
        *Group.objects.get(name="市财政局编辑").permissions.filter(codename="add_resource")
    )
    client.force_login(get_user_model().objects.get(username="nobody"))
    response = client.get(reverse("catalogue_import"))
    assert response.status_code in (302, 403)


def test_admin_template_and_own_department_export(client, portal):
    make_resource(portal, "302002/000601", "财政局的资源", items=["财政局的信息项"], openness=Openness.CLOSED)
    make_resource(portal, "302001/000602", "发改委的资源", department="fgw")
    client.force_login(make_user("czj_editor", "市财政局编辑"))

    template = client.get(reverse("catalogue_import_template")).content.decode("utf-8")
    assert template.startswith("\ufeff" + ",".join(HEADERS))

    exported = streamed(client.get(reverse("catalogue_admin_export")))
    assert "财政局的信息项" in exported  # full details of one's own resources
    assert "发改委的资源" not in exported


# --- commands -------------------------------------------------------------------------------


def test_import_command(portal, tmp_path, capsys):
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_resources", str(DATA / "mixed.csv"))
    assert "第 4 行" in capsys.readouterr().out
    assert Resource.objects.count() == 0

    make_user("czj_editor", "市财政局编辑")
    call_command("import_resources", str(DATA / "mixed.csv"), "--good-rows", "--user", "czj_editor")
    out = capsys.readouterr().out
    assert "完成：新增 1 条，更新 0 条" in out  # only 市财政局's good row
    assert "您不能导入“市发展改革委”的资源" in out

    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        call_command("import_resources", str(DATA / "mixed.csv"), "--user", "nobody")


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def catalogue(portal):
    """Resources of every openness, one of them closed with things that must stay hidden."""
    return {
        "open": make_resource(
            portal,
            "302002/000001",
            "=SUM(A1) 公式开头的名称",  # must not become a formula in Excel
            items=["科目编码", "科目名称"],
            keywords="预算 财政",
            format_detail="XLSX",
            related_codes=["302001/000001"],
        ),
        "conditional": make_resource(
            portal,
            "302001/000001",
            "重大项目审批信息",
            department="fgw",
            openness=Openness.CONDITIONAL,
            summary="描述里有;分号",
            items=["项目代码"],
        ),
        "closed": make_resource(
            portal,
            "101001/000001",
            "户籍人口信息",
            department="szfb",
            openness=Openness.CLOSED,
            summary="秘密摘要：含公民身份号码",
            sharing_conditions="秘密共享条件",
            keywords="秘密关键词",
            items=["公民身份号码", "秘密信息项"],
        ),
    }


def snapshot():
    """Every resource as comparable data, data items included."""
    return {
        resource.code: (
            {
                f.name: getattr(resource, f.attname)
                for f in Resource._meta.concrete_fields
                if f.name not in ("id", "updated_at")
            },
            [(i.name, i.data_type, i.description) for i in resource.data_items.all()],
        )
        for resource in Resource.objects.all()
    }


@pytest.mark.parametrize("format", ["csv", "json"])
def test_full_export_reimports_unchanged(catalogue, tmp_path, format):
    before = snapshot()
    output = tmp_path / f"resources.{format}"
    call_command("export_resources", "--format", format, "--output", str(output))
    if format == "csv":
        assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs

    report = import_resources(output.read_bytes())

    assert report.ok and (report.created, report.updated) == (0, 3), list(report.lines())
    assert snapshot() == before
    Resource.objects.all().delete()
    assert import_resources(output.read_bytes()).created == 3
    assert snapshot() == before


def test_csv_export_guards_formulas(catalogue, client):
    rows = list(csv.reader(io.StringIO(streamed(client.get("/ziyuan/export.csv")).lstrip("\ufeff"))))
    assert rows[0] == HEADERS
    names = [row[0] for row in rows[1:]]
    assert "'=SUM(A1) 公式开头的名称" in names


def test_public_exports_leave_out_what_a_closed_resource_hides(catalogue, client):
    for url in ("/ziyuan/export.csv", "/ziyuan/export.json", "/ziyuan/catalog.jsonld"):
        content = streamed(client.get(url))
        assert "户籍人口信息" in content and "101001/000001" in content, url  # identifying metadata stays
        assert "秘密" not in content, url
        assert "公民身份号码" not in content, url
        assert "项目代码" in content or url.endswith("jsonld"), url  # open resources keep their items

    records = {r["code"]: r for r in json.loads(streamed(client.get("/ziyuan/export.json")))}
    assert set(records["101001/000001"]) == {
        "name",
        "code",
        "classification",
        "classification_name",
        "department",
        "department_name",
        "openness",
        "update_cycle",
        "released_on",
        "url",
    }
    assert records["302001/000001"]["summary"] == "描述里有;分号"
    assert records["302001/000001"]["url"] == "http://testserver/ziyuan/302001/000001/"


def test_public_exports_honour_the_browse_filters(catalogue, client):
    by_department = json.loads(streamed(client.get("/ziyuan/export.json?department=fgw")))
    assert [r["code"] for r in by_department] == ["302001/000001"]
    base = json.loads(streamed(client.get("/ziyuan/export.json?catalogue=1")))
    assert [r["code"] for r in base] == ["101001/000001"]
    response = client.get("/ziyuan/export.csv?catalogue=9")
    assert response.status_code == 400
    assert "目录类别" in response.content.decode()
    assert client.post("/ziyuan/export.csv").status_code == 405


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib
def test_dcat_catalog_parses_as_rdf(catalogue, client):
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF

    response = client.get("/ziyuan/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=streamed(response), format="json-ld")

    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 3
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalog, DCAT.dataset)) == datasets
    page = URIRef("http://testserver/ziyuan/302002/000001/")
    assert page in datasets
    assert graph.value(page, DCTERMS.identifier) == Literal("302002/000001")
    assert graph.value(page, DCTERMS.title) == Literal("=SUM(A1) 公式开头的名称", lang="zh-Hans")
    assert graph.value(page, DCTERMS.issued) == Literal(datetime.date(2025, 3, 1))
    publisher = graph.value(page, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("济源市财政局", lang="zh-Hans")
    assert set(graph.objects(page, DCAT.keyword)) == {
        Literal("预算", lang="zh-Hans"),
        Literal("财政", lang="zh-Hans"),
    }
    theme = graph.value(page, DCAT.theme)
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    assert str(graph.value(theme, skos.prefLabel)) == "部门信息资源 / 经济管理部门 / 财务预决算信息"
    assert graph.value(page, DCTERMS.accrualPeriodicity) == URIRef("http://purl.org/cld/freq/monthly")
    distribution = graph.value(page, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) == page
    assert graph.value(distribution, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    closed = URIRef("http://testserver/ziyuan/101001/000001/")
    assert graph.value(closed, DCAT.distribution) is None
    assert graph.value(closed, DCTERMS.description) is None


def test_dcat_command_uses_the_configured_base_url(catalogue, settings, capsys):
    settings.PORTAL_BASE_URL = "https://www.jiyuan.gov.cn/"
    call_command("export_resources", "--format", "dcat", "--public")
    document = json.loads(capsys.readouterr().out)
    assert document["@id"] == "https://www.jiyuan.gov.cn/ziyuan/catalog.jsonld"
    urls = [d["@id"] for d in document["dcat:dataset"]]
    assert urls == [
        f"https://www.jiyuan.gov.cn/ziyuan/{code}/" for code in sorted(c.code for c in catalogue.values())
    ]
    assert all(re.match(r"^https://", url) for url in urls)
