"""Set up editing and review for department folders: groups, collection, workflow."""

from django.db import transaction

from .groups import Changes, ensure_department_groups, ensure_site_admin_group
from .workflows import ensure_department_workflow


@transaction.atomic
def setup_department(folder):
    """Everything one DisclosureDepartmentPage needs. Idempotent; returns the ``Changes``."""
    department = folder.department
    groups = ensure_department_groups(department, folder)
    _, workflow_changes = ensure_department_workflow(department, folder, groups.reviewers)
    changes = groups.changes
    changes.extend(workflow_changes)
    return changes


def setup_all():
    """The site administrators' group, then every department folder. Yields ``(label, changes)``."""
    from cms.disclosure.models import DisclosureDepartmentPage

    _, changes = ensure_site_admin_group()
    yield "网站管理员", changes
    folders = DisclosureDepartmentPage.objects.select_related("department").order_by("path")
    for folder in folders:
        yield folder.department.name, setup_department(folder)


__all__ = ["Changes", "setup_all", "setup_department"]
