"""The 办件管理 menu: a queue per kind of case, the dashboard and the working-day calendar."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from cms.casework import permissions

from . import case, queues, reports
from .calendar import CalendarOverrideViewSet
from .kinds import APPLICATIONS, REQUESTS


class ShownTo(MenuItem):
    """A menu item shown only to users for whom ``test(user)`` holds."""

    def __init__(self, *args, test, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


class CaseViewSet(ViewSet):
    """Queue, results fragment, CSV, case page, actions and downloads of one kind of case."""

    kind = None

    def __init__(self, kind, **kwargs):
        super().__init__(kind.url_namespace, kind=kind, **kwargs)

    @property
    def url_prefix(self):
        return f"casework/{self.kind.key}"

    @property
    def icon(self):
        return self.kind.icon

    @property
    def menu_label(self):
        return self.kind.menu_label

    def get_menu_item(self, order=None):
        return ShownTo(
            label=self.menu_label,
            url=self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            test=lambda user: permissions.may_open(user, self.kind.model),
        )

    def view(self, view_class, **kwargs):
        return view_class.as_view(kind=self.kind, **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.view(queues.QueueView), name="index"),
            path("results/", self.view(queues.QueueView, results_only=True), name="index_results"),
            path("export/", self.view(queues.QueueExportView), name="export"),
            path("<int:pk>/", self.view(case.CaseView), name="case"),
            path("<int:pk>/act/<slug:action>/", self.view(case.ActionView), name="act"),
            path("<int:pk>/files/<int:item>/", self.view(case.MaterialDownloadView), name="file"),
            path(
                "<int:pk>/history/<int:item>/attachment/",
                self.view(case.AttachmentDownloadView),
                name="attachment",
            ),
        ]


class DashboardViewSet(ViewSet):
    name = "casework_dashboard"
    url_prefix = "casework/dashboard"
    icon = "table"
    menu_label = "办件统计"

    def get_menu_item(self, order=None):
        return ShownTo(
            label=self.menu_label,
            url=self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            test=permissions.sees_dashboard,
        )

    def get_urlpatterns(self):
        return [
            path("", reports.DashboardView.as_view(), name="index"),
            path("export/", reports.DashboardExportView.as_view(), name="export"),
        ]


class CaseworkViewSetGroup(ViewSetGroup):
    menu_label = "办件管理"
    menu_icon = "tasks"
    menu_order = 250
    items = (
        CaseViewSet(APPLICATIONS),
        CaseViewSet(REQUESTS),
        DashboardViewSet(),
        CalendarOverrideViewSet(),
    )
