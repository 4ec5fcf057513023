"""The demo-content fixtures: pure Python, no database needed."""

import inspect
import re
import types

import pytest
from pypinyin import Style, lazy_pinyin

from cms.core.data.topics import TOPICS
from fixtures.departments import CITY, DEPARTMENTS
from fixtures.generator import demo_documents, demo_news, iter_documents, iter_news, main
from fixtures.genres import GENRES
from fixtures.pages import ABOUT_PAGES, ANNUAL_REPORT_2025, DISCLOSURE_GUIDE, SEED_PLAN

TOPIC_CODES = {t["code"] for t in TOPICS} | {c["code"] for t in TOPICS for c in t["children"]}
GENRE_CODES = {g["code"] for g in GENRES}
SLUGS = {d["slug"] for d in DEPARTMENTS}
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
