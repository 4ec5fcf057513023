"""Casework in the Wagtail admin: the 办件管理 menu (queues, case pages, dashboard, working-day calendar)
and, on the admin's home page, a panel with today's workload."""

from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.casework import dashboard, permissions
from cms.casework.admin.kinds import APPLICATIONS, REQUESTS
from cms.casework.admin.viewsets import CaseworkViewSetGroup


@hooks.register("register_admin_viewset")
def register_casework_viewsets():
    return CaseworkViewSetGroup()


class WorkloadPanel(Component):
    """Due soon, overdue, waiting and unassigned cases of the departments the user may see."""

    name = "casework_workload"
    template_name = "casework/admin/home_panel.html"
    order = 50  # above Wagtail's own panels: deadlines come first

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        today = timezone.localdate()
        rows = []
        for kind in (APPLICATIONS, REQUESTS):
            if not permissions.may_open(user, kind.model):
                continue
            cases = permissions.visible_cases(user, kind.model)
            queue = reverse(f"{kind.url_namespace}:index")
            rows.append(
                {
                    "kind": kind,
                    "queue": queue,
                    "due_soon": dashboard.due_soon(cases, today).count(),
                    "overdue": dashboard.overdue(cases, today).count(),
                    "stopped": dashboard.clock_stopped(cases).count(),
                    "unassigned": cases.exclude(state__in=kind.model.flow.final_states)
                    .filter(assignee__isnull=True)
                    .count(),
                }
            )
        return {"rows": rows, "due_soon_days": dashboard.DUE_SOON_WORKDAYS}


@hooks.register("construct_homepage_panels")
def add_workload_panel(request, panels):
    if permissions.sees_dashboard(request.user):
        panels.append(WorkloadPanel())
