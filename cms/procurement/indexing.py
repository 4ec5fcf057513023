"""The clock changes a project's status (即将开始 → 正在招标 → 即将截止 → 已截止) without any notice being
published; the site search's entries hold the status of the moment they were built. ``manage.py procurement
refresh_status`` (the scheduler runs it every minute) finds the entries whose status is no longer the one the
schedule gives now and re-indexes those projects with all their notices, through the index queue.

    stale_project_ids(now)      -> ids of live projects whose entry or a notice's entry is stale
    refresh_search_status(now)  -> {"projects": n, "keys": m, ...}   (enqueued)

Stateless: it compares what is indexed with what is computed, so a missed run, a worker that was down or a
database restored from a backup all converge on the next run. Entries that do not exist (a project behind a
view restriction, a queue still to be processed) are the index queue's business, not the clock's.
"""

import operator
from functools import reduce

from django.db import transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from wagtail.models import Page

CHUNK = 200


def _indexed_status():
    from search.models import SearchEntry

    key = Concat(Value("page:"), Cast(OuterRef("pk"), CharField()))
    return Subquery(SearchEntry.objects.filter(key=key).values("status")[:1])


def _stale(queryset, computed):
    return queryset.filter(indexed__isnull=False).exclude(indexed=F(computed))


def stale_project_ids(now):
    from cms.procurement.models import NoticePage, ProcurementProject

    projects = ProcurementProject.objects.live().with_status(now).annotate(indexed=_indexed_status())
    ids = set(_stale(projects, "current_status").values_list("pk", flat=True))
    # A notice's entry carries its project's status: its parent's path is its own minus one step.
    parent = ProcurementProject.objects.filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
    )
    notices = NoticePage.objects.live().annotate(
        indexed=_indexed_status(),
        project_status=Subquery(parent.with_status(now).values("current_status")[:1]),
        project_id=Subquery(parent.values("pk")[:1]),
    )
    ids |= set(
        _stale(notices.filter(project_status__isnull=False), "project_status").values_list(
            "project_id", flat=True
        )
    )
    return sorted(ids)


def family_keys(project_ids):
    """The search keys of these projects and of every page below them (their notices)."""
    keys = []
    ids = list(project_ids)
    for start in range(0, len(ids), CHUNK):
        paths = Page.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("path", flat=True)
        below = reduce(operator.or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))
        pks = Page.objects.filter(below).order_by("path").values_list("pk", flat=True)
        keys += [f"page:{pk}" for pk in pks]
    return keys


def refresh_search_status(now=None, dry_run=False):
    """Re-index (through the queue) the projects whose indexed status the clock has overtaken."""
    from search.queue import enqueue

    ids = stale_project_ids(now or timezone.now())
    keys = family_keys(ids)
    if keys and not dry_run:
        with transaction.atomic():
            enqueue(keys)
    return {"projects": len(ids), "keys": len(keys), "project_ids": ids}


def add_arguments(parser):
    parser.add_argument("--dry-run", action="store_true", help="只列出状态已变化的项目，不加入索引队列")


def run(command, dry_run=False, verbosity=1, **options):
    result = refresh_search_status(dry_run=dry_run)
    if dry_run:
        from cms.procurement.models import ProcurementProject

        projects = ProcurementProject.objects.filter(pk__in=result["project_ids"]).order_by("project_number")
        for project in projects:
            status = project.get_status_display()
            command.stdout.write(f"  {project.project_number} {project.title}：{status}")
        command.stdout.write(f"状态已变化、待重新索引的项目：{result['projects']} 个（未加入队列）")
        return
    if result["projects"] or verbosity > 1:
        command.stdout.write(
            f"状态已变化的项目：{result['projects']} 个，已加入索引更新队列：{result['keys']} 条"
        )
