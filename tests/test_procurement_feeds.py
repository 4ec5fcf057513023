"""The Atom feed (/zfcg/feed/) and the iCalendar file of deadlines (/zfcg/deadlines.ics) for any filter of the
project list, read back with feedparser and icalendar as a reader or a calendar would."""

import datetime
import zoneinfo
from unittest import mock

import feedparser
import icalendar
import pytest
from django.test import TestCase
from django.utils import timezone

from cms.procurement.public import feeds
from tests.builders import build_portal
from tests.procurement_builders import make_tender
from tests.procurement_public_builders import build_zfcg, make_correction

pytestmark = [pytest.mark.anydb]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class FeedTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zfcg = build_zfcg(build_portal())

    def feed(self, query=""):
        response = self.client.get(f"/zfcg/feed/{query}")
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        return parsed

    def calendar(self, query=""):
        response = self.client.get(f"/zfcg/deadlines.ics{query}")
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


class AtomFeedTests(FeedTestCase):
    def test_the_feed_lists_the_live_notices_newest_first(self):
        correction = make_correction(self.zfcg.open, affects_bids=False)
        parsed = self.feed()
        titles = [entry.title for entry in parsed.entries]
        assert titles[0] == f"【更正公告】{correction.title}"
        assert f"【中标（成交）结果公告】{self.zfcg.award.title}" in titles
        assert f"【终止公告】{self.zfcg.termination.title}" in titles
        assert len(titles) == 8  # five tenders, the award, the termination and the correction
        first = parsed.entries[0]
        assert first.link.endswith(correction.url)
        assert "项目编号：JYCG-2026-0001" in first.summary and "120.00万元" in first.summary
        assert {tag.term for tag in first.tags} == {"更正公告", "公开招标", "办公设备与家具"}
        assert first.author == "济源市财政局"
        published = [entry.published_parsed for entry in parsed.entries]
        assert published == sorted(published, reverse=True)

    def test_the_feed_follows_the_filters(self):
        parsed = self.feed("?category=vehicles")
        assert [entry.title for entry in parsed.entries] == [
            f"【中标（成交）结果公告】{self.zfcg.award.title}",
            f"【采购公告】{self.zfcg.awarded.title}招标公告",
        ]
        assert parsed.feed.title == "政府采购公告（车辆）"
        assert parsed.feed.link.endswith("/zfcg/?category=vehicles")
        parsed = self.feed("?status=open&buyer=fgw")
        assert [entry.title for entry in parsed.entries] == [f"【采购公告】{self.zfcg.closing.title}招标公告"]
        assert self.feed("?q=不存在的项目").entries == []

    def test_no_notice_of_an_unpublished_project(self):
        make_tender(self.zfcg.draft, days=25)  # a live notice below a project that is not live
        titles = " ".join(entry.title for entry in self.feed().entries)
        assert "草稿项目" not in titles

    def test_only_the_newest_notices(self):
        correction = make_correction(self.zfcg.open, affects_bids=False)
        with mock.patch.object(feeds, "FEED_ITEMS", 3):
            titles = [entry.title for entry in self.feed().entries]
        assert titles == [
            f"【更正公告】{correction.title}",
            f"【终止公告】{self.zfcg.termination.title}",
            f"【采购公告】{self.zfcg.terminated.title}招标公告",
        ]

    def test_bad_filters_are_a_400_in_chinese(self):
        for query in ("?budget_min=-1", "?status=won", "?published_from=2026-02-30", "?q=%00"):
            with self.subTest(query=query):
                response = self.client.get(f"/zfcg/feed/{query}")
                assert response.status_code == 400
                assert response.content.decode().startswith("筛选条件有误：")


class CalendarTests(FeedTestCase):
    def test_one_event_for_each_deadline_and_opening(self):
        calendar = self.calendar()
        assert "投标截止与开标" in str(calendar["X-WR-CALNAME"])
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
        found = events(calendar)
        numbers = {uid.split("-deadline@")[0] for uid in found if "-deadline@" in uid}
        # Open, closing soon, passed within 7 days (closed), terminated (cancelled); not awarded 10 days ago.
        assert numbers == {"JYCG-2026-0001", "JYCG-2026-0002", "JYCG-2026-0003", "JYCG-2026-0005"}
        deadline = found["JYCG-2026-0001-deadline@zfcg.jiyuan.gov.cn"]
        assert deadline["DTSTART"].dt == self.zfcg.open.bid_deadline
        assert deadline["DTSTART"].dt.tzinfo.key == "Asia/Shanghai"
        assert str(deadline["SUMMARY"]) == f"【投标截止】{self.zfcg.open.title}"
        assert str(deadline["URL"]).endswith(self.zfcg.open.url)
        assert str(deadline["LOCATION"]) == "济源市公共资源交易中心开标室"
        assert deadline["SEQUENCE"] == 0 and str(deadline["STATUS"]) == "CONFIRMED"
        assert deadline.walk("VALARM")  # a reminder the day before
        opening = found["JYCG-2026-0001-opening@zfcg.jiyuan.gov.cn"]
        assert opening["DTSTART"].dt == self.zfcg.open.opening_at
        assert opening["DTEND"].dt > opening["DTSTART"].dt
        terminated = found["JYCG-2026-0005-deadline@zfcg.jiyuan.gov.cn"]
        assert str(terminated["STATUS"]) == "CANCELLED" and terminated["SEQUENCE"] == 1

    def test_a_correction_moves_the_event_and_bumps_its_sequence(self):
        new_deadline = (timezone.now() + datetime.timedelta(days=41)).replace(second=0, microsecond=0)
        make_correction(self.zfcg.open, new_bid_deadline=new_deadline, new_opening_place="第三开标室")
        found = events(self.calendar())
        deadline = found["JYCG-2026-0001-deadline@zfcg.jiyuan.gov.cn"]  # the same UID, moved
        assert deadline["DTSTART"].dt == new_deadline and deadline["SEQUENCE"] == 1
        opening = found["JYCG-2026-0001-opening@zfcg.jiyuan.gov.cn"]
        assert opening["DTSTART"].dt == new_deadline and opening["SEQUENCE"] == 1
        assert str(opening["LOCATION"]) == "第三开标室"
        assert deadline["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert deadline["DTSTART"].to_ical().decode() == new_deadline.astimezone(SHANGHAI).strftime(
            "%Y%m%dT%H%M%S"
        )

    def test_the_calendar_follows_the_filters(self):
        found = events(self.calendar("?status=open"))
        assert {uid.split("-")[2] for uid in found} == {"0001", "0002"}
        assert events(self.calendar("?category=catering")) == {}
        response = self.client.get("/zfcg/deadlines.ics?budget_max=abc")
        assert response.status_code == 400 and "最高预算" in response.content.decode()

    def test_old_deadlines_drop_out(self):
        from cms.procurement.models import ProcurementProject

        assert "JYCG-2026-0003-deadline@zfcg.jiyuan.gov.cn" in events(self.calendar())  # passed 2 days ago
        long_ago = timezone.now() - datetime.timedelta(days=8)
        ProcurementProject.objects.filter(pk=self.zfcg.closed.pk).update(
            bid_deadline=long_ago, opening_at=long_ago
        )
        assert "JYCG-2026-0003-deadline@zfcg.jiyuan.gov.cn" not in events(self.calendar())
