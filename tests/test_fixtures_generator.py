"""The demo-content fixtures: pure Python, no database needed."""

import collections
import inspect
import json
import re
import tracemalloc
import types

import pytest
from pypinyin import Style, lazy_pinyin

from cms.catalogue.choices import DataType, Openness, ResourceFormat, Sharing, SharingMethod, UpdateCycle
from cms.catalogue.codes import split_code
from cms.catalogue.data.classes import CLASSES
from cms.core.data.topics import TOPICS
from fixtures.departments import CITY, DEPARTMENTS
from fixtures.generator import (
    FLAGSHIP_RESOURCES,
    demo_documents,
    demo_news,
    demo_resources,
    iter_documents,
    iter_news,
    iter_resources,
    main,
)
from fixtures.genres import GENRES
from fixtures.pages import ABOUT_PAGES, ANNUAL_REPORT_2025, DISCLOSURE_GUIDE, SEED_PLAN

TOPIC_CODES = {t["code"] for t in TOPICS} | {c["code"] for t in TOPICS for c in t["children"]}
GENRE_CODES = {g["code"] for g in GENRES}
SLUGS = {d["slug"] for d in DEPARTMENTS}
DEPARTMENTS_BY_NAME = {d["name"]: d["slug"] for d in DEPARTMENTS}
DOC_KEYS = {
    "key",
    "title",
    "department",
    "topic",
    "genre",
    "document_number",
    "written_on",
    "published_on",
    "keywords",
    "validity",
    "effective_on",
    "expires_on",
    "disclosure_method",
    "summary",
    "body",
    "attachments",
    "repeals",
    "amends",
    "interprets",
}


@pytest.fixture(scope="module")
def docs():
    return list(iter_documents(5000))


@pytest.fixture(scope="module")
def resources():
    return demo_resources()


# ---------------------------------------------------------------- reference data


def test_topics_are_the_21_state_council_classes():
    assert len(TOPICS) == 21
    assert TOPICS[0]["name"] == "综合政务" and TOPICS[-1]["name"] == "其他"
    assert [t["code"] for t in TOPICS] == [f"{i:02d}" for i in range(1, 22)]
    for top in TOPICS:
        assert all(c["code"].startswith(top["code"]) and len(c["code"]) == 4 for c in top["children"])
    assert {"应急管理", "电子政务", "政务公开", "政务督查", "信访"} <= {
        c["name"] for c in TOPICS[0]["children"]
    }


def test_departments_are_unique_and_well_formed():
    assert len(DEPARTMENTS) >= 24
    assert len(SLUGS) == len(DEPARTMENTS)
    assert len({d["org_code"] for d in DEPARTMENTS}) == len(DEPARTMENTS)
    assert len({d["name"] for d in DEPARTMENTS}) == len(DEPARTMENTS)
    weights = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 check character
    for d in DEPARTMENTS:
        code = d["org_code"]
        assert re.fullmatch(r"\d{9}", code)
        check = 11 - sum(int(c) * w for c, w in zip(code[:8], weights, strict=True)) % 11
        assert code[8] == {10: "X", 11: "0"}.get(check, str(check)), d["slug"]
        assert d["parent"] is None or d["parent"] in SLUGS
        assert re.fullmatch(r"0391-\d{7}", d["phone"]) and d["email"] == f"{d['slug']}@jiyuan.gov.cn"
        # The slug is drawn from the name's pinyin initials, in order (发改委 → fgw).
        initials = iter("".join(lazy_pinyin(d["name"], style=Style.FIRST_LETTER)))
        assert all(ch in initials for ch in d["slug"]), d["slug"]
    assert {"szfb", "fgw", "czj"} <= SLUGS
    assert next(d for d in DEPARTMENTS if d["name"] == "济源市公共资源交易中心")["parent"] == "dsjj"
    assert len(CITY["site_code"]) == 10 and CITY["postcode"] == "459000"


def test_genres_are_pinyin_codes():
    assert len(GENRES) == 18 and len(GENRE_CODES) == 18
    for g in GENRES:
        assert g["code"] == "".join(lazy_pinyin(g["name"]))


# ---------------------------------------------------------------- documents


def test_iter_documents_is_lazy():
    gen = iter_documents(10**9)  # would never finish if it built a list
    assert isinstance(gen, types.GeneratorType) and inspect.isgenerator(gen)
    assert next(gen)["key"] == "doc-000001"


def test_deterministic():
    assert list(iter_documents(300, seed=7)) == list(iter_documents(300, seed=7))
    assert list(iter_documents(50, seed=7)) != list(iter_documents(50, seed=8))
    assert list(iter_news(40)) == list(iter_news(40))


def test_document_schema_and_references(docs):
    for d in docs:
        assert set(d) == DOC_KEYS
        assert d["department"] in SLUGS
        assert d["topic"] in TOPIC_CODES
        assert d["genre"] in GENRE_CODES
        assert d["validity"] in {"valid", "expired", "repealed", "amended"}
        assert d["disclosure_method"] in {"active", "on_request"}
        assert "2019-01-01" <= d["written_on"] <= d["published_on"] <= "2026-11-20"
        assert 4 <= len(d["body"]) <= 10 and all(d["body"])
        assert d["title"] and d["summary"] and 1 <= len(d["keywords"]) <= 4
        assert len(d["attachments"]) <= 2
        if d["expires_on"]:
            assert d["effective_on"] and d["effective_on"] < d["expires_on"]
        if d["validity"] == "expired":
            assert d["expires_on"] and d["expires_on"] < "2026-11-20"
        if d["document_number"]:
            assert re.fullmatch(r"济\S+〔(\d{4})〕\d+号", d["document_number"])
            assert d["document_number"][d["document_number"].index("〔") + 1 :][:4] == d["written_on"][:4]


def test_keys_and_document_numbers_unique(docs):
    assert len({d["key"] for d in docs}) == len(docs)
    numbers = [d["document_number"] for d in docs if d["document_number"]]
    assert len(numbers) == len(set(numbers)) > 3000


def test_repealed_and_amended_docs_are_targets_of_later_docs(docs):
    by_key = {d["key"]: d for d in docs}
    repeals = {d["repeals"]: d for d in docs if d["repeals"]}
    amends = {d["amends"]: d for d in docs if d["amends"]}
    for d in docs:
        if d["validity"] == "repealed":
            assert d["key"] in repeals, d["key"]
        if d["validity"] == "amended":
            assert d["key"] in amends, d["key"]
    for links, state in ((repeals, "repealed"), (amends, "amended")):
        for old_key, new in links.items():
            old = by_key[old_key]
            assert old["validity"] == state and new["validity"] == "valid"
            assert old["key"] < new["key"] and old["published_on"] < new["written_on"]
            assert old["department"] == new["department"]
    for d in docs:
        if d["interprets"]:
            target = by_key[d["interprets"]]
            assert d["genre"] == "qita" and d["title"].endswith("政策解读")
            assert target["key"] < d["key"] and target["published_on"] <= d["published_on"]


def test_mix_of_validity_and_content(docs):
    share = lambda pred: sum(1 for d in docs if pred(d)) / len(docs)  # noqa: E731
    assert 0.62 < share(lambda d: d["validity"] == "valid") < 0.78
    assert 0.07 < share(lambda d: d["validity"] == "repealed") < 0.13
    assert 0.05 < share(lambda d: d["validity"] == "amended") < 0.11
    assert 0.08 < share(lambda d: d["validity"] == "expired") < 0.16
    assert 0.04 < share(lambda d: d["interprets"]) < 0.08
    assert share(lambda d: any("采购" in p for p in d["body"])) > 0.10
    assert share(lambda d: any("公开" in p for p in d["body"])) > 0.30
    assert {d["written_on"][:4] for d in docs} == {str(y) for y in range(2019, 2027)}


def test_the_whole_stream_resolves_its_links():
    # The last documents must still repeal/amend everything queued (small count: tight end).
    for count in (1, 7, 60):
        docs = list(iter_documents(count, seed=count))
        targets = {d["repeals"] or d["amends"] for d in docs}
        assert all(d["key"] in targets for d in docs if d["validity"] in ("repealed", "amended"))


def test_demo_sets():
    docs, news = demo_documents(), demo_news()
    assert len(docs) >= 300 and len(news) == 60
    assert {n["kind"] for n in news} == {"news", "notice"}
    for n in news:
        assert (
            n["department"] in SLUGS
            and n["title"]
            and n["body"]
            and "2023" <= n["published_on"][:4] <= "2026"
        )


def test_cli_streams_json_lines(tmp_path):
    out = tmp_path / "docs.jsonl"
    main(["documents", "--count", "25", "--out", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25 and '"key": "doc-000001"' in lines[0] and "济源" in lines[0]


# ---------------------------------------------------------------- information resources

RESOURCE_KEYS = {
    "name",
    "code",
    "classification",
    "department",
    "summary",
    "resource_format",
    "format_detail",
    "sharing",
    "sharing_conditions",
    "sharing_method",
    "openness",
    "open_conditions",
    "update_cycle",
    "released_on",
    "related_codes",
    "keywords",
    "data_items",
}
CLASS_CODES = {code for code, _name in CLASSES}
FLAGSHIP_CODES = {r["code"] for r in FLAGSHIP_RESOURCES}
# Written out here, not imported: the test's own idea of what names a person.
PERSON_ITEMS = ("公民身份号码", "证件号码", "姓名")
# 户籍, 婚姻 and 社保 records about individuals, whatever their data items say.
PERSONAL_NAMES = re.compile(r"户籍|婚姻登记|参保|社会保障卡|待遇发放")


def names_a_person(resource):
    return any(item["name"].endswith(PERSON_ITEMS) for item in resource["data_items"])


def check_personal(resource):
    """Personal data is never 无条件开放 nor 无条件共享 (statistics name nobody)."""
    personal = names_a_person(resource) or (
        PERSONAL_NAMES.search(resource["name"]) and "统计" not in resource["name"]
    )
    if personal:
        assert resource["openness"] != "open", resource["name"]
        assert resource["sharing"] != "unconditional", resource["name"]


def test_iter_resources_is_lazy_and_deterministic():
    gen = iter_resources(10**9)
    assert isinstance(gen, types.GeneratorType) and next(gen)["code"] == "101001/000001"
    assert list(iter_resources(3000, seed=7)) == list(iter_resources(3000, seed=7))
    assert list(iter_resources(100, seed=7)) != list(iter_resources(100, seed=8))
    assert demo_resources() == demo_resources()


def test_resource_schema_and_vocabularies(resources):
    for r in resources:
        assert set(r) == RESOURCE_KEYS
        assert r["department"] in SLUGS and r["classification"] in CLASS_CODES
        assert len(r["classification"]) == 6  # a 目: the classes the migration creates
        assert r["resource_format"] in ResourceFormat.values and r["update_cycle"] in UpdateCycle.values
        assert r["sharing"] in Sharing.values and r["openness"] in Openness.values
        assert r["sharing_method"] in [*SharingMethod.values, ""]
        assert (r["sharing_method"] == "") == (r["sharing"] == "none")
        assert bool(r["sharing_conditions"]) == (r["sharing"] != "unconditional")
        assert bool(r["open_conditions"]) == (r["openness"] != "open")
        assert r["sharing"] != "none" or r["openness"] == "closed"  # what is not shared is not opened
        assert "2018-01-01" <= r["released_on"] <= "2026-11-20"
        assert 0 < len(r["name"]) <= 200 and len(r["keywords"]) <= 200 and len(r["format_detail"]) <= 100
        assert r["summary"].endswith("。") and r["keywords"]
        assert 4 <= len(r["data_items"]) <= 16
        for item in r["data_items"]:
            assert item["name"] and len(item["name"]) <= 100 and len(item["description"]) <= 300
            assert item["data_type"] in DataType.values
        names = [item["name"] for item in r["data_items"]]
        assert len(names) == len(set(names)), r["name"]


def test_200000_resources_stream_unique_valid_codes_in_bounded_memory():
    """Checked as they stream: each classification's sequence runs on by one (so no code
    repeats), related codes name resources issued before, and memory stays flat: a window
    of 10,000 resources deep in the stream is traced (tracing all 200,000 would take a
    minute) and must leave nothing behind."""
    last = {}
    for n, r in enumerate(iter_resources(200_000)):
        if n == 150_000:
            tracemalloc.start()
        elif n == 160_000:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert peak < 2 * 1024 * 1024 and current < 256 * 1024
        front, seq = split_code(r["code"])
        assert front == r["classification"] and front in CLASS_CODES
        if r["code"] in FLAGSHIP_CODES:
            assert n < len(FLAGSHIP_RESOURCES) and set(r["related_codes"]) <= FLAGSHIP_CODES
        else:
            assert int(seq) == last.get(front, 0) + 1, r["code"]
            for related in r["related_codes"]:
                related_front, related_seq = split_code(related)
                assert related != r["code"] and int(related_seq) <= last.get(related_front, 0)
        last[front] = int(seq)
        check_personal(r)
    assert n == 199_999 and len(FLAGSHIP_CODES) == len(FLAGSHIP_RESOURCES)


def test_demo_resources_cover_every_department(resources):
    assert len(resources) >= 2000
    assert {r["department"] for r in resources} == SLUGS
    assert len({r["name"] for r in resources}) == len(resources)  # the demo repeats no name
    assert {r["released_on"][:4] for r in resources} == {str(y) for y in range(2018, 2027)}
    by_code = {r["code"]: r for r in resources}
    assert len(by_code) == len(resources)
    for flagship in FLAGSHIP_RESOURCES:
        assert by_code[flagship["code"]] == flagship
    assert sum(1 for r in resources if r["related_codes"]) > len(resources) / 10
    assert all(code in by_code for r in resources for code in r["related_codes"])


def test_flagships():
    expected = {
        "101001/000001": ("济源市户籍人口基本信息", "gaj", "closed"),
        "102001/000001": ("济源市企业法人基本信息", "scjgj", "conditional"),
        "204001/000001": ("济源市空气质量自动监测小时数据", "sthjj", "open"),
        "202001/000001": ("政府采购项目信息", "czj", "open"),
        "201001/000001": ("政务服务事项目录", "dsjj", "open"),
    }
    flagships = {r["code"]: r for r in FLAGSHIP_RESOURCES}
    assert len(flagships) >= 10
    for code, (name, dept, openness) in expected.items():
        r = flagships[code]
        assert (r["name"], r["department"], r["openness"]) == (name, dept, openness)
    for r in FLAGSHIP_RESOURCES:
        assert r["department"] in SLUGS and r["classification"] in CLASS_CODES and r["data_items"]
        check_personal(r)


def test_mix_of_sharing_and_openness(resources):
    sharing = collections.Counter(r["sharing"] for r in resources)
    openness = collections.Counter(r["openness"] for r in resources)
    share = lambda counter, key: counter[key] / len(resources)  # noqa: E731
    assert share(sharing, "conditional") > 0.45 and 0.25 < share(sharing, "unconditional") < 0.45
    assert 0.02 < share(sharing, "none") < 0.12
    assert share(openness, "closed") > 0.4 and 0.15 < share(openness, "conditional") < 0.35
    assert 0.15 < share(openness, "open") < 0.35
    for r in resources:
        check_personal(r)
        if r["openness"] == "open":
            assert r["sharing"] == "unconditional"


def test_subjects_sit_in_fitting_classes_and_departments(resources):
    fits = {  # word in the name → (class code prefix, department)
        "户籍": ("101", "gaj"),
        "婚姻登记": ("101004", "mzj"),
        "企业法人": ("102001", "scjgj"),
        "空气质量": ("204001", "sthjj"),
        "养老保险": ("203001", "rsj"),
        "医疗保险": ("203002", "ybj"),
        "施工许可": ("106002", "zjj"),
        "公共租赁住房": ("205002", "zjj"),
        "信访事项": ("303003", "xfj"),
    }
    seen = set()
    for r in resources:
        for word, (prefix, dept) in fits.items():
            if word in r["name"]:
                assert r["classification"].startswith(prefix) and r["department"] == dept, r["name"]
                seen.add(word)
        prefixes = [name for name in DEPARTMENTS_BY_NAME if r["name"].startswith(name)]
        if prefixes:  # 济源市财政局2024年部门预算 belongs to 市财政局
            assert DEPARTMENTS_BY_NAME[max(prefixes, key=len)] == r["department"], r["name"]
        if "行政处罚" in r["name"]:  # “双公示”: published, never closed
            assert r["classification"] == "105003" and r["openness"] != "closed", r["name"]
        if "部门预算" in r["name"] or "部门决算" in r["name"]:
            # 预决算 must be published by law: opened, at most on conditions.
            assert r["classification"] == "302002" and r["openness"] != "closed", r["name"]
    assert seen == set(fits)


def test_resource_names_vary():
    names = collections.Counter(r["name"] for r in iter_resources(20_000, seed=3))
    assert len(names) > 15_000
    assert any(re.match(r"20\d\d年度.+统计$", n) for n in names)
    assert any(n.endswith("（克井镇）") for n in names)
    assert any(re.match(r"济源市\S+局20\d\d年部门预算$", n) for n in names)


def test_cli_streams_resources(tmp_path):
    out = tmp_path / "resources.jsonl"
    main(["resources", "--count", "30", "--out", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and json.loads(lines[0])["code"] == "101001/000001"
    assert all(json.loads(line)["data_items"] for line in lines)


# ---------------------------------------------------------------- pages


def test_annual_report_totals_are_consistent():
    rows = {r["label"]: r["values"] for r in ANNUAL_REPORT_2025["requests"]["rows"] if r["values"]}
    for values in rows.values():
        assert len(values) == 7 and sum(values[:6]) == values[6]
    new, carried_in = rows["一、本年新收政府信息公开申请数量"], rows["二、上年结转政府信息公开申请数量"]
    total, carried_out = rows["（七）总计"], rows["四、结转下年度继续办理"]
    categories = [
        r for r in ANNUAL_REPORT_2025["requests"]["rows"] if r["level"] == 1 and r["label"] != "（七）总计"
    ]
    assert len(categories) == 6
    assert [sum(col) for col in zip(*(r["values"] for r in categories), strict=True)] == total
    assert [a + b - c for a, b, c in zip(new, carried_in, carried_out, strict=True)] == total
    # Each category with reasons (level 2 rows below it) equals the sum of its reasons.
    rows_list = ANNUAL_REPORT_2025["requests"]["rows"]
    current, reasons = None, []
    for r in rows_list + [{"level": 0, "values": None, "label": ""}]:
        if r["level"] == 2:
            reasons.append(r["values"])
            continue
        if current and reasons:
            assert [sum(col) for col in zip(*reasons, strict=True)] == current["values"], current["label"]
        current, reasons = (r if r["level"] == 1 else None), []
    for group in ANNUAL_REPORT_2025["reviews"]:
        assert sum(group["values"][:4]) == group["values"][4]
    for group in ANNUAL_REPORT_2025["proactive"]:
        assert all(len(row["values"]) == len(group["columns"]) - 1 for row in group["rows"])
    # The render-ready copy: every table row as wide as its header.
    assert len(ANNUAL_REPORT_2025["sections"]) == 6
    for section in ANNUAL_REPORT_2025["sections"]:
        for table in section["tables"]:
            assert all(len(row) == len(table["header"]) for row in table["rows"]), table["caption"]


def test_pages():
    assert [s["heading"] for s in DISCLOSURE_GUIDE] == ["一、主动公开", "二、依申请公开", "三、监督和救济"]
    text = "".join(p for s in DISCLOSURE_GUIDE for p in s["paragraphs"])
    assert "20个工作日" in text and CITY["phone"] in text and "不收取费用" in text
    assert len(ABOUT_PAGES) >= 2 and all(p["sections"] for p in ABOUT_PAGES)
    assert SEED_PLAN["title"] == "济源市“十一五”期间电子政务问题研究"
    assert len(SEED_PLAN["paragraphs"]) > 30 and "一、电子政务建设背景" in SEED_PLAN["paragraphs"]
