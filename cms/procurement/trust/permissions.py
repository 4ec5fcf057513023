"""Who may see and replace which tender documents: each department those of its own projects.

The department groups hold the plain model permissions ``procurement.add/change/view_procurementfile``
(``cms.editors.groups``); ``ProcurementFilePermissionPolicy`` narrows them to the files of projects whose
buyer (采购人) is one of the user's departments (``departments_of``). The admin views ask the policy for
their listing and for every file they open, and the forms offer only those projects, so an editor can
neither see, open, replace nor attach another department's document. Site administrators reach all.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from cms.editors.groups import departments_of, editors_group_name, is_site_admin, reviewers_group_name

ANY_ACTION = ("add", "change", "delete", "view")


def department_ids(user):
    """The pks of ``departments_of(user)``, cached on the user object for the request (like Django's own
    permission cache: the next request has a new user object, so a change of groups shows at once)."""
    if not hasattr(user, "_procurement_department_ids"):
        user._procurement_department_ids = frozenset(departments_of(user).values_list("pk", flat=True))
    return user._procurement_department_ids


def projects_of(user):
    """The projects whose documents ``user`` may manage (drafts included: documents come first)."""
    from cms.procurement.models import ProcurementProject

    projects = ProcurementProject.objects.all()
    if is_site_admin(user):
        return projects
    return projects.filter(buyer__in=department_ids(user))


class ProcurementFilePermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the groups, valid only for the files of the user's own projects."""

    def _owns(self, user, pfile):
        if is_site_admin(user):
            return True
        buyer_id = pfile.project.buyer_id if pfile.project_id else None
        return buyer_id is not None and buyer_id in department_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._owns(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if is_site_admin(user):
            return queryset
        return queryset.filter(project__buyer__in=department_ids(user))

    def users_with_any_permission_for_instance(self, actions, instance):
        from cms.core.models import Department

        department = instance.project.buyer
        groups = [editors_group_name(department), reviewers_group_name(department)] if department else []
        site_admins = ModelPermissionPolicy(Department).users_with_permission("change")
        return (
            self.users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(groups__name__in=groups) | Q(pk__in=site_admins.values("pk")))
            .distinct()
        )


class OwnProjectFileMixin:
    """For every admin view that opens one file: another department's file is "not found" (404 rather
    than "permission denied": whether another department has such a document is none of the user's
    business before it is published)."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ANY_ACTION, instance
        ):
            raise Http404("没有找到该采购文件")
        return instance
