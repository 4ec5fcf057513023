"""iCalendar file of bid deadlines and openings for any filter of the list: /zfcg/deadlines.ics?category=...

One VEVENT per project for the bid deadline (投标截止) and one for the opening (开标). Their UIDs never
change (``<project number>-deadline@zfcg.jiyuan.gov.cn``) and their SEQUENCE counts the live corrections
that moved them, so a subscribed calendar moves the event instead of adding a second one; a terminated
project's events stay, cancelled. Deadlines of the last 7 days stay too, so a subscription does not drop
an event the moment it passes. At most 500 projects, the earliest deadlines first. Times carry
TZID=Asia/Shanghai with its VTIMEZONE.
"""

import datetime
import zoneinfo

from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from cms.procurement.choices import Method
from cms.procurement.models import CorrectionNotice
from cms.procurement.templatetags.procurement_tags import wan

from .filters import FilterError
from .scope import matching_projects, with_parent_path

UID_DOMAIN = "zfcg.jiyuan.gov.cn"
RECENT = datetime.timedelta(days=7)
MAX_PROJECTS = 500
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
OPENING_LENGTH = datetime.timedelta(hours=1)


def shanghai_timezone():
    """China has kept UTC+8 without daylight saving since 1991: one STANDARD rule is the whole zone."""
    zone = Timezone()
    zone.add("tzid", "Asia/Shanghai")
    zone.add("x-lic-location", "Asia/Shanghai")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", datetime.timedelta(hours=8))
    standard.add("tzoffsetto", datetime.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def moves_by_project(projects):
    """{project path: (corrections that moved the deadline, corrections that moved the opening)}."""
    rows = (
        with_parent_path(CorrectionNotice.objects.live())
        .filter(parent_path__in=[project.path for project in projects])
        .order_by()
        .values("parent_path")
        .annotate(
            deadline=Count("pk", filter=Q(new_bid_deadline__isnull=False)),
            opening=Count("pk", filter=Q(new_opening_at__isnull=False) | ~Q(new_opening_place="")),
        )
    )
    return {row["parent_path"]: (row["deadline"], row["opening"]) for row in rows}


def _event(project, kind, start, sequence, url, stamp, methods):
    event = Event()
    event.add("uid", f"{project.project_number}-{kind}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", timezone.localtime(start, SHANGHAI))
    if kind == "opening":
        event.add("dtend", timezone.localtime(start + OPENING_LENGTH, SHANGHAI))
    what = "投标截止" if kind == "deadline" else "开标"
    event.add("summary", f"【{what}】{project.title}")
    details = [
        f"项目编号：{project.project_number}",
        f"采购人：{project.buyer_name}",
        f"采购方式：{methods.get(project.method, project.method)}",
        f"预算金额：{wan(project.budget)}",
    ]
    if url:
        details.append(f"项目详情：{url}")
    if project.terminated_at:
        details.insert(0, "本项目已终止采购。")
    event.add("description", "\n".join(details))
    if url:  # None for a page outside every site's tree
        event.add("url", url)
    if project.opening_place:
        event.add("location", project.opening_place)
    event.add("categories", ["政府采购", what])
    event.add("status", "CANCELLED" if project.terminated_at else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if project.last_published_at:
        event.add("last-modified", project.last_published_at)
    if kind == "deadline" and not project.terminated_at and start > stamp:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"明天投标截止：{project.title}")
        alarm.add("trigger", datetime.timedelta(days=-1))
        event.add_component(alarm)
    return event


def deadlines_calendar(request):
    now = timezone.now()
    try:
        index, filters, projects = matching_projects(request, now)
    except FilterError as error:
        return HttpResponseBadRequest(f"筛选条件有误：{error}", content_type="text/plain; charset=utf-8")
    projects = list(
        projects.filter(bid_deadline__gte=now - RECENT)
        .select_related("buyer")
        .order_by("bid_deadline", "pk")[:MAX_PROJECTS]
    )
    moves = moves_by_project(projects)
    methods = {value: str(label) for value, label in Method.choices}  # translated once, not per event
    words = "、".join(filters.describe())
    calendar = Calendar()
    calendar.add("prodid", "-//济源市人民政府//政府采购投标截止与开标//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{index.title}投标截止与开标" + (f"（{words}）" if words else ""))
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(shanghai_timezone())
    for project in projects:
        url = project.get_full_url(request)
        deadline_moves, opening_moves = moves.get(project.path, (0, 0))
        cancelled = 1 if project.terminated_at else 0
        calendar.add_component(
            _event(project, "deadline", project.bid_deadline, deadline_moves + cancelled, url, now, methods)
        )
        if project.opening_at:
            calendar.add_component(
                _event(project, "opening", project.opening_at, opening_moves + cancelled, url, now, methods)
            )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zfcg-deadlines.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
