"""One review workflow per department: ``<简称>审核流程`` with a single ``<简称>部门审核`` task.

An editor (``<简称>编辑``) saves a draft and chooses "提交审核" (submit for moderation); the
department's reviewers (``<简称>审核``) see it on their dashboard and either approve it (the last task
approved publishes the revision, so the page goes live and a DisclosureDocument gets its 索引号) or
request changes (the page goes back to the editor as a draft, the workflow marked rejected).

Scheduled publishing: if the editor sets 上线时间 (``go_live_at``) in the future, approval does not
publish at once; it marks the approved revision with ``approved_go_live_at`` and Wagtail's
``publish_scheduled`` management command publishes it once that time has passed (and unpublishes
pages whose ``expire_at`` has passed). Nothing in the web process does that: the compose ``scheduler``
service (or cron on a plain host) must run ``python manage.py publish_scheduled`` every minute.
"""

from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from .groups import Changes

WORKFLOW_SUFFIX = "审核流程"
TASK_SUFFIX = "部门审核"


def workflow_name(department):
    return f"{department.display_name}{WORKFLOW_SUFFIX}"


def task_name(department):
    return f"{department.display_name}{TASK_SUFFIX}"


def _active(model, name, label, changes):
    """The workflow or task called ``name``, created or re-enabled if need be."""
    obj, created = model.objects.get_or_create(name=name)
    if created:
        changes.created.append(f"{label} {name}")
    elif not obj.active:
        obj.active = True
        obj.save(update_fields=["active"])
        changes.created.append(f"重新启用{label} {name}")
    return obj


@transaction.atomic
def ensure_department_workflow(department, folders, reviewers):
    """Create (or repair) the department's workflow and attach it to its folders (disclosure and service
    guides). Idempotent.

    Returns ``(workflow, changes)``.
    """
    changes = Changes()
    workflow = _active(Workflow, workflow_name(department), "审核流程", changes)
    task = _active(GroupApprovalTask, task_name(department), "审核任务", changes)
    if not task.groups.filter(pk=reviewers.pk).exists():
        task.groups.add(reviewers)
        changes.created.append(f"审核任务 {task.name} → {reviewers.name}")

    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        changes.created.append(f"流程步骤 {workflow.name}: {task.name}")

    for folder in folders:
        link = WorkflowPage.objects.filter(page_id=folder.pk).first()
        if link is None or link.workflow_id != workflow.pk:
            WorkflowPage.objects.update_or_create(page_id=folder.pk, defaults={"workflow": workflow})
            changes.created.append(f"流程绑定 {workflow.name} @ {folder.url_path}")
    return workflow, changes
