"""The casework dashboard (办件统计) and its CSV export: today's workload and a period's figures, for the
departments the user may see (officers their own; supervisors and site administrators all)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.casework import dashboard, permissions
from cms.casework.export import figures_csv
from cms.core.models import Department

from .kinds import APPLICATIONS, REQUESTS

URGENT_LIST = 10  # cases listed under "overdue" and "due soon"


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "casework/admin/dashboard.html"
    page_title = "办件统计"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.sees_dashboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    @cached_property
    def period(self):
        return dashboard.Period.parse(self.request.GET.get("start"), self.request.GET.get("end"))

    @cached_property
    def kinds(self):
        return [
            kind for kind in (APPLICATIONS, REQUESTS) if permissions.may_open(self.request.user, kind.model)
        ]

    @cached_property
    def departments(self):
        ids = set()
        for kind in self.kinds:
            visible = permissions.visible_department_ids(self.request.user, kind.model)
            if visible is None:
                return Department.objects.all()
            ids |= visible
        return Department.objects.filter(pk__in=ids)

    @cached_property
    def department(self):
        value = self.request.GET.get("department", "")
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return self.departments.filter(pk=value).first()
        return None

    def scope(self, kind):
        queryset = permissions.visible_cases(self.request.user, kind.model)
        if self.department is not None:
            queryset = queryset.filter(department=self.department)
        return queryset

    def sections(self, today):
        """Per kind: ``(kind, now figures, [(label, figures), ...], extra)``."""
        period = self.period[0]
        result = []
        for kind in self.kinds:
            cases = self.scope(kind)
            received = dashboard.submitted_in(cases, period)
            tables = [("按部门", dashboard.by_department(received, today))]
            if kind is APPLICATIONS:
                tables.append(("按事项", dashboard.by_service(received, today)))
            result.append(
                {
                    "kind": kind,
                    "queue_url": reverse(f"{kind.url_namespace}:index"),
                    "due_soon": dashboard.due_soon(cases, today).select_related("department"),
                    "overdue": dashboard.overdue(cases, today).select_related("department"),
                    "stopped": dashboard.clock_stopped(cases).count(),
                    "totals": dashboard.totals(received, today),
                    "tables": tables,
                    "reply_kinds": dashboard.by_reply_kind(received) if kind is REQUESTS else [],
                }
            )
        for section in result:
            for key in ("due_soon", "overdue"):
                queryset = section[key].order_by("due_on", "pk")
                section[f"{key}_count"] = queryset.count()
                section[key] = list(queryset[:URGENT_LIST])
        return result

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        period, error = self.period
        context.update(
            {
                "period": period,
                "period_error": error,
                "sections": self.sections(today),
                "departments": self.departments if self.departments.count() > 1 else None,
                "department": self.department,
                "due_soon_days": dashboard.DUE_SOON_WORKDAYS,
                "export_url": reverse("casework_dashboard:export") + "?" + self.request.GET.urlencode(),
                "today": today,
            }
        )
        return context


class DashboardExportView(DashboardView):
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        period = self.period[0]
        sections = []
        for kind in self.kinds:
            received = dashboard.submitted_in(self.scope(kind), period)
            sections.append((f"{kind.label}·按部门", dashboard.by_department(received, today)))
            if kind is APPLICATIONS:
                sections.append((f"{kind.label}·按事项", dashboard.by_service(received, today)))
            sections.append((f"{kind.label}·合计", [dashboard.totals(received, today)]))
        filename = f"办件统计-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
        return figures_csv(sections, period, filename)
