"""The queues (办件队列): a department's applications or disclosure requests, open ones first by deadline.

Officers see their own department's cases; supervisors and site administrators every department's, with
a department filter. Personal data is masked in every list (only the case page shows it in full, and only
to the handling department)."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from cms.casework import dashboard, permissions
from cms.casework.export import cases_csv
from cms.core.models import Department

DEADLINE_CHOICES = [
    ("open", "办理中"),
    ("due_soon", f"{dashboard.DUE_SOON_WORKDAYS}个工作日内到期"),
    ("overdue", "已超期"),
    ("stopped", "暂停计时（待补正/征求意见）"),
    ("closed", "已办结"),
]
MINE, UNASSIGNED = "me", "none"


class QueueFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label="办理部门", queryset=Department.objects.none(), empty_label="全部"
    )
    state = django_filters.ChoiceFilter(
        label="状态", choices=[], widget=forms.RadioSelect, empty_label="全部"
    )
    deadline = django_filters.ChoiceFilter(
        label="期限",
        choices=DEADLINE_CHOICES,
        method="filter_deadline",
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    assignee = django_filters.ChoiceFilter(
        label="承办人", choices=[], method="filter_assignee", empty_label="全部"
    )

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.user = kind, user
        model = kind.model
        ids = permissions.visible_department_ids(user, model)
        departments = Department.objects.all() if ids is None else Department.objects.filter(pk__in=ids)
        if departments.count() > 1:
            self.filters["department"].queryset = departments
        else:
            del self.filters["department"]
        self.filters["state"].extra["choices"] = kind.states
        assignees = [(MINE, "我承办的"), (UNASSIGNED, "未分配")]
        for department in departments if departments.count() <= 5 else []:
            assignees += [
                (str(user.pk), user.get_full_name() or user.get_username())
                for user in permissions.officers_of(department)
            ]
        self.filters["assignee"].extra["choices"] = list(dict(assignees).items())

    def filter_deadline(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.exclude(state__in=queryset.model.flow.final_states)
        if value == "closed":
            return queryset.filter(state__in=queryset.model.flow.final_states)
        if value == "due_soon":
            return dashboard.due_soon(queryset, today)
        if value == "overdue":
            return dashboard.overdue(queryset, today)
        if value == "stopped":
            return dashboard.clock_stopped(queryset)
        return queryset

    def filter_assignee(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(assignee=self.user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value)


class CaseAccessMixin:
    """Every view of a kind: no queue, no entry (the menu item is hidden as well)."""

    kind = None

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_open(request.user, self.kind.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def case_url(self, case, name="case"):
        return reverse(f"{self.kind.url_namespace}:{name}", args=[case.pk])


class ApplicantColumn(Column):
    cell_template_name = "casework/admin/cells/applicant.html"


class StateColumn(Column):
    cell_template_name = "casework/admin/cells/state.html"


class DeadlineColumn(Column):
    cell_template_name = "casework/admin/cells/deadline.html"


def assignee_name(case):
    user = case.assignee
    return (user.get_full_name() or user.get_username()) if user else "未分配"


class QueueView(CaseAccessMixin, BaseListingView):
    results_only = False
    paginate_by = 30
    is_searchable = True
    search_fields = ["tracking_number"]
    search_backend_name = None
    default_ordering = None

    def get_page_title(self):
        return self.kind.menu_label

    @cached_property
    def sees_all(self):
        return permissions.sees_all(self.request.user, self.kind.model)

    def get_page_subtitle(self):
        if self.sees_all:
            return "全部部门（只读）"
        names = Department.objects.filter(
            pk__in=permissions.handled_department_ids(self.request.user, self.kind.model)
        ).values_list("name", flat=True)
        return "、".join(names)

    def get_index_url(self):
        return reverse(f"{self.kind.url_namespace}:index")

    def get_index_results_url(self):
        return reverse(f"{self.kind.url_namespace}:index_results")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "tracking_number",
                label="受理编号",
                get_url=self.case_url,
                sort_key="submitted_at",
            ),
            Column("subject", label=self.kind.subject_label, accessor=self.kind.subject),
            Column("department", label="办理部门", accessor="department.name"),
            ApplicantColumn("applicant", label="申请人"),
            StateColumn("state", label="状态", sort_key="state"),
            DeadlineColumn("due_on", label="办理期限", sort_key="due_on"),
            Column("assignee", label="承办人", accessor=assignee_name),
        ]

    def get_filterset_kwargs(self):
        return {
            **super().get_filterset_kwargs(),
            "queryset": self.kind.model.objects.none(),  # Wagtail filters its own queryset
            "kind": self.kind,
            "user": self.request.user,
        }

    @property
    def filterset_class(self):
        return QueueFilterSet

    def get_base_queryset(self):
        return permissions.visible_cases(self.request.user, self.kind.model).select_related(
            "department", "assignee"
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset).order_by(self.ordering, "-pk")
        # The work first: open cases by deadline, then the closed ones, newest first.
        closed = Case(
            When(state__in=self.kind.model.flow.final_states, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return queryset.annotate(_closed=closed).order_by(
            "_closed", F("due_on").asc(nulls_last=True), "-submitted_at", "-pk"
        )

    def get_header_buttons(self):
        query = self.request.GET.copy()
        for key in (self.page_kwarg, "_w_filter_fragment"):
            query.pop(key, None)
        url = reverse(f"{self.kind.url_namespace}:export") + (f"?{query.urlencode()}" if query else "")
        return [HeaderButton("导出 CSV", url=url, icon_name="download")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context

    def get_template_names(self):
        if self.results_only:
            return ["casework/admin/queue_results.html"]
        return ["casework/admin/queue.html"]

    @property
    def results_template_name(self):
        return "casework/admin/queue_results.html"


class QueueExportView(QueueView):
    """The queue as filtered on screen, as CSV (masked personal data)."""

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        stamp = timezone.localdate().strftime("%Y%m%d")
        return cases_csv(
            queryset,
            subject_label=self.kind.subject_label,
            subject=self.kind.subject,
            filename=f"{self.kind.label}清单-{stamp}.csv",
        )
