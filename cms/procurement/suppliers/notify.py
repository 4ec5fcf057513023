"""Emails to suppliers, all through the casework outbox (``cms.casework.notify.queue``): written in the
caller's transaction, sent by the worker, retried while the mail server is down.

* the verification link of a new account (and its resend);
* a correction or termination notice, to every supplier who downloaded the project's documents, once
  per notice and supplier (``SupplierNotification`` is unique), which the register shows with the
  email's ``sent_at``.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.rich_text import get_text_for_indexing

from cms.casework import notify as outbox

SUBJECT_PREFIX = "【济源市政府采购】"
EXCERPT = 800  # characters of a notice's body quoted in an email


def site_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(url):
    if not url:
        return ""
    return url if url.startswith(("http://", "https://")) else site_url() + url


def money(amount):
    """``Decimal("1200000")`` -> ``120万元``, ``Decimal("8500")`` -> ``8,500元`` (an email's plain text)."""
    if amount is None:
        return "—"
    if amount >= 10000:
        text = f"{amount / 10000:,.2f}".rstrip("0").rstrip(".")
        return f"{text}万元"
    return f"{amount:,.2f}".rstrip("0").rstrip(".") + "元"


def queue(to, subject, body, label, headers=None):
    """``outbox.queue`` with extra headers (List-Unsubscribe)."""
    return outbox.queue(to, subject, body, label, headers=headers)


def supplier_label(supplier):
    return f"供应商{supplier.uscc}"


# --- the verification link --------------------------------------------------------------------


def queue_verification(supplier):
    from cms.procurement.suppliers import tokens

    uid, token = tokens.make(supplier)
    context = {
        "supplier": supplier,
        "link": absolute(reverse("procurement:supplier_confirm_email", args=[uid, token])),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "site_url": site_url(),
    }
    body = render_to_string("procurement/suppliers/email/verify_email.txt", context)
    return queue(
        supplier.email, f"{SUBJECT_PREFIX}请验证供应商账号的电子邮箱", body, supplier_label(supplier)
    )


# --- corrections and terminations to the suppliers who downloaded -----------------------------


def body_excerpt(notice):
    text = " ".join(get_text_for_indexing(notice.body or "").split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "……（详见公告全文）"


def schedule_before(notice, project):
    """The schedule as it stood before ``notice`` (a correction): the tender's, moved by the live
    corrections published earlier."""
    from cms.procurement.models import CorrectionNotice, TenderNotice

    tender = TenderNotice.objects.child_of(project).live().first()
    before = {
        "bid_deadline": tender.bid_deadline if tender else None,
        "opening_at": tender.opening_at if tender else None,
        "documents_until": tender.documents_until if tender else None,
        "opening_place": tender.opening_place if tender else "",
    }
    earlier = CorrectionNotice.objects.child_of(project).live().exclude(pk=notice.pk)
    if notice.first_published_at:
        earlier = earlier.filter(first_published_at__lt=notice.first_published_at)
    for correction in earlier.order_by("first_published_at", "path"):
        for name in before:
            before[name] = getattr(correction, f"new_{name}") or before[name]
    return before


CHANGE_LABELS = (
    ("bid_deadline", "投标（响应）截止时间"),
    ("opening_at", "开标时间"),
    ("documents_until", "获取采购文件截止时间"),
    ("opening_place", "开标地点"),
)


def changes_of(notice, project):
    """``[{"label", "old", "new"}]``: what a correction moves (empty for a termination)."""
    if notice.notice_type != "correction":
        return []
    before = schedule_before(notice, project)
    changes = []
    for name, label in CHANGE_LABELS:
        new = getattr(notice, f"new_{name}")
        if new and new != before[name]:
            changes.append(
                {"label": label, "old": before[name], "new": new, "is_text": name == "opening_place"}
            )
    return changes


def replaced_documents(notice):
    """The documents a correction publishes: ``[(file, version, download URL)]``."""
    documents = []
    for document in notice.documents.select_related("file"):
        version = document.file.latest_version()
        if version is not None:
            url = absolute(reverse("procurement:download", args=[version.pk]))
            documents.append({"file": document.file, "version": version, "url": url})
    return documents


def notice_context(notice, project):
    return {
        "notice": notice,
        "project": project,
        "notice_url": absolute(notice.url),
        "project_url": absolute(project.url),
        "budget": money(project.budget),
        "changes": changes_of(notice, project),
        "documents": replaced_documents(notice),
        "excerpt": body_excerpt(notice),
        "site_url": site_url(),
        "account_url": absolute(reverse("procurement:supplier_account")),
    }


def downloaders(project):
    from cms.procurement.models import Supplier

    return Supplier.objects.filter(downloads__project=project, user__is_active=True).distinct()


def notify_downloaders(notice, project):
    """Email ``notice`` to every supplier who downloaded ``project``'s documents and was not told of it
    yet. Returns the new ``SupplierNotification`` rows. Runs in the publishing transaction."""
    from cms.procurement.models import SupplierNotification

    told = SupplierNotification.objects.filter(notice=notice).values("supplier_id")
    suppliers = list(downloaders(project).exclude(pk__in=told).order_by("pk"))
    if not suppliers:
        return []
    context = notice_context(notice, project)
    subject = f"{SUBJECT_PREFIX}{notice.notice_type_label}：{project.title}（{project.project_number}）"
    created = []
    for supplier in suppliers:
        try:
            with transaction.atomic():  # a concurrent publication of the same notice wins the row
                record = SupplierNotification.objects.create(supplier=supplier, notice=notice)
                body = render_to_string(
                    "procurement/suppliers/email/notice_to_downloader.txt", context | {"supplier": supplier}
                )
                record.notification = queue(supplier.email, subject, body, project.project_number)
                record.save(update_fields=["notification"])
        except IntegrityError:
            continue
        created.append(record)
    return created
