"""Richer content on top of tests.builders.build_portal, so the theme is checked with every block and banner.

Adds the site settings (ICP, 公安备案, 标识码), the main navigation, notices, a news article with
every StreamField block, a guide, an annual report (the national template's tables), an attachment,
a policy interpretation, and a repealed document.
"""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from cms.core.models import NavigationItem, NavigationSettings, SiteSettings
from cms.disclosure.models import (
    AnnualReportPage,
    DisclosureAttachment,
    DisclosureGuidePage,
    Interpretation,
)
from cms.news.models import NewsPage
from tests.builders import add, make_document, publish

ICP = "豫ICP备05012345号"
POLICE = "豫公网安备 41900102000123号"
SITE_CODE = "4190000001"

RICH_BODY = [
    (
        "paragraph",
        "<p>为进一步提升预算绩效管理水平，市财政局召开预算绩效管理推进会，"
        "总结上一阶段工作，部署下一步重点任务。"
        '会议要求各部门<a href="/xxgk/">依法公开</a>预算绩效信息。</p>',
    ),
    ("heading", {"text": "一、主要工作", "level": "h2"}),
    (
        "paragraph",
        "<p>全面实施预算绩效管理，做到花钱必问效、无效必问责。</p>"
        "<ul><li>完善绩效目标管理</li><li>开展绩效运行监控</li><li>强化评价结果应用</li></ul>",
    ),
    (
        "notice",
        {
            "level": "important",
            "title": "请各部门注意",
            "text": "<p>绩效自评报告须于6月30日前报送市财政局。</p>",
        },
    ),
    (
        "table",
        {
            "caption": "2025年预算绩效评价进度",
            "table": {
                "data": [
                    ["部门", "项目数", "已完成", "完成率"],
                    ["市财政局", "12", "10", "83%"],
                    ["市发展改革委", "8", "8", "100%"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "",
            },
        },
    ),
    ("heading", {"text": "二、下一步安排", "level": "h2"}),
    ("paragraph", "<p>各部门要按照时间节点完成自评工作，确保评价质量。</p>"),
]


def enrich_portal(portal):
    site = portal.site
    settings = SiteSettings.for_site(site)
    settings.site_name = "济源市人民政府"
    settings.organiser = "济源市人民政府办公室"
    settings.contact_phone = "0391-6633000"
    settings.contact_address = "河南省济源市济源大道1号"
    settings.postcode = "459000"
    settings.icp_number = ICP
    settings.police_record = POLICE
    settings.site_code = SITE_CODE
    settings.footer_text = "网站由济源市人民政府办公室承办 · 建议使用1280×800以上分辨率浏览"
    settings.save()

    nav = NavigationSettings.for_site(site)
    for order, (title, page, url) in enumerate(
        [
            ("政务动态", portal.news_index, ""),
            ("通知公告", portal.notice_index, ""),
            ("信息公开", portal.xxgk, ""),
            ("政务服务", None, "/search/?q=办事指南"),
            ("政府采购", None, "/search/?q=采购"),
            ("走进济源", None, "/search/?q=济源"),
        ]
    ):
        NavigationItem.objects.create(setting=nav, sort_order=order, title=title, page=page, url=url)

    home = portal.home
    home.intro = "愚公故里 · 济世之源 —— 欢迎访问济源市人民政府门户网站"
    home.services_page = portal.xxgk
    home.procurement_page = portal.news_index
    publish(home)

    for i, title in enumerate(
        [
            "关于2025年端午节放假安排的通知",
            "济源市财政局关于政府采购意向公开的公告",
            "关于开展2025年度政府信息公开工作考核的通知",
        ]
    ):
        add(
            portal.notice_index,
            NewsPage(title=title, date=datetime.date(2025, 5, 20 + i), department=portal.departments["szfb"]),
        )

    article = NewsPage.objects.child_of(portal.news_index).live().order_by("-date").first()
    article.summary = "市财政局召开预算绩效管理推进会，部署2025年重点工作。"
    article.source = "济源市财政局"
    article.body = RICH_BODY
    publish(article)

    xxgk = portal.xxgk
    add(
        xxgk,
        DisclosureGuidePage(
            title="济源市人民政府信息公开指南",
            slug="guide",
            updated_on=datetime.date(2025, 1, 10),
            body=[("paragraph", "<p>本指南说明政府信息公开的方式和程序。</p>")],
        ),
    )
    report = add(
        xxgk,
        AnnualReportPage(title="济源市人民政府2024年政府信息公开工作年度报告", slug="report-2024", year=2024),
    )

    doc = portal.documents[0]
    upload = Document(title="2025年政府采购工作要点")
    upload.file.save("caigou-yaodian.pdf", ContentFile(b"%PDF-1.4\n% test attachment\n"), save=False)
    upload.save()
    DisclosureAttachment.objects.create(
        page=doc, document=upload, title="附件1：2025年政府采购工作要点", sort_order=0
    )
    doc.body = RICH_BODY[:4]
    publish(doc)

    reading = add(
        portal.folders["czj"],
        Interpretation(
            title="《关于做好2025年政府采购工作的通知》政策解读",
            policy=doc,
            topic=doc.topic,
            written_on=datetime.date(2025, 3, 6),
            published_on=datetime.date(2025, 3, 6),
            body=[("paragraph", "<p>一、出台背景。为规范政府采购行为……</p>")],
        ),
    )
    old = portal.documents[1]
    newer = make_document(
        portal.folders["czj"],
        "济源市财政局关于印发新版预算绩效管理办法的通知",
        document_number="济财预〔2025〕30号",
        repeals=old,
        written_on=datetime.date(2025, 4, 1),
        published_on=datetime.date(2025, 4, 2),
    )
    old.refresh_from_db()
    portal.report, portal.interpretation, portal.repealed, portal.repealing = report, reading, old, newer
    return portal
