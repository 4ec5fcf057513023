"""Least-privilege groups for the portal's editors (各部门信息员), reviewers (审核人), officers (承办人员),
supervisors (效能监察) and site administrators.

Each department gets two editing groups, both scoped to its folders (the disclosure folder /xxgk/<slug>/
and the service-guide folder /zwfw/<slug>/, whichever exist) and its own collection of images and
documents:

* ``<简称>编辑``: admin access, page ``add`` + ``change`` on the folder. No ``publish``: an editor can
  only save drafts and submit them for review (the department's workflow, see ``workflows.py``).
  Wagtail's page permissions cover the folder's whole subtree and nothing else, so the explorer,
  the page chooser, ``move`` (needs ``add`` on the destination, and ``publish`` there for live pages)
  and ``copy`` all stay inside the department.
* ``<简称>审核``: admin access, page ``add``, ``change``, ``publish`` and ``lock`` on the folder
  (Wagtail has no separate unpublish permission: ``publish`` covers unpublishing).

Both get ``add``/``change``/``choose`` for images and documents in the department's collection, so a
department's files are its own, and ``add``/``change``/``delete``/``view`` on the catalogue's information
resources (政务信息资源目录): model permissions that ``cms.catalogue.permissions`` narrows to the
resources the department provides (see ``departments_of``); data items are edited inline with them.

Casework (办件, 依申请公开) has two more kinds of group:

* ``<简称>承办`` (one per department): admin access and the two "handle" permissions, which
  ``cms.casework.permissions`` narrows to the department's own cases (see ``officer_departments``).
  No page, collection or other model permission: officers process cases, they do not edit the site.
* ``效能监察`` (one): admin access and the plain ``view`` permissions on applications and disclosure
  requests: every department's cases and the dashboards, read-only, with masked personal data.

The groups are owned by this module: running ``ensure_*`` again restores exactly these page and
collection permissions (and, for the casework groups, exactly these model permissions), reporting
anything it removed.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from wagtail.models import (
    PAGE_PERMISSION_TYPES,
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

EDITOR_SUFFIX = "编辑"
REVIEWER_SUFFIX = "审核"
OFFICER_SUFFIX = "承办"
SITE_ADMIN_GROUP = "网站管理员"
SUPERVISOR_GROUP = "效能监察"

EDITOR_PAGE_PERMISSIONS = ("add", "change")
REVIEWER_PAGE_PERMISSIONS = ("add", "change", "publish", "lock")
DEPARTMENT_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
ADMIN_ACCESS = "wagtailadmin.access_admin"
RESOURCE_PERMISSIONS = tuple(f"catalogue.{action}_resource" for action in ("add", "change", "delete", "view"))
# Tender documents and the download register of the department's own projects
# (cms.procurement.trust / suppliers narrow these to the department, like the resources).
PROCUREMENT_FILE_PERMISSIONS = tuple(
    f"procurement.{action}_procurementfile" for action in ("add", "change", "view")
)
VIEW_DOWNLOADS = "procurement.view_downloadrecord"
DEPARTMENT_MODEL_PERMISSIONS = (
    ADMIN_ACCESS,
    *RESOURCE_PERMISSIONS,
    *PROCUREMENT_FILE_PERMISSIONS,
    VIEW_DOWNLOADS,
)
HANDLE_APPLICATION = "applications.handle_application"
HANDLE_REQUEST = "disclosure_requests.handle_disclosurerequest"
VIEW_APPLICATIONS = "applications.view_application"
VIEW_REQUESTS = "disclosure_requests.view_disclosurerequest"
OFFICER_MODEL_PERMISSIONS = (ADMIN_ACCESS, HANDLE_APPLICATION, HANDLE_REQUEST)
SUPERVISOR_MODEL_PERMISSIONS = (ADMIN_ACCESS, VIEW_APPLICATIONS, VIEW_REQUESTS)
CALENDAR_PERMISSIONS = tuple(
    f"casework.{action}_calendaroverride" for action in ("add", "change", "delete", "view")
)

SITE_ADMIN_PAGE_PERMISSIONS = tuple(codename for codename, *_ in PAGE_PERMISSION_TYPES)
SITE_ADMIN_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
    "wagtaildocs.choose_document",
    "wagtailcore.add_collection",
    "wagtailcore.change_collection",
    "wagtailcore.delete_collection",
)
SITE_ADMIN_MODEL_PERMISSIONS = (
    ADMIN_ACCESS,
    # snippets
    "core.add_department",
    "core.change_department",
    "core.delete_department",
    "core.view_department",
    "core.add_topic",
    "core.change_topic",
    "core.delete_topic",
    "core.view_topic",
    # site search: synonyms, the zero-result list, best bets (search_promotions)
    "search.add_synonym",
    "search.change_synonym",
    "search.delete_synonym",
    "search.view_synonym",
    "search.view_zeroresultquery",
    "search.delete_zeroresultquery",
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
    # settings (wagtail.contrib.settings checks the model's change permission)
    "core.change_sitesettings",
    "core.change_navigationsettings",
    # No user permissions: Wagtail's user form lets anyone who may edit users grant
    # superuser status, so accounts are managed by superusers only (least privilege).
    # workflows and their tasks
    "wagtailcore.add_workflow",
    "wagtailcore.change_workflow",
    "wagtailcore.delete_workflow",
    "wagtailcore.add_task",
    "wagtailcore.change_task",
    "wagtailcore.delete_task",
    # redirects for moved or retired pages
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
    # the information resource catalogue: every department's resources, and the classification
    *RESOURCE_PERMISSIONS,
    "catalogue.add_resourceclass",
    "catalogue.change_resourceclass",
    "catalogue.delete_resourceclass",
    "catalogue.view_resourceclass",
    # casework: every department's cases read-only (acting is for each department's officers),
    # and the working-day calendar's corrections
    VIEW_APPLICATIONS,
    VIEW_REQUESTS,
    *CALENDAR_PERMISSIONS,
    # procurement: every project's tender documents and download register, the agencies, the suppliers
    *PROCUREMENT_FILE_PERMISSIONS,
    VIEW_DOWNLOADS,
    "procurement.add_agency",
    "procurement.change_agency",
    "procurement.view_agency",
    "procurement.view_supplier",
)


@dataclass
class Changes:
    """What an ``ensure_*`` call created or removed, as lines a command can print."""

    created: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    def extend(self, other):
        self.created += other.created
        self.removed += other.removed

    def __bool__(self):
        return bool(self.created or self.removed)


@dataclass
class DepartmentGroups:
    editors: Group
    reviewers: Group
    officers: Group
    collection: Collection
    changes: Changes


def editors_group_name(department):
    return f"{department.display_name}{EDITOR_SUFFIX}"


def reviewers_group_name(department):
    return f"{department.display_name}{REVIEWER_SUFFIX}"


def officers_group_name(department):
    return f"{department.display_name}{OFFICER_SUFFIX}"


def permission(dotted):
    """``app_label.codename`` → auth.Permission (fails loudly if the app or model is missing)."""
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(action):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


def _group(name, changes):
    group, created = Group.objects.get_or_create(name=name)
    if created:
        changes.created.append(f"用户组 {name}")
    return group


def _model_permissions(group, dotted_names, changes):
    wanted = [permission(name) for name in dotted_names]
    have = set(group.permissions.values_list("pk", flat=True))
    missing = [perm for perm in wanted if perm.pk not in have]
    if missing:
        group.permissions.add(*missing)
        changes.created += [
            f"权限 {group.name}: {perm.content_type.app_label}.{perm.codename}" for perm in missing
        ]


def _exact_model_permissions(group, dotted_names, changes):
    """Give ``group`` exactly these model permissions (the casework groups own theirs entirely)."""
    _model_permissions(group, dotted_names, changes)
    wanted = {permission(name).pk for name in dotted_names}
    extra = list(group.permissions.exclude(pk__in=wanted).select_related("content_type"))
    if extra:
        group.permissions.remove(*extra)
        changes.removed += [
            f"权限 {group.name}: {perm.content_type.app_label}.{perm.codename}" for perm in extra
        ]


def _page_permissions(group, pages, actions, changes):
    """Give ``group`` exactly ``actions`` on each of ``pages`` and no page permission anywhere else."""
    wanted = {page_permission(action).pk: action for action in actions}
    page_ids = {page.pk for page in pages}
    existing = GroupPagePermission.objects.filter(group=group).select_related("permission", "page")
    for grant in existing:
        if grant.page_id not in page_ids or grant.permission_id not in wanted:
            changes.removed.append(
                f"页面权限 {group.name}: {grant.permission.codename} @ {grant.page.url_path}"
            )
            grant.delete()
    for page in pages:
        have = set(
            GroupPagePermission.objects.filter(group=group, page=page).values_list("permission_id", flat=True)
        )
        for permission_id, action in wanted.items():
            if permission_id not in have:
                GroupPagePermission.objects.create(group=group, page=page, permission_id=permission_id)
                changes.created.append(f"页面权限 {group.name}: {action} @ {page.url_path}")


def _collection_permissions(group, collection, dotted_names, changes):
    """Give ``group`` exactly these permissions on ``collection`` and on no other collection."""
    wanted = {permission(name).pk: name for name in dotted_names}
    existing = GroupCollectionPermission.objects.filter(group=group).select_related(
        "permission", "collection"
    )
    for grant in existing:
        if grant.collection_id != collection.pk or grant.permission_id not in wanted:
            changes.removed.append(
                f"集合权限 {group.name}: {grant.permission.codename} @ {grant.collection.name}"
            )
            grant.delete()
    have = set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission_id", flat=True
        )
    )
    for permission_id, name in wanted.items():
        if permission_id not in have:
            GroupCollectionPermission.objects.create(
                group=group, collection=collection, permission_id=permission_id
            )
            changes.created.append(f"集合权限 {group.name}: {name} @ {collection.name}")


def department_collection(department, changes=None):
    """The department's own collection, directly under the root collection, named after it."""
    changes = changes if changes is not None else Changes()
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=department.name).first()
    if collection is None:
        collection = root.add_child(name=department.name)
        changes.created.append(f"集合 {department.name}")
    return collection


@transaction.atomic
def ensure_department_groups(department, folders):
    """Create (or repair) the department's editor, reviewer and officer groups and its collection;
    the editors and reviewers work in ``folders`` (its disclosure and service-guide folders). Idempotent."""
    changes = Changes()
    editors = _group(editors_group_name(department), changes)
    reviewers = _group(reviewers_group_name(department), changes)
    officers = _group(officers_group_name(department), changes)
    collection = department_collection(department, changes)
    for group, actions in ((editors, EDITOR_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
        _model_permissions(group, DEPARTMENT_MODEL_PERMISSIONS, changes)
        _page_permissions(group, folders, actions, changes)
        _collection_permissions(group, collection, DEPARTMENT_COLLECTION_PERMISSIONS, changes)
    _exact_model_permissions(officers, OFFICER_MODEL_PERMISSIONS, changes)
    _page_permissions(officers, [], (), changes)
    return DepartmentGroups(
        editors=editors, reviewers=reviewers, officers=officers, collection=collection, changes=changes
    )


@transaction.atomic
def ensure_site_admin_group():
    """``网站管理员``: every page permission from the tree root, every collection, the snippets,
    the settings, workflows, redirects and the whole resource catalogue with its classification.
    Not a superuser: no Django admin, no group editing. Returns ``(group, changes)``."""
    changes = Changes()
    group = _group(SITE_ADMIN_GROUP, changes)
    _model_permissions(group, SITE_ADMIN_MODEL_PERMISSIONS, changes)
    _page_permissions(group, [Page.get_first_root_node()], SITE_ADMIN_PAGE_PERMISSIONS, changes)
    _collection_permissions(
        group, Collection.get_first_root_node(), SITE_ADMIN_COLLECTION_PERMISSIONS, changes
    )
    return group, changes


@transaction.atomic
def ensure_supervisor_group():
    """``效能监察``: every department's cases and the dashboards, read-only; nothing else.
    Returns ``(group, changes)``."""
    changes = Changes()
    group = _group(SUPERVISOR_GROUP, changes)
    _exact_model_permissions(group, SUPERVISOR_MODEL_PERMISSIONS, changes)
    _page_permissions(group, [], (), changes)
    return group, changes


def is_site_admin(user):
    """Who may re-assign departments: superusers and whoever may edit the Department snippets."""
    return user.is_active and (user.is_superuser or user.has_perm("core.change_department"))


def _display_name():
    # The group names come from display_name (简称, or the full name when there is none).
    return Coalesce(NullIf("short_name", Value("")), "name", output_field=CharField())


def departments_of(user):
    """The departments ``user`` works for: those whose ``<简称>编辑`` or ``<简称>审核`` group they are in.
    Superusers and site administrators work for all of them; inactive and anonymous users for none."""
    from cms.core.models import Department

    if not user.is_active:
        return Department.objects.none()
    if is_site_admin(user):
        return Department.objects.all()
    names = list(user.groups.values_list("name", flat=True))
    shown = _display_name()
    return Department.objects.alias(
        editors_group=Concat(shown, Value(EDITOR_SUFFIX), output_field=CharField()),
        reviewers_group=Concat(shown, Value(REVIEWER_SUFFIX), output_field=CharField()),
    ).filter(Q(editors_group__in=names) | Q(reviewers_group__in=names))


def officer_departments(user):
    """The departments whose cases ``user`` handles: those whose ``<简称>承办`` group they are in.

    Only membership counts, also for superusers and site administrators: acting on a case and seeing
    an applicant's full ID number belong to the handling department's officers (least privilege)."""
    from cms.core.models import Department

    if not user.is_active or not user.is_authenticated:
        return Department.objects.none()
    names = list(user.groups.values_list("name", flat=True))
    return Department.objects.alias(
        officers_group=Concat(_display_name(), Value(OFFICER_SUFFIX), output_field=CharField())
    ).filter(officers_group__in=names)
