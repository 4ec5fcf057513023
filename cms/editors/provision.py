"""Set up a department's editing, review and casework: groups, collection, workflow.

A department has up to three folders: its disclosure folder (``DisclosureDepartmentPage``, /xxgk/<slug>/),
its service-guide folder (``ServiceDepartmentPage``, /zwfw/<slug>/) and its procurement folder
(``ProcurementDepartmentPage``, /zfcg/<slug>/). All get the same editors, reviewers and review workflow;
whichever is created first also creates the officers' group."""

from django.db import transaction

from .groups import Changes, ensure_department_groups, ensure_site_admin_group, ensure_supervisor_group
from .workflows import ensure_department_workflow


def department_folders(department):
    """The department's folders that exist, disclosure first."""
    from cms.disclosure.models import DisclosureDepartmentPage
    from cms.procurement.models import ProcurementDepartmentPage
    from cms.services.models import ServiceDepartmentPage

    return [
        folder
        for model in (DisclosureDepartmentPage, ServiceDepartmentPage, ProcurementDepartmentPage)
        for folder in model.objects.filter(department=department)
    ]


@transaction.atomic
def setup_department(folder):
    """Everything the department of ``folder`` (either kind) needs. Idempotent; returns the ``Changes``."""
    department = folder.department
    folders = department_folders(department)
    groups = ensure_department_groups(department, folders)
    _, workflow_changes = ensure_department_workflow(department, folders, groups.reviewers)
    changes = groups.changes
    changes.extend(workflow_changes)
    return changes


def setup_all():
    """The site administrators' and supervisors' groups, then every department with a folder.
    Yields ``(label, changes)``."""
    from cms.core.models import Department
    from cms.disclosure.models import DisclosureDepartmentPage
    from cms.procurement.models import ProcurementDepartmentPage
    from cms.services.models import ServiceDepartmentPage

    _, changes = ensure_site_admin_group()
    yield "网站管理员", changes
    _, changes = ensure_supervisor_group()
    yield "效能监察", changes
    with_folders = Department.objects.filter(
        pk__in=DisclosureDepartmentPage.objects.values("department")
    ) | Department.objects.filter(pk__in=ServiceDepartmentPage.objects.values("department"))
    with_folders |= Department.objects.filter(pk__in=ProcurementDepartmentPage.objects.values("department"))
    for department in with_folders.distinct().order_by("sort_order", "name"):
        yield department.name, setup_department(department_folders(department)[0])


__all__ = ["Changes", "setup_all", "setup_department"]
