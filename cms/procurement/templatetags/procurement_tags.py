"""Template helpers of the procurement pages (themes/<name>/templates/procurement/).

{% load procurement_tags %}
    {{ project.budget|wan }}                      -> "120.00万元"
    {{ project.budget|yuan }}                     -> "1,200,000.00元"
    {% countdown project.bid_deadline "deadline" now %}   -> <time> + "距投标截止还有12天3小时" / "已截止"
    {% status_badge project now %}                -> the status as a labelled badge (text, not colour alone)
    {% project_details page as details %}         -> timeline, documents, award, termination (details.py)
    {% download_url version %}                    -> /zfcg/supplier/download/<id>/
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.procurement.choices import Status

register = template.Library()

CENT = Decimal("0.01")

# kind → (before: "距…还有", after)
COUNTDOWN_WORDS = {
    "deadline": (gettext_lazy("距投标截止还有"), gettext_lazy("已截止")),
    "opening": (gettext_lazy("距开标还有"), gettext_lazy("已开标")),
    "documents": (gettext_lazy("距获取文件截止还有"), gettext_lazy("文件获取已截止")),
}


@register.filter
def wan(amount):
    """An amount in 元 as 万元 with two decimals, e.g. 1200000 → "120.00万元" (the unit notices use)."""
    if amount in (None, ""):
        return "—"
    value = (Decimal(amount) / 10000).quantize(CENT, rounding=ROUND_HALF_UP)
    return _("%(amount)s万元") % {"amount": f"{value:f}"}


@register.filter
def yuan(amount):
    """An exact amount in 元 with thousands separators, e.g. "1,200,000.00元"."""
    if amount in (None, ""):
        return "—"
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return _("%(amount)s元") % {"amount": f"{value:,.2f}"}


def remaining(delta):
    """A time left in words: "12天3小时", "3小时20分钟", "45分钟", "不足1分钟" (rounded down)."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days and hours:
        return _("%(days)d天%(hours)d小时") % {"days": days, "hours": hours}
    if days:
        return _("%(days)d天") % {"days": days}
    if hours and minutes:
        return _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d小时") % {"hours": hours}
    if minutes:
        return _("%(minutes)d分钟") % {"minutes": minutes}
    return _("不足1分钟")


def countdown_text(target, now, kind="deadline"):
    before, after = COUNTDOWN_WORDS[kind]
    if target is None:
        return ""
    if target <= now:
        return str(after)
    return f"{before}{remaining(target - now)}"


@register.inclusion_tag("procurement/includes/countdown.html")
def countdown(target, kind="deadline", now=None, label=""):
    """The moment (``<time datetime>``, Beijing time) and the time left as server-rendered text; the page's
    script (js/procurement-countdown.js) refreshes the text every minute when JavaScript runs."""
    now = now or timezone.now()
    before, after = COUNTDOWN_WORDS[kind]
    return {
        "target": target,
        "local": timezone.localtime(target) if target else None,
        "text": countdown_text(target, now, kind),
        "passed": target is not None and target <= now,
        "soon": target is not None and now < target <= now + datetime.timedelta(hours=72),
        "kind": kind,
        "label": label,
        "before": str(before),
        "after": str(after),
    }


def status_value(project, now=None):
    value = getattr(project, "current_status", None)
    return value or project.status(now or timezone.now())


@register.inclusion_tag("procurement/includes/status_badge.html")
def status_badge(project, now=None, announce=True):
    """``announce=False`` where a visible "项目状态" label already precedes it."""
    value = status_value(project, now)
    return {"value": value, "label": Status(value).label, "announce": announce}


@register.simple_tag
def current_time():
    """One moment for the whole page, so every badge and countdown on it agrees."""
    return timezone.now()


@register.simple_tag
def project_status(project, now=None):
    """The status value ("open", "closing"...) for conditions in templates."""
    return status_value(project, now)


@register.simple_tag
def project_details(project):
    from cms.procurement.public.details import project_details as details

    return details(project)


@register.simple_tag
def notice_documents(notice):
    from cms.procurement.public.details import documents_of

    return documents_of([notice])


@register.simple_tag
def award_rows(award, project):
    from cms.procurement.public.details import awarded_lots

    return awarded_lots(award, project)


@register.simple_tag
def notice_changes(notice):
    """What a correction changed, from the value in force before it (the project's earlier live notices)."""
    from cms.procurement.public.details import live_notices, timeline

    project = notice.project()
    if project is None:
        return []
    notices = [n for n in live_notices(project) if n.pk != notice.pk and n.first_published_at]
    earlier = [n for n in notices if n.first_published_at <= (notice.first_published_at or timezone.now())]
    return timeline([*earlier, notice])[-1].changes


@register.simple_tag
def download_url(version):
    """The supplier download of a version (built by the suppliers' part; the address is fixed)."""
    try:
        return reverse("procurement:download", kwargs={"version_id": version.pk})
    except NoReverseMatch:
        return f"/zfcg/supplier/download/{version.pk}/"


@register.simple_tag
def optional_url(name):
    """The address of a URL name that another part of the site may not provide yet ("" then)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.simple_tag
def verify_url():
    try:
        return reverse("procurement:verify")
    except NoReverseMatch:
        return "/zfcg/verify/"


@register.simple_tag
def ocds_record_url(project):
    """The project's OCDS record package under /api/."""
    from cms.procurement.ocds.builder import ocid_for

    return reverse("portal_api:ocds_record_package", args=[ocid_for(project)])
