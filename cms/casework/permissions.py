"""Who may see and act on which case (least privilege).

* Officers (``<简称>承办``, with the model's ``handle`` permission) see their own department's cases, act
  on them and see the applicant's personal data in full.
* Supervisors (``效能监察``), site administrators and superusers hold the model's ``view`` permission: every
  department's cases, read-only, with personal data masked, and the dashboards.
* Nobody else sees a case. A case outside a user's reach is "not found" (404), not "forbidden": whether
  another department has such a case is none of their business.

Department membership is cached on the user object for the request, like Django's permission cache.
"""

from django.http import Http404

from cms.editors.groups import officer_departments


def _perm(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def handle_permission(model):
    return _perm(model, "handle")


def view_permission(model):
    return _perm(model, "view")


def sees_all(user, model):
    """Every department's cases, read-only (supervisors, site administrators, superusers)."""
    return user.is_active and user.has_perm(view_permission(model))


def handled_department_ids(user, model):
    """The departments whose cases of ``model`` the user handles (empty without the permission)."""
    if not user.is_active or not user.has_perm(handle_permission(model)):
        return frozenset()
    if not hasattr(user, "_casework_officer_departments"):
        user._casework_officer_departments = frozenset(officer_departments(user).values_list("pk", flat=True))
    return user._casework_officer_departments


def may_open(user, model):
    """Whether the user has a queue of ``model`` at all."""
    return sees_all(user, model) or bool(handled_department_ids(user, model))


def visible_cases(user, model):
    queryset = model.objects.all()
    if sees_all(user, model):
        return queryset
    ids = handled_department_ids(user, model)
    return queryset.filter(department__in=ids) if ids else queryset.none()


def visible_department_ids(user, model):
    """``None`` for every department, else the set the user's queue is limited to."""
    return None if sees_all(user, model) else handled_department_ids(user, model)


def can_act(user, case):
    """Transitions, assignment, full personal data and file downloads: the handling department only."""
    return case.department_id in handled_department_ids(user, type(case))


def get_case_or_404(user, model, pk):
    try:
        return visible_cases(user, model).select_related("department", "assignee").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该办件") from None


def sees_dashboard(user):
    from cms.applications.models import Application
    from cms.disclosure_requests.models import DisclosureRequest

    return may_open(user, Application) or may_open(user, DisclosureRequest)


def officers_of(department):
    """The active members of the department's officers' group: whom a case can be assigned to."""
    from django.contrib.auth import get_user_model

    from cms.editors.groups import officers_group_name

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=officers_group_name(department))
        .distinct()
        .order_by("first_name", "username")
    )
