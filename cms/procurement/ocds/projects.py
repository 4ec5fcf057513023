"""Projects as plain JSON (/api/zfcg/projects): what the list and the project page show, in the same words.

The timeline (with what each correction changed) and the documents with their published versions come from
the project page's own ``cms.procurement.public.details``, so the page and the API cannot disagree.
"""

from django.urls import NoReverseMatch, reverse

from cms.api.disclosure import department_ref
from cms.procurement.choices import CATEGORY_KIND, BudgetBand, Category, Method, NoticeType, Status
from cms.procurement.public import details
from cms.procurement.trust.versions import version_statement

from .builder import Links, iso, number, ocid_for

CHANGE_FIELDS = {label: name for name, label in details.CHANGEABLE}


def _money(amount):
    return None if amount is None else number(amount)


def _reverse(name, fallback, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


def ocds_links(project, request):
    ocid = ocid_for(project)
    return {
        "ocid": ocid,
        "releases": request.build_absolute_uri(
            reverse("portal_api:ocds_release_package", kwargs={"ocid": ocid})
        ),
        "record": request.build_absolute_uri(
            reverse("portal_api:ocds_record_package", kwargs={"ocid": ocid})
        ),
    }


def project_item(project, request, now):
    status = project.status(now)
    band = project.budget_band
    return {
        "project_number": project.project_number,
        "title": project.title,
        "url": project.get_full_url(request),
        "status": status,
        "status_display": str(Status(status).label),
        "buyer": department_ref(project.buyer),
        "buyer_name": project.buyer_name,
        "agency": {"name": project.agency.name, "uscc": project.agency.uscc} if project.agency_id else None,
        "method": project.method,
        "method_display": str(Method(project.method).label),
        "category": project.category,
        "category_display": str(Category(project.category).label),
        "procurement_kind": CATEGORY_KIND.get(project.category, ""),
        "budget": number(project.budget),
        "budget_band": str(BudgetBand(band).value) if band else "",
        "ceiling_price": _money(project.ceiling_price),
        "planned_month": project.planned_month,
        "tender_published_at": project.tender_published_at,
        "documents_from": project.documents_from,
        "documents_until": project.documents_until,
        "bid_deadline": project.bid_deadline,
        "opening_at": project.opening_at,
        "opening_place": project.opening_place,
        "awarded_at": project.awarded_at,
        "awarded_amount": _money(project.awarded_amount),
        "terminated_at": project.terminated_at,
        "latest_notice_at": project.latest_notice_at,
        "ocds": ocds_links(project, request),
    }


def _version(version, pfile, project, links):
    pfile.project = project  # the statement names the project: no query for it
    version.procurement_file = pfile
    return {
        "version_id": version.pk,
        "number": version.number,
        "file_name": version.original_name,
        "content_type": version.content_type,
        "size": version.size,
        "sha256": version.sha256,
        "signature": version.signature,
        "key_id": version.key_id,
        "statement": version_statement(version).decode(),
        "published_at": version.published_at,
        "download_url": links.download(version),
    }


def _value(value):
    return iso(value) if hasattr(value, "tzinfo") else value


def _notice(entry, project, request):
    notice = entry.notice
    data = {
        "id": notice.pk,
        "notice_type": notice.notice_type,
        "notice_type_display": str(notice.notice_type_label),
        "title": notice.title,
        "url": notice.get_full_url(request),
        "first_published_at": notice.first_published_at,
        "last_published_at": notice.last_published_at,
        "file_ids": [],
        "changes": [
            {
                "field": CHANGE_FIELDS.get(change.label, ""),
                "label": change.label,
                "old": _value(change.old),
                "new": _value(change.new),
            }
            for change in entry.changes
        ],
        "awarded_lots": [],
    }
    kind = notice.notice_type
    if kind in (NoticeType.TENDER, NoticeType.CORRECTION):
        data["file_ids"] = [document.file_id for document in notice.documents.all()]
    if kind == NoticeType.TENDER:
        data["schedule"] = {
            "documents_from": notice.documents_from,
            "documents_until": notice.documents_until,
            "bid_deadline": notice.bid_deadline,
            "opening_at": notice.opening_at,
            "opening_place": notice.opening_place,
            "submission": notice.submission,
        }
    elif kind == NoticeType.CORRECTION:
        data["affects_bids"] = notice.affects_bids
    elif kind == NoticeType.AWARD:
        data["decided_on"] = notice.decided_on
        data["published_late"] = notice.published_late
        data["awarded_lots"] = [
            {
                "lot_number": row.lot_number,
                "lot_name": row.lot_name,
                "supplier_name": row.supplier_name,
                "supplier_uscc": row.supplier_uscc,
                "supplier_address": row.supplier_address,
                "amount": number(row.amount),
            }
            for row in details.awarded_lots(notice, project)
        ]
    elif kind == NoticeType.TERMINATION:
        data["reason"] = notice.reason
    elif kind == NoticeType.CONTRACT:
        data["contract"] = {
            "contract_number": notice.contract_number,
            "supplier_name": notice.supplier_name,
            "supplier_uscc": notice.supplier_uscc,
            "amount": number(notice.amount),
            "signed_on": notice.signed_on,
            "period": notice.period,
        }
    return data


def project_detail(project, request, now):
    links = Links(request)
    notices = details.live_notices(project)
    documents = details.documents_of(notices)
    return {
        **project_item(project, request, now),
        "summary": project.summary,
        "qualification": project.qualification,
        "contact_name": project.contact_name,
        "contact_phone": project.contact_phone,
        "lots": [
            {
                "number": lot.number,
                "name": lot.name,
                "budget": number(lot.budget),
                "quantity": lot.quantity,
                "requirements": lot.requirements,
            }
            for lot in project.lots.all()
        ],
        "notices": [_notice(entry, project, request) for entry in details.timeline(notices)],
        "documents": [
            {
                "file_id": document.file.pk,
                "title": document.file.title,
                "current": _version(document.current, document.file, project, links),
                "earlier": [_version(v, document.file, project, links) for v in document.earlier],
            }
            for document in documents
        ],
        "verify_url": links.verify(),
        "public_key_url": links.absolute(_reverse("procurement:public_key", "/zfcg/verify/public-key.pem")),
    }
