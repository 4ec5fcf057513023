"""Saved searches (订阅): new notices matching a supplier's filter, by email at once or in a daily digest.

* Which notices: tender, correction, award and termination notices (contract notices follow an award
  the subscriber has already been told of). A notice reaches a subscription once
  (``SavedSearchDelivery`` is unique), also when it is re-published after an edit.
* Matching: category, method and buyer equal (blank = any); every keyword (separated by spaces) a
  substring of the project's title, the notice's title, the project number or the summary, ignoring
  case and full-width forms. Chinese needs no word segmentation for that.
* Only verified, active suppliers get alerts: an unverified address may not be the supplier's own.
* Each supplier gets each notice once: one email per notice and supplier (several matching
  subscriptions share it); a supplier already emailed the notice as a downloader gets no alert, and a
  daily subscription's row is marked sent when the supplier was told at once (as a downloader or by an
  immediate subscription), so the digest does not repeat it.
* Daily subscriptions: a pending delivery row; ``send_digests`` (``manage.py procurement send_alerts``,
  which the scheduler runs every minute) sends one digest per supplier once a day, after
  ``PROCUREMENT_DIGEST_HOUR`` (default 8:00, Asia/Shanghai), of everything queued before that hour.
* Every alert names its subscriptions with a one-click unsubscribe link each.
"""

import datetime
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.procurement.suppliers import notify

ALERT_TYPES = frozenset({"tender", "correction", "award", "termination"})
DEFAULT_DIGEST_HOUR = 8
MAX_KEYWORDS = 5


def fold(text):
    return unicodedata.normalize("NFKC", text or "").casefold()


def keyword_terms(keywords, limit=MAX_KEYWORDS):
    """The folded terms, each once, in the order typed (commas and the like separate as spaces do)."""
    keywords = keywords or ""
    for separator in ("，", ",", "、", "；", ";"):
        keywords = keywords.replace(separator, " ")
    return list(dict.fromkeys(fold(term) for term in keywords.split()))[:limit]


def normal_keywords(keywords):
    """The stored form: the terms matching uses, joined by a single space."""
    return " ".join(keyword_terms(keywords))


def searchable_text(notice, project):
    return fold(" ".join((project.title, notice.title, project.project_number, project.summary or "")))


def matches_keywords(saved_search, text):
    return all(term in text for term in keyword_terms(saved_search.keywords))


def criteria(saved_search):
    """``[(label, value)]`` of the four criteria, "全部" where any value matches."""
    return [
        ("采购品目", saved_search.get_category_display() or "全部"),
        ("采购方式", saved_search.get_method_display() or "全部"),
        ("采购人", saved_search.buyer.name if saved_search.buyer_id else "全部"),
        ("关键词", saved_search.keywords or "不限"),
    ]


def summary(saved_search):
    """The criteria that narrow it, in one line: ``采购品目：车辆；关键词：救护车`` (or ``全部公告``)."""
    parts = [f"{label}：{value}" for label, value in criteria(saved_search) if value not in ("全部", "不限")]
    return "；".join(parts) or "全部公告"


def unsubscribe_url(saved_search):
    return notify.absolute(reverse("procurement:unsubscribe", args=[saved_search.unsubscribe_token]))


def list_url(saved_search):
    """The project list filtered as the subscription is (to see everything it matches)."""
    from urllib.parse import urlencode

    query = {
        "category": saved_search.category,
        "method": saved_search.method,
        "buyer": saved_search.buyer.slug if saved_search.buyer_id else "",
        "q": saved_search.keywords,
    }
    query = urlencode({k: v for k, v in query.items() if v})
    return "/zfcg/" + (f"?{query}" if query else "")


def matching(notice, project):
    """The subscriptions ``notice`` matches and has not reached yet (verified, active suppliers)."""
    from cms.procurement.models import SavedSearch

    candidates = (
        SavedSearch.objects.filter(
            supplier__email_verified_at__isnull=False,
            supplier__user__is_active=True,
        )
        .filter(Q(category="") | Q(category=project.category))
        .filter(Q(method="") | Q(method=project.method))
        .filter(Q(buyer__isnull=True) | Q(buyer_id=project.buyer_id))
        .exclude(deliveries__notice=notice)
        .select_related("supplier", "buyer")
        .order_by("supplier_id", "pk")
    )
    text = searchable_text(notice, project)
    return [s for s in candidates if matches_keywords(s, text)]


def _headers(saved_searches):
    # RFC 2369 / RFC 8058: the mail client's own "unsubscribe" button, one click, a POST.
    first = saved_searches[0]
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(first)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _subscriptions_context(saved_searches):
    return [
        {"search": s, "summary": summary(s), "unsubscribe_url": unsubscribe_url(s)} for s in saved_searches
    ]


def notice_published(notice, project, skip_suppliers=()):
    """Deliver a just published notice to the subscriptions it matches (in the publishing transaction).
    ``skip_suppliers``: supplier pks already emailed about this notice (as downloaders).

    Each supplier is told of a notice once: by the downloaders' email, else by an immediate alert,
    else in the next digest. Every matching subscription gets its row (the notice has reached it);
    only the daily rows of a supplier not told otherwise wait, unsent, for the digest."""
    from cms.procurement.models import SavedSearch, SavedSearchDelivery

    if notice.notice_type not in ALERT_TYPES:
        return {"immediate": 0, "daily": 0}
    searches = matching(notice, project)
    now = timezone.now()
    immediate = {}
    for search in searches:
        if search.frequency == SavedSearch.Frequency.IMMEDIATE and search.supplier.pk not in skip_suppliers:
            immediate.setdefault(search.supplier, []).append(search)
    told = set(skip_suppliers) | {supplier.pk for supplier in immediate}
    SavedSearchDelivery.objects.bulk_create(
        [
            SavedSearchDelivery(
                saved_search=s,
                notice=notice,
                sent_at=now if s.supplier_id in told else None,
            )
            for s in searches
        ],
        ignore_conflicts=True,
    )
    context = {
        "notice": notice,
        "project": project,
        "notice_url": notify.absolute(notice.url),
        "budget": notify.money(project.budget),
        "site_url": notify.site_url(),
        "manage_url": notify.absolute(reverse("procurement:subscriptions")),
    }
    subject = f"{notify.SUBJECT_PREFIX}订阅提醒：{notice.notice_type_label} {project.title}"
    for supplier, subscribed in immediate.items():
        body = render_to_string(
            "procurement/suppliers/email/alert.txt",
            context | {"supplier": supplier, "subscriptions": _subscriptions_context(subscribed)},
        )
        notify.queue(supplier.email, subject, body, project.project_number, headers=_headers(subscribed))
    waiting = {s.supplier_id for s in searches if s.supplier_id not in told}
    return {"immediate": len(immediate), "daily": len(waiting)}


# --- the daily digest ------------------------------------------------------------------------


def digest_cutoff(now=None):
    """The latest digest time at or before ``now`` (today's, or yesterday's before the hour)."""
    now = timezone.localtime(now or timezone.now())
    hour = getattr(settings, "PROCUREMENT_DIGEST_HOUR", DEFAULT_DIGEST_HOUR)
    cutoff = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return cutoff if cutoff <= now else cutoff - datetime.timedelta(days=1)


def pending():
    from cms.procurement.models import SavedSearchDelivery

    return SavedSearchDelivery.objects.filter(
        sent_at__isnull=True,
        saved_search__frequency="daily",
        saved_search__supplier__email_verified_at__isnull=False,
        saved_search__supplier__user__is_active=True,
    )


def due_suppliers(now=None, everything=False):
    """Suppliers with a pending delivery queued before the last digest time (or any, ``everything``)."""
    waiting = pending()
    if not everything:
        waiting = waiting.filter(queued_at__lt=digest_cutoff(now))
    return list(waiting.values_list("saved_search__supplier_id", flat=True).distinct().order_by())


def send_digest(supplier_id, now=None):
    """Queue one digest email for the supplier's pending deliveries; returns the number of notices."""
    from cms.procurement.models import NoticePage, SavedSearch, SavedSearchDelivery, Supplier

    now = now or timezone.now()
    with transaction.atomic():
        # Locked and re-read: two senders at once cannot both take the same rows (PostgreSQL).
        rows = list(
            pending()
            .filter(saved_search__supplier_id=supplier_id)
            .select_for_update(of=("self",))
            .select_related("saved_search__buyer")
            .order_by("queued_at", "pk")
        )
        if not rows:
            return 0
        live = NoticePage.objects.live().public().filter(pk__in={r.notice_id for r in rows}).specific()
        notices = {n.pk: n for n in live}
        # A notice withdrawn since it was queued is dropped, not announced.
        gone = [r.pk for r in rows if r.notice_id not in notices]
        rows = [r for r in rows if r.notice_id in notices]
        SavedSearchDelivery.objects.filter(pk__in=gone).delete()
        if not rows:
            return 0
        supplier = Supplier.objects.get(pk=supplier_id)
        searches = {row.saved_search_id: row.saved_search for row in rows}
        items = []
        for notice_id in dict.fromkeys(row.notice_id for row in rows):  # each notice once, oldest first
            notice = notices[notice_id]
            project = notice.project()
            items.append(
                {
                    "notice": notice,
                    "project": project,
                    "url": notify.absolute(notice.url),
                    "budget": notify.money(project.budget),
                }
            )
        subscribed = sorted(searches.values(), key=lambda s: s.pk)
        context = {
            "supplier": supplier,
            "items": items,
            "date": timezone.localdate(now),
            "subscriptions": _subscriptions_context(subscribed),
            "site_url": notify.site_url(),
            "manage_url": notify.absolute(reverse("procurement:subscriptions")),
        }
        body = render_to_string("procurement/suppliers/email/digest.txt", context)
        subject = (
            f"{notify.SUBJECT_PREFIX}订阅汇总：{len(items)}条新公告（{timezone.localdate(now):%Y-%m-%d}）"
        )
        notify.queue(
            supplier.email, subject, body, notify.supplier_label(supplier), headers=_headers(subscribed)
        )
        SavedSearchDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=now)
        SavedSearch.objects.filter(pk__in=searches).update(last_digest_at=now)
    return len(items)


def send_digests(now=None, everything=False):
    """One digest per due supplier; returns ``{"digests": n, "notices": n}``."""
    digests = notices = 0
    for supplier_id in due_suppliers(now, everything):
        sent = send_digest(supplier_id, now)
        if sent:
            digests += 1
            notices += sent
    return {"digests": digests, "notices": notices}
