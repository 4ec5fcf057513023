"""One procurement project as OCDS releases (core schema 1.1.5, no extensions).

A project is one contracting process: ``ocid = OCDS_OCID_PREFIX + "-" + project number``. Each live notice is
one release, dated when it was first published, with a stable id ``<ocid>-<notice type>-<page id>``:

=============  ==================  =====================================================================
notice         tag                 what the release carries
=============  ==================  =====================================================================
(project)      planning            采购意向: budget, what is bought, the planned month; tender ``planned``
采购公告        tender              the whole tender: lots as items, period, opening, documents
更正公告        tenderAmendment     the whole tender as corrected, plus ``amendments`` (what changed)
结果公告        award               one award per awarded lot (supplier, amount); tender ``complete``
终止公告        tenderCancellation  tender ``cancelled``, the reason as a cancellationDetails document
合同公告        contract            the contract (amount, date signed), linked to its supplier's award
=============  ==================  =====================================================================

A correction is a formal legal amendment (政府采购法实施条例第三十一条: 澄清或者修改), hence
``tenderAmendment`` and not ``tenderUpdate``. The planning release is published for a project that has
no tender yet, and kept after it when the project announced a planned month (采购意向公开,
财库〔2020〕10号), so that release does not vanish later. A release describes the process as it stood on
its date; the compiled release (``merge.compile_releases``) is the current state.
"""

import datetime
import html
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import Site

from cms.procurement.choices import CATEGORY_KIND, OCDS_METHOD, Method, NoticeType, Status

CURRENCY = "CNY"
LANGUAGE = "zh"
USCC_SCHEME = "CN-USCI"  # org-id.guide's list for the 统一社会信用代码 (GB 32100-2015)

RELEASE_TAG = {
    NoticeType.TENDER: "tender",
    NoticeType.CORRECTION: "tenderAmendment",
    NoticeType.AWARD: "award",
    NoticeType.TERMINATION: "tenderCancellation",
    NoticeType.CONTRACT: "contract",
}
NOTICE_DOCUMENT_TYPE = {  # documentType codelist
    NoticeType.TENDER: "tenderNotice",
    NoticeType.CORRECTION: "clarifications",  # 澄清或者修改
    NoticeType.AWARD: "awardNotice",
    NoticeType.TERMINATION: "cancellationDetails",
    NoticeType.CONTRACT: "contractNotice",
}
# tenderStatus (closed codelist) for the project's status. A published tender is "active" until its result:
# OCDS has no separate state for "bids closed, being evaluated".
TENDER_STATUS = {
    Status.UPCOMING: "active",
    Status.OPEN: "active",
    Status.CLOSING: "active",
    Status.CLOSED: "active",
    Status.AWARDED: "complete",
    Status.TERMINATED: "cancelled",
}
PLANNED = "planned"  # no tender yet: 采购意向


def ocid_prefix():
    return settings.OCDS_OCID_PREFIX


def ocid_for(project):
    return f"{ocid_prefix()}-{project.project_number}"


def project_number_from(ocid):
    """The project number an ocid names, or None when it does not start with our prefix."""
    prefix = f"{ocid_prefix()}-"
    if not ocid.startswith(prefix) or len(ocid) == len(prefix):
        return None
    return ocid[len(prefix) :]


def tender_status(project, now=None):
    """The tenderStatus code for the project as it stands (the compiled release says the same)."""
    status = project.status(now)
    if status == Status.UPCOMING and project.tender_published_at is None:
        return PLANNED
    return TENDER_STATUS[status]


# --- values ------------------------------------------------------------------------------------


def iso(moment):
    """Beijing time, to the microsecond if any: notices published within one second keep their order."""
    return timezone.localtime(moment).isoformat() if moment else None


def iso_date(day):
    """A date (合同签订日期, 确定日期) as midnight in Beijing time: OCDS dates are date-times."""
    if day is None:
        return None
    return iso(datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone()))


def number(amount):
    amount = Decimal(amount)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def money(amount):
    return {"amount": number(amount), "currency": CURRENCY}


def plain(rich_text, limit=1000):
    text = " ".join(html.unescape(strip_tags(rich_text or "")).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compact(mapping):
    """Drop empty values: OCDS omits a field rather than publish it empty."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "未定"


class Links:
    """Absolute URLs for the request's host (or the configured base URL outside a request)."""

    def __init__(self, request=None):
        self.request = request

    def absolute(self, path):
        if self.request is not None:
            return self.request.build_absolute_uri(path)
        if not hasattr(self, "_root"):
            site = Site.objects.filter(is_default_site=True).first()
            self._root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        return self._root + path

    def page(self, page):
        return page.get_full_url(self.request)

    def download(self, version):
        try:
            path = reverse("procurement:download", kwargs={"version_id": version.pk})
        except NoReverseMatch:  # the supplier pages are not mounted (yet)
            path = f"/zfcg/supplier/download/{version.pk}/"
        return self.absolute(path)

    def verify(self):
        try:
            path = reverse("procurement:verify")
        except NoReverseMatch:
            path = "/zfcg/verify/"
        return self.absolute(path)


# --- organisations -----------------------------------------------------------------------------


def organisation_identifier(code, legal_name):
    """(party id, identifier) for a registered code. An 18-character code is a 统一社会信用代码 (CN-USCI);
    a 9-character 组织机构代码 (GB 11714) has no org-id scheme, so it is published without one."""
    code = (code or "").strip().upper()
    if len(code) == 18:
        return f"{USCC_SCHEME}-{code}", {"scheme": USCC_SCHEME, "id": code, "legalName": legal_name}
    if code:
        return f"CN-ORG-{code}", {"id": code, "legalName": legal_name}
    return None, None


class Parties:
    """The parties of one process; a party's roles accumulate over the releases (``roles`` is merged as a
    whole list, so each release must carry all of a party's roles so far)."""

    def __init__(self):
        self.by_id = {}

    def add(self, party_id, role, **fields):
        party = self.by_id.get(party_id)
        if party is None:
            party = self.by_id[party_id] = {"id": party_id, **compact(fields), "roles": []}
        if role not in party["roles"]:
            party["roles"].append(role)
        return {"id": party_id, "name": party.get("name", "")}

    def release_parties(self, ids):
        return [dict(self.by_id[i], roles=list(self.by_id[i]["roles"])) for i in dict.fromkeys(ids)]


# --- the releases ------------------------------------------------------------------------------


class ProjectReleases:
    """``ProjectReleases(data, links).build()`` → the project's releases, oldest first."""

    def __init__(self, data, links):
        self.project = data.project
        self.notices = [n for n in data.notices if n.first_published_at is not None]
        self.links = links
        self.ocid = ocid_for(self.project)
        self.parties = Parties()
        self.lots = {lot.number: lot for lot in self.project.lots.all()}
        self.file_notices = {}  # file pk → the notices that list it, oldest first
        for notice in self.notices:
            if notice.notice_type in (NoticeType.TENDER, NoticeType.CORRECTION):
                for document in notice.documents.all():
                    self.file_notices.setdefault(document.file_id, []).append(notice)

    def build(self):
        with translation.override(settings.LANGUAGE_CODE):
            return self._build()

    def _build(self):
        self.buyer = self._buyer()
        self.procuring_entity = self._procuring_entity()
        releases = []
        planning = self._planning()
        if planning is not None:
            releases.append(planning)
        self.schedule = {}
        self.tender_documents = {}
        self.amendments = []
        self.tender_release_id = None
        self.award_ids = {}  # supplier USCC → award id
        handlers = {
            NoticeType.TENDER: self._tender,
            NoticeType.CORRECTION: self._correction,
            NoticeType.AWARD: self._award,
            NoticeType.TERMINATION: self._termination,
            NoticeType.CONTRACT: self._contract,
        }
        for notice in self.notices:
            releases.append(handlers[notice.notice_type](notice))
        return releases

    # --- common parts

    def _release(self, release_id, date, tags, party_ids, **sections):
        release = {
            "ocid": self.ocid,
            "id": release_id,
            "date": iso(date),
            "tag": tags,
            "initiationType": "tender",
            "language": LANGUAGE,
            "parties": self.parties.release_parties(
                [self.buyer["id"], self.procuring_entity["id"], *party_ids]
            ),
            "buyer": self.buyer,
        }
        release.update(compact(sections))
        return release

    def _notice_release_id(self, notice):
        return f"{self.ocid}-{notice.notice_type}-{notice.pk}"

    def _buyer(self):
        project, department = self.project, self.project.buyer
        party_id, identifier = organisation_identifier(
            department.org_code if department else "", department.name if department else ""
        )
        party_id = party_id or f"{self.ocid}-buyer"
        if project.buyer_unit:  # a unit of the department: its own code is not known here
            party_id, identifier = f"{party_id}-unit", None
        fields = {
            "name": project.buyer_name or (department.name if department else "采购人"),
            "identifier": identifier,
            "address": compact(
                {"streetAddress": department.address if department else "", "countryName": "中国"}
            ),
            "contactPoint": compact({"name": project.contact_name, "telephone": project.contact_phone}),
        }
        self.parties.add(party_id, "buyer", **fields)
        if project.agency_id is None:  # 自行组织采购: the buyer runs the procurement itself
            self.parties.add(party_id, "procuringEntity")
        return {"id": party_id, "name": fields["name"]}

    def _procuring_entity(self):
        agency = self.project.agency
        if agency is None:
            return self.buyer
        party_id, identifier = organisation_identifier(agency.uscc, agency.name)
        return self.parties.add(
            party_id,
            "procuringEntity",
            name=agency.name,
            identifier=identifier,
            address=compact({"streetAddress": agency.address, "countryName": "中国"}),
            contactPoint=compact({"name": agency.contact_name, "telephone": agency.phone}),
        )

    def _supplier(self, name, uscc, address=""):
        party_id, identifier = organisation_identifier(uscc, name)
        return self.parties.add(
            party_id or f"{self.ocid}-supplier-{name}",
            "supplier",
            name=name,
            identifier=identifier,
            address=compact({"streetAddress": address, "countryName": "中国"}) if address else None,
        )

    def _item(self, lot):
        parts = [f"第{lot.number}包：{lot.name}"]
        if lot.quantity:
            parts.append(f"数量/服务期：{lot.quantity}")
        parts.append(f"包预算：{lot.budget:.2f}元")
        if lot.requirements:
            parts.append(f"主要需求：{plain(lot.requirements, 500)}")
        return {"id": str(lot.number), "description": "；".join(parts)}

    def _tender_facts(self, status):
        project = self.project
        description = project.summary
        if project.ceiling_price is not None:
            description += f"\n最高限价：{project.ceiling_price:.2f}元"
        return compact(
            {
                "id": project.project_number,
                "title": project.title,
                "description": description,
                "status": status,
                "procuringEntity": self.procuring_entity,
                "items": [self._item(lot) for lot in sorted(self.lots.values(), key=lambda lot: lot.number)],
                "value": money(project.budget),
                "procurementMethod": OCDS_METHOD.get(project.method, "open"),
                "procurementMethodDetails": str(Method(project.method).label),
                "mainProcurementCategory": CATEGORY_KIND.get(project.category, ""),
                "eligibilityCriteria": project.qualification,
            }
        )

    def _page_document(self, page, document_type, description=""):
        return compact(
            {
                "id": f"notice-{page.pk}",
                "documentType": document_type,
                "title": page.title,
                "description": description,
                "url": self.links.page(page),
                "datePublished": iso(page.first_published_at),
                "dateModified": iso(page.last_published_at)
                if page.last_published_at and page.last_published_at != page.first_published_at
                else None,
                "format": "text/html",
                "language": LANGUAGE,
            }
        )

    # --- 采购意向

    def _planning(self):
        project = self.project
        if project.first_published_at is None:
            return None
        has_tender = any(n.notice_type == NoticeType.TENDER for n in self.notices)
        if has_tender and project.planned_month is None:
            return None
        if self.notices and project.first_published_at >= self.notices[0].first_published_at:
            return None  # the project page went out with (or after) its first notice: no separate 采购意向
        tender = self._tender_facts(PLANNED)
        if project.planned_month:
            tender["tenderPeriod"] = {"startDate": iso_date(project.planned_month.replace(day=1))}
        planning = {
            "budget": {"description": "采购预算（元）", "amount": money(project.budget)},
            "documents": [
                compact(
                    {
                        **self._page_document(project, "plannedProcurementNotice"),
                        "id": f"project-{project.pk}",
                        "description": "采购意向：项目概况、预算金额和预计采购时间",
                    }
                )
            ],
        }
        return self._release(
            f"{self.ocid}-planning-{project.pk}",
            project.first_published_at,
            ["planning"],
            [],
            planning=planning,
            tender=tender,
        )

    # --- 采购公告 and 更正公告

    def _version(self, procurement_file, notice):
        """The version of the file that ``notice`` published: the newest published before the next notice that
        lists the same file (falling back to the first published one, e.g. for back-dated notices)."""
        versions = getattr(procurement_file, "published_versions", None)
        if versions is None:
            versions = list(procurement_file.versions.offered().order_by("number"))
        if not versions:
            return None, None
        listing = self.file_notices.get(procurement_file.pk, [])
        later = [
            n for n in listing if (n.first_published_at, n.path) > (notice.first_published_at, notice.path)
        ]
        bound = later[0].first_published_at if later else None
        before = [v for v in versions if bound is None or v.published_at < bound]
        return versions[0], (before[-1] if before else versions[0])

    def _file_document(self, procurement_file, notice):
        first, version = self._version(procurement_file, notice)
        if version is None:
            return None
        period = ""
        if self.schedule.get("documents_from"):
            period = (
                f"获取时间：{when(self.schedule['documents_from'])} 至 "
                f"{when(self.schedule.get('documents_until'))}（北京时间）。"
            )
        description = (
            f"第{version.number}版，{version.size}字节，SHA-256：{version.sha256}。"
            f"平台以 Ed25519 电子签章签名（密钥 {version.key_id}），可在 {self.links.verify()} 核验。"
            f"{period}下载需登录供应商账号。"
        )
        return compact(
            {
                "id": f"file-{procurement_file.pk}",
                "documentType": "biddingDocuments",
                "title": procurement_file.title,
                "description": description,
                "url": self.links.download(version),
                "datePublished": iso(first.published_at),
                "dateModified": iso(version.published_at) if version.pk != first.pk else None,
                "format": version.content_type,
                "language": LANGUAGE,
            }
        )

    def _add_documents(self, notice, description=""):
        document = self._page_document(notice, NOTICE_DOCUMENT_TYPE[notice.notice_type], description)
        self.tender_documents[document["id"]] = document
        for attached in notice.documents.all():
            document = self._file_document(attached.file, notice)
            if document is not None:
                self.tender_documents[document["id"]] = document

    def _tender_snapshot(self):
        schedule = self.schedule
        tender = self._tender_facts(TENDER_STATUS[Status.OPEN])
        tender["submissionMethodDetails"] = schedule.get("submission", "")
        tender["tenderPeriod"] = compact(
            {"startDate": iso(schedule.get("documents_from")), "endDate": iso(schedule.get("bid_deadline"))}
        )
        if schedule.get("opening_at"):
            tender["milestones"] = [
                compact(
                    {
                        "id": "opening",
                        "title": "开标",
                        "type": "assessment",
                        "description": f"开标地点：{schedule['opening_place']}"
                        if schedule.get("opening_place")
                        else "",
                        "dueDate": iso(schedule["opening_at"]),
                        "status": "scheduled",
                    }
                )
            ]
        tender["documents"] = list(self.tender_documents.values())
        tender["amendments"] = list(self.amendments)
        return compact(tender)

    def _tender(self, notice):
        self.schedule = {
            "documents_from": notice.documents_from,
            "documents_until": notice.documents_until,
            "bid_deadline": notice.bid_deadline,
            "opening_at": notice.opening_at,
            "opening_place": notice.opening_place,
            "submission": notice.submission,
        }
        self._add_documents(notice)
        release_id = self._notice_release_id(notice)
        self.tender_release_id = release_id
        return self._release(
            release_id, notice.first_published_at, ["tender"], [], tender=self._tender_snapshot()
        )

    CHANGE_LABELS = (
        ("bid_deadline", "投标截止时间"),
        ("opening_at", "开标时间"),
        ("documents_until", "获取采购文件截止时间"),
        ("opening_place", "开标地点"),
    )

    def _correction(self, notice):
        changes = []
        for field, label in self.CHANGE_LABELS:
            new = getattr(notice, f"new_{field}")
            if not new or new == self.schedule.get(field):
                continue
            old = self.schedule.get(field)
            show = (lambda v: v or "未定") if field == "opening_place" else when
            changes.append(f"{label}由 {show(old)} 变更为 {show(new)}")
            self.schedule[field] = new
        release_id = self._notice_release_id(notice)
        description = "；".join(changes) or "澄清或修改采购文件内容，时间安排不变"
        self.amendments.append(
            compact(
                {
                    "id": str(notice.pk),
                    "date": iso(notice.first_published_at),
                    "rationale": plain(notice.body) or notice.title,
                    "description": description,
                    "amendsReleaseID": self.tender_release_id,
                    "releaseID": release_id,
                }
            )
        )
        self._add_documents(notice, description)
        self.tender_release_id = release_id
        return self._release(
            release_id, notice.first_published_at, ["tenderAmendment"], [], tender=self._tender_snapshot()
        )

    # --- 结果公告, 终止公告, 合同公告

    def _award(self, notice):
        document = self._page_document(notice, NOTICE_DOCUMENT_TYPE[NoticeType.AWARD])
        awards, suppliers, seen = [], [], {}
        for awarded in sorted(notice.awarded_lots.all(), key=lambda a: (a.lot_number, a.sort_order or 0)):
            seen[awarded.lot_number] = seen.get(awarded.lot_number, 0) + 1
            award_id = f"{notice.pk}-{awarded.lot_number}"
            if seen[awarded.lot_number] > 1:
                award_id += f"-{seen[awarded.lot_number]}"
            lot = self.lots.get(awarded.lot_number)
            supplier = self._supplier(awarded.supplier_name, awarded.supplier_uscc, awarded.supplier_address)
            suppliers.append(supplier["id"])
            self.award_ids.setdefault(awarded.supplier_uscc.upper(), award_id)
            awards.append(
                compact(
                    {
                        "id": award_id,
                        "title": f"第{awarded.lot_number}包" + (f" {lot.name}" if lot else ""),
                        "status": "active",
                        "date": iso_date(notice.decided_on),
                        "value": money(awarded.amount),
                        "suppliers": [supplier],
                        "items": [self._item(lot)] if lot else [],
                        "documents": [document],
                    }
                )
            )
        tender = {"id": self.project.project_number, "status": TENDER_STATUS[Status.AWARDED]}
        if self.schedule.get("opening_at") and self.schedule["opening_at"] <= notice.first_published_at:
            tender["milestones"] = [
                {"id": "opening", "status": "met", "dateMet": iso(self.schedule["opening_at"])}
            ]
        return self._release(
            self._notice_release_id(notice),
            notice.first_published_at,
            ["award"],
            suppliers,
            tender=tender,
            awards=awards,
        )

    def _termination(self, notice):
        document = self._page_document(
            notice, NOTICE_DOCUMENT_TYPE[NoticeType.TERMINATION], f"终止原因：{notice.reason}"
        )
        self.tender_documents[document["id"]] = document
        tender = {
            "id": self.project.project_number,
            "status": TENDER_STATUS[Status.TERMINATED],
            "documents": [document],
        }
        return self._release(
            self._notice_release_id(notice),
            notice.first_published_at,
            ["tenderCancellation"],
            [],
            tender=tender,
        )

    def _contract(self, notice):
        supplier = self._supplier(notice.supplier_name, notice.supplier_uscc)
        tags, awards = ["contract"], []
        award_id = self.award_ids.get(notice.supplier_uscc.upper()) or next(
            iter(self.award_ids.values()), None
        )
        if award_id is None:  # a contract without a published result (e.g. 单一来源 before the portal)
            award_id = f"{notice.pk}-award"
            awards = [
                {"id": award_id, "status": "active", "value": money(notice.amount), "suppliers": [supplier]}
            ]
            tags = ["award", "contract"]
            self.award_ids[notice.supplier_uscc.upper()] = award_id
        description = f"合同编号：{notice.contract_number}"
        if notice.period:
            description += f"；履约期限：{notice.period}"
        contract = compact(
            {
                "id": str(notice.pk),
                "awardID": award_id,
                "title": notice.title,
                "description": description,
                "status": "active",
                "value": money(notice.amount),
                "dateSigned": iso_date(notice.signed_on),
                "documents": [self._page_document(notice, NOTICE_DOCUMENT_TYPE[NoticeType.CONTRACT])],
            }
        )
        return self._release(
            self._notice_release_id(notice),
            notice.first_published_at,
            tags,
            [supplier["id"]],
            awards=awards,
            contracts=[contract],
        )


def build_releases(data, links):
    return ProjectReleases(data, links).build()
