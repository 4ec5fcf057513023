"""The working-day calendar (工作日历) in the admin: the override table for site administrators and a month
view for everyone in casework.

The State Council announces each year's holidays late in the year before; the ``chinese_calendar`` library
follows with a release. Until it does, the next year's holidays and make-up working days (调休) must be
entered here, or deadlines in that year count weekends only. Saving an override moves the deadlines of the
open cases it affects (``cms.casework.clock.reschedule``, run by the model's signals once committed).
"""

import calendar
import datetime

import chinese_calendar
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from cms.casework import permissions, workdays
from cms.casework.models import CalendarOverride

WEEKDAYS = "一二三四五六日"


def library_warning(today=None):
    """The message to show while the library does not know next year's calendar (else ``""``)."""
    today = today or timezone.localdate()
    next_year = today.year + 1
    if workdays.library_covers(datetime.date(next_year, 1, 1)):
        return ""
    entered = CalendarOverride.objects.filter(date__year=next_year).count()
    first, last = workdays.library_years()
    return (
        f"工作日历库（chinese_calendar）目前只包含 {first}–{last} 年的节假日安排，不含 {next_year} 年。"
        f"在更新该库之前，请依据国务院办公厅发布的 {next_year} 年部分节假日安排通知，"
        f"在此逐日录入 {next_year} 年的法定节假日（放假）和调休上班日，"
        f"否则 {next_year} 年的办理期限只会扣除周末。"
        f"目前已录入 {next_year} 年的调整 {entered} 条。"
    )


class OverrideIndexView(generic.IndexView):
    template_name = "casework/admin/calendar_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["library_warning"] = library_warning()
        context["month_url"] = reverse("casework_calendar:month")
        return context


class CalendarOverrideViewSet(ModelViewSet):
    model = CalendarOverride
    name = "casework_calendar"
    url_prefix = "casework/calendar"
    icon = "date"
    menu_label = "工作日历"
    index_view_class = OverrideIndexView
    copy_view_enabled = False
    form_fields = ["date", "is_workday", "note"]
    list_display = [
        "date",
        Column("weekday", label="星期", accessor=lambda o: f"星期{WEEKDAYS[o.date.weekday()]}"),
        Column("is_workday", label="安排", accessor=lambda o: "上班（调休）" if o.is_workday else "放假"),
        "note",
    ]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    search_backend_name = None
    ordering = ["-date"]
    list_per_page = 100

    def get_urlpatterns(self):
        from django.urls import path

        return super().get_urlpatterns() + [path("month/", MonthView.as_view(), name="month")]


def month_grid(year, month):
    """Weeks of the month as lists of day dicts (``None`` outside the month), Monday first."""
    table = workdays.overrides()
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            covered = workdays.library_covers(day)
            holiday_name = ""
            if covered:
                on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
                holiday_name = workdays.HOLIDAY_NAMES.get(holiday, holiday or "")
            row.append(
                {
                    "date": day,
                    "workday": workdays.is_workday(day, table),
                    "override": table.get(day),
                    "overridden": day in table,
                    "weekend": day.weekday() >= 5,
                    "holiday": holiday_name,
                    "covered": covered,
                }
            )
        weeks.append(row)
    return weeks


class MonthView(WagtailAdminTemplateMixin, TemplateView):
    """Any month's working days: what deadlines count, with the overrides marked."""

    template_name = "casework/admin/calendar_month.html"
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (permissions.sees_dashboard(user) or user.has_perm("casework.view_calendaroverride")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def month(self):
        """``(first day, error)`` from ``?month=YYYY-MM``; this month when absent or unusable."""
        this_month = timezone.localdate().replace(day=1)
        text = self.request.GET.get("month", "")
        if not text:
            return this_month, ""
        try:
            year, month = (int(part) for part in text.split("-"))
            first = datetime.date(year, month, 1)
        except ValueError:
            return this_month, "月份格式应为 年-月，例如 2027-02；已显示本月"
        if not 1900 <= first.year <= 2100:
            return this_month, "只能查看1900年至2100年的月份；已显示本月"
        return first, ""

    def get_page_title(self):
        first = self.month[0]
        return f"工作日历：{first.year}年{first.month}月"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        first, error = self.month
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        weeks = month_grid(first.year, first.month)
        days = [day for week in weeks for day in week if day]
        context.update(
            {
                "first": first,
                "weeks": weeks,
                "weekdays": WEEKDAYS,
                "workday_count": sum(1 for day in days if day["workday"]),
                "previous": previous,
                "following": following,
                "today": today,
                "error": error,
                "covered": all(day["covered"] for day in days),
                "library_warning": library_warning(today),
                "can_edit": self.request.user.has_perm("casework.add_calendaroverride"),
                "overrides_url": reverse("casework_calendar:index"),
            }
        )
        return context
