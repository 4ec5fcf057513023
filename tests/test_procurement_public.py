"""The public procurement pages: the project list with its filters, counts and sorting (/zfcg/ and
/zfcg/<dept>/), the project page (countdowns, timeline, documents, result) and the five notice pages.

The procurement site (tests/procurement_public_builders.py) is built once per class; each test runs in a
savepoint of its own, so a test may publish more notices without affecting the next one."""

import datetime
import re
from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from django.http import QueryDict
from django.test import TestCase
from django.utils import timezone

from cms.procurement.models import ContractNotice, CorrectionNotice, NoticeDocument, ProcurementProject
from cms.procurement.public import filters as project_filters
from cms.procurement.public.filters import FilterError, ProjectFilters
from cms.procurement.templatetags.procurement_tags import countdown_text, wan, yuan
from cms.procurement.trust.versions import add_version
from tests.builders import build_portal, publish
from tests.procurement_builders import OTHER_USCC, make_award, make_file, make_project, make_tender, pdf_bytes
from tests.procurement_public_builders import build_zfcg, make_correction, set_published

pytestmark = [pytest.mark.anydb]


def numbers(response):
    """The project numbers listed, in order."""
    return re.findall(r'<dd class="zfcg-number">([A-Z0-9-]+)</dd>', response.content.decode())


def facet(response, name):
    """{value: count} of one facet's select."""
    html = response.content.decode()
    select = re.search(rf'<select id="filter-{name}".*?</select>', html, re.S).group(0)
    return {
        v: int(n) for v, n in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*?（(\d+)）</option>', select)
    }


def result_count(response):
    found = re.search(r'id="result-count"[^>]*>\s*共找到 <strong>(\d+)</strong>', response.content.decode())
    return int(found.group(1))


def at(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


class ZfcgTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zfcg = build_zfcg(build_portal())

    def html(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    def listed(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return numbers(response)


class ProjectListTests(ZfcgTestCase):
    def test_the_list_shows_every_live_project_and_no_draft(self):
        response = self.client.get("/zfcg/")
        assert response.status_code == 200
        assert sorted(numbers(response)) == sorted(p.project_number for p in self.zfcg.live)
        html = response.content.decode()
        assert "JYCG-2026-0099" not in html and "草稿项目" not in html
        assert result_count(response) == 6
        assert facet(response, "buyer") == {"czj": 3, "fgw": 2, "szfb": 1}
        # Each row: its status in words, the budget in 万元, the countdown of an open tender.
        assert "120.00万元" in html and "正在招标" in html and "距投标截止还有" in html
        assert 'href="/zfcg/supplier/subscriptions/new/"' in html
        assert 'href="/zfcg/feed/"' in html and 'href="/zfcg/deadlines.ics"' in html

    def test_filters_narrow_and_each_facet_counts_under_the_other_filters(self):
        response = self.client.get("/zfcg/?method=open")
        assert sorted(numbers(response)) == [
            "JYCG-2026-0001",
            "JYCG-2026-0004",
            "JYCG-2026-0005",
            "JYCG-2026-0006",
        ]
        # The method facet ignores its own filter; the others count within 公开招标.
        assert facet(response, "method") == {"open": 4, "consultation": 1, "inquiry": 1}
        assert facet(response, "buyer") == {"czj": 3, "szfb": 1}
        assert facet(response, "status") == {"upcoming": 1, "open": 1, "awarded": 1, "terminated": 1}
        assert result_count(response) == 4

        response = self.client.get("/zfcg/?buyer=fgw&category=it_equipment")
        assert numbers(response) == ["JYCG-2026-0002"]
        assert facet(response, "category") == {"it_equipment": 1, "property": 1}
        assert facet(response, "buyer") == {"fgw": 1}

    def test_open_includes_closing_soon_and_closing_is_only_those(self):
        response = self.client.get("/zfcg/?status=open")
        assert sorted(numbers(response)) == ["JYCG-2026-0001", "JYCG-2026-0002"]
        assert facet(response, "status")["open"] == 2 and facet(response, "status")["closing"] == 1
        assert "正在招标（含即将截止）" in response.content.decode()
        assert self.listed("/zfcg/?status=closing") == ["JYCG-2026-0002"]
        assert self.listed("/zfcg/?status=closed") == ["JYCG-2026-0003"]
        assert self.listed("/zfcg/?status=upcoming") == ["JYCG-2026-0006"]
        assert self.listed("/zfcg/?status=awarded") == ["JYCG-2026-0004"]
        assert self.listed("/zfcg/?status=terminated") == ["JYCG-2026-0005"]

    def test_budget_range_in_wan_and_bands(self):
        assert sorted(self.listed("/zfcg/?budget_min=100")) == [
            "JYCG-2026-0001",
            "JYCG-2026-0003",
            "JYCG-2026-0004",
        ]
        assert sorted(self.listed("/zfcg/?budget_min=40&budget_max=120")) == [
            "JYCG-2026-0001",
            "JYCG-2026-0005",
            "JYCG-2026-0006",
        ]
        # Full-width digits and a unit typed into the box are understood.
        assert self.listed("/zfcg/?budget_min=１０００万") == ["JYCG-2026-0004"]
        response = self.client.get("/zfcg/?band=lt50w")
        assert sorted(numbers(response)) == ["JYCG-2026-0002", "JYCG-2026-0005"]
        assert facet(response, "band") == {"lt50w": 2, "50w-200w": 2, "200w-1000w": 1, "gte1000w": 1}

    def test_publication_date_range_uses_the_latest_notice(self):
        old = timezone.make_aware(datetime.datetime(2026, 1, 10, 23, 30))  # Beijing time, late evening
        set_published(self.zfcg.closed, old)
        set_published(self.zfcg.awarded, old - datetime.timedelta(days=40))
        assert self.listed("/zfcg/?published_from=2026-01-10&published_to=2026-01-10") == ["JYCG-2026-0003"]
        assert self.listed("/zfcg/?published_to=2025-12-31") == ["JYCG-2026-0004"]
        today = timezone.localdate().isoformat()
        assert len(self.listed(f"/zfcg/?published_from={today}")) == 4

    def test_keyword_matches_title_or_project_number(self):
        assert self.listed("/zfcg/?q=jycg-2026-0004") == ["JYCG-2026-0004"]
        assert sorted(self.listed("/zfcg/?q=财政局+采购项目")) == ["JYCG-2026-0001", "JYCG-2026-0005"]
        response = self.client.get("/zfcg/?q=没有这样的项目")
        assert numbers(response) == [] and "没有找到符合条件的采购项目" in response.content.decode()

    def test_sorting(self):
        by_deadline = self.listed("/zfcg/?sort=deadline")
        # Deadlines still ahead first (soonest first), then the passed ones (latest first), then none.
        assert by_deadline[:2] == ["JYCG-2026-0002", "JYCG-2026-0001"]
        assert by_deadline[-1] == "JYCG-2026-0006"
        assert by_deadline.index("JYCG-2026-0003") < by_deadline.index("JYCG-2026-0004")
        budgets = {p.project_number: p.budget for p in self.zfcg.live}
        high = self.listed("/zfcg/?sort=budget_desc")
        assert [budgets[n] for n in high] == sorted(budgets.values(), reverse=True)
        assert self.listed("/zfcg/?sort=budget_asc") == list(reversed(high))
        set_published(self.zfcg.upcoming, timezone.now() + datetime.timedelta(minutes=5))
        assert self.listed("/zfcg/")[0] == "JYCG-2026-0006"

    def test_links_keep_the_filters(self):
        html = self.html("/zfcg/?category=office&budget_min=50&sort=deadline")
        assert 'href="/zfcg/supplier/subscriptions/new/?category=office&amp;budget_min=50"' in html
        assert 'href="/zfcg/feed/?category=office&amp;budget_min=50"' in html
        assert 'href="/zfcg/deadlines.ics?category=office&amp;budget_min=50"' in html
        assert 'href="?category=office&amp;sort=deadline"' in html  # removing one condition keeps the others
        assert 'value="50"' in html  # the box shows what was asked

    def test_bad_input_is_a_400_in_chinese_pointing_at_the_field(self):
        cases = [
            ("budget_min=-5", "budget_min", "最低预算不能为负数"),
            ("budget_max=abc", "budget_max", "最高预算应为以万元为单位的数字"),
            ("budget_min=1e30", "budget_min", "最低预算应为以万元为单位的数字"),
            ("budget_max=999999999999", "budget_max", "最高预算超过1000亿元"),
            ("budget_min=500&budget_max=100", "budget_max", "最高预算不能低于最低预算"),
            ("method=auction", "method", "“采购方式”不在可选范围内"),
            ("status=won", "status", "“项目状态”不在可选范围内"),
            ("category=x", "category", "“采购品目”不在可选范围内"),
            ("band=huge", "band", "“预算区间”不在可选范围内"),
            ("buyer=../etc", "buyer", "“采购人”参数格式不正确"),
            ("published_from=2026-02-30", "published_from", "发布日期（起）应为有效日期"),
            ("published_to=yesterday", "published_to", "发布日期（止）应为有效日期"),
            ("published_from=1900-01-01", "published_from", "应在2000年至2100年之间"),
            ("published_from=2026-03-01&published_to=2026-02-01", "published_to", "结束日期不能早于开始日期"),
            ("sort=random", "sort", "“排序”不在可选范围内"),
            ("q=" + "长" * 101, "q", "关键词不能超过100个字"),
            ("page=abc", "", "页码应为正整数"),
            ("page=0", "", "页码应为正整数"),
            ("q=%00", "", "无法识别的字符"),
        ]
        for query, field, message in cases:
            with self.subTest(query=query):
                response = self.client.get(f"/zfcg/?{query}")
                assert response.status_code == 400
                html = response.content.decode()
                assert message in html and "筛选条件有" in html
                assert "共找到" not in html  # no results under a filter that was not understood
                if field:
                    assert f'href="#filter-{field}"' in html
                    assert re.search(rf'id="filter-{field}"[^>]*aria-invalid="true"', html)

    def test_every_problem_is_reported_at_once(self):
        response = self.client.get("/zfcg/czj/?budget_min=-1&method=x&published_from=2026-13-01")
        assert response.status_code == 400
        assert "筛选条件有 3 处无法识别" in response.content.decode()
        with pytest.raises(FilterError) as error:
            ProjectFilters.from_query(QueryDict("budget_min=-1&method=x"))
        assert [name for name, _ in error.value.errors] == ["method", "budget_min"]

    def test_pages_and_a_page_past_the_end(self):
        with mock.patch.object(project_filters, "PER_PAGE", 4):
            first, second = self.client.get("/zfcg/"), self.client.get("/zfcg/?page=2")
            assert len(numbers(first)) == 4 and len(numbers(second)) == 2 and result_count(second) == 6
            assert not set(numbers(first)) & set(numbers(second))
            assert 'href="?sort=budget_asc&amp;page=2"' in self.html("/zfcg/?sort=budget_asc")
            assert self.client.get("/zfcg/?page=3").status_code == 404

    def test_a_department_folder_lists_only_its_projects(self):
        response = self.client.get("/zfcg/fgw/")
        assert sorted(numbers(response)) == ["JYCG-2026-0002", "JYCG-2026-0003"]
        html = response.content.decode()
        assert 'id="filter-buyer"' not in html  # the buyer is fixed here
        assert (
            'href="/zfcg/feed/?buyer=fgw"' in html
        )  # the feed needs the buyer; the folder's own links do not
        assert 'href="?status=closing"' in html and "?buyer=fgw&amp;" not in html
        assert sorted(self.listed("/zfcg/fgw/?buyer=czj")) == ["JYCG-2026-0002", "JYCG-2026-0003"]

    def test_the_number_of_queries_does_not_grow_with_the_projects(self):
        self.client.get("/zfcg/")  # warm the site-root and content-type caches
        before = _count_queries(self, "/zfcg/?sort=deadline")
        folder = self.zfcg.folders["fgw"]
        for number in range(100, 105):
            project = make_project(folder, number=f"JYCG-2026-{number:04d}", title=f"信息化设备采购{number}")
            make_tender(project, days=25, files=())
        after = _count_queries(self, "/zfcg/?sort=deadline")
        assert after == before <= 20
        assert len(self.listed("/zfcg/?sort=deadline")) == 11


def _count_queries(test, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert test.client.get(url).status_code == 200
    return len(queries.captured_queries)


class FilterUnitTests(TestCase):
    def test_the_query_string_round_trips(self):
        query = QueryDict(
            "method=open&status=closing&buyer=czj&category=office&band=50w-200w&budget_min=50.50"
            "&budget_max=200&published_from=2026-01-01&published_to=2026-03-31&q=办公  家具&sort=budget_desc"
        )
        filters = ProjectFilters.from_query(query)
        assert filters.budget_min == Decimal("50.50") and filters.q == "办公 家具"
        assert ProjectFilters.from_query(QueryDict(filters.to_query())) == filters
        assert ProjectFilters().to_query() == ""
        assert "sort" not in ProjectFilters(method="open").to_query()

    def test_countdown_and_money_words(self):
        now = timezone.now()
        delta = datetime.timedelta
        assert countdown_text(now + delta(days=12, hours=3, minutes=59), now) == "距投标截止还有12天3小时"
        assert countdown_text(now + delta(days=2), now) == "距投标截止还有2天"
        assert countdown_text(now + delta(hours=5, minutes=7), now, "opening") == "距开标还有5小时7分钟"
        assert countdown_text(now + delta(minutes=45, seconds=30), now) == "距投标截止还有45分钟"
        assert countdown_text(now + delta(seconds=30), now) == "距投标截止还有不足1分钟"
        assert countdown_text(now, now) == "已截止"
        assert countdown_text(now - delta(days=1), now, "opening") == "已开标"
        assert wan(Decimal("1200000")) == "120.00万元" and wan(Decimal("385")) == "0.04万元"
        assert yuan(Decimal("1200000")) == "1,200,000.00元"


class ProjectPageTests(ZfcgTestCase):
    def test_countdown_after_a_correction_moved_the_deadline(self):
        project = self.zfcg.open
        old_deadline = project.bid_deadline
        new_deadline = (timezone.now() + datetime.timedelta(days=40, hours=3, minutes=30)).replace(
            second=0, microsecond=0
        )
        make_correction(
            project, new_bid_deadline=new_deadline, new_opening_place="济源市公共资源交易中心第三开标室"
        )
        html = self.html(project.url)
        local = timezone.localtime(new_deadline)
        assert f'<time datetime="{local.isoformat()}">{at(new_deadline)}</time>' in html
        assert re.search(r'<span class="zfcg-countdown__left">距投标截止还有40天(2|3)小时</span>', html)
        assert "投标截止时间已经 1 次更正公告变更" in html
        assert re.search(
            rf"投标截止时间：由 <del><time[^>]*>{at(old_deadline)}</time></del> 变更为 <ins><time[^>]*>"
            rf"{at(new_deadline)}</time></ins>",
            html,
        )
        assert (
            "开标地点：由 <del>济源市公共资源交易中心开标室</del> 变更为 "
            "<ins>济源市公共资源交易中心第三开标室</ins>" in html
        )
        # The tender says that its own deadline was corrected, and to what.
        tender = self.html(self.zfcg.tender.url)
        assert "时间安排已更正" in tender and at(new_deadline) in tender

    def test_a_passed_deadline_reads_closed(self):
        html = self.html(self.zfcg.closed.url)
        assert '<span class="zfcg-countdown__left">已截止</span>' in html
        assert '<span class="zfcg-countdown__left">已开标</span>' in html
        assert '<span class="zfcg-countdown__left">距' not in html
        assert "获取采购文件的时间已于" in html  # the documents are still listed, to check their digests
        tender = self.zfcg.closed.get_children().get().specific
        assert "获取采购文件的时间已于" in self.html(tender.url)

    def test_the_timeline_is_in_order_and_shows_only_live_notices(self):
        project = self.zfcg.open
        correction = make_correction(project, slug="correction-1", affects_bids=False)
        draft = CorrectionNotice(
            title="尚未发布的更正公告", slug="correction-2", affects_bids=False, live=False
        )
        project.add_child(instance=draft)
        draft.save_revision()  # a draft: never published
        html = self.html(project.url)
        tender_at, correction_at = html.find(self.zfcg.tender.title), html.find(correction.title)
        assert 0 < tender_at < correction_at
        assert "尚未发布的更正公告" not in html
        assert self.client.get("/zfcg/czj/jycg-2026-0001/correction-2/").status_code == 404

    def test_the_documents_show_digest_version_and_download(self):
        project = self.zfcg.open
        pfile = project.files.get()
        first = pfile.published_version()
        html = self.html(project.url)
        assert (
            f'<code class="zfcg-digest" id="digest-{first.pk}" translate="no">{first.sha256}</code>' in html
        )
        assert f'href="/zfcg/supplier/download/{first.pk}/"' in html
        assert "下载采购文件需登录供应商账号" in html and 'href="/zfcg/verify/"' in html
        # A correction replaces the file: the new version is offered, the old one stays listed (verifiable).
        add_version(pfile, BytesIO(pdf_bytes("招标文件（更正后）")), "招标文件v2.pdf")
        correction = CorrectionNotice(
            title="更正公告（替换招标文件）", slug="correction-1", affects_bids=False
        )
        correction.documents = [NoticeDocument(file=pfile)]
        project.add_child(instance=correction)
        correction.save_revision().publish()
        html = self.html(project.url)
        newest = pfile.published_version()
        assert newest.number == 2
        assert f'href="/zfcg/supplier/download/{newest.pk}/"' in html
        assert f'href="/zfcg/supplier/download/{first.pk}/"' not in html
        assert first.sha256 in html and "此前发布的 1 个版本" in html
        assert html.count('class="zfcg-file"') == 1
        assert newest.sha256 in self.html(correction.url)

    def test_a_version_no_live_notice_published_is_not_offered(self):
        pfile = make_file(self.zfcg.upcoming, "需求调查表")  # attached to no live notice
        html = self.html(self.zfcg.upcoming.url)
        assert pfile.latest_version().sha256 not in html and "/zfcg/supplier/download/" not in html

    def test_an_awarded_project_shows_the_result_and_a_terminated_one_the_reason(self):
        html = self.html(self.zfcg.awarded.url)
        assert "中标（成交）结果" in html and "河南济源某某科技有限公司" in html and "1420.00万元" in html
        assert "已成交" in html
        html = self.html(self.zfcg.terminated.url)
        assert "本项目已终止采购" in html and "提交投标文件的供应商不足三家" in html and "已终止" in html

    def test_a_draft_project_is_not_served(self):
        assert self.client.get("/zfcg/czj/jycg-2026-0099/").status_code == 404

    def test_a_project_without_notices_is_upcoming(self):
        ProcurementProject.objects.filter(pk=self.zfcg.upcoming.pk).update(
            planned_month=datetime.date(2027, 3, 1)
        )
        html = self.html(self.zfcg.upcoming.url)
        assert "即将开始" in html and "预计2027年3月开始采购" in html and "本项目尚未发布公告" in html


class NoticePageTests(ZfcgTestCase):
    def test_tender_award_and_termination_show_their_own_fields(self):
        tender = self.html(self.zfcg.tender.url)
        assert "所属项目" in tender and "JYCG-2026-0001" in tender and "获取采购文件时间" in tender
        assert "距投标截止还有" in tender and "投标文件递交方式" in tender and "zfcg-digest" in tender

        award = self.html(self.zfcg.award.url)
        assert "914403001922038216" in award and "1420.00万元" in award and "逾期发布" not in award
        assert "返回采购项目：济源市人民政府办公室公务用车采购项目" in award

        termination = self.html(self.zfcg.termination.url)
        assert "终止原因" in termination and "提交投标文件的供应商不足三家" in termination

    def test_a_late_award_is_marked(self):
        award = make_award(self.zfcg.closed, decided_on=timezone.localdate() - datetime.timedelta(days=20))
        html = self.html(award.url)
        assert "逾期发布" in html and "按规定应在2个工作日内" in html

    def test_the_correction_lists_old_and_new_times(self):
        old_deadline = self.zfcg.open.bid_deadline
        new_deadline = (timezone.now() + datetime.timedelta(days=45)).replace(second=0, microsecond=0)
        correction = make_correction(self.zfcg.open, new_bid_deadline=new_deadline)
        html = self.html(correction.url)
        assert re.search(
            rf'<th scope="row">投标截止时间</th>\s*'
            rf"<td><del><time[^>]*>{at(old_deadline)}</time></del></td>\s*"
            rf"<td><ins><time[^>]*>{at(new_deadline)}</time></ins></td>",
            html,
        )
        assert "当前投标截止时间" in html

    def test_the_contract_notice(self):
        contract = ContractNotice(
            title="公务用车采购合同公告",
            slug="contract",
            contract_number="JYHT-2026-018",
            supplier_name="河南济源某某科技有限公司",
            supplier_uscc=OTHER_USCC,
            amount=Decimal("14200000"),
            signed_on=timezone.localdate(),
            period="合同签订后60日内交付",
        )
        self.zfcg.awarded.add_child(instance=contract)
        publish(contract)
        html = self.html(contract.url)
        assert "JYHT-2026-018" in html and "14,200,000.00元" in html and "合同签订后60日内交付" in html
        assert "JYHT-2026-018" in self.html(self.zfcg.awarded.url)
