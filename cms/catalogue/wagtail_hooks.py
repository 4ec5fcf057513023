"""The catalogue in the Wagtail admin: menu group 政务信息资源目录 with 信息资源 and 资源分类.

Department editors and reviewers work on their own department's resources only (see
``permissions.py``); the classification is for site administrators.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from cms.core.models import Department
from cms.editors.groups import departments_of

from .choices import CatalogueKind, Openness, Sharing
from .models import Resource, ResourceClass
from .permissions import (
    OwnDepartmentObjectMixin,
    ResourceClassForm,
    ResourceForm,
    ResourcePermissionPolicy,
)

# Before any view asks for Resource's policy: otherwise Wagtail creates the plain model-level one.
register_permission_policy(Resource, ResourcePermissionPolicy(Resource))


# --- 信息资源 ------------------------------------------------------------------------------------


def _departments(request):
    return departments_of(request.user) if request else Department.objects.none()


class ResourceFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label="资源提供方",
        # Only the departments the user works for: the others' resources are not listed anyway.
        queryset=_departments,
        empty_label="全部",
    )
    catalogue = django_filters.ChoiceFilter(
        label="目录类别",
        choices=CatalogueKind.choices,
        method="filter_catalogue",
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    sharing = django_filters.ChoiceFilter(
        label="共享属性", choices=Sharing.choices, widget=forms.RadioSelect, empty_label="全部"
    )
    openness = django_filters.ChoiceFilter(
        label="开放属性", choices=Openness.choices, widget=forms.RadioSelect, empty_label="全部"
    )

    class Meta:
        model = Resource
        fields = ["department", "catalogue", "sharing", "openness"]

    def filter_catalogue(self, queryset, name, value):
        # The catalogue (基础/主题/部门) is the first digit of the resource code.
        return queryset.filter(code__startswith=value)


class ResourceIndexView(generic.IndexView):
    def get_base_queryset(self):
        policy = self.permission_policy
        return policy.instances_user_has_any_permission_for(
            self.request.user, self.any_permission_required
        ).select_related("department")


class ResourceEditView(OwnDepartmentObjectMixin, generic.EditView):
    pass


class ResourceDeleteView(OwnDepartmentObjectMixin, generic.DeleteView):
    pass


class ResourceHistoryView(OwnDepartmentObjectMixin, history.HistoryView):
    pass


class ResourceUsageView(OwnDepartmentObjectMixin, usage.UsageView):
    pass


class ResourceViewSet(ModelViewSet):
    model = Resource
    name = "catalogue_resources"
    url_prefix = "catalogue/resources"
    icon = "table"
    menu_label = "信息资源"
    menu_order = 100
    index_view_class = ResourceIndexView
    edit_view_class = ResourceEditView
    delete_view_class = ResourceDeleteView
    history_view_class = ResourceHistoryView
    usage_view_class = ResourceUsageView
    # A copy would carry over the unique resource code; new resources start from an empty form.
    copy_view_enabled = False
    list_display = [
        "name",
        "code",
        "department",
        Column("openness", label="开放属性", accessor="get_openness_display", sort_key="openness"),
        "released_on",
    ]
    filterset_class = ResourceFilterSet
    # Plain database "contains" matching: codes like 302001/000015 and Chinese names without
    # depending on the search backend's word segmentation.
    search_fields = ["name", "code"]
    search_backend_name = None
    edit_handler = ObjectList(Resource.panels, base_form_class=ResourceForm)


# --- 资源分类 ------------------------------------------------------------------------------------


class ResourceClassDeleteView(generic.DeleteView):
    """A class still holding sub-classes or resources is protected: say so instead of failing."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, "该分类下还有下级分类或信息资源，不能删除。")
            return redirect(self.get_success_url())


class ResourceClassViewSet(ModelViewSet):
    model = ResourceClass
    name = "catalogue_classes"
    url_prefix = "catalogue/classes"
    icon = "list-ul"
    menu_label = "资源分类"
    menu_order = 200
    delete_view_class = ResourceClassDeleteView
    copy_view_enabled = False
    list_display = ["code", "name", Column("level_name", label="级别"), "parent"]
    search_fields = ["code", "name"]
    list_per_page = 100
    edit_handler = ObjectList([FieldPanel("code"), FieldPanel("name")], base_form_class=ResourceClassForm)


class CatalogueViewSetGroup(ModelViewSetGroup):
    menu_label = "政务信息资源目录"
    menu_icon = "table"
    menu_order = 300
    items = (ResourceViewSet, ResourceClassViewSet)


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueViewSetGroup()
